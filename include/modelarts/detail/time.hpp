/**
 * @file detail/time.hpp
 * Reading and writing the time formats the protocol uses: `X-Sdk-Date`, IAM's ISO 8601 and
 * HTTP's IMF-fixdate (`Retry-After`). Every field is range-checked before any arithmetic, so no
 * input can overflow a `std::chrono` conversion.
 */
#ifndef MODELARTS_DETAIL_TIME_HPP
#define MODELARTS_DETAIL_TIME_HPP

#include "modelarts/detail/config.hpp"

#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace modelarts::detail {

// Reads exactly `n` decimal digits at `at` (no sign, no space).
MODELARTS_DECL bool read_digits(std::string_view text, std::size_t at, std::size_t n, int& out) noexcept;

// Seconds to the clock's own resolution, clamped: system_clock counts nanoseconds in 64 bits,
// which ends in 2262, so a later time (a token "valid until 4052") saturates instead of wrapping.
MODELARTS_DECL std::chrono::system_clock::time_point to_system_time(std::chrono::sys_seconds t) noexcept;

// A UTC civil time, when every field is in range: years 1970 to 9999 (a leap second reads as
// the next second).
[[nodiscard]] MODELARTS_DECL std::optional<std::chrono::system_clock::time_point> civil_time(int y, int mo, int d, int h, int mi, int s) noexcept;

// `YYYYMMDDTHHMMSSZ` (X-Sdk-Date).
// Writes `t` as YYYYMMDDTHHMMSSZ into `buf`: 16 bytes, no allocation.
MODELARTS_DECL void write_compact_utc(char (&buf)[16], std::chrono::system_clock::time_point t) noexcept;

MODELARTS_DECL std::string format_compact_utc(std::chrono::system_clock::time_point t);

[[nodiscard]] MODELARTS_DECL std::optional<std::chrono::system_clock::time_point> parse_compact_utc(std::string_view text) noexcept;

// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+00:00)`, as IAM writes `expires_at`.
[[nodiscard]] MODELARTS_DECL std::optional<std::chrono::system_clock::time_point> parse_iso8601_utc(std::string_view text) noexcept;

// `YYYY-MM-DDTHH:MM:SS.000000Z`, as IAM writes times.
MODELARTS_DECL std::string format_iso8601_utc(std::chrono::system_clock::time_point t);

// RFC 9110's IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`: the form every sender must use.
[[nodiscard]] MODELARTS_DECL std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text) noexcept;

// `t` as an IMF-fixdate, to the second (a `Date` header's value).
MODELARTS_DECL std::string format_http_date(std::chrono::system_clock::time_point t);

} // namespace modelarts::detail

#if !defined(MODELARTS_SEPARATE_COMPILATION) || defined(MODELARTS_CORE_SOURCE)
#include "modelarts/detail/impl/time.ipp"
#endif

#endif
