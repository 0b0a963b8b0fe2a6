/**
 * @file detail/handler_relay.hpp
 * Handing an erased completion handler to Asio operations, for the code that takes handlers of
 * any type through one non-template function (`any_async_transport`, `beast_transport`).
 */
#ifndef MODELARTS_DETAIL_HANDLER_RELAY_HPP
#define MODELARTS_DETAIL_HANDLER_RELAY_HPP

#include "modelarts/http.hpp"

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/append.hpp>
#include <boost/asio/associated_allocator.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/bind_allocator.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/recycling_allocator.hpp>
#include <boost/system/error_code.hpp>

#include <memory>
#include <type_traits>
#include <utility>

namespace modelarts::detail {

// A handler of an exchange, whatever its type.
using exchange_handler = boost::asio::any_completion_handler<void(boost::system::error_code, http_response)>;

// What an erased handler is wrapped in before Asio operations see it. In Boost 1.81 an erased
// handler's executor (`any_completion_executor`) cannot be posted to, and Beast's operations
// post: so `executor` (the transport's) runs the exchange's steps, and the result is dispatched to
// the handler's own executor. Its cancellation slot and allocator pass through (see `erase`).
struct handler_relay {
    using executor_type = boost::asio::any_io_executor;
    using cancellation_slot_type = boost::asio::associated_cancellation_slot_t<exchange_handler>;
    using allocator_type = boost::asio::associated_allocator_t<exchange_handler>;

    exchange_handler handler;
    executor_type executor;
    bool in_place = false;  // the handler's executor is `executor`: the result needs no dispatch

    /**
     * Erases `h`, first finding out, while its type is known, two things the erasure would hide:
     * - whether its executor is `ex`, where the exchange's steps run: then the result is handed
     *   over in place (dispatching through an erased executor costs three allocations);
     * - whether its allocator is the default one, as that of Asio's composed operations and
     *   coroutines is: then it gets Asio's recycling allocator, which Asio would give its
     *   operations, but which the erasure would turn into operator new for every one of them.
     */
    template <class Handler>
        requires(!std::is_lvalue_reference_v<Handler>)  // moved from
    static handler_relay erase(Handler&& h, executor_type ex)
    {
        using handler_type = std::decay_t<Handler>;
        bool same = false;
        if constexpr (std::is_same_v<boost::asio::associated_executor_t<handler_type, executor_type>, executor_type>)
            same = boost::asio::get_associated_executor(h, ex) == ex;
        if constexpr (std::is_same_v<boost::asio::associated_allocator_t<handler_type>, std::allocator<void>>)
            return {exchange_handler(recycling(std::forward<Handler>(h))), std::move(ex), same};
        else
            return {exchange_handler(std::forward<Handler>(h)), std::move(ex), same};
    }

    // `h` with Asio's recycling allocator (in place of the default one it had bound, if any).
    template <class Handler>
        requires(!std::is_lvalue_reference_v<Handler>)
    static auto recycling(Handler&& h)
    {
        if constexpr (is_allocator_binder<std::decay_t<Handler>>::value)
            return recycling(std::move(h.get()));
        else
            return boost::asio::bind_allocator(boost::asio::recycling_allocator<void>(), std::forward<Handler>(h));
    }
    template <class T>
    struct is_allocator_binder : std::false_type {};
    template <class T, class Allocator>
    struct is_allocator_binder<boost::asio::allocator_binder<T, Allocator>> : std::true_type {};

    executor_type get_executor() const noexcept { return executor; }
    cancellation_slot_type get_cancellation_slot() const noexcept { return boost::asio::get_associated_cancellation_slot(handler); }
    allocator_type get_allocator() const noexcept { return boost::asio::get_associated_allocator(handler); }

    void operator()(boost::system::error_code ec, http_response res)
    {
        if (in_place) return std::move(handler)(ec, std::move(res));  // the steps run on the handler's executor
        auto ex = boost::asio::get_associated_executor(handler);
        boost::asio::dispatch(ex, boost::asio::append(std::move(handler), ec, std::move(res)));
    }
};

} // namespace modelarts::detail

#endif
