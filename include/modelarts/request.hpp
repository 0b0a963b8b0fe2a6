/**
 * @file request.hpp
 * Request builders: pure functions from validated inputs to an `http_request`. They do no I/O
 * and add no credentials (see credentials.hpp), so their output is exactly reproducible.
 */
#ifndef MODELARTS_REQUEST_HPP
#define MODELARTS_REQUEST_HPP

#include "modelarts/error.hpp"
#include "modelarts/http.hpp"
#include "modelarts/validation.hpp"

#include <charconv>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace modelarts {

/** Where the ModelArts service is and which project the calls act in. */
struct service_config {
    std::string endpoint;    ///< e.g. "https://modelarts.cn-north-4.myhuaweicloud.com"
    std::string project_id;  ///< the project id, 1 to 64 of [A-Za-z0-9-]
};

/**
 * A `service_config` that has been checked: the parsed endpoint and a valid project id. Only
 * `make_service_location` makes one, so a request built for it needs no further checks.
 */
class service_location {
public:
    /** @return where requests go */
    const endpoint& destination() const noexcept { return destination_ ? *destination_ : detail::no_endpoint(); }
    /** @return where requests go, shared: requests built for this location hold it without a copy */
    const std::shared_ptr<const endpoint>& shared_destination() const noexcept { return destination_; }
    /** @return the project id, 1 to 64 of [A-Za-z0-9-] */
    const std::string& project_id() const noexcept { return project_id_; }
    /** @return the `Host` header for the destination, made once */
    const std::string& host_header() const noexcept { return host_header_; }

private:
    friend result<service_location> make_service_location(const service_config& config);
    service_location(endpoint destination, std::string project_id)
        : destination_(std::make_shared<const endpoint>(std::move(destination))), project_id_(std::move(project_id)),
          host_header_(destination_->host_header())
    {
    }
    std::shared_ptr<const endpoint> destination_;  // immutable, so copies share it; null only once moved from
    std::string project_id_;
    std::string host_header_;
};

/**
 * Checks a configuration once.
 * @param config endpoint and project id
 * @return the checked location, or `error::invalid_endpoint` / `error::invalid_project_id`
 */
[[nodiscard]] inline result<service_location> make_service_location(const service_config& config)
{
    auto ep = parse_endpoint(config.endpoint);
    if (!ep) return ep.error();
    if (auto r = validate_project_id(config.project_id); !r) return r.error();
    return service_location(std::move(*ep), config.project_id);
}

/** Paging of the v1 version list; unset fields are not sent. */
struct version_list_paging {
    std::optional<unsigned> per_page = std::nullopt;  ///< versions per page, 1 to 1000 (service default 10)
    std::optional<unsigned> page = std::nullopt;      ///< page number from 1; 0 means no paging
};

namespace detail {

inline http_request start_request(const service_location& at, http_method method)
{
    http_request req;
    req.method = method;
    req.set_destination(at.shared_destination());
    req.headers.reserve(8);  // room for the builder's and the signer's fields: no regrowth
    req.headers.add("Host", at.host_header());
    req.headers.add("Content-Type", "application/json");
    return req;
}

// The index of the first byte of `text` from `i` on that a JSON string must escape (a control
// character, '"' or '\\'), or text.size(). Eight bytes at a time while none is one of them.
inline std::size_t find_json_escape(std::string_view text, std::size_t i) noexcept
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

// Appends `text` as a JSON string, quotes included, escaped exactly as boost::json::serialize does.
inline void append_json_string(std::string& out, std::string_view text)
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

// An update's own inputs: the API version the job id resolves to, once the description is valid too.
inline result<api_version> check_update_input(std::string_view job_id, std::string_view description, api_version api) noexcept
{
    auto version = resolve_api_version(job_id, api);
    if (!version) return version.error();
    if (auto r = validate_description(description); !r) return r.error();
    return *version;
}

// The update request for an API version already resolved (v1 or v2) and a checked description.
inline http_request build_update_request(const service_location& at, std::string_view job_id,
                                         std::string_view description, api_version resolved)
{
    const bool v1 = resolved == api_version::v1;
    auto req = start_request(at, http_method::put);
    req.headers.add("X-Project-Id", at.project_id());

    // Escapes aside, the exact size: the target, then the body.
    std::string& text = request_text::start(req, 32 + at.project_id().size() + job_id.size() + description.size() + 24);
    text.append(v1 ? "/v1/" : "/v2/").append(at.project_id()).append("/training-jobs/").append(job_id);
    request_text::end_target(req);
    text.append(v1 ? R"({"job_desc":)" : R"({"description":)");
    append_json_string(text, description);
    text.push_back('}');
    char length[24];
    const auto end = std::to_chars(length, length + sizeof length, req.body().size()).ptr;
    req.headers.add("Content-Length", std::string_view(length, static_cast<std::size_t>(end - length)));
    return req;
}

} // namespace detail

/**
 * Builds the request that changes a training job's description.
 *
 * v1 (decimal id): `PUT /v1/{project_id}/training-jobs/{job_id}` with `{"job_desc":"..."}`;
 * v2 (UUID id): `PUT /v2/{project_id}/training-jobs/{training_job_id}` with `{"description":"..."}`.
 * Headers, in order: Host, Content-Type, X-Project-Id, Content-Length.
 *
 * @param at the checked endpoint and project id
 * @param job_id the job's id, a positive int64 decimal (v1) or a UUID (v2)
 * @param description the new description: valid UTF-8, at most 256 code points
 * @param api `automatic` to follow the id's form, or an explicit version
 * @return the request, or the error of the first invalid input
 */
[[nodiscard]] inline result<http_request> make_update_job_description_request(const service_location& at,
                                                                              std::string_view job_id,
                                                                              std::string_view description,
                                                                              api_version api = api_version::automatic)
{
    auto version = detail::check_update_input(job_id, description, api);
    if (!version) return version.error();
    return detail::build_update_request(at, job_id, description, *version);
}

/**
 * As above, checking `config` first.
 * @param config endpoint and project id
 * @param job_id the job's id, a positive int64 decimal (v1) or a UUID (v2)
 * @param description the new description: valid UTF-8, at most 256 code points
 * @param api `automatic` to follow the id's form, or an explicit version
 * @return the request, or the error of the first invalid input
 */
[[nodiscard]] inline result<http_request> make_update_job_description_request(const service_config& config,
                                                                              std::string_view job_id,
                                                                              std::string_view description,
                                                                              api_version api = api_version::automatic)
{
    auto version = detail::check_update_input(job_id, description, api);
    if (!version) return version.error();
    auto at = make_service_location(config);
    if (!at) return at.error();
    return detail::build_update_request(*at, job_id, description, *version);
}

/**
 * Builds the request that lists a v1 job's versions:
 * `GET /v1/{project_id}/training-jobs/{job_id}/versions[?per_page=N][&page=P]`.
 *
 * @param at the checked endpoint and project id
 * @param job_id the v1 job's id (positive int64 decimal)
 * @param paging optional paging; none means the service's default
 * @return the request, or the error of the first invalid input
 */
[[nodiscard]] inline result<http_request> make_list_job_versions_request(const service_location& at,
                                                                         std::string_view job_id,
                                                                         const version_list_paging& paging = {})
{
    if (!is_v1_job_id(job_id)) return is_v2_job_id(job_id) ? error::versions_need_v1_job : error::invalid_job_id;
    if (paging.per_page && (*paging.per_page < 1 || *paging.per_page > 1000)) return error::invalid_paging;
    auto req = detail::start_request(at, http_method::get);
    std::string& target = detail::request_text::start(req, 64 + at.project_id().size() + job_id.size());
    target.append("/v1/").append(at.project_id()).append("/training-jobs/").append(job_id).append("/versions");
    if (paging.per_page) target.append("?per_page=").append(std::to_string(*paging.per_page));
    if (paging.page) target.append(paging.per_page ? "&page=" : "?page=").append(std::to_string(*paging.page));
    detail::request_text::end_target(req);
    req.headers.set("X-Project-Id", at.project_id());
    return req;
}

/**
 * As above, checking `config` first.
 * @param config endpoint and project id
 * @param job_id the v1 job's id (positive int64 decimal)
 * @param paging optional paging; none means the service's default
 * @return the request, or the error of the first invalid input
 */
[[nodiscard]] inline result<http_request> make_list_job_versions_request(const service_config& config,
                                                                         std::string_view job_id,
                                                                         const version_list_paging& paging = {})
{
    if (!is_v1_job_id(job_id)) return is_v2_job_id(job_id) ? error::versions_need_v1_job : error::invalid_job_id;
    if (paging.per_page && (*paging.per_page < 1 || *paging.per_page > 1000)) return error::invalid_paging;
    auto at = make_service_location(config);
    if (!at) return at.error();
    return make_list_job_versions_request(*at, job_id, paging);
}

} // namespace modelarts

#endif
