#include "modelarts/validation.hpp"

#include "support.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <string>

using modelarts::api_version;
using modelarts::error;
using test_support::repeat;

TEST_CASE("a description is at most 256 Unicode characters, counted as code points")
{
    CHECK(modelarts::validate_description(""));
    CHECK(modelarts::validate_description(repeat("a", 256)));
    CHECK(modelarts::validate_description(repeat("\xE4\xB8\xAD", 256)));      // 256 CJK = 768 bytes
    CHECK(modelarts::validate_description(repeat("\xF0\x9F\x98\x80", 256)));  // 256 emoji = 1024 bytes
    CHECK(modelarts::validate_description(std::string("a\0b", 3)));          // NUL is a character

    CHECK(modelarts::validate_description(repeat("a", 257)).error() == error::description_too_long);
    CHECK(modelarts::validate_description(repeat("\xE4\xB8\xAD", 257)).error() == error::description_too_long);
    CHECK(modelarts::validate_description(repeat("\xF0\x9F\x98\x80", 257)).error() == error::description_too_long);
    CHECK(modelarts::validate_description(repeat("a", 5000)).error() == error::description_too_long);
}

TEST_CASE("a description must be well-formed UTF-8")
{
    const char* bad[] = {
        "\xC0\xAF",          // overlong '/'
        "\xC1\xBF",          // overlong 2-byte
        "\xE0\x80\xAF",      // overlong 3-byte
        "\xF0\x80\x80\xAF",  // overlong 4-byte
        "\xED\xA0\x80",      // encoded surrogate U+D800
        "\xED\xBF\xBF",      // encoded surrogate U+DFFF
        "\xF4\x90\x80\x80",  // U+110000
        "\xE4\xB8",          // truncated 3-byte sequence
        "a\xF0\x9F\x98",     // truncated 4-byte sequence at the end
        "\x80",              // lone continuation byte
        "\xE4\x41\xAD",      // continuation byte missing
        "\xF5\x80\x80\x80", "\xF8\x88\x80\x80\x80", "\xFC\x84\x80\x80\x80\x80", "\xFE", "\xFF",
    };
    for (std::string s : bad) {
        CAPTURE(s);
        CHECK(modelarts::validate_description(s).error() == error::description_not_utf8);
    }
    // Invalid bytes beyond the length limit still say "not UTF-8".
    CHECK(modelarts::validate_description(repeat("a", 2000) + "\xFF").error() == error::description_not_utf8);
    // The edges of the valid ranges pass.
    CHECK(modelarts::validate_description("\xC2\x80\xDF\xBF\xE0\xA0\x80\xED\x9F\xBF\xEE\x80\x80\xEF\xBF\xBF"));
    CHECK(modelarts::validate_description("\xF0\x90\x80\x80\xF4\x8F\xBF\xBF"));
}

TEST_CASE("UTF-8 is counted and checked alike wherever a sequence falls among ASCII runs")
{
    // ASCII is skipped eight bytes at a time: put a multi-byte or a bad sequence at every offset.
    for (std::size_t k = 0; k < 18; ++k) {
        CAPTURE(k);
        const std::string before(k, 'a'), after(9, 'b');
        CHECK(modelarts::detail::utf8_length(before + "\xE4\xB8\xAD" + after) == k + 1 + 9);
        CHECK(modelarts::detail::utf8_length(before + "\xF0\x9F\x98\x80" + after) == k + 1 + 9);
        CHECK(modelarts::detail::utf8_length(before + after) == k + 9);
        for (std::string bad : {"\xFF", "\x80", "\xC0\xAF", "\xED\xA0\x80", "\xE4\xB8"}) {
            CHECK_FALSE(modelarts::detail::utf8_length(before + bad + after));
            CHECK_FALSE(modelarts::detail::utf8_length(before + bad));
        }
    }
    CHECK(modelarts::validate_description(std::string(256, 'a')));
    CHECK(modelarts::validate_description(std::string(257, 'a')).error() == error::description_too_long);
}

TEST_CASE("a v1 job id is a positive decimal that fits in int64")
{
    CHECK(modelarts::is_v1_job_id("182626"));
    CHECK(modelarts::is_v1_job_id("1"));
    CHECK(modelarts::is_v1_job_id("9223372036854775807"));
    for (std::string bad : {"", "0", "00", "0182626", "-1", "+1", " 1", "1 ", "1e5", "1.0", "%31", "1/2", "../1",
                            "9223372036854775808", "99999999999999999999", "0x10", "１"}) {
        CAPTURE(bad);
        CHECK_FALSE(modelarts::is_v1_job_id(bad));
        CHECK(modelarts::v1_job_number(bad) == 0);
    }
    CHECK(modelarts::v1_job_number("182626") == 182626);
    CHECK(modelarts::v1_job_number("9223372036854775807") == INT64_MAX);
}

TEST_CASE("a v2 job id is a canonical UUID, all lower or all upper case")
{
    CHECK(modelarts::is_v2_job_id("3faf5c03-aaa1-4cbe-879d-24b05d997347"));
    CHECK(modelarts::is_v2_job_id("3FAF5C03-AAA1-4CBE-879D-24B05D997347"));
    for (std::string bad : {"3faf5c03aaa14cbe879d24b05d997347", "{3faf5c03-aaa1-4cbe-879d-24b05d997347}",
                            "3faf5c03-aaa1-4cbe-879d-24b05d99734", "3faf5c03-aaa1-4cbe-879d-24b05d9973477",
                            "3faf5c03-aaa1-4cbe-879d_24b05d997347", "3faf5c03-aaa1-4cbe-879d-24b05d99734g",
                            "3Faf5c03-aaa1-4cbe-879d-24b05d997347", "3faf5c03-aaa1-4cbe-879d-24b05d99/347"}) {
        CAPTURE(bad);
        CHECK_FALSE(modelarts::is_v2_job_id(bad));
    }
}

TEST_CASE("the API version follows the id's form unless chosen, and must then fit it")
{
    CHECK(*modelarts::resolve_api_version("182626", api_version::automatic) == api_version::v1);
    CHECK(*modelarts::resolve_api_version("3faf5c03-aaa1-4cbe-879d-24b05d997347", api_version::automatic) == api_version::v2);
    CHECK(*modelarts::resolve_api_version("182626", api_version::v1) == api_version::v1);
    CHECK(modelarts::resolve_api_version("182626", api_version::v2).error() == error::job_id_api_mismatch);
    CHECK(modelarts::resolve_api_version("3faf5c03-aaa1-4cbe-879d-24b05d997347", api_version::v1).error()
          == error::job_id_api_mismatch);
    CHECK(modelarts::resolve_api_version("job-1", api_version::automatic).error() == error::invalid_job_id);
}

TEST_CASE("a project id is 1 to 64 characters of [A-Za-z0-9-]")
{
    CHECK(modelarts::validate_project_id("0123456789abcdef0123456789abcdef"));
    CHECK(modelarts::validate_project_id("a"));
    CHECK(modelarts::validate_project_id("Project-1"));
    CHECK(modelarts::validate_project_id(repeat("a", 64)));
    for (const std::string& bad : {std::string(), repeat("a", 65), std::string("a_b"), std::string("a/b"),
                                   std::string("a b"), std::string("a%2F"), std::string("..")}) {
        CAPTURE(bad);
        CHECK(modelarts::validate_project_id(bad).error() == error::invalid_project_id);
    }
}

TEST_CASE("a token must fit in a header")
{
    CHECK(modelarts::validate_token("MIIEXAYJKoZIhvcNAQcCoIIETTCCBEkCAQExDTAL+/="));
    for (std::string bad : {"", "a b", "a\r\nX-Evil: 1", "a\n", "tab\there", "caf\xC3\xA9"}) {
        CAPTURE(bad);
        CHECK(modelarts::validate_token(bad).error() == error::invalid_token);
    }
}

TEST_CASE("an endpoint is http(s)://host[:port] and nothing more")
{
    auto ep = modelarts::parse_endpoint("https://modelarts.cn-north-4.myhuaweicloud.com");
    REQUIRE(ep);
    CHECK(ep->scheme == "https");
    CHECK(ep->host == "modelarts.cn-north-4.myhuaweicloud.com");
    CHECK(ep->port == 443);
    CHECK(ep->host_header() == "modelarts.cn-north-4.myhuaweicloud.com");

    ep = modelarts::parse_endpoint("HTTP://127.0.0.1:8080/");
    REQUIRE(ep);
    CHECK(ep->scheme == "http");
    CHECK(ep->port == 8080);
    CHECK(ep->host_header() == "127.0.0.1:8080");
    CHECK(ep->url() == "http://127.0.0.1:8080");

    ep = modelarts::parse_endpoint("http://[::1]:9000");
    REQUIRE(ep);
    CHECK(ep->host == "[::1]");
    CHECK(ep->host_header() == "[::1]:9000");

    CHECK(modelarts::parse_endpoint("https://example.com:443")->host_header() == "example.com");

    for (std::string bad : {"", "modelarts.cn-north-4.myhuaweicloud.com", "ftp://example.com", "https://",
                            "https:///", "https://example.com/v1", "https://example.com//", "https://example.com?x=1",
                            "https://example.com#frag", "https://user@example.com", "https://user:pw@example.com",
                            "https://example.com:", "https://example.com:0", "https://example.com:65536",
                            "https://example.com:-1", "https://example.com:+80", "https://exa mple.com",
                            "https://example.com:80:80", "https://[::1", "https://[zz]", "https://[::1]x",
                            "https://ex%61mple.com", "https://.example.com", "https://-example.com",
                            "https://example.com\r\nX: y"}) {
        CAPTURE(bad);
        CHECK(modelarts::parse_endpoint(bad).error() == error::invalid_endpoint);
    }
}
