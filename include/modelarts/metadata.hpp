/**
 * @file metadata.hpp
 * The instance metadata service's temporary keys, as sans-I/O requests and parsers (the official
 * Java SDK's `MetadataAccessor`; modelarts-api.md §5). On an ECS, a CCE node or a notebook whose
 * instance has an agency, it hands out an AK/SK with a security token, renewed before they expire:
 *
 * 1. `make_metadata_token_request`: an optional session token; `parse_metadata_token_response`
 *    gives it, or nothing when the service has none (404 or 405).
 * 2. `make_metadata_securitykey_request`: the keys; `parse_metadata_securitykey_response` gives
 *    them with their expiry, or `error::metadata_token_expired` (fetch a new session token and try
 *    once more), or `error::no_agency`.
 *
 * Give these requests short timeouts (the official SDKs: 3 s to connect, 3 s to read).
 */
#ifndef MODELARTS_METADATA_HPP
#define MODELARTS_METADATA_HPP

#include "modelarts/credentials.hpp"
#include "modelarts/detail/config.hpp"
#include "modelarts/error.hpp"
#include "modelarts/http.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace modelarts {

/** Where the metadata service answers on every Huawei Cloud instance. */
inline constexpr std::string_view default_metadata_endpoint = "http://169.254.169.254";

/** How long a session token is asked for: 6 hours, as the official SDKs ask. */
inline constexpr std::chrono::seconds metadata_token_lifetime{21600};

/** The official SDKs' timeout for each metadata request. */
inline constexpr std::chrono::seconds metadata_timeout{3};

/** Temporary keys and when they expire. */
struct temporary_credentials {
    aksk_credentials keys;                            ///< AK, SK and security token; never printed
    std::chrono::system_clock::time_point expires_at;  ///< from `expires_at`
};

/**
 * @param endpoint the metadata service, e.g. `default_metadata_endpoint`
 * @return `PUT /meta-data/latest/api/token` asking for a 6-hour session token, or the endpoint's error
 */
[[nodiscard]] MODELARTS_DECL result<http_request> make_metadata_token_request(std::string_view endpoint);

/**
 * @param res the answer to `make_metadata_token_request`
 * @return the session token; nothing when the service issues none (404, 405); or the error
 *         (`error::malformed_body` for an unusable token, `error::unexpected_shape` for another status)
 */
[[nodiscard]] MODELARTS_DECL result<std::optional<std::string>> parse_metadata_token_response(const http_response& res);

/**
 * @param endpoint the metadata service
 * @param session_token from `parse_metadata_token_response`, or empty
 * @return `GET /openstack/latest/securitykey`, with `X-Metadata-Token` when a token is given
 */
[[nodiscard]] MODELARTS_DECL result<http_request> make_metadata_securitykey_request(std::string_view endpoint,
                                                                                   std::string_view session_token);

/**
 * @param res the answer to `make_metadata_securitykey_request`
 * @return the keys and their expiry; or `error::no_agency` (401 saying "Please configure Cloud
 *         Service Agency first"), `error::metadata_token_expired` (another 401), or the body's error
 */
[[nodiscard]] MODELARTS_DECL result<temporary_credentials> parse_metadata_securitykey_response(const http_response& res);

} // namespace modelarts

#if !defined(MODELARTS_SEPARATE_COMPILATION) || defined(MODELARTS_CORE_SOURCE)
#include "modelarts/impl/metadata.ipp"
#endif

#endif
