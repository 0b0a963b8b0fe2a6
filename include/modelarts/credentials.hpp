/**
 * @file credentials.hpp
 * How a session proves who it is: the SDK's Session modes. Applying credentials is the last
 * step before a request leaves: it only adds headers to a finished request value.
 */
#ifndef MODELARTS_CREDENTIALS_HPP
#define MODELARTS_CREDENTIALS_HPP

#include "modelarts/detail/utf8.hpp"
#include "modelarts/error.hpp"
#include "modelarts/http.hpp"
#include "modelarts/signer.hpp"
#include "modelarts/validation.hpp"

#include <chrono>
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

/**
 * An access key pair: every request is signed (`SDK-HMAC-SHA256`). With `security_token` set
 * these are temporary credentials, and `X-Security-Token` is sent and signed too.
 */
struct aksk_credentials {
    std::string access_key;           ///< AK, sent in the Authorization header
    std::string secret_key;           ///< SK, the signing key; never sent, never printed
    std::string security_token = {};  ///< temporary credentials' token, or empty
    /** @return true when all fields are equal */
    friend bool operator==(const aksk_credentials&, const aksk_credentials&) = default;
};

/**
 * An IAM user's name and password: the session gets a token from IAM on first use, reuses it,
 * and gets a new one a safe margin before it expires.
 */
struct password_credentials {
    std::string username;      ///< IAM user name
    std::string password;      ///< its password; never printed
    std::string account = {};  ///< the account (domain) the user belongs to; empty: the user's own name
    std::string iam_endpoint;  ///< e.g. "https://iam.cn-north-4.myhuaweicloud.com" (see region.hpp)
    /** @return true when all fields are equal */
    friend bool operator==(const password_credentials&, const password_credentials&) = default;
};

/** The ways a session can authenticate. */
using credentials = std::variant<no_credentials, token_credentials, aksk_credentials, password_credentials>;

/**
 * Validates credentials before anything is sent.
 * @param creds credentials
 * @return nothing, or the error naming the bad field
 */
inline result<void> validate_credentials(const credentials& creds)
{
    if (auto* t = std::get_if<token_credentials>(&creds)) return validate_token(t->token);
    if (auto* k = std::get_if<aksk_credentials>(&creds)) {
        if (k->access_key.empty()) return error::invalid_access_key;
        for (char c : k->access_key)
            if (c <= ' ' || c > '~' || c == ',') return error::invalid_access_key;
        if (k->secret_key.empty()) return error::invalid_secret_key;
        if (!k->security_token.empty()) return validate_token(k->security_token);
    }
    if (auto* p = std::get_if<password_credentials>(&creds)) {
        if (p->username.empty() || p->password.empty() || !detail::utf8_length(p->username)
            || !detail::utf8_length(p->password) || !detail::utf8_length(p->account))
            return error::invalid_user;
        if (auto ep = parse_endpoint(p->iam_endpoint); !ep) return ep.error();
    }
    return {};
}

/**
 * Adds the credentials' headers to a request: `X-Auth-Token` for a token, the signature for an
 * access key. Password credentials add nothing here: the session turns them into a token first.
 * @param req a request built by one of the request builders, every other header in place
 * @param creds credentials, already validated
 * @param now the time to sign with
 */
inline void apply_credentials(http_request& req, const credentials& creds,
                              std::chrono::system_clock::time_point now = std::chrono::system_clock::now())
{
    if (auto* t = std::get_if<token_credentials>(&creds)) req.headers.set("X-Auth-Token", t->token);
    if (auto* k = std::get_if<aksk_credentials>(&creds))
        signing::sign(req, k->access_key, k->secret_key, k->security_token, now);
}

} // namespace modelarts

#endif
