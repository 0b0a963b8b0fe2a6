/**
 * @file request.hpp
 * Request builders: pure functions from validated inputs to an `http_request`. They do no I/O
 * and add no credentials (see credentials.hpp), so their output is exactly reproducible.
 */
#ifndef MODELARTS_REQUEST_HPP
#define MODELARTS_REQUEST_HPP

#include "modelarts/detail/config.hpp"
#include "modelarts/error.hpp"
#include "modelarts/http.hpp"
#include "modelarts/validation.hpp"

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
[[nodiscard]] MODELARTS_DECL result<service_location> make_service_location(const service_config& config);

/** Paging of the v1 version list; unset fields are not sent. */
struct version_list_paging {
    std::optional<unsigned> per_page = std::nullopt;  ///< versions per page, 1 to 1000 (service default 10)
    std::optional<unsigned> page = std::nullopt;      ///< page number from 1; 0 (or unset) means no paging, and is not sent
};

namespace detail {

MODELARTS_DECL http_request start_request(const service_location& at, http_method method);

// The list's input checked: a v1 job id, and per_page within 1..1000.
[[nodiscard]] MODELARTS_DECL result<void> check_list_input(std::string_view job_id, const version_list_paging& paging) noexcept;

// The index of the first byte of `text` from `i` on that a JSON string must escape (a control
// character, '"' or '\\'), or text.size(). Eight bytes at a time while none is one of them.
MODELARTS_DECL std::size_t find_json_escape(std::string_view text, std::size_t i) noexcept;

// Appends `text` as a JSON string, quotes included, escaped exactly as boost::json::serialize does.
MODELARTS_DECL void append_json_string(std::string& out, std::string_view text);

// An update's own inputs: the API version the job id resolves to, once the description is valid too.
[[nodiscard]] MODELARTS_DECL result<api_version> check_update_input(std::string_view job_id, std::string_view description, api_version api) noexcept;

// The update request for an API version already resolved (v1 or v2) and a checked description.
MODELARTS_DECL http_request build_update_request(const service_location& at, std::string_view job_id,
                                                 std::string_view description, api_version resolved);

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
[[nodiscard]] MODELARTS_DECL result<http_request> make_update_job_description_request(const service_location& at,
                                                                                      std::string_view job_id,
                                                                                      std::string_view description,
                                                                                      api_version api = api_version::automatic);

/**
 * As above, checking `config` first.
 * @param config endpoint and project id
 * @param job_id the job's id, a positive int64 decimal (v1) or a UUID (v2)
 * @param description the new description: valid UTF-8, at most 256 code points
 * @param api `automatic` to follow the id's form, or an explicit version
 * @return the request, or the error of the first invalid input
 */
[[nodiscard]] MODELARTS_DECL result<http_request> make_update_job_description_request(const service_config& config,
                                                                                      std::string_view job_id,
                                                                                      std::string_view description,
                                                                                      api_version api = api_version::automatic);

/**
 * Builds the request that lists a v1 job's versions:
 * `GET /v1/{project_id}/training-jobs/{job_id}/versions[?per_page=N][&page=P]`.
 *
 * @param at the checked endpoint and project id
 * @param job_id the v1 job's id (positive int64 decimal)
 * @param paging optional paging; none means the service's default
 * @return the request, or the error of the first invalid input
 */
[[nodiscard]] MODELARTS_DECL result<http_request> make_list_job_versions_request(const service_location& at,
                                                                                 std::string_view job_id,
                                                                                 const version_list_paging& paging = {});

/**
 * As above, checking `config` first.
 * @param config endpoint and project id
 * @param job_id the v1 job's id (positive int64 decimal)
 * @param paging optional paging; none means the service's default
 * @return the request, or the error of the first invalid input
 */
[[nodiscard]] MODELARTS_DECL result<http_request> make_list_job_versions_request(const service_config& config,
                                                                                 std::string_view job_id,
                                                                                 const version_list_paging& paging = {});

} // namespace modelarts

#if !defined(MODELARTS_SEPARATE_COMPILATION) || defined(MODELARTS_CORE_SOURCE)
#include "modelarts/impl/request.ipp"
#endif

#endif
