#ifndef MODELARTS_DETAIL_JSON_HPP
#define MODELARTS_DETAIL_JSON_HPP

#include "modelarts/detail/config.hpp"
#include "modelarts/error.hpp"

#include <boost/json/error.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/storage_ptr.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace modelarts::detail {

/**
 * Parses a response body into `storage` (default: the heap); maps Boost.JSON's errors onto the
 * library's.
 */
[[nodiscard]] MODELARTS_DECL result<boost::json::value> parse_json(std::string_view body, unsigned max_depth,
                                                                   boost::json::storage_ptr storage = {});

// Field readers: true when the field is absent, null or of an accepted type (then `out` is set);
// false when it has a type the API does not document.

MODELARTS_DECL bool read_string(const boost::json::object& o, std::string_view key, std::string& out);

// Strictly a string (or absent/null): for the fields that say success or failure.
MODELARTS_DECL bool read_text(const boost::json::object& o, std::string_view key, std::string& out);

MODELARTS_DECL bool read_int(const boost::json::object& o, std::string_view key, std::int64_t& out);

MODELARTS_DECL bool read_bool(const boost::json::object& o, std::string_view key, bool& out);

} // namespace modelarts::detail

#if !defined(MODELARTS_SEPARATE_COMPILATION) || defined(MODELARTS_CORE_SOURCE)
#include "modelarts/detail/impl/json.ipp"
#endif

#endif
