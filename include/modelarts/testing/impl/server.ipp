// The definitions of testing/server.hpp: included by it (header-only), or compiled once (see there).
#ifndef MODELARTS_TESTING_IMPL_SERVER_IPP
#define MODELARTS_TESTING_IMPL_SERVER_IPP

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <string>

namespace modelarts::detail {

// An answer's bytes, head and body, into `wire` (reused, so a connection allocates once): written
// in one go, this costs a fraction of Beast's serializer, which was most of the server's own time.
inline void serialize_answer(std::string& wire, const http_response& r, unsigned version, bool keep_alive)
{
    const auto reason = boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(r.status));
    wire.assign(version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
    wire += std::to_string(r.status);
    wire += ' ';
    wire.append(reason.data(), reason.size());
    wire += "\r\n";
    for (const auto h : r.headers) {
        wire.append(h.name).append(": ").append(h.value).append("\r\n");
    }
    wire += "Content-Length: ";
    wire += std::to_string(r.body.size());
    if (version == 10 && keep_alive) wire += "\r\nConnection: keep-alive";
    if (version != 10 && !keep_alive) wire += "\r\nConnection: close";
    wire += "\r\n\r\n";
    wire += r.body;
}

// Where an answer is written: the socket itself under plain HTTP (no timer to arm: answers are
// small), the TLS stream under HTTPS.
inline boost::asio::ip::tcp::socket& answer_stream(boost::beast::tcp_stream& s) { return s.socket(); }
template <class Next>
boost::beast::ssl_stream<Next>& answer_stream(boost::beast::ssl_stream<Next>& s) { return s; }

} // namespace modelarts::detail

namespace modelarts::testing {

MODELARTS_DECL emulator_server::emulator_server(options opts)
    : emulator_(opts.emulator), acceptor_(io_, {boost::asio::ip::make_address(opts.address), opts.port})
{
    if (!opts.tls_certificate_chain.empty()) {
        tls_.emplace(boost::asio::ssl::context::tls_server);
        tls_->use_certificate_chain_file(opts.tls_certificate_chain);
        tls_->use_private_key_file(opts.tls_private_key, boost::asio::ssl::context::pem);
    }
    if (opts.metadata_port) metadata_acceptor_.emplace(io_, tcp::endpoint{boost::asio::ip::make_address(opts.address), *opts.metadata_port});
}

MODELARTS_DECL void emulator_server::run()
{
    boost::asio::co_spawn(io_, accept_loop(acceptor_, tls_.has_value()), boost::asio::detached);
    if (metadata_acceptor_) boost::asio::co_spawn(io_, accept_loop(*metadata_acceptor_, false), boost::asio::detached);
    io_.run();
}

MODELARTS_DECL void emulator_server::stop()
{
    boost::asio::post(io_, [this] {
        boost::system::error_code ignored;
        acceptor_.close(ignored);
        if (metadata_acceptor_) metadata_acceptor_->close(ignored);
        io_.stop();
    });
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

MODELARTS_DECL boost::asio::awaitable<void> emulator_server::accept_loop(tcp::acceptor& acceptor, bool tls)
{
    for (;;) {
        auto [ec, socket] = co_await acceptor.async_accept(boost::asio::as_tuple(boost::asio::use_awaitable));
        if (ec == boost::asio::error::operation_aborted || !acceptor.is_open()) co_return;
        if (ec) continue;
        ++connections_;
        boost::system::error_code nodelay_ec;  // answers leave at once: no Nagle stall
        socket.set_option(tcp::no_delay(true), nodelay_ec);
        if (tls)
            boost::asio::co_spawn(io_, serve_tls(std::move(socket)), boost::asio::detached);
        else
            boost::asio::co_spawn(io_, serve(boost::beast::tcp_stream(std::move(socket))), boost::asio::detached);
    }
}

MODELARTS_DECL boost::asio::awaitable<void> emulator_server::serve_tls(tcp::socket socket)
{
    boost::beast::ssl_stream<boost::beast::tcp_stream> stream(boost::beast::tcp_stream(std::move(socket)), *tls_);
    boost::beast::get_lowest_layer(stream).expires_after(idle_timeout);
    auto [ec] = co_await stream.async_handshake(boost::asio::ssl::stream_base::server,
                                                boost::asio::as_tuple(boost::asio::use_awaitable));
    if (ec) co_return;  // a client that does not trust us, or is not speaking TLS
    co_await serve(std::move(stream));
}

// GCC 12 warns, wrongly, that this coroutine's frame is freed by a mismatched operator delete:
// Asio's awaitable frames pair their own operator new and delete (a known GCC 12 false positive).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
template <class Stream>
boost::asio::awaitable<void> emulator_server::serve(Stream stream)
{
    namespace http = boost::beast::http;
    using boost::asio::as_tuple, boost::asio::use_awaitable;
    boost::beast::flat_buffer buffer;
    std::string wire;
    auto& socket = boost::beast::get_lowest_layer(stream).socket();
    for (;;) {
        // The idle timeout guards the read: a client that never sends its whole request.
        boost::beast::get_lowest_layer(stream).expires_after(idle_timeout);
        http::request_parser<http::string_body> parser;
        parser.body_limit(testing::emulator::max_body_size);
        auto [rec, rn] = co_await http::async_read(stream, buffer, parser, as_tuple(use_awaitable));
        const bool too_large = rec == http::error::body_limit;  // known once the head is read
        if (rec && !too_large) co_return;  // closed, timed out, or not HTTP: drop the connection
        boost::beast::get_lowest_layer(stream).expires_never();
        auto in = parser.release();
        const unsigned version = in.version();
        const bool keep_alive = in.keep_alive() && !too_large;

        // Over 12 MB: answered as the service does, from the head alone; the rest is never read.
        testing::emulated_exchange x = too_large ? testing::emulated_exchange{body_too_large(in.target())} : respond(std::move(in));
        if (x.how == testing::fault::reset) {  // a real RST, not a polite close
            boost::system::error_code ignored;
            socket.set_option(tcp::socket::linger(true, 0), ignored);
            socket.close(ignored);
            co_return;
        }
        if (x.how == testing::fault::delay) {
            boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, x.delay);
            co_await timer.async_wait(as_tuple(use_awaitable));
        }
        modelarts::detail::serialize_answer(wire, x.response, version, keep_alive);
        std::size_t size = wire.size();
        if (x.how == testing::fault::truncated_body)  // the whole head, half the body
            size -= x.response.body.size() - x.response.body.size() / 2;
        auto [wec, wn] = co_await boost::asio::async_write(modelarts::detail::answer_stream(stream),
                                                           boost::asio::buffer(wire.data(), size), as_tuple(use_awaitable));
        if (x.how == testing::fault::truncated_body) {  // then gone
            boost::system::error_code ignored;
            socket.close(ignored);
            co_return;
        }
        if (wec || !keep_alive) break;
    }
    boost::system::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_both, ignored);
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

MODELARTS_DECL http_response emulator_server::body_too_large(std::string_view target)
{
    std::lock_guard lock(mutex_);
    return emulator_.answer_body_too_large(target);
}

template <class Request>
testing::emulated_exchange emulator_server::respond(Request&& in)
{
    namespace http = boost::beast::http;
    std::lock_guard lock(mutex_);
    http_request req;
    switch (in.method()) {
    case http::verb::get: req.method = http_method::get; break;
    case http::verb::put: req.method = http_method::put; break;
    case http::verb::post: req.method = http_method::post; break;
    default: return {emulator_.answer_unknown_api()};
    }
    req.set_target(in.target());
    for (const auto& f : in) req.headers.add(f.name_string(), f.value());
    req.set_body(in.body());
    return emulator_.exchange(req);
}

} // namespace modelarts::testing

#endif
