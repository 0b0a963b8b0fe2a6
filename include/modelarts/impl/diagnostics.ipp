/**
 * @file impl/diagnostics.ipp
 * The definitions of diagnostics.hpp: inline in every unit by default, or compiled
 * once with MODELARTS_SEPARATE_COMPILATION (see detail/config.hpp).
 */
#ifndef MODELARTS_IMPL_DIAGNOSTICS_IPP
#define MODELARTS_IMPL_DIAGNOSTICS_IPP

namespace modelarts {

MODELARTS_DECL std::string to_string(const attempt_failure& f)
{
    if (f.error) return f.error.message();
    if (f.http_status) return "HTTP " + std::to_string(f.http_status);
    return "none";
}

} // namespace modelarts

#endif
