/**
 * @file credentials.hpp
 * How a session proves who it is. Applying credentials is the last step before a request
 * leaves: it only adds headers to a finished request value.
 */
#ifndef MODELARTS_CREDENTIALS_HPP
#define MODELARTS_CREDENTIALS_HPP

#include "modelarts/error.hpp"
#include "modelarts/http.hpp"
#include "modelarts/validation.hpp"

#include <string>
#include <variant>

namespace modelarts {

/** No credentials: for endpoints that need none, such as a local emulator without a token. */
struct no_credentials {
    /** @return true: all instances are equal */
    friend bool operator==(const no_credentials&, const no_credentials&) = default;
};

/** An IAM token, sent as `X-Auth-Token`. Never printed. */
struct token_credentials {
    std::string token;  ///< the token, as IAM issued it
    /** @return true when both hold the same token */
    friend bool operator==(const token_credentials&, const token_credentials&) = default;
};

/** The ways a session can authenticate. */
using credentials = std::variant<no_credentials, token_credentials>;

/**
 * Validates credentials before anything is sent.
 * @param creds credentials
 * @return nothing, or the error naming the bad field (e.g. `error::invalid_token`)
 */
inline result<void> validate_credentials(const credentials& creds) noexcept
{
    if (auto* t = std::get_if<token_credentials>(&creds)) return validate_token(t->token);
    return {};
}

/**
 * Adds the credentials' headers to a request.
 * @param req a request built by one of the request builders
 * @param creds credentials, already validated
 */
inline void apply_credentials(http_request& req, const credentials& creds)
{
    if (auto* t = std::get_if<token_credentials>(&creds)) req.headers.set("X-Auth-Token", t->token);
}

} // namespace modelarts

#endif
