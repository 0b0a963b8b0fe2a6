// modelarts-update-job-description: update a training job's description, as the SDK's
// Estimator(...).update_job_description(description=...) does, over real HTTP (libcurl).
//
//   modelarts-update-job-description --job-id ID --description TEXT
//       [--endpoint URL] [--project-id ID] [--via estimator|job|version]
//       [--timeout SECONDS] [--max-attempts N]
//
// Transient failures (refused, reset, timed out; 429, 500, 502, 503, 504) are retried with
// backoff, up to --max-attempts tries (default 4; 1 turns retrying off) within --timeout seconds
// for the whole call (default 60), each retry announced by one line on stderr.
//
// Endpoint: --endpoint, else MODELARTS_ENDPOINT, else HUAWEICLOUD_SDK_REGION's; with none of
// them, an emulator in this process (no network; see command_transport.hpp). Project: --project-id, else
// HUAWEICLOUD_SDK_PROJECT_ID. Credentials from the environment, as the SDK's Session() reads
// them: HUAWEICLOUD_SDK_AK/SK (+ HUAWEICLOUD_SDK_SECURITY_TOKEN) sign each request;
// MODELARTS_AUTH_TOKEN is sent as X-Auth-Token; MODELARTS_USERNAME/PASSWORD (+ MODELARTS_ACCOUNT)
// log in through IAM at HUAWEICLOUD_SDK_IAM_ENDPOINT or the region's.
//
// stdout: one line of JSON, the SDK's result. Exit status: 0 success; 1 failure reported by the
// service or gateway; 2 bad arguments, refused input (nothing sent), transport failure or an
// answer that is not the API's (a message on stderr, nothing on stdout).
#include "command_transport.hpp"

#include "modelarts/modelarts.hpp"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

namespace {

constexpr std::string_view program = "modelarts-update-job-description";

struct arguments {
    std::optional<std::string> job_id, description, endpoint, project_id;
    std::string via = "estimator";
    unsigned timeout_seconds = 60;
    unsigned max_attempts = modelarts::retry_policy{}.max_attempts;
};

int usage(std::ostream& os, int status)
{
    os << "usage: " << program << " --job-id ID --description TEXT\n"
       << "           [--endpoint URL] [--project-id ID] [--via estimator|job|version]\n"
       << "           [--timeout SECONDS] [--max-attempts N]\n"
       << "--timeout bounds the whole call, retries included (default 60); --max-attempts is the number of\n"
       << "tries for transient failures (default " << modelarts::retry_policy{}.max_attempts << "; 1 turns retrying off).\n"
       << "Environment: MODELARTS_ENDPOINT, HUAWEICLOUD_SDK_REGION, HUAWEICLOUD_SDK_PROJECT_ID; credentials from\n"
       << "HUAWEICLOUD_SDK_AK/SK/SECURITY_TOKEN, MODELARTS_AUTH_TOKEN, or MODELARTS_USERNAME/PASSWORD/ACCOUNT with\n"
       << "HUAWEICLOUD_SDK_IAM_ENDPOINT.\n"
       << "With no endpoint and no region, runs against an emulator in this process (no network).\n";
    return status;
}

int fail(std::string_view what)
{
    std::cerr << program << ": " << what << '\n';
    return 2;
}

// Prints the verdict and turns it into the exit status.
int report(const modelarts::result<modelarts::update_result>& r)
{
    if (!r) return fail(r.error().message());
    std::cout << *r << std::endl;
    return r->is_success ? 0 : 1;
}

// One line on stderr per retry: which attempt failed, why, and how long until the next. The
// request is not printed, so no secret can reach the line.
void announce_retry(const modelarts::attempt_report& a)
{
    if (!a.retry_in) return;
    const std::string why = a.outcome ? "HTTP " + std::to_string(a.outcome->status) : a.outcome.error().message();
    char wait[32];
    std::snprintf(wait, sizeof wait, "%.2f", std::chrono::duration<double>(*a.retry_in).count());
    std::cerr << program << ": attempt " << a.number << " failed (" << why << "); retrying in " << wait << " s\n";
}

int update(const modelarts::session<modelarts::any_transport>& session, const arguments& args)
{
    modelarts::estimator estimator{session, *args.job_id};
    if (args.via == "estimator") return report(estimator.update_job_description(*args.description));
    if (args.via == "job") return report(modelarts::training_job{session, *args.job_id}.update_job_description(*args.description));

    auto versions = estimator.get_job_version_object_list();
    if (!versions) return fail(versions.error().message());
    if (!versions->is_success) {
        std::cout << static_cast<const modelarts::service_status&>(*versions) << std::endl;
        return 1;
    }
    if (versions->empty()) return fail("the job has no versions to update through (--via version)");
    return report((*versions)[0].update_job_description(*args.description));
}

} // namespace

int main(int argc, char** argv)
{
    arguments args;
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (arg == "--help" || arg == "-h") return usage(std::cout, 0);
        if (i + 1 >= argc) return usage(std::cerr, 2);
        std::string value = argv[++i];
        if (arg == "--job-id") args.job_id = value;
        else if (arg == "--description") args.description = value;
        else if (arg == "--endpoint") args.endpoint = value;
        else if (arg == "--project-id") args.project_id = value;
        else if (arg == "--via" && (value == "estimator" || value == "job" || value == "version")) args.via = value;
        else if (arg == "--timeout") {
            auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), args.timeout_seconds);
            if (ec != std::errc{} || p != value.data() + value.size() || args.timeout_seconds == 0)
                return fail("--timeout: must be a whole number of seconds, 1 or more");
        } else if (arg == "--max-attempts") {
            auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), args.max_attempts);
            if (ec != std::errc{} || p != value.data() + value.size() || args.max_attempts == 0 || args.max_attempts > 100)
                return fail("--max-attempts: must be a whole number from 1 to 100");
        } else
            return usage(std::cerr, 2);
    }
    if (!args.job_id || !args.description) return usage(std::cerr, 2);

    auto options = modelarts::session_options_from_environment();
    if (!options) return fail(options.error().message());
    if (args.endpoint) options->endpoint = *args.endpoint;
    if (args.project_id) options->project_id = *args.project_id;

    if (options->endpoint.empty())
        std::cerr << program << ": no endpoint or region given; using the emulator in this process (no network)\n";
    auto transport = command::make_transport(*options);
    if (options->project_id.empty()) return fail("project_id: give --project-id or set HUAWEICLOUD_SDK_PROJECT_ID");

    options->retry.max_attempts = args.max_attempts;
    options->retry.timeout = std::chrono::seconds(args.timeout_seconds);  // each attempt gets what remains
    options->on_attempt = announce_retry;
    auto session = modelarts::make_session(std::move(transport), std::move(*options));
    if (!session) return fail(session.error().message());
    return update(*session, args);
}
