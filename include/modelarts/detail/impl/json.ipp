/**
 * @file detail/impl/json.ipp
 * The definitions of detail/json.hpp: inline in every unit by default, or compiled
 * once with MODELARTS_SEPARATE_COMPILATION (see detail/config.hpp).
 */
#ifndef MODELARTS_DETAIL_IMPL_JSON_IPP
#define MODELARTS_DETAIL_IMPL_JSON_IPP

#include <charconv>

namespace modelarts::detail {

MODELARTS_DECL result<boost::json::value> parse_json(std::string_view body, unsigned max_depth,
                                                     boost::json::storage_ptr storage)
{
    boost::json::parse_options opt;
    opt.max_depth = max_depth;
    boost::system::error_code ec;
    auto v = boost::json::parse(boost::json::string_view(body.data(), body.size()), ec, std::move(storage), opt);
    if (ec == boost::json::error::too_deep) return error::nesting_too_deep;
    if (ec) return error::malformed_body;
    return v;
}

MODELARTS_DECL bool read_string(const boost::json::object& o, std::string_view key, std::string& out)
{
    auto* v = o.if_contains(key);
    if (!v || v->is_null()) return true;
    // The documentation gives some string fields as numbers (core, cpu): their text is kept.
    if (auto* s = v->if_string()) {
        out.assign(s->data(), s->size());
    } else if (auto* i = v->if_int64()) {
        out = std::to_string(*i);
    } else if (auto* u = v->if_uint64()) {
        out = std::to_string(*u);
    } else if (v->is_double()) {
        out = boost::json::serialize(*v);
    } else {
        return false;
    }
    return true;
}

MODELARTS_DECL bool read_text(const boost::json::object& o, std::string_view key, std::string& out)
{
    auto* v = o.if_contains(key);
    if (!v || v->is_null()) return true;
    auto* s = v->if_string();
    if (!s) return false;
    out.assign(s->data(), s->size());
    return true;
}

MODELARTS_DECL bool read_int(const boost::json::object& o, std::string_view key, std::int64_t& out)
{
    auto* v = o.if_contains(key);
    if (!v || v->is_null()) return true;
    if (auto* i = v->if_int64()) {
        out = *i;
        return true;
    }
    if (auto* u = v->if_uint64()) {
        if (*u > static_cast<std::uint64_t>(INT64_MAX)) return false;
        out = static_cast<std::int64_t>(*u);
        return true;
    }
    if (auto* s = v->if_string()) {  // the published examples give ids as "10" too
        std::int64_t n = 0;
        auto [p, ec] = std::from_chars(s->data(), s->data() + s->size(), n);
        if (s->empty() || ec != std::errc{} || p != s->data() + s->size()) return false;
        out = n;
        return true;
    }
    return false;
}

MODELARTS_DECL bool read_bool(const boost::json::object& o, std::string_view key, bool& out)
{
    auto* v = o.if_contains(key);
    if (!v) return true;
    auto* b = v->if_bool();
    if (!b) return false;
    out = *b;
    return true;
}

} // namespace modelarts::detail

#endif
