/**
 * @file impl/iam.ipp
 * The definitions of iam.hpp: inline in every unit by default, or compiled
 * once with MODELARTS_SEPARATE_COMPILATION (see detail/config.hpp).
 */
#ifndef MODELARTS_IMPL_IAM_IPP
#define MODELARTS_IMPL_IAM_IPP

#include "modelarts/detail/json.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace modelarts {

MODELARTS_DECL result<http_request> make_iam_token_request(const password_credentials& creds, std::string_view project_id)
{
    if (auto r = validate_credentials(creds); !r) return r.error();
    if (auto r = validate_project_id(project_id); !r) return r.error();
    auto ep = parse_endpoint(creds.iam_endpoint);
    if (!ep) return ep.error();

    const std::string_view domain = creds.account.empty() ? std::string_view(creds.username) : std::string_view(creds.account);
    boost::json::object user{{"name", creds.username}, {"password", creds.password}, {"domain", {{"name", domain}}}};
    boost::json::object body{
        {"auth",
         {{"identity", {{"methods", {"password"}}, {"password", {{"user", std::move(user)}}}}},
          {"scope", {{"project", {{"id", project_id}}}}}}}};

    const std::string text = boost::json::serialize(body);
    http_request req(http_method::post, std::move(*ep), "/v3/auth/tokens", {}, text);
    req.secret_body = true;
    req.headers.set("Host", req.destination().host_header());
    req.headers.set("Content-Type", "application/json;charset=utf8");
    req.headers.set("Content-Length", std::to_string(text.size()));
    return req;
}

namespace detail {

// IAM's own failure, `{"error":{"code","message"}}`, read here, where IAM is known: the shared
// answer reader knows ModelArts' and the gateway's shapes only. Nothing when the body is not of
// that shape (the gateway's failures and bad bodies are left to the shared reader).
MODELARTS_DECL std::optional<result<iam_token>> read_iam_refusal(const http_response& res)
{
    unsigned char stack[4096];
    boost::json::monotonic_resource arena(stack, sizeof stack);
    auto body = parse_body(res.body, max_list_response_depth, false, &arena);
    auto* object = body ? body->if_object() : nullptr;
    auto* error = object && !object->contains("error_code") ? object->if_contains("error") : nullptr;
    if (!error) return std::nullopt;
    iam_token refusal;
    auto* fields = error->if_object();
    if (!fields || !read_string(*fields, "code", refusal.error_code) || !read_text(*fields, "message", refusal.error_msg)
        || refusal.error_code.empty())
        return result<iam_token>(make_error_code(modelarts::error::unexpected_shape));
    return result<iam_token>(std::move(refusal));
}

} // namespace detail

MODELARTS_DECL result<iam_token> parse_iam_token_response(const http_response& res)
{
    if (!detail::is_2xx(res.status))
        if (auto refusal = detail::read_iam_refusal(res)) return std::move(*refusal);
    auto read = [&](const boost::json::object& o, iam_token& out) {
        out.token.assign(res.headers.get("X-Subject-Token"));
        if (!validate_token(out.token)) return false;
        auto* token = o.if_contains("token");
        auto* fields = token ? token->if_object() : nullptr;
        auto* expires = fields ? fields->if_contains("expires_at") : nullptr;
        auto* text = expires ? expires->if_string() : nullptr;
        auto when = text ? detail::parse_iso8601_utc(std::string_view(text->data(), text->size())) : std::nullopt;
        if (!when) return false;
        out.expires_at = *when;
        return true;
    };
    return detail::parse_answer<iam_token>(res, max_list_response_depth, true, detail::object_fields<iam_token>(read));
}

} // namespace modelarts

#endif
