/**
 * @file src.hpp
 * The library's core compiled once: with `MODELARTS_SEPARATE_COMPILATION` defined in every unit,
 * include this in exactly one of them (as Boost.JSON's `src.hpp`). The other units then only read
 * declarations, which is most of what including the library costs them.
 *
 * @code
 * // modelarts.cpp, built with -DMODELARTS_SEPARATE_COMPILATION like every other unit
 * #include "modelarts/src.hpp"
 * @endcode
 *
 * The library only: the emulator (modelarts::testing) has its own, "modelarts/testing/src.hpp".
 * The optional transports and the emulator's server are compiled once the same way, each in a
 * unit that defines `MODELARTS_SOURCE` and includes its header (see detail/config.hpp).
 */
#ifndef MODELARTS_SRC_HPP
#define MODELARTS_SRC_HPP

#if !defined(MODELARTS_SEPARATE_COMPILATION)
#error "modelarts/src.hpp compiles the core once: define MODELARTS_SEPARATE_COMPILATION in every unit, this one too"
#endif
#if defined(MODELARTS_DETAIL_CONFIG_HPP)
#error "modelarts/src.hpp must come before any other modelarts header in its unit"
#endif

#define MODELARTS_CORE_SOURCE
#include "modelarts/modelarts.hpp"

#endif
