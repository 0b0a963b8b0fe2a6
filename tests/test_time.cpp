#include "modelarts/detail/time.hpp"

#include "modelarts/iam.hpp"
#include "modelarts/signer.hpp"

#include <doctest/doctest.h>

using namespace modelarts;
using namespace std::chrono;

TEST_CASE("every time format reads years 1970 to 9999 and refuses the rest, without overflow")
{
    CHECK(signing::parse_sdk_date("19700101T000000Z") == system_clock::time_point{});
    CHECK(detail::parse_iso8601_utc("2026-11-29T17:09:56Z") == sys_days{2026y / November / 29} + 17h + 9min + 56s);
    CHECK(detail::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT") == sys_days{1994y / November / 6} + 8h + 49min + 37s);
    for (const char* bad : {"19691231T235959Z", "00000101T000000Z"}) CHECK_FALSE(signing::parse_sdk_date(bad));
    CHECK_FALSE(detail::parse_iso8601_utc("1969-12-31T23:59:59Z"));
    CHECK_FALSE(detail::parse_http_date("Wed, 31 Dec 1969 23:59:59 GMT"));
}

TEST_CASE("regression: a date past 2262 saturates instead of wrapping (it was signed overflow, UB)")
{
    // IAM answered {"token":{"expires_at":"4052-11-30T00:00:00Z"}}: the expiry wrapped to 1714.
    const auto far = detail::parse_iso8601_utc("4052-11-30T00:00:00Z");
    REQUIRE(far);
    CHECK(*far == system_clock::time_point::max());
    auto token = parse_iam_token_response({201, {{"X-Subject-Token", "t"}}, R"({"token":{"expires_at":"4052-11-30T00:00:00Z"}})"});
    REQUIRE(token);
    CHECK(token->expires_at > system_clock::now());
    // The emulator's X-Sdk-Date check took the same path.
    CHECK(signing::parse_sdk_date("99991231T235959Z") == system_clock::time_point::max());
    CHECK(detail::parse_http_date("Fri, 31 Dec 9999 23:59:59 GMT") == system_clock::time_point::max());
}

TEST_CASE("regression: a digit field is digits only: no sign, no space ('-0' was read as 0)")
{
    for (const char* bad : {"2026-11-30T00:00:-0Z", "2026-11-30T00:00:+0Z", "2026-11-30T00:00: 0Z", "-026-11-30T00:00:00Z"}) {
        CAPTURE(bad);
        CHECK_FALSE(detail::parse_iso8601_utc(bad));
    }
    for (const char* bad : {"20261130T0000-0Z", "2026113-T000000Z", "20261130T00000 Z"}) {
        CAPTURE(bad);
        CHECK_FALSE(signing::parse_sdk_date(bad));
    }
    CHECK_FALSE(detail::parse_http_date("Sun, -6 Nov 1994 08:49:37 GMT"));
}

TEST_CASE("HTTP dates: IMF-fixdate only, with real day and month names and fields in range")
{
    CHECK(detail::parse_http_date("Mon, 29 Feb 2028 00:00:00 GMT") == sys_days{2028y / February / 29});
    for (const char* bad : {"", "Sun, 06 Nov 1994 08:49:37 UTC", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994",
                            "Xyz, 06 Nov 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 30 Feb 1994 08:49:37 GMT",
                            "Sun, 06 Nov 1994 24:00:00 GMT", "un, 06 Nov 1994 08:49:37 GMT ", "Sun, 06 ovN 1994 08:49:37 GMT"}) {
        CAPTURE(bad);
        CHECK_FALSE(detail::parse_http_date(bad));
    }
}

TEST_CASE("formats write what the parsers read")
{
    const auto t = sys_days{2026y / November / 29} + 17h + 9min + 56s;
    CHECK(detail::format_compact_utc(t) == "20261129T170956Z");
    CHECK(detail::format_iso8601_utc(t) == "2026-11-29T17:09:56.000000Z");
    CHECK(detail::parse_compact_utc(detail::format_compact_utc(t)) == t);
    CHECK(detail::parse_iso8601_utc(detail::format_iso8601_utc(t)) == t);
    CHECK(detail::format_http_date(t) == "Sun, 29 Nov 2026 17:09:56 GMT");
    CHECK(detail::format_http_date(sys_days{1994y / November / 6} + 8h + 49min + 37s + 900ms) == "Sun, 06 Nov 1994 08:49:37 GMT");
    // Every day of a leap year's week and month names: what is written is read back, to the second.
    for (auto day = sys_days{2028y / January / 1}; day < sys_days{2029y / January / 1}; day += days(1)) {
        const auto at = day + 23h + 59min + 59s;
        CHECK(detail::parse_http_date(detail::format_http_date(at)) == at);
    }
}
