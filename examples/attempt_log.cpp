// One log line per attempt, through the session's observer hook (session_options::on_attempt):
// what was sent, what came back, how long it took and whether the call tries again. Runs
// against the in-process emulator with two injected faults, so there are retries to see.
#include "modelarts/modelarts.hpp"
#include "modelarts/testing/emulator.hpp"

#include <chrono>
#include <cstdio>
#include <string>

namespace {

// The hook. Only the method, URL and status are printed: header values and bodies can hold
// secrets (print the request with `<<` to get them masked).
void log_attempt(const modelarts::attempt_report& a)
{
    const std::string outcome = a.outcome ? "HTTP " + std::to_string(a.outcome->status) : a.outcome.error().message();
    const double ms = std::chrono::duration<double, std::milli>(a.duration).count();
    std::printf("attempt=%u method=%s url=%s outcome=\"%s\" duration_ms=%.3f", a.number,
                std::string(modelarts::to_string(a.request.method)).c_str(), a.request.url().c_str(), outcome.c_str(), ms);
    if (a.retry_in) std::printf(" retry_in_ms=%.1f", std::chrono::duration<double, std::milli>(*a.retry_in).count());
    std::printf("\n");
}

} // namespace

int main()
{
    using modelarts::testing::fault;
    modelarts::testing::emulator emulator{{.faults = {.at = {{1, fault::service_unavailable}, {2, fault::throttled}}}}};
    auto session = modelarts::make_session(modelarts::testing::in_process_transport{emulator},
                                           {.endpoint = emulator.endpoint(),
                                            .project_id = emulator.project_id(),
                                            .on_attempt = log_attempt});
    if (!session) return 2;
    modelarts::diagnostics diag;
    auto r = modelarts::estimator{*session, "182626"}.update_job_description("logged", &diag);
    if (!r) return 2;
    std::printf("result: %s after %u attempts\n", modelarts::to_json(*r).c_str(), diag.attempts);
    return r->is_success && diag.attempts == 3 ? 0 : 1;
}
