/**
 * @file detail/send.hpp
 * How the drivers hand a request to a transport: with the time the call has left, where the
 * transport takes a timeout.
 */
#ifndef MODELARTS_DETAIL_SEND_HPP
#define MODELARTS_DETAIL_SEND_HPP

#include "modelarts/error.hpp"
#include "modelarts/http.hpp"
#include "modelarts/transport.hpp"

#include <algorithm>
#include <chrono>
#include <utility>

namespace modelarts::detail {

// The time a call has left as a transport timeout: whole milliseconds, rounded up, at least 1;
// 0 (none: the transport's own) when the call has no deadline (`nanoseconds::max()`).
inline std::chrono::milliseconds as_timeout(std::chrono::nanoseconds left) noexcept
{
    if (left == std::chrono::nanoseconds::max()) return std::chrono::milliseconds(0);
    return std::max(std::chrono::milliseconds(1), std::chrono::ceil<std::chrono::milliseconds>(left));
}

// Sends with `timeout` where the transport takes one (0: none). The drivers and the erased
// transports all send through these two.
template <class Transport>
[[nodiscard]] result<http_response> send_within(Transport& t, const http_request& req, std::chrono::milliseconds timeout)
{
    if constexpr (timed_sync_transport<Transport>) {
        if (timeout.count() > 0) return t.send(req, timeout);
    }
    return t.send(req);
}

template <class Transport, class Handler>
void async_send_within(Transport& t, http_request req, std::chrono::milliseconds timeout, Handler&& handler)
{
    if constexpr (timed_async_transport<Transport>) {
        if (timeout.count() > 0) return t.async_send(std::move(req), timeout, std::forward<Handler>(handler));
    }
    t.async_send(std::move(req), std::forward<Handler>(handler));
}

// The transport a type-erased transport holds, when its model is `Model`; else null.
template <class Model, class Interface>
auto* erased_target(Interface* impl) noexcept
{
    auto* m = dynamic_cast<Model*>(impl);
    return m ? &m->transport : nullptr;
}

// An async transport's completion as one value: the answer, or the error.
inline result<http_response> to_outcome(const boost::system::error_code& ec, http_response&& res)
{
    if (ec) return ec;
    return std::move(res);
}

} // namespace modelarts::detail

#endif
