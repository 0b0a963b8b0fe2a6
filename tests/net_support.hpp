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

#include <boost/asio/write.hpp>

#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cctype>
#include <chrono>
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

/**
 * Listens with a backlog already full and never accepts: a new connection's SYN is dropped, so
 * connecting hangs, as to a host that does not answer. Only a connect timeout ends it.
 */
class full_listener {
public:
    full_listener() : acceptor_(io_)
    {
        acceptor_.open(tcp::v4());
        acceptor_.bind({boost::asio::ip::make_address("127.0.0.1"), 0});
        acceptor_.listen(0);
        const auto at = acceptor_.local_endpoint();
        for (int& fd : fillers_) {  // non-blocking, so a dropped SYN does not hang the fixture itself
            fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            ::connect(fd, at.data(), static_cast<socklen_t>(at.size()));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the handshakes that can finish, finish
    }
    ~full_listener()
    {
        for (int fd : fillers_) ::close(fd);
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()); }

private:
    boost::asio::io_context io_;
    tcp::acceptor acceptor_;
    std::array<int, 4> fillers_{};
};

/** Stops `thread`, blocked in `acceptor.accept()`: raises `stopping`, wakes it with a connection, joins it. */
inline void stop_accepting(boost::asio::io_context& io, tcp::acceptor& acceptor, std::atomic<bool>& stopping, std::thread& thread)
{
    stopping = true;
    boost::system::error_code ec;
    tcp::socket poke(io);
    poke.connect(acceptor.local_endpoint(), ec);
    thread.join();
}

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
        stop_accepting(io_, acceptor_, stopping_, thread_);
    }
    unsigned short port() const { return acceptor_.local_endpoint().port(); }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port()); }

private:
    boost::asio::io_context io_;
    tcp::acceptor acceptor_;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

/** Reads from `s` until a request's head is in: what was read, the head and maybe more. */
inline std::string read_head(tcp::socket& s, boost::system::error_code& ec)
{
    std::string request;
    char buf[4096];
    while (request.find("\r\n\r\n") == std::string::npos && !ec) request.append(buf, s.read_some(boost::asio::buffer(buf), ec));
    return request;
}

/**
 * Reads each request's head, then answers a byte every 50 ms, never finishing within 10 s: each
 * read succeeds in time, so only a deadline on the whole exchange stops the client.
 */
class trickle_server {
public:
    trickle_server() : acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0})
    {
        thread_ = std::thread([this] {
            for (;;) {
                boost::system::error_code ec;
                tcp::socket s = acceptor_.accept(ec);
                if (ec || stopping_) return;
                read_head(s, ec);
                const std::string head = "HTTP/1.1 200 X\r\nX-Slow: " + std::string(200, 's');
                for (std::size_t i = 0; i < head.size() && !ec && !stopping_; ++i) {
                    boost::asio::write(s, boost::asio::buffer(&head[i], 1), ec);
                    std::this_thread::sleep_for(std::chrono::milliseconds(50));
                }
                s.close(ec);
            }
        });
    }
    ~trickle_server()
    {
        stop_accepting(io_, acceptor_, stopping_, thread_);
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()); }

private:
    boost::asio::io_context io_;
    tcp::acceptor acceptor_;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

/**
 * Answers every request with the same bytes, then closes the connection. Says whether the
 * answer left whole: a client that drops the connection part way makes the write fail.
 */
class canned_server {
public:
    explicit canned_server(std::string answer) : answer_(std::move(answer)), acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0})
    {
        thread_ = std::thread([this] {
            for (;;) {
                boost::system::error_code ec;
                tcp::socket s = acceptor_.accept(ec);
                if (ec || stopping_) return;
                // The whole request, body included: closing with unread bytes would send a reset,
                // which could reach the client before it has read the answer.
                std::string request = read_head(s, ec);
                char buf[4096];
                const std::size_t head = request.find("\r\n\r\n") + 4;
                while (!ec && request.size() < head + content_length(request.substr(0, head)))
                    request.append(buf, s.read_some(boost::asio::buffer(buf), ec));
                boost::asio::write(s, boost::asio::buffer(answer_), ec);
                if (ec) ++cut_short_;
                s.close(ec);
                ++finished_;
            }
        });
    }
    ~canned_server()
    {
        stop_accepting(io_, acceptor_, stopping_, thread_);
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()); }
    /** Answers the client stopped reading part way, once `n` answers are over (waits up to 10 s). */
    int cut_short(int n = 1) const
    {
        for (int i = 0; i < 1000 && finished_.load() < n; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        return cut_short_.load();
    }

    /** An HTTP/1.1 answer: `extra` header lines (each ending in CRLF), and `body`. */
    static std::string answer(unsigned status, const std::string& extra, const std::string& body)
    {
        return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: application/json\r\nContent-Length: "
             + std::to_string(body.size()) + "\r\n" + extra + "\r\n" + body;
    }

private:
    static std::size_t content_length(std::string head)
    {
        for (auto& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        const auto at = head.find("\r\ncontent-length:");
        return at == std::string::npos ? 0 : std::strtoul(head.c_str() + at + 17, nullptr, 10);
    }

    std::string answer_;
    boost::asio::io_context io_;
    tcp::acceptor acceptor_;
    std::atomic<bool> stopping_{false};
    std::atomic<int> cut_short_{0}, finished_{0};
    std::thread thread_;
};

} // namespace net_support

#endif
