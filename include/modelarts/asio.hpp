/**
 * @file asio.hpp
 * Asio for the library's async calls: include this header, and `async_update_job_description`
 * and `async_get_job_version_object_list` take `use_awaitable`, `use_future`, `as_tuple(...)`,
 * `bind_executor(...)`, `bind_cancellation_slot(...)` or any other Asio token, as well as plain
 * callbacks. Needs an Asio-based `async_transport` (one with `get_executor()`).
 *
 * Each call is one composed operation (`async_compose`) over the call's `operation`: the
 * handler's associated executor, allocator and cancellation slot reach every step, the
 * transport's exchange and the backoff timer alike. Cancelling completes the call with
 * `boost::asio::error::operation_aborted`; the exchange in flight is abandoned by the transport.
 *
 * @code
 * #include "modelarts/asio.hpp"
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

#include "modelarts/detail/handler_relay.hpp"
#include "modelarts/error.hpp"
#include "modelarts/http.hpp"
#include "modelarts/operation.hpp"
#include "modelarts/session.hpp"
#include "modelarts/transport.hpp"

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/append.hpp>
#include <boost/asio/associated_allocator.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/cancellation_type.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <memory>
#include <type_traits>
#include <utility>

namespace modelarts {

namespace detail {

// The body of `async_compose`: one operation driven by the transport and an Asio timer. `self`
// is handed to every inner operation, so they see the handler's associators.
template <class Transport, class Parse>
struct composed_call {
    session<Transport> session_;
    operation<Parse> op;
    std::unique_ptr<boost::asio::steady_timer> timer = {};  // on the heap: `self` moves while it waits
    bool posted = false;

    template <class Self>
    void operator()(Self& self)  // start, and once more after the post below
    {
        const next_step step = op.resume(now());
        if (step.what == next_step::action::done && !posted) {
            posted = true;  // over before it began (refused input): never complete inside the initiating call
            return boost::asio::post(std::move(self));
        }
        advance(self, step);
    }

    template <class Self>
    void operator()(Self& self, boost::system::error_code ec, http_response res)  // the exchange ended
    {
        if (self.cancelled() != boost::asio::cancellation_type::none) return aborted(self);
        advance(self, op.on_response(to_outcome(ec, std::move(res)), now()));
    }

    template <class Self>
    void operator()(Self& self, boost::system::error_code ec)  // the backoff ended
    {
        if (ec || self.cancelled() != boost::asio::cancellation_type::none) return aborted(self);
        advance(self, op.resume(now()));
    }

private:
    std::chrono::steady_clock::time_point now() const { return session_.core()->steady_now(); }

    template <class Self>
    void advance(Self& self, const next_step& step)
    {
        switch (step.what) {
        case next_step::action::send:
            return detail::async_send(session_.transport(), op.request(), step.duration, std::move(self));
        case next_step::action::wait:
            if (!timer) timer = std::make_unique<boost::asio::steady_timer>(session_.transport().get_executor());
            timer->expires_after(step.duration);
            return timer->async_wait(std::move(self));
        case next_step::action::done:
            timer.reset();
            return self.complete(op.take_result());
        }
    }

    template <class Self>
    void aborted(Self& self)
    {
        timer.reset();
        self.complete(typename operation<Parse>::result_type(boost::system::error_code(boost::asio::error::operation_aborted)));
    }
};

} // namespace detail

/**
 * Completes the library's async operations through `boost::asio::async_compose`, so any Asio
 * completion token works. The primary template is declared in operation.hpp.
 */
template <class Token, class Signature>
struct completion_token_adapter {
    /**
     * @param s the session: its transport's executor runs the handler unless the handler has an
     *        executor of its own, and its timer waits between attempts
     * @param op the call
     * @param token the completion token
     * @return what the token makes of it (an awaitable, a future, ...)
     */
    template <class Transport, class Parse, class T>
    static auto initiate(session<Transport> s, operation<Parse> op, T&& token)
    {
        auto ex = s.transport().get_executor();
        return boost::asio::async_compose<T, Signature>(detail::composed_call<Transport, Parse>{std::move(s), std::move(op)},
                                                        token, ex);
    }
};

/**
 * A type-erased Asio-based async transport, so that `session<any_async_transport>` and
 * `estimator<any_async_transport>` are concrete types that plain interfaces can pass around.
 * Handlers cross the erasure as `boost::asio::any_completion_handler`, which keeps their
 * executor, allocator and cancellation slot.
 */
class any_async_transport {
public:
    using executor_type = boost::asio::any_io_executor;  ///< the wrapped transport's executor
    /** The one type every handler is erased to before the wrapped transport sees it. */
    using completion_handler = detail::exchange_handler;

    /**
     * @param transport an Asio-based async transport (with `get_executor()`), moved in
     */
    template <class T>
        requires(!std::is_same_v<std::decay_t<T>, any_async_transport> && async_transport<std::decay_t<T>>
                 && detail::has_executor<std::decay_t<T>>)
    explicit any_async_transport(T&& transport) : impl_(std::make_unique<model<std::decay_t<T>>>(std::forward<T>(transport)))
    {
    }

    /** @return the wrapped transport's executor */
    executor_type get_executor() const { return impl_->executor(); }

    /**
     * Sends a request; completes with `void(boost::system::error_code, http_response)`.
     * @param req the request
     * @param token any completion token
     * @return what the token makes of it
     */
    template <class CompletionToken>
    auto async_send(http_request req, CompletionToken&& token)
    {
        return async_send(std::move(req), std::chrono::milliseconds(0), std::forward<CompletionToken>(token));
    }

    /**
     * As above, allowing the exchange at most `timeout` where the wrapped transport takes one.
     * @param req the request
     * @param timeout the time allowed (0: the transport's own)
     * @param token any completion token
     * @return what the token makes of it
     */
    template <class CompletionToken>
    auto async_send(http_request req, std::chrono::milliseconds timeout, CompletionToken&& token)
    {
        return boost::asio::async_initiate<CompletionToken, void(boost::system::error_code, http_response)>(
            [this](auto handler, http_request r, std::chrono::milliseconds t) {
                // The transport runs its steps on its own executor (Beast posts), then hands back.
                impl_->send(std::move(r), t, detail::handler_relay::of(std::move(handler), impl_->executor()));
            },
            token, std::move(req), timeout);
    }

    /** @return the wrapped transport, or null when it is not a `T` */
    template <class T>
    T* target() noexcept
    {
        auto* m = dynamic_cast<model<T>*>(impl_.get());
        return m ? &m->transport : nullptr;
    }

private:
    struct interface {
        virtual ~interface() = default;
        virtual executor_type executor() = 0;
        virtual void send(http_request req, std::chrono::milliseconds timeout, detail::handler_relay handler) = 0;
    };

    template <class T>
    struct model final : interface {
        explicit model(T t) : transport(std::move(t)) {}
        executor_type executor() override { return transport.get_executor(); }
        void send(http_request req, std::chrono::milliseconds timeout, detail::handler_relay r) override
        {
            if constexpr (timed_async_transport<T>) {
                if (timeout.count() > 0) return transport.async_send(std::move(req), timeout, std::move(r));
            }
            transport.async_send(std::move(req), std::move(r));
        }
        T transport;
    };

    std::unique_ptr<interface> impl_;
};

} // namespace modelarts

#endif
