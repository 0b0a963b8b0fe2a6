/**
 * @file asio.hpp
 * Asio for the library's async calls: include this header, and `async_update_job_description`
 * and `async_get_job_version_object_list` take `use_awaitable`, `use_future`, `as_tuple(...)`,
 * `bind_executor(...)`, `bind_cancellation_slot(...)` or any other Asio token, as well as plain
 * callbacks. Needs an Asio-based `async_transport` (one with `get_executor()`).
 *
 * Each call is one composed operation (`async_compose`) over the call's machine: the
 * handler's associated executor, allocator and cancellation slot reach every step, the
 * transport's exchange and the backoff timer alike. Cancelling completes the call with
 * `boost::asio::error::operation_aborted`; the exchange in flight is abandoned by the transport.
 *
 * @code
 * #include "modelarts/asio.hpp"
 * #include "modelarts/transports/beast.hpp"
 * #include <boost/asio/experimental/awaitable_operators.hpp>
 * #include <boost/asio/steady_timer.hpp>
 * #include <boost/asio/use_awaitable.hpp>
 *
 * boost::asio::awaitable<void> run(modelarts::estimator<modelarts::beast_transport> est)
 * {
 *     using namespace boost::asio::experimental::awaitable_operators;
 *     boost::asio::steady_timer timer{co_await boost::asio::this_coro::executor, std::chrono::seconds(5)};
 *     auto r = co_await (est.async_update_job_description("new text", boost::asio::use_awaitable)
 *                        || timer.async_wait(boost::asio::use_awaitable));   // whichever ends first
 * }
 * @endcode
 */
#ifndef MODELARTS_ASIO_HPP
#define MODELARTS_ASIO_HPP

#include "modelarts/any_async_transport.hpp"
#include "modelarts/detail/async_start.hpp"
#include "modelarts/detail/sansio/operation.hpp"
#include "modelarts/detail/send.hpp"
#include "modelarts/detail/session_state.hpp"
#include "modelarts/diagnostics.hpp"
#include "modelarts/error.hpp"
#include "modelarts/http.hpp"
#include "modelarts/session.hpp"
#include "modelarts/transport.hpp"

#include <boost/asio/append.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/cancellation_type.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <memory>
#include <mutex>
#include <optional>
#include <utility>

namespace modelarts {

namespace detail {

// Why a call parked while another call logged in goes on.
struct login_wake {
    enum class reason { ended, deadline, cancelled } why;
    login_outcome outcome = {};  // for `ended`
};

// A call parked while another call of its session logs in. Whichever comes first, the login's end,
// the call's deadline or its cancellation, takes the operation and posts it to its executor; the
// others find it gone. A wake that comes before the operation is parked is kept for it.
template <class Self>
struct parked_call {
    std::mutex mutex;
    std::optional<Self> self;
    std::optional<login_wake> early;

    void wake(login_wake w)
    {
        std::optional<Self> taken;
        {
            std::lock_guard lock(mutex);
            if (!self) {
                if (!early) early = std::move(w);
                return;
            }
            taken.emplace(std::move(*self));  // an Asio operation moves, but is not assigned
            self.reset();
        }
        boost::asio::post(boost::asio::append(std::move(*taken), std::move(w)));
    }

    // Parks `s`; or, when a wake came first, posts it at once.
    void park(Self&& s)
    {
        std::optional<login_wake> w;
        {
            std::lock_guard lock(mutex);
            if (!early) {
                self.emplace(std::move(s));
                return;
            }
            w.swap(early);
        }
        boost::asio::post(boost::asio::append(std::move(s), std::move(*w)));
    }
};

// The body of `async_compose`: one operation driven by the transport and an Asio timer. `self`
// is handed to every inner operation, so they see the handler's associators.
template <class Transport, class Parse>
struct asio_call {
    session<Transport> session_;
    sansio::operation<Parse> op;
    diagnostics* diag;
    std::unique_ptr<boost::asio::steady_timer> timer = {};  // on the heap: `self` moves while it waits
    login_duty duty = {};
    bool posted = false;

    template <class Self>
    void operator()(Self& self)  // start, and once more after the post below
    {
        const auto in = state().inputs();
        const sansio::step step = op.resume(in);
        if (step.what == sansio::step::action::done && !posted) {
            posted = true;  // over before it began (refused input): never complete inside the initiating call
            return boost::asio::post(std::move(self));
        }
        advance(self, step, in);
    }

    template <class Self>
    void operator()(Self& self, boost::system::error_code ec, http_response res)  // the exchange ended
    {
        if (self.cancelled() != boost::asio::cancellation_type::none) return aborted(self);
        const auto outcome = to_outcome(ec, std::move(res));
        const auto in = state().inputs();
        const auto attempt = op.on_response(outcome, in);
        state().report(attempt, op.request(), outcome);
        advance(self, op.resume(in), in);
    }

    template <class Self>
    void operator()(Self& self, boost::system::error_code ec)  // the backoff ended
    {
        if (ec || self.cancelled() != boost::asio::cancellation_type::none) return aborted(self);
        const auto in = state().inputs();
        advance(self, op.resume(in), in);
    }

    template <class Self>
    void operator()(Self& self, login_wake w)  // parked: the login ended, or the deadline came, or the call was cancelled
    {
        if (timer) timer->cancel();  // the deadline, when it was armed
        if (w.why == login_wake::reason::cancelled || self.cancelled() != boost::asio::cancellation_type::none) return aborted(self);
        const auto in = state().inputs();
        if (w.why == login_wake::reason::deadline) return advance(self, op.login_failed(nullptr, error::timeout), in);
        if (!w.outcome.join_again()) return advance(self, op.login_failed(w.outcome.refusal.get(), w.outcome.error), in);
        advance(self, sansio::step{sansio::step::action::need_token}, in);
    }

private:
    session_state& state() const noexcept { return access::state(session_); }

    // Waits for the login under way: arms the deadline and the cancellation first, so that the
    // operation, once parked, is never touched here again (a wake may take it on another thread).
    template <class Self>
    void park(Self& self, std::shared_ptr<parked_call<Self>> p, const sansio::step_inputs& in)
    {
        if (const auto left = op.time_left(in); left != std::chrono::nanoseconds::max()) {
            if (!timer) timer = std::make_unique<boost::asio::steady_timer>(session_.transport().get_executor());
            timer->expires_after(left);
            timer->async_wait([p](boost::system::error_code ec) {
                if (!ec) p->wake({login_wake::reason::deadline});
            });
        }
        if (auto slot = boost::asio::get_associated_cancellation_slot(self); slot.is_connected())
            slot.assign([p](boost::asio::cancellation_type) { p->wake({login_wake::reason::cancelled}); });
        p->park(std::move(self));
    }

    // `in`: the clocks as read for `step`, good until time passes.
    template <class Self>
    void advance(Self& self, sansio::step step, const sansio::step_inputs& in)
    {
        using action = sansio::step::action;
        for (;;) {
            switch (step.what) {
            case action::send:
                // A copy: the operation keeps its request for the attempt report and a retry.
                return async_send_within(session_.transport(), http_request(op.request()), as_timeout(step.duration), std::move(self));
            case action::wait:
                if (!timer) timer = std::make_unique<boost::asio::steady_timer>(session_.transport().get_executor());
                timer->expires_after(step.duration);
                return timer->async_wait(std::move(self));
            case action::need_token: {
                std::shared_ptr<parked_call<Self>> p;
                auto next = join_credentials(state(), op, duty, in, [&] {
                    p = std::make_shared<parked_call<Self>>();
                    return [p](const login_outcome& o) { p->wake({login_wake::reason::ended, o}); };
                });
                if (!next) return park(self, std::move(p), in);
                step = *next;
                break;
            }
            case action::token_received:
            case action::renewal_failed:
            case action::clock_skew: {
                auto now = in;
                step = handle_event(state(), op, duty, step.what, now);
                break;
            }
            case action::done:
                timer.reset();
                duty.fail(op.refusal(), op.error());  // when it was logging in for the others
                return self.complete(op.take_result(diag));
            }
        }
    }

    template <class Self>
    void aborted(Self& self)
    {
        timer.reset();
        duty.abandon();  // a login it was making: a waiter takes it over
        if (diag) *diag = op.facts();  // what the call did before it was cancelled
        self.complete(typename sansio::operation<Parse>::result_type(boost::system::error_code(boost::asio::error::operation_aborted)));
    }
};

/**
 * Completes the library's async calls through `boost::asio::async_compose`, so any Asio
 * completion token works. The primary template is declared in detail/async_start.hpp.
 */
template <class Token, class Signature>
struct completion_token_adapter {
    // The session's transport's executor runs the handler unless the handler has one of its own;
    // its timer waits between attempts.
    template <class Transport, class Parse, class T>
    static auto initiate(session<Transport> s, sansio::operation<Parse> op, diagnostics* diag, T&& token)
    {
        auto ex = s.transport().get_executor();
        return boost::asio::async_compose<T, Signature>(asio_call<Transport, Parse>{std::move(s), std::move(op), diag}, token, ex);
    }
};

} // namespace detail

} // namespace modelarts

#endif
