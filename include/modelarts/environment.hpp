/**
 * @file environment.hpp
 * The SDK's notebook mode, `Session()` with no parameters: session options from the environment.
 */
#ifndef MODELARTS_ENVIRONMENT_HPP
#define MODELARTS_ENVIRONMENT_HPP

#include "modelarts/credentials.hpp"
#include "modelarts/error.hpp"
#include "modelarts/region.hpp"
#include "modelarts/session.hpp"

#include <cstdlib>
#include <functional>
#include <optional>
#include <string>

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
 * @param lookup where to read variables (default: the process environment)
 * @return the options (the endpoint, and IAM's, empty when neither endpoint nor region is set),
 *         or `error::incomplete_credentials` or `error::unknown_region`
 */
[[nodiscard]] inline result<session_options> session_options_from_environment(const environment_lookup& lookup = [](const char* n) {
    return static_cast<const char*>(std::getenv(n));
})
{
    auto get = [&](const char* name) -> std::optional<std::string> {
        const char* v = lookup(name);
        if (!v || !*v) return std::nullopt;
        return std::string(v);
    };
    const auto ak = get("HUAWEICLOUD_SDK_AK"), sk = get("HUAWEICLOUD_SDK_SK"),
               security_token = get("HUAWEICLOUD_SDK_SECURITY_TOKEN"), token = get("MODELARTS_AUTH_TOKEN"),
               user = get("MODELARTS_USERNAME"), password = get("MODELARTS_PASSWORD"), region = get("HUAWEICLOUD_SDK_REGION");
    if (ak.has_value() != sk.has_value() || (security_token && !ak) || user.has_value() != password.has_value())
        return error::incomplete_credentials;

    session_options out;
    out.project_id = get("HUAWEICLOUD_SDK_PROJECT_ID").value_or("");
    if (auto endpoint = get("MODELARTS_ENDPOINT")) {
        out.endpoint = *endpoint;
    } else if (region) {
        auto url = modelarts_endpoint(*region);
        if (!url) return url.error();
        out.endpoint = *url;
    }

    if (ak) {
        out.auth = aksk_credentials{*ak, *sk, security_token.value_or("")};
    } else if (token) {
        out.auth = token_credentials{*token};
    } else if (user) {
        password_credentials creds{*user, *password, get("MODELARTS_ACCOUNT").value_or(""), ""};
        if (auto iam = get("HUAWEICLOUD_SDK_IAM_ENDPOINT")) {
            creds.iam_endpoint = *iam;
        } else if (region) {
            auto url = iam_endpoint(*region);
            if (!url) return url.error();
            creds.iam_endpoint = *url;
        }  // else left empty: set it before use, or the first call fails with error::invalid_endpoint
        out.auth = std::move(creds);
    }
    return out;
}

} // namespace modelarts

#endif
