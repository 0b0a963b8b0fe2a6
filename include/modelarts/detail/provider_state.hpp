/**
 * @file detail/provider_state.hpp
 * What the copies of a `credential_provider` share: the credentials held and the fetch under way
 * (a `login_flight`), and a callback provider's function.
 */
#ifndef MODELARTS_DETAIL_PROVIDER_STATE_HPP
#define MODELARTS_DETAIL_PROVIDER_STATE_HPP

#include "modelarts/credentials.hpp"
#include "modelarts/detail/login_flight.hpp"

namespace modelarts::detail {

struct provider_state {
    credentials_callback fetch;  // a callback provider's function; empty for the others
    login_flight flight;         // the credentials held, and the fetch under way
};

} // namespace modelarts::detail

#endif
