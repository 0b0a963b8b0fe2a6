/**
 * @file detail/callback_driver.hpp
 * The driver for async transports without Asio: a chain of callbacks. Waits need the
 * transport's optional `async_wait(duration, handler)`; without it, nothing is retried. Refused
 * input completes at once, inside the initiating call.
 */
#ifndef MODELARTS_DETAIL_CALLBACK_DRIVER_HPP
#define MODELARTS_DETAIL_CALLBACK_DRIVER_HPP

#include "modelarts/detail/login_flight.hpp"
#include "modelarts/detail/sansio/operation.hpp"
#include "modelarts/detail/send.hpp"
#include "modelarts/detail/session_state.hpp"
#include "modelarts/diagnostics.hpp"
#include "modelarts/session.hpp"
#include "modelarts/transport.hpp"

#include <memory>
#include <utility>

namespace modelarts::detail {

template <class Transport, class Parse, class Handler>
class callback_call {
public:
    static void start(session<Transport> s, sansio::operation<Parse> op, diagnostics* diag, Handler handler)
    {
        auto self = std::make_shared<callback_call>(std::move(s), std::move(op), diag, std::move(handler));
        const auto in = self->state().inputs();
        self->advance(self, self->op_.resume(in), in);
    }

    callback_call(session<Transport> s, sansio::operation<Parse> op, diagnostics* diag, Handler handler)
        : session_(std::move(s)), op_(std::move(op)), diag_(diag), handler_(std::move(handler))
    {
    }

private:
    using action = sansio::step::action;

    session_state& state() const noexcept { return access::state(session_); }

    // `in`: the clocks as read for `step`, good until time passes.
    void advance(const std::shared_ptr<callback_call>& self, sansio::step step, const sansio::step_inputs& in)
    {
        for (;;) {
            switch (step.what) {
            case action::send:
                async_send_within(session_.transport(), http_request(op_.request()), as_timeout(step.duration),
                                  [self](boost::system::error_code ec, http_response res) { self->answered(self, to_outcome(ec, std::move(res))); });
                return;
            case action::wait:
                if constexpr (async_timer_transport<Transport>) {
                    session_.transport().async_wait(step.duration, [self](boost::system::error_code) {
                        const auto now = self->state().inputs();
                        self->advance(self, self->op_.resume(now), now);
                    });
                }
                return;  // unreachable without a timer: such operations never wait
            case action::need_token: {
                auto next = join_credentials(state(), op_, duty_, in, [&] { return waiter(self); });
                if (!next) return;  // the waiter goes on
                step = *next;
                break;
            }
            case action::token_received:
            case action::renewal_failed:
            case action::clock_skew: {
                auto now = in;
                step = handle_event(state(), op_, duty_, step.what, now);
                break;
            }
            case action::done: {
                duty_.fail(op_.refusal(), op_.error());  // when it was logging in for the others
                Handler h = std::move(handler_);
                h(op_.take_result(diag_));
                return;
            }
            }
        }
    }

    // Goes on when the login another call is making ends, on the thread that ends it. Without a
    // timer to cancel, the wait is not cut short at the deadline: the call ends at once after it.
    static login_flight::waiter waiter(const std::shared_ptr<callback_call>& self)
    {
        return [self](const login_outcome& o) {
            const auto in = self->state().inputs();
            const auto next = o.join_again() ? sansio::step{action::need_token} : self->op_.login_failed(o.refusal.get(), o.error);
            self->advance(self, next, in);
        };
    }

    void answered(const std::shared_ptr<callback_call>& self, const result<http_response>& outcome)
    {
        const auto in = state().inputs();
        const auto attempt = op_.on_response(outcome, in);
        state().report(attempt, op_.request(), outcome);
        advance(self, op_.resume(in), in);
    }

    session<Transport> session_;
    sansio::operation<Parse> op_;
    diagnostics* diag_;
    Handler handler_;
    login_duty duty_;
};

} // namespace modelarts::detail

#endif
