/**
 * @file detail/session_state.hpp
 * What a session holds but its transport: checked once, shared by every copy of the session and
 * every object made from it, and safe for concurrent calls. The drivers read the clocks, the
 * observer and the IAM token here, and hand the call machine what it needs.
 */
#ifndef MODELARTS_DETAIL_SESSION_STATE_HPP
#define MODELARTS_DETAIL_SESSION_STATE_HPP

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
    login_flight logins;              // password sessions: the token, fetched by one call at a time
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

// The location a session's requests go to, once every setting has been checked.
[[nodiscard]] MODELARTS_DECL result<service_location> check_session_options(const session_options& options);

} // namespace modelarts::detail

#if !defined(MODELARTS_SEPARATE_COMPILATION) || defined(MODELARTS_CORE_SOURCE)
#include "modelarts/detail/impl/session_state.ipp"
#endif

#endif
