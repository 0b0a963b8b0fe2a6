#include "modelarts/transports/httplib.hpp"

#include "sync_transport_suite.hpp"

using modelarts::httplib_transport;
using modelarts::transport_options;

namespace {

httplib_transport make(const std::string& ca_file, std::chrono::milliseconds timeout)
{
    return httplib_transport{transport_options{.timeout = timeout, .connect_timeout = timeout, .ca_file = ca_file}};
}

} // namespace

TEST_CASE("httplib_transport is a sync_transport")
{
    static_assert(modelarts::sync_transport<httplib_transport>);
    CHECK(modelarts::sync_transport<httplib_transport>);
}

TEST_CASE("cpp-httplib: the three ways over http, one kept-alive connection")
{
    sync_transport_suite::three_ways(httplib_transport{}, false);
}

TEST_CASE("cpp-httplib: the three ways over https")
{
    sync_transport_suite::three_ways(make(net_support::ca_file(), std::chrono::seconds(10)), true);
}

TEST_CASE("cpp-httplib: service and gateway failures are answers, not transport errors")
{
    sync_transport_suite::failures_are_answers(httplib_transport{});
}

TEST_CASE("cpp-httplib: TLS peer and host verification are always on")
{
    sync_transport_suite::tls_is_verified<httplib_transport>(make);
}

TEST_CASE("cpp-httplib: answers over the limits are refused, and not read whole")
{
    sync_transport_suite::answers_are_bounded([](const modelarts::response_limits& l) {
        return modelarts::httplib_transport{{.limits = l}};
    });
}

TEST_CASE("cpp-httplib: refused, timed out and reset exchanges are told apart")
{
    sync_transport_suite::transport_failures<httplib_transport>(make);
}
