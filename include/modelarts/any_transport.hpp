/**
 * @file any_transport.hpp
 * A type-erased `sync_transport`: `session<any_transport>` and `estimator<any_transport>` are
 * concrete types, so code that is not a template can hold, pass and compile them in one .cpp.
 */
#ifndef MODELARTS_ANY_TRANSPORT_HPP
#define MODELARTS_ANY_TRANSPORT_HPP

#include "modelarts/detail/send.hpp"
#include "modelarts/error.hpp"
#include "modelarts/http.hpp"
#include "modelarts/transport.hpp"

#include <chrono>
#include <memory>
#include <type_traits>
#include <utility>

namespace modelarts {

/**
 * Holds any `sync_transport` (moved in) and forwards to it, the timeout included where the
 * wrapped transport takes one.
 *
 * @code
 * // api.hpp: no template in sight
 * modelarts::result<modelarts::update_result> stamp(const modelarts::estimator<modelarts::any_transport>& est);
 * // main.cpp
 * #include "modelarts/transports/curl.hpp"
 * auto s = modelarts::make_session(modelarts::any_transport{modelarts::curl_transport{}},
 *                                  {.endpoint = "https://modelarts.cn-north-4.myhuaweicloud.com", .project_id = "0123456789abcdef"});
 * @endcode
 */
class any_transport {
public:
    /** @param transport any sync transport, moved in */
    template <class T>
        requires(!std::is_same_v<std::decay_t<T>, any_transport> && sync_transport<std::decay_t<T>>)
    explicit any_transport(T&& transport) : impl_(std::make_unique<model<std::decay_t<T>>>(std::forward<T>(transport)))
    {
    }

    /**
     * @param req the request
     * @return what the wrapped transport returns
     */
    [[nodiscard]] result<http_response> send(const http_request& req) { return impl_->send(req, std::chrono::milliseconds(0)); }

    /**
     * @param req the request
     * @param timeout the time allowed, where the wrapped transport takes a timeout
     * @return what the wrapped transport returns
     */
    [[nodiscard]] result<http_response> send(const http_request& req, std::chrono::milliseconds timeout)
    {
        return impl_->send(req, timeout);
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
        virtual result<http_response> send(const http_request& req, std::chrono::milliseconds timeout) = 0;
    };

    template <class T>
    struct model final : interface {
        explicit model(T t) : transport(std::move(t)) {}
        result<http_response> send(const http_request& req, std::chrono::milliseconds timeout) override
        {
            return detail::send_within(transport, req, timeout);
        }
        T transport;
    };

    std::unique_ptr<interface> impl_;
};

} // namespace modelarts

#endif
