/**
 * @file impl/validation.ipp
 * The definitions of validation.hpp: inline in every unit by default, or compiled
 * once with MODELARTS_SEPARATE_COMPILATION (see detail/config.hpp).
 */
#ifndef MODELARTS_IMPL_VALIDATION_IPP
#define MODELARTS_IMPL_VALIDATION_IPP

#include <charconv>

namespace modelarts {

MODELARTS_DECL result<void> validate_description(std::string_view description) noexcept
{
    // Cheap reject first: 256 code points never take more than 1024 bytes.
    if (description.size() > 4 * max_description_length) {
        if (!detail::utf8_length(description)) return error::description_not_utf8;
        return error::description_too_long;
    }
    auto n = detail::utf8_length(description);
    if (!n) return error::description_not_utf8;
    if (*n > max_description_length) return error::description_too_long;
    return {};
}

MODELARTS_DECL result<void> validate_project_id(std::string_view project_id) noexcept
{
    if (project_id.empty() || project_id.size() > max_project_id_length) return error::invalid_project_id;
    for (char c : project_id) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
        if (!ok) return error::invalid_project_id;
    }
    return {};
}

MODELARTS_DECL std::int64_t v1_job_number(std::string_view job_id) noexcept
{
    if (job_id.empty() || job_id.front() == '0') return 0;
    std::int64_t v = 0;
    auto [ptr, ec] = std::from_chars(job_id.data(), job_id.data() + job_id.size(), v);
    return ec == std::errc{} && ptr == job_id.data() + job_id.size() && v > 0 ? v : 0;  // "-5" parses, and is refused
}

MODELARTS_DECL bool is_v1_job_id(std::string_view job_id) noexcept
{
    return v1_job_number(job_id) > 0;
}

MODELARTS_DECL bool is_v2_job_id(std::string_view job_id) noexcept
{
    if (job_id.size() != 36) return false;
    bool lower = false, upper = false;
    for (std::size_t i = 0; i < job_id.size(); ++i) {
        char c = job_id[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') return false;
        } else if (c >= 'a' && c <= 'f') {
            lower = true;
        } else if (c >= 'A' && c <= 'F') {
            upper = true;
        } else if (c < '0' || c > '9') {
            return false;
        }
    }
    return !(lower && upper);
}

MODELARTS_DECL result<api_version> resolve_api_version(std::string_view job_id, api_version requested) noexcept
{
    const bool v1 = is_v1_job_id(job_id);
    const bool v2 = !v1 && is_v2_job_id(job_id);
    if (!v1 && !v2) return error::invalid_job_id;
    const api_version actual = v1 ? api_version::v1 : api_version::v2;
    if (requested != api_version::automatic && requested != actual) return error::job_id_api_mismatch;
    return actual;
}

MODELARTS_DECL result<void> validate_token(std::string_view token) noexcept
{
    if (token.empty() || !detail::is_visible_ascii(token)) return error::invalid_token;
    return {};
}

MODELARTS_DECL result<endpoint> parse_endpoint(std::string_view url)
{
    endpoint ep;
    auto starts_with_ci = [&](std::string_view prefix) {
        return url.size() >= prefix.size() && detail::iequals(url.substr(0, prefix.size()), prefix);
    };
    if (starts_with_ci("https://")) {
        ep.scheme = "https", ep.port = 443, url.remove_prefix(8);
    } else if (starts_with_ci("http://")) {
        ep.scheme = "http", ep.port = 80, url.remove_prefix(7);
    } else {
        return error::invalid_endpoint;
    }
    if (!url.empty() && url.back() == '/') url.remove_suffix(1);

    std::string_view host = url, port;
    if (!url.empty() && url.front() == '[') {
        auto close = url.find(']');
        if (close == std::string_view::npos || close < 3) return error::invalid_endpoint;
        for (char c : url.substr(1, close - 1)) {
            bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':'
                   || c == '.';
            if (!ok) return error::invalid_endpoint;
        }
        host = url.substr(0, close + 1);
        auto rest = url.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != ':') return error::invalid_endpoint;
            port = rest.substr(1);
            if (port.empty()) return error::invalid_endpoint;
        }
    } else {
        auto colon = url.find(':');
        if (colon != std::string_view::npos) {
            host = url.substr(0, colon);
            port = url.substr(colon + 1);
            if (port.empty()) return error::invalid_endpoint;
        }
        if (host.empty() || host.front() == '.' || host.front() == '-' || host.size() > 253)
            return error::invalid_endpoint;
        for (char c : host) {
            bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                   || c == '.';
            if (!ok) return error::invalid_endpoint;  // '/', '?', '#', '@', '%', spaces...
        }
    }
    if (!port.empty()) {
        unsigned p = 0;
        auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
        if (ec != std::errc{} || ptr != port.data() + port.size() || p == 0 || p > 65535 || port.size() > 5)
            return error::invalid_endpoint;
        ep.port = static_cast<std::uint16_t>(p);
    }
    ep.host.assign(host);
    return ep;
}

} // namespace modelarts

#endif
