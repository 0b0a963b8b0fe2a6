/**
 * @file session_options.hpp
 * What a session is made of: the service, the project, the credentials, the retry policy, and
 * the clocks and observer that tests and instrumentation put in.
 */
#ifndef MODELARTS_SESSION_OPTIONS_HPP
#define MODELARTS_SESSION_OPTIONS_HPP

#include "modelarts/credentials.hpp"
#include "modelarts/error.hpp"
#include "modelarts/http.hpp"
#include "modelarts/retry.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace modelarts {

/** The wall clock of a session: signing dates, token expiry, `Retry-After` dates. */
using clock_function = std::function<std::chrono::system_clock::time_point()>;
/** The monotonic clock of a session: deadlines and the durations an observer sees. */
using monotonic_clock_function = std::function<std::chrono::steady_clock::time_point()>;
/** How a synchronous call waits between attempts. */
using sleep_function = std::function<void(std::chrono::nanoseconds)>;
/** A source of uniformly random 64-bit values, for the backoff's jitter. */
using random_function = std::function<std::uint64_t()>;

/**
 * One attempt of a call, as an observer sees it: what was sent, what came back, how long it
 * took, and whether the call tries again. Every reference is valid during the observer's call only.
 */
struct attempt_report {
    unsigned number;                       ///< 1 for a call's first request; IAM logins count too
    const http_request& request;           ///< as sent; printing it masks every secret
    const result<http_response>& outcome;  ///< the answer, whatever its status, or the transport's error
    std::chrono::nanoseconds duration;     ///< from handing the request to the transport to its answer
    std::optional<std::chrono::nanoseconds> retry_in;  ///< the wait before trying again; none when the call goes on without retrying or is over
};

/** Called once per attempt, sync and async alike. Empty (the default) costs nothing. */
using attempt_observer = std::function<void(const attempt_report&)>;

/**
 * What a session needs to know: the service, the project, the credentials and the retry policy.
 * The last five members are for tests and instrumentation; empty means the real thing.
 */
struct session_options {
    std::string endpoint;                  ///< e.g. "https://modelarts.cn-north-4.myhuaweicloud.com"
    std::string project_id;                ///< the project to act in
    credentials auth = no_credentials{};   ///< how to authenticate (default: none)
    retry_policy retry = {};               ///< when and how calls try again (on by default)
    clock_function clock = {};             ///< wall time; empty: the system clock
    monotonic_clock_function monotonic_clock = {};  ///< deadline time; empty: std::chrono::steady_clock
    sleep_function sleep = {};             ///< sync waits; empty: std::this_thread::sleep_for
    random_function random = {};           ///< jitter; empty: a generator seeded once per session
    attempt_observer on_attempt = {};      ///< called after every attempt; empty: nothing is measured
};

} // namespace modelarts

#endif
