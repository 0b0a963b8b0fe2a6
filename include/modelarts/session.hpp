/**
 * @file session.hpp
 * The SDK's `Session`: where the service is, who we are, how to retry, and the transport that
 * carries requests. Checked once by `make_session`; a `session` is a cheap handle to that state.
 */
#ifndef MODELARTS_SESSION_HPP
#define MODELARTS_SESSION_HPP

#include "modelarts/detail/session_state.hpp"
#include "modelarts/error.hpp"
#include "modelarts/request.hpp"
#include "modelarts/retry.hpp"
#include "modelarts/session_options.hpp"
#include "modelarts/transport.hpp"

#include <memory>
#include <utility>

namespace modelarts {

template <class Transport>
class session;

/**
 * Checks a configuration once and makes a session of it: the endpoint is parsed and kept, the
 * project id, credentials and retry policy are checked. A bad setting is reported here, not at
 * the first call.
 * @param transport the HTTP stack to use, moved in
 * @param options endpoint, project id, credentials, retry policy
 * @return the session, or the error naming the first bad setting
 */
template <class Transport>
[[nodiscard]] result<session<Transport>> make_session(Transport transport, session_options options);

namespace detail {

// The library's drivers' way into a session (Boost.MySQL's `detail::access`): the state is not
// part of the public interface.
struct access {
    template <class Transport>
    static session_state& state(const session<Transport>& s) noexcept
    {
        return *s.state_;
    }
};

} // namespace detail

/**
 * A session: the checked configuration, the IAM token cache and the transport, shared. Copies
 * are cheap and share all of it, as Python's objects share their `Session`; every estimator,
 * training job and version object holds one, so none of them can outlive it. Make one with
 * `make_session`.
 *
 * Thread safety: a session, and every copy of it, may be used by any number of threads and calls
 * in flight at once when its transport allows it, as every shipped transport and the emulator's
 * do. Its IAM token is fetched by one call at a time (the others wait for that login), and its
 * clock offset and jitter are shared safely. The observer, clocks, sleep and random functions are
 * called from the threads that drive calls, concurrently when calls run concurrently: give it
 * thread-safe ones.
 *
 * @tparam Transport a type modelling `sync_transport` or `async_transport`
 */
template <class Transport>
class session {
    static_assert(sync_transport<Transport> || async_transport<Transport>,
                  "modelarts::session<T>: T must model modelarts::sync_transport, i.e. have a member "
                  "send(const modelarts::http_request&) returning boost::system::result<modelarts::http_response>, "
                  "or modelarts::async_transport, i.e. have a member async_send(modelarts::http_request, handler) "
                  "calling handler(boost::system::error_code, modelarts::http_response)");

public:
    /** @return the checked endpoint and project id every request is built for */
    const service_location& location() const noexcept { return state_->location; }

    /** @return the transport, shared by every copy of this session */
    Transport& transport() const noexcept { return state_->transport; }

    /** @return the retry policy calls follow */
    const retry_policy& retry() const noexcept { return state_->retry; }

    /** @return true when both handles share one state */
    friend bool operator==(const session& a, const session& b) noexcept { return a.state_ == b.state_; }

private:
    struct state : detail::session_state {
        state(service_location where, session_options&& o, Transport&& t)
            : session_state(std::move(where), std::move(o)), transport(std::move(t))
        {
        }
        Transport transport;
    };

    explicit session(std::shared_ptr<state> s) noexcept : state_(std::move(s)) {}
    friend result<session> make_session<Transport>(Transport, session_options);
    friend struct detail::access;

    std::shared_ptr<state> state_;
};

template <class Transport>
[[nodiscard]] result<session<Transport>> make_session(Transport transport, session_options options)
{
    auto where = detail::check_session_options(options);
    if (!where) return where.error();
    using state = typename session<Transport>::state;
    return session<Transport>(std::make_shared<state>(std::move(*where), std::move(options), std::move(transport)));
}

} // namespace modelarts

#endif
