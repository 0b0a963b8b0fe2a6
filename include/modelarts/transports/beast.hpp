/**
 * @file transports/beast.hpp
 * `modelarts::beast_transport`: an Asio-based `async_transport` over Boost.Beast, written as one
 * composed operation (needs OpenSSL: `-lssl -lcrypto`). Optional: `modelarts.hpp` never includes it.
 *
 * HTTP and HTTPS (peer verification on, host name checked, SNI set); idle connections kept and
 * reused per endpoint, with `TCP_NODELAY`. A request leaves in one gather write; Beast's parser
 * reads the answer from a buffer the connection keeps straight into the `http_response`.
 * `async_send` is an Asio operation: it takes any completion token, honours the handler's
 * cancellation slot, and with "modelarts/asio.hpp" so do the library's async calls.
 *
 * Header-only by default. Its exchange instantiates much of Asio, Beast and OpenSSL's stream, so
 * a program can compile it once: define `MODELARTS_SEPARATE_COMPILATION` in every unit, and in
 * exactly one define `MODELARTS_SOURCE` before including this header (as examples/beast_transport.cpp
 * does). Either way, handlers of every type reach the exchange as one erased type, so that code
 * is instantiated once per program, not once per completion token.
 */
#ifndef MODELARTS_TRANSPORTS_BEAST_HPP
#define MODELARTS_TRANSPORTS_BEAST_HPP

#include "modelarts/detail/config.hpp"
#include "modelarts/detail/handler_relay.hpp"
#include "modelarts/error.hpp"
#include "modelarts/http.hpp"
#include "modelarts/transport.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace boost::asio::ssl {
class context;
} // namespace boost::asio::ssl

namespace modelarts {

/**
 * An async transport over Boost.Beast: safe for concurrent use, from any thread, with its
 * `io_context` run by any number of threads. Each exchange runs on its connection's strand, and
 * completes on its handler's executor.
 */
class beast_transport {
public:
    using executor_type = boost::asio::any_io_executor;  ///< where handlers run by default
    using options = transport_options;                   ///< its settings, as every shipped transport's

    /**
     * Sets nothing up yet: the TLS context (and its CA bundle, tens of milliseconds to load) is
     * made at the first https connection, so plain HTTP never pays for it; a CA bundle that cannot
     * be read fails that exchange with `error::tls_failure`.
     * @param ex the executor its I/O and, by default, its handlers run on
     * @param opts timeouts, CA bundle and limits
     */
    MODELARTS_DECL explicit beast_transport(executor_type ex, options opts = {});

    /** Moves the transport, its idle connections with it; no exchange may be in flight. */
    MODELARTS_DECL beast_transport(beast_transport&&) noexcept;
    /** @return *this, holding what the other held; no exchange may be in flight on either */
    MODELARTS_DECL beast_transport& operator=(beast_transport&&) noexcept;
    /** Closes the idle connections. */
    MODELARTS_DECL ~beast_transport();

    /** The executor completion handlers run on, unless they bring one of their own. */
    executor_type get_executor() const noexcept { return executor_; }

    /**
     * Sends a request; completes with `void(boost::system::error_code, modelarts::http_response)`.
     * The handler's cancellation slot reaches the exchange: cancelling closes the connection in
     * use and completes with `boost::asio::error::operation_aborted`. The handler runs on its
     * associated executor (by default this transport's), never inside this call; the transport
     * must outlive the exchange.
     * @param req the request
     * @param token any Asio completion token
     */
    template <class CompletionToken>
    auto async_send(http_request req, CompletionToken&& token)
    {
        return async_send(std::move(req), options_.timeout, std::forward<CompletionToken>(token));
    }

    /**
     * As above, allowing the whole exchange (connect, handshake, write, read) at most `timeout`,
     * and never more than the options' timeout; past it, completes with `error::timeout`.
     * @param req the request
     * @param timeout the time allowed
     * @param token any Asio completion token
     */
    template <class CompletionToken>
    auto async_send(http_request req, std::chrono::milliseconds timeout, CompletionToken&& token)
    {
        timeout = detail::exchange_timeout(timeout, options_.timeout);
        const auto deadline = timeout.count() > 0 ? clock::now() + timeout : clock::time_point::max();
        if constexpr (std::is_same_v<std::decay_t<CompletionToken>, detail::handler_relay>) {
            return start(std::move(req), deadline, std::forward<CompletionToken>(token));  // already erased (any_async_transport)
        } else {
            return boost::asio::async_initiate<CompletionToken, void(boost::system::error_code, http_response)>(
                [this](auto handler, http_request r, clock::time_point d) {
                    start(std::move(r), d, detail::handler_relay::erase(std::move(handler), executor_));
                },
                token, std::move(req), deadline);
        }
    }

    /** @return connections opened so far (a reused connection is not counted again) */
    std::size_t connections_opened() const noexcept { return opened_->load(std::memory_order_relaxed); }

    /**
     * Maps Asio, Beast and OpenSSL errors to the library's transport errors.
     * @param ec an error from Asio, Beast or OpenSSL
     * @return `operation_aborted` as is; else the library's transport error
     */
    MODELARTS_DECL static boost::system::error_code to_error(const boost::system::error_code& ec);

private:
    using clock = std::chrono::steady_clock;
    struct connection;   // one connection and what its exchanges reuse
    struct exchange_op;  // one exchange, as an Asio composed operation

    // Every exchange enters here, its handler erased: Beast's code is instantiated once.
    MODELARTS_DECL void start(http_request req, clock::time_point deadline, detail::handler_relay handler);
    MODELARTS_DECL std::shared_ptr<connection> take_idle(const endpoint& where);
    MODELARTS_DECL void give_back(std::shared_ptr<connection> conn);
    MODELARTS_DECL boost::system::result<boost::asio::ssl::context*> tls_context();

    executor_type executor_;
    options options_;
    std::unique_ptr<std::mutex> mutex_ = std::make_unique<std::mutex>();  // guards tls_ and idle_; on the heap, so the transport moves
    std::unique_ptr<boost::asio::ssl::context> tls_;  // made at the first https connection
    std::vector<std::shared_ptr<connection>> idle_;
    std::unique_ptr<std::atomic<std::size_t>> opened_ = std::make_unique<std::atomic<std::size_t>>(0);
};

} // namespace modelarts

#if !defined(MODELARTS_SEPARATE_COMPILATION) || defined(MODELARTS_SOURCE)
#include "modelarts/transports/impl/beast.ipp"
#endif

#endif
