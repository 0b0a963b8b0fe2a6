#include "modelarts/detail/sansio/call.hpp"

#include "modelarts/detail/sansio/operation.hpp"
#include "modelarts/detail/sansio/update.hpp"
#include "modelarts/request.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <string>

// The call machine stepped by hand: no session, no transport, no clock but the one each test
// moves. What a driver would do is spelled out step by step.

using namespace modelarts;
using namespace modelarts::detail::sansio;
using namespace std::chrono;
using namespace std::chrono_literals;
using action = step::action;

namespace {

const http_response ok{200, {{"X-Request-Id", "r-ok"}}, R"({"is_success":true})"};
const http_response html_503{503, {}, "<html>503 Service Temporarily Unavailable</html>"};
const http_response expired{401, {}, R"({"error_code":"APIGW.0301","error_msg":"token expired","request_id":"gw-1"})"};

// Both clocks, moved together by the test; every wait is half its cap (random = 2^63).
struct clocks {
    step_inputs at{steady_clock::time_point{} + 1h, sys_days{2026y / November / 28} + 12h, std::uint64_t(1) << 63};
    const step_inputs& advance(nanoseconds d)
    {
        at.now += d;
        at.wall += duration_cast<system_clock::duration>(d);
        return at;
    }
};

http_request update_request()
{
    return make_update_job_description_request(service_config{"https://modelarts.example.com", "p"}, "182626", "d").value();
}

http_response issued(std::string token)
{
    return {201, {{"X-Subject-Token", std::move(token)}}, R"({"token":{"expires_at":"2026-11-29T12:00:00.000000Z"}})"};
}

// A token held, issued a day before it expires (as IAM's are).
issued_credentials token_expiring(std::string token, system_clock::time_point at)
{
    return {token_credentials{std::move(token)}, at, at - 24h};
}

} // namespace

TEST_CASE("a signed call: send, a transient answer, a jittered wait, send again, done; the facts kept")
{
    const credentials auth = aksk_credentials{"AK1", "SK1"};
    const retry_policy retry;
    clocks c;
    call_machine m(update_request(), {&auth, &retry, "p", true});

    auto s = m.resume(c.at);
    REQUIRE(s.what == action::send);
    CHECK(s.duration == 60s);  // the whole deadline is left
    CHECK(m.request().headers.get("X-Sdk-Date") == "20261128T120000Z");
    CHECK(m.facts().attempts == 1);

    auto a = m.on_response(html_503, c.advance(10ms));
    CHECK(a.number == 1);
    CHECK(a.duration == 10ms);
    REQUIRE(a.retry_in);
    CHECK(*a.retry_in == 250ms);  // half of the first cap, 500 ms
    CHECK_FALSE(m.answer_is_final());
    s = m.resume(c.at);
    REQUIRE(s.what == action::wait);
    CHECK(s.duration == 250ms);

    s = m.resume(c.advance(250ms));
    REQUIRE(s.what == action::send);
    CHECK(s.duration == 60s - 260ms);
    CHECK(m.request().headers.get("X-Sdk-Date") == "20261128T120000Z");  // 260 ms later: the same second, signed afresh

    a = m.on_response(ok, c.advance(5ms));
    CHECK(a.number == 2);
    CHECK_FALSE(a.retry_in);
    CHECK(m.answer_is_final());
    CHECK(m.resume(c.at).what == action::done);
    CHECK(m.end() == call_end::service_answer);
    CHECK(m.facts().attempts == 2);
    CHECK(m.facts().http_status == 200);
    CHECK(m.facts().request_id == "r-ok");
    CHECK(m.facts().last_failure == attempt_failure{{}, 503});
}

TEST_CASE("a password call asks for the session's token; a fresh one is used as it is")
{
    const credentials auth = password_credentials{"alice", "pw", "", "https://iam.example.com"};
    const retry_policy retry;
    clocks c;
    call_machine m(update_request(), {&auth, &retry, "p", true});
    REQUIRE(m.resume(c.at).what == action::need_token);
    const auto held = token_expiring("HELD", c.at.wall + 2h);
    auto s = m.use_token(&held, c.at);
    REQUIRE(s.what == action::send);
    CHECK(m.request().target() == "/v1/p/training-jobs/182626");
    CHECK(m.request().headers.get("X-Auth-Token") == "HELD");
    m.on_response(ok, c.at);
    CHECK(m.resume(c.at).what == action::done);
    CHECK(m.facts().attempts == 1);
}

TEST_CASE("no token, or one within the refresh margin: the call logs in, and hands the new token over")
{
    const credentials auth = password_credentials{"alice", "pw", "", "https://iam.example.com"};
    const retry_policy retry;
    clocks c;
    const auto nearly_expired = token_expiring("OLD", c.at.wall + token_refresh_margin - 1s);
    for (const issued_credentials* held : {static_cast<const issued_credentials*>(nullptr), &nearly_expired}) {
        call_machine m(update_request(), {&auth, &retry, "p", true});
        REQUIRE(m.resume(c.at).what == action::need_token);
        REQUIRE(m.use_token(held, c.at).what == action::send);
        CHECK(m.request().target() == "/v3/auth/tokens");
        CHECK(m.request().secret_body);

        const auto a = m.on_response(issued("NEW"), c.advance(3ms));
        CHECK(a.number == 1);
        CHECK_FALSE(a.retry_in);
        CHECK_FALSE(m.answer_is_final());  // IAM's answer is the login's, never the call's
        REQUIRE(m.resume(c.at).what == action::token_received);
        CHECK(std::get<token_credentials>(m.received_token().auth).token == "NEW");

        REQUIRE(m.resume(c.at).what == action::send);  // its own token: not asked for again
        CHECK(m.request().headers.get("X-Auth-Token") == "NEW");
        m.on_response(ok, c.at);
        CHECK(m.resume(c.at).what == action::done);
        CHECK(m.end() == call_end::service_answer);
        CHECK(m.facts().attempts == 2);
    }
}

TEST_CASE("a 401 logs in again once, never with the token refused; a second 401 is the answer")
{
    const credentials auth = password_credentials{"alice", "pw", "", "https://iam.example.com"};
    const retry_policy retry;
    clocks c;
    const auto held = token_expiring("DEAD", c.at.wall + 2h);
    call_machine m(update_request(), {&auth, &retry, "p", true});
    REQUIRE(m.resume(c.at).what == action::need_token);
    REQUIRE(m.use_token(&held, c.at).what == action::send);

    const auto a = m.on_response(expired, c.at);
    REQUIRE(a.retry_in);
    CHECK(*a.retry_in == 0ns);
    CHECK(m.facts().last_failure == attempt_failure{{}, 401});
    CHECK(m.facts().request_id == "gw-1");  // from the body: the answer had no header
    REQUIRE(m.resume(c.at).what == action::need_token);
    REQUIRE(m.use_token(&held, c.at).what == action::send);  // the session still holds the refused token
    CHECK(m.request().target() == "/v3/auth/tokens");
    m.on_response(issued("FRESH"), c.at);
    REQUIRE(m.resume(c.at).what == action::token_received);
    REQUIRE(m.resume(c.at).what == action::send);
    CHECK(m.request().headers.get("X-Auth-Token") == "FRESH");

    m.on_response(expired, c.at);
    CHECK(m.answer_is_final());
    CHECK(m.resume(c.at).what == action::done);
    CHECK(m.end() == call_end::service_answer);
    CHECK(m.facts().attempts == 3);
}

TEST_CASE("IAM's refusal ends the call as IAM's, read by IAM's parser")
{
    const credentials auth = password_credentials{"alice", "wrong", "", "https://iam.example.com"};
    const retry_policy retry;
    clocks c;
    call_machine m(update_request(), {&auth, &retry, "p", true});
    REQUIRE(m.resume(c.at).what == action::need_token);
    REQUIRE(m.use_token(nullptr, c.at).what == action::send);
    m.on_response(http_response{401, {}, R"({"error":{"code":"1101","message":"The username or password is wrong."}})"}, c.at);
    CHECK_FALSE(m.answer_is_final());
    CHECK(m.resume(c.at).what == action::done);
    REQUIRE(m.end() == call_end::iam_refusal);
    CHECK_FALSE(m.iam_refusal().is_success);
    CHECK(m.iam_refusal().error_code == "1101");
    CHECK(m.iam_refusal().error_msg == "The username or password is wrong.");

    SUBCASE("and an operation makes it the call's result")
    {
        auto op = make_update_operation(make_service_location({"https://m.example.com", "p"}).value(), {&auth, &retry, "p", true},
                                        "182626", api_version::automatic, "d");
        REQUIRE(op.resume(c.at).what == action::need_token);
        REQUIRE(op.use_token(nullptr, c.at).what == action::send);
        op.on_response(http_response{401, {}, R"({"error":{"code":"1101","message":"wrong"}})"}, c.at);
        REQUIRE(op.resume(c.at).what == action::done);
        diagnostics diag;
        auto r = op.take_result(&diag);
        REQUIRE(r);
        CHECK_FALSE(r->is_success);
        CHECK(r->error_code == "1101");
        CHECK(diag.attempts == 1);
        CHECK(diag.http_status == 401);
    }
}

TEST_CASE("the deadline: an attempt is never started past it, and a wait that would pass it is not taken")
{
    const credentials auth = token_credentials{"tok"};
    const retry_policy retry{.max_attempts = 10, .initial_delay = 400ms, .multiplier = 1.0, .timeout = 1s};
    clocks c;
    call_machine m(update_request(), {&auth, &retry, "p", true});
    REQUIRE(m.resume(c.at).what == action::send);
    const auto a = m.on_response(html_503, c.advance(900ms));  // 100 ms left, a 200 ms wait
    CHECK_FALSE(a.retry_in);
    CHECK(m.answer_is_final());  // the last answer stands
    CHECK(m.resume(c.at).what == action::done);

    call_machine late(update_request(), {&auth, &retry, "p", true});
    REQUIRE(late.resume(c.at).what == action::send);
    late.on_response(result<http_response>(make_error_code(error::connection_reset)), c.advance(700ms));
    REQUIRE(late.resume(c.at).what == action::wait);
    CHECK(late.resume(c.advance(400ms)).what == action::done);  // woke after the deadline
    CHECK(late.end() == call_end::error);
    CHECK(late.error() == error::timeout);
}

TEST_CASE("without a timer nothing is retried; refused input ends before anything is sent")
{
    const credentials auth = no_credentials{};
    const retry_policy retry;
    clocks c;
    call_machine m(update_request(), {&auth, &retry, "p", false});
    REQUIRE(m.resume(c.at).what == action::send);
    m.on_response(result<http_response>(make_error_code(error::connection_refused)), c.at);
    CHECK(m.resume(c.at).what == action::done);
    CHECK(m.error() == error::connection_refused);
    CHECK(m.facts().last_failure == attempt_failure{make_error_code(error::connection_refused), 0});

    call_machine refused(make_error_code(error::description_too_long));
    CHECK(refused.resume(c.at).what == action::done);
    CHECK(refused.error() == error::description_too_long);
    CHECK(refused.facts().attempts == 0);
}

TEST_CASE("Retry-After sets the wait: seconds, or a date read against the wall clock passed in")
{
    const credentials auth = no_credentials{};
    const retry_policy retry;
    clocks c;
    for (const auto& [value, wait] : {std::pair{"2", nanoseconds(2s)}, std::pair{"Sat, 28 Nov 2026 12:00:03 GMT", nanoseconds(3s)}}) {
        call_machine m(update_request(), {&auth, &retry, "p", true});
        REQUIRE(m.resume(c.at).what == action::send);
        http_response throttled{429, {{"Retry-After", value}}, R"({"error_code":"APIGW.0308","error_msg":"throttled"})"};
        const auto a = m.on_response(throttled, c.at);
        REQUIRE(a.retry_in);
        CHECK(*a.retry_in == wait);
    }
}

TEST_CASE("a signature refused for its date: the service's time is handed over, and the call signs again, once")
{
    const credentials auth = aksk_credentials{"AK1", "SK1"};
    const retry_policy retry{.max_attempts = 1};  // signing again is not a retry
    clocks c;
    const auto refused_at = [](system_clock::time_point server) {
        return http_response{401, {{"Date", detail::format_http_date(server)}},
                             R"({"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information: X-Sdk-Date is more than 15 minutes off"})"};
    };
    call_machine m(update_request(), {&auth, &retry, "p", true});
    REQUIRE(m.resume(c.at).what == action::send);
    CHECK(m.request().headers.get("X-Sdk-Date") == "20261128T120000Z");

    const auto server = c.at.wall - 20min;  // our clock is 20 minutes fast
    const auto a = m.on_response(refused_at(server), c.at);
    REQUIRE(a.retry_in);
    CHECK(*a.retry_in == 0ns);
    CHECK_FALSE(m.answer_is_final());
    REQUIRE(m.resume(c.at).what == action::clock_skew);
    CHECK(m.server_time() == server);

    c.at.wall = server;  // the driver corrects its wall clock
    REQUIRE(m.resume(c.at).what == action::send);
    CHECK(m.request().headers.get("X-Sdk-Date") == "20261128T114000Z");
    m.on_response(refused_at(server), c.at);  // refused again: the answer stands
    CHECK(m.answer_is_final());
    CHECK(m.resume(c.at).what == action::done);
    CHECK(m.facts().attempts == 2);

    SUBCASE("a 401 dated within 15 minutes of the signature is refused for something else: the answer stands")
    {
        call_machine other(update_request(), {&auth, &retry, "p", true});
        REQUIRE(other.resume(c.at).what == action::send);
        other.on_response(refused_at(c.at.wall + 14min), c.at);
        CHECK(other.answer_is_final());
    }
    SUBCASE("an undated 401 cannot say the clock is off")
    {
        call_machine undated(update_request(), {&auth, &retry, "p", true});
        REQUIRE(undated.resume(c.at).what == action::send);
        undated.on_response(http_response{401, {}, R"({"error_code":"APIGW.0301","error_msg":"x"})"}, c.at);
        CHECK(undated.answer_is_final());
    }
}
