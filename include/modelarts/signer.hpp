/**
 * @file signer.hpp
 * AK/SK request signing, `SDK-HMAC-SHA256`, as Huawei Cloud's API gateway checks it. Pure
 * functions: the time comes in as an argument.
 */
#ifndef MODELARTS_SIGNER_HPP
#define MODELARTS_SIGNER_HPP

#include "modelarts/detail/config.hpp"
#include "modelarts/detail/sha256.hpp"
#include "modelarts/detail/time.hpp"
#include "modelarts/error.hpp"
#include "modelarts/http.hpp"

#include <array>
#include <chrono>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace modelarts {

/** The signing algorithm's name, as it starts the string to sign and the Authorization header. */
inline constexpr std::string_view signing_algorithm = "SDK-HMAC-SHA256";

namespace signing {

namespace detail {

MODELARTS_DECL bool unreserved(char c) noexcept;

MODELARTS_DECL void percent_encode(std::string& out, std::string_view s);

MODELARTS_DECL void append_canonical_uri(std::string& out, std::string_view path);

MODELARTS_DECL void append_canonical_query(std::string& out, std::string_view query);

MODELARTS_DECL void append_hex(std::string& out, const modelarts::detail::sha256::digest& d);

// §3's canonical request, appended to `out`; `names` are the signed headers' lower-case names, sorted.
template <class Names>
void append_canonical_request(std::string& out, const http_request& req, const Names& names)
{
    std::string_view target = req.target(), path = target, query;
    if (auto q = target.find('?'); q != std::string_view::npos) path = target.substr(0, q), query = target.substr(q + 1);
    out.append(to_string(req.method)).append(1, '\n');
    append_canonical_uri(out, path);
    out.append(1, '\n');
    append_canonical_query(out, query);
    out.append(1, '\n');
    for (std::string_view name : names)
        out.append(name).append(1, ':').append(modelarts::detail::trim(req.headers.get(name))).append(1, '\n');
    out.append(1, '\n');
    for (std::size_t i = 0; i < std::size(names); ++i) out.append(i ? ";" : "").append(std::string_view(names[i]));
    out.append(1, '\n');
    if (auto content_hash = req.headers.find("X-Sdk-Content-Sha256"))
        out.append(*content_hash);
    else
        append_hex(out, modelarts::detail::sha256::hash(req.body()));
}

// The names default_signed_headers gives, as views of static strings: no allocation.
struct signed_names {
    std::array<std::string_view, 5> names{};
    std::size_t count = 0;
    const std::string_view* begin() const noexcept { return names.data(); }
    const std::string_view* end() const noexcept { return names.data() + count; }
    std::size_t size() const noexcept { return count; }
    std::string_view operator[](std::size_t i) const noexcept { return names[i]; }
};

MODELARTS_DECL signed_names default_signed_names(const http_request& req);

} // namespace detail

/**
 * @param path the path part of a request target
 * @return each segment percent-encoded (unreserved bytes kept, others `%XX`), with a `/`
 *         appended when the path does not end in one
 */
MODELARTS_DECL std::string canonical_uri(std::string_view path);

/**
 * @param query the query part of a request target, without `?`
 * @return the parameters sorted by name, then value, each encoded, joined as `k=v&k=v`
 */
MODELARTS_DECL std::string canonical_query(std::string_view query);

/**
 * The headers an official signer signs, those present of: content-type, host, x-project-id,
 * x-sdk-date, x-security-token.
 * @param req a request
 * @return their lower-case names, sorted
 */
MODELARTS_DECL std::vector<std::string> default_signed_headers(const http_request& req);

/**
 * The canonical request of §3: method, canonical URI, canonical query, canonical headers,
 * signed headers and the body's hash (or `X-Sdk-Content-Sha256`), joined by newlines.
 * @param req the request
 * @param signed_headers lower-case names of the headers to sign, sorted
 * @return the canonical request
 */
MODELARTS_DECL std::string canonical_request(const http_request& req, const std::vector<std::string>& signed_headers);

/**
 * @param canonical the canonical request
 * @param sdk_date the `X-Sdk-Date` value
 * @return `SDK-HMAC-SHA256\n{date}\n{hex(sha256(canonical))}`
 */
MODELARTS_DECL std::string string_to_sign(std::string_view canonical, std::string_view sdk_date);

/**
 * @param secret_key the SK
 * @param to_sign the string to sign
 * @return hex(hmac_sha256(SK, string to sign))
 */
MODELARTS_DECL std::string signature(std::string_view secret_key, std::string_view to_sign);

/**
 * @param t a time
 * @return it as `X-Sdk-Date` writes it: UTC, `YYYYMMDDTHHMMSSZ`
 */
MODELARTS_DECL std::string format_sdk_date(std::chrono::system_clock::time_point t);

/**
 * @param text an `X-Sdk-Date` value
 * @return the time it names, or nothing when it is not `YYYYMMDDTHHMMSSZ` with a year from 1970 to 9999
 */
[[nodiscard]] MODELARTS_DECL std::optional<std::chrono::system_clock::time_point> parse_sdk_date(std::string_view text) noexcept;

/**
 * @param access_key the AK
 * @param signed_headers the signed header names
 * @param sig the signature
 * @return the `Authorization` header value
 */
MODELARTS_DECL std::string authorization(std::string_view access_key, const std::vector<std::string>& signed_headers,
                                         std::string_view sig);

/**
 * Signs a finished request: sets `X-Sdk-Date` (and `X-Security-Token` for temporary
 * credentials), then `Authorization`.
 * @param req the request, with every other header already in place
 * @param access_key the AK
 * @param secret_key the SK
 * @param security_token the temporary credentials' token, or empty
 * @param now the signing time
 */
MODELARTS_DECL void sign(http_request& req, std::string_view access_key, std::string_view secret_key,
                         std::string_view security_token, std::chrono::system_clock::time_point now);

} // namespace signing

} // namespace modelarts

#if !defined(MODELARTS_SEPARATE_COMPILATION) || defined(MODELARTS_CORE_SOURCE)
#include "modelarts/impl/signer.ipp"
#endif

#endif
