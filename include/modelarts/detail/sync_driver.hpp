/**
 * @file detail/sync_driver.hpp
 * The synchronous driver: a loop that does what the call machine asks, blocking in the
 * transport and sleeping between attempts through the session.
 */
#ifndef MODELARTS_DETAIL_SYNC_DRIVER_HPP
#define MODELARTS_DETAIL_SYNC_DRIVER_HPP

#include "modelarts/detail/login_flight.hpp"
#include "modelarts/detail/sansio/operation.hpp"
#include "modelarts/detail/send.hpp"
#include "modelarts/detail/session_state.hpp"
#include "modelarts/diagnostics.hpp"
#include "modelarts/session.hpp"

#include <optional>

namespace modelarts::detail {

// The sync driver sleeps between attempts, so its calls may wait (call_settings::can_wait).
inline constexpr bool sync_driver_waits = true;

// `need_token`, in a blocking call (see `join_credentials`): a wait for another call's fetch blocks,
// within this call's deadline. `in` is read again after a wait.
template <class Parse>
[[nodiscard]] sansio::step join_login(session_state& state, sansio::operation<Parse>& op, sansio::step_inputs& in, login_duty& duty)
{
    for (;;) {
        std::optional<login_wait> wait;
        if (auto step = join_credentials(state, op, duty, in, [&] { return wait.emplace().waiter(); })) return *step;
        const auto outcome = wait->wait_for(op.time_left(in));
        in = state.inputs();
        if (!outcome) return op.login_failed(nullptr, error::timeout);
        if (!outcome->join_again()) return op.login_failed(outcome->refusal.get(), outcome->error);
    }
}

template <class Transport, class Parse>
[[nodiscard]] typename sansio::operation<Parse>::result_type run_sync(const session<Transport>& s, sansio::operation<Parse>& op,
                                                                    diagnostics* diag)
{
    using action = sansio::step::action;
    session_state& state = access::state(s);
    login_duty duty;
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
        case action::need_token: step = join_login(state, op, in, duty); break;
        case action::token_received:
        case action::renewal_failed:
        case action::clock_skew: step = handle_event(state, op, duty, step.what, in); break;
        case action::done:
            duty.fail(op.refusal(), op.error());  // when it was logging in for the others
            return op.take_result(diag);
        }
    }
}

} // namespace modelarts::detail

#endif
