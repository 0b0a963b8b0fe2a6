// Updates a training job's description in each of the SDK's three ways, against the
// in-process emulator: no network, no account needed.
#include "modelarts/modelarts.hpp"
#include "modelarts/testing/emulator.hpp"

#include <iostream>

namespace {

// Prints a result the way the Python SDK returns it, or the error that stopped the call.
void print(const char* way, const modelarts::result<modelarts::update_result>& r)
{
    std::cout << way << ": ";
    if (r)
        std::cout << *r << '\n';
    else
        std::cout << "error: " << r.error().message() << '\n';
}

} // namespace

int main()
{
    // The emulator holds v1 job 182626 (versions V0001, V0002) and checks this token.
    modelarts::testing::emulator emulator{{.token = "quickstart-token"}};

    // session = Session(...): endpoint, project and credentials, plus the transport to use.
    // Checked here, once; retries are on by default (session_options::retry).
    auto made = modelarts::make_session(modelarts::testing::in_process_transport{emulator},
                                        {.endpoint = emulator.endpoint(),
                                         .project_id = emulator.project_id(),
                                         .auth = modelarts::token_credentials{"quickstart-token"}});
    if (!made) {
        std::cerr << "bad session options: " << made.error().message() << '\n';
        return 2;
    }
    const auto& session = *made;  // a cheap handle: every object below holds a copy

    // Way 1: Estimator(modelarts_session=session, job_id="182626").update_job_description(...)
    modelarts::estimator estimator{session, "182626"};
    print("estimator", estimator.update_job_description("update description"));

    // Way 2: a training-job object (what estimator.fit(...) returns): job id and version id.
    modelarts::training_job job{session, "182626", 1108482};
    print("training_job", job.update_job_description("updated through the job object"));

    // Way 3: estimator.get_job_version_object_list()[0].update_job_description(...)
    auto versions = estimator.get_job_version_object_list();
    if (!versions || !versions->is_success || versions->empty()) {
        std::cerr << "could not list versions\n";
        return 1;
    }
    for (const auto& v : *versions) std::cout << "  version " << v.version_id() << ' ' << v.version_name() << '\n';
    print("job_version", (*versions)[0].update_job_description("updated through a version object"));

    // Refused before anything is sent: 257 characters is one too many.
    print("too long", estimator.update_job_description(std::string(257, 'x')));
    // A job the service does not have: a service failure, as the SDK reports it. The call's own
    // facts (status, request id, attempts) are in its diagnostics.
    modelarts::diagnostics diag;
    print("no such job", modelarts::estimator{session, "999999"}.update_job_description("x", &diag));
    std::cout << "  HTTP " << diag.http_status << ", request " << diag.request_id << ", " << diag.attempts << " attempt(s)\n";

    std::cout << "stored description: " << *emulator.description("182626") << '\n';
}
