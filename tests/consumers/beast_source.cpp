// The installed library's core and Beast transport, compiled once (see beast_call.cpp).
#include <modelarts/src.hpp>
#define MODELARTS_SOURCE
#include <modelarts/transports/beast.hpp>
