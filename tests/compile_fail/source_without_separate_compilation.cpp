// Must not compile: MODELARTS_SOURCE without MODELARTS_SEPARATE_COMPILATION would define the
// server's functions inline, so the unit meant to hold them would export nothing to link against.
#define MODELARTS_SOURCE
#include "modelarts/testing/server.hpp"
