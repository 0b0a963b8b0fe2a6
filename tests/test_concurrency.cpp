// One session for a whole service: shared by threads and by many calls in flight, over every
// shipped transport and the in-process emulator, with one IAM login among them all. CI also runs
// this file under ThreadSanitizer, where every case must pass without a report.
#include "modelarts/session.hpp"

#include "modelarts/asio.hpp"
#include "modelarts/estimator.hpp"
#include "modelarts/testing/emulator.hpp"
#include "modelarts/testing/server.hpp"
#include "modelarts/transports/beast.hpp"
#include "modelarts/transports/curl.hpp"
#include "modelarts/transports/httplib.hpp"

#include "net_support.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/append.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

using namespace modelarts;
using modelarts::testing::emulator;
using modelarts::testing::in_process_transport;
namespace asio = boost::asio;

namespace {

const testing::emulated_user alice{"alice", "alice-password", "acme"};

password_credentials alice_at(std::string iam_endpoint) { return {alice.name, alice.password, alice.account, std::move(iam_endpoint)}; }

// Updates per thread: 500 in CI (MODELARTS_CONCURRENCY_UPDATES can say otherwise).
int updates_per_thread()
{
    const char* n = std::getenv("MODELARTS_CONCURRENCY_UPDATES");
    return n ? std::atoi(n) : 500;
}

// The v1 job thread `t` updates: one per thread, so that every thread's last update is checkable.
std::string job_of(int t) { return std::to_string(1000 + t); }
void add_jobs(emulator& em, int threads)
{
    for (int t = 0; t < threads; ++t) em.add_v1_job(1000 + t, "job", "initial", {});
}

std::size_t logins_in(const emulator& em)
{
    std::size_t n = 0;
    for (const auto& r : em.requests()) n += r.target() == "/v3/auth/tokens";
    return n;
}
std::size_t updates_in(const emulator& em)
{
    std::size_t n = 0;
    for (const auto& r : em.requests()) n += r.method == http_method::put;
    return n;
}

// `threads` threads share one session, each making `per_thread` updates of its own job; returns
// how many failed (a failure's message is checked once, not 4,000 times).
template <class Transport>
int update_from_threads(const session<Transport>& s, int threads, int per_thread)
{
    std::atomic<int> failed{0};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&, t] {
            estimator est{s, job_of(t)};
            for (int i = 0; i < per_thread; ++i) {
                auto r = est.update_job_description("t" + std::to_string(t) + "-" + std::to_string(i));
                if (!r || !r->is_success) ++failed;
            }
        });
    for (auto& th : pool) th.join();
    return failed.load();
}

// What every sync case checks: nothing failed, every update reached the service, each thread's
// last update stands, and the session logged in once.
void check_all_applied(const emulator& em, int failed, int threads, int per_thread)
{
    CHECK(failed == 0);
    CHECK(updates_in(em) == static_cast<std::size_t>(threads * per_thread));
    for (int t = 0; t < threads; ++t)
        CHECK(em.description(job_of(t)) == "t" + std::to_string(t) + "-" + std::to_string(per_thread - 1));
    CHECK(logins_in(em) == 1);
}

// A sync transport that holds IAM's token call until released, and counts the calls let through.
class gated_transport {
public:
    explicit gated_transport(emulator& em) : em_(&em) {}
    result<http_response> send(const http_request& req)
    {
        if (req.target() == "/v3/auth/tokens") {
            std::unique_lock lock(gate_->mutex);
            gate_->open_cv.wait(lock, [&] { return gate_->open; });
        }
        return em_->handle(req);
    }
    void open()
    {
        {
            std::lock_guard lock(gate_->mutex);
            gate_->open = true;
        }
        gate_->open_cv.notify_all();
    }

private:
    struct gate {
        std::mutex mutex;
        std::condition_variable open_cv;
        bool open = false;
    };
    emulator* em_;
    std::shared_ptr<gate> gate_ = std::make_shared<gate>();
};

// The same over Asio, on one thread: IAM's token call is held until `open`; cancelling it (its
// handler's slot) completes it at once with operation_aborted.
class gated_async_transport {
public:
    using executor_type = asio::any_io_executor;
    gated_async_transport(executor_type ex, emulator& em) : ex_(std::move(ex)), em_(&em) {}
    executor_type get_executor() const { return ex_; }

    template <class Token>
    auto async_send(http_request req, Token&& token)
    {
        return asio::async_initiate<Token, void(boost::system::error_code, http_response)>(
            [this](auto handler, http_request req) {
                if (req.target() != "/v3/auth/tokens" || gate_->open) {
                    asio::post(ex_, asio::append(std::move(handler), boost::system::error_code(), em_->handle(req)));
                    return;
                }
                auto slot = asio::get_associated_cancellation_slot(handler);
                auto held = std::make_shared<std::optional<std::decay_t<decltype(handler)>>>(std::move(handler));
                if (slot.is_connected())
                    slot.assign([held](asio::cancellation_type) {
                        if (!*held) return;
                        auto h = std::move(**held);
                        held->reset();
                        std::move(h)(asio::error::operation_aborted, http_response{});
                    });
                gate_->held.push_back([this, held, req] {
                    if (!*held) return;  // cancelled meanwhile
                    auto h = std::move(**held);
                    held->reset();
                    asio::post(ex_, asio::append(std::move(h), boost::system::error_code(), em_->handle(req)));
                });
            },
            token, std::move(req));
    }

    void open()
    {
        gate_->open = true;
        for (auto& answer : gate_->held) answer();
        gate_->held.clear();
    }

private:
    struct gate {
        bool open = false;
        std::vector<std::function<void()>> held;
    };
    executor_type ex_;
    emulator* em_;
    std::shared_ptr<gate> gate_ = std::make_shared<gate>();
};

// Waits (up to 10 s) until `n` calls wait for the session's login under way.
template <class Transport>
bool waiters_reach(const session<Transport>& s, std::size_t n)
{
    for (int i = 0; i < 1000; ++i) {
        if (detail::access::state(s).logins.waiting() >= n) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

} // namespace

TEST_CASE("8 threads share one password session in process: every update applied, 1 IAM login")
{
    emulator em{{.users = {alice}}};
    add_jobs(em, 8);
    auto s = test_support::session_of(in_process_transport{em}, {.endpoint = em.endpoint(),
                                                                 .project_id = em.project_id(),
                                                                 .auth = alice_at(em.endpoint())});
    const int per_thread = updates_per_thread();
    check_all_applied(em, update_from_threads(s, 8, per_thread), 8, per_thread);
}

TEST_CASE("8 threads share one password session over curl and over httplib: every update applied, 1 IAM login")
{
    testing::emulator_server_options opts;
    opts.emulator.users = {alice};
    testing::emulator_server server(opts);
    server.with_emulator([](emulator& em) { add_jobs(em, 8); });
    server.start();
    const int per_thread = updates_per_thread();
    const session_options options{.endpoint = server.endpoint(), .project_id = "0123456789abcdef0123456789abcdef",
                                  .auth = alice_at(server.endpoint())};

    SUBCASE("curl")
    {
        auto s = test_support::session_of(curl_transport{}, options);
        const int failed = update_from_threads(s, 8, per_thread);
        server.with_emulator([&](emulator& em) { check_all_applied(em, failed, 8, per_thread); });
        CHECK(s.transport().handles() <= 8);  // never more handles than calls in flight
        CHECK(s.transport().connections_opened() == s.transport().handles());  // each kept alive
    }
    SUBCASE("httplib")
    {
        auto s = test_support::session_of(httplib_transport{}, options);
        const int failed = update_from_threads(s, 8, per_thread);
        server.with_emulator([&](emulator& em) { check_all_applied(em, failed, 8, per_thread); });
        CHECK(s.transport().clients() <= 8);
    }
}

TEST_CASE("4 threads each start 64 async updates on one Beast session, its io_context run by 4 threads: 1 IAM login")
{
    testing::emulator_server_options opts;
    opts.emulator.users = {alice};
    testing::emulator_server server(opts);
    server.with_emulator([](emulator& em) { add_jobs(em, 4); });
    server.start();

    asio::io_context io;
    auto work = asio::make_work_guard(io);
    std::vector<std::thread> runners;
    for (int i = 0; i < 4; ++i) runners.emplace_back([&] { io.run(); });

    auto s = test_support::session_of(beast_transport{io.get_executor()}, {.endpoint = server.endpoint(),
                                                                          .project_id = "0123456789abcdef0123456789abcdef",
                                                                          .auth = alice_at(server.endpoint())});
    std::atomic<int> succeeded{0}, completed{0};
    std::promise<void> all_done;
    std::vector<std::thread> starters;
    for (int t = 0; t < 4; ++t)
        starters.emplace_back([&, t] {
            estimator est{s, job_of(t)};
            for (int i = 0; i < 64; ++i)
                est.async_update_job_description("t" + std::to_string(t) + "-" + std::to_string(i), [&](result<update_result> r) {
                    if (r && r->is_success) ++succeeded;
                    if (++completed == 256) all_done.set_value();
                });
        });
    for (auto& th : starters) th.join();
    const bool finished = all_done.get_future().wait_for(std::chrono::seconds(60)) == std::future_status::ready;
    work.reset();
    for (auto& th : runners) th.join();
    REQUIRE(finished);
    CHECK(succeeded == 256);
    server.with_emulator([](emulator& em) {
        CHECK(logins_in(em) == 1);
        CHECK(updates_in(em) == 256);
    });
}

TEST_CASE("single flight: calls that need a token while a login is under way wait for it, and share its end")
{
    emulator em{{.users = {alice}}};
    add_jobs(em, 8);

    SUBCASE("a login that succeeds: 8 calls, 1 login")
    {
        auto s = test_support::session_of(gated_transport{em}, {.endpoint = em.endpoint(), .project_id = em.project_id(),
                                                               .auth = alice_at(em.endpoint())});
        std::vector<std::future<result<update_result>>> calls;
        for (int t = 0; t < 8; ++t)
            calls.push_back(std::async(std::launch::async, [&, t] { return estimator{s, job_of(t)}.update_job_description("d"); }));
        REQUIRE(waiters_reach(s, 7));  // one logs in, held at the gate; seven wait for it
        s.transport().open();
        for (auto& c : calls) {
            auto r = c.get();
            REQUIRE(r.has_value());
            CHECK(r->is_success);
        }
        CHECK(logins_in(em) == 1);
    }
    SUBCASE("a login IAM refuses fails every call that waited, with IAM's refusal")
    {
        auto wrong = alice_at(em.endpoint());
        wrong.password = "wrong";
        auto s = test_support::session_of(gated_transport{em}, {.endpoint = em.endpoint(), .project_id = em.project_id(), .auth = wrong});
        std::vector<std::future<result<update_result>>> calls;
        for (int t = 0; t < 8; ++t)
            calls.push_back(std::async(std::launch::async, [&, t] { return estimator{s, job_of(t)}.update_job_description("d"); }));
        REQUIRE(waiters_reach(s, 7));
        s.transport().open();
        for (auto& c : calls) {
            auto r = c.get();
            REQUIRE(r.has_value());
            CHECK_FALSE(r->is_success);
            CHECK(r->error_code == "401");  // the refusal IAM gave the one login, told to all
            CHECK(r->error_msg == "The username or password is wrong.");
        }
        CHECK(logins_in(em) == 1);
        CHECK(updates_in(em) == 0);
    }
    SUBCASE("a waiting call's deadline still applies")
    {
        auto s = test_support::session_of(gated_transport{em},
                                          {.endpoint = em.endpoint(), .project_id = em.project_id(), .auth = alice_at(em.endpoint()),
                                           .retry = {.timeout = std::chrono::milliseconds(300)}});
        auto leader = std::async(std::launch::async, [&] { return estimator{s, job_of(0)}.update_job_description("d"); });
        while (!detail::access::state(s).logins.in_flight()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        const auto start = std::chrono::steady_clock::now();
        diagnostics diag;
        auto waiter = estimator{s, job_of(1)}.update_job_description("d", &diag);
        const auto took = std::chrono::steady_clock::now() - start;
        REQUIRE_FALSE(waiter.has_value());
        CHECK(waiter.error() == error::timeout);
        CHECK(took < std::chrono::seconds(2));
        CHECK(diag.attempts == 0);  // it sent nothing: it waited for the other call's login
        s.transport().open();
        (void)leader.get();
    }
}

TEST_CASE("single flight over Asio: a waiting call can be cancelled; a login whose call is cancelled is taken over")
{
    emulator em{{.users = {alice}}};
    add_jobs(em, 2);
    asio::io_context io;
    auto s = test_support::session_of(gated_async_transport{io.get_executor(), em},
                                      {.endpoint = em.endpoint(), .project_id = em.project_id(), .auth = alice_at(em.endpoint())});
    std::optional<result<update_result>> first, second;
    asio::cancellation_signal cancel;
    const auto poll_until = [&](auto done) {
        for (int i = 0; i < 1000 && !done(); ++i) io.poll();
        return done();
    };
    const auto waiting = [&] { return detail::access::state(s).logins.waiting() == 1; };

    SUBCASE("the waiting call is cancelled: it ends at once, and the login goes on")
    {
        estimator{s, job_of(0)}.async_update_job_description("one", [&](result<update_result> r) { first = r; });
        estimator{s, job_of(1)}.async_update_job_description(
            "two", asio::bind_cancellation_slot(cancel.slot(), [&](result<update_result> r) { second = r; }));
        REQUIRE(poll_until(waiting));
        cancel.emit(asio::cancellation_type::terminal);
        REQUIRE(poll_until([&] { return second.has_value(); }));
        CHECK(second->error() == asio::error::operation_aborted);
        CHECK_FALSE(first.has_value());
        s.transport().open();
        REQUIRE(poll_until([&] { return first.has_value(); }));
        CHECK((*first)->is_success);
    }
    SUBCASE("the logging-in call is cancelled: the waiting call logs in instead")
    {
        estimator{s, job_of(0)}.async_update_job_description(
            "one", asio::bind_cancellation_slot(cancel.slot(), [&](result<update_result> r) { first = r; }));
        estimator{s, job_of(1)}.async_update_job_description("two", [&](result<update_result> r) { second = r; });
        REQUIRE(poll_until(waiting));
        cancel.emit(asio::cancellation_type::terminal);
        REQUIRE(poll_until([&] { return first.has_value(); }));
        CHECK(first->error() == asio::error::operation_aborted);
        s.transport().open();
        REQUIRE(poll_until([&] { return second.has_value(); }));
        REQUIRE(second->has_value());
        CHECK((*second)->is_success);
        CHECK(em.description(job_of(1)) == "two");
    }
    CHECK(logins_in(em) == 1);  // IAM saw one login: the cancelled one never reached it
}

TEST_CASE("a token nearing expiry is renewed once for 8 threads, whoever sees it first")
{
    using namespace std::chrono;
    auto now = std::make_shared<std::atomic<system_clock::rep>>(system_clock::now().time_since_epoch().count());
    const auto clock = [now] { return system_clock::time_point(system_clock::duration(now->load())); };
    emulator em{{.users = {alice}, .clock = clock}};
    add_jobs(em, 8);
    auto s = test_support::session_of(in_process_transport{em}, {.endpoint = em.endpoint(), .project_id = em.project_id(),
                                                                 .auth = alice_at(em.endpoint()), .clock = clock});
    REQUIRE(estimator{s, job_of(0)}.update_job_description("first")->is_success);
    CHECK(logins_in(em) == 1);
    now->fetch_add(duration_cast<system_clock::duration>(hours(24) - minutes(20)).count());  // within the 30-minute margin
    CHECK(update_from_threads(s, 8, 50) == 0);
    CHECK(logins_in(em) == 2);
}
