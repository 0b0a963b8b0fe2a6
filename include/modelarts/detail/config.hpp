/**
 * @file detail/config.hpp
 * How the parts of the library that may be compiled once are declared. Header-only by default:
 * their definitions are `inline` in every unit. With `MODELARTS_SEPARATE_COMPILATION` defined in
 * every unit, each unit reads declarations only, and the definitions are compiled once:
 * - the core's (the `.ipp` files under `impl/`) in the one unit that includes `modelarts/src.hpp`;
 * - an optional transport's or the emulator server's in the one unit that defines
 *   `MODELARTS_SOURCE` before including its header,
 * as Boost.JSON's `src.hpp` and Beast's `BOOST_BEAST_SEPARATE_COMPILATION` do.
 */
#ifndef MODELARTS_DETAIL_CONFIG_HPP
#define MODELARTS_DETAIL_CONFIG_HPP

#if defined(MODELARTS_SOURCE) && !defined(MODELARTS_SEPARATE_COMPILATION)
#error "MODELARTS_SOURCE compiles the definitions once: define MODELARTS_SEPARATE_COMPILATION in every unit, this one too"
#endif

#if defined(MODELARTS_SEPARATE_COMPILATION)
#define MODELARTS_DECL
#else
#define MODELARTS_DECL inline
#endif

#endif
