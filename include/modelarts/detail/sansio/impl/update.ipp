/**
 * @file detail/sansio/impl/update.ipp
 * The definitions of detail/sansio/update.hpp: inline in every unit by default, or compiled
 * once with MODELARTS_SEPARATE_COMPILATION (see detail/config.hpp).
 */
#ifndef MODELARTS_DETAIL_SANSIO_IMPL_UPDATE_IPP
#define MODELARTS_DETAIL_SANSIO_IMPL_UPDATE_IPP

namespace modelarts::detail::sansio {

MODELARTS_DECL operation<update_parser> make_update_operation(const service_location& where, const call_settings& settings,
                                                              std::string_view job_id, api_version api,
                                                              std::string_view description)
{
    auto version = check_update_input(job_id, description, api);
    if (!version) return {version.error(), update_parser{api_version::v1}};
    return {build_update_request(where, job_id, description, *version), settings, update_parser{*version}};
}

#if defined(MODELARTS_CORE_SOURCE)
template class operation<update_parser>;  // declared `extern` in update.hpp for every other unit
#endif

} // namespace modelarts::detail::sansio

#endif
