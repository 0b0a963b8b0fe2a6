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

namespace modelarts {

/** Reads one environment variable: `std::getenv`, or a map in tests. Null when unset. */
using environment_lookup = std::function<const char*(const char*)>;

/**
 * Builds session options from the environment, as Huawei Cloud's SDKs read it:
 * - endpoint: `MODELARTS_ENDPOINT`, else the endpoint of `HUAWEICLOUD_SDK_REGION`;
 * - project: `HUAWEICLOUD_SDK_PROJECT_ID`;
 * - credentials, first found: `HUAWEICLOUD_SDK_AK` + `HUAWEICLOUD_SDK_SK` (+ `HUAWEICLOUD_SDK_SECURITY_TOKEN`
 *   for temporary credentials); `MODELARTS_AUTH_TOKEN`; `MODELARTS_USERNAME` + `MODELARTS_PASSWORD`
 *   (+ `MODELARTS_ACCOUNT`), with IAM at `HUAWEICLOUD_SDK_IAM_ENDPOINT`, else the region's.
 * An empty variable counts as unset. Half a pair is an error, never a silent fallback.
 * @param lookup where to read variables
 * @return the options (the endpoint, and IAM's, empty when neither endpoint nor region is set),
 *         or `error::incomplete_credentials` or `error::unknown_region`
 */
[[nodiscard]] MODELARTS_DECL result<session_options> session_options_from_environment(const environment_lookup& lookup);

/**
 * The same, from the process environment (`std::getenv`).
 * @return the options, or `error::incomplete_credentials` or `error::unknown_region`
 */
[[nodiscard]] MODELARTS_DECL result<session_options> session_options_from_environment();

} // namespace modelarts

#if !defined(MODELARTS_SEPARATE_COMPILATION) || defined(MODELARTS_CORE_SOURCE)
#include "modelarts/impl/environment.ipp"
#endif

#endif
