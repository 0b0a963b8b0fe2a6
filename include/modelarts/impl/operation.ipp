/**
 * @file impl/operation.ipp
 * The definitions of operation.hpp: inline in every unit by default, or compiled
 * once with MODELARTS_SEPARATE_COMPILATION (see detail/config.hpp).
 */
#ifndef MODELARTS_IMPL_OPERATION_IPP
#define MODELARTS_IMPL_OPERATION_IPP

namespace modelarts {

namespace detail {

MODELARTS_DECL result<http_response> to_outcome(const boost::system::error_code& ec, http_response&& res)
{
    if (ec) return ec;
    return std::move(res);
}

} // namespace detail
} // namespace modelarts

#endif
