/**
 * @file http.hpp
 * Plain HTTP values: what the library asks a transport to send, and what the transport hands
 * back. No I/O happens here.
 */
#ifndef MODELARTS_HTTP_HPP
#define MODELARTS_HTTP_HPP

#include "modelarts/detail/config.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <iterator>
#include <memory>
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
    if (a.size() != b.size()) return false;
    if (a == b) return true;  // names mostly arrive as documented: one memcmp, no per-byte folding
    return std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return ascii_lower(x) == ascii_lower(y); });
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

/** A view of one field of an `http_headers`: valid until that list next changes. */
struct http_field {
    std::string_view name;   ///< field name, as written
    std::string_view value;  ///< field value
};

/**
 * An ordered list of header fields with case-insensitive lookup. Order is kept as inserted so
 * that a request prints and sends exactly as built. All fields live in one buffer: a list costs
 * one allocation however many fields it holds, and copying it costs one more.
 */
class http_headers {
public:
    /** Iterates the fields in order, as `http_field` views. */
    class const_iterator {
    public:
        using iterator_category = std::forward_iterator_tag;  ///< forward only
        using value_type = http_field;                        ///< a view of a field
        using difference_type = std::ptrdiff_t;               ///< distance
        using pointer = void;                                 ///< no pointer: fields are views
        using reference = http_field;                         ///< fields are returned by value

        const_iterator() = default;
        /** @return the field here */
        http_field operator*() const noexcept { return read(at_).field; }
        /** @return *this, moved to the next field */
        const_iterator& operator++() noexcept
        {
            at_ += read(at_).size;
            return *this;
        }
        /** @return a copy before the move */
        const_iterator operator++(int) noexcept
        {
            auto before = *this;
            ++*this;
            return before;
        }
        /** @return true when both are at the same field */
        friend bool operator==(const const_iterator&, const const_iterator&) = default;

    private:
        friend class http_headers;
        explicit const_iterator(const char* at) noexcept : at_(at) {}
        const char* at_ = nullptr;
    };

    http_headers() = default;

    /** @param fields initial fields, in order */
    http_headers(std::initializer_list<http_header> fields)
    {
        for (const auto& f : fields) add(f.name, f.value);
    }

    /**
     * Sets a field, replacing the value of the first field of that name (ignoring case) and
     * removing any later ones.
     * @param name field name
     * @param value field value
     */
    void set(std::string_view name, std::string_view value)
    {
        if (aliases(name) || aliases(value)) return set(std::string(name), std::string(value));
        const std::size_t at = find_offset(name);
        if (at == npos) return add(name, value);
        const entry e = read(buf_.data() + at);
        const std::size_t value_at = at + header_size + e.field.name.size();
        buf_.replace(value_at, e.field.value.size(), value.data(), value.size());
        store_length(buf_.data() + at + 4, value.size());
        erase_from(at + header_size + e.field.name.size() + value.size(), name);
    }

    /**
     * Appends a field even if one of that name exists (as a response may repeat a field).
     * @param name field name
     * @param value field value
     */
    void add(std::string_view name, std::string_view value)
    {
        if (aliases(name) || aliases(value)) return add(std::string(name), std::string(value));
        char lengths[header_size];
        store_length(lengths, name.size());
        store_length(lengths + 4, value.size());
        buf_.append(lengths, header_size).append(name).append(value);
        ++count_;
    }

    /**
     * @param name field name, any case
     * @return the value of the first field of that name, or nothing
     */
    [[nodiscard]] std::optional<std::string_view> find(std::string_view name) const noexcept
    {
        const std::size_t at = find_offset(name);
        if (at == npos) return std::nullopt;
        return read(buf_.data() + at).field.value;
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
    bool contains(std::string_view name) const noexcept { return find_offset(name) != npos; }

    /**
     * Removes every field of that name.
     * @param name field name, any case
     */
    void erase(std::string_view name) { erase_from(0, name); }

    /** @param n room for about this many fields without reallocating */
    void reserve(std::size_t n) { buf_.reserve(n * 64); }

    /** @return the number of fields */
    std::size_t size() const noexcept { return count_; }
    /** @return true when there are no fields */
    bool empty() const noexcept { return count_ == 0; }
    /** @return iterator to the first field */
    const_iterator begin() const noexcept { return const_iterator(buf_.data()); }
    /** @return iterator past the last field */
    const_iterator end() const noexcept { return const_iterator(buf_.data() + buf_.size()); }

    /** @return true when both hold the same fields (names ignoring case) in the same order */
    friend bool operator==(const http_headers& a, const http_headers& b) noexcept
    {
        if (a.count_ != b.count_) return false;
        return std::equal(a.begin(), a.end(), b.begin(), [](http_field x, http_field y) {
            return detail::iequals(x.name, y.name) && x.value == y.value;
        });
    }

    /**
     * Prints the fields one per line, `Name: value`, secret values masked.
     * @param os stream
     * @param h fields
     * @return os
     */
    friend std::ostream& operator<<(std::ostream& os, const http_headers& h);

private:
    // Each field: name length and value length (4 bytes each, native order), then both texts.
    static constexpr std::size_t header_size = 8;
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);

    struct entry {
        http_field field;
        std::size_t size;  // bytes the field takes, lengths included
    };

    static entry read(const char* at) noexcept
    {
        std::uint32_t n = 0, v = 0;
        std::memcpy(&n, at, 4);
        std::memcpy(&v, at + 4, 4);
        return {{std::string_view(at + header_size, n), std::string_view(at + header_size + n, v)}, header_size + n + v};
    }

    static void store_length(char* at, std::size_t n) noexcept
    {
        const auto v = static_cast<std::uint32_t>(n);  // a field over 4 GiB cannot arrive or be built
        std::memcpy(at, &v, 4);
    }

    // A view into the buffer itself (a value read from this list) would move as the buffer grows.
    bool aliases(std::string_view s) const noexcept
    {
        const auto p = reinterpret_cast<std::uintptr_t>(s.data()), b = reinterpret_cast<std::uintptr_t>(buf_.data());
        return !s.empty() && p >= b && p < b + buf_.size();
    }

    std::size_t find_offset(std::string_view name) const noexcept
    {
        for (std::size_t at = 0; at < buf_.size();) {
            const entry e = read(buf_.data() + at);
            if (detail::iequals(e.field.name, name)) return at;
            at += e.size;
        }
        return npos;
    }

    // Removes the fields of that name from offset `from` on, keeping the others in order.
    void erase_from(std::size_t from, std::string_view name)
    {
        std::size_t out = from;
        for (std::size_t at = from; at < buf_.size();) {
            const entry e = read(buf_.data() + at);
            if (detail::iequals(e.field.name, name)) {
                --count_;
            } else {
                if (out != at) std::memmove(buf_.data() + out, buf_.data() + at, e.size);
                out += e.size;
            }
            at += e.size;
        }
        buf_.resize(out);
    }

    std::string buf_;
    std::size_t count_ = 0;
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

class http_request;

namespace detail {
struct request_writer;

// The destination of a request (or location) that has none: all empty. A constant, not state.
inline const endpoint& no_endpoint() noexcept
{
    static const endpoint none;
    return none;
}
} // namespace detail

/**
 * A request value: what to send, and where. Built by the library's request builders; a transport
 * sends `method target()` with `headers` and `body()` to `destination()`.
 *
 * Building one costs two allocations: the target and the body share one buffer, the header
 * fields another, and the destination is shared with the `service_location` the request was built
 * for, not copied. A copy costs the same two.
 */
class http_request {
public:
    http_method method = http_method::get;  ///< request method
    http_headers headers;                   ///< header fields, in sending order
    bool secret_body = false;               ///< the body holds a secret (IAM's password): never printed

    /** An empty GET to nowhere, to be filled in. */
    http_request() = default;

    /**
     * @param method request method
     * @param destination where to connect; an empty one is not stored
     * @param target origin-form path and query, e.g. "/v1/p/training-jobs/1"
     * @param headers header fields, in sending order
     * @param body body bytes
     */
    http_request(http_method method, endpoint destination, std::string_view target, http_headers headers = {},
                 std::string_view body = {})
        : method(method), headers(std::move(headers))
    {
        set_destination(std::move(destination));
        text_.reserve(target.size() + body.size());
        text_.append(target).append(body);
        target_size_ = target.size();
    }

    /** @return where to connect (scheme, host, port); all empty until set */
    const endpoint& destination() const noexcept { return destination_ ? *destination_ : detail::no_endpoint(); }

    /** @param destination where to connect; an empty one clears it */
    void set_destination(endpoint destination)
    {
        if (destination == endpoint{}) destination_.reset();
        else destination_ = std::make_shared<const endpoint>(std::move(destination));
    }

    /** @param destination where to connect, shared with whoever else holds it (no copy) */
    void set_destination(std::shared_ptr<const endpoint> destination) noexcept { destination_ = std::move(destination); }

    /** @return the origin-form path and query, e.g. "/v1/p/training-jobs/1"; a view valid until the target or body is next set */
    std::string_view target() const noexcept { return std::string_view(text_).substr(0, target_size_); }

    /** @param target the origin-form path and query */
    void set_target(std::string_view target)
    {
        text_.replace(0, target_size_, target.data(), target.size());
        target_size_ = target.size();
    }

    /** @return the body bytes (empty for GET); a view valid until the target or body is next set */
    std::string_view body() const noexcept { return std::string_view(text_).substr(target_size_); }

    /** @param body the body bytes */
    void set_body(std::string_view body) { text_.replace(target_size_, std::string::npos, body.data(), body.size()); }

    /** @return the full URL, `scheme://host[:port]target`, for transports that want one */
    std::string url() const { return destination().url().append(target()); }

    /**
     * @param a a request
     * @param b another
     * @return true when every part is equal, byte for byte (destinations by value)
     */
    friend bool operator==(const http_request& a, const http_request& b)
    {
        return a.method == b.method && a.target_size_ == b.target_size_ && a.text_ == b.text_ && a.headers == b.headers &&
               a.secret_body == b.secret_body && a.destination() == b.destination();
    }

private:
    friend struct detail::request_writer;
    std::shared_ptr<const endpoint> destination_;
    std::string text_;             // the target, then the body
    std::size_t target_size_ = 0;  // where the target ends and the body starts
};

namespace detail {

// How the request builders write a request's target and body in place, without temporaries:
// start(), append the target, end_target(), append the body.
struct request_writer {
    static std::string& start(http_request& req, std::size_t capacity)
    {
        req.text_.clear();
        req.text_.reserve(capacity);
        req.target_size_ = 0;
        return req.text_;
    }
    static void end_target(http_request& req) noexcept { req.target_size_ = req.text_.size(); }
};

} // namespace detail

/** A response value: what came back, untouched. */
struct http_response {
    unsigned status = 0;   ///< HTTP status code
    http_headers headers;  ///< header fields
    std::string body;      ///< body bytes

    /** @return true when every part is equal */
    friend bool operator==(const http_response&, const http_response&) = default;
};

/**
 * The id a server gives an answer (`X-Request-Id`), which support asks for. It is kept inline,
 * not on the heap, so that reading a success answer allocates nothing. ModelArts' ids are 32
 * hex digits; one longer than `max_size` is kept as its first `max_size - 3` bytes and `...`, so
 * that a cut id is never mistaken for a whole one.
 */
class request_id_string {
public:
    /** The most bytes kept. */
    static constexpr std::size_t max_size = 64;

    /** An empty id. */
    constexpr request_id_string() noexcept = default;

    /** @param id the id as received; cut to `max_size` bytes as described above */
    request_id_string(std::string_view id) noexcept { assign(id); }

    /**
     * Replaces the id.
     * @param id the id as received; cut to `max_size` bytes as described above
     */
    void assign(std::string_view id) noexcept
    {
        if (id.size() <= max_size) {
            size_ = static_cast<unsigned char>(id.size());
            id.copy(data_, id.size());
            return;
        }
        size_ = max_size;
        id.copy(data_, max_size - 3);
        std::memcpy(data_ + max_size - 3, "...", 3);
    }

    /** @return the id */
    std::string_view view() const noexcept { return {data_, size_}; }
    /** @return the id */
    operator std::string_view() const noexcept { return view(); }
    /** @return the id as a `std::string` */
    std::string str() const { return std::string(view()); }
    /** @return its length in bytes */
    std::size_t size() const noexcept { return size_; }
    /** @return true when no id was sent */
    bool empty() const noexcept { return size_ == 0; }

    /**
     * @param a an id
     * @param b another
     * @return true when both hold the same bytes
     */
    friend bool operator==(const request_id_string& a, const request_id_string& b) noexcept { return a.view() == b.view(); }
    /**
     * @param a an id
     * @param b text
     * @return true when the id is `b`, byte for byte
     */
    friend bool operator==(const request_id_string& a, std::string_view b) noexcept { return a.view() == b; }

    /** Prints the id. @param os stream @param id an id @return os */
    friend std::ostream& operator<<(std::ostream& os, const request_id_string& id) { return os << id.view(); }

private:
    unsigned char size_ = 0;
    char data_[max_size] = {};
};

/**
 * @param name a header field name
 * @return true for the fields whose values are secrets and are never printed
 */
MODELARTS_DECL bool is_secret_header(std::string_view name) noexcept;

MODELARTS_DECL std::ostream& operator<<(std::ostream& os, const http_headers& h);

/**
 * Prints a request as it would go on the wire, with the values of secret headers
 * (Authorization, X-Auth-Token, X-Security-Token, X-Subject-Token) replaced by `***`, and a
 * secret body (IAM's, which holds the password) by `*** (N bytes)`.
 * @param os stream
 * @param req request
 * @return os
 */
MODELARTS_DECL std::ostream& operator<<(std::ostream& os, const http_request& req);

/**
 * Prints a response status line, headers (secret ones masked) and body.
 * @param os stream
 * @param res response
 * @return os
 */
MODELARTS_DECL std::ostream& operator<<(std::ostream& os, const http_response& res);

} // namespace modelarts

#if !defined(MODELARTS_SEPARATE_COMPILATION) || defined(MODELARTS_CORE_SOURCE)
#include "modelarts/impl/http.ipp"
#endif

#endif
