/**
 * @file transport.hpp
 * The seam between the library and the user's HTTP stack: a blocking `sync_transport`, or an
 * `async_transport` that calls a handler when the response has arrived.
 */
#ifndef MODELARTS_TRANSPORT_HPP
#define MODELARTS_TRANSPORT_HPP

#include "modelarts/error.hpp"
#include "modelarts/http.hpp"

#include <concepts>
#include <type_traits>
#include <utility>

namespace modelarts {

/**
 * A blocking HTTP client: `send` delivers a request and returns whatever response came back.
 *
 * The transport sends `req.method req.target` with `req.headers` and `req.body` to
 * `req.destination` (or `req.url()`), and returns the status, headers and body untouched,
 * whatever the status: deciding what is a service failure is the library's job. Only a failure
 * to exchange (refused, reset, timeout, TLS) is an error, best one of `modelarts::error`'s
 * transport codes.
 *
 * @code
 * struct my_transport {
 *     modelarts::result<modelarts::http_response> send(const modelarts::http_request& req)
 *     {
 *         my_http::reply r = client_.call(to_string(req.method), req.url(), req.headers, req.body);
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
 * Customisation point: how an operation on an Asio-based transport completes, whatever the
 * token (a callback, `use_awaitable`, `use_future`, ...). Declared here, defined by
 * "modelarts/asio.hpp", so the core never includes Asio.
 * @tparam Token the decayed completion token type
 * @tparam Signature the operation's completion signature, e.g. `void(result<update_result>)`
 */
template <class Token, class Signature>
struct completion_token_adapter;

namespace detail {

template <class Token, class Signature>
struct is_plain_callback;

template <class Token, class R, class... Args>
struct is_plain_callback<Token, R(Args...)> {
    static constexpr bool value = [] {
        if constexpr (std::is_invocable_v<Token&, Args...>)
            return std::is_void_v<std::invoke_result_t<Token&, Args...>>;
        else
            return false;
    }();
};

template <class Transport>
concept has_executor = requires(Transport& t) { t.get_executor(); };

/**
 * Starts an async operation. An Asio-based transport (one with `get_executor()`) completes
 * through `completion_token_adapter` (defined by asio.hpp), so callbacks and Asio tokens alike get
 * Asio's guarantees; any other transport takes a plain callback, called as `init(callback)`.
 * The choice depends on the transport's type only, never on which headers a unit includes.
 */
template <class Signature, class Initiation, class Token, class Transport>
auto initiate(Initiation&& init, Token&& token, Transport& transport)
{
    using token_type = std::decay_t<Token>;
    if constexpr (has_executor<Transport>) {
        static_assert(requires { &completion_token_adapter<token_type, Signature>::template initiate<Initiation, Token, Transport>; },
                      "modelarts: this transport is Asio-based (it has get_executor()): "
                      "include \"modelarts/asio.hpp\" to call it with a callback or any Asio completion token");
        return completion_token_adapter<token_type, Signature>::initiate(std::forward<Initiation>(init),
                                                                         std::forward<Token>(token), transport);
    } else {
        static_assert(is_plain_callback<token_type, Signature>::value,
                      "modelarts: the completion token must be a callback taking the result, e.g. "
                      "[](modelarts::result<modelarts::update_result> r) {...}; Asio completion tokens need an "
                      "Asio-based transport and include \"modelarts/asio.hpp\"");
        std::forward<Initiation>(init)(token_type(std::forward<Token>(token)));
    }
}

} // namespace detail

} // namespace modelarts

#endif
