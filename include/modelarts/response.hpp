/**
 * @file response.hpp
 * Response parsers: pure functions from an `http_response` to a typed result. Whatever the
 * bytes, they return a value or an error; they never throw (but for `std::bad_alloc`).
 */
#ifndef MODELARTS_RESPONSE_HPP
#define MODELARTS_RESPONSE_HPP

#include "modelarts/detail/config.hpp"
#include "modelarts/error.hpp"
#include "modelarts/http.hpp"
#include "modelarts/validation.hpp"

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace modelarts {

/**
 * What every ModelArts answer says, mirroring the Python SDK's return value (`is_success`,
 * `error_code`, `error_msg`). The call's own facts (status, request id, attempts) are in
 * `diagnostics`.
 */
struct service_status {
    // Written out, not `= default`: a parsed answer is built in its result, and value-initializing
    // an implicit constructor would clear the whole struct first (a slow `rep stos` under GCC).
    /** An empty status: no success, no error. */
    service_status() noexcept {}

    bool is_success = false;     ///< the service did what was asked
    std::string error_code;      ///< on failure: e.g. "ModelArts.2775" or "APIGW.0301"
    std::string error_msg;       ///< on failure: the message (`error_msg` or `error_message` on the wire)
    std::string error_solution;  ///< v2 failures: what to do about it
};

/**
 * The verdict as one line of JSON, the shape of the Python SDK's return value:
 * `{"is_success":true}` or `{"is_success":false,"error_code":"...","error_msg":"..."}`, plus
 * `error_solution` when the service sent one, and `request_id` when one is given.
 * @param s a verdict
 * @param request_id the answer's request id (`diagnostics::request_id`); empty: not written
 * @return compact JSON, escaped as JSON requires
 */
MODELARTS_DECL std::string to_json(const service_status& s, std::string_view request_id = {});

/**
 * Prints `to_json(s)`.
 * @param os stream
 * @param s a verdict (or any result derived from it)
 * @return os
 */
inline std::ostream& operator<<(std::ostream& os, const service_status& s) { return os << to_json(s); }

/**
 * The id support asks for: the answer's `X-Request-Id`, else the `request_id` of its JSON body
 * (the gateway's failures carry one there).
 * @param res an answer
 * @return the id, or empty when the answer carries none
 */
[[nodiscard]] MODELARTS_DECL request_id_string request_id_of(const http_response& res);

/** The result of `update_job_description`. */
struct update_result : service_status {
    /** An empty result (see `service_status()`). */
    update_result() noexcept {}
};

/** One parameter of a version's run: `{label, value}`, the value kept as text. */
struct version_parameter {
    std::string label;  ///< parameter name
    std::string value;  ///< parameter value (numbers kept as their JSON text)
};

/** One version of a v1 training job, as the version list describes it. */
struct job_version_info {
    std::int64_t job_id = 0;          ///< the job's id
    std::int64_t version_id = 0;      ///< the version's id
    std::string version_name;         ///< e.g. "V0001"
    std::int64_t pre_version_id = 0;  ///< the version this one was made from (0: none)
    std::int64_t engine_type = 0;     ///< engine type
    std::string engine_name;          ///< engine name, e.g. "TensorFlow"
    std::int64_t engine_id = 0;       ///< engine id
    std::string engine_version;       ///< engine version
    std::int64_t status = 0;          ///< job status code
    std::int64_t create_time = 0;     ///< creation time, ms since the epoch
    std::int64_t duration = 0;        ///< run time, ms
    std::vector<version_parameter> parameter;  ///< run parameters
    std::string spec_id;              ///< resource spec id (text: documented as number and string)
    std::string core;                 ///< cores (text: documented as number and string)
    std::string cpu;                  ///< CPUs (text: documented as number and string)
    std::string gpu_num;              ///< GPUs (text)
    std::string gpu_type;             ///< GPU type
    std::string data_url;             ///< OBS path of the data
    std::string train_url;            ///< OBS path of the output
    std::string log_url;              ///< OBS path of the logs
    std::string dataset_id;           ///< dataset id
    std::string dataset_version_id;   ///< dataset version id
    std::string pool_id;              ///< resource pool id
    std::string model_metric_list;    ///< model metrics (a JSON string on the wire)
    std::string system_metric_list;   ///< system metrics (kept as text)
};

/** The answer of the v1 version list. */
struct version_list : service_status {
    std::int64_t job_id = 0;                ///< the job's id
    std::string job_name;                   ///< the job's name
    std::string job_desc;                   ///< the job's description
    std::int64_t version_count = 0;         ///< how many versions the job has
    std::vector<job_version_info> versions;  ///< the versions on this page
};

/** The answer of the v1 create-job call, from which way 2's job object is built. */
struct create_job_result : service_status {
    std::int64_t job_id = 0;      ///< the new job's id
    std::string job_name;         ///< its name
    std::int64_t status = 0;      ///< its status code
    std::int64_t create_time = 0; ///< creation time, ms since the epoch
    std::int64_t version_id = 0;  ///< its first version's id
    std::string version_name;     ///< its first version's name
    std::string resource_id;      ///< charging resource id
};

/** Deepest JSON nesting accepted in an update answer (it is flat; room for a few unknown fields). */
inline constexpr unsigned max_update_response_depth = 4;
/** Deepest JSON nesting accepted in a version-list or create answer. */
inline constexpr unsigned max_list_response_depth = 16;

/**
 * Parses the answer to `make_update_job_description_request`.
 * @param res the response, as the transport received it
 * @param api the API the request went to (`v1` or `v2`; `automatic` is read as v1: pass the request
 *            instead, below, to parse it as the API it went to)
 * @return the service's verdict (success or its failure), or a library error for an answer that
 *         is not JSON, not of a documented shape, nested too deep, or whose status and body disagree
 */
[[nodiscard]] MODELARTS_DECL result<update_result> parse_update_job_description_response(const http_response& res, api_version api);

/**
 * Parses the answer to `req`, an update request built by `make_update_job_description_request`:
 * the API it went to is the one its target names (`/v2/...` or `/v1/...`), so a request built
 * with `api_version::automatic` is read as what it became.
 * @param res the response, as the transport received it
 * @param req the request it answers
 * @return as above
 */
[[nodiscard]] MODELARTS_DECL result<update_result> parse_update_job_description_response(const http_response& res,
                                                                                         const http_request& req);

/**
 * Parses the answer to `make_list_job_versions_request`.
 * @param res the response, as the transport received it
 * @return the version list, a service failure, or a library error as for updates
 */
[[nodiscard]] MODELARTS_DECL result<version_list> parse_list_job_versions_response(const http_response& res);

/**
 * Parses the answer to v1's create-job call (`POST /v1/{project_id}/training-jobs`).
 * @param res the response, as the transport received it
 * @return the new job's ids, a service failure, or a library error as for updates
 */
[[nodiscard]] MODELARTS_DECL result<create_job_result> parse_create_job_response(const http_response& res);

} // namespace modelarts

#if !defined(MODELARTS_SEPARATE_COMPILATION) || defined(MODELARTS_CORE_SOURCE)
#include "modelarts/impl/response.ipp"
#endif

#endif
