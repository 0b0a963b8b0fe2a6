/**
 * @file iam.hpp
 * IAM's token call, `POST /v3/auth/tokens`, for account/password sessions: a request builder and
 * a response parser, both pure.
 */
#ifndef MODELARTS_IAM_HPP
#define MODELARTS_IAM_HPP

#include "modelarts/credentials.hpp"
#include "modelarts/detail/config.hpp"
#include "modelarts/detail/time.hpp"
#include "modelarts/error.hpp"
#include "modelarts/http.hpp"
#include "modelarts/response.hpp"
#include "modelarts/validation.hpp"

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
[[nodiscard]] MODELARTS_DECL result<http_request> make_iam_token_request(const password_credentials& creds, std::string_view project_id);

/**
 * Parses IAM's answer: on 2xx the token from `X-Subject-Token` and its expiry from
 * `token.expires_at`; otherwise IAM's failure (`{"error":{"code","message"}}` or the gateway's
 * `{"error_code","error_msg"}`), as any service failure.
 * @param res the response, as the transport received it
 * @return the token or IAM's refusal, or a library error for an answer that is neither
 */
[[nodiscard]] MODELARTS_DECL result<iam_token> parse_iam_token_response(const http_response& res);

} // namespace modelarts

#if !defined(MODELARTS_SEPARATE_COMPILATION) || defined(MODELARTS_CORE_SOURCE)
#include "modelarts/impl/iam.ipp"
#endif

#endif
