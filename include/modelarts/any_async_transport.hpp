/**
 * @file any_async_transport.hpp
 * A type-erased Asio-based `async_transport`: `session<any_async_transport>` and
 * `estimator<any_async_transport>` are concrete types, so code that is not a template can hold,
 * pass and compile them in one .cpp. Needs Asio (include "modelarts/asio.hpp" to call it).
 */
#ifndef MODELARTS_ANY_ASYNC_TRANSPORT_HPP
#define MODELARTS_ANY_ASYNC_TRANSPORT_HPP

#include "modelarts/detail/handler_relay.hpp"
#include "modelarts/detail/send.hpp"
#include "modelarts/error.hpp"
#include "modelarts/http.hpp"
#include "modelarts/transport.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>

#include <chrono>
#include <memory>
#include <type_traits>
#include <utility>

namespace modelarts {

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
                impl_->send(std::move(r), t, detail::handler_relay::erase(std::move(handler), impl_->executor()));
            },
            token, std::move(req), timeout);
    }

    /** @return the wrapped transport, or null when it is not a `T` */
    template <class T>
    T* target() noexcept
    {
        return detail::erased_target<model<T>>(impl_.get());
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
            detail::async_send_within(transport, std::move(req), timeout, std::move(r));
        }
        T transport;
    };

    std::unique_ptr<interface> impl_;
};

} // namespace modelarts

#endif
