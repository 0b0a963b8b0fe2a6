// The Beast transport, compiled once. transports/beast.hpp's exchange instantiates much of Asio,
// Beast and OpenSSL's stream; a program whose units include it with MODELARTS_SEPARATE_COMPILATION
// links this one unit instead (see meson.build).
#define MODELARTS_SOURCE
#include "modelarts/transports/beast.hpp"
