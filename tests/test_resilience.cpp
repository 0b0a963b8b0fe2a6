// Retries, deadlines and cancellation over real HTTP: the shipped curl (sync) and Beast (async)
// transports against the emulator's server with injected faults.

#include "net_support.hpp"
#include "support.hpp"
#include "modelarts/transports/beast.hpp"
#include "modelarts/transports/curl.hpp"

#include "modelarts/asio.hpp"
#include "modelarts/modelarts.hpp"

#include <doctest/doctest.h>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>

#include <chrono>
#include <iostream>
#include <map>
#include <memory>
#include <string>

using namespace modelarts;
using namespace std::chrono_literals;
using modelarts::beast_transport;
using modelarts::curl_transport;
using modelarts::testing::emulator_server;
using modelarts::testing::fault;
namespace asio = boost::asio;

namespace {

const std::string project = "0123456789abcdef0123456789abcdef";

std::unique_ptr<emulator_server> start(testing::fault_plan faults)
{
    emulator_server::options opts;
    opts.emulator.token = "tok";
    opts.emulator.keep_requests = false;
    opts.emulator.faults = std::move(faults);
    auto server = std::make_unique<emulator_server>(opts);
    server->start();
    return server;
}

session_options options(const emulator_server& server, retry_policy retry)
{
    return {.endpoint = server.endpoint(), .project_id = project, .auth = token_credentials{"tok"}, .retry = std::move(retry)};
}

std::string stored(emulator_server& server, const std::string& job = "182626")
{
    return server.with_emulator([&](testing::emulator& em) { return em.description(job).value_or("(none)"); });
}

std::uint64_t exchanges(emulator_server& server)
{
    return server.with_emulator([](testing::emulator& em) { return em.exchanges(); });
}

// Quick retries for runs of a thousand calls: the policy's numbers, not its shape, are scaled down.
const retry_policy quick{.max_attempts = 10, .initial_delay = 1ms, .max_delay = 10ms, .timeout = 10s};

// 20% of requests fail, every kind of fault among them; Retry-After asks for 0 s here.
const testing::fault_plan twenty_percent{.rate = 0.2, .seed = 2026, .delay = 5ms, .retry_after = 0s};

struct histogram {
    std::map<unsigned, int> attempts;
    int lost = 0;
    void print(const char* what) const
    {
        std::cout << what << ": attempts per update:";
        for (auto [n, count] : attempts) std::cout << "  " << n << "x" << count;
        std::cout << "  (lost: " << lost << ")\n";
    }
};


} // namespace

TEST_CASE("curl: 1000 updates with 20% injected faults: none lost, every stored description the one last sent")
{
    auto server = start(twenty_percent);
    auto s = test_support::session_of(curl_transport{}, options(*server, quick));
    histogram h;
    for (int i = 0; i < 1000; ++i) {
        const std::string text = "update " + std::to_string(i);
        diagnostics diag;
        auto r = estimator{s, "182626"}.update_job_description(text, &diag);
        if (!r || !r->is_success) {
            ++h.lost;
            continue;
        }
        ++h.attempts[diag.attempts];
        if (stored(*server, "182626") != text) ++h.lost;
    }
    h.print("curl, 1000 updates, 20% faults");
    CHECK(h.lost == 0);
    CHECK(h.attempts.size() > 1);  // faults happened and were retried
    CHECK(h.attempts[1] > 600);
    CHECK(stored(*server) == "update 999");
}

TEST_CASE("curl: with 100% faults every call fails after max_attempts, within its deadline")
{
    auto server = start({.rate = 1.0, .kinds = {fault::reset, fault::bad_gateway, fault::service_unavailable, fault::throttled,
                                                fault::truncated_body}});
    auto s = test_support::session_of(curl_transport{}, options(*server, {.max_attempts = 3, .initial_delay = 5ms, .timeout = 2s}));
    for (int i = 0; i < 20; ++i) {
        diagnostics diag;
        const auto start_time = std::chrono::steady_clock::now();
        auto r = estimator{s, "182626"}.update_job_description("never", &diag);
        CHECK((!r || !r->is_success));
        CHECK(diag.attempts == 3);
        CHECK(diag.last_failure);
        CHECK(std::chrono::steady_clock::now() - start_time < 2s);
    }
    CHECK(exchanges(*server) >= 60);  // curl may also re-send once on a connection that died before answering

    // Bounded by the deadline rather than the attempts.
    auto bounded = test_support::session_of(curl_transport{}, options(*server, {.max_attempts = 1000, .initial_delay = 20ms,
                                                                               .multiplier = 1.0, .timeout = 300ms}));
    diagnostics diag;
    const auto start_time = std::chrono::steady_clock::now();
    auto r = estimator{bounded, "182626"}.update_job_description("never", &diag);
    const auto took = std::chrono::steady_clock::now() - start_time;
    CHECK((!r || !r->is_success));
    CHECK(diag.attempts > 3);
    CHECK(took < 450ms);
}

TEST_CASE("curl: a 400 or a 404 reaches the server exactly once")
{
    auto server = start({});
    auto s = test_support::session_of(curl_transport{}, options(*server, {}));
    diagnostics diag;
    auto r = estimator{s, "999999"}.update_job_description("x", &diag);
    CHECK(diag.http_status == 400);
    CHECK(r->error_code == "ModelArts.2775");
    CHECK(exchanges(*server) == 1);

    auto other_project = options(*server, {});
    other_project.project_id = "another-project";
    auto t = test_support::session_of(curl_transport{}, other_project);
    r = estimator{t, "182626"}.update_job_description("x", &diag);
    CHECK(diag.http_status == 404);
    CHECK(exchanges(*server) == 2);
}

TEST_CASE("curl: Retry-After: 1 puts the next attempt at least a second later (real time)")
{
    auto server = start({.at = {{1, fault::throttled_retry_after}}, .retry_after = 1s});
    auto s = test_support::session_of(curl_transport{}, options(*server, {}));
    const auto start_time = std::chrono::steady_clock::now();
    diagnostics diag;
    auto r = estimator{s, "182626"}.update_job_description("after a second", &diag);
    const auto took = std::chrono::steady_clock::now() - start_time;
    REQUIRE(r.has_value());
    CHECK(r->is_success);
    CHECK(diag.attempts == 2);
    CHECK(took >= 1s);
    CHECK(took < 3s);
}

TEST_CASE("beast: 1000 async updates with 20% injected faults: none lost, every stored description the one last sent")
{
    auto server = start(twenty_percent);
    asio::io_context io;
    auto s = test_support::session_of(beast_transport{io.get_executor()}, options(*server, quick));
    histogram h;
    CHECK(net_support::run(io, [&]() -> asio::awaitable<void> {
        for (int i = 0; i < 1000; ++i) {
            const std::string text = "async update " + std::to_string(i);
            diagnostics diag;
            auto r = co_await estimator{s, "182626"}.async_update_job_description(text, asio::use_awaitable, &diag);
            if (!r || !r->is_success) {
                ++h.lost;
                continue;
            }
            ++h.attempts[diag.attempts];
            if (stored(*server) != text) ++h.lost;
        }
    }));
    h.print("beast, 1000 updates, 20% faults");
    CHECK(h.lost == 0);
    CHECK(h.attempts.size() > 1);
    CHECK(stored(*server) == "async update 999");
}

TEST_CASE("beast: with 100% faults every async call fails after max_attempts, within its deadline")
{
    auto server = start({.rate = 1.0, .kinds = {fault::reset, fault::service_unavailable, fault::throttled}});
    asio::io_context io;
    auto s = test_support::session_of(beast_transport{io.get_executor()},
                                      options(*server, {.max_attempts = 3, .initial_delay = 5ms, .timeout = 2s}));
    CHECK(net_support::run(io, [&]() -> asio::awaitable<void> {
        for (int i = 0; i < 10; ++i) {
            diagnostics diag;
            const auto start_time = std::chrono::steady_clock::now();
            auto r = co_await estimator{s, "182626"}.async_update_job_description("never", asio::use_awaitable, &diag);
            CHECK((!r || !r->is_success));
            CHECK(diag.attempts == 3);
            CHECK(std::chrono::steady_clock::now() - start_time < 2s);
        }
    }));
    CHECK(stored(*server) == "first description");
}

TEST_CASE("beast: co_await (update || timer) against a server that never answers ends with the timer, within 300 ms")
{
    using namespace boost::asio::experimental::awaitable_operators;
    net_support::silent_listener silent;
    asio::io_context io;
    auto s = test_support::session_of(beast_transport{io.get_executor()},
                                      {.endpoint = silent.url(), .project_id = project, .auth = token_credentials{"tok"}});
    std::chrono::steady_clock::duration took{};
    std::size_t winner = 99;
    CHECK(net_support::run(io, [&]() -> asio::awaitable<void> {
        asio::steady_timer timer(co_await asio::this_coro::executor, 100ms);
        const auto start_time = std::chrono::steady_clock::now();
        auto either = co_await (estimator{s, "182626"}.async_update_job_description("x", asio::use_awaitable)
                                || timer.async_wait(asio::use_awaitable));
        took = std::chrono::steady_clock::now() - start_time;
        winner = either.index();
    }));
    CHECK(winner == 1);  // the timer
    CHECK(took < 300ms);
    CHECK(s.transport().connections_opened() == 1);
}

TEST_CASE("beast: bind_cancellation_slot and emit complete the call with operation_aborted, within 300 ms")
{
    net_support::silent_listener silent;
    asio::io_context io;
    auto s = test_support::session_of(beast_transport{io.get_executor()},
                                      {.endpoint = silent.url(), .project_id = project, .auth = token_credentials{"tok"}});
    asio::cancellation_signal cancel;
    std::optional<result<update_result>> got;
    const auto start_time = std::chrono::steady_clock::now();
    estimator{s, "182626"}.async_update_job_description(
        "x", asio::bind_cancellation_slot(cancel.slot(), [&](result<update_result> r) { got = std::move(r); }));
    asio::steady_timer timer(io, 100ms);
    timer.async_wait([&](boost::system::error_code) { cancel.emit(asio::cancellation_type::terminal); });
    io.run();  // returns when nothing is pending: the exchange's socket and timers are gone
    CHECK(std::chrono::steady_clock::now() - start_time < 300ms);
    REQUIRE(got);
    CHECK(got->error() == asio::error::operation_aborted);
}

TEST_CASE("beast: Beast's and Asio's SSL errors are classified like the library's")
{
    CHECK(boost::system::error_code(boost::beast::error::timeout) == condition::transport);
    CHECK(is_transient_error(boost::beast::error::timeout));
    CHECK(boost::system::error_code(asio::ssl::error::stream_truncated) == condition::transport);
    CHECK(is_transient_error(asio::ssl::error::stream_truncated));
}
