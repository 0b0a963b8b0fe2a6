/**
 * @file transport.hpp
 * The seam between the library and the user's HTTP stack: a blocking `sync_transport`, or an
 * `async_transport` that calls a handler when the response has arrived. An exchange, here and
 * throughout the library, is one request and the answer to it; a call makes one exchange per
 * attempt.
 */
#ifndef MODELARTS_TRANSPORT_HPP
#define MODELARTS_TRANSPORT_HPP

#include "modelarts/error.hpp"
#include "modelarts/http.hpp"

#include <algorithm>
#include <chrono>
#include <concepts>
#include <cstddef>
#include <string>
#include <type_traits>
#include <utility>

namespace modelarts {

/**
 * How much of an answer the shipped transports read before giving up with
 * `error::response_too_large` and dropping the connection, so that a hostile or broken server
 * cannot make the client's memory grow without bound. ModelArts' answers are a few hundred bytes
 * with about a dozen headers; a version list of 1,000 versions is under 2 MiB.
 */
struct response_limits {
    std::size_t max_body_bytes = 8 * 1024 * 1024;   ///< the body, after any transfer coding
    std::size_t max_header_count = 100;             ///< header lines
    std::size_t max_header_bytes = 16 * 1024;       ///< the status line and header lines together
};

/**
 * What every shipped transport (`curl_transport`, `httplib_transport`, `beast_transport`) is set
 * up with: the same words mean the same thing in each.
 */
struct transport_options {
    /**
     * The whole exchange: connecting, the TLS handshake, writing the request and reading the whole
     * answer; past it, `error::timeout`. 0: no limit. A call's deadline shortens it to what is left.
     */
    std::chrono::milliseconds timeout{std::chrono::seconds(60)};
    /** Opening a connection (resolving, TCP, TLS), within `timeout`. 0: only `timeout` applies. */
    std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
    /** PEM bundle of the CAs to trust instead of the system's (empty: the system's). */
    std::string ca_file = {};
    /** How much of an answer to read before `error::response_too_large`. */
    response_limits limits = {};
};

namespace detail {

// The time an exchange may take: what the call asked for, within the transport's own limit; each
// 0 for none, and 0 back when neither limits it.
inline std::chrono::milliseconds exchange_timeout(std::chrono::milliseconds asked, std::chrono::milliseconds own) noexcept
{
    if (own.count() <= 0) return asked;
    if (asked.count() <= 0) return own;
    return std::min(asked, own);
}

} // namespace detail

/**
 * A blocking HTTP client: `send` delivers a request and returns whatever response came back.
 *
 * The transport sends `req.method req.target()` with `req.headers` and `req.body()` to
 * `req.destination()` (or `req.url()`), and returns the status, headers and body untouched,
 * whatever the status: deciding what is a service failure is the library's job. Only a failure
 * to exchange (refused, reset, timeout, TLS) is an error, best one of `modelarts::error`'s
 * transport codes.
 *
 * @code
 * struct my_transport {
 *     modelarts::result<modelarts::http_response> send(const modelarts::http_request& req)
 *     {
 *         my_http::reply r = client_.call(to_string(req.method), req.url(), req.headers, req.body());
 *         if (r.failed) return modelarts::error::connection_refused;  // or any error_code
 *         modelarts::http_response res{r.status, {}, std::move(r.body)};
 *         for (auto& [k, v] : r.headers) res.headers.add(k, v);
 *         return res;
 *     }
 *     my_http::client client_;
 * };
 * static_assert(modelarts::sync_transport<my_transport>);
 * @endcode
 */
template <class T>
concept sync_transport = requires(T& transport, const http_request& req) {
    { transport.send(req) } -> std::same_as<result<http_response>>;
};

namespace detail {

// Stands for any handler an async transport must accept: callable once with (error_code, http_response).
struct send_handler_archetype {
    void operator()(boost::system::error_code, http_response) {}
};

} // namespace detail

/**
 * A non-blocking HTTP client: `async_send(req, handler)` starts the exchange and returns at once;
 * when it ends, the transport calls `handler(ec, response)` exactly once, on its own executor or
 * thread, never from inside `async_send`. `ec` is set only for a failed exchange, as for
 * `sync_transport`; a response with any status is a success.
 *
 * An Asio-based transport is written as an Asio asynchronous operation with the completion
 * signature `void(boost::system::error_code, modelarts::http_response)`, and provides
 * `get_executor()`: the library's async calls then take any Asio completion token (see asio.hpp).
 *
 * @code
 * struct my_async_transport {
 *     template <class Handler>  // void(boost::system::error_code, modelarts::http_response)
 *     void async_send(modelarts::http_request req, Handler handler)
 *     {
 *         loop_.start(std::move(req), [h = std::move(handler)](my_http::reply r) mutable {
 *             if (r.failed) return h(modelarts::error::connection_reset, modelarts::http_response{});
 *             h(boost::system::error_code{}, modelarts::http_response{r.status, r.headers, r.body});
 *         });
 *     }
 *     my_http::event_loop& loop_;
 * };
 * static_assert(modelarts::async_transport<my_async_transport>);
 * @endcode
 */
template <class T>
concept async_transport = requires(T& transport, http_request req, detail::send_handler_archetype handler) {
    transport.async_send(std::move(req), std::move(handler));
};

/**
 * Optional: a sync transport that also takes a timeout per exchange. A call's deadline then
 * bounds each attempt to the time that remains.
 *
 * @code
 * modelarts::result<modelarts::http_response> send(const modelarts::http_request& req,
 *                                                  std::chrono::milliseconds timeout);
 * @endcode
 */
template <class T>
concept timed_sync_transport = sync_transport<T> && requires(T& transport, const http_request& req, std::chrono::milliseconds t) {
    { transport.send(req, t) } -> std::same_as<result<http_response>>;
};

/**
 * Optional: an async transport that also takes a timeout per exchange,
 * `async_send(http_request, std::chrono::milliseconds, handler)`.
 */
template <class T>
concept timed_async_transport = requires(T& transport, http_request req, std::chrono::milliseconds t,
                                         detail::send_handler_archetype handler) {
    transport.async_send(std::move(req), t, std::move(handler));
};

namespace detail {

// Stands for any handler a timer must accept: callable once with an error_code.
struct wait_handler_archetype {
    void operator()(boost::system::error_code) {}
};

template <class Transport>
concept has_executor = requires(Transport& t) { t.get_executor(); };

} // namespace detail

/**
 * Optional, for async transports without Asio: a timer, so calls can wait between attempts.
 * `async_wait(d, handler)` calls `handler(error_code)` once, `d` later, as `async_send` does.
 * Without it, such a transport's calls are never retried. (Asio-based transports need none:
 * the library waits on an Asio timer on their executor.)
 *
 * @code
 * struct my_retrying_transport {
 *     template <class Handler>  // void(boost::system::error_code, modelarts::http_response)
 *     void async_send(modelarts::http_request req, Handler handler);  // as in async_transport's example
 *     template <class Handler>  // void(boost::system::error_code)
 *     void async_wait(std::chrono::nanoseconds d, Handler handler) { loop_.call_later(d, std::move(handler)); }
 *     my_http::event_loop& loop_;
 * };
 * static_assert(modelarts::async_timer_transport<my_retrying_transport>);
 * @endcode
 */
template <class T>
concept async_timer_transport = requires(T& transport, std::chrono::nanoseconds d, detail::wait_handler_archetype handler) {
    transport.async_wait(d, std::move(handler));
};

} // namespace modelarts

#endif
