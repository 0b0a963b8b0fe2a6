/**
 * @file iam.hpp
 * IAM's token call, `POST /v3/auth/tokens`, for account/password sessions: a request builder and
 * a response parser, both pure.
 */
#ifndef MODELARTS_IAM_HPP
#define MODELARTS_IAM_HPP

#include "modelarts/credentials.hpp"
#include "modelarts/detail/json.hpp"
#include "modelarts/detail/time.hpp"
#include "modelarts/error.hpp"
#include "modelarts/http.hpp"
#include "modelarts/response.hpp"
#include "modelarts/validation.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <charconv>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace modelarts {

/** A token from IAM, or IAM's refusal. */
struct iam_token : service_status {
    std::string token;                                ///< the `X-Subject-Token`; never printed
    std::chrono::system_clock::time_point expires_at;  ///< from the body's `token.expires_at`
};

/**
 * Builds IAM's token request for a user, scoped to a project. The body holds the password, so
 * the request is marked `secret_body` and never prints it.
 * @param creds user, password, account and IAM endpoint
 * @param project_id the project the token is for
 * @return the request, or the error of the first invalid input
 */
[[nodiscard]] inline result<http_request> make_iam_token_request(const password_credentials& creds, std::string_view project_id)
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

/**
 * Parses IAM's answer: on 2xx the token from `X-Subject-Token` and its expiry from
 * `token.expires_at`; otherwise IAM's failure (`{"error":{"code","message"}}` or the gateway's
 * `{"error_code","error_msg"}`), as any service failure.
 * @param res the response, as the transport received it
 * @return the token or IAM's refusal, or a library error for an answer that is neither
 */
[[nodiscard]] inline result<iam_token> parse_iam_token_response(const http_response& res)
{
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
