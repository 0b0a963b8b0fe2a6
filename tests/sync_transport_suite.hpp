// The end-to-end checks every sync transport passes against the emulator over loopback.
// A test file defines `make(options)` for its transport and calls these from its test cases.
#ifndef MODELARTS_TESTS_SYNC_TRANSPORT_SUITE_HPP
#define MODELARTS_TESTS_SYNC_TRANSPORT_SUITE_HPP

#include "net_support.hpp"
#include "support.hpp"

#include "modelarts/modelarts.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <string>

namespace sync_transport_suite {

using namespace modelarts;
using net_support::start_emulator;

// One try per call: the suite is of the transport, not of the retry policy.
template <class Transport>
session<Transport> make_session(Transport t, const std::string& endpoint, std::string token = "tok")
{
    return test_support::session_of(std::move(t), {.endpoint = endpoint,
                                                   .project_id = "0123456789abcdef0123456789abcdef",
                                                   .auth = token_credentials{std::move(token)},
                                                   .retry = test_support::no_retries()});
}

inline std::string stored(testing::emulator_server& server, const char* job)
{
    return server.with_emulator([&](testing::emulator& em) { return em.description(job).value_or("(none)"); });
}

/** The SDK's three ways over real HTTP, on one kept-alive connection. */
template <class Transport>
void three_ways(Transport transport, bool https)
{
    auto server = start_emulator(https);
    auto s = make_session(std::move(transport), server->endpoint());
    estimator est{s, "182626"};

    diagnostics diag;
    auto r = est.update_job_description("over HTTP", &diag);
    REQUIRE(r.has_value());
    CHECK(r->is_success);
    CHECK(diag.http_status == 200);
    CHECK(diag.request_id.size() == 32);  // response headers come through
    CHECK(stored(*server, "182626") == "over HTTP");

    REQUIRE(training_job{s, "182626"}.update_job_description("through the job")->is_success);
    CHECK(stored(*server, "182626") == "through the job");

    auto list = est.get_job_version_object_list();
    REQUIRE(list.has_value());
    REQUIRE(list->size() == 2);
    REQUIRE((*list)[0].update_job_description("through a version \xE4\xB8\xAD")->is_success);
    CHECK(stored(*server, "182626") == "through a version \xE4\xB8\xAD");

    REQUIRE(estimator{s, "3faf5c03-aaa1-4cbe-879d-24b05d997347"}.update_job_description("v2")->is_success);
    CHECK(stored(*server, "3faf5c03-aaa1-4cbe-879d-24b05d997347") == "v2");

    CHECK(server->connections_accepted() == 1);  // keep-alive: five calls, one connection
}

/** 4xx answers are responses, handed to the library, never transport errors. */
template <class Transport>
void failures_are_answers(Transport transport)
{
    auto server = start_emulator();
    auto s = make_session(std::move(transport), server->endpoint(), "wrong");
    diagnostics diag;
    auto r = estimator{s, "182626"}.update_job_description("x", &diag);
    REQUIRE(r.has_value());
    CHECK_FALSE(r->is_success);
    CHECK(diag.http_status == 401);
    CHECK(r->error_code == "APIGW.0301");

    auto ok = make_session(std::move(s.transport()), server->endpoint());  // the same connection, a good token
    r = estimator{ok, "999"}.update_job_description("x", &diag);
    REQUIRE(r.has_value());
    CHECK(diag.http_status == 400);
    CHECK(r->error_code == "ModelArts.2775");
    CHECK_FALSE(r->error_msg.empty());
}

/** Peer and host verification are on: an unknown CA, or a name the certificate does not hold, fail. */
template <class Transport, class Make>
void tls_is_verified(Make make)
{
    auto server = start_emulator(true);
    auto trusted = make_session(make(net_support::ca_file(), std::chrono::seconds(10)), server->endpoint());
    REQUIRE(estimator{trusted, "182626"}.update_job_description("tls")->is_success);

    auto untrusted = make_session(make(std::string(), std::chrono::seconds(10)), server->endpoint());
    auto r = estimator{untrusted, "182626"}.update_job_description("x");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error() == error::tls_failure);

    // The certificate names 127.0.0.1 only, so "localhost" must not be accepted.
    auto wrong_name = make_session(make(net_support::ca_file(), std::chrono::seconds(10)),
                                   "https://localhost:" + std::to_string(server->port()));
    r = estimator{wrong_name, "182626"}.update_job_description("x");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error() == error::tls_failure);
    CHECK(stored(*server, "182626") == "tls");
}

/** Refused, timed out and reset exchanges each have their own error. */
template <class Transport, class Make>
void transport_failures(Make make)
{
    auto refused = make_session(make(std::string(), std::chrono::seconds(5)),
                                "http://127.0.0.1:" + std::to_string(net_support::closed_port()));
    auto r = estimator{refused, "182626"}.update_job_description("x");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error() == error::connection_refused);
    CHECK(r.error() == condition::transport);

    net_support::silent_listener silent;
    auto slow = make_session(make(std::string(), std::chrono::milliseconds(300)), silent.url());
    const auto start = std::chrono::steady_clock::now();
    r = estimator{slow, "182626"}.update_job_description("x");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error() == error::timeout);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));

    // The timeout is the whole exchange's: an answer trickled a byte at a time, each read in time,
    // is cut off at it.
    net_support::trickle_server trickle;
    auto trickled = make_session(make(std::string(), std::chrono::milliseconds(400)), trickle.url());
    const auto trickle_start = std::chrono::steady_clock::now();
    r = estimator{trickled, "182626"}.update_job_description("x");
    const auto trickle_took = std::chrono::steady_clock::now() - trickle_start;
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error() == error::timeout);
    CHECK(trickle_took >= std::chrono::milliseconds(390));  // libcurl's timer ticks in whole milliseconds, and may end one early
    CHECK(trickle_took < std::chrono::seconds(2));

    net_support::full_listener full;
    auto unanswered = make_session(make(std::string(), std::chrono::milliseconds(300)), full.url());
    const auto connect_start = std::chrono::steady_clock::now();
    r = estimator{unanswered, "182626"}.update_job_description("x");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error() == error::timeout);
    CHECK(std::chrono::steady_clock::now() - connect_start < std::chrono::seconds(2));

    net_support::hangup_server hangup;
    auto reset = make_session(make(std::string(), std::chrono::seconds(5)), hangup.url());
    r = estimator{reset, "182626"}.update_job_description("x");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error() == error::connection_reset);
}

/**
 * Answers over the transport's limits are `response_too_large` (a bad response), and the
 * transport stops reading: a 64 MiB body is never read whole. `make(limits)` makes a transport.
 */
template <class Make>
void answers_are_bounded(Make make)
{
    using net_support::canned_server;
    const std::string ok_body = R"({"is_success":true})";
    auto update = [&](const response_limits& limits, const std::string& url) {
        return estimator{make_session(make(limits), url), "182626"}.update_job_description("x");
    };

    canned_server huge(canned_server::answer(200, "", ok_body + std::string(64 << 20, ' ')));
    auto r = update({}, huge.url());
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error() == error::response_too_large);
    CHECK(r.error() == condition::bad_response);
    CHECK(huge.cut_short() == 1);

    std::string many;
    for (int i = 0; i < 10000; ++i) many += "X-Filler-" + std::to_string(i) + ": y\r\n";
    canned_server crowded(canned_server::answer(200, many, ok_body));
    r = update({}, crowded.url());
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error() == error::response_too_large);

    std::string wide;
    for (int i = 0; i < 5; ++i) wide += "X-Wide-" + std::to_string(i) + ": " + std::string(4000, 'w') + "\r\n";
    canned_server heavy(canned_server::answer(200, wide, ok_body));
    r = update({}, heavy.url());
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error() == error::response_too_large);

    // The limits are exact, and configurable: a body of the limit passes, one byte more does not.
    canned_server exact(canned_server::answer(200, "", ok_body));
    r = update({.max_body_bytes = ok_body.size()}, exact.url());
    REQUIRE(r.has_value());
    CHECK(r->is_success);
    r = update({.max_body_bytes = ok_body.size() - 1}, exact.url());
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error() == error::response_too_large);
    r = update({.max_header_count = 1}, exact.url());  // it sends Content-Type and Content-Length
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error() == error::response_too_large);
    r = update({.max_header_count = 2}, exact.url());
    CHECK(r.has_value());
}

} // namespace sync_transport_suite

#endif
