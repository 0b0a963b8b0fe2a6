/**
 * @file impl/request.ipp
 * The definitions of request.hpp: inline in every unit by default, or compiled
 * once with MODELARTS_SEPARATE_COMPILATION (see detail/config.hpp).
 */
#ifndef MODELARTS_IMPL_REQUEST_IPP
#define MODELARTS_IMPL_REQUEST_IPP

#include <charconv>

namespace modelarts {

MODELARTS_DECL result<service_location> make_service_location(const service_config& config)
{
    auto ep = parse_endpoint(config.endpoint);
    if (!ep) return ep.error();
    if (auto r = validate_project_id(config.project_id); !r) return r.error();
    return service_location(std::move(*ep), config.project_id);
}

namespace detail {

MODELARTS_DECL http_request start_request(const service_location& at, http_method method)
{
    http_request req;
    req.method = method;
    req.set_destination(at.shared_destination());
    req.headers.reserve(8);  // room for the builder's and the signer's fields: no regrowth
    req.headers.add("Host", at.host_header());
    req.headers.add("Content-Type", "application/json");
    return req;
}

MODELARTS_DECL std::size_t find_json_escape(std::string_view text, std::size_t i) noexcept
{
    constexpr std::uint64_t ones = 0x0101010101010101, highs = 0x8080808080808080;
    for (; text.size() - i >= 8; i += 8) {
        std::uint64_t w;
        std::memcpy(&w, text.data() + i, 8);
        const std::uint64_t quote = w ^ (ones * '"'), backslash = w ^ (ones * '\\');
        // A byte's high bit ends up set where it is below 0x20, or zero after the XOR.
        if ((((w - ones * 0x20) & ~w) | ((quote - ones) & ~quote) | ((backslash - ones) & ~backslash)) & highs) break;
    }
    for (; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x20 || c == '"' || c == '\\') return i;
    }
    return text.size();
}

MODELARTS_DECL void append_json_string(std::string& out, std::string_view text)
{
    static constexpr char hex[] = "0123456789abcdef";
    out.push_back('"');
    std::size_t plain = 0;  // the start of a run that needs no escape, copied at once
    for (std::size_t i = find_json_escape(text, 0); i < text.size(); i = find_json_escape(text, i + 1)) {
        const auto c = static_cast<unsigned char>(text[i]);
        out.append(text.substr(plain, i - plain));
        plain = i + 1;
        switch (c) {
        case '"': out.append("\\\""); break;
        case '\\': out.append("\\\\"); break;
        case '\b': out.append("\\b"); break;
        case '\f': out.append("\\f"); break;
        case '\n': out.append("\\n"); break;
        case '\r': out.append("\\r"); break;
        case '\t': out.append("\\t"); break;
        default: out.append("\\u00").append(1, hex[c >> 4]).append(1, hex[c & 0xF]);
        }
    }
    out.append(text.substr(plain));
    out.push_back('"');
}

MODELARTS_DECL result<api_version> check_update_input(std::string_view job_id, std::string_view description, api_version api) noexcept
{
    auto version = resolve_api_version(job_id, api);
    if (!version) return version.error();
    if (auto r = validate_description(description); !r) return r.error();
    return *version;
}

MODELARTS_DECL http_request build_update_request(const service_location& at, std::string_view job_id,
                                                 std::string_view description, api_version resolved)
{
    const bool v1 = resolved == api_version::v1;
    auto req = start_request(at, http_method::put);
    req.headers.add("X-Project-Id", at.project_id());

    // Escapes aside, the exact size: the target, then the body.
    std::string& text = request_writer::start(req, 32 + at.project_id().size() + job_id.size() + description.size() + 24);
    text.append(v1 ? "/v1/" : "/v2/").append(at.project_id()).append("/training-jobs/").append(job_id);
    request_writer::end_target(req);
    text.append(v1 ? R"({"job_desc":)" : R"({"description":)");
    append_json_string(text, description);
    text.push_back('}');
    char length[24];
    const auto end = std::to_chars(length, length + sizeof length, req.body().size()).ptr;
    req.headers.add("Content-Length", std::string_view(length, static_cast<std::size_t>(end - length)));
    return req;
}

} // namespace detail

MODELARTS_DECL result<http_request> make_update_job_description_request(const service_location& at,
                                                                        std::string_view job_id,
                                                                        std::string_view description,
                                                                        api_version api)
{
    auto version = detail::check_update_input(job_id, description, api);
    if (!version) return version.error();
    return detail::build_update_request(at, job_id, description, *version);
}

MODELARTS_DECL result<http_request> make_update_job_description_request(const service_config& config,
                                                                        std::string_view job_id,
                                                                        std::string_view description,
                                                                        api_version api)
{
    auto version = detail::check_update_input(job_id, description, api);
    if (!version) return version.error();
    auto at = make_service_location(config);
    if (!at) return at.error();
    return detail::build_update_request(*at, job_id, description, *version);
}

namespace detail {

MODELARTS_DECL result<void> check_list_input(std::string_view job_id, const version_list_paging& paging) noexcept
{
    if (!is_v1_job_id(job_id)) return is_v2_job_id(job_id) ? error::versions_need_v1_job : error::invalid_job_id;
    if (paging.per_page && (*paging.per_page < 1 || *paging.per_page > 1000)) return error::invalid_paging;
    return {};
}

} // namespace detail

MODELARTS_DECL result<http_request> make_list_job_versions_request(const service_location& at,
                                                                   std::string_view job_id,
                                                                   const version_list_paging& paging)
{
    if (auto r = detail::check_list_input(job_id, paging); !r) return r.error();
    auto req = detail::start_request(at, http_method::get);
    std::string& target = detail::request_writer::start(req, 64 + at.project_id().size() + job_id.size());
    target.append("/v1/").append(at.project_id()).append("/training-jobs/").append(job_id).append("/versions");
    if (paging.per_page) target.append("?per_page=").append(std::to_string(*paging.per_page));
    if (paging.page && *paging.page != 0)  // page 0 is the service's "no paging": not sent
        target.append(paging.per_page ? "&page=" : "?page=").append(std::to_string(*paging.page));
    detail::request_writer::end_target(req);
    req.headers.set("X-Project-Id", at.project_id());
    return req;
}

MODELARTS_DECL result<http_request> make_list_job_versions_request(const service_config& config,
                                                                   std::string_view job_id,
                                                                   const version_list_paging& paging)
{
    if (auto r = detail::check_list_input(job_id, paging); !r) return r.error();
    auto at = make_service_location(config);
    if (!at) return at.error();
    return make_list_job_versions_request(*at, job_id, paging);
}

} // namespace modelarts

#endif
