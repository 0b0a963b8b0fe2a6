#ifndef MODELARTS_DETAIL_UTF8_HPP
#define MODELARTS_DETAIL_UTF8_HPP

#include "modelarts/detail/config.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace modelarts::detail {

// The length of the well-formed UTF-8 sequence at `p` (RFC 3629, Unicode table 3-7: no overlong
// forms, no encoded surrogates, nothing above U+10FFFF, nothing truncated), or 0 when there is none.
MODELARTS_DECL std::size_t utf8_sequence_length(const unsigned char* p, const unsigned char* end) noexcept;

/**
 * Counts the code points of well-formed UTF-8.
 * @return the count, or nothing when `s` is not well-formed
 */
[[nodiscard]] MODELARTS_DECL std::optional<std::size_t> utf8_length(std::string_view s) noexcept;

/**
 * `s` with each byte that starts no well-formed sequence replaced by U+FFFD (one per byte):
 * well-formed UTF-8 always, and `s` itself when it already was.
 */
[[nodiscard]] MODELARTS_DECL std::string utf8_replace_invalid(std::string_view s);

} // namespace modelarts::detail

#if !defined(MODELARTS_SEPARATE_COMPILATION) || defined(MODELARTS_CORE_SOURCE)
#include "modelarts/detail/impl/utf8.ipp"
#endif

#endif
