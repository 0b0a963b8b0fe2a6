// modelarts-emulator: the ModelArts emulator over HTTP on loopback, for testing your own code.
//
//   modelarts-emulator [--port N] [--address A] [--project-id P] [--token T]
//                      [--v1-error-field error_message|error_msg] [--tls-cert PEM --tls-key PEM]
//
// Prints "listening on URL" on stdout once ready; stops cleanly on SIGINT or SIGTERM.
#include "emulator_server.hpp"

#include <boost/asio/signal_set.hpp>

#include <charconv>
#include <csignal>
#include <cstring>
#include <iostream>
#include <string_view>

namespace {

int usage(std::ostream& os, int status)
{
    os << "usage: modelarts-emulator [--port N] [--address A] [--project-id P] [--token T]\n"
          "                          [--v1-error-field error_message|error_msg] [--tls-cert PEM --tls-key PEM]\n"
          "Serves the ModelArts emulator: v1 job 182626 (versions V0001, V0002) and v2 job\n"
          "3faf5c03-aaa1-4cbe-879d-24b05d997347. --port 0 (the default) picks a free port.\n";
    return status;
}

} // namespace

int main(int argc, char** argv)
{
    modelarts::examples::emulator_server::options opts;
    opts.emulator.keep_requests = false;  // a long-running server keeps no log
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (arg == "--help" || arg == "-h") return usage(std::cout, 0);
        if (i + 1 >= argc) return usage(std::cerr, 2);
        std::string_view value = argv[++i];
        if (arg == "--port") {
            auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), opts.port);
            if (ec != std::errc{} || p != value.data() + value.size()) return usage(std::cerr, 2);
        } else if (arg == "--address") {
            opts.address = value;
        } else if (arg == "--project-id") {
            opts.emulator.project_id = value;
        } else if (arg == "--token") {
            opts.emulator.token = value;
        } else if (arg == "--v1-error-field" && (value == "error_message" || value == "error_msg")) {
            opts.emulator.v1_error_message_field = value;
        } else if (arg == "--tls-cert") {
            opts.tls_certificate_chain = value;
        } else if (arg == "--tls-key") {
            opts.tls_private_key = value;
        } else {
            return usage(std::cerr, 2);
        }
    }
    try {
        modelarts::examples::emulator_server server(opts);
        boost::asio::signal_set signals(server.io_context(), SIGINT, SIGTERM);
        signals.async_wait([&](const boost::system::error_code&, int) { server.stop(); });
        std::cout << "modelarts-emulator: listening on " << server.endpoint() << " (project "
                  << opts.emulator.project_id << (opts.emulator.token.empty() ? ", no token required" : ", token required")
                  << ")" << std::endl;
        server.run();
        std::cout << "modelarts-emulator: stopped" << std::endl;
    } catch (const std::exception& e) {  // cannot bind, unreadable certificate
        std::cerr << "modelarts-emulator: " << e.what() << '\n';
        return 1;
    }
}
