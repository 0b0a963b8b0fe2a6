// Loopback peers for the transport tests: the emulator over HTTP(S), and servers that
// misbehave on purpose. Everything listens on 127.0.0.1 only.
#ifndef MODELARTS_TESTS_NET_SUPPORT_HPP
#define MODELARTS_TESTS_NET_SUPPORT_HPP

#include "modelarts/testing/server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <cstdlib>
#include <memory>
#include <string>
#include <thread>

namespace net_support {

using tcp = boost::asio::ip::tcp;

/** The folder of the test CA and server certificate (meson sets MODELARTS_TEST_TLS_DIR). */
inline std::string tls_dir()
{
    const char* dir = std::getenv("MODELARTS_TEST_TLS_DIR");
    return dir ? dir : "tests/tls";
}

inline std::string ca_file() { return tls_dir() + "/ca.pem"; }

/** The emulator over HTTP (or HTTPS with the test certificate), running on its own thread. */
inline std::unique_ptr<modelarts::testing::emulator_server> start_emulator(bool https = false, std::string token = "tok")
{
    modelarts::testing::emulator_server_options opts;
    opts.emulator.token = std::move(token);
    if (https) {
        opts.tls_certificate_chain = tls_dir() + "/server.pem";
        opts.tls_private_key = tls_dir() + "/server.key";
    }
    auto server = std::make_unique<modelarts::testing::emulator_server>(opts);
    server->start();
    return server;
}

/** Runs a coroutine to completion on `io`; false if it did not finish (a REQUIRE failed in it). */
template <class F>
bool run(boost::asio::io_context& io, F f)
{
    bool finished = false;
    boost::asio::co_spawn(io, [&]() -> boost::asio::awaitable<void> { co_await f(); finished = true; }, boost::asio::detached);
    io.run();
    io.restart();
    return finished;
}

/** A loopback port where nothing listens. */
inline unsigned short closed_port()
{
    boost::asio::io_context io;
    tcp::acceptor a(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    return a.local_endpoint().port();  // closed when `a` goes
}

/** Listens, so connections succeed, but never reads or answers: every request times out. */
class silent_listener {
public:
    silent_listener() : acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {}
    unsigned short port() const { return acceptor_.local_endpoint().port(); }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port()); }

private:
    boost::asio::io_context io_;
    tcp::acceptor acceptor_;
};

/** Accepts each connection, reads a little, and closes it without answering. */
class hangup_server {
public:
    hangup_server() : acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0})
    {
        thread_ = std::thread([this] {
            for (;;) {
                boost::system::error_code ec;
                tcp::socket s = acceptor_.accept(ec);
                if (ec || stopping_) return;
                char buf[64];
                s.read_some(boost::asio::buffer(buf), ec);
                s.close(ec);
            }
        });
    }
    ~hangup_server()
    {
        stopping_ = true;
        boost::system::error_code ec;
        tcp::socket poke(io_);
        poke.connect(acceptor_.local_endpoint(), ec);  // wake the blocking accept
        thread_.join();
    }
    unsigned short port() const { return acceptor_.local_endpoint().port(); }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port()); }

private:
    boost::asio::io_context io_;
    tcp::acceptor acceptor_;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

} // namespace net_support

#endif
