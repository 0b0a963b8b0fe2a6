// The batch's transport, in a unit of its own: Beast to the endpoint (its exchange compiled once,
// in beast_transport.cpp, as the costliest code of the command), or, with no endpoint, the
// in-process emulator behind the same async interface.
#ifndef MODELARTS_EXAMPLES_COMMAND_ASYNC_TRANSPORT_HPP
#define MODELARTS_EXAMPLES_COMMAND_ASYNC_TRANSPORT_HPP

#include "modelarts/asio.hpp"
#include "modelarts/session.hpp"

#include <boost/asio/io_context.hpp>

namespace command {

/**
 * The async transport for a session with `options`: Beast with an endpoint; without one, the
 * emulator of `make_emulator(options)` (command_transport.hpp), answering through `ioc`.
 * @param ioc where every exchange and handler runs
 * @param options the session's settings; pointed at the emulator when there is one
 * @return the transport
 */
modelarts::any_async_transport make_async_transport(boost::asio::io_context& ioc, modelarts::session_options& options);

} // namespace command

#endif
