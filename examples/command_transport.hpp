// The command's transport, in a unit of its own so that it compiles beside the command's main
// unit rather than after it: libcurl to the endpoint, or, when no endpoint or region is given, an
// emulator in this process.
#ifndef MODELARTS_EXAMPLES_COMMAND_TRANSPORT_HPP
#define MODELARTS_EXAMPLES_COMMAND_TRANSPORT_HPP

#include "modelarts/any_transport.hpp"
#include "modelarts/session.hpp"

#include <memory>

namespace modelarts::testing {
class emulator;
}

namespace command {

/**
 * An emulator that accepts whatever credentials `options` holds; `options` is pointed at it
 * (endpoint, project, IAM endpoint).
 * @param options the session's settings, read from the environment and the arguments
 * @return the emulator, for an in-process transport to call
 */
std::unique_ptr<modelarts::testing::emulator> make_emulator(modelarts::session_options& options);

/**
 * The transport for a session with `options`. With an endpoint: libcurl. Without one: the
 * emulator of `make_emulator(options)`, called in-process.
 * @param options the session's settings, read from the environment and the arguments
 * @return the transport; the emulator, when there is one, lives in it
 */
modelarts::any_transport make_transport(modelarts::session_options& options);

} // namespace command

#endif
