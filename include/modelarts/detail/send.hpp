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

// The remaining time as a transport timeout: whole milliseconds, rounded up, at least 1.
inline std::chrono::milliseconds as_timeout(std::chrono::nanoseconds left) noexcept
{
    return std::max(std::chrono::milliseconds(1), std::chrono::ceil<std::chrono::milliseconds>(left));
}

// `left` is `nanoseconds::max()` when the call has no deadline.
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

// An async transport's completion as one value: the answer, or the error.
inline result<http_response> to_outcome(const boost::system::error_code& ec, http_response&& res)
{
    if (ec) return ec;
    return std::move(res);
}

} // namespace modelarts::detail

#endif
