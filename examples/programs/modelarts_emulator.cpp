// modelarts-emulator: the ModelArts emulator over HTTP on loopback, for testing your own code,
// in any language: signed calls, IAM logins, and your retries against injected faults.
//
// Prints "listening on URL" on stdout once ready; stops cleanly on SIGINT or SIGTERM.
#include "modelarts/testing/server.hpp"

#include <boost/asio/signal_set.hpp>

#include <charconv>
#include <csignal>
#include <cstring>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace testing = modelarts::testing;

int usage(std::ostream& os, int status)
{
    os << "usage: modelarts-emulator [options]\n"
          "  --port N                      port to listen on (0, the default, picks a free one)\n"
          "  --address A                   address to listen on (default 127.0.0.1)\n"
          "  --project-id P                the project the emulated account owns\n"
          "  --token T                     an X-Auth-Token to accept\n"
          "  --access-key AK:SK[:TOKEN]    an access key whose signatures to accept (repeatable)\n"
          "  --user NAME:PASSWORD[:ACCOUNT]  a user IAM's token call accepts (repeatable)\n"
          "  --job ID                      seed a v1 job (repeatable); --v2-job UUID seeds a v2 job\n"
          "  --v1-error-field error_message|error_msg\n"
          "  --tls-cert PEM --tls-key PEM  serve HTTPS\n"
          "  --metadata-credentials SECONDS\n"
          "                                serve the instance metadata service's temporary keys on a port of\n"
          "                                its own (printed), each answer a fresh key valid SECONDS, accepted\n"
          "                                until it expires\n"
          "  --metadata-port N             that port (default 0: a free one)\n"
          "Faults (deterministic: by request number, counting from 1):\n"
          "  --fault-at N:KIND[,N:KIND...] these requests fail so\n"
          "  --fault-rate R                this share (0 to 1) of the others fails...\n"
          "  --fault-seed S                ...drawn from this seed (default 0)...\n"
          "  --faults KIND[,KIND...]       ...with these kinds (default: all)\n"
          "  --fault-delay-ms MS           how late a delay answer comes (default 200)\n"
          "  --retry-after S               what throttled-retry-after asks for (default 1)\n"
          "  KIND: reset, bad-gateway, service-unavailable, throttled, throttled-retry-after, delay, truncated-body\n"
          "With no option: no credentials required, v1 job 182626 (versions V0001, V0002) and v2 job\n"
          "3faf5c03-aaa1-4cbe-879d-24b05d997347.\n";
    return status;
}

std::optional<testing::fault> parse_fault(std::string_view name)
{
    static const std::map<std::string_view, testing::fault> names = {
        {"reset", testing::fault::reset},
        {"bad-gateway", testing::fault::bad_gateway},
        {"service-unavailable", testing::fault::service_unavailable},
        {"throttled", testing::fault::throttled},
        {"throttled-retry-after", testing::fault::throttled_retry_after},
        {"delay", testing::fault::delay},
        {"truncated-body", testing::fault::truncated_body},
    };
    auto it = names.find(name);
    if (it == names.end()) return std::nullopt;
    return it->second;
}

// "a:b:c" split on ':' into at most `n` parts, the last keeping any further ':'.
std::vector<std::string> split(std::string_view text, char sep, std::size_t n)
{
    std::vector<std::string> out;
    while (out.size() + 1 < n) {
        auto at = text.find(sep);
        if (at == std::string_view::npos) break;
        out.emplace_back(text.substr(0, at));
        text.remove_prefix(at + 1);
    }
    out.emplace_back(text);
    return out;
}

template <class T>
bool parse_number(std::string_view text, T& out)
{
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc{} && p == text.data() + text.size();
}

} // namespace

int main(int argc, char** argv)
{
    modelarts::testing::emulator_server::options opts;
    opts.emulator.keep_requests = false;  // a long-running server keeps no log
    std::vector<std::int64_t> v1_jobs;
    std::vector<std::string> v2_jobs;
    auto& faults = opts.emulator.faults;
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (arg == "--help" || arg == "-h") return usage(std::cout, 0);
        if (i + 1 >= argc) return usage(std::cerr, 2);
        std::string_view value = argv[++i];
        bool ok = true;
        if (arg == "--port") {
            ok = parse_number(value, opts.port);
        } else if (arg == "--address") {
            opts.address = value;
        } else if (arg == "--project-id") {
            opts.emulator.project_id = value;
        } else if (arg == "--token") {
            opts.emulator.token = value;
        } else if (arg == "--access-key") {
            auto parts = split(value, ':', 3);
            ok = parts.size() >= 2 && !parts[0].empty() && !parts[1].empty();
            if (ok) opts.emulator.access_keys[parts[0]] = {parts[1], parts.size() == 3 ? parts[2] : ""};
        } else if (arg == "--user") {
            auto parts = split(value, ':', 3);
            ok = parts.size() >= 2 && !parts[0].empty() && !parts[1].empty();
            if (ok) opts.emulator.users.push_back({parts[0], parts[1], parts.size() == 3 ? parts[2] : ""});
        } else if (arg == "--job") {
            std::int64_t id = 0;
            ok = modelarts::is_v1_job_id(value) && parse_number(value, id);
            if (ok) v1_jobs.push_back(id);
        } else if (arg == "--v2-job") {
            ok = modelarts::is_v2_job_id(value);
            if (ok) v2_jobs.emplace_back(value);
        } else if (arg == "--v1-error-field" && (value == "error_message" || value == "error_msg")) {
            opts.emulator.v1_error_message_field = value;
        } else if (arg == "--metadata-credentials") {
            unsigned seconds = 0;
            ok = parse_number(value, seconds) && seconds > 0;
            opts.emulator.metadata_credentials = std::chrono::seconds(seconds);
            if (!opts.metadata_port) opts.metadata_port = 0;
        } else if (arg == "--metadata-port") {
            unsigned port = 0;
            ok = parse_number(value, port) && port <= 65535;
            opts.metadata_port = static_cast<unsigned short>(port);
        } else if (arg == "--tls-cert") {
            opts.tls_certificate_chain = value;
        } else if (arg == "--tls-key") {
            opts.tls_private_key = value;
        } else if (arg == "--fault-at") {
            for (const auto& item : split(value, ',', 1u << 20)) {
                auto parts = split(item, ':', 2);
                std::uint64_t n = 0;
                auto kind = parts.size() == 2 ? parse_fault(parts[1]) : std::nullopt;
                ok = ok && kind && parse_number(parts[0], n) && n > 0;
                if (ok) faults.at[n] = *kind;
            }
        } else if (arg == "--fault-rate") {
            ok = parse_number(value, faults.rate) && faults.rate >= 0.0 && faults.rate <= 1.0;
        } else if (arg == "--fault-seed") {
            ok = parse_number(value, faults.seed);
        } else if (arg == "--faults") {
            faults.kinds.clear();
            for (const auto& item : split(value, ',', 1u << 20)) {
                auto kind = parse_fault(item);
                ok = ok && kind;
                if (ok) faults.kinds.push_back(*kind);
            }
        } else if (arg == "--fault-delay-ms") {
            unsigned ms = 0;
            ok = parse_number(value, ms);
            faults.delay = std::chrono::milliseconds(ms);
        } else if (arg == "--retry-after") {
            unsigned s = 0;
            ok = parse_number(value, s);
            faults.retry_after = std::chrono::seconds(s);
        } else {
            ok = false;
        }
        if (!ok) {
            std::cerr << "modelarts-emulator: bad " << arg << " value\n";
            return usage(std::cerr, 2);
        }
    }
    try {
        modelarts::testing::emulator_server server(opts);
        server.with_emulator([&](testing::emulator& em) {
            for (auto id : v1_jobs) em.add_v1_job(id, "job-" + std::to_string(id), "", {{1, "V0001"}});
            for (const auto& id : v2_jobs) em.add_v2_job(id, "");
        });
        boost::asio::signal_set signals(server.io_context(), SIGINT, SIGTERM);
        signals.async_wait([&](const boost::system::error_code&, int) { server.stop(); });
        const bool open = opts.emulator.token.empty() && opts.emulator.access_keys.empty() && opts.emulator.users.empty();
        if (opts.emulator.metadata_credentials)
            std::cout << "modelarts-emulator: metadata service on " << server.metadata_endpoint() << " (keys valid "
                      << opts.emulator.metadata_credentials->count() << " s)" << std::endl;
        std::cout << "modelarts-emulator: listening on " << server.endpoint() << " (project "
                  << opts.emulator.project_id << (open ? ", no credentials required" : ", credentials required")
                  << (faults.rate > 0 || !faults.at.empty() ? ", faults injected" : "") << ")" << std::endl;
        server.run();
        std::cout << "modelarts-emulator: stopped" << std::endl;
    } catch (const std::exception& e) {  // cannot bind, unreadable certificate
        std::cerr << "modelarts-emulator: " << e.what() << '\n';
        return 1;
    }
}
