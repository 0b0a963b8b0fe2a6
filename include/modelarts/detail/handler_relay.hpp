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
#include <boost/asio/dispatch.hpp>
#include <boost/system/error_code.hpp>

#include <utility>

namespace modelarts::detail {

// A handler of an exchange, whatever its type.
using exchange_handler = boost::asio::any_completion_handler<void(boost::system::error_code, http_response)>;

// What an erased handler is wrapped in before Asio operations see it. In Boost 1.81 an erased
// handler's executor (`any_completion_executor`) cannot be posted to, and Beast's operations
// post: so `executor` (the transport's) runs the exchange's steps, and the result is dispatched to
// the handler's own executor. Its cancellation slot and allocator pass through.
struct handler_relay {
    using executor_type = boost::asio::any_io_executor;
    using cancellation_slot_type = boost::asio::associated_cancellation_slot_t<exchange_handler>;
    using allocator_type = boost::asio::associated_allocator_t<exchange_handler>;

    exchange_handler handler;
    executor_type executor;

    executor_type get_executor() const noexcept { return executor; }
    cancellation_slot_type get_cancellation_slot() const noexcept { return boost::asio::get_associated_cancellation_slot(handler); }
    allocator_type get_allocator() const noexcept { return boost::asio::get_associated_allocator(handler); }

    void operator()(boost::system::error_code ec, http_response res)
    {
        auto ex = boost::asio::get_associated_executor(handler);
        boost::asio::dispatch(ex, boost::asio::append(std::move(handler), ec, std::move(res)));
    }
};

} // namespace modelarts::detail

#endif
