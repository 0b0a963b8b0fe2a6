#ifndef MODELARTS_DETAIL_JSON_HPP
#define MODELARTS_DETAIL_JSON_HPP

#include "modelarts/error.hpp"

#include <boost/json/error.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/storage_ptr.hpp>
#include <boost/json/value.hpp>

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

namespace modelarts::detail {

/**
 * Parses a response body into `storage` (default: the heap); maps Boost.JSON's errors onto the
 * library's.
 */
[[nodiscard]] inline result<boost::json::value> parse_json(std::string_view body, unsigned max_depth,
                                                           boost::json::storage_ptr storage = {})
{
    boost::json::parse_options opt;
    opt.max_depth = max_depth;
    boost::system::error_code ec;
    auto v = boost::json::parse(boost::json::string_view(body.data(), body.size()), ec, std::move(storage), opt);
    if (ec == boost::json::error::too_deep) return error::nesting_too_deep;
    if (ec) return error::malformed_body;
    return v;
}

// Field readers: true when the field is absent, null or of an accepted type (then `out` is set);
// false when it has a type the API does not document.

inline bool read_string(const boost::json::object& o, std::string_view key, std::string& out)
{
    auto* v = o.if_contains(key);
    if (!v || v->is_null()) return true;
    if (auto* s = v->if_string()) return out.assign(s->data(), s->size()), true;
    // The documentation gives some string fields as numbers (core, cpu): keep their text.
    if (auto* i = v->if_int64()) return out = std::to_string(*i), true;
    if (auto* u = v->if_uint64()) return out = std::to_string(*u), true;
    if (v->is_double()) return out = boost::json::serialize(*v), true;
    return false;
}

// Strictly a string (or absent/null): for the fields that say success or failure.
inline bool read_text(const boost::json::object& o, std::string_view key, std::string& out)
{
    auto* v = o.if_contains(key);
    if (!v || v->is_null()) return true;
    if (auto* s = v->if_string()) return out.assign(s->data(), s->size()), true;
    return false;
}

inline bool read_int(const boost::json::object& o, std::string_view key, std::int64_t& out)
{
    auto* v = o.if_contains(key);
    if (!v || v->is_null()) return true;
    if (auto* i = v->if_int64()) return out = *i, true;
    if (auto* u = v->if_uint64()) return *u <= static_cast<std::uint64_t>(INT64_MAX) && (out = static_cast<std::int64_t>(*u), true);
    if (auto* s = v->if_string()) {  // the published examples give ids as "10" too
        auto [p, ec] = std::from_chars(s->data(), s->data() + s->size(), out);
        return !s->empty() && ec == std::errc{} && p == s->data() + s->size();
    }
    return false;
}

inline bool read_bool(const boost::json::object& o, std::string_view key, bool& out)
{
    auto* v = o.if_contains(key);
    if (!v) return true;
    if (auto* b = v->if_bool()) return out = *b, true;
    return false;
}

} // namespace modelarts::detail

#endif
