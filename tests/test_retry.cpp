#include "modelarts/retry.hpp"

#include <doctest/doctest.h>

#include <boost/system/errc.hpp>

#include <limits>

using namespace modelarts;
using namespace std::chrono;
namespace errc = boost::system::errc;

TEST_CASE("transient: 429, 500, 502, 503, 504; never another status")
{
    for (unsigned s : {429u, 500u, 502u, 503u, 504u}) CHECK(is_transient_status(s));
    for (unsigned s : {200u, 201u, 204u, 301u, 400u, 401u, 403u, 404u, 409u, 413u, 501u, 505u}) {
        CAPTURE(s);
        CHECK_FALSE(is_transient_status(s));
    }
    CHECK(is_transient(http_response{429, {}, R"({"error_code":"APIGW.0308"})"}));
    CHECK_FALSE(is_transient(http_response{400, {}, R"({"error_code":"ModelArts.2775"})"}));
    CHECK_FALSE(is_transient(http_response{200, {}, "not json"}));  // a 2xx that cannot be parsed is not retried
}

TEST_CASE("transient: refused, reset and timed out, of any category; never a cancellation, TLS or DNS failure")
{
    for (error e : {error::connection_refused, error::connection_reset, error::timeout}) CHECK(is_transient(make_error_code(e)));
    for (error e : {error::tls_failure, error::host_not_found, error::transport_failure, error::malformed_body, error::invalid_job_id})
        CHECK_FALSE(is_transient(make_error_code(e)));
    for (auto e : {errc::connection_refused, errc::connection_reset, errc::connection_aborted, errc::timed_out, errc::broken_pipe})
        CHECK(is_transient_error(errc::make_error_code(e)));
    CHECK(is_transient_error(boost::system::error_code(ECONNRESET, boost::system::system_category())));
    CHECK_FALSE(is_transient_error(errc::make_error_code(errc::operation_canceled)));
    CHECK_FALSE(is_transient_error(errc::make_error_code(errc::permission_denied)));
}

TEST_CASE("Retry-After: delta-seconds or an HTTP-date, relative to now")
{
    const auto now = sys_days{2026y / November / 29} + 12h;
    CHECK(parse_retry_after("1", now) == seconds(1));
    CHECK(parse_retry_after(" 120 ", now) == seconds(120));
    CHECK(parse_retry_after("0", now) == seconds(0));
    CHECK(parse_retry_after("Sun, 29 Nov 2026 12:00:30 GMT", now) == seconds(30));
    CHECK(parse_retry_after("Sun, 29 Nov 2026 11:00:00 GMT", now) == seconds(0));  // already past
    for (const char* bad : {"", "-1", "1.5", "soon", "1 s", "9999999999"}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_retry_after(bad, now));
    }
}

TEST_CASE("backoff: caps grow by the multiplier up to max_delay; full jitter draws within [0, cap]")
{
    const retry_policy p;  // the documented defaults
    CHECK(p.max_attempts == 4);
    CHECK(p.timeout == seconds(60));
    CHECK(backoff_cap(p, 0) == milliseconds(500));
    CHECK(backoff_cap(p, 1) == seconds(1));
    CHECK(backoff_cap(p, 2) == seconds(2));
    CHECK(backoff_cap(p, 3) == seconds(4));
    CHECK(backoff_cap(p, 4) == seconds(5));
    CHECK(backoff_cap(p, 1000000) == seconds(5));
    CHECK(backoff_cap({.multiplier = 1.0}, 1000000) == milliseconds(500));

    CHECK(jittered(seconds(2), 0) == nanoseconds(0));
    CHECK(jittered(seconds(2), std::uint64_t(1) << 63) == seconds(1));
    const auto top = jittered(seconds(2), std::numeric_limits<std::uint64_t>::max());
    CHECK(top < seconds(2));
    CHECK(top > milliseconds(1999));
}

TEST_CASE("a retry policy is checked: at least one attempt, a multiplier of 1 or more, no negative time")
{
    CHECK(validate_retry_policy({}));
    CHECK(validate_retry_policy({.max_attempts = 1, .timeout = milliseconds(0)}));
    CHECK(validate_retry_policy({.max_attempts = 0}).error() == error::invalid_retry_policy);
    CHECK(validate_retry_policy({.multiplier = 0.99}).error() == error::invalid_retry_policy);
    CHECK(validate_retry_policy({.multiplier = std::numeric_limits<double>::quiet_NaN()}).error() == error::invalid_retry_policy);
    CHECK(validate_retry_policy({.initial_delay = milliseconds(-1)}).error() == error::invalid_retry_policy);
    CHECK(validate_retry_policy({.max_delay = milliseconds(-1)}).error() == error::invalid_retry_policy);
}
