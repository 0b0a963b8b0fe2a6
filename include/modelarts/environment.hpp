/**
 * @file environment.hpp
 * The SDK's notebook mode, `Session()` with no parameters: session options from the environment.
 */
#ifndef MODELARTS_ENVIRONMENT_HPP
#define MODELARTS_ENVIRONMENT_HPP

#include "modelarts/credentials.hpp"
#include "modelarts/detail/config.hpp"
#include "modelarts/error.hpp"
#include "modelarts/region.hpp"
#include "modelarts/session.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace modelarts {

/** Reads one environment variable: `std::getenv`, or a map in tests. Null when unset. */
using environment_lookup = std::function<const char*(const char*)>;

/** What `session_options_from_environment` read: where the credentials came from, or what was wrong. */
struct environment_report {
    std::string source;   ///< "environment", "profile file PATH", or empty when nothing gave credentials
    std::string problem;  ///< after `error::invalid_profile_file`: the file and line, and what is wrong (never a value)
};

namespace detail {

// The `[basic]` section of a profile file, the part regional services read.
struct profile_basic {
    std::optional<std::string> ak, sk, security_token, project_id, iam_endpoint;
};

// What parsing a profile file gave: the section, or the first line that is none of `[section]`,
// `key = value`, a comment (`#`, `;`) or blank.
struct profile_read {
    profile_basic basic;
    unsigned bad_line = 0;  // 1-based; 0: none
};

// Parses a profile file's text (INI, as the official SDKs read it). Keys are case-insensitive;
// values are trimmed; a key given twice keeps the last value.
MODELARTS_DECL profile_read parse_profile(std::string_view text);

} // namespace detail

/**
 * Builds session options from the environment, as Huawei Cloud's SDKs read it:
 * - endpoint: `MODELARTS_ENDPOINT`, else the endpoint of `HUAWEICLOUD_SDK_REGION`;
 * - project: `HUAWEICLOUD_SDK_PROJECT_ID`, else the profile file's `project_id`;
 * - credentials, first found (the official SDKs' chain, then this library's own variables):
 *   1. `HUAWEICLOUD_SDK_AK` + `HUAWEICLOUD_SDK_SK` (+ `HUAWEICLOUD_SDK_SECURITY_TOKEN` for temporary
 *      credentials);
 *   2. the profile file: `HUAWEICLOUD_SDK_CREDENTIALS_FILE`, else `$HOME/.huaweicloud/credentials`
 *      when it exists; its `[basic]` section's `ak`, `sk`, `security_token`, `project_id`;
 *   3. `MODELARTS_AUTH_TOKEN`; then `MODELARTS_USERNAME` + `MODELARTS_PASSWORD` (+ `MODELARTS_ACCOUNT`),
 *      with IAM at `HUAWEICLOUD_SDK_IAM_ENDPOINT` (else the profile's `iam_endpoint`, else the region's).
 * An empty variable counts as unset. Half a pair is an error, never a silent fallback; so is a
 * profile file that cannot be parsed, or one named by `HUAWEICLOUD_SDK_CREDENTIALS_FILE` that
 * cannot be read.
 * @param lookup where to read variables
 * @param report when not null: where the credentials came from, or what was wrong with the file
 * @return the options (the endpoint, and IAM's, empty when neither endpoint nor region is set),
 *         or `error::incomplete_credentials`, `error::invalid_profile_file` or `error::unknown_region`
 */
[[nodiscard]] MODELARTS_DECL result<session_options> session_options_from_environment(const environment_lookup& lookup,
                                                                                      environment_report* report = nullptr);

/**
 * The same, from the process environment (`std::getenv`).
 * @param report when not null: where the credentials came from, or what was wrong with the file
 * @return the options, or `error::incomplete_credentials`, `error::invalid_profile_file` or `error::unknown_region`
 */
[[nodiscard]] MODELARTS_DECL result<session_options> session_options_from_environment(environment_report* report = nullptr);

} // namespace modelarts

#if !defined(MODELARTS_SEPARATE_COMPILATION) || defined(MODELARTS_CORE_SOURCE)
#include "modelarts/impl/environment.ipp"
#endif

#endif
