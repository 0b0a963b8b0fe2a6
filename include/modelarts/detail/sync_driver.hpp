/**
 * @file detail/sync_driver.hpp
 * The synchronous driver: a loop that does what the call machine asks, blocking in the
 * transport and sleeping between attempts through the session.
 */
#ifndef MODELARTS_DETAIL_SYNC_DRIVER_HPP
#define MODELARTS_DETAIL_SYNC_DRIVER_HPP

#include "modelarts/detail/sansio/operation.hpp"
#include "modelarts/detail/send.hpp"
#include "modelarts/detail/session_state.hpp"
#include "modelarts/diagnostics.hpp"
#include "modelarts/session.hpp"

namespace modelarts::detail {

// The sync driver sleeps between attempts, so its calls may wait (call_settings::can_wait).
inline constexpr bool sync_driver_waits = true;

template <class Transport, class Parse>
[[nodiscard]] typename sansio::operation<Parse>::result_type run_sync(const session<Transport>& s, sansio::operation<Parse>& op,
                                                                    diagnostics* diag)
{
    using action = sansio::step::action;
    session_state& state = access::state(s);
    auto in = state.inputs();  // read again only after time passed: an exchange or a wait
    auto step = op.resume(in);
    for (;;) {
        switch (step.what) {
        case action::send: {
            const auto outcome = send_within(s.transport(), op.request(), as_timeout(step.duration));
            in = state.inputs();
            const auto attempt = op.on_response(outcome, in);
            state.report(attempt, op.request(), outcome);
            step = op.resume(in);
            break;
        }
        case action::wait:
            state.wait(step.duration);
            in = state.inputs();
            step = op.resume(in);
            break;
        case action::need_token: step = op.use_token(state.held_token(), in); break;
        case action::token_received:
            state.keep_token(op.received_token());
            step = op.resume(in);
            break;
        case action::clock_skew:
            state.correct_clock(op.server_time());
            in = state.inputs();  // signed again with the corrected time
            step = op.resume(in);
            break;
        case action::done: return op.take_result(diag);
        }
    }
}

} // namespace modelarts::detail

#endif
