// The command's batch mode (--from FILE): JSON Lines in, one JSON line out per input line, in
// input order, with many updates in flight on one thread (Beast and the async API). It is the
// command's other unit: the Asio side of the command compiles here, beside the main unit.
#ifndef MODELARTS_EXAMPLES_COMMAND_BATCH_HPP
#define MODELARTS_EXAMPLES_COMMAND_BATCH_HPP

#include "modelarts/session.hpp"

#include <string>
#include <string_view>

namespace modelarts::testing {
class emulator;
}

namespace command {

/** The command's name, which starts each of its messages on stderr. */
inline constexpr std::string_view program = "modelarts-update-job-description";

/** How a batch runs; the session's settings (retries, deadline, observer) come separately. */
struct batch_arguments {
    std::string from;             ///< a path, or "-" for stdin
    unsigned concurrency = 8;     ///< updates in flight, 1 to 256
    bool via_job = false;         ///< update through training_job rather than estimator
    bool progress = true;         ///< keep a progress line on stderr when it is a terminal
};

/** The most updates a batch keeps in flight. */
inline constexpr unsigned max_concurrency = 256;

/**
 * Runs a batch to its end, writing one line per input line on stdout.
 * @param options the session's settings, as for a single update
 * @param args where the lines come from and how many run at once
 * @param emulator the service in this process, which `options` points at, answering through the
 *        batch's event loop; null: Beast to `options.endpoint`
 * @return the exit status: 0 every update succeeded; 1 the service refused one or more; 2 a line
 *         was bad, a transport failure or bad answer remained after retries, or the input could
 *         not be read (a message on stderr)
 */
int run_batch(modelarts::session_options options, const batch_arguments& args, modelarts::testing::emulator* emulator);

} // namespace command

#endif
