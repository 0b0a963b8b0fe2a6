#include "modelarts/transports/curl.hpp"

#include "sync_transport_suite.hpp"

#include <cstdlib>

using modelarts::curl_transport;
using modelarts::transport_options;

namespace {

// A transport whose timeouts are all `timeout`, trusting `ca_file` (or the system's CAs).
curl_transport make(const std::string& ca_file, std::chrono::milliseconds timeout)
{
    return curl_transport{transport_options{.timeout = timeout, .connect_timeout = timeout, .ca_file = ca_file}};
}

} // namespace

TEST_CASE("curl_transport is a sync_transport")
{
    static_assert(modelarts::sync_transport<curl_transport>);
    CHECK(modelarts::sync_transport<curl_transport>);
}

TEST_CASE("curl: the three ways over http, one kept-alive connection")
{
    sync_transport_suite::three_ways(curl_transport{}, false);
}

TEST_CASE("curl: the three ways over https")
{
    sync_transport_suite::three_ways(make(net_support::ca_file(), std::chrono::seconds(10)), true);
}

TEST_CASE("curl: service and gateway failures are answers, not transport errors")
{
    sync_transport_suite::failures_are_answers(curl_transport{});
}

TEST_CASE("curl: TLS peer and host verification are always on")
{
    sync_transport_suite::tls_is_verified<curl_transport>(make);
}

TEST_CASE("curl: answers over the limits are refused, and not read whole")
{
    sync_transport_suite::answers_are_bounded([](const modelarts::response_limits& l) { return curl_transport{{.limits = l}}; });
}

TEST_CASE("curl: refused, timed out and reset exchanges are told apart")
{
    sync_transport_suite::transport_failures<curl_transport>(make);
}

TEST_CASE("curl: the second call reuses the first call's connection")
{
    auto server = net_support::start_emulator();
    auto s = sync_transport_suite::make_session(curl_transport{}, server->endpoint());
    REQUIRE(modelarts::estimator{s, "182626"}.update_job_description("one").has_value());
    CHECK(s.transport().connections_opened() == 1);
    REQUIRE(modelarts::estimator{s, "182626"}.update_job_description("two").has_value());
    CHECK(s.transport().connections_opened() == 1);
    CHECK(s.transport().handles() == 1);  // one call at a time: one handle
}

TEST_CASE("curl: the header list is kept while the headers stay the same, and rebuilt when they change")
{
    auto server = net_support::start_emulator();
    auto good = sync_transport_suite::make_session(curl_transport{}, server->endpoint());
    REQUIRE(modelarts::estimator{good, "182626"}.update_job_description("one")->is_success);
    REQUIRE(modelarts::estimator{good, "182626"}.update_job_description("two")->is_success);  // the same lines

    auto bad = sync_transport_suite::make_session(std::move(good.transport()), server->endpoint(), "wrong");
    modelarts::diagnostics diag;
    auto refused = modelarts::estimator{bad, "182626"}.update_job_description("three", &diag);
    REQUIRE(refused.has_value());
    CHECK(diag.http_status == 401);  // the new token went out, not the kept one

    auto again = sync_transport_suite::make_session(std::move(bad.transport()), server->endpoint());
    CHECK(modelarts::estimator{again, "182626"}.update_job_description("four")->is_success);
    auto list = modelarts::estimator{again, "182626"}.get_job_version_object_list();  // a GET: other lines
    REQUIRE(list.has_value());
    CHECK(list->size() == 2);
    CHECK(modelarts::estimator{again, "182626"}.update_job_description("five")->is_success);
    CHECK(sync_transport_suite::stored(*server, "182626") == "five");
    CHECK(server->connections_accepted() == 1);
}

TEST_CASE("curl: proxies come from the environment, as curl reads them")
{
    auto server = net_support::start_emulator();
    net_support::hangup_server proxy;  // a "proxy" that hangs up shows the request went to it
    ::setenv("http_proxy", proxy.url().c_str(), 1);
    ::setenv("no_proxy", "", 1);
    auto s = sync_transport_suite::make_session(make(std::string(), std::chrono::seconds(5)), server->endpoint());
    auto r = modelarts::estimator{s, "182626"}.update_job_description("via proxy");
    ::unsetenv("http_proxy");
    ::unsetenv("no_proxy");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error() == modelarts::error::connection_reset);
    CHECK(server->connections_accepted() == 0);
}
