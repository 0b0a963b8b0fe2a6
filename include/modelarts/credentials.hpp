/**
 * @file credentials.hpp
 * How a session proves who it is: the SDK's Session modes. Applying credentials is the last
 * step before a request leaves: it only adds headers to a finished request value.
 */
#ifndef MODELARTS_CREDENTIALS_HPP
#define MODELARTS_CREDENTIALS_HPP

#include "modelarts/detail/config.hpp"
#include "modelarts/detail/utf8.hpp"
#include "modelarts/error.hpp"
#include "modelarts/http.hpp"
#include "modelarts/signer.hpp"
#include "modelarts/validation.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
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

struct expiring_credentials;

/** A source of credentials of the user's own (Vault, KMS, a sidecar): see `make_callback_provider`. */
using credentials_callback = std::function<result<expiring_credentials>()>;

namespace detail {

struct provider_state;  // the provider's credentials and the fetch under way (detail/provider_state.hpp)
struct provider_access;  // the library's way into a provider, as `access` is into a session

// Where a provider's credentials come from: what the call machine needs to fetch them.
struct provider_source {
    enum class kind { iam_password, metadata_service, callback } what = kind::callback;
    password_credentials user = {};        // iam_password: the user IAM logs in
    std::string metadata_endpoint = {};    // metadata_service: where it answers
};

} // namespace detail

/**
 * Credentials that expire, fetched when needed and renewed before they do, by one call at a time,
 * for every session and thread that holds the provider (a copy is a handle to the same state). Made
 * by `make_metadata_provider`, `make_callback_provider` or `make_iam_password_provider`
 * (credential_provider.hpp); set it as `session_options::auth`.
 */
class credential_provider {
public:
    /** @return true when both are handles to the same provider */
    friend bool operator==(const credential_provider& a, const credential_provider& b) noexcept { return a.state_ == b.state_; }

private:
    friend struct detail::provider_access;
    credential_provider(detail::provider_source source, std::shared_ptr<detail::provider_state> state) noexcept
        : source_(std::move(source)), state_(std::move(state))
    {
    }

    detail::provider_source source_;
    std::shared_ptr<detail::provider_state> state_;
};

/** The ways a session can authenticate. */
using credentials = std::variant<no_credentials, token_credentials, aksk_credentials, password_credentials, credential_provider>;

namespace detail {

struct provider_access {
    static credential_provider make(provider_source source, std::shared_ptr<provider_state> state) noexcept
    {
        return {std::move(source), std::move(state)};
    }
    static const provider_source& source(const credential_provider& p) noexcept { return p.source_; }
    static provider_state& state(const credential_provider& p) noexcept { return *p.state_; }
};

} // namespace detail

/** Credentials and when they stop working: what a provider hands out. */
struct expiring_credentials {
    credentials auth;                                   ///< `token_credentials` or `aksk_credentials` (temporary keys carry their security token)
    std::chrono::system_clock::time_point expires_at;  ///< when they stop working
};

namespace detail {

// The longest access key IAM issues.
inline constexpr std::size_t max_access_key_length = 128;

// 1 to 128 letters and digits, as IAM issues them: nothing that could make the `Authorization`
// header ambiguous (`,`, `=`, spaces). `validate_credentials` is the public check.
constexpr bool is_valid_access_key(std::string_view access_key) noexcept
{
    if (access_key.empty() || access_key.size() > max_access_key_length) return false;
    for (char c : access_key)
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
    return true;
}

} // namespace detail

/**
 * Validates credentials before anything is sent.
 * @param creds credentials
 * @return nothing, or the error naming the bad field
 */
[[nodiscard]] MODELARTS_DECL result<void> validate_credentials(const credentials& creds);

namespace detail {

// apply_credentials for credentials already validated.
MODELARTS_DECL void apply_valid_credentials(http_request& req, const credentials& creds, std::chrono::system_clock::time_point now);

} // namespace detail

/**
 * Adds the credentials' headers to a request: `X-Auth-Token` for a token, the signature for an
 * access key, nothing for none. Password credentials and providers cannot be applied: they must
 * be turned into a token or keys first, which a session does by itself.
 * @param req a request built by one of the request builders, every other header in place
 * @param creds the credentials
 * @param now the time to sign with (for AK/SK)
 * @return nothing; or the credentials' validation error, or `error::login_required` for
 *         password credentials and providers; `req` is unchanged then
 */
[[nodiscard]] MODELARTS_DECL result<void> apply_credentials(http_request& req, const credentials& creds,
                                                            std::chrono::system_clock::time_point now);

} // namespace modelarts

#if !defined(MODELARTS_SEPARATE_COMPILATION) || defined(MODELARTS_CORE_SOURCE)
#include "modelarts/impl/credentials.ipp"
#endif

#endif
