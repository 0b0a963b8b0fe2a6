/**
 * @file validation.hpp
 * The checks every input passes before a request is built. Each returns the precise error
 * for the field it checks; none allocates except `parse_endpoint`'s result.
 */
#ifndef MODELARTS_VALIDATION_HPP
#define MODELARTS_VALIDATION_HPP

#include "modelarts/detail/config.hpp"
#include "modelarts/detail/utf8.hpp"
#include "modelarts/error.hpp"
#include "modelarts/http.hpp"

#include <cstdint>
#include <limits>
#include <string_view>

namespace modelarts {

/** The longest description the service takes, in Unicode code points. */
inline constexpr std::size_t max_description_length = 256;

/** The longest project id the service takes, in characters. */
inline constexpr std::size_t max_project_id_length = 64;

/**
 * Which ModelArts API a training job lives in.
 * `automatic` lets the job id's form decide: a decimal id is v1, a UUID is v2.
 */
enum class api_version { automatic, v1, v2 };

/**
 * @param description a job description
 * @return nothing, or `error::description_not_utf8` / `error::description_too_long`
 */
[[nodiscard]] MODELARTS_DECL result<void> validate_description(std::string_view description) noexcept;

/**
 * @param project_id a project id
 * @return nothing, or `error::invalid_project_id` (empty, over 64, or outside [A-Za-z0-9-])
 */
[[nodiscard]] MODELARTS_DECL result<void> validate_project_id(std::string_view project_id) noexcept;

/**
 * @param job_id text to check
 * @return true when `job_id` is a v1 id: a positive decimal without sign or leading zero that
 *         fits in int64
 */
MODELARTS_DECL bool is_v1_job_id(std::string_view job_id) noexcept;

/**
 * @param job_id a job id
 * @return its number when `is_v1_job_id(job_id)`, else 0
 */
MODELARTS_DECL std::int64_t v1_job_number(std::string_view job_id) noexcept;

/**
 * @param job_id text to check
 * @return true when `job_id` is a canonical UUID (8-4-4-4-12 hex digits), all lower or all
 *         upper case
 */
MODELARTS_DECL bool is_v2_job_id(std::string_view job_id) noexcept;

/**
 * Decides which API serves a job.
 * @param job_id the job's id
 * @param requested `automatic` to follow the id's form, or an explicit version
 * @return `v1` or `v2`; `error::invalid_job_id` when the id has neither form,
 *         `error::job_id_api_mismatch` when it has the other version's form
 */
[[nodiscard]] MODELARTS_DECL result<api_version> resolve_api_version(std::string_view job_id, api_version requested) noexcept;

/**
 * @param token an IAM token
 * @return nothing, or `error::invalid_token` when it is empty or holds a character outside
 *         visible ASCII (which would let it break out of its header)
 */
[[nodiscard]] MODELARTS_DECL result<void> validate_token(std::string_view token) noexcept;

/**
 * Parses an endpoint URL: `https://host[:port]` or `http://host[:port]`, with an optional
 * trailing `/`. The scheme is case-insensitive; a path, query, fragment or userinfo is refused.
 * The host is a DNS name or IPv4 address (letters, digits, `-`, `.`) or a bracketed IPv6 address.
 * @param url the endpoint
 * @return the parsed endpoint, or `error::invalid_endpoint`
 */
[[nodiscard]] MODELARTS_DECL result<endpoint> parse_endpoint(std::string_view url);

} // namespace modelarts

#if !defined(MODELARTS_SEPARATE_COMPILATION) || defined(MODELARTS_CORE_SOURCE)
#include "modelarts/impl/validation.ipp"
#endif

#endif
