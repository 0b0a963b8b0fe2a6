#include "modelarts/session.hpp"

#include "support.hpp"

#include <doctest/doctest.h>

#include <vector>

using namespace modelarts;
using test_support::canned_transport;

namespace {

session<canned_transport> make_session(credentials auth)
{
    return {canned_transport{http_response{200, {}, R"({"is_success":true})"}},
            {.endpoint = "https://example.com", .project_id = "p", .auth = std::move(auth)}};
}

} // namespace

TEST_CASE("a session keeps the endpoint and project every request is built for")
{
    auto s = make_session(no_credentials{});
    CHECK(s.config().endpoint == "https://example.com");
    CHECK(s.config().project_id == "p");
}

TEST_CASE("send adds the credentials to the request exactly as built, and nothing else")
{
    auto s = make_session(token_credentials{"tok"});
    auto req = make_update_job_description_request(s.config(), "7", "d");
    REQUIRE(req.has_value());
    auto res = s.send(*req);
    REQUIRE(res.has_value());
    CHECK(res->status == 200);
    REQUIRE(s.transport().sent.size() == 1);
    auto expected = *req;
    expected.headers.set("X-Auth-Token", "tok");
    CHECK(s.transport().sent[0] == expected);
}

TEST_CASE("without credentials the request goes out as built")
{
    auto s = make_session(no_credentials{});
    auto req = make_list_job_versions_request(s.config(), "7");
    REQUIRE(req.has_value());
    REQUIRE(s.send(*req).has_value());
    CHECK(s.transport().sent.at(0) == *req);
}

TEST_CASE("bad credentials are refused before the transport is called")
{
    auto s = make_session(token_credentials{"a\r\nX-Evil: 1"});
    auto req = make_update_job_description_request(s.config(), "7", "d");
    REQUIRE(req.has_value());
    CHECK(s.send(*req).error() == error::invalid_token);
    CHECK(detail::update_job_description(s, "7", api_version::automatic, "d", nullptr).error() == error::invalid_token);
    CHECK(s.transport().sent.empty());
}
