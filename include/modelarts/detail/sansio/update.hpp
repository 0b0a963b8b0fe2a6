/**
 * @file detail/sansio/update.hpp
 * The operation that updates a job's description, compiled once with the core.
 */
#ifndef MODELARTS_DETAIL_SANSIO_UPDATE_HPP
#define MODELARTS_DETAIL_SANSIO_UPDATE_HPP

#include "modelarts/detail/config.hpp"
#include "modelarts/detail/sansio/call.hpp"
#include "modelarts/detail/sansio/operation.hpp"
#include "modelarts/request.hpp"
#include "modelarts/response.hpp"
#include "modelarts/validation.hpp"

#include <string_view>

namespace modelarts::detail::sansio {

/** Parses an update answer for the API version the request went to. */
struct update_parser {
    api_version api;  ///< v1 or v2
    /** @param res the answer @return the service's verdict, or the error of an answer not understood */
    [[nodiscard]] result<update_result> operator()(const http_response& res) const
    {
        return parse_update_job_description_response(res, api);
    }
};

/**
 * @param where the service
 * @param settings how the session authenticates and retries
 * @param job_id the job (decimal for v1, UUID for v2)
 * @param api `automatic` to follow the id's form, or an explicit version
 * @param description the new description
 * @return the operation; for refused input, one that is over before it starts
 */
[[nodiscard]] MODELARTS_DECL operation<update_parser> make_update_operation(const service_location& where,
                                                                            const call_settings& settings,
                                                                            std::string_view job_id, api_version api,
                                                                            std::string_view description);

#if defined(MODELARTS_SEPARATE_COMPILATION) && !defined(MODELARTS_CORE_SOURCE)
// Compiled once, with the core: the update every unit makes.
extern template class operation<update_parser>;
#endif

} // namespace modelarts::detail::sansio

#if !defined(MODELARTS_SEPARATE_COMPILATION) || defined(MODELARTS_CORE_SOURCE)
#include "modelarts/detail/sansio/impl/update.ipp"
#endif

#endif
