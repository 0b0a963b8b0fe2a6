#include "modelarts/asio.hpp"

#include "modelarts/estimator.hpp"
#include "modelarts/testing/emulator.hpp"

#include <doctest/doctest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <optional>
#include <thread>

using namespace modelarts;
using modelarts::testing::emulator;
namespace asio = boost::asio;

namespace {

// An Asio-based async transport over the emulator: answers are posted to its executor, as a
// network transport's would be.
class asio_emulator_transport {
public:
    using executor_type = asio::any_io_executor;
    asio_emulator_transport(executor_type ex, emulator& em) : ex_(std::move(ex)), em_(&em) {}
    executor_type get_executor() const { return ex_; }

    template <class Token>
    auto async_send(http_request req, Token&& token)
    {
        return asio::async_initiate<Token, void(boost::system::error_code, http_response)>(
            [this](auto handler, http_request req) {
                asio::post(ex_, [h = std::move(handler), res = em_->handle(req)]() mutable {
                    std::move(h)(boost::system::error_code{}, std::move(res));
                });
            },
            token, std::move(req));
    }

private:
    executor_type ex_;
    emulator* em_;
};

struct fixture {
    asio::io_context io;
    emulator em;
    session<asio_emulator_transport> s{asio_emulator_transport{io.get_executor(), em},
                                       {.endpoint = em.endpoint(), .project_id = em.project_id()}};
};

} // namespace

TEST_CASE_FIXTURE(fixture, "use_awaitable: co_await the three ways; results, never exceptions")
{
    bool finished = false;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            estimator est{s, "182626"};
            result<update_result> r = co_await est.async_update_job_description("coroutine", asio::use_awaitable);
            REQUIRE(r.has_value());
            CHECK(r->is_success);

            r = co_await training_job{s, "182626"}.async_update_job_description("job", asio::use_awaitable);
            CHECK(r->is_success);

            auto list = co_await est.async_get_job_version_object_list(asio::use_awaitable);
            REQUIRE(list.has_value());
            REQUIRE(list->size() == 2);
            r = co_await (*list)[1].async_update_job_description("version", asio::use_awaitable);
            CHECK(r->is_success);

            // Refused input: the error comes back as a value, nothing is thrown or sent.
            r = co_await est.async_update_job_description(std::string(300, 'x'), asio::use_awaitable);
            CHECK(r.error() == error::description_too_long);

            auto [t] = co_await est.async_update_job_description("tuple", asio::as_tuple(asio::use_awaitable));
            CHECK(t->is_success);
            finished = true;
        },
        asio::detached);
    io.run();
    CHECK(finished);
    CHECK(em.description("182626") == "tuple");
    CHECK(em.requests().size() == 5);  // three updates, the list, the tuple update; not the refused one
}

TEST_CASE_FIXTURE(fixture, "use_future: wait from another thread")
{
    auto guard = asio::make_work_guard(io);
    std::thread runner([&] { io.run(); });
    std::future<result<update_result>> f =
        estimator{s, "182626"}.async_update_job_description("future", asio::use_future);
    result<update_result> r = f.get();
    guard.reset();
    runner.join();
    REQUIRE(r.has_value());
    CHECK(r->is_success);
    CHECK(em.description("182626") == "future");
}

TEST_CASE_FIXTURE(fixture, "a callback completes on the transport's executor, never inside the call")
{
    std::optional<result<update_result>> got;
    estimator{s, "182626"}.async_update_job_description("cb", [&](result<update_result> r) { got = r; });
    estimator est{s, "182626"};
    std::optional<result<update_result>> refused;
    est.async_update_job_description("\xFF", [&](result<update_result> r) { refused = r; });
    CHECK_FALSE(got);
    CHECK_FALSE(refused);  // even refused input completes later, through the executor
    io.run();
    REQUIRE(got);
    CHECK((*got)->is_success);
    REQUIRE(refused);
    CHECK(refused->error() == error::description_not_utf8);
}

TEST_CASE_FIXTURE(fixture, "a handler bound to an executor runs there")
{
    auto strand = asio::make_strand(io);
    bool on_strand = false;
    estimator{s, "182626"}.async_update_job_description(
        "bound", asio::bind_executor(strand, [&](result<update_result> r) {
            on_strand = strand.running_in_this_thread() && r && r->is_success;
        }));
    io.run();
    CHECK(on_strand);
}
