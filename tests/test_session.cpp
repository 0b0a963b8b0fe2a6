#include "modelarts/session.hpp"

#include "modelarts/estimator.hpp"
#include "modelarts/testing/emulator.hpp"

#include "support.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <vector>

using namespace modelarts;
using modelarts::testing::emulator;
using modelarts::testing::in_process_transport;
using test_support::canned_transport;

namespace {

const http_response ok{200, {}, R"({"is_success":true})"};

result<session<canned_transport>> make(session_options options)
{
    return make_session(canned_transport{ok}, std::move(options));
}

} // namespace

TEST_CASE("make_session checks the configuration once and keeps the parsed endpoint")
{
    auto s = make({.endpoint = "HTTPS://Example.com:8443/", .project_id = "p-1"});
    REQUIRE(s.has_value());
    CHECK(s->location().destination() == endpoint{"https", "Example.com", 8443});
    CHECK(s->location().project_id() == "p-1");
}

TEST_CASE("a bad setting is reported by make_session, not at the first call")
{
    CHECK(make({.endpoint = "modelarts.example.com", .project_id = "p"}).error() == error::invalid_endpoint);
    CHECK(make({.endpoint = "https://h", .project_id = "p/q"}).error() == error::invalid_project_id);
    CHECK(make({.endpoint = "https://h", .project_id = ""}).error() == error::invalid_project_id);
    CHECK(make({.endpoint = "https://h", .project_id = "p", .auth = token_credentials{"a\r\nX-Evil: 1"}}).error()
          == error::invalid_token);
    CHECK(make({.endpoint = "https://h", .project_id = "p", .auth = password_credentials{"u", "pw", "", "iam"}}).error()
          == error::invalid_endpoint);
    CHECK(make({.endpoint = "https://h", .project_id = "p", .retry = {.max_attempts = 0}}).error() == error::invalid_retry_policy);
    CHECK(make({.endpoint = "https://h", .project_id = "p", .retry = {.multiplier = 0.5}}).error() == error::invalid_retry_policy);
    CHECK(make({.endpoint = "https://h", .project_id = "p", .retry = {.timeout = std::chrono::milliseconds(-1)}}).error()
          == error::invalid_retry_policy);
    CHECK(make_error_code(error::invalid_retry_policy).message().find("max_attempts must be at least 1") != std::string::npos);
}

TEST_CASE("a call sends the request exactly as built, with the credentials added and nothing else")
{
    auto s = make({.endpoint = "https://example.com", .project_id = "p", .auth = token_credentials{"tok"}});
    REQUIRE(s.has_value());
    REQUIRE(estimator{*s, "7"}.update_job_description("d").has_value());
    auto expected = make_update_job_description_request(s->location(), "7", "d");
    REQUIRE(expected.has_value());
    expected->headers.set("X-Auth-Token", "tok");
    REQUIRE(s->transport().sent.size() == 1);
    CHECK(s->transport().sent[0] == *expected);
}

TEST_CASE("copies of a session share one state: transport, token cache and all")
{
    auto s = make({.endpoint = "https://example.com", .project_id = "p"});
    REQUIRE(s.has_value());
    session<canned_transport> copy = *s;
    CHECK(copy == *s);
    CHECK(&copy.transport() == &s->transport());
    REQUIRE(estimator{copy, "7"}.update_job_description("d").has_value());
    CHECK(s->transport().sent.size() == 1);
}

TEST_CASE("objects stay valid when their session is moved into a reallocating vector and the original is gone")
{
    emulator em;
    std::optional<estimator<in_process_transport>> est;
    std::vector<session<in_process_transport>> sessions;
    {
        auto s = test_support::session_of(in_process_transport{em}, {.endpoint = em.endpoint(), .project_id = em.project_id()});
        est.emplace(s, "182626");
        auto list = est->get_job_version_object_list();
        REQUIRE(list.has_value());
        auto version = (*list)[1];
        sessions.push_back(std::move(s));
        for (int i = 0; i < 100; ++i)  // reallocates several times
            sessions.push_back(test_support::session_of(in_process_transport{em}, {.endpoint = em.endpoint(), .project_id = em.project_id()}));
        REQUIRE(version.update_job_description("through a version that outlived its session's variable")->is_success);
    }  // `s` is gone; the vector moved its copy around
    sessions.clear();  // and now every other handle is gone too
    auto r = est->update_job_description("through the estimator alone");
    REQUIRE(r.has_value());
    CHECK(r->is_success);
    CHECK(em.description("182626") == "through the estimator alone");
}
