/**
 * @file session.hpp
 * The SDK's `Session`: where the service is, who we are, how to retry, and the transport that
 * carries requests. Checked once by `make_session`; a `session` is a cheap handle to that state.
 */
#ifndef MODELARTS_SESSION_HPP
#define MODELARTS_SESSION_HPP

#include "modelarts/credentials.hpp"
#include "modelarts/detail/config.hpp"
#include "modelarts/error.hpp"
#include "modelarts/http.hpp"
#include "modelarts/iam.hpp"
#include "modelarts/request.hpp"
#include "modelarts/retry.hpp"
#include "modelarts/transport.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace modelarts {

/** The wall clock of a session: signing dates, token expiry, `Retry-After` dates. */
using clock_function = std::function<std::chrono::system_clock::time_point()>;
/** The monotonic clock of a session: deadlines and the durations an observer sees. */
using monotonic_clock_function = std::function<std::chrono::steady_clock::time_point()>;
/** How a synchronous call waits between attempts. */
using sleep_function = std::function<void(std::chrono::nanoseconds)>;
/** A source of uniformly random 64-bit values, for the backoff's jitter. */
using random_function = std::function<std::uint64_t()>;

/** How long before an IAM token expires a session fetches a new one. */
inline constexpr std::chrono::minutes token_refresh_margin{30};

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
 * The last four members are for tests and instrumentation; empty means the real thing.
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

/**
 * Facts about a call that a library error would otherwise hide: when a response arrived but
 * could not be understood, its status and request id are still here, and so is how many
 * attempts the call made and why the one before the last failed.
 */
struct diagnostics {
    unsigned http_status = 0;        ///< status of the last response, 0 when none arrived
    request_id_string request_id;    ///< its `X-Request-Id`, else the body's `request_id`
    unsigned attempts = 0;           ///< requests the call sent, IAM logins included
    attempt_failure last_failure{};  ///< the last transient failure, or 401 renewal; empty when none
};

namespace detail {

// `f()` when set, else `fallback()`: every injectable clock and source reads this way.
template <class F, class Fallback>
auto call_or(const F& f, Fallback fallback)
{
    return f ? f() : fallback();
}

/**
 * Everything a session holds but its transport: checked once, shared by every copy of the
 * session and every object made from it. Operations read it and keep the IAM token in it.
 */
struct session_core {
    MODELARTS_DECL session_core(service_location where, session_options&& o);
    MODELARTS_DECL ~session_core();
    session_core(const session_core&) = delete;
    session_core& operator=(const session_core&) = delete;

    service_location location;
    credentials auth;
    retry_policy retry;
    clock_function clock;
    monotonic_clock_function monotonic_clock;
    sleep_function sleep;
    random_function random_source;
    attempt_observer on_attempt;
    std::uint64_t seed;
    std::optional<iam_token> token;  // password sessions: the token IAM gave

    std::chrono::system_clock::time_point wall_now() const { return call_or(clock, std::chrono::system_clock::now); }
    std::chrono::steady_clock::time_point steady_now() const { return call_or(monotonic_clock, std::chrono::steady_clock::now); }
    std::uint64_t random() { return random_source ? random_source() : splitmix64(seed); }
    MODELARTS_DECL void wait(std::chrono::nanoseconds d) const;

    bool logs_in() const noexcept { return std::holds_alternative<password_credentials>(auth); }
    bool needs_login(std::chrono::system_clock::time_point now) const
    {
        return logs_in() && !(token && now + token_refresh_margin < token->expires_at);
    }
    // The last step before a request leaves: the token, or a fresh date and signature.
    void authenticate(http_request& req, std::chrono::system_clock::time_point now) const
    {
        if (logs_in())
            req.headers.set("X-Auth-Token", token->token);
        else
            apply_valid_credentials(req, auth, now);
    }
};

// The location a session's requests go to, once every setting has been checked.
[[nodiscard]] MODELARTS_DECL result<service_location> check_session_options(const session_options& options);

} // namespace detail

template <class Transport>
class session;

/**
 * Checks a configuration once and makes a session of it: the endpoint is parsed and kept, the
 * project id, credentials and retry policy are checked. A bad setting is reported here, not at
 * the first call.
 * @param transport the HTTP stack to use, moved in
 * @param options endpoint, project id, credentials, retry policy
 * @return the session, or the error naming the first bad setting
 */
template <class Transport>
[[nodiscard]] result<session<Transport>> make_session(Transport transport, session_options options);

/**
 * A session: the checked configuration, the IAM token cache and the transport, shared. Copies
 * are cheap and share all of it, as Python's objects share their `Session`; every estimator,
 * training job and version object holds one, so none of them can outlive it. Make one with
 * `make_session`.
 *
 * Thread safety: a session and every copy of it are used from one thread at a time (or one
 * strand), as its transport is; different sessions are independent.
 *
 * @tparam Transport a type modelling `sync_transport` or `async_transport`
 */
template <class Transport>
class session {
    static_assert(sync_transport<Transport> || async_transport<Transport>,
                  "modelarts::session<T>: T must model modelarts::sync_transport, i.e. have a member "
                  "send(const modelarts::http_request&) returning boost::system::result<modelarts::http_response>, "
                  "or modelarts::async_transport, i.e. have a member async_send(modelarts::http_request, handler) "
                  "calling handler(boost::system::error_code, modelarts::http_response)");

public:
    /** @return the checked endpoint and project id every request is built for */
    const service_location& location() const noexcept { return state_->location; }

    /** @return the transport, shared by every copy of this session */
    Transport& transport() const noexcept { return state_->transport; }

    /** @return the retry policy calls follow */
    const retry_policy& retry() const noexcept { return state_->retry; }

    /** @return true when both handles share one state */
    friend bool operator==(const session& a, const session& b) noexcept { return a.state_ == b.state_; }

    /** @return the state operations read and update (for the library's drivers) */
    std::shared_ptr<detail::session_core> core() const noexcept { return state_; }

private:
    struct state : detail::session_core {
        state(service_location where, session_options&& o, Transport&& t)
            : session_core(std::move(where), std::move(o)), transport(std::move(t))
        {
        }
        Transport transport;
    };

    explicit session(std::shared_ptr<state> s) noexcept : state_(std::move(s)) {}
    friend result<session> make_session<Transport>(Transport, session_options);

    std::shared_ptr<state> state_;
};

template <class Transport>
[[nodiscard]] result<session<Transport>> make_session(Transport transport, session_options options)
{
    auto where = detail::check_session_options(options);
    if (!where) return where.error();
    using state = typename session<Transport>::state;
    return session<Transport>(std::make_shared<state>(std::move(*where), std::move(options), std::move(transport)));
}

} // namespace modelarts

#if !defined(MODELARTS_SEPARATE_COMPILATION) || defined(MODELARTS_CORE_SOURCE)
#include "modelarts/impl/session.ipp"
#endif

#endif
