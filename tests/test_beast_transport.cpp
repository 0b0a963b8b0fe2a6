#include "modelarts/transports/beast.hpp"

#include "net_support.hpp"
#include "support.hpp"

#include "modelarts/asio.hpp"
#include "modelarts/modelarts.hpp"

#include <doctest/doctest.h>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <thread>

using namespace modelarts;
using modelarts::beast_transport;
using modelarts::transport_options;
namespace asio = boost::asio;

namespace {

// One try per call: these tests are of the transport, not of the retry policy.
session<beast_transport> make_session(asio::io_context& io, const std::string& endpoint, transport_options opts = {},
                                      std::string token = "tok")
{
    return test_support::session_of(beast_transport{io.get_executor(), std::move(opts)},
                                    {.endpoint = endpoint,
                                     .project_id = "0123456789abcdef0123456789abcdef",
                                     .auth = token_credentials{std::move(token)},
                                     .retry = test_support::no_retries()});
}

std::string stored(testing::emulator_server& server, const char* job)
{
    return server.with_emulator([&](testing::emulator& em) { return em.description(job).value_or("(none)"); });
}


void three_ways(bool https)
{
    auto server = net_support::start_emulator(https);
    asio::io_context io;
    auto s = make_session(io, server->endpoint(), {.ca_file = https ? net_support::ca_file() : ""});
    CHECK(net_support::run(io, [&]() -> asio::awaitable<void> {
        estimator est{s, "182626"};
        diagnostics diag;
        auto r = co_await est.async_update_job_description("coroutine", asio::use_awaitable, &diag);
        REQUIRE(r.has_value());
        CHECK(r->is_success);
        CHECK(diag.request_id.size() == 32);
        r = co_await training_job{s, "182626"}.async_update_job_description("job", asio::use_awaitable);
        CHECK(r->is_success);
        auto list = co_await est.async_get_job_version_object_list(asio::use_awaitable);
        REQUIRE(list.has_value());
        REQUIRE(list->size() == 2);
        r = co_await (*list)[0].async_update_job_description("version", asio::use_awaitable);
        CHECK(r->is_success);
    }));
    CHECK(stored(*server, "182626") == "version");
    CHECK(s.transport().connections_opened() == 1);
    CHECK(server->connections_accepted() == 1);
}

} // namespace

TEST_CASE("beast_transport is an async_transport with an executor")
{
    static_assert(async_transport<beast_transport>);
    static_assert(!sync_transport<beast_transport>);
    CHECK(async_transport<beast_transport>);
}

TEST_CASE("beast: the three ways over http with coroutines, one kept-alive connection")
{
    three_ways(false);
}

TEST_CASE("beast: the three ways over https (SNI, peer and host verified)")
{
    three_ways(true);
}

TEST_CASE("beast: the CA bundle is loaded at the first https connection; one that cannot be read is a tls_failure, not a throw")
{
    const transport_options missing{.ca_file = "/nonexistent/ca.pem"};
    auto server = net_support::start_emulator(false);
    asio::io_context io;
    auto plain = make_session(io, server->endpoint(), missing);  // http never needs the bundle
    CHECK(net_support::run(io, [&]() -> asio::awaitable<void> {
        auto r = co_await estimator{plain, "182626"}.async_update_job_description("plain", asio::use_awaitable);
        REQUIRE(r.has_value());
        CHECK(r->is_success);
    }));

    auto tls_server = net_support::start_emulator(true);
    auto secure = make_session(io, tls_server->endpoint(), missing);
    CHECK(net_support::run(io, [&]() -> asio::awaitable<void> {
        auto r = co_await estimator{secure, "182626"}.async_update_job_description("secure", asio::use_awaitable);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error() == modelarts::error::tls_failure);
    }));
}

TEST_CASE("beast: callbacks and futures work as well as coroutines")
{
    auto server = net_support::start_emulator();
    asio::io_context io;
    auto s = make_session(io, server->endpoint());
    std::optional<result<update_result>> got;
    estimator{s, "182626"}.async_update_job_description("callback", [&](result<update_result> r) { got = r; });
    io.run();
    io.restart();
    REQUIRE(got);
    CHECK((*got)->is_success);

    auto guard = asio::make_work_guard(io);
    std::thread runner([&] { io.run(); });
    auto f = estimator{s, "182626"}.async_update_job_description("future", asio::use_future);
    auto r = f.get();
    guard.reset();
    runner.join();
    CHECK(r->is_success);
    CHECK(stored(*server, "182626") == "future");
}

TEST_CASE("beast: requests at once open connections as needed; the emulator serves them all")
{
    auto server = net_support::start_emulator();
    asio::io_context io;
    auto s = make_session(io, server->endpoint());
    int ok = 0;
    for (int i = 0; i < 8; ++i)
        estimator{s, "182626"}.async_update_job_description("parallel " + std::to_string(i),
                                                            [&](result<update_result> r) { ok += r && r->is_success; });
    io.run();
    CHECK(ok == 8);
    CHECK(s.transport().connections_opened() >= 2);
    CHECK(s.transport().connections_opened() <= 8);
}

TEST_CASE("beast: service failures are answers; transport failures have their own codes")
{
    auto server = net_support::start_emulator();
    asio::io_context io;
    net_support::silent_listener silent;
    net_support::hangup_server hangup;
    net_support::trickle_server trickle;
    net_support::full_listener full;
    auto https_server = net_support::start_emulator(true);
    CHECK(net_support::run(io, [&]() -> asio::awaitable<void> {
        auto wrong_token = make_session(io, server->endpoint(), {}, "wrong");
        auto r = co_await estimator{wrong_token, "182626"}.async_update_job_description("x", asio::use_awaitable);
        REQUIRE(r.has_value());
        CHECK(r->error_code == "APIGW.0301");

        auto refused = make_session(io, "http://127.0.0.1:" + std::to_string(net_support::closed_port()));
        r = co_await estimator{refused, "182626"}.async_update_job_description("x", asio::use_awaitable);
        CHECK(r.error() == error::connection_refused);

        auto slow = make_session(io, silent.url(), {.timeout = std::chrono::milliseconds(300)});
        r = co_await estimator{slow, "182626"}.async_update_job_description("x", asio::use_awaitable);
        CHECK(r.error() == error::timeout);

        auto reset = make_session(io, hangup.url());
        r = co_await estimator{reset, "182626"}.async_update_job_description("x", asio::use_awaitable);
        CHECK(r.error() == error::connection_reset);

        // The timeout is the whole exchange's: an answer trickled a byte at a time is cut off at it.
        auto trickled = make_session(io, trickle.url(), {.timeout = std::chrono::milliseconds(400)});
        auto start = std::chrono::steady_clock::now();
        r = co_await estimator{trickled, "182626"}.async_update_job_description("x", asio::use_awaitable);
        CHECK(r.error() == error::timeout);
        CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));

        // The connect timeout bounds opening the connection, within the exchange's.
        auto unanswered = make_session(io, full.url(), {.timeout = std::chrono::seconds(30),
                                                        .connect_timeout = std::chrono::milliseconds(300)});
        start = std::chrono::steady_clock::now();
        r = co_await estimator{unanswered, "182626"}.async_update_job_description("x", asio::use_awaitable);
        CHECK(r.error() == error::timeout);
        CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));

        auto untrusted = make_session(io, https_server->endpoint());  // the system's CAs do not know ours
        r = co_await estimator{untrusted, "182626"}.async_update_job_description("x", asio::use_awaitable);
        CHECK(r.error() == error::tls_failure);

        auto wrong_name = make_session(io, "https://localhost:" + std::to_string(https_server->port()),
                                       {.ca_file = net_support::ca_file()});
        r = co_await estimator{wrong_name, "182626"}.async_update_job_description("x", asio::use_awaitable);
        CHECK(r.error() == error::tls_failure);
    }));
}

TEST_CASE("beast: answers over the limits are refused, and not read whole")
{
    using net_support::canned_server;
    const std::string ok_body = R"({"is_success":true})";
    canned_server huge(canned_server::answer(200, "", ok_body + std::string(64 << 20, ' ')));
    std::string many, wide;
    for (int i = 0; i < 10000; ++i) many += "X-Filler-" + std::to_string(i) + ": y\r\n";
    for (int i = 0; i < 5; ++i) wide += "X-Wide-" + std::to_string(i) + ": " + std::string(4000, 'w') + "\r\n";
    canned_server crowded(canned_server::answer(200, many, ok_body));
    canned_server heavy(canned_server::answer(200, wide, ok_body));
    canned_server exact(canned_server::answer(200, "", ok_body));
    asio::io_context io;
    CHECK(net_support::run(io, [&]() -> asio::awaitable<void> {
        auto update = [&](const std::string& url, response_limits limits) {
            return estimator{make_session(io, url, {.limits = limits}), "182626"}.async_update_job_description("x", asio::use_awaitable);
        };
        auto r = co_await update(huge.url(), {});
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error() == error::response_too_large);
        CHECK(r.error() == condition::bad_response);
        CHECK(huge.cut_short() == 1);
        r = co_await update(crowded.url(), {});
        CHECK(r.error() == error::response_too_large);
        r = co_await update(heavy.url(), {});
        CHECK(r.error() == error::response_too_large);
        r = co_await update(exact.url(), {.max_body_bytes = ok_body.size()});
        REQUIRE(r.has_value());
        CHECK(r->is_success);
        r = co_await update(exact.url(), {.max_body_bytes = ok_body.size() - 1});
        CHECK(r.error() == error::response_too_large);
        r = co_await update(exact.url(), {.max_header_count = 1});
        CHECK(r.error() == error::response_too_large);
        r = co_await update(exact.url(), {.max_header_count = 2});
        CHECK(r.has_value());
    }));
}

TEST_CASE("beast: an answer arrives as sent: its status, every field in order, repeats too, and a chunked body joined")
{
    using net_support::canned_server;
    canned_server chunked("HTTP/1.1 202 Accepted\r\nX-Request-Id: r1\r\nSet-Cookie: one\r\nTransfer-Encoding: chunked\r\n"
                          "set-cookie: two\r\n\r\n6\r\n{\"is_s\r\nd\r\nuccess\":true}\r\n0\r\n\r\n");
    asio::io_context io;
    beast_transport transport{io.get_executor()};
    const auto where = parse_endpoint(chunked.url());
    REQUIRE(where.has_value());
    boost::system::error_code ec;
    http_response res;
    transport.async_send(http_request{http_method::get, *where, "/v1/p"}, [&](boost::system::error_code e, http_response r) {
        ec = e;
        res = std::move(r);
    });
    io.run();
    REQUIRE_FALSE(ec);
    CHECK(res.status == 202);
    CHECK(res.body == R"({"is_success":true})");
    std::vector<std::string> fields;
    for (auto f : res.headers) fields.push_back(std::string(f.name) + "=" + std::string(f.value));
    CHECK(fields == std::vector<std::string>{"X-Request-Id=r1", "Set-Cookie=one", "Transfer-Encoding=chunked", "set-cookie=two"});

    canned_server long_chunks("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n" + std::string(16, 'x')
                              + "\r\n10\r\n" + std::string(16, 'y') + "\r\n0\r\n\r\n");
    beast_transport limited{io.get_executor(), {.limits = {.max_body_bytes = 20}}};
    limited.async_send(http_request{http_method::get, *parse_endpoint(long_chunks.url()), "/"},
                       [&](boost::system::error_code e, http_response) { ec = e; });
    io.restart();
    io.run();
    CHECK(ec == error::response_too_large);
}

TEST_CASE("beast: a kept connection the server has closed is replaced, once, without an error")
{
    auto server = net_support::start_emulator();
    asio::io_context io;
    auto s = make_session(io, server->endpoint());
    CHECK(net_support::run(io, [&]() -> asio::awaitable<void> {
        auto r = co_await estimator{s, "182626"}.async_update_job_description("first", asio::use_awaitable);
        CHECK(r->is_success);
    }));
    // Restart the server on the same port: the kept connection is now dead.
    const auto port = server->port();
    server.reset();
    modelarts::testing::emulator_server_options opts;
    opts.port = port;
    opts.emulator.token = "tok";
    modelarts::testing::emulator_server again(opts);
    again.start();
    CHECK(net_support::run(io, [&]() -> asio::awaitable<void> {
        auto r = co_await estimator{s, "182626"}.async_update_job_description("second", asio::use_awaitable);
        REQUIRE(r.has_value());
        CHECK(r->is_success);
    }));
    CHECK(s.transport().connections_opened() == 2);
    CHECK(stored(again, "182626") == "second");
}

TEST_CASE("beast behind any_async_transport: the erased handler's executor, cancellation slot and result all come through")
{
    auto server = net_support::start_emulator();
    asio::io_context io;
    auto s = test_support::session_of(any_async_transport{beast_transport{io.get_executor()}},
                                      {.endpoint = server->endpoint(),
                                       .project_id = "0123456789abcdef0123456789abcdef",
                                       .auth = token_credentials{"tok"},
                                       .retry = test_support::no_retries()});
    auto strand = asio::make_strand(io);
    bool on_strand = false;
    std::optional<result<update_result>> got;
    estimator{s, "182626"}.async_update_job_description("erased", asio::bind_executor(strand, [&](result<update_result> r) {
        on_strand = strand.running_in_this_thread();
        got = std::move(r);
    }));
    io.run();
    REQUIRE(got);
    REQUIRE(got->has_value());
    CHECK((*got)->is_success);
    CHECK(on_strand);
    CHECK(stored(*server, "182626") == "erased");
    REQUIRE(s.transport().target<beast_transport>() != nullptr);

    // Cancelling reaches the exchange: a server that never answers is abandoned at once.
    net_support::silent_listener silent;
    io.restart();
    auto quiet = test_support::session_of(any_async_transport{beast_transport{io.get_executor()}},
                                          {.endpoint = silent.url(), .project_id = "p", .retry = test_support::no_retries()});
    asio::cancellation_signal cancel;
    got.reset();
    estimator{quiet, "182626"}.async_update_job_description(
        "never", asio::bind_cancellation_slot(cancel.slot(), [&](result<update_result> r) { got = std::move(r); }));
    asio::steady_timer later(io, std::chrono::milliseconds(50));
    later.async_wait([&](boost::system::error_code) { cancel.emit(asio::cancellation_type::terminal); });
    const auto start = std::chrono::steady_clock::now();
    io.run();
    REQUIRE(got);
    CHECK(got->error() == asio::error::operation_aborted);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
}
