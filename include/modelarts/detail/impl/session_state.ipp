/**
 * @file detail/impl/session_state.ipp
 * The definitions of detail/session_state.hpp: inline in every unit by default, or compiled
 * once with MODELARTS_SEPARATE_COMPILATION (see detail/config.hpp).
 */
#ifndef MODELARTS_DETAIL_IMPL_SESSION_STATE_IPP
#define MODELARTS_DETAIL_IMPL_SESSION_STATE_IPP

#include <thread>

namespace modelarts::detail {

MODELARTS_DECL session_state::session_state(service_location where, session_options&& o)
    : location(std::move(where))
    , auth(std::move(o.auth))
    , retry(std::move(o.retry))
    , clock(std::move(o.clock))
    , monotonic_clock(std::move(o.monotonic_clock))
    , sleep(std::move(o.sleep))
    , random_source(std::move(o.random))
    , on_attempt(std::move(o.on_attempt))
    // Jitter needs variety across processes and sessions, not secrecy; std::random_device
    // could throw, and making a session does not.
    , seed(static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count())
           ^ reinterpret_cast<std::uintptr_t>(this))
{
}

MODELARTS_DECL session_state::~session_state() = default;

MODELARTS_DECL result<service_location> check_session_options(const session_options& options)
{
    auto where = make_service_location({options.endpoint, options.project_id});
    if (!where) return where.error();
    if (auto r = validate_credentials(options.auth); !r) return r.error();
    if (auto r = validate_retry_policy(options.retry); !r) return r.error();
    return where;
}

MODELARTS_DECL void session_state::wait(std::chrono::nanoseconds d) const
{
    sleep ? sleep(d) : std::this_thread::sleep_for(d);
}

} // namespace modelarts::detail

#endif
