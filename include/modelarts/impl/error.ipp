/**
 * @file impl/error.ipp
 * The definitions of error.hpp: inline in every unit by default, or compiled
 * once with MODELARTS_SEPARATE_COMPILATION (see detail/config.hpp).
 */
#ifndef MODELARTS_IMPL_ERROR_IPP
#define MODELARTS_IMPL_ERROR_IPP

namespace modelarts {

namespace detail {

MODELARTS_DECL bool is_foreign_eof_or_timeout(const boost::system::error_code& ec) noexcept
{
    const std::string_view category = ec.category().name();
    const int v = ec.value();
    return (category == "asio.misc" && v == 2)           // asio::error::eof
        || (category == "asio.ssl.stream" && v == 1)     // asio::ssl::error::stream_truncated
        || (category == "boost.beast" && v == 1);        // beast::error::timeout
}

MODELARTS_DECL bool is_foreign_transport_error(const boost::system::error_code& ec) noexcept
{
    namespace errc = boost::system::errc;
    const auto cond = ec.default_error_condition();
    if (cond == errc::connection_refused || cond == errc::connection_reset || cond == errc::connection_aborted
        || cond == errc::timed_out || cond == errc::broken_pipe || cond == errc::operation_canceled
        || cond == errc::host_unreachable || cond == errc::network_unreachable)
        return true;
    const std::string_view category = ec.category().name();
    return is_foreign_eof_or_timeout(ec) || category == "asio.netdb" || category == "asio.addrinfo";
}

} // namespace detail

MODELARTS_DECL boost::system::error_condition detail::error_category_impl::default_error_condition(int ev) const noexcept
{
    if (ev < 100) return make_error_condition(condition::invalid_input);
    if (ev < 200) return make_error_condition(condition::bad_response);
    return make_error_condition(condition::transport);
}

} // namespace modelarts

#endif
