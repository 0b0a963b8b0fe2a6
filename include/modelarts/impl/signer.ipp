/**
 * @file impl/signer.ipp
 * The definitions of signer.hpp: inline in every unit by default, or compiled
 * once with MODELARTS_SEPARATE_COMPILATION (see detail/config.hpp).
 */
#ifndef MODELARTS_IMPL_SIGNER_IPP
#define MODELARTS_IMPL_SIGNER_IPP

#include <algorithm>

namespace modelarts {

namespace signing {

namespace detail {

MODELARTS_DECL bool unreserved(char c) noexcept
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
        || c == '.' || c == '~';
}

MODELARTS_DECL void percent_encode(std::string& out, std::string_view s)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    std::size_t plain = 0;  // the start of a run of unreserved characters, copied at once
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (unreserved(s[i])) continue;
        const auto b = static_cast<unsigned char>(s[i]);
        const char escaped[] = {'%', hex[b >> 4], hex[b & 0xF]};
        out.append(s.substr(plain, i - plain)).append(escaped, sizeof escaped);
        plain = i + 1;
    }
    out.append(s.substr(plain));
}

MODELARTS_DECL void append_canonical_uri(std::string& out, std::string_view path)
{
    const std::size_t start_size = out.size();
    std::size_t start = 0;
    for (;;) {
        auto slash = path.find('/', start);
        percent_encode(out, path.substr(start, slash - start));
        if (slash == std::string_view::npos) break;
        out.push_back('/');
        start = slash + 1;
    }
    if (out.size() == start_size || out.back() != '/') out.push_back('/');
}

MODELARTS_DECL void append_canonical_query(std::string& out, std::string_view query)
{
    if (query.empty()) return;  // the usual case: nothing to sort
    std::vector<std::pair<std::string, std::string>> params;
    while (!query.empty()) {
        auto amp = query.find('&');
        auto pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        if (pair.empty()) continue;
        auto eq = pair.find('=');
        std::pair<std::string, std::string> p;
        percent_encode(p.first, pair.substr(0, eq));
        if (eq != std::string_view::npos) percent_encode(p.second, pair.substr(eq + 1));
        params.push_back(std::move(p));
    }
    std::sort(params.begin(), params.end());
    for (std::size_t i = 0; i < params.size(); ++i)
        out.append(i ? "&" : "").append(params[i].first).append(1, '=').append(params[i].second);
}

MODELARTS_DECL void append_hex(std::string& out, const modelarts::detail::sha256::digest& d)
{
    static constexpr char digits[] = "0123456789abcdef";
    char hex[2 * std::tuple_size_v<modelarts::detail::sha256::digest>];  // one append, not 64 push_backs
    for (std::size_t i = 0; i < d.size(); ++i) {
        hex[2 * i] = digits[d[i] >> 4];
        hex[2 * i + 1] = digits[d[i] & 0xF];
    }
    out.append(hex, sizeof hex);
}

MODELARTS_DECL signed_names default_signed_names(const http_request& req)
{
    signed_names out;
    for (std::string_view n : {"content-type", "host", "x-project-id", "x-sdk-date", "x-security-token"})
        if (req.headers.contains(n)) out.names[out.count++] = n;
    return out;
}

} // namespace detail

MODELARTS_DECL std::string canonical_uri(std::string_view path)
{
    std::string out;
    out.reserve(path.size() + 8);
    detail::append_canonical_uri(out, path);
    return out;
}

MODELARTS_DECL std::string canonical_query(std::string_view query)
{
    std::string out;
    detail::append_canonical_query(out, query);
    return out;
}

MODELARTS_DECL std::vector<std::string> default_signed_headers(const http_request& req)
{
    std::vector<std::string> names;
    for (std::string_view n : {"content-type", "host", "x-project-id", "x-sdk-date", "x-security-token"})
        if (req.headers.contains(n)) names.emplace_back(n);
    return names;
}

MODELARTS_DECL std::string canonical_request(const http_request& req, const std::vector<std::string>& signed_headers)
{
    std::string out;
    out.reserve(256 + req.target().size());
    detail::append_canonical_request(out, req, signed_headers);
    return out;
}

MODELARTS_DECL std::string string_to_sign(std::string_view canonical, std::string_view sdk_date)
{
    std::string out(signing_algorithm);
    out.append(1, '\n').append(sdk_date).append(1, '\n');
    out.append(modelarts::detail::to_hex(modelarts::detail::sha256::hash(canonical)));
    return out;
}

MODELARTS_DECL std::string signature(std::string_view secret_key, std::string_view to_sign)
{
    return modelarts::detail::to_hex(modelarts::detail::hmac_sha256(secret_key, to_sign));
}

MODELARTS_DECL std::string format_sdk_date(std::chrono::system_clock::time_point t)
{
    return modelarts::detail::format_compact_utc(t);
}

MODELARTS_DECL std::optional<std::chrono::system_clock::time_point> parse_sdk_date(std::string_view text) noexcept
{
    return modelarts::detail::parse_compact_utc(text);
}

MODELARTS_DECL std::string authorization(std::string_view access_key, const std::vector<std::string>& signed_headers,
                                         std::string_view sig)
{
    std::string out(signing_algorithm);
    out.append(" Access=").append(access_key).append(", SignedHeaders=");
    for (std::size_t i = 0; i < signed_headers.size(); ++i) out.append(i ? ";" : "").append(signed_headers[i]);
    out.append(", Signature=").append(sig);
    return out;
}

MODELARTS_DECL void sign(http_request& req, std::string_view access_key, std::string_view secret_key,
                         std::string_view security_token, std::chrono::system_clock::time_point now)
{
    // The same steps as the functions above, into one reused buffer: canonical request, then the
    // string to sign after it, then the Authorization value.
    req.headers.reserve(req.headers.size() + 3);  // the date, the token, the signature: one growth at most
    char date[16];  // YYYYMMDDTHHMMSSZ, one byte past the small-string buffer: kept off the heap
    modelarts::detail::write_compact_utc(date, now);
    req.headers.set("X-Sdk-Date", std::string_view(date, sizeof date));
    if (!security_token.empty()) req.headers.set("X-Security-Token", security_token);
    const auto names = detail::default_signed_names(req);
    std::string buffer;
    buffer.reserve(384 + req.target().size() + access_key.size() + security_token.size());
    detail::append_canonical_request(buffer, req, names);
    const auto canonical_hash = modelarts::detail::sha256::hash(buffer);
    buffer.assign(signing_algorithm).append(1, '\n').append(req.headers.get("X-Sdk-Date")).append(1, '\n');
    detail::append_hex(buffer, canonical_hash);
    const auto mac = modelarts::detail::hmac_sha256(secret_key, buffer);
    buffer.assign(signing_algorithm).append(" Access=").append(access_key).append(", SignedHeaders=");
    for (std::size_t i = 0; i < names.size(); ++i) buffer.append(i ? ";" : "").append(names[i]);
    buffer.append(", Signature=");
    detail::append_hex(buffer, mac);
    req.headers.set("Authorization", buffer);
}

} // namespace signing
} // namespace modelarts

#endif
