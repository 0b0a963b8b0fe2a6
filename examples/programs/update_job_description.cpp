// modelarts-update-job-description: update a training job's description, as the SDK's
// Estimator(...).update_job_description(description=...) does, over real HTTP; or, with
// --from, the descriptions of many jobs, many at a time (see command_batch.hpp).
//
// Every flag, environment variable and exit status is in usage() below (--help).
#include "command_batch.hpp"

#include "modelarts/credential_provider.hpp"
#include "modelarts/modelarts.hpp"
#include "modelarts/testing/emulator.hpp"
#include "modelarts/transports/curl.hpp"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <variant>

namespace {

using command::program;

struct arguments {
    std::optional<std::string> job_id, description, endpoint, project_id, from, credentials;
    std::string metadata_endpoint = std::string(modelarts::default_metadata_endpoint);
    std::string via = "estimator";
    unsigned timeout_seconds = 60;
    unsigned max_attempts = modelarts::retry_policy{}.max_attempts;
    unsigned concurrency = command::batch_arguments{}.concurrency;
    bool quiet = false, verbose = false, emulator = false;
};

int usage(std::ostream& os, int status)
{
    os << "usage: " << program << " --job-id ID --description TEXT [options]\n"
       << "       " << program << " --from FILE|- [--concurrency N] [--quiet] [options]\n"
       << "       " << program << " --help | --version\n"
       << "\n"
       << "Updates a ModelArts training job's description; with --from, one job per line of FILE (- for stdin).\n"
       << "\n"
       << "Options:\n"
       << "  --job-id ID          the job: a decimal id (v1) or a UUID (v2)\n"
       << "  --description TEXT   the new description: UTF-8, at most 256 characters\n"
       << "  --from FILE|-        JSON Lines, one {\"job_id\": \"...\", \"description\": \"...\"} per line; prints one\n"
       << "                       JSON line per input line, in input order, with \"line\" and \"job_id\" first\n"
       << "  --concurrency N      with --from: updates in flight, 1 to " << command::max_concurrency << " (default "
       << command::batch_arguments{}.concurrency << ")\n"
       << "  --quiet              with --from: no progress line on a terminal\n"
       << "  --endpoint URL       the ModelArts endpoint, https://host[:port]\n"
       << "  --emulator           send to an emulator of the service in this process (no network), not to a\n"
       << "                       real endpoint: for trying the program out; it accepts whatever credentials\n"
       << "                       are given\n"
       << "  --project-id ID      the project to act in\n"
       << "  --credentials metadata\n"
       << "                       use the instance metadata service's temporary keys (an ECS, CCE node or\n"
       << "                       notebook with an agency), renewed before they expire, not the environment's\n"
       << "  --metadata-endpoint URL\n"
       << "                       where that service answers (default " << modelarts::default_metadata_endpoint << ")\n"
       << "  --via estimator|job|version\n"
       << "                       which SDK object makes the call (default estimator; --from: estimator or job)\n"
       << "  --timeout SECONDS    the time one update may take, retries included (default 60)\n"
       << "  --max-attempts N     tries for transient failures, 1 to 100 (default " << modelarts::retry_policy{}.max_attempts
       << "; 1 turns retrying off)\n"
       << "  --verbose            every attempt on stderr: method, URL, status, time, request id, headers (secrets\n"
       << "                       masked)\n"
       << "  --version            the library's version\n"
       << "  --help               this text\n"
       << "\n"
       << "Environment:\n"
       << "  MODELARTS_ENDPOINT            the endpoint, when --endpoint is not given\n"
       << "  HUAWEICLOUD_SDK_REGION        a region, e.g. cn-north-4, when no endpoint is given\n"
       << "  HUAWEICLOUD_SDK_PROJECT_ID    the project, when --project-id is not given\n"
       << "  HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK [, HUAWEICLOUD_SDK_SECURITY_TOKEN]\n"
       << "                                sign each request with an access key\n"
       << "  HUAWEICLOUD_SDK_CREDENTIALS_FILE\n"
       << "                                the profile file, else ~/.huaweicloud/credentials if it exists: its\n"
       << "                                [basic] ak, sk, security_token, project_id, iam_endpoint, read when\n"
       << "                                no HUAWEICLOUD_SDK_AK is set (a file that cannot be parsed: exit 2)\n"
       << "  MODELARTS_AUTH_TOKEN          send an IAM token as X-Auth-Token\n"
       << "  MODELARTS_USERNAME, MODELARTS_PASSWORD [, MODELARTS_ACCOUNT]\n"
       << "                                log in through IAM at HUAWEICLOUD_SDK_IAM_ENDPOINT, or the region's\n"
       << "  HUAWEICLOUD_SDK_IAM_ENDPOINT  the IAM endpoint for a password login\n"
       << "Credentials: the first found of HUAWEICLOUD_SDK_AK/SK, the profile file, MODELARTS_AUTH_TOKEN,\n"
       << "MODELARTS_USERNAME/PASSWORD; none: requests go without. --verbose says which was used.\n"
       << "With no endpoint and no region, and no --emulator, nothing is sent: exit status 2.\n"
       << "\n"
       << "Exit status:\n"
       << "  0  every update succeeded\n"
       << "  1  the service (or its gateway) refused one or more updates; its verdict is on stdout\n"
       << "  2  bad arguments, input refused before sending (with --from: a bad line), a transport failure\n"
       << "     or an answer that is not the API's remained after retries, or FILE could not be read\n";
    return status;
}

// With --emulator: the service, in this process, accepting whatever credentials
// `options` holds; `options` is pointed at it (endpoint, project, IAM endpoint).
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
    const bool metadata = std::holds_alternative<modelarts::credential_provider>(options.auth);
    if (metadata) opts.metadata_credentials = std::chrono::hours(1);  // --credentials metadata: it serves the keys too
    auto emulator = std::make_unique<modelarts::testing::emulator>(std::move(opts));
    options.endpoint = emulator->endpoint();
    options.project_id = emulator->project_id();
    if (auto* u = std::get_if<modelarts::password_credentials>(&options.auth)) u->iam_endpoint = emulator->endpoint();
    if (metadata) options.auth = modelarts::make_metadata_provider(emulator->endpoint());
    return emulator;
}

int fail(std::string_view what)
{
    std::cerr << program << ": " << what << '\n';
    return 2;
}

// Prints the verdict, with the answer's request id, and turns it into the exit status.
int report(const modelarts::result<modelarts::update_result>& r, const modelarts::diagnostics& diag)
{
    if (!r) return fail(r.error().message());
    std::cout << modelarts::to_json(*r, diag.request_id) << std::endl;
    return r->is_success ? 0 : 1;
}

// Both hooks below word an attempt the same way: its outcome ("HTTP 503" or the transport's
// error) and, when another attempt follows, "retrying in 0.25 s".
std::string outcome_of(const modelarts::attempt_report& a)
{
    return a.outcome ? "HTTP " + std::to_string(a.outcome->status) : a.outcome.error().message();
}

std::string retry_note(const modelarts::attempt_report& a)
{
    char note[48];
    std::snprintf(note, sizeof note, "retrying in %.2f s", std::chrono::duration<double>(*a.retry_in).count());
    return note;
}

// One line on stderr per retry: which attempt failed, why, and how long until the next. The
// request is not printed, so no secret can reach the line.
void announce_retry(const modelarts::attempt_report& a)
{
    if (a.retry_in) std::cerr << program << ": attempt " << a.number << " failed (" << outcome_of(a) << "); " << retry_note(a) << '\n';
}

// --verbose: every attempt, its request's headers below it. Secret header values are masked and
// no body is printed (IAM's holds the password), so no secret can reach stderr.
void print_attempt(const modelarts::attempt_report& a)
{
    std::ostringstream text;
    char took[32];
    std::snprintf(took, sizeof took, "%.2f", std::chrono::duration<double, std::milli>(a.duration).count());
    text << program << ": attempt " << a.number << ": " << modelarts::to_string(a.request.method) << ' ' << a.request.url() << " -> "
         << outcome_of(a) << " in " << took << " ms";
    if (a.outcome)
        if (auto id = a.outcome->headers.find("X-Request-Id")) text << ", request id " << *id;
    if (a.retry_in) text << "; " << retry_note(a);
    text << '\n';
    for (const auto field : a.request.headers)
        text << "    " << field.name << ": " << (modelarts::is_secret_header(field.name) ? std::string_view("***") : field.value) << '\n';
    std::cerr << text.str();  // one write, so concurrent attempts' blocks do not interleave
}

int update(const modelarts::session<modelarts::any_transport>& session, const arguments& args)
{
    modelarts::estimator estimator{session, *args.job_id};
    modelarts::diagnostics diag;
    if (args.via == "estimator") return report(estimator.update_job_description(*args.description, &diag), diag);
    if (args.via == "job")
        return report(modelarts::training_job{session, *args.job_id}.update_job_description(*args.description, &diag), diag);

    auto versions = estimator.get_job_version_object_list();
    if (!versions) return fail(versions.error().message());
    if (!versions->is_success) {
        std::cout << static_cast<const modelarts::service_status&>(*versions) << std::endl;
        return 1;
    }
    if (versions->empty()) return fail("the job has no versions to update through (--via version)");
    return report((*versions)[0].update_job_description(*args.description, &diag), diag);
}

// The value of a whole-number flag within [low, high], or nothing.
std::optional<unsigned> whole_number(const std::string& value, unsigned low, unsigned high)
{
    unsigned n = 0;
    auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc{} || p != value.data() + value.size() || n < low || n > high) return std::nullopt;
    return n;
}

} // namespace

int main(int argc, char** argv)
{
    arguments args;
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (arg == "--help" || arg == "-h") return usage(std::cout, 0);
        if (arg == "--version") {
            std::cout << program << ' ' << modelarts::version_string << '\n';
            return 0;
        }
        if (arg == "--quiet") {
            args.quiet = true;
            continue;
        }
        if (arg == "--verbose") {
            args.verbose = true;
            continue;
        }
        if (arg == "--emulator") {
            args.emulator = true;
            continue;
        }
        if (i + 1 >= argc) return usage(std::cerr, 2);
        std::string value = argv[++i];
        if (arg == "--job-id") args.job_id = value;
        else if (arg == "--description") args.description = value;
        else if (arg == "--from") args.from = value;
        else if (arg == "--endpoint") args.endpoint = value;
        else if (arg == "--project-id") args.project_id = value;
        else if (arg == "--credentials" && value == "metadata") args.credentials = value;
        else if (arg == "--metadata-endpoint") args.metadata_endpoint = value;
        else if (arg == "--via" && (value == "estimator" || value == "job" || value == "version")) args.via = value;
        else if (arg == "--timeout") {
            auto n = whole_number(value, 1, 24 * 3600);
            if (!n) return fail("--timeout: must be a whole number of seconds, 1 to 86400");
            args.timeout_seconds = *n;
        } else if (arg == "--max-attempts") {
            auto n = whole_number(value, 1, 100);
            if (!n) return fail("--max-attempts: must be a whole number from 1 to 100");
            args.max_attempts = *n;
        } else if (arg == "--concurrency") {
            auto n = whole_number(value, 1, command::max_concurrency);
            if (!n) return fail("--concurrency: must be a whole number from 1 to " + std::to_string(command::max_concurrency));
            args.concurrency = *n;
        } else
            return usage(std::cerr, 2);
    }
    if (args.from) {
        if (args.job_id || args.description) return fail("--from: give the jobs in FILE, not --job-id or --description");
        if (args.via == "version") return fail("--from: --via version is not supported; use estimator or job");
    } else if (!args.job_id || !args.description) {
        return usage(std::cerr, 2);
    }

    modelarts::environment_report found;
    auto options = modelarts::session_options_from_environment(&found);
    if (!options) return fail(found.problem.empty() ? options.error().message() : options.error().message() + ": " + found.problem);
    if (args.credentials) {  // named outright: the chain is not consulted
        options->auth = modelarts::make_metadata_provider(args.metadata_endpoint);
        found.source = "the metadata service at " + args.metadata_endpoint;
    }
    if (args.verbose) std::cerr << program << ": credentials: " << (found.source.empty() ? "none" : found.source) << '\n';
    if (args.emulator && args.endpoint) return fail("--emulator: give either it or --endpoint, not both");
    if (args.endpoint) options->endpoint = *args.endpoint;
    if (args.project_id) options->project_id = *args.project_id;
    if (args.emulator) {
        options->endpoint.clear();  // the flag wins over MODELARTS_ENDPOINT and a region
        std::cerr << program << ": --emulator: sending to the emulator in this process, not to ModelArts\n";
    } else if (options->endpoint.empty()) {  // never a silent stand-in: a script that forgot its region must fail
        return fail("endpoint: give --endpoint, set MODELARTS_ENDPOINT or HUAWEICLOUD_SDK_REGION, "
                    "or pass --emulator to try the program against an emulator in this process");
    } else if (options->project_id.empty()) {  // the emulator, otherwise, brings its own project
        return fail("project_id: give --project-id or set HUAWEICLOUD_SDK_PROJECT_ID");
    }

    options->retry.max_attempts = args.max_attempts;
    options->retry.timeout = std::chrono::seconds(args.timeout_seconds);  // each attempt gets what remains
    if (args.verbose) options->on_attempt = print_attempt;
    else if (!args.from) options->on_attempt = announce_retry;  // a batch counts retries on its progress line

    std::unique_ptr<modelarts::testing::emulator> emulator;  // outlives every call to it
    if (args.emulator) emulator = make_emulator(*options);

    if (args.from) {
        command::batch_arguments batch{*args.from, args.concurrency, args.via == "job", !args.quiet && !args.verbose};
        return command::run_batch(std::move(*options), batch, emulator.get());
    }

    auto transport = emulator ? modelarts::any_transport{modelarts::testing::in_process_transport{*emulator}}
                              : modelarts::any_transport{modelarts::curl_transport{}};
    auto session = modelarts::make_session(std::move(transport), std::move(*options));
    if (!session) return fail(session.error().message());
    return update(*session, args);
}
