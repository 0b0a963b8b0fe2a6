/**
 * @file credential_provider.hpp
 * Credentials that expire and renew themselves: the instance metadata service's temporary keys, a
 * function of your own (Vault, KMS, a sidecar), or an IAM password login. Set one as
 * `session_options::auth`; share it (it is a handle) between sessions and threads, and a service
 * fetches once for all of them. Credentials are fetched by one call at a time, renewed before they
 * expire (30 minutes before, or at seven eighths of their life when that comes first), and while
 * a renewal is under way, or has just failed, the credentials still valid go on being used.
 *
 * @code
 * #include "modelarts/credential_provider.hpp"
 * #include "modelarts/transports/curl.hpp"
 *
 * void run()
 * {
 *     auto keys = modelarts::make_metadata_provider();  // on an ECS, a CCE node or a notebook with an agency
 *     auto a = modelarts::make_session(modelarts::curl_transport{}, {.endpoint = "https://modelarts.cn-north-4.myhuaweicloud.com",
 *                                                                   .project_id = "0123456789abcdef0123456789abcdef", .auth = keys});
 *     auto b = modelarts::make_session(modelarts::curl_transport{}, {.endpoint = "https://modelarts.cn-north-4.myhuaweicloud.com",
 *                                                                   .project_id = "0123456789abcdef0123456789abcdef", .auth = keys});
 *     // a and b, and every thread that uses them, fetch the keys once, and renew them once
 * }
 * @endcode
 */
#ifndef MODELARTS_CREDENTIAL_PROVIDER_HPP
#define MODELARTS_CREDENTIAL_PROVIDER_HPP

#include "modelarts/credentials.hpp"
#include "modelarts/detail/provider_state.hpp"
#include "modelarts/metadata.hpp"

#include <memory>
#include <string>
#include <utility>

namespace modelarts {

/**
 * The instance metadata service's temporary AK/SK and security token (modelarts-api.md §5), fetched
 * through the session's own transport with 3-second timeouts: a session token first (when the
 * service issues them), then the keys; a refused session token is replaced once.
 * @param endpoint where the service answers (`default_metadata_endpoint`; another for tests and private clouds)
 * @return the provider; a bad endpoint is reported by `make_session`
 */
inline credential_provider make_metadata_provider(std::string endpoint = std::string(default_metadata_endpoint))
{
    detail::provider_source from;
    from.what = detail::provider_source::kind::metadata_service;
    from.metadata_endpoint = std::move(endpoint);
    return detail::provider_access::make(std::move(from), std::make_shared<detail::provider_state>());
}

/**
 * Credentials from a function of yours, called by the thread of the call that needs them, one call
 * at a time, when those held near expiry. It returns a token or an access key (temporary keys with
 * their security token) and when they expire, or an error, which the calls waiting for it end with.
 * It must not throw.
 * @param fetch the function
 * @return the provider
 */
inline credential_provider make_callback_provider(credentials_callback fetch)
{
    auto state = std::make_shared<detail::provider_state>();
    state->fetch = std::move(fetch);
    return detail::provider_access::make(detail::provider_source{}, std::move(state));
}

/**
 * An IAM user's token, logged in through the session's transport and shared by every session that
 * holds the provider (a password in `session_options::auth` gives each session its own).
 * @param user the user, their password, account and IAM endpoint
 * @return the provider; bad fields are reported by `make_session`
 */
inline credential_provider make_iam_password_provider(password_credentials user)
{
    detail::provider_source from;
    from.what = detail::provider_source::kind::iam_password;
    from.user = std::move(user);
    return detail::provider_access::make(std::move(from), std::make_shared<detail::provider_state>());
}

} // namespace modelarts

#endif
