/**
 * @file detail/async_start.hpp
 * How an async call starts: an Asio-based transport (one with `get_executor()`) completes through
 * `completion_token_adapter`, defined by "modelarts/asio.hpp", so callbacks and Asio tokens alike
 * get Asio's guarantees; any other transport takes a plain callback, through the callback
 * driver. The choice depends on the transport's type only, never on which headers a unit
 * includes, so no unit can see another meaning of the same call.
 */
#ifndef MODELARTS_DETAIL_ASYNC_START_HPP
#define MODELARTS_DETAIL_ASYNC_START_HPP

#include "modelarts/detail/callback_driver.hpp"
#include "modelarts/detail/sansio/operation.hpp"
#include "modelarts/diagnostics.hpp"
#include "modelarts/session.hpp"
#include "modelarts/transport.hpp"

#include <type_traits>
#include <utility>

namespace modelarts::detail {

// How a call on an Asio-based transport completes, whatever the token. Declared here, defined by
// "modelarts/asio.hpp", so the core never includes Asio.
template <class Token, class Signature>
struct completion_token_adapter;

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

// Whether the async driver for `Transport` can wait between attempts.
template <class Transport>
inline constexpr bool async_can_wait = has_executor<Transport> || async_timer_transport<Transport>;

template <class Transport, class Parse, class Token>
auto async_start(session<Transport> s, sansio::operation<Parse> op, diagnostics* diag, Token&& token)
{
    using token_type = std::decay_t<Token>;
    using signature = void(typename sansio::operation<Parse>::result_type);
    if constexpr (has_executor<Transport>) {
        static_assert(requires { &completion_token_adapter<token_type, signature>::template initiate<Transport, Parse, Token>; },
                      "modelarts: this transport is Asio-based (it has get_executor()): "
                      "include \"modelarts/asio.hpp\" to call it with a callback or any Asio completion token");
        return completion_token_adapter<token_type, signature>::initiate(std::move(s), std::move(op), diag, std::forward<Token>(token));
    } else {
        static_assert(is_plain_callback<token_type, signature>::value,
                      "modelarts: the completion token must be a callback taking the result, e.g. "
                      "[](modelarts::result<modelarts::update_result> r) {...}; Asio completion tokens need an "
                      "Asio-based transport and include \"modelarts/asio.hpp\"");
        callback_call<Transport, Parse, token_type>::start(std::move(s), std::move(op), diag, token_type(std::forward<Token>(token)));
    }
}

} // namespace modelarts::detail

#endif
