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

namespace detail {

/**
 * The part of a call that does not depend on its answer's type, compiled once for every
 * `operation<Parse>`: logging in, authenticating, the deadline, retries and the observer. It
 * decides what each step means; `operation` parses the final answer.
 */
class operation_core {
public:
    using time_point = std::chrono::steady_clock::time_point;

    /** A step for the driver, or the end of the call: with an error, or with the answer to parse. */
    struct verdict {
        enum class ending { none, error, answer };
        next_step step;                     ///< the step, when `ends` is none
        ending ends = ending::none;         ///< how the call ends, if it does
        boost::system::error_code error{};  ///< the error it ends with
    };

    // A call to make (the arguments are `operation`'s), and one refused before it starts.
    MODELARTS_DECL operation_core(std::shared_ptr<session_core> core, http_request request, bool can_wait, diagnostics* diag);
    MODELARTS_DECL explicit operation_core(diagnostics* diag) noexcept;

    // `operation::resume` and `operation::on_response`, but for the parse.
    MODELARTS_DECL verdict resume(time_point now);
    MODELARTS_DECL verdict on_response(const result<http_response>& outcome, time_point now);
    // Fills the diagnostics at the end of the call; the answer's own request id, when it had one.
    MODELARTS_DECL void record_end(std::string_view answer_request_id) noexcept;

    const http_request& request() const noexcept { return logging_in_ ? *login_ : call_; }
    unsigned attempts() const noexcept { return attempts_; }
    const attempt_failure& last_failure() const noexcept { return last_failure_; }

private:
    MODELARTS_DECL verdict send_next(time_point now);
    MODELARTS_DECL verdict decide(const result<http_response>& outcome, time_point now,
                                  std::optional<std::chrono::nanoseconds>& retry_in);
    static verdict end_with_error(boost::system::error_code ec) noexcept { return {{}, verdict::ending::error, ec}; }
    static verdict end_with_answer() noexcept { return {{}, verdict::ending::answer, {}}; }
    // The answer when there is one, else the transport's error.
    static verdict end_with_outcome(const result<http_response>& outcome) noexcept
    {
        return outcome ? end_with_answer() : end_with_error(outcome.error());
    }

    std::shared_ptr<session_core> core_;
    http_request call_;
    std::optional<http_request> login_;
    diagnostics* diag_;
    time_point deadline_ = time_point::max();
    time_point sent_at_{};
    unsigned attempts_ = 0;
    unsigned retries_ = 0;
    bool can_wait_ = false;
    bool started_ = false;
    bool renewed_ = false;
    bool logging_in_ = false;
    attempt_failure last_failure_{};
};

} // namespace detail

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
        : machine_(std::move(core), std::move(request), can_wait, diag), parse_(std::move(parse))
    {
    }

    /**
     * A call that is over before it starts, because its input was refused: nothing is sent.
     * @param refused the input's error
     * @param parse unused
     * @param diag reset, when not null
     */
    operation(boost::system::error_code refused, Parse parse, diagnostics* diag)
        : machine_(diag), parse_(std::move(parse)), result_(result_type(refused))
    {
    }

    /**
     * Starts the call, or goes on after a wait.
     * @param now the monotonic time
     * @return the next step
     */
    [[nodiscard]] next_step resume(time_point now)
    {
        if (result_) return {};
        return settle(machine_.resume(now), nullptr);
    }

    /**
     * Feeds the outcome of the last `send` step.
     * @param outcome the response, whatever its status, or the transport's error
     * @param now the monotonic time
     * @return the next step
     */
    [[nodiscard]] next_step on_response(result<http_response> outcome, time_point now)
    {
        return settle(machine_.on_response(outcome, now), &outcome);
    }

    /** @return the request to send, after a `send` step: authenticated, ready for the wire */
    const http_request& request() const noexcept { return machine_.request(); }

    /** @return the requests sent so far, IAM logins included */
    unsigned attempts() const noexcept { return machine_.attempts(); }

    /** @return true once the call is over */
    bool done() const noexcept { return result_.has_value(); }

    /** @return the result, after a `done` step (moved out: call once) */
    result_type take_result() { return std::move(*result_); }

private:
    using verdict = detail::operation_core::verdict;

    // `outcome` is null after `resume`, which never ends with an answer: only with a step or an error.
    next_step settle(const verdict& v, const result<http_response>* outcome)
    {
        switch (v.ends) {
        case verdict::ending::none: return v.step;
        case verdict::ending::error: return finish(result_type(v.error));
        case verdict::ending::answer: return finish(parse_(**outcome));
        }
        return {};
    }

    next_step finish(result_type r)
    {
        if (r) {
            r->attempts = machine_.attempts();
            r->last_failure = machine_.last_failure();
        }
        machine_.record_end(r ? std::string_view(r->request_id) : std::string_view{});
        result_.emplace(std::move(r));
        return {};
    }

    detail::operation_core machine_;
    Parse parse_;
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
[[nodiscard]] MODELARTS_DECL operation<update_parser> make_update_operation(std::shared_ptr<session_core> core, const service_location& where,
                                                                            std::string_view job_id, api_version api,
                                                                            std::string_view description, bool can_wait, diagnostics* diag);

// As above, for a session's core and location.
template <class Transport>
[[nodiscard]] operation<update_parser> make_update_operation(const session<Transport>& s, std::string_view job_id, api_version api,
                                                             std::string_view description, bool can_wait, diagnostics* diag)
{
    return make_update_operation(s.core(), s.location(), job_id, api, description, can_wait, diag);
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

#if defined(MODELARTS_SEPARATE_COMPILATION) && !defined(MODELARTS_CORE_SOURCE)
// Compiled once, with the core (impl/operation.ipp): the update every unit makes.
extern template class operation<detail::update_parser>;
#endif

} // namespace modelarts

#if !defined(MODELARTS_SEPARATE_COMPILATION) || defined(MODELARTS_CORE_SOURCE)
#include "modelarts/impl/operation.ipp"
#endif

#endif
