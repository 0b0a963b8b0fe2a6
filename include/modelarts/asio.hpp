/**
 * @file asio.hpp
 * Asio completion tokens for the library's async calls: include this header, and
 * `async_update_job_description` and `async_get_job_version_object_list` take `use_awaitable`,
 * `use_future`, `as_tuple(...)`, `bind_executor(...)` or any other Asio token, as well as plain
 * callbacks. Needs an Asio-based `async_transport` with `get_executor()`.
 *
 * @code
 * #include "modelarts/asio.hpp"
 * boost::asio::awaitable<void> run(modelarts::estimator<my_beast_transport>& est)
 * {
 *     modelarts::result<modelarts::update_result> r =
 *         co_await est.async_update_job_description("new text", boost::asio::use_awaitable);
 *     // never throws: errors come back in r
 * }
 * @endcode
 */
#ifndef MODELARTS_ASIO_HPP
#define MODELARTS_ASIO_HPP

#include "modelarts/transport.hpp"

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>

#include <utility>

namespace modelarts {

namespace detail {

// Completes on the handler's associated executor (the transport's by default), always through
// post: never inside the initiating call, and the executor is kept busy until then.
template <class Handler, class Executor>
class posting_handler {
public:
    posting_handler(Handler handler, const Executor& fallback)
        : work_(boost::asio::make_work_guard(boost::asio::get_associated_executor(handler, fallback)))
        , handler_(std::move(handler))
    {
    }

    template <class Result>
    void operator()(Result&& r)
    {
        auto ex = work_.get_executor();
        boost::asio::post(ex, [h = std::move(handler_), r = std::forward<Result>(r)]() mutable { std::move(h)(std::move(r)); });
        work_.reset();
    }

private:
    boost::asio::executor_work_guard<boost::asio::associated_executor_t<Handler, Executor>> work_;
    Handler handler_;
};

} // namespace detail

/**
 * Completes the library's async operations through Asio's `async_initiate`, so any Asio
 * completion token works. The primary template is declared in transport.hpp.
 */
template <class Token, class Signature>
struct completion_token_adapter {
    /**
     * @param init the operation, called with the final handler
     * @param token the completion token
     * @param transport the session's transport: its executor runs the handler unless the
     *        handler has an executor of its own
     * @return what `async_initiate` returns for the token (an awaitable, a future, ...)
     */
    template <class Initiation, class T, class Transport>
    static auto initiate(Initiation&& init, T&& token, Transport& transport)
    {
        return boost::asio::async_initiate<T, Signature>(
            [&transport](auto handler, auto operation) {
                using handler_type = decltype(handler);
                using executor_type = decltype(transport.get_executor());
                operation(detail::posting_handler<handler_type, executor_type>(std::move(handler), transport.get_executor()));
            },
            token, std::forward<Initiation>(init));
    }
};

} // namespace modelarts

#endif
