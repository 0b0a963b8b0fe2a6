/**
 * @file asio.hpp
 * Asio for the library's async calls: include this header, and `async_update_job_description`
 * and `async_get_job_version_object_list` take `use_awaitable`, `use_future`, `as_tuple(...)`,
 * `bind_executor(...)`, `bind_cancellation_slot(...)` or any other Asio token, as well as plain
 * callbacks. Needs an Asio-based `async_transport` (one with `get_executor()`).
 *
 * Each call is one composed operation (`async_compose`) over the call's machine: the
 * handler's associated executor, allocator and cancellation slot reach every step, the
 * transport's exchange and the backoff timer alike. Cancelling completes the call with
 * `boost::asio::error::operation_aborted`; the exchange in flight is abandoned by the transport.
 *
 * @code
 * #include "modelarts/asio.hpp"
 * #include "modelarts/transports/beast.hpp"
 * #include <boost/asio/experimental/awaitable_operators.hpp>
 * #include <boost/asio/steady_timer.hpp>
 * #include <boost/asio/use_awaitable.hpp>
 *
 * boost::asio::awaitable<void> run(modelarts::estimator<modelarts::beast_transport> est)
 * {
 *     using namespace boost::asio::experimental::awaitable_operators;
 *     boost::asio::steady_timer timer{co_await boost::asio::this_coro::executor, std::chrono::seconds(5)};
 *     auto r = co_await (est.async_update_job_description("new text", boost::asio::use_awaitable)
 *                        || timer.async_wait(boost::asio::use_awaitable));   // whichever ends first
 * }
 * @endcode
 */
#ifndef MODELARTS_ASIO_HPP
#define MODELARTS_ASIO_HPP

#include "modelarts/any_async_transport.hpp"
#include "modelarts/detail/async_start.hpp"
#include "modelarts/detail/sansio/operation.hpp"
#include "modelarts/detail/send.hpp"
#include "modelarts/detail/session_state.hpp"
#include "modelarts/diagnostics.hpp"
#include "modelarts/error.hpp"
#include "modelarts/http.hpp"
#include "modelarts/session.hpp"
#include "modelarts/transport.hpp"

#include <boost/asio/cancellation_type.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <memory>
#include <utility>

namespace modelarts {

namespace detail {

// The body of `async_compose`: one operation driven by the transport and an Asio timer. `self`
// is handed to every inner operation, so they see the handler's associators.
template <class Transport, class Parse>
struct asio_call {
    session<Transport> session_;
    sansio::operation<Parse> op;
    diagnostics* diag;
    std::unique_ptr<boost::asio::steady_timer> timer = {};  // on the heap: `self` moves while it waits
    bool posted = false;

    template <class Self>
    void operator()(Self& self)  // start, and once more after the post below
    {
        const auto in = state().inputs();
        const sansio::step step = op.resume(in);
        if (step.what == sansio::step::action::done && !posted) {
            posted = true;  // over before it began (refused input): never complete inside the initiating call
            return boost::asio::post(std::move(self));
        }
        advance(self, step, in);
    }

    template <class Self>
    void operator()(Self& self, boost::system::error_code ec, http_response res)  // the exchange ended
    {
        if (self.cancelled() != boost::asio::cancellation_type::none) return aborted(self);
        const auto outcome = to_outcome(ec, std::move(res));
        const auto in = state().inputs();
        const auto attempt = op.on_response(outcome, in);
        state().report(attempt, op.request(), outcome);
        advance(self, op.resume(in), in);
    }

    template <class Self>
    void operator()(Self& self, boost::system::error_code ec)  // the backoff ended
    {
        if (ec || self.cancelled() != boost::asio::cancellation_type::none) return aborted(self);
        const auto in = state().inputs();
        advance(self, op.resume(in), in);
    }

private:
    session_state& state() const noexcept { return access::state(session_); }

    // `in`: the clocks as read for `step`, good until time passes.
    template <class Self>
    void advance(Self& self, sansio::step step, const sansio::step_inputs& in)
    {
        using action = sansio::step::action;
        for (;;) {
            switch (step.what) {
            case action::send:
                // A copy: the operation keeps its request for the attempt report and a retry.
                return async_send_within(session_.transport(), http_request(op.request()), as_timeout(step.duration), std::move(self));
            case action::wait:
                if (!timer) timer = std::make_unique<boost::asio::steady_timer>(session_.transport().get_executor());
                timer->expires_after(step.duration);
                return timer->async_wait(std::move(self));
            case action::need_token: step = op.use_token(state().held_token(), in); break;
            case action::token_received:
                state().keep_token(op.received_token());
                step = op.resume(in);
                break;
            case action::clock_skew:
                state().correct_clock(op.server_time());
                step = op.resume(state().inputs());  // signed again with the corrected time
                break;
            case action::done:
                timer.reset();
                return self.complete(op.take_result(diag));
            }
        }
    }

    template <class Self>
    void aborted(Self& self)
    {
        timer.reset();
        if (diag) *diag = op.facts();  // what the call did before it was cancelled
        self.complete(typename sansio::operation<Parse>::result_type(boost::system::error_code(boost::asio::error::operation_aborted)));
    }
};

/**
 * Completes the library's async calls through `boost::asio::async_compose`, so any Asio
 * completion token works. The primary template is declared in detail/async_start.hpp.
 */
template <class Token, class Signature>
struct completion_token_adapter {
    // The session's transport's executor runs the handler unless the handler has one of its own;
    // its timer waits between attempts.
    template <class Transport, class Parse, class T>
    static auto initiate(session<Transport> s, sansio::operation<Parse> op, diagnostics* diag, T&& token)
    {
        auto ex = s.transport().get_executor();
        return boost::asio::async_compose<T, Signature>(asio_call<Transport, Parse>{std::move(s), std::move(op), diag}, token, ex);
    }
};

} // namespace detail

} // namespace modelarts

#endif
