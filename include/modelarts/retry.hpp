/**
 * @file retry.hpp
 * When a call tries again, and how long it waits first. Pure functions and plain values: the
 * call machine (detail/sansio/call.hpp) applies them; nothing here sleeps or reads a clock.
 *
 * The calls this library makes are idempotent (the PUT sets the description to a value, the GET
 * lists, IAM's token call issues a token), so repeating one after a transient failure is safe.
 */
#ifndef MODELARTS_RETRY_HPP
#define MODELARTS_RETRY_HPP

#include "modelarts/detail/config.hpp"
#include "modelarts/detail/time.hpp"
#include "modelarts/error.hpp"
#include "modelarts/http.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace modelarts {

namespace detail {

// SplitMix64: a small, fast generator; plenty for jitter and for drawing test faults.
MODELARTS_DECL std::uint64_t splitmix64(std::uint64_t& state) noexcept;

// A uniformly random 64-bit value as a double in [0, 1).
inline double unit_interval(std::uint64_t random) noexcept { return static_cast<double>(random >> 11) * 0x1.0p-53; }

} // namespace detail

/**
 * How a session retries a call. The defaults suit the public cloud: up to 4 tries within 60 s,
 * waiting a random time (full jitter) of up to 0.5 s, 1 s, 2 s... capped at 5 s, or what
 * `Retry-After` asks for.
 */
struct retry_policy {
    /** Tries per call, the first included (at least 1; 1 turns retrying off). */
    unsigned max_attempts = 4;
    /** The cap of the first wait; each retry multiplies it by `multiplier` (full jitter: a wait is random in [0, cap]). */
    std::chrono::milliseconds initial_delay{500};
    /** How much each cap grows over the one before (at least 1). */
    double multiplier = 2.0;
    /** The largest cap of a wait. A `Retry-After` the deadline allows may ask for longer. */
    std::chrono::milliseconds max_delay{std::chrono::seconds(5)};
    /** The whole call's deadline, every attempt and wait included; 0 for none. */
    std::chrono::milliseconds timeout{std::chrono::seconds(60)};
    /**
     * Replaces the decision of which outcomes to retry (default: `is_transient`). It sees each
     * attempt's response or transport error; attempts, backoff and deadline still apply.
     */
    std::function<bool(const result<http_response>&)> retry_if = {};
};

/**
 * @param status an HTTP status
 * @return true for the statuses worth another try: 429 (throttled, e.g. `APIGW.0308`), 500, 502,
 *         503 and 504
 */
constexpr bool is_transient_status(unsigned status) noexcept
{
    return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

/**
 * @param ec a transport's error, of any category
 * @return true for failures a new connection may not repeat: refused, reset (including EOF
 *         before an answer and a truncated TLS stream) and timed out; never for a cancellation,
 *         a TLS verification failure or an unknown host (those are `condition::transport` too,
 *         but lasting: one classifier decides both)
 */
inline bool is_transient_error(const boost::system::error_code& ec) noexcept
{
    return detail::classify_transport_error(ec) == detail::transport_failure_kind::transient;
}

/**
 * The default retry decision.
 * @param outcome an attempt's response or transport error
 * @return true for a transient transport error (`is_transient_error`) or status (`is_transient_status`)
 */
MODELARTS_DECL bool is_transient(const result<http_response>& outcome) noexcept;

/**
 * Reads `Retry-After` (RFC 9110): delta-seconds, or an IMF-fixdate compared with `now`.
 * @param value the header's value
 * @param now the current time, for a date
 * @return how long the server asks to wait (0 for a date already past), or nothing when the
 *         value is neither form
 */
[[nodiscard]] MODELARTS_DECL std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                                                   std::chrono::system_clock::time_point now) noexcept;

/**
 * The cap of the wait before retry number `retry` (0 for the first): `initial_delay *
 * multiplier^retry`, at most `max_delay`.
 * @param policy the policy
 * @param retry how many retries came before
 * @return the cap
 */
MODELARTS_DECL std::chrono::nanoseconds backoff_cap(const retry_policy& policy, unsigned retry) noexcept;

/**
 * Full jitter: a wait drawn uniformly from [0, cap].
 * @param cap `backoff_cap(...)`
 * @param random a uniformly random 64-bit value
 * @return the wait
 */
MODELARTS_DECL std::chrono::nanoseconds jittered(std::chrono::nanoseconds cap, std::uint64_t random) noexcept;

/**
 * @param policy a policy
 * @return nothing, or `error::invalid_retry_policy` when `max_attempts` is 0, `multiplier` is
 *         below 1 or not a number, or a duration is negative
 */
[[nodiscard]] MODELARTS_DECL result<void> validate_retry_policy(const retry_policy& policy) noexcept;

} // namespace modelarts

#if !defined(MODELARTS_SEPARATE_COMPILATION) || defined(MODELARTS_CORE_SOURCE)
#include "modelarts/impl/retry.ipp"
#endif

#endif
