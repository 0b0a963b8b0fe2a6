#include "modelarts/credentials.hpp"

#include <doctest/doctest.h>

using namespace modelarts;

TEST_CASE("a token is sent as X-Auth-Token")
{
    http_request req;
    apply_credentials(req, token_credentials{"MIIE-token"});
    CHECK(req.headers.get("X-Auth-Token") == "MIIE-token");
    CHECK(req.headers.size() == 1);
}

TEST_CASE("no credentials add no header")
{
    http_request req;
    apply_credentials(req, no_credentials{});
    CHECK(req.headers.empty());
}

TEST_CASE("credentials are checked before use")
{
    CHECK(validate_credentials(no_credentials{}));
    CHECK(validate_credentials(token_credentials{"abc"}));
    CHECK(validate_credentials(token_credentials{""}).error() == error::invalid_token);
    CHECK(validate_credentials(token_credentials{"a\nb"}).error() == error::invalid_token);
}
