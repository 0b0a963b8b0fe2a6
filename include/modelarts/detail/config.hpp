/**
 * @file detail/config.hpp
 * How the parts of the library that may be compiled once are declared. Header-only by default:
 * their definitions are `inline` in every unit. With `MODELARTS_SEPARATE_COMPILATION` defined in
 * every unit, they are compiled only in the one unit that also defines `MODELARTS_SOURCE` before
 * including them, which saves the others compiling heavy Asio and Beast code again (as Beast's
 * `BOOST_BEAST_SEPARATE_COMPILATION` does).
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
