/**
 * @file transports/beast.hpp
 * `modelarts::beast_transport`: an Asio-based `async_transport` over Boost.Beast, written with
 * C++20 coroutines (needs OpenSSL: `-lssl -lcrypto`). Optional: `modelarts.hpp` never includes it.
 *
 * HTTP and HTTPS (peer verification on, host name checked, SNI set); idle connections kept and
 * reused per endpoint, with `TCP_NODELAY`. `async_send` is an Asio operation: it takes any
 * completion token, honours the handler's cancellation slot, and with "modelarts/asio.hpp" so do
 * the library's async calls.
 */
#ifndef MODELARTS_TRANSPORTS_BEAST_HPP
#define MODELARTS_TRANSPORTS_BEAST_HPP

#include "modelarts/error.hpp"
#include "modelarts/http.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <algorithm>
#include <chrono>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace modelarts {

/** Settings of `beast_transport`. */
struct beast_transport_options {
    std::chrono::milliseconds timeout{std::chrono::seconds(60)};  ///< per connect, handshake, write, read
    std::string ca_file = {};  ///< PEM bundle to trust instead of the system's (empty: the system's)
};

/** An async transport over Boost.Beast. Use it from one thread (or strand) at a time. */
class beast_transport {
public:
    using executor_type = boost::asio::any_io_executor;  ///< where handlers run by default
    using options = beast_transport_options;             ///< its settings

    /**
     * @param ex the executor its I/O and, by default, its handlers run on
     * @param opts timeout and CA bundle
     */
    explicit beast_transport(executor_type ex, options opts = {})
        : executor_(std::move(ex)), strand_(boost::asio::make_strand(executor_)), options_(std::move(opts))
    {
        tls_.set_verify_mode(boost::asio::ssl::verify_peer);
        if (options_.ca_file.empty())
            tls_.set_default_verify_paths();
        else
            tls_.load_verify_file(options_.ca_file);
    }

    /** The executor completion handlers run on, unless they bring one of their own. */
    executor_type get_executor() const noexcept { return executor_; }

    /**
     * Sends a request; completes with `void(boost::system::error_code, modelarts::http_response)`.
     * The handler's cancellation slot reaches the exchange: cancelling closes the connection in
     * use and completes with `boost::asio::error::operation_aborted`.
     */
    template <class CompletionToken>
    auto async_send(http_request req, CompletionToken&& token)
    {
        return async_send(std::move(req), options_.timeout, std::forward<CompletionToken>(token));
    }

    /**
     * As above, allowing each step (connect, handshake, write, read) at most `timeout`, and never
     * more than the options' timeout.
     */
    template <class CompletionToken>
    auto async_send(http_request req, std::chrono::milliseconds timeout, CompletionToken&& token)
    {
        return boost::asio::async_initiate<CompletionToken, void(boost::system::error_code, http_response)>(
            [this](auto handler, http_request req, std::chrono::milliseconds t) {
                auto slot = boost::asio::get_associated_cancellation_slot(handler);
                auto done = [this, h = std::move(handler)](std::exception_ptr e, exchange_result r) mutable {
                    if (e) r = {error::transport_failure, {}};  // std::bad_alloc, or cancelled between two steps
                    auto ex = boost::asio::get_associated_executor(h, executor_);
                    boost::asio::dispatch(ex, [h = std::move(h), r = std::move(r)]() mutable {
                        std::move(h)(r.first, std::move(r.second));
                    });
                };
                boost::asio::co_spawn(strand_, exchange(std::move(req), std::min(t, options_.timeout)),
                                      boost::asio::bind_cancellation_slot(slot, std::move(done)));
            },
            token, std::move(req), timeout);
    }

    /** Connections opened so far (a reused connection is not counted again). */
    std::size_t connections_opened() const noexcept { return opened_; }

    /** Maps Asio, Beast and OpenSSL errors to the library's transport errors. */
    static boost::system::error_code to_error(const boost::system::error_code& ec)
    {
        namespace asio_error = boost::asio::error;
        if (ec == asio_error::operation_aborted) return ec;  // cancelled: not a failure of the exchange
        if (ec == asio_error::connection_refused) return error::connection_refused;
        if (ec == asio_error::host_not_found || ec == asio_error::host_not_found_try_again) return error::host_not_found;
        if (ec == boost::beast::error::timeout || ec == asio_error::timed_out) return error::timeout;
        if (ec == asio_error::eof || ec == asio_error::connection_reset || ec == asio_error::connection_aborted
            || ec == asio_error::broken_pipe || ec == boost::beast::http::error::end_of_stream
            || ec == boost::beast::http::error::partial_message || ec == boost::asio::ssl::error::stream_truncated)
            return error::connection_reset;
        if (ec.category() == asio_error::get_ssl_category()) return error::tls_failure;
        return error::transport_failure;
    }

private:
    using tcp = boost::asio::ip::tcp;
    using exchange_result = std::pair<boost::system::error_code, http_response>;
    using round_trip_result = std::tuple<boost::system::error_code, http_response, bool>;
    static constexpr std::size_t max_response_body = 64 * 1024 * 1024;

    struct connection {
        std::string key;  // scheme://host:port
        std::optional<boost::beast::tcp_stream> plain;
        std::optional<boost::beast::ssl_stream<boost::beast::tcp_stream>> tls;
        boost::beast::flat_buffer buffer;
    };

    boost::asio::awaitable<exchange_result> exchange(http_request req, std::chrono::milliseconds timeout)
    {
        const std::string key = req.destination.url();
        for (int attempt = 0;; ++attempt) {
            std::unique_ptr<connection> c = take_idle(key);
            const bool reused = c != nullptr;
            if (!c) {
                auto [ec, fresh] = co_await connect(req.destination, timeout);
                if (ec) co_return exchange_result{to_error(ec), {}};
                c = std::move(fresh);
            }
            bool got_some = false;
            round_trip_result rt;  // if/else, not ?: - GCC 12 mis-destroys co_await in a conditional
            if (c->tls)
                rt = co_await round_trip(*c->tls, c->buffer, req, timeout, got_some);
            else
                rt = co_await round_trip(*c->plain, c->buffer, req, timeout, got_some);
            auto& [ec, res, keep_alive] = rt;
            // A kept connection the server has since closed fails before any answer: retry once.
            if (ec && ec != boost::asio::error::operation_aborted && reused && !got_some && attempt == 0) continue;
            if (ec) co_return exchange_result{to_error(ec), {}};
            if (keep_alive) idle_.push_back(std::move(c));
            co_return exchange_result{{}, std::move(res)};
        }
    }

    std::unique_ptr<connection> take_idle(const std::string& key)
    {
        for (auto it = idle_.begin(); it != idle_.end(); ++it) {
            if ((*it)->key != key) continue;
            auto c = std::move(*it);
            idle_.erase(it);
            return c;
        }
        return nullptr;
    }

    boost::asio::awaitable<std::pair<boost::system::error_code, std::unique_ptr<connection>>> connect(const endpoint& ep, std::chrono::milliseconds timeout)
    {
        using boost::asio::as_tuple, boost::asio::use_awaitable;
        std::string host = ep.host;
        if (host.size() > 1 && host.front() == '[') host = host.substr(1, host.size() - 2);  // IPv6 literal

        tcp::resolver resolver(strand_);
        auto [rec, results] = co_await resolver.async_resolve(host, std::to_string(ep.port), as_tuple(use_awaitable));
        if (rec) co_return std::pair{rec, nullptr};

        auto c = std::make_unique<connection>();
        c->key = ep.url();
        boost::beast::tcp_stream stream(strand_);
        stream.expires_after(timeout);
        auto [cec, peer] = co_await stream.async_connect(results, as_tuple(use_awaitable));
        if (cec) co_return std::pair{cec, nullptr};
        boost::system::error_code nodelay_ec;  // headers and body leave at once: no Nagle stall
        stream.socket().set_option(tcp::no_delay(true), nodelay_ec);
        ++opened_;
        if (ep.scheme != "https") {
            c->plain.emplace(std::move(stream));
            co_return std::pair{boost::system::error_code{}, std::move(c)};
        }

        auto& tls = c->tls.emplace(std::move(stream), tls_);
        boost::system::error_code ip_ec;
        boost::asio::ip::make_address(host, ip_ec);
        if (ip_ec && !SSL_set_tlsext_host_name(tls.native_handle(), host.c_str()))  // SNI for names, not addresses
            co_return std::pair{boost::system::error_code(static_cast<int>(::ERR_get_error()), boost::asio::error::get_ssl_category()), nullptr};
        tls.set_verify_callback(boost::asio::ssl::host_name_verification(host));
        boost::beast::get_lowest_layer(tls).expires_after(timeout);
        auto [hec] = co_await tls.async_handshake(boost::asio::ssl::stream_base::client, as_tuple(use_awaitable));
        if (hec) co_return std::pair{hec, nullptr};
        co_return std::pair{boost::system::error_code{}, std::move(c)};
    }

    template <class Stream>
    boost::asio::awaitable<round_trip_result> round_trip(Stream& stream, boost::beast::flat_buffer& buffer, const http_request& req,
                                                    std::chrono::milliseconds timeout, bool& got_some)
    {
        namespace http = boost::beast::http;
        using boost::asio::as_tuple, boost::asio::use_awaitable;
        http::request<http::string_body> out{req.method == http_method::get   ? http::verb::get
                                             : req.method == http_method::put ? http::verb::put
                                                                              : http::verb::post,
                                             req.target, 11};
        for (const auto& h : req.headers) out.insert(h.name, h.value);
        out.body() = req.body;

        boost::beast::get_lowest_layer(stream).expires_after(timeout);
        auto [wec, wn] = co_await http::async_write(stream, out, as_tuple(use_awaitable));
        if (wec) co_return std::tuple{wec, http_response{}, false};

        http::response_parser<http::string_body> parser;
        parser.body_limit(max_response_body);
        auto [rec, rn] = co_await http::async_read(stream, buffer, parser, as_tuple(use_awaitable));
        got_some = parser.got_some();
        if (rec) co_return std::tuple{rec, http_response{}, false};

        auto& in = parser.get();
        http_response res;
        res.status = in.result_int();
        for (const auto& f : in) res.headers.add(f.name_string(), f.value());
        res.body = std::move(in.body());
        co_return std::tuple{boost::system::error_code{}, std::move(res), in.keep_alive()};
    }

    executor_type executor_;
    boost::asio::strand<executor_type> strand_;
    options options_;
    boost::asio::ssl::context tls_{boost::asio::ssl::context::tls_client};
    std::vector<std::unique_ptr<connection>> idle_;
    std::size_t opened_ = 0;
};

} // namespace modelarts

#endif
