/**
 * @file detail/sansio/call.hpp
 * One call, written once, as a sans-I/O state machine (as Boost.MySQL's algorithms and h11):
 * authenticate each attempt, log in through IAM when the credentials need a token, send, retry
 * with backoff under a deadline. It reads no clock, calls no user code but the retry policy's
 * decision, and writes no shared state: the driver passes the clocks in, does what each step
 * says, hands back each outcome, and acts on the events (an attempt finished, a token is needed,
 * a token was issued). The sync driver, the callback driver and the Asio adapter drive it alike.
 */
#ifndef MODELARTS_DETAIL_SANSIO_CALL_HPP
#define MODELARTS_DETAIL_SANSIO_CALL_HPP

#include "modelarts/credentials.hpp"
#include "modelarts/detail/config.hpp"
#include "modelarts/diagnostics.hpp"
#include "modelarts/error.hpp"
#include "modelarts/http.hpp"
#include "modelarts/iam.hpp"
#include "modelarts/metadata.hpp"
#include "modelarts/retry.hpp"
#include "modelarts/signer.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace modelarts::detail::sansio {

/** How long before an IAM token expires a call no longer uses it, and logs in afresh. */
inline constexpr std::chrono::minutes token_refresh_margin{30};

/** How far the gateway lets an `X-Sdk-Date` be from its own clock (modelarts-api.md §6). */
inline constexpr std::chrono::minutes max_signing_skew{15};

/** Credentials a call fetched (an IAM login, the metadata service, a provider's callback), held for the calls after it. */
struct issued_credentials {
    credentials auth;                                   ///< `token_credentials` or `aksk_credentials`
    std::chrono::system_clock::time_point expires_at;  ///< when they stop working
    std::chrono::system_clock::time_point issued_at;   ///< when they were fetched (the corrected wall clock)
};

/** What the driver reads for the machine at each step: both clocks, and a random value for jitter. */
struct step_inputs {
    std::chrono::steady_clock::time_point now;   ///< deadlines and durations
    std::chrono::system_clock::time_point wall;  ///< signing dates, token expiry, `Retry-After` dates
    std::uint64_t random = 0;                    ///< uniformly random; drawn afresh for each step
};

/** What the machine asks its driver to do next. */
struct step {
    enum class action {
        send,            ///< send `request()`, allowing it at most `duration`; then `on_response`
        wait,            ///< wait `duration`; then `resume`
        need_token,      ///< hand in the credentials the session (or its provider) holds, or none: `use_token`
        token_received,  ///< the call fetched `received_token()`: keep it for later calls; then `resume`
        renewal_failed,  ///< renewing credentials still valid failed (`renewal_error()`): they go on; then `resume`
        clock_skew,      ///< a signature was refused for its date: the service's clock read `server_time()`;
                         ///< correct the wall clock by it, then `resume` with the corrected time
        done,            ///< the call is over: `end()`
    };
    action what = action::done;           ///< what to do
    std::chrono::nanoseconds duration{};  ///< send: the time left (`nanoseconds::max()`: no deadline); wait: how long
};

/** An attempt that just ended, as an observer sees it (the driver holds its outcome). */
struct finished_attempt {
    unsigned number = 0;                               ///< 1 for the call's first request; IAM logins count
    std::chrono::nanoseconds duration{};               ///< from the send step to its outcome
    std::optional<std::chrono::nanoseconds> retry_in;  ///< the wait before trying again; none when the call goes on without one, or ends
};

/** How a call ended. */
enum class call_end {
    error,           ///< with `error()`: refused input, a transport failure, an unreadable IAM answer
    service_answer,  ///< with the last outcome's answer, which the call's parser reads
    iam_refusal,     ///< with IAM's refusal to log in: `iam_refusal()`
};

/** How a session's calls authenticate and retry: what every call of it shares, read only. */
struct call_settings {
    const credentials* auth = nullptr;   ///< how to authenticate; outlives the call
    const retry_policy* retry = nullptr; ///< when to try again; outlives the call
    std::string_view project_id;         ///< the project an IAM token is scoped to; outlives the call
    bool can_wait = true;                ///< false when the driver has no timer: then nothing is retried
};

/**
 * The machine. A driver starts it with `resume`, then does what each step says:
 *
 * @code
 * auto st = m.resume(inputs());
 * for (;;) switch (st.what) {
 * case step::action::send: { auto o = send(m.request(), st.duration); report(m.on_response(o, inputs()), o); st = m.resume(inputs()); break; }
 * case step::action::wait: sleep(st.duration); st = m.resume(inputs()); break;
 * case step::action::need_token: st = m.use_token(held_token(), inputs()); break;  // or wait for another call's login
 * case step::action::token_received: hold(m.received_token()); st = m.resume(inputs()); break;
 * case step::action::done: return m.end();
 * }
 * @endcode
 */
class call_machine {
public:
    /**
     * @param request the request as built, without credentials
     * @param settings how to authenticate and retry it
     */
    MODELARTS_DECL call_machine(http_request request, const call_settings& settings);

    /** @param refused the input's error: a call over before it starts, which sends nothing */
    MODELARTS_DECL explicit call_machine(boost::system::error_code refused) noexcept;

    /**
     * Starts the call, or goes on after a wait, an attempt or a token received.
     * @param in the clocks now
     * @return the next step
     */
    [[nodiscard]] MODELARTS_DECL step resume(const step_inputs& in);

    /**
     * Hands in the credentials held, after `need_token`. Credentials that expire within their
     * refresh margin (`token_refresh_margin`, or an eighth of their life when that is shorter), or
     * that the service just refused, are not used: the call fetches new ones (an IAM login, or the
     * metadata service), and goes on with the held ones if that fails while they are still valid.
     * @param held the credentials held, or null
     * @param in the clocks now
     * @return the next step (`send`: the call with the credentials, or the fetch's first request)
     */
    [[nodiscard]] MODELARTS_DECL step use_token(const issued_credentials* held, const step_inputs& in);

    /**
     * Uses credentials held as they are, due for renewal or not (another call renews them, or a
     * renewal just failed): after `need_token`, instead of `use_token`.
     * @param held credentials still valid
     * @param in the clocks now
     * @return the next step (`send`)
     */
    [[nodiscard]] MODELARTS_DECL step use_held(const issued_credentials& held, const step_inputs& in);

    /**
     * @param held credentials held
     * @param in the clocks now
     * @return true when `use_token(&held, in)` would send with them rather than fetch new ones
     */
    [[nodiscard]] MODELARTS_DECL bool token_usable(const issued_credentials& held, const step_inputs& in) const noexcept;

    /**
     * @param held credentials held
     * @param in the clocks now
     * @return true when they still work (not expired, not refused), fresh or not
     */
    [[nodiscard]] MODELARTS_DECL bool token_valid(const issued_credentials& held, const step_inputs& in) const noexcept;

    /**
     * Ends the call as a login it waited for, made by another call of the session, ended: after
     * `need_token`, instead of `use_token`.
     * @param refusal IAM's refusal, or null
     * @param ec when there is no refusal: why the login failed
     * @return `done`
     */
    MODELARTS_DECL step login_failed(const iam_token* refusal, boost::system::error_code ec);

    /**
     * @param in the clocks now
     * @return the time left before the call's deadline (`nanoseconds::max()`: none; 0: past it)
     */
    [[nodiscard]] MODELARTS_DECL std::chrono::nanoseconds time_left(const step_inputs& in) const noexcept;

    /**
     * Feeds the outcome of the last `send` step; then `resume`.
     * @param outcome the answer, whatever its status, or the transport's error
     * @param in the clocks now
     * @return the attempt that ended, for an observer
     */
    MODELARTS_DECL finished_attempt on_response(const result<http_response>& outcome, const step_inputs& in);

    /** @return the request to send after a `send` step, authenticated; after `on_response`, the one that was sent */
    const http_request& request() const noexcept { return logging_in_ ? login_ : call_; }

    /** @return true when the outcome just fed is the service's final answer, to be parsed */
    bool answer_is_final() const noexcept { return done_ && end_ == call_end::service_answer; }

    /** @return the credentials fetched, after `token_received` */
    const issued_credentials& received_token() const noexcept { return issued_; }

    /** @return why renewing failed, after `renewal_failed` */
    boost::system::error_code renewal_error() const noexcept { return renewal_error_; }

    /** @return the time the service's answer was dated, after `clock_skew` */
    std::chrono::system_clock::time_point server_time() const noexcept { return server_time_; }

    /** @return how the call ended, after `done` */
    call_end end() const noexcept { return end_; }

    /** @return the error, when the call ended with one */
    boost::system::error_code error() const noexcept { return error_; }

    /** @return IAM's refusal, when the call ended with one */
    const iam_token& iam_refusal() const noexcept { return token_; }

    /** @return the call's facts so far: attempts, last failure, last status and request id */
    const diagnostics& facts() const noexcept { return facts_; }

private:
    using time_point = std::chrono::steady_clock::time_point;
    // What `resume` does next.
    enum class next_move { start, attempt, wait, hand_token, correct_clock, send_login, renewal_failed, finish };
    // Which request of a fetch is out.
    enum class fetch_stage { iam, metadata_token, metadata_keys };

    MODELARTS_DECL step attempt(const step_inputs& in);
    MODELARTS_DECL step send_now(const step_inputs& in);
    MODELARTS_DECL step log_in(const step_inputs& in);
    MODELARTS_DECL std::optional<std::chrono::nanoseconds> decide(const result<http_response>& outcome, const step_inputs& in);
    MODELARTS_DECL void read_login(const http_response& answer, const step_inputs& in);
    MODELARTS_DECL void fetch_failed(call_end how, boost::system::error_code ec, const step_inputs& in);
    MODELARTS_DECL bool metadata_request(std::string_view session_token);
    MODELARTS_DECL void end_with(call_end how, boost::system::error_code ec = {}) noexcept;
    MODELARTS_DECL std::optional<std::chrono::system_clock::time_point> refused_for_its_date(const http_response& res) const noexcept;
    // Whether the call's credentials are fetched (and so asked of the driver), not given.
    bool logs_in() const noexcept
    {
        return settings_.auth
            && (std::holds_alternative<password_credentials>(*settings_.auth) || std::holds_alternative<credential_provider>(*settings_.auth));
    }
    const provider_source* provider() const noexcept
    {
        auto* p = settings_.auth ? std::get_if<credential_provider>(settings_.auth) : nullptr;
        return p ? &provider_access::source(*p) : nullptr;
    }
    MODELARTS_DECL static std::string_view identity(const credentials& c) noexcept;

    http_request call_;
    http_request login_;
    call_settings settings_;
    iam_token token_;             // IAM's refusal
    issued_credentials issued_;   // the credentials the call uses, held or fetched
    issued_credentials fallback_; // while renewing: the held credentials, still valid, to go on with if the renewal fails
    std::string refused_token_;   // the token or access key the service answered 401 to: never used again
    boost::system::error_code renewal_error_{};
    fetch_stage stage_ = fetch_stage::iam;
    diagnostics facts_;
    time_point deadline_ = time_point::max();
    time_point sent_at_{};
    std::chrono::nanoseconds wait_{};
    std::chrono::system_clock::time_point server_time_{};
    unsigned retries_ = 0;
    next_move next_ = next_move::start;
    call_end end_ = call_end::error;
    boost::system::error_code error_{};
    bool logging_in_ = false;
    bool has_token_ = false;  // issued_ holds credentials to use on the next attempt
    bool has_fallback_ = false;
    bool metadata_retried_ = false;  // a refused metadata session token was replaced: once per fetch
    bool renewed_ = false;    // a 401 was answered by logging in again: once per call
    bool resigned_ = false;   // a 401 for the signature's date was answered by signing again: once per call
    bool done_ = false;
};

} // namespace modelarts::detail::sansio

#if !defined(MODELARTS_SEPARATE_COMPILATION) || defined(MODELARTS_CORE_SOURCE)
#include "modelarts/detail/sansio/impl/call.ipp"
#endif

#endif
