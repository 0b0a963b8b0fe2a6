/**
 * @file impl/session.ipp
 * The definitions of session.hpp: inline in every unit by default, or compiled
 * once with MODELARTS_SEPARATE_COMPILATION (see detail/config.hpp).
 */
#ifndef MODELARTS_IMPL_SESSION_IPP
#define MODELARTS_IMPL_SESSION_IPP

#include <thread>

namespace modelarts::detail {

MODELARTS_DECL void session_core::wait(std::chrono::nanoseconds d) const
{
    sleep ? sleep(d) : std::this_thread::sleep_for(d);
}

} // namespace modelarts::detail

#endif
