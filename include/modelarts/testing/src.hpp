/**
 * @file testing/src.hpp
 * The emulator (modelarts::testing) compiled once, as "modelarts/src.hpp" compiles the library:
 * with `MODELARTS_SEPARATE_COMPILATION` defined in every unit, include this in exactly one of
 * them, beside the one that includes "modelarts/src.hpp".
 *
 * @code
 * // emulator.cpp, built with -DMODELARTS_SEPARATE_COMPILATION like every other unit
 * #include "modelarts/testing/src.hpp"
 * @endcode
 */
#ifndef MODELARTS_TESTING_SRC_HPP
#define MODELARTS_TESTING_SRC_HPP

#if !defined(MODELARTS_SEPARATE_COMPILATION)
#error "modelarts/testing/src.hpp compiles the emulator once: define MODELARTS_SEPARATE_COMPILATION in every unit, this one too"
#endif
#if defined(MODELARTS_TESTING_EMULATOR_HPP)
#error "modelarts/testing/src.hpp must come before modelarts/testing/emulator.hpp in its unit"
#endif

#define MODELARTS_EMULATOR_SOURCE
#include "modelarts/testing/emulator.hpp"

#endif
