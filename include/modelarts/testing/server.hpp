/**
 * @file testing/server.hpp
 * `modelarts::testing::emulator_server`: the sans-I/O emulator served over HTTP/1.1 (and HTTPS)
 * on loopback with Boost.Beast, for tests over real HTTP (needs OpenSSL). One coroutine per
 * connection, keep-alive, `TCP_NODELAY`, one I/O thread, so any number of clients may be
 * connected at once and the emulator sees one request at a time. It carries out the emulator's
 * fault plan: resets, delays and truncated answers. A body over 12 MB is answered from the head
 * alone, as the service does: 413 ModelArts.4104, and the connection closes.
 *
 * Header-only by default. Its coroutines instantiate much of Asio and Beast, so a test suite with
 * many units can compile it once: define `MODELARTS_SEPARATE_COMPILATION` in every unit, and in
 * exactly one define `MODELARTS_SOURCE` before including this header (examples/emulator_server.cpp).
 */
#ifndef MODELARTS_TESTING_SERVER_HPP
#define MODELARTS_TESTING_SERVER_HPP

#include "modelarts/detail/config.hpp"
#include "modelarts/testing/emulator.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace modelarts::testing {

/** Settings of `emulator_server`. */
struct emulator_server_options {
    std::string address = "127.0.0.1";  ///< where to listen; loopback only by default
    unsigned short port = 0;             ///< 0 picks a free port; see port()
    testing::emulator_options emulator;  ///< project, token, error spelling
    std::string tls_certificate_chain;   ///< PEM file: serve HTTPS when set, with...
    std::string tls_private_key;         ///< ...this PEM key
    /**
     * Also listen here, plain HTTP, for the instance metadata service's calls (with
     * `emulator.metadata_credentials`): its own port, as the real service has its own address.
     * 0 picks a free one; none (the default): no second listener.
     */
    std::optional<unsigned short> metadata_port = {};
};

/** The emulator over HTTP. */
class emulator_server {
public:
    using options = emulator_server_options;  ///< its settings

    /** Binds and listens at once (so port() is known); serves once run() or start() is called. */
    MODELARTS_DECL explicit emulator_server(options opts);

    /** Stops serving and joins the serving thread, if any. */
    ~emulator_server() { stop(); }

    /** @return the port it listens on (the one picked, when the options gave 0) */
    unsigned short port() const { return acceptor_.local_endpoint().port(); }

    /** @return the endpoint to give a session: http(s)://127.0.0.1:port */
    std::string endpoint() const
    {
        return std::string(tls_ ? "https://" : "http://") + acceptor_.local_endpoint().address().to_string() + ':'
             + std::to_string(port());
    }

    /** @return the metadata service's endpoint, http://127.0.0.1:port, or empty without `metadata_port` */
    std::string metadata_endpoint() const
    {
        if (!metadata_acceptor_) return {};
        return "http://" + metadata_acceptor_->local_endpoint().address().to_string() + ':'
             + std::to_string(metadata_acceptor_->local_endpoint().port());
    }

    /** Serves on the calling thread until stop(). */
    MODELARTS_DECL void run();

    /** Serves on a thread of its own until stop() or destruction. */
    void start()
    {
        thread_ = std::thread([this] { run(); });
    }

    /** Stops serving; open connections are closed. Safe from any thread, and more than once. */
    MODELARTS_DECL void stop();

    /**
     * Runs `f(emulator)` while no request is being handled: to add jobs or read descriptions.
     * @param f called with the `testing::emulator&`
     * @return what `f` returns
     */
    template <class F>
    decltype(auto) with_emulator(F&& f)
    {
        std::lock_guard lock(mutex_);
        return std::forward<F>(f)(emulator_);
    }

    /** @return the I/O context it serves on (to post work to its thread) */
    boost::asio::io_context& io_context() { return io_; }

    /** @return connections accepted so far: a client that keeps its connection alive opens one */
    std::size_t connections_accepted() const { return connections_.load(); }

private:
    using tcp = boost::asio::ip::tcp;
    static constexpr auto idle_timeout = std::chrono::seconds(30);

    MODELARTS_DECL boost::asio::awaitable<void> accept_loop(tcp::acceptor& acceptor, bool tls);
    MODELARTS_DECL boost::asio::awaitable<void> serve_tls(tcp::socket socket);
    template <class Stream>
    boost::asio::awaitable<void> serve(Stream stream);
    MODELARTS_DECL http_response body_too_large(std::string_view target);
    template <class Request>
    testing::emulated_exchange respond(Request&& in);

    testing::emulator emulator_;
    std::mutex mutex_;
    boost::asio::io_context io_;
    tcp::acceptor acceptor_;
    std::optional<tcp::acceptor> metadata_acceptor_;
    std::optional<boost::asio::ssl::context> tls_;
    std::thread thread_;
    std::atomic<std::size_t> connections_{0};
};

} // namespace modelarts::testing

#if !defined(MODELARTS_SEPARATE_COMPILATION) || defined(MODELARTS_SOURCE)
#include "modelarts/testing/impl/server.ipp"
#endif

#endif
