/**
 * @file impl/metadata.ipp
 * The definitions of metadata.hpp: inline in every unit by default, or compiled once with
 * MODELARTS_SEPARATE_COMPILATION (see detail/config.hpp).
 */
#ifndef MODELARTS_IMPL_METADATA_IPP
#define MODELARTS_IMPL_METADATA_IPP

#include "modelarts/detail/json.hpp"
#include "modelarts/detail/time.hpp"
#include "modelarts/validation.hpp"

#include <boost/json/monotonic_resource.hpp>

namespace modelarts {

namespace detail {

// The sentence the metadata service answers with when the instance has no agency (§5).
inline constexpr std::string_view no_agency_sentence = "Please configure Cloud Service Agency first";

} // namespace detail

MODELARTS_DECL result<http_request> make_metadata_token_request(std::string_view endpoint)
{
    auto ep = parse_endpoint(endpoint);
    if (!ep) return ep.error();
    http_request req(http_method::put, std::move(*ep), "/meta-data/latest/api/token", {}, "");
    req.headers.set("Host", req.destination().host_header());
    req.headers.set("X-Metadata-Token-Ttl-Seconds", std::to_string(metadata_token_lifetime.count()));
    req.headers.set("Content-Length", "0");
    return req;
}

MODELARTS_DECL result<std::optional<std::string>> parse_metadata_token_response(const http_response& res)
{
    if (res.status == 404 || res.status == 405) return std::optional<std::string>();  // no session tokens here
    if (res.status != 200) return make_error_code(error::unexpected_shape);
    std::string_view body = res.body;
    while (!body.empty() && (body.back() == '\n' || body.back() == '\r' || body.back() == ' ')) body.remove_suffix(1);
    std::string token(detail::trim(body));
    if (!validate_token(token)) return make_error_code(error::malformed_body);  // it goes in a header: nothing a header cannot carry
    return std::optional<std::string>(std::move(token));
}

MODELARTS_DECL result<http_request> make_metadata_securitykey_request(std::string_view endpoint, std::string_view session_token)
{
    auto ep = parse_endpoint(endpoint);
    if (!ep) return ep.error();
    if (!session_token.empty())
        if (auto r = validate_token(session_token); !r) return r.error();
    http_request req(http_method::get, std::move(*ep), "/openstack/latest/securitykey", {}, "");
    req.headers.set("Host", req.destination().host_header());
    if (!session_token.empty()) req.headers.set("X-Metadata-Token", session_token);
    return req;
}

MODELARTS_DECL result<temporary_credentials> parse_metadata_securitykey_response(const http_response& res)
{
    if (res.status == 401)
        return make_error_code(res.body.find(detail::no_agency_sentence) != std::string::npos ? error::no_agency
                                                                                               : error::metadata_token_expired);
    if (res.status != 200) return make_error_code(error::unexpected_shape);
    unsigned char stack[4096];
    boost::json::monotonic_resource arena(stack, sizeof stack);
    auto body = detail::parse_json(res.body, 4, &arena);
    if (!body) return body.error();
    auto* object = body->if_object();
    auto* credential = object ? object->if_contains("credential") : nullptr;
    auto* fields = credential ? credential->if_object() : nullptr;
    temporary_credentials out;
    std::string expires;
    if (!fields || !detail::read_string(*fields, "access", out.keys.access_key) || !detail::read_string(*fields, "secret", out.keys.secret_key)
        || !detail::read_string(*fields, "securitytoken", out.keys.security_token) || !detail::read_string(*fields, "expires_at", expires)
        || out.keys.security_token.empty())  // absent fields read as empty
        return make_error_code(error::unexpected_shape);
    const auto when = detail::parse_iso8601_utc(expires);
    if (!when || !validate_credentials(out.keys)) return make_error_code(error::unexpected_shape);
    out.expires_at = *when;
    return out;
}

} // namespace modelarts

#endif
