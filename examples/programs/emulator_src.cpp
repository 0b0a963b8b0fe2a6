// The emulator (modelarts::testing), compiled once, beside the library's own unit
// (modelarts_src.cpp): the programs and tests that use it link this unit (see meson.build).
#include "modelarts/testing/src.hpp"
