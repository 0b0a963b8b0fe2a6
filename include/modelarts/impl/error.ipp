/**
 * @file impl/error.ipp
 * The definitions of error.hpp: inline in every unit by default, or compiled
 * once with MODELARTS_SEPARATE_COMPILATION (see detail/config.hpp).
 */
#ifndef MODELARTS_IMPL_ERROR_IPP
#define MODELARTS_IMPL_ERROR_IPP

#include <string_view>

namespace modelarts {

namespace detail {

MODELARTS_DECL transport_failure_kind classify_transport_error(const boost::system::error_code& ec) noexcept
{
    if (!ec) return transport_failure_kind::none;
    if (ec.category() == error_category()) {
        const auto e = static_cast<error>(ec.value());
        if (e == error::connection_refused || e == error::connection_reset || e == error::timeout)
            return transport_failure_kind::transient;
        return ec.value() >= static_cast<int>(error::transport_failure) ? transport_failure_kind::lasting
                                                                        : transport_failure_kind::none;
    }
    // The system's and the generic category's codes, by their portable conditions (category objects).
    namespace errc = boost::system::errc;
    const auto cond = ec.default_error_condition();
    if (cond == errc::connection_refused || cond == errc::connection_reset || cond == errc::connection_aborted
        || cond == errc::timed_out || cond == errc::broken_pipe)
        return transport_failure_kind::transient;
    if (cond == errc::operation_canceled || cond == errc::host_unreachable || cond == errc::network_unreachable)
        return transport_failure_kind::lasting;
    // Asio's and Beast's own categories: the core never includes Asio, so their objects are out of
    // reach here, and they are known by name and value (Asio's and Beast's documented codes).
    const std::string_view category = ec.category().name();
    const int v = ec.value();
    if ((category == "asio.misc" && v == 2)           // asio::error::eof: closed before an answer
        || (category == "asio.ssl.stream" && v == 1)  // asio::ssl::error::stream_truncated
        || (category == "boost.beast" && v == 1))     // beast::error::timeout
        return transport_failure_kind::transient;
    if (category == "asio.netdb" || category == "asio.addrinfo") return transport_failure_kind::lasting;  // unknown host
    return transport_failure_kind::none;
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
