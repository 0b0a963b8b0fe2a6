#include "modelarts/any_transport.hpp"

#include "modelarts/estimator.hpp"
#include "modelarts/testing/emulator.hpp"

#include "support.hpp"

#include <doctest/doctest.h>

#include <string_view>

using namespace modelarts;
using modelarts::testing::emulator;
using modelarts::testing::in_process_transport;

// Defined in any_transport_unit.cpp, a translation unit of its own.
result<update_result> stamp(const estimator<any_transport>& est, std::string_view text);

namespace {

struct timed_recorder {
    std::chrono::milliseconds* seen;
    result<http_response> send(const http_request&) { return http_response{200, {}, R"({"is_success":true})"}; }
    result<http_response> send(const http_request& req, std::chrono::milliseconds timeout)
    {
        *seen = timeout;
        return send(req);
    }
};

} // namespace

TEST_CASE("any_transport makes session and estimator concrete types that plain functions take")
{
    static_assert(sync_transport<any_transport>);
    static_assert(timed_sync_transport<any_transport>);
    emulator em;
    auto s = test_support::session_of(any_transport{in_process_transport{em}}, {.endpoint = em.endpoint(), .project_id = em.project_id()});
    estimator<any_transport> est{s, "182626"};
    auto r = stamp(est, "from another translation unit");
    REQUIRE(r);
    CHECK(r->is_success);
    CHECK(em.description("182626") == "from another translation unit");
    CHECK(s.transport().target<in_process_transport>() != nullptr);
    CHECK(s.transport().target<timed_recorder>() == nullptr);
}

TEST_CASE("any_transport forwards the call's remaining time to a transport that takes a timeout")
{
    std::chrono::milliseconds seen{0};
    auto s = test_support::session_of(any_transport{timed_recorder{&seen}},
                                      {.endpoint = "https://h", .project_id = "p", .retry = {.timeout = std::chrono::seconds(7)}});
    REQUIRE(estimator{s, "1"}.update_job_description("d")->is_success);
    CHECK(seen > std::chrono::milliseconds(6900));
    CHECK(seen <= std::chrono::milliseconds(7000));
}
