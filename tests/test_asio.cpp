#include "modelarts/asio.hpp"

#include "modelarts/estimator.hpp"
#include "modelarts/testing/emulator.hpp"

#include "allocation_counter.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

#include <boost/asio/append.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_allocator.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/steady_timer.hpp>
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

// An Asio-based async transport over the emulator, through its fault plan: answers complete on
// the handler's executor (the transport's by default), as a network transport's would.
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
                auto x = em_->exchange(req);
                boost::system::error_code ec;
                if (x.how == testing::fault::reset || x.how == testing::fault::truncated_body) ec = error::connection_reset;
                // Posted to our executor; Asio then runs the handler on its own associated one.
                asio::post(ex_, asio::append(std::move(handler), ec, ec ? http_response{} : std::move(x.response)));
            },
            token, std::move(req));
    }

private:
    executor_type ex_;
    emulator* em_;
};

// Counts what it allocates: shows whose memory an operation used.
template <class T>
struct counting_allocator {
    using value_type = T;
    int* count;
    explicit counting_allocator(int* c) noexcept : count(c) {}
    template <class U>
    counting_allocator(const counting_allocator<U>& other) noexcept : count(other.count) {}
    T* allocate(std::size_t n)
    {
        ++*count;
        return std::allocator<T>().allocate(n);
    }
    void deallocate(T* p, std::size_t n) noexcept { std::allocator<T>().deallocate(p, n); }
    friend bool operator==(const counting_allocator& a, const counting_allocator& b) noexcept { return a.count == b.count; }
};

struct fixture {
    asio::io_context io;
    emulator em;
    session<asio_emulator_transport> s =
        test_support::session_of(asio_emulator_transport{io.get_executor(), em}, {.endpoint = em.endpoint(), .project_id = em.project_id()});
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

TEST_CASE("retries wait on an Asio timer, and the call completes once with its result")
{
    asio::io_context io;
    emulator em{{.faults = {.at = {{1, testing::fault::service_unavailable}, {2, testing::fault::reset}}}}};
    auto s = test_support::session_of(asio_emulator_transport{io.get_executor(), em},
                                      {.endpoint = em.endpoint(), .project_id = em.project_id(),
                                       .retry = {.initial_delay = std::chrono::milliseconds(20)}});
    int calls = 0;
    diagnostics diag;
    estimator{s, "182626"}.async_update_job_description("after two faults", [&](result<update_result> r) {
        ++calls;
        REQUIRE(r.has_value());
        CHECK(r->is_success);
        CHECK(diag.attempts == 3);  // filled before the handler runs
    }, &diag);
    io.run();
    CHECK(calls == 1);
    CHECK(diag.attempts == 3);
    CHECK(diag.last_failure == attempt_failure{make_error_code(error::connection_reset), 0});
    CHECK(em.description("182626") == "after two faults");
}

TEST_CASE("the handler's cancellation slot reaches the backoff timer: cancelling completes with operation_aborted")
{
    asio::io_context io;
    emulator em{{.faults = {.rate = 1.0, .kinds = {testing::fault::service_unavailable}}}};
    auto s = test_support::session_of(asio_emulator_transport{io.get_executor(), em},
                                      {.endpoint = em.endpoint(), .project_id = em.project_id(),
                                       .retry = {.initial_delay = std::chrono::seconds(10), .max_delay = std::chrono::seconds(10)},
                                       .random = [] { return ~std::uint64_t(0); }});  // waits of almost 10 s
    asio::cancellation_signal cancel;
    std::optional<result<update_result>> got;
    estimator{s, "182626"}.async_update_job_description(
        "x", asio::bind_cancellation_slot(cancel.slot(), [&](result<update_result> r) { got = std::move(r); }));
    asio::steady_timer soon(io, std::chrono::milliseconds(50));
    soon.async_wait([&](boost::system::error_code) { cancel.emit(asio::cancellation_type::terminal); });
    const auto start = std::chrono::steady_clock::now();
    io.run();  // returns only when nothing is pending: the backoff timer is gone too
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
    REQUIRE(got);
    CHECK(got->error() == asio::error::operation_aborted);
    CHECK(em.exchanges() == 1);
}

TEST_CASE("Asio's own transport errors are classified like the library's")
{
    CHECK(boost::system::error_code(asio::error::eof) == condition::transport);
    CHECK(boost::system::error_code(asio::error::host_not_found) == condition::transport);
    CHECK(boost::system::error_code(asio::error::connection_reset) == condition::transport);
    CHECK(boost::system::error_code(asio::error::operation_aborted) == condition::transport);
    CHECK(is_transient_error(asio::error::eof));
    CHECK(is_transient_error(asio::error::connection_refused));
    CHECK(is_transient_error(asio::error::timed_out));
    CHECK_FALSE(is_transient_error(asio::error::operation_aborted));  // cancelled: never retried
    CHECK_FALSE(is_transient_error(asio::error::host_not_found));
}

TEST_CASE("any_async_transport: a concrete session type, Asio tokens and all")
{
    asio::io_context io;
    emulator em;
    auto s = test_support::session_of(any_async_transport{asio_emulator_transport{io.get_executor(), em}},
                                      {.endpoint = em.endpoint(), .project_id = em.project_id()});
    static_assert(std::is_same_v<decltype(s), session<any_async_transport>>);
    bool finished = false;
    asio::co_spawn(io, [&]() -> asio::awaitable<void> {
        estimator<any_async_transport> est{s, "182626"};
        auto r = co_await est.async_update_job_description("erased", asio::use_awaitable);
        CHECK(r->is_success);
        diagnostics diag;
        auto list = co_await est.async_get_job_version_object_list(asio::use_awaitable, &diag);
        CHECK(list->size() == 2);
        CHECK(diag.http_status == 200);
        CHECK(diag.attempts == 1);
        finished = true;
    }, asio::detached);
    io.run();
    CHECK(finished);
    CHECK(em.description("182626") == "erased");
    CHECK(s.transport().target<asio_emulator_transport>() != nullptr);
}

TEST_CASE("any_async_transport: a handler's own allocator serves the exchange")
{
    asio::io_context io;
    emulator em;
    auto s = test_support::session_of(any_async_transport{asio_emulator_transport{io.get_executor(), em}},
                                      {.endpoint = em.endpoint(), .project_id = em.project_id()});
    int allocated = 0;
    std::optional<result<update_result>> got;
    estimator{s, "182626"}.async_update_job_description(
        "own allocator", asio::bind_allocator(counting_allocator<void>(&allocated), [&](result<update_result> r) { got = std::move(r); }));
    io.run();
    REQUIRE(got.has_value());
    CHECK((*got)->is_success);
    CHECK(allocated > 0);  // the erased handler and the transport's posted completion, at least
}

TEST_CASE("handler_relay: what erasing a handler would hide is found first")
{
    asio::io_context io;
    using detail::handler_relay;
    auto strand = asio::make_strand(io);
    std::vector<std::string> ran;
    auto note = [&](const char* who) { return [&ran, who](boost::system::error_code, http_response) { ran.push_back(who); }; };

    SUBCASE("a handler on the transport's executor is handed its result in place; one elsewhere gets it there")
    {
        auto here = handler_relay::erase(note("here"), io.get_executor());
        auto away = handler_relay::erase(asio::bind_executor(strand, note("strand")), io.get_executor());
        CHECK(here.in_place);
        CHECK_FALSE(away.in_place);
        here({}, {});
        away({}, {});
        CHECK(ran == std::vector<std::string>{"here"});  // the strand's runs when the context does
        io.run();
        CHECK(ran == std::vector<std::string>{"here", "strand"});
    }
    SUBCASE("a handler with the default allocator gets Asio's recycled memory, not operator new each time")
    {
        // As Asio's composed operations and coroutines declare, passing on their own handler's.
        auto relay = handler_relay::erase(asio::bind_allocator(std::allocator<void>(), note("default")), io.get_executor());
        std::allocator_traits<handler_relay::allocator_type>::rebind_alloc<std::byte> memory(relay.get_allocator());
        const std::size_t before = test_support::allocations;
        for (int i = 0; i < 3; ++i) memory.deallocate(memory.allocate(200), 200);
        CHECK(test_support::allocations - before <= 1);  // the first, at most; then the thread's cache
    }
    SUBCASE("a handler with an allocator of its own keeps it")
    {
        int allocated = 0;
        auto relay = handler_relay::erase(asio::bind_allocator(counting_allocator<void>(&allocated), note("own")), io.get_executor());
        CHECK(allocated == 1);  // the erased handler itself
        std::allocator_traits<handler_relay::allocator_type>::rebind_alloc<std::byte> memory(relay.get_allocator());
        memory.deallocate(memory.allocate(200), 200);
        CHECK(allocated == 2);
    }
}
