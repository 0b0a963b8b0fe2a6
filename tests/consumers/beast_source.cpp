// The installed Beast transport's exchange, compiled once (see beast_call.cpp).
#define MODELARTS_SOURCE
#include <modelarts/transports/beast.hpp>
