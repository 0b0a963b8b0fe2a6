/**
 * @file impl/http.ipp
 * The definitions of http.hpp: inline in every unit by default, or compiled
 * once with MODELARTS_SEPARATE_COMPILATION (see detail/config.hpp).
 */
#ifndef MODELARTS_IMPL_HTTP_IPP
#define MODELARTS_IMPL_HTTP_IPP

namespace modelarts {

MODELARTS_DECL bool is_secret_header(std::string_view name) noexcept
{
    return detail::iequals(name, "Authorization") || detail::iequals(name, "X-Auth-Token")
        || detail::iequals(name, "X-Security-Token") || detail::iequals(name, "X-Subject-Token");
}

MODELARTS_DECL std::ostream& operator<<(std::ostream& os, const http_headers& h)
{
    for (const auto f : h) os << f.name << ": " << (is_secret_header(f.name) ? std::string_view("***") : f.value) << "\r\n";
    return os;
}

MODELARTS_DECL std::ostream& operator<<(std::ostream& os, const http_request& req)
{
    os << to_string(req.method) << ' ' << req.target() << " HTTP/1.1\r\n" << req.headers << "\r\n";
    if (req.secret_body) return os << "*** (" << req.body().size() << " bytes)";
    return os << req.body();
}

MODELARTS_DECL std::ostream& operator<<(std::ostream& os, const http_response& res)
{
    return os << "HTTP/1.1 " << res.status << "\r\n" << res.headers << "\r\n" << res.body;
}

} // namespace modelarts

#endif
