/**
 * @file transport.hpp
 * The seam between the library and the user's HTTP stack.
 */
#ifndef MODELARTS_TRANSPORT_HPP
#define MODELARTS_TRANSPORT_HPP

#include "modelarts/error.hpp"
#include "modelarts/http.hpp"

#include <concepts>

namespace modelarts {

/**
 * A blocking HTTP client: `send` delivers a request and returns whatever response came back.
 *
 * The transport sends `req.method req.target` with `req.headers` and `req.body` to
 * `req.destination` (or `req.url()`), and returns the status, headers and body untouched,
 * whatever the status: deciding what is a service failure is the library's job. Only a failure
 * to exchange (refused, reset, timeout, TLS) is an error.
 *
 * @code
 * struct my_transport {
 *     modelarts::result<modelarts::http_response> send(const modelarts::http_request& req)
 *     {
 *         my_http::reply r = client_.call(to_string(req.method), req.url(), req.headers, req.body);
 *         if (r.failed) return modelarts::error::transport_failure;  // or any error_code
 *         modelarts::http_response res{r.status, {}, std::move(r.body)};
 *         for (auto& [k, v] : r.headers) res.headers.add(k, v);
 *         return res;
 *     }
 *     my_http::client client_;
 * };
 * static_assert(modelarts::sync_transport<my_transport>);
 * @endcode
 */
template <class T>
concept sync_transport = requires(T& transport, const http_request& req) {
    { transport.send(req) } -> std::same_as<result<http_response>>;
};

} // namespace modelarts

#endif
