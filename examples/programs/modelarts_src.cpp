// The library's core, compiled once. A program whose units all define
// MODELARTS_SEPARATE_COMPILATION links this unit instead of compiling the core's function bodies
// in each of them (see meson.build and modelarts/src.hpp).
#include "modelarts/src.hpp"
