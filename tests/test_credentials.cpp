#include "modelarts/credentials.hpp"

#include <doctest/doctest.h>

using namespace modelarts;

namespace {
const auto some_time = std::chrono::sys_days{std::chrono::year{2026} / 11 / 29};
}

TEST_CASE("a token is sent as X-Auth-Token")
{
    http_request req;
    REQUIRE(apply_credentials(req, token_credentials{"MIIE-token"}, some_time));
    CHECK(req.headers.get("X-Auth-Token") == "MIIE-token");
    CHECK(req.headers.size() == 1);
}

TEST_CASE("no credentials add no header")
{
    http_request req;
    REQUIRE(apply_credentials(req, no_credentials{}, some_time));
    CHECK(req.headers.empty());
}

TEST_CASE("apply_credentials checks first, and leaves the request alone when it refuses")
{
    http_request req;
    CHECK(apply_credentials(req, token_credentials{"a\r\nX-Evil: 1"}, some_time).error() == error::invalid_token);
    CHECK(apply_credentials(req, aksk_credentials{"AK=", "SK"}, some_time).error() == error::invalid_access_key);
    // Password credentials become a token through IAM first: a session does that, by itself.
    CHECK(apply_credentials(req, password_credentials{"u", "p", "", "https://iam.example.com"}, some_time).error()
          == error::login_required);
    CHECK(req.headers.empty());
}

TEST_CASE("credentials are checked before use")
{
    CHECK(validate_credentials(no_credentials{}));
    CHECK(validate_credentials(token_credentials{"abc"}));
    CHECK(validate_credentials(token_credentials{""}).error() == error::invalid_token);
    CHECK(validate_credentials(token_credentials{"a\nb"}).error() == error::invalid_token);
    CHECK(validate_credentials(aksk_credentials{"QTWAOYTTINDUT2QVKYUC", "sk"}));
    CHECK(validate_credentials(aksk_credentials{"Signature=", "sk"}).error() == error::invalid_access_key);
}
