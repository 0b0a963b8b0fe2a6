#include "modelarts/transport.hpp"

#include "modelarts/estimator.hpp"

#include "support.hpp"

#include <doctest/doctest.h>

#include <boost/system/errc.hpp>

#include <vector>

using namespace modelarts;
using test_support::canned_transport;

namespace {

struct refused_transport {
    result<http_response> send(const http_request&)
    {
        return boost::system::errc::make_error_code(boost::system::errc::connection_refused);
    }
};

// Things that are not transports, each missing something different.
struct no_send {};
struct wrong_argument {
    result<http_response> send(int);
};
struct wrong_return {
    http_response send(const http_request&);
};
struct non_const_argument {
    result<http_response> send(http_request&);
};

} // namespace

TEST_CASE("sync_transport: a member send(const http_request&) returning result<http_response>")
{
    static_assert(sync_transport<canned_transport>);
    static_assert(sync_transport<refused_transport>);
    static_assert(!sync_transport<no_send>);
    static_assert(!sync_transport<wrong_argument>);
    static_assert(!sync_transport<wrong_return>);
    static_assert(!sync_transport<non_const_argument>);
    static_assert(!sync_transport<int>);
    CHECK(sync_transport<canned_transport>);
}

TEST_CASE("a transport failure comes back as the transport's error, apart from service failures")
{
    auto s = test_support::session_of(refused_transport{}, {.endpoint = "https://example.com", .project_id = "p",
                                                            .retry = test_support::no_retries()});
    auto r = estimator{s, "1"}.update_job_description("x");
    REQUIRE_FALSE(r);
    CHECK(r.error() == boost::system::errc::connection_refused);
    CHECK(r.error() != condition::bad_response);
}
