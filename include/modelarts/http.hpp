/**
 * @file http.hpp
 * Plain HTTP values: what the library asks a transport to send, and what the transport hands
 * back. No I/O happens here.
 */
#ifndef MODELARTS_HTTP_HPP
#define MODELARTS_HTTP_HPP

#include <algorithm>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace modelarts {

namespace detail {

inline constexpr char ascii_lower(char c) noexcept
{
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

inline constexpr bool iequals(std::string_view a, std::string_view b) noexcept
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return ascii_lower(x) == ascii_lower(y);
           });
}

// Without surrounding spaces and tabs, as header values are compared.
inline constexpr std::string_view trim(std::string_view s) noexcept
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// Printable ASCII without space: what a token or key may hold and still sit safely in a header.
inline constexpr bool is_visible_ascii(std::string_view s) noexcept
{
    return std::all_of(s.begin(), s.end(), [](char c) { return c > ' ' && c <= '~'; });
}

// The status of an answer that did what was asked.
inline constexpr bool is_2xx(unsigned status) noexcept { return status >= 200 && status < 300; }

} // namespace detail

/** A header field as sent or received: name as written, value without surrounding space. */
struct http_header {
    std::string name;   ///< field name; compared case-insensitively
    std::string value;  ///< field value
    /** @return true when both name (ignoring case) and value are equal */
    friend bool operator==(const http_header& a, const http_header& b) noexcept
    {
        return detail::iequals(a.name, b.name) && a.value == b.value;
    }
};

/**
 * An ordered list of header fields with case-insensitive lookup. Order is kept as inserted so
 * that a request prints and sends exactly as built.
 */
class http_headers {
public:
    using const_iterator = std::vector<http_header>::const_iterator;

    http_headers() = default;

    /** @param fields initial fields, in order */
    http_headers(std::initializer_list<http_header> fields) : fields_(fields) {}

    /**
     * Sets a field, replacing the value of the first field of that name (ignoring case) and
     * removing any later ones.
     * @param name field name
     * @param value field value
     */
    void set(std::string_view name, std::string_view value)
    {
        auto it = find_it(name);
        if (it == fields_.end()) {
            fields_.push_back({std::string(name), std::string(value)});
            return;
        }
        it->value.assign(value);
        fields_.erase(std::remove_if(std::next(it), fields_.end(),
                                     [&](const http_header& h) { return detail::iequals(h.name, name); }),
                      fields_.end());
    }

    /**
     * Appends a field even if one of that name exists (as a response may repeat a field).
     * @param name field name
     * @param value field value
     */
    void add(std::string_view name, std::string_view value)
    {
        fields_.push_back({std::string(name), std::string(value)});
    }

    /**
     * @param name field name, any case
     * @return the value of the first field of that name, or nothing
     */
    [[nodiscard]] std::optional<std::string_view> find(std::string_view name) const noexcept
    {
        auto it = std::find_if(fields_.begin(), fields_.end(),
                               [&](const http_header& h) { return detail::iequals(h.name, name); });
        if (it == fields_.end()) return std::nullopt;
        return std::string_view(it->value);
    }

    /**
     * @param name field name, any case
     * @return the value of the first field of that name, or an empty view
     */
    std::string_view get(std::string_view name) const noexcept { return find(name).value_or(std::string_view{}); }

    /**
     * @param name field name, any case
     * @return true when a field of that name is present
     */
    bool contains(std::string_view name) const noexcept { return find(name).has_value(); }

    /**
     * Removes every field of that name.
     * @param name field name, any case
     */
    void erase(std::string_view name)
    {
        fields_.erase(std::remove_if(fields_.begin(), fields_.end(),
                                     [&](const http_header& h) { return detail::iequals(h.name, name); }),
                      fields_.end());
    }

    /** @param n room for this many fields without reallocating */
    void reserve(std::size_t n) { fields_.reserve(n); }

    /** @return the number of fields */
    std::size_t size() const noexcept { return fields_.size(); }
    /** @return true when there are no fields */
    bool empty() const noexcept { return fields_.empty(); }
    /** @return iterator to the first field */
    const_iterator begin() const noexcept { return fields_.begin(); }
    /** @return iterator past the last field */
    const_iterator end() const noexcept { return fields_.end(); }

    /** @return true when both hold the same fields in the same order */
    friend bool operator==(const http_headers&, const http_headers&) = default;

    /**
     * Prints the fields one per line, `Name: value`, secret values masked.
     * @param os stream
     * @param h fields
     * @return os
     */
    friend std::ostream& operator<<(std::ostream& os, const http_headers& h);

private:
    std::vector<http_header>::iterator find_it(std::string_view name)
    {
        return std::find_if(fields_.begin(), fields_.end(),
                            [&](const http_header& h) { return detail::iequals(h.name, name); });
    }

    std::vector<http_header> fields_;
};

/** The HTTP methods the ModelArts and IAM APIs use. */
enum class http_method { get, put, post };

/**
 * @param m a method
 * @return its name as sent on the wire ("GET", "PUT", "POST")
 */
inline constexpr std::string_view to_string(http_method m) noexcept
{
    switch (m) {
    case http_method::get: return "GET";
    case http_method::put: return "PUT";
    case http_method::post: return "POST";
    }
    return "GET";
}

/**
 * Where a request goes: scheme, host and port, as validated by `parse_endpoint`.
 */
struct endpoint {
    std::string scheme;      ///< "https" or "http"
    std::string host;        ///< host name or address; an IPv6 address keeps its brackets
    std::uint16_t port = 0;  ///< port, filled from the scheme when the URL has none

    /** @return true when the port is the scheme's default (443 for https, 80 for http) */
    bool default_port() const noexcept { return port == (scheme == "https" ? 443 : 80); }

    /** @return the `Host` header value: the host, and `:port` when it is not the default */
    std::string host_header() const
    {
        return default_port() ? host : host + ':' + std::to_string(port);
    }

    /** @return `scheme://host[:port]`, the endpoint in canonical form */
    std::string url() const { return scheme + "://" + host_header(); }

    /** @return true when all three parts are equal */
    friend bool operator==(const endpoint&, const endpoint&) = default;

    /** Prints the endpoint's URL. @param os stream @param ep endpoint @return os */
    friend std::ostream& operator<<(std::ostream& os, const endpoint& ep) { return os << ep.url(); }
};

/**
 * A request value: what to send, and where. Built by the library's request builders; a transport
 * sends `method target` with `headers` and `body` to `destination`.
 */
struct http_request {
    http_method method = http_method::get;  ///< request method
    endpoint destination;                   ///< where to connect (scheme, host, port)
    std::string target;                     ///< origin-form path and query, e.g. "/v1/p/training-jobs/1"
    http_headers headers;                   ///< header fields, in sending order
    std::string body;                       ///< body bytes (empty for GET)
    bool secret_body = false;               ///< the body holds a secret (IAM's password): never printed

    /** @return the full URL, `scheme://host[:port]target`, for transports that want one */
    std::string url() const { return destination.url() + target; }

    /** @return true when every part is equal, byte for byte */
    friend bool operator==(const http_request&, const http_request&) = default;
};

/** A response value: what came back, untouched. */
struct http_response {
    unsigned status = 0;   ///< HTTP status code
    http_headers headers;  ///< header fields
    std::string body;      ///< body bytes

    /** @return true when every part is equal */
    friend bool operator==(const http_response&, const http_response&) = default;
};

/**
 * @param name a header field name
 * @return true for the fields whose values are secrets and are never printed
 */
inline bool is_secret_header(std::string_view name) noexcept
{
    return detail::iequals(name, "Authorization") || detail::iequals(name, "X-Auth-Token")
        || detail::iequals(name, "X-Security-Token") || detail::iequals(name, "X-Subject-Token");
}

inline std::ostream& operator<<(std::ostream& os, const http_headers& h)
{
    for (const auto& f : h)
        os << f.name << ": " << (is_secret_header(f.name) ? std::string_view("***") : std::string_view(f.value)) << "\r\n";
    return os;
}

/**
 * Prints a request as it would go on the wire, with the values of secret headers
 * (Authorization, X-Auth-Token, X-Security-Token, X-Subject-Token) replaced by `***`, and a
 * secret body (IAM's, which holds the password) by `*** (N bytes)`.
 * @param os stream
 * @param req request
 * @return os
 */
inline std::ostream& operator<<(std::ostream& os, const http_request& req)
{
    os << to_string(req.method) << ' ' << req.target << " HTTP/1.1\r\n" << req.headers << "\r\n";
    if (req.secret_body) return os << "*** (" << req.body.size() << " bytes)";
    return os << req.body;
}

/**
 * Prints a response status line, headers (secret ones masked) and body.
 * @param os stream
 * @param res response
 * @return os
 */
inline std::ostream& operator<<(std::ostream& os, const http_response& res)
{
    return os << "HTTP/1.1 " << res.status << "\r\n" << res.headers << "\r\n" << res.body;
}

} // namespace modelarts

#endif
