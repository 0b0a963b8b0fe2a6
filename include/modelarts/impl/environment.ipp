/**
 * @file impl/environment.ipp
 * The definitions of environment.hpp: inline in every unit by default, or compiled
 * once with MODELARTS_SEPARATE_COMPILATION (see detail/config.hpp).
 */
#ifndef MODELARTS_IMPL_ENVIRONMENT_IPP
#define MODELARTS_IMPL_ENVIRONMENT_IPP

#include <cstdlib>
#include <optional>
#include <string>

namespace modelarts {

MODELARTS_DECL result<session_options> session_options_from_environment(const environment_lookup& lookup)
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

MODELARTS_DECL result<session_options> session_options_from_environment()
{
    return session_options_from_environment([](const char* name) { return static_cast<const char*>(std::getenv(name)); });
}

} // namespace modelarts

#endif
