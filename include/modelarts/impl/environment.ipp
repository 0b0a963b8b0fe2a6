/**
 * @file impl/environment.ipp
 * The definitions of environment.hpp: inline in every unit by default, or compiled
 * once with MODELARTS_SEPARATE_COMPILATION (see detail/config.hpp).
 */
#ifndef MODELARTS_IMPL_ENVIRONMENT_IPP
#define MODELARTS_IMPL_ENVIRONMENT_IPP

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>

namespace modelarts {

namespace detail {

MODELARTS_DECL profile_read parse_profile(std::string_view text)
{
    profile_read out;
    bool in_basic = false;
    unsigned number = 0;
    while (!text.empty()) {
        ++number;
        const auto end = text.find('\n');
        std::string_view line = text.substr(0, end);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);  // a file written on Windows
        line = trim(line);
        text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
        if (line.empty() || line.front() == '#' || line.front() == ';') continue;
        if (line.front() == '[') {
            if (line.back() != ']' || line.size() < 3) return {{}, number};
            in_basic = iequals(trim(line.substr(1, line.size() - 2)), "basic");
            continue;
        }
        const auto equals = line.find('=');
        const auto key = trim(line.substr(0, equals == std::string_view::npos ? 0 : equals));
        if (equals == std::string_view::npos || key.empty()) return {{}, number};
        if (!in_basic) continue;
        std::string value(trim(line.substr(equals + 1)));
        for (auto [name, field] : {std::pair{"ak", &out.basic.ak}, {"sk", &out.basic.sk}, {"security_token", &out.basic.security_token},
                                   {"project_id", &out.basic.project_id}, {"iam_endpoint", &out.basic.iam_endpoint}})
            if (iequals(key, name)) *field = value.empty() ? std::nullopt : std::optional<std::string>(value);
    }
    return out;
}

} // namespace detail

MODELARTS_DECL result<session_options> session_options_from_environment(const environment_lookup& lookup, environment_report* report)
{
    environment_report ignored;
    environment_report& told = report ? *report : ignored;
    told = {};
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

    // The profile file, second in the chain: read only when the environment gives no access key.
    detail::profile_basic profile;
    std::string profile_path;
    if (!ak) {
        const auto named = get("HUAWEICLOUD_SDK_CREDENTIALS_FILE");
        const auto home = get("HOME");
        profile_path = named ? *named : home ? *home + "/.huaweicloud/credentials" : std::string();
        std::ifstream file;
        if (!profile_path.empty()) file.open(profile_path, std::ios::binary);
        if (file) {
            const std::string text{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
            const auto read = detail::parse_profile(text);
            if (read.bad_line) {
                told.problem = profile_path + ":" + std::to_string(read.bad_line) + ": expected [section], key = value, a comment or a blank line";
                return error::invalid_profile_file;
            }
            profile = read.basic;
        } else if (named) {  // named outright: a file that is not there is a mistake, not an absence
            told.problem = profile_path + ": cannot be read";
            return error::invalid_profile_file;
        }
        if (profile.ak.has_value() != profile.sk.has_value() || (profile.security_token && !profile.ak)) {
            told.problem = profile_path + ": [basic] needs both ak and sk";
            return error::incomplete_credentials;
        }
    }

    session_options out;
    out.project_id = get("HUAWEICLOUD_SDK_PROJECT_ID").value_or(profile.project_id.value_or(""));
    if (auto endpoint = get("MODELARTS_ENDPOINT")) {
        out.endpoint = *endpoint;
    } else if (region) {
        auto url = modelarts_endpoint(*region);
        if (!url) return url.error();
        out.endpoint = *url;
    }

    if (ak) {
        out.auth = aksk_credentials{*ak, *sk, security_token.value_or("")};
        told.source = "environment";
    } else if (profile.ak) {
        out.auth = aksk_credentials{*profile.ak, *profile.sk, profile.security_token.value_or("")};
        told.source = "profile file " + profile_path;
    } else if (token) {
        out.auth = token_credentials{*token};
        told.source = "environment";
    } else if (user) {
        told.source = "environment";
        password_credentials creds{*user, *password, get("MODELARTS_ACCOUNT").value_or(""), ""};
        auto iam = get("HUAWEICLOUD_SDK_IAM_ENDPOINT");
        if (!iam) iam = profile.iam_endpoint;
        if (iam) {
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

MODELARTS_DECL result<session_options> session_options_from_environment(environment_report* report)
{
    return session_options_from_environment([](const char* name) { return static_cast<const char*>(std::getenv(name)); }, report);
}

} // namespace modelarts

#endif
