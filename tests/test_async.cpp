#include "modelarts/estimator.hpp"

#include "modelarts/testing/emulator.hpp"

#include "support.hpp"

#include <doctest/doctest.h>

#include <deque>
#include <functional>
#include <optional>

using namespace modelarts;
using modelarts::testing::emulator;

namespace {

// An async transport with no Asio: exchanges wait in a queue until the test runs them, as an
// event loop would.
class queued_transport {
public:
    explicit queued_transport(emulator& em) : em_(&em) {}

    template <class Handler>
    void async_send(http_request req, Handler handler)
    {
        queue_.push_back([em = em_, req = std::move(req), h = std::move(handler)]() mutable {
            h(boost::system::error_code{}, em->handle(req));
        });
    }

    // Runs queued exchanges (and any they start) until none is left; returns how many ran.
    int run()
    {
        int n = 0;
        while (!queue_.empty()) {
            auto job = std::move(queue_.front());
            queue_.pop_front();
            job();
            ++n;
        }
        return n;
    }

private:
    emulator* em_;
    std::deque<std::function<void()>> queue_;
};

struct failing_transport {
    template <class Handler>
    void async_send(http_request, Handler h) { h(make_error_code(error::connection_reset), http_response{}); }
};

struct fixture {
    emulator em{{.token = "tok"}};
    session<queued_transport> s = test_support::session_of(
        queued_transport{em}, {.endpoint = em.endpoint(), .project_id = em.project_id(), .auth = token_credentials{"tok"}});
};

} // namespace

TEST_CASE("async_transport: async_send(http_request, handler) calling handler(error_code, http_response)")
{
    static_assert(async_transport<queued_transport>);
    static_assert(!sync_transport<queued_transport>);
    static_assert(!async_transport<testing::in_process_transport>);
    static_assert(!async_transport<int>);
    CHECK(async_transport<queued_transport>);
}

TEST_CASE_FIXTURE(fixture, "the three ways have async twins that complete once, from the transport")
{
    estimator est{s, "182626"};
    int calls = 0;
    est.async_update_job_description("async one", [&](result<update_result> r) {
        ++calls;
        REQUIRE(r.has_value());
        CHECK(r->is_success);
    });
    CHECK(calls == 0);  // nothing happens until the transport runs
    CHECK(s.transport().run() == 1);
    CHECK(calls == 1);
    CHECK(em.description("182626") == "async one");

    training_job job{s, "182626", 1108482};
    job.async_update_job_description("async two", [&](result<update_result> r) { calls += r && r->is_success; });
    s.transport().run();
    CHECK(calls == 2);
    CHECK(em.description("182626") == "async two");

    std::optional<result<job_version_object_list<queued_transport>>> list;
    est.async_get_job_version_object_list([&](result<job_version_object_list<queued_transport>> r) { list = std::move(r); });
    s.transport().run();
    REQUIRE(list);
    REQUIRE(list->has_value());
    REQUIRE((*list)->size() == 2);
    CHECK((**list)[1].version_name() == "V0002");
    (**list)[0].async_update_job_description("async three", [&](result<update_result> r) { calls += r && r->is_success; });
    s.transport().run();
    CHECK(calls == 3);
    CHECK(em.description("182626") == "async three");
}

TEST_CASE_FIXTURE(fixture, "async and sync ways send byte-identical requests")
{
    em.clear_requests();
    estimator{s, "182626"}.async_update_job_description("same", [](result<update_result>) {});
    training_job{s, "182626"}.async_update_job_description("same", [](result<update_result>) {});
    s.transport().run();
    emulator other{{.token = "tok"}};
    auto sync = test_support::session_of(testing::in_process_transport{other},
                                         {.endpoint = em.endpoint(), .project_id = em.project_id(), .auth = token_credentials{"tok"}});
    REQUIRE(estimator{sync, "182626"}.update_job_description("same").has_value());
    REQUIRE(em.requests().size() == 2);
    CHECK(em.requests()[0] == em.requests()[1]);
    CHECK(em.requests()[0] == other.requests().at(0));
}

TEST_CASE_FIXTURE(fixture, "refused input completes at once with its error, and nothing is queued")
{
    std::optional<result<update_result>> got;
    estimator{s, "182626"}.async_update_job_description(std::string(257, 'x'), [&](result<update_result> r) { got = r; });
    REQUIRE(got);
    CHECK(got->error() == error::description_too_long);
    CHECK(s.transport().run() == 0);

    got.reset();
    estimator{s, "x"}.async_update_job_description("d", [&](result<update_result> r) { got = r; });
    CHECK(got->error() == error::invalid_job_id);

    std::optional<boost::system::error_code> list_error;
    estimator{s, std::string(emulator::sample_v2_job_id)}.async_get_job_version_object_list(
        [&](result<job_version_object_list<queued_transport>> r) { list_error = r.error(); });
    CHECK(list_error == error::versions_need_v1_job);
    CHECK(em.requests().empty());
}

TEST_CASE_FIXTURE(fixture, "service failures and transport errors arrive as with the sync calls")
{
    std::optional<result<update_result>> got;
    estimator{s, "999"}.async_update_job_description("d", [&](result<update_result> r) { got = r; });
    s.transport().run();
    REQUIRE(got->has_value());
    CHECK_FALSE((*got)->is_success);
    CHECK((*got)->error_code == "ModelArts.2775");

    auto f = test_support::session_of(failing_transport{}, {.endpoint = "https://h", .project_id = "p"});
    got.reset();
    estimator{f, "1"}.async_update_job_description("d", [&](result<update_result> r) { got = r; });
    CHECK(got->error() == error::connection_reset);
}

TEST_CASE("without Asio, the token must be a callback taking the result")
{
    // The compile-time refusals are in compile_fail/; here, the rule that tells a callback.
    auto callback = [](result<update_result>) {};
    auto returns_value = [](result<update_result>) { return 1; };
    CHECK(detail::is_plain_callback<decltype(callback), void(result<update_result>)>::value);
    CHECK_FALSE(detail::is_plain_callback<decltype(returns_value), void(result<update_result>)>::value);
    CHECK_FALSE(detail::is_plain_callback<int, void(result<update_result>)>::value);
}
