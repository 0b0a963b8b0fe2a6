#include "command_transport.hpp"

#include "modelarts/testing/emulator.hpp"
#include "modelarts/transports/curl.hpp"

#include <memory>
#include <variant>

namespace command {
namespace {

// An in_process_transport that owns its emulator, so the session can hold it alone.
struct owning_emulator_transport {
    std::unique_ptr<modelarts::testing::emulator> emulator;

    modelarts::result<modelarts::http_response> send(const modelarts::http_request& req, std::chrono::milliseconds timeout)
    {
        return modelarts::testing::in_process_transport{*emulator}.send(req, timeout);
    }
    modelarts::result<modelarts::http_response> send(const modelarts::http_request& req)
    {
        return modelarts::testing::in_process_transport{*emulator}.send(req);
    }
};

} // namespace

std::unique_ptr<modelarts::testing::emulator> make_emulator(modelarts::session_options& options)
{
    modelarts::testing::emulator_options opts;
    opts.keep_requests = false;  // a batch may send millions
    if (!options.project_id.empty()) opts.project_id = options.project_id;
    if (auto* t = std::get_if<modelarts::token_credentials>(&options.auth)) opts.token = t->token;
    if (auto* k = std::get_if<modelarts::aksk_credentials>(&options.auth))
        opts.access_keys[k->access_key] = {k->secret_key, k->security_token};
    if (auto* u = std::get_if<modelarts::password_credentials>(&options.auth))
        opts.users.push_back({u->username, u->password, u->account});
    auto emulator = std::make_unique<modelarts::testing::emulator>(std::move(opts));
    options.endpoint = emulator->endpoint();
    options.project_id = emulator->project_id();
    if (auto* u = std::get_if<modelarts::password_credentials>(&options.auth)) u->iam_endpoint = emulator->endpoint();
    return emulator;
}

modelarts::any_transport make_transport(modelarts::session_options& options)
{
    if (!options.endpoint.empty()) return modelarts::any_transport{modelarts::curl_transport{}};
    return modelarts::any_transport{owning_emulator_transport{make_emulator(options)}};
}

} // namespace command
