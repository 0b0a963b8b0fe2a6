/**
 * @file impl/credentials.ipp
 * The definitions of credentials.hpp: inline in every unit by default, or compiled
 * once with MODELARTS_SEPARATE_COMPILATION (see detail/config.hpp).
 */
#ifndef MODELARTS_IMPL_CREDENTIALS_IPP
#define MODELARTS_IMPL_CREDENTIALS_IPP

namespace modelarts {

MODELARTS_DECL result<void> validate_credentials(const credentials& creds)
{
    if (auto* t = std::get_if<token_credentials>(&creds)) return validate_token(t->token);
    if (auto* k = std::get_if<aksk_credentials>(&creds)) {
        if (!detail::is_valid_access_key(k->access_key)) return error::invalid_access_key;
        if (k->secret_key.empty()) return error::invalid_secret_key;
        if (!k->security_token.empty()) return validate_token(k->security_token);
    }
    if (auto* p = std::get_if<password_credentials>(&creds)) {
        if (p->username.empty() || p->password.empty() || !detail::utf8_length(p->username)
            || !detail::utf8_length(p->password) || !detail::utf8_length(p->account))
            return error::invalid_user;
        if (auto ep = parse_endpoint(p->iam_endpoint); !ep) return ep.error();
    }
    if (auto* provider = std::get_if<credential_provider>(&creds)) {
        const auto& from = detail::provider_access::source(*provider);
        if (from.what == detail::provider_source::kind::iam_password) return validate_credentials(from.user);
        if (from.what == detail::provider_source::kind::metadata_service)
            if (auto ep = parse_endpoint(from.metadata_endpoint); !ep) return ep.error();
    }
    return {};
}

namespace detail {

MODELARTS_DECL void apply_valid_credentials(http_request& req, const credentials& creds, std::chrono::system_clock::time_point now)
{
    if (auto* t = std::get_if<token_credentials>(&creds)) req.headers.set("X-Auth-Token", t->token);
    if (auto* k = std::get_if<aksk_credentials>(&creds))
        signing::sign(req, k->access_key, k->secret_key, k->security_token, now);
}

} // namespace detail

MODELARTS_DECL result<void> apply_credentials(http_request& req, const credentials& creds,
                                              std::chrono::system_clock::time_point now)
{
    if (std::holds_alternative<password_credentials>(creds) || std::holds_alternative<credential_provider>(creds))
        return error::login_required;
    if (auto r = validate_credentials(creds); !r) return r;
    detail::apply_valid_credentials(req, creds, now);
    return {};
}

} // namespace modelarts

#endif
