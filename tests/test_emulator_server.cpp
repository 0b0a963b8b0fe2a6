#include "modelarts/testing/server.hpp"

#include "net_support.hpp"

#include <doctest/doctest.h>

#include <boost/asio/connect.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <optional>
#include <thread>
#include <vector>

namespace http = boost::beast::http;
using net_support::tcp;

namespace {

// A plain blocking HTTP client on one connection, to see exactly what the server does.
struct raw_client {
    explicit raw_client(unsigned short port) : socket(io)
    {
        socket.connect({boost::asio::ip::make_address("127.0.0.1"), port});
    }

    http::response<http::string_body> exchange(http::verb verb, const std::string& target, std::string body = "",
                                               unsigned version = 11, std::optional<bool> keep_alive = {})
    {
        http::request<http::string_body> req{verb, target, version};
        req.set(http::field::host, "127.0.0.1");
        req.set("X-Auth-Token", "tok");
        req.body() = std::move(body);
        req.prepare_payload();
        if (keep_alive) req.keep_alive(*keep_alive);
        http::write(socket, req);
        http::response<http::string_body> res;
        http::read(socket, buffer, res);
        return res;
    }

    bool closed_by_peer()
    {
        boost::system::error_code ec;
        char c;
        socket.read_some(boost::asio::buffer(&c, 1), ec);
        return ec == boost::asio::error::eof;
    }

    boost::asio::io_context io;
    tcp::socket socket;
    boost::beast::flat_buffer buffer;
};

const std::string v1 = "/v1/0123456789abcdef0123456789abcdef/training-jobs/182626";

} // namespace

TEST_CASE("the server answers as the emulator does, and keeps the connection alive")
{
    auto server = net_support::start_emulator();
    raw_client c(server->port());
    auto res = c.exchange(http::verb::put, v1, R"({"job_desc":"raw"})");
    CHECK(res.result_int() == 200);
    CHECK(res.body() == R"({"is_success":true})");
    CHECK(res[http::field::content_type] == "application/json");
    CHECK(res["X-Request-Id"].size() == 32);
    CHECK(res.keep_alive());

    res = c.exchange(http::verb::get, v1 + "/versions");
    CHECK(res.result_int() == 200);
    CHECK(res.body().find("\"job_desc\":\"raw\"") != std::string::npos);
    CHECK(server->connections_accepted() == 1);
}

TEST_CASE("methods the API does not have get the gateway's 404, not a dropped connection")
{
    auto server = net_support::start_emulator();
    raw_client c(server->port());
    auto res = c.exchange(http::verb::delete_, v1);
    CHECK(res.result_int() == 404);
    CHECK(res.body().find("APIGW.0101") != std::string::npos);
}

TEST_CASE("an HTTP/1.0 client without keep-alive gets its answer and a closed connection")
{
    auto server = net_support::start_emulator();
    raw_client c(server->port());
    auto res = c.exchange(http::verb::get, v1 + "/versions", "", 10);
    CHECK(res.result_int() == 200);
    CHECK_FALSE(res.keep_alive());
    CHECK(c.closed_by_peer());
}

TEST_CASE("an HTTP/1.0 client asking for keep-alive keeps its connection; HTTP/1.1 asking to close gets it closed")
{
    auto server = net_support::start_emulator();
    raw_client old(server->port());
    for (int i = 0; i < 2; ++i) {
        auto res = old.exchange(http::verb::get, v1 + "/versions", "", 10, true);
        CHECK(res.version() == 10);
        CHECK(res.result_int() == 200);
        CHECK(res.keep_alive());
        CHECK(res[http::field::content_length] == std::to_string(res.body().size()));
    }

    raw_client closing(server->port());
    auto res = closing.exchange(http::verb::get, v1 + "/versions", "", 11, false);
    CHECK(res.version() == 11);
    CHECK(res.result_int() == 200);
    CHECK(res[http::field::connection] == "close");
    CHECK(closing.closed_by_peer());
    CHECK(server->connections_accepted() == 2);
}

TEST_CASE("a body over 12 MB gets the service's 413 ModelArts.4104 from its head alone, and the connection closes")
{
    auto server = net_support::start_emulator();
    for (const std::string& target : {v1, std::string("/v2/0123456789abcdef0123456789abcdef/training-jobs/"
                                                      "3faf5c03-aaa1-4cbe-879d-24b05d997347")}) {
        CAPTURE(target);
        raw_client c(server->port());
        // The head announces 13 MB; only a little of it is sent, and the server reads no more.
        const std::string head = "PUT " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Auth-Token: tok\r\n"
                                 "Content-Type: application/json\r\nContent-Length: 13631488\r\n\r\n{\"job_desc\":\"";
        boost::asio::write(c.socket, boost::asio::buffer(head));
        http::response<http::string_body> res;
        http::read(c.socket, c.buffer, res);
        CHECK(res.result_int() == 413);
        CHECK(res.body().find("\"ModelArts.4104\"") != std::string::npos);
        CHECK_FALSE(res.keep_alive());
        CHECK(c.closed_by_peer());
    }
    // 12 MB exactly is read, and judged by the emulator (not JSON here: 400, not 413).
    raw_client c(server->port());
    auto res = c.exchange(http::verb::put, v1, std::string(12 * 1024 * 1024, ' '));
    CHECK(res.result_int() == 400);
}

TEST_CASE("several clients at once, each on its own connection, all served")
{
    auto server = net_support::start_emulator();
    std::atomic<int> ok{0};
    std::vector<std::thread> clients;
    for (int i = 0; i < 8; ++i)
        clients.emplace_back([&, i] {
            raw_client c(server->port());
            for (int n = 0; n < 10; ++n) {
                auto res = c.exchange(http::verb::put, v1, R"({"job_desc":"client )" + std::to_string(i) + "\"}");
                ok += res.result_int() == 200;
            }
        });
    for (auto& t : clients) t.join();
    CHECK(ok == 80);
    CHECK(server->connections_accepted() == 8);
    auto last = server->with_emulator([](modelarts::testing::emulator& em) { return *em.description("182626"); });
    CHECK(last.starts_with("client "));
}

TEST_CASE("garbage on the wire closes that connection only")
{
    auto server = net_support::start_emulator();
    {
        raw_client bad(server->port());
        boost::asio::write(bad.socket, boost::asio::buffer(std::string("NOT HTTP AT ALL\r\n\r\n")));
        CHECK(bad.closed_by_peer());
    }
    raw_client good(server->port());
    CHECK(good.exchange(http::verb::get, v1 + "/versions").result_int() == 200);
}

TEST_CASE("stop() ends serving, from any thread, more than once")
{
    auto server = net_support::start_emulator();
    const auto port = server->port();
    server->stop();
    server->stop();
    boost::asio::io_context io;
    tcp::socket s(io);
    boost::system::error_code ec;
    s.connect({boost::asio::ip::make_address("127.0.0.1"), port}, ec);
    CHECK(ec == boost::asio::error::connection_refused);
}
