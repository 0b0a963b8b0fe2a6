/**
 * @file operation.hpp
 * One call, written once: log in when needed, authenticate, send, retry with backoff under a
 * deadline, parse. `operation` is a sans-I/O state machine (in the spirit of Boost.MySQL's
 * algorithms and h11): it answers "send this request", "wait this long" or "done", and is fed
 * each response or transport error. The synchronous loop here, the callback driver here and
 * the Asio composed operation in asio.hpp all drive the same machine.
 */
#ifndef MODELARTS_OPERATION_HPP
#define MODELARTS_OPERATION_HPP

#include "modelarts/detail/config.hpp"
#include "modelarts/error.hpp"
#include "modelarts/http.hpp"
#include "modelarts/iam.hpp"
#include "modelarts/request.hpp"
#include "modelarts/response.hpp"
#include "modelarts/retry.hpp"
#include "modelarts/session.hpp"
#include "modelarts/transport.hpp"

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

namespace modelarts {

/** What an operation asks its driver to do next. */
struct next_step {
    /** The three things an operation asks for. */
    enum class action {
        send,  ///< send `request()`, allowing it at most `duration`, then call `on_response`
        wait,  ///< wait `duration`, then call `resume`
        done,  ///< the call is over: `take_result()`
    };
    action what = action::done;           ///< what to do
    std::chrono::nanoseconds duration{};  ///< send: the time left (`nanoseconds::max()`: no deadline); wait: how long
};

/**
 * A call as a state machine. The driver starts it with `resume(now)`, and then does what each
 * step says:
 *
 * @code
 * auto step = op.resume(clock());
 * for (;;) {
 *     switch (step.what) {
 *     case next_step::action::send: step = op.on_response(transport.send(op.request()), clock()); break;
 *     case next_step::action::wait: sleep(step.duration); step = op.resume(clock()); break;
 *     case next_step::action::done: return op.take_result();
 *     }
 * }
 * @endcode
 *
 * Every attempt is authenticated afresh (a new `X-Sdk-Date` and signature). A password session
 * logs in through IAM first when it holds no fresh token, and renews the token once when the
 * service answers 401. The session's `retry_policy` decides what is tried again and how long to
 * wait; its observer sees every attempt. The time comes in as arguments: no clock is read here
 * but the session's wall clock, for signatures and `Retry-After` dates.
 *
 * @tparam Parse a callable `result<T>(const http_response&)` turning the final answer into the result
 */
template <class Parse>
class operation {
public:
    /** What the call completes with: `result<T>`. */
    using result_type = std::invoke_result_t<const Parse&, const http_response&>;
    /** The monotonic time the driver passes in. */
    using time_point = std::chrono::steady_clock::time_point;

    /**
     * @param core the session's state
     * @param request the request as built, without credentials
     * @param parse turns the final answer into the result
     * @param can_wait false when the driver has no timer: then nothing is retried
     * @param diag filled as the call goes, when not null; must outlive the operation
     */
    operation(std::shared_ptr<detail::session_core> core, http_request request, Parse parse, bool can_wait,
              diagnostics* diag)
        : core_(std::move(core)), call_(std::move(request)), parse_(std::move(parse)), diag_(diag), can_wait_(can_wait)
    {
        if (diag_) *diag_ = {};
    }

    /**
     * A call that is over before it starts, because its input was refused: nothing is sent.
     * @param refused the input's error
     * @param parse unused
     * @param diag reset, when not null
     */
    operation(boost::system::error_code refused, Parse parse, diagnostics* diag)
        : parse_(std::move(parse)), diag_(diag), can_wait_(false), result_(result_type(refused))
    {
        if (diag_) *diag_ = {};
    }

    /**
     * Starts the call, or goes on after a wait.
     * @param now the monotonic time
     * @return the next step
     */
    [[nodiscard]] next_step resume(time_point now)
    {
        if (result_) return {};
        if (!started_) {
            started_ = true;
            if (core_->retry.timeout.count() > 0) deadline_ = now + core_->retry.timeout;
        }
        return send_next(now);
    }

    /**
     * Feeds the outcome of the last `send` step.
     * @param outcome the response, whatever its status, or the transport's error
     * @param now the monotonic time
     * @return the next step
     */
    [[nodiscard]] next_step on_response(result<http_response> outcome, time_point now)
    {
        if (diag_) {
            diag_->http_status = outcome ? outcome->status : 0;
            diag_->request_id.assign(outcome ? outcome->headers.get("X-Request-Id") : std::string_view{});
        }
        std::optional<std::chrono::nanoseconds> retry_in;
        const next_step step = decide(outcome, now, retry_in);
        if (core_->on_attempt) core_->on_attempt(attempt_report{attempts_, request(), outcome, now - sent_at_, retry_in});
        return step.what == next_step::action::send ? send_next(now) : step;
    }

    /** @return the request to send, after a `send` step: authenticated, ready for the wire */
    const http_request& request() const noexcept { return logging_in_ ? *login_ : call_; }

    /** @return the requests sent so far, IAM logins included */
    unsigned attempts() const noexcept { return attempts_; }

    /** @return true once the call is over */
    bool done() const noexcept { return result_.has_value(); }

    /** @return the result, after a `done` step (moved out: call once) */
    result_type take_result() { return std::move(*result_); }

private:
    next_step send_next(time_point now)
    {
        if (now >= deadline_) return finish(result_type(error::timeout));
        auto& core = *core_;
        const auto wall = core.wall_now();
        logging_in_ = core.needs_login(wall);
        if (logging_in_) {
            auto login = make_iam_token_request(std::get<password_credentials>(core.auth), core.location.project_id());
            if (!login) return finish(result_type(login.error()));
            login_ = std::move(*login);
        } else {
            core.authenticate(call_, wall);
        }
        ++attempts_;
        sent_at_ = now;
        const auto left = deadline_ == time_point::max() ? std::chrono::nanoseconds::max()
                                                         : std::chrono::duration_cast<std::chrono::nanoseconds>(deadline_ - now);
        return {next_step::action::send, left};
    }

    // What an outcome means: done (result_ set), wait, or send at once (a send step).
    next_step decide(const result<http_response>& outcome, time_point now, std::optional<std::chrono::nanoseconds>& retry_in)
    {
        auto& core = *core_;
        const bool transient = core.retry.retry_if ? core.retry.retry_if(outcome) : is_transient(outcome);
        if (!transient) {
            if (!outcome) return finish(result_type(outcome.error()));
            if (logging_in_) {
                auto token = parse_iam_token_response(*outcome);
                if (!token) return finish(result_type(token.error()));
                if (!token->is_success) return finish(parse_(*outcome));  // IAM's refusal is the call's answer
                core.token = std::move(*token);
                return {next_step::action::send};
            }
            if (outcome->status == 401 && core.logs_in() && !renewed_) {  // the token died early: renew once
                renewed_ = true;
                core.token.reset();
                last_failure_ = {{}, 401};
                retry_in = std::chrono::nanoseconds(0);
                return {next_step::action::send};
            }
            return finish(parse_(*outcome));
        }

        last_failure_ = outcome ? attempt_failure{{}, outcome->status} : attempt_failure{outcome.error(), 0};
        if (!can_wait_ || retries_ + 1 >= core.retry.max_attempts) return finish_with(outcome);
        std::chrono::nanoseconds wait = jittered(backoff_cap(core.retry, retries_), core.random());
        if (outcome)
            if (auto header = outcome->headers.find("Retry-After"))
                if (auto asked = parse_retry_after(*header, core.wall_now())) wait = *asked;
        if (deadline_ != time_point::max() && std::chrono::nanoseconds(deadline_ - now) <= wait) return finish_with(outcome);
        ++retries_;
        retry_in = wait;
        return {next_step::action::wait, wait};
    }

    next_step finish_with(const result<http_response>& outcome)
    {
        return finish(outcome ? parse_(*outcome) : result_type(outcome.error()));
    }

    next_step finish(result_type r)
    {
        if (r) {
            r->attempts = attempts_;
            r->last_failure = last_failure_;
        }
        if (diag_) {
            diag_->attempts = attempts_;
            diag_->last_failure = last_failure_;
            if (r && !r->request_id.empty()) diag_->request_id = r->request_id;  // the body's, when no header had one
        }
        result_.emplace(std::move(r));
        return {};
    }

    std::shared_ptr<detail::session_core> core_;
    http_request call_;
    std::optional<http_request> login_;
    Parse parse_;
    diagnostics* diag_;
    time_point deadline_ = time_point::max();
    time_point sent_at_{};
    unsigned attempts_ = 0;
    unsigned retries_ = 0;
    bool can_wait_;
    bool started_ = false;
    bool renewed_ = false;
    bool logging_in_ = false;
    attempt_failure last_failure_{};
    std::optional<result_type> result_;
};

/**
 * Customisation point: how an operation on an Asio-based transport completes, whatever the
 * token (a callback, `use_awaitable`, `use_future`, ...). Declared here, defined by
 * "modelarts/asio.hpp", so the core never includes Asio.
 * @tparam Token the decayed completion token type
 * @tparam Signature the operation's completion signature, e.g. `void(result<update_result>)`
 */
template <class Token, class Signature>
struct completion_token_adapter;

namespace detail {

template <class Token, class Signature>
struct is_plain_callback;

template <class Token, class R, class... Args>
struct is_plain_callback<Token, R(Args...)> {
    static constexpr bool value = [] {
        if constexpr (std::is_invocable_v<Token&, Args...>)
            return std::is_void_v<std::invoke_result_t<Token&, Args...>>;
        else
            return false;
    }();
};

// Parses an update answer for the API version the request went to.
struct update_parser {
    api_version api;
    [[nodiscard]] result<update_result> operator()(const http_response& res) const { return parse_update_job_description_response(res, api); }
};

// The operation that updates a job's description; refused input makes one that is already over.
template <class Transport>
operation<update_parser> make_update_operation(const session<Transport>& s, std::string_view job_id, api_version api,
                                               std::string_view description, bool can_wait, diagnostics* diag)
{
    auto version = check_update_input(job_id, description, api);
    if (!version) return {version.error(), update_parser{api_version::v1}, diag};
    return {s.core(), build_update_request(s.location(), job_id, description, *version), update_parser{*version}, can_wait, diag};
}

// The remaining time as a transport timeout: whole milliseconds, rounded up, at least 1.
inline std::chrono::milliseconds as_timeout(std::chrono::nanoseconds left) noexcept
{
    return std::max(std::chrono::milliseconds(1), std::chrono::ceil<std::chrono::milliseconds>(left));
}

template <class Transport>
[[nodiscard]] result<http_response> send(Transport& t, const http_request& req, std::chrono::nanoseconds left)
{
    if constexpr (timed_sync_transport<Transport>) {
        if (left != std::chrono::nanoseconds::max()) return t.send(req, as_timeout(left));
    }
    return t.send(req);
}

template <class Transport, class Handler>
void async_send(Transport& t, const http_request& req, std::chrono::nanoseconds left, Handler&& handler)
{
    if constexpr (timed_async_transport<Transport>) {
        if (left != std::chrono::nanoseconds::max()) return t.async_send(http_request(req), as_timeout(left), std::forward<Handler>(handler));
    }
    t.async_send(http_request(req), std::forward<Handler>(handler));
}

[[nodiscard]] MODELARTS_DECL result<http_response> to_outcome(const boost::system::error_code& ec, http_response&& res);

/** The synchronous driver: a loop, sleeping between attempts through the session. */
template <class Transport, class Parse>
[[nodiscard]] typename operation<Parse>::result_type run(const session<Transport>& s, operation<Parse>& op)
{
    const auto core = s.core();
    auto step = op.resume(core->steady_now());
    for (;;) {
        switch (step.what) {
        case next_step::action::send: {
            auto outcome = detail::send(s.transport(), op.request(), step.duration);
            step = op.on_response(std::move(outcome), core->steady_now());  // the time after the exchange
            break;
        }
        case next_step::action::wait:
            core->wait(step.duration);
            step = op.resume(core->steady_now());
            break;
        case next_step::action::done: return op.take_result();
        }
    }
}

/**
 * The driver for async transports without Asio: a chain of callbacks. Waits need the
 * transport's optional `async_wait(duration, handler)`; without it, nothing is retried.
 * Refused input completes at once, inside the initiating call.
 */
template <class Transport, class Parse, class Handler>
class callback_call {
public:
    static void start(session<Transport> s, operation<Parse> op, Handler handler)
    {
        auto self = std::make_shared<callback_call>(std::move(s), std::move(op), std::move(handler));
        self->advance(self, self->op_.resume(self->core_->steady_now()));
    }

    callback_call(session<Transport> s, operation<Parse> op, Handler handler)
        : session_(std::move(s)), core_(session_.core()), op_(std::move(op)), handler_(std::move(handler))
    {
    }

private:
    void advance(const std::shared_ptr<callback_call>& self, next_step step)
    {
        switch (step.what) {
        case next_step::action::send:
            detail::async_send(session_.transport(), op_.request(), step.duration,
                               [self](boost::system::error_code ec, http_response res) {
                                   self->advance(self, self->op_.on_response(to_outcome(ec, std::move(res)), self->core_->steady_now()));
                               });
            return;
        case next_step::action::wait:
            if constexpr (async_timer_transport<Transport>) {
                session_.transport().async_wait(step.duration, [self](boost::system::error_code) {
                    self->advance(self, self->op_.resume(self->core_->steady_now()));
                });
            }
            return;  // unreachable without a timer: such operations never wait
        case next_step::action::done: {
            Handler h = std::move(handler_);
            h(op_.take_result());
            return;
        }
        }
    }

    session<Transport> session_;
    std::shared_ptr<session_core> core_;
    operation<Parse> op_;
    Handler handler_;
};

/**
 * Starts an operation asynchronously. An Asio-based transport (one with `get_executor()`)
 * completes through `completion_token_adapter` (defined by asio.hpp), so callbacks and Asio
 * tokens alike get Asio's guarantees; any other transport takes a plain callback. The choice
 * depends on the transport's type only, never on which headers a unit includes.
 */
template <class Transport, class Parse, class Token>
auto async_run(session<Transport> s, operation<Parse> op, Token&& token)
{
    using token_type = std::decay_t<Token>;
    using signature = void(typename operation<Parse>::result_type);
    if constexpr (has_executor<Transport>) {
        static_assert(requires { &completion_token_adapter<token_type, signature>::template initiate<Transport, Parse, Token>; },
                      "modelarts: this transport is Asio-based (it has get_executor()): "
                      "include \"modelarts/asio.hpp\" to call it with a callback or any Asio completion token");
        return completion_token_adapter<token_type, signature>::initiate(std::move(s), std::move(op), std::forward<Token>(token));
    } else {
        static_assert(is_plain_callback<token_type, signature>::value,
                      "modelarts: the completion token must be a callback taking the result, e.g. "
                      "[](modelarts::result<modelarts::update_result> r) {...}; Asio completion tokens need an "
                      "Asio-based transport and include \"modelarts/asio.hpp\"");
        callback_call<Transport, Parse, token_type>::start(std::move(s), std::move(op), token_type(std::forward<Token>(token)));
    }
}

/** Whether the async driver for `Transport` can wait between attempts. */
template <class Transport>
inline constexpr bool async_can_wait = has_executor<Transport> || async_timer_transport<Transport>;

} // namespace detail

} // namespace modelarts

#if !defined(MODELARTS_SEPARATE_COMPILATION) || defined(MODELARTS_CORE_SOURCE)
#include "modelarts/impl/operation.ipp"
#endif

#endif
