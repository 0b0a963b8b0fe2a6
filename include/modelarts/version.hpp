/**
 * @file version.hpp
 * The library's version, for `--version` lines and bug reports. meson.build's project version
 * is checked against it by a test.
 */
#ifndef MODELARTS_VERSION_HPP
#define MODELARTS_VERSION_HPP

#include <boost/config/helper_macros.hpp>

/** Major version: changes break the API. */
#define MODELARTS_VERSION_MAJOR 0
/** Minor version: changes add to the API. */
#define MODELARTS_VERSION_MINOR 1
/** Patch version: changes fix behaviour. */
#define MODELARTS_VERSION_PATCH 0
/** `MAJOR * 100000 + MINOR * 100 + PATCH`, for `#if`, as Boost's `BOOST_VERSION`. */
#define MODELARTS_VERSION (MODELARTS_VERSION_MAJOR * 100000 + MODELARTS_VERSION_MINOR * 100 + MODELARTS_VERSION_PATCH)

namespace modelarts {

/** The version as text, "MAJOR.MINOR.PATCH". */
inline constexpr const char* version_string = BOOST_STRINGIZE(MODELARTS_VERSION_MAJOR) "." BOOST_STRINGIZE(
    MODELARTS_VERSION_MINOR) "." BOOST_STRINGIZE(MODELARTS_VERSION_PATCH);

} // namespace modelarts

#endif
