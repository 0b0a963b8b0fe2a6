/**
 * @file detail/session_state.hpp
 * What a session holds but its transport: checked once, shared by every copy of the session and
 * every object made from it, and safe for concurrent calls. The drivers read the clocks, the
 * observer and the IAM token here, and hand the call machine what it needs.
 */
#ifndef MODELARTS_DETAIL_SESSION_STATE_HPP
#define MODELARTS_DETAIL_SESSION_STATE_HPP

#include "modelarts/credential_provider.hpp"
#include "modelarts/credentials.hpp"
#include "modelarts/detail/config.hpp"
#include "modelarts/detail/login_flight.hpp"
#include "modelarts/detail/sansio/call.hpp"
#include "modelarts/error.hpp"
#include "modelarts/http.hpp"
#include "modelarts/iam.hpp"
#include "modelarts/request.hpp"
#include "modelarts/retry.hpp"
#include "modelarts/session_options.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <utility>
#include <variant>

namespace modelarts::detail {

struct session_state {
    MODELARTS_DECL session_state(service_location where, session_options&& o);
    MODELARTS_DECL ~session_state();
    session_state(const session_state&) = delete;
    session_state& operator=(const session_state&) = delete;

    service_location location;
    credentials auth;
    retry_policy retry;
    clock_function clock;
    monotonic_clock_function monotonic_clock;
    sleep_function sleep;
    random_function random_source;
    attempt_observer on_attempt;
    std::atomic<std::uint64_t> seed;  // the default jitter: splitmix64's state, stepped atomically
    login_flight logins;              // password sessions: the token, fetched by one call at a time (providers have their own)
    // How far the service's clock is ahead of `clock` (behind: negative), learnt from an answer
    // that refused a signature for its date; every later signature and expiry check uses it.
    std::atomic<std::chrono::system_clock::rep> clock_offset{0};

    std::chrono::system_clock::time_point uncorrected_wall() const { return clock ? clock() : std::chrono::system_clock::now(); }

    // The clocks and a random value, as the call machine takes them at each step.
    sansio::step_inputs inputs()
    {
        return {monotonic_clock ? monotonic_clock() : std::chrono::steady_clock::now(),
                uncorrected_wall() + std::chrono::system_clock::duration(clock_offset.load(std::memory_order_relaxed)),
                random_source ? random_source() : next_random()};
    }

    // splitmix64, its state stepped by one atomic add, so that concurrent calls draw different values.
    std::uint64_t next_random() noexcept
    {
        std::uint64_t state = seed.fetch_add(0x9e3779b97f4a7c15ULL, std::memory_order_relaxed);
        return splitmix64(state);
    }

    // The service dated an answer `server_time`: from now on, the wall clock reads as its does.
    void correct_clock(std::chrono::system_clock::time_point server_time)
    {
        clock_offset.store((server_time - uncorrected_wall()).count(), std::memory_order_relaxed);
    }

    // The flight a call's credentials come through: its provider's, shared with every session that
    // holds it, or the session's own (a password).
    login_flight& flight() noexcept
    {
        if (auto* p = std::get_if<credential_provider>(&auth)) return provider_access::state(*p).flight;
        return logins;
    }

    // A callback provider's function, or null.
    const credentials_callback* callback() const noexcept
    {
        auto* p = std::get_if<credential_provider>(&auth);
        return p && provider_access::state(*p).fetch ? &provider_access::state(*p).fetch : nullptr;
    }

    // How this session's calls authenticate and retry.
    sansio::call_settings call_settings(bool can_wait) const noexcept
    {
        return {&auth, &retry, location.project_id(), can_wait};
    }

    // Tells the observer, if any, of an attempt that ended.
    void report(const sansio::finished_attempt& a, const http_request& sent, const result<http_response>& outcome) const
    {
        if (on_attempt) on_attempt(attempt_report{a.number, sent, outcome, a.duration, a.retry_in});
    }

    MODELARTS_DECL void wait(std::chrono::nanoseconds d) const;
};

// `need_token`, for every driver: the credentials held (fresh, or still valid while another call
// renews them); or this call's own fetch, for every call that needs one meanwhile (a callback
// provider's function is called here: the machine runs no user code); or nothing, when the call is
// to wait for the fetch under way: then `make_waiter()`'s waiter is called when it ends.
template <class Op, class MakeWaiter>
[[nodiscard]] std::optional<sansio::step> join_credentials(session_state& state, Op& op, login_duty& duty, const sansio::step_inputs& in,
                                                           MakeWaiter&& make_waiter)
{
    login_flight& flight = state.flight();
    const auto ticket = flight.join([&](const sansio::issued_credentials& held) { return op.token_usable(held, in); },
                                    [&](const sansio::issued_credentials& held) { return op.token_valid(held, in); },
                                    std::forward<MakeWaiter>(make_waiter), in.now);
    switch (ticket.what) {
    case login_flight::role::wait: return std::nullopt;
    case login_flight::role::use: return op.use_held(*ticket.token, in);
    case login_flight::role::log_in: break;
    }
    duty.take(flight);
    const credentials_callback* fetch = state.callback();
    if (!fetch) return op.use_token(ticket.token.get(), in);  // the machine fetches
    auto got = (*fetch)();
    boost::system::error_code ec;
    if (!got) ec = got.error();
    else if ((!std::holds_alternative<token_credentials>(got->auth) && !std::holds_alternative<aksk_credentials>(got->auth))
             || !validate_credentials(got->auth) || got->expires_at <= in.wall)
        ec = error::invalid_provided_credentials;
    if (!ec) {
        const sansio::issued_credentials issued{std::move(got->auth), got->expires_at, in.wall};
        duty.land(issued);
        return op.use_held(issued, in);
    }
    if (ticket.token && op.token_valid(*ticket.token, in)) {  // the held ones go on; the next renewal waits
        duty.renewal_failed(in.now);
        return op.use_held(*ticket.token, in);
    }
    duty.fail(nullptr, ec);
    return op.login_failed(nullptr, ec);
}

// The machine's events, which every driver handles alike: credentials fetched (held for every
// call), a renewal failed (the held ones go on), the clock corrected (`in` is read again: the
// call signs again with the corrected time). Returns the step after the event.
template <class Op>
[[nodiscard]] sansio::step handle_event(session_state& state, Op& op, login_duty& duty, sansio::step::action what,
                                        sansio::step_inputs& in)
{
    using action = sansio::step::action;
    if (what == action::token_received) duty.land(op.received_token());
    if (what == action::renewal_failed) duty.renewal_failed(in.now);
    if (what == action::clock_skew) {
        state.correct_clock(op.server_time());
        in = state.inputs();
    }
    return op.resume(in);
}

// The location a session's requests go to, once every setting has been checked.
[[nodiscard]] MODELARTS_DECL result<service_location> check_session_options(const session_options& options);

} // namespace modelarts::detail

#if !defined(MODELARTS_SEPARATE_COMPILATION) || defined(MODELARTS_CORE_SOURCE)
#include "modelarts/detail/impl/session_state.ipp"
#endif

#endif
