// The emulator's HTTP server, compiled once. testing/server.hpp's coroutines instantiate much of
// Asio and Beast; a program or test suite with many units that include it builds them all with
// MODELARTS_SEPARATE_COMPILATION and links this one unit (see examples/meson.build).
#define MODELARTS_SOURCE
#include "modelarts/testing/server.hpp"
