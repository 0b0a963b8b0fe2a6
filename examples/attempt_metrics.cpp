// Counters and a latency histogram from the session's observer hook, printed in Prometheus'
// text format. A Prometheus client or an OpenTelemetry meter takes the same few lines: the hook
// hands over the status (or error), the duration and whether the call retries.
#include "modelarts/modelarts.hpp"
#include "modelarts/testing/emulator.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <string>

namespace {

struct attempt_metrics {
    std::map<std::string, std::uint64_t> attempts;  // by outcome: "200", "503", "connection_reset"...
    std::uint64_t retries = 0;
    static constexpr std::array<double, 6> bounds_ms = {0.1, 1, 10, 100, 1000, 10000};
    std::array<std::uint64_t, bounds_ms.size() + 1> buckets{};  // the last one: above every bound
    double sum_ms = 0;

    void operator()(const modelarts::attempt_report& a)
    {
        ++attempts[a.outcome ? std::to_string(a.outcome->status) : a.outcome.error().message()];
        if (a.retry_in) ++retries;
        const double ms = std::chrono::duration<double, std::milli>(a.duration).count();
        std::size_t i = 0;
        while (i < bounds_ms.size() && ms > bounds_ms[i]) ++i;
        ++buckets[i];
        sum_ms += ms;
    }

    void print() const
    {
        for (const auto& [outcome, n] : attempts)
            std::printf("modelarts_attempts_total{outcome=\"%s\"} %llu\n", outcome.c_str(), static_cast<unsigned long long>(n));
        std::printf("modelarts_retries_total %llu\n", static_cast<unsigned long long>(retries));
        std::uint64_t cumulative = 0;
        for (std::size_t i = 0; i < bounds_ms.size(); ++i)
            std::printf("modelarts_attempt_duration_ms_bucket{le=\"%g\"} %llu\n", bounds_ms[i],
                        static_cast<unsigned long long>(cumulative += buckets[i]));
        std::printf("modelarts_attempt_duration_ms_bucket{le=\"+Inf\"} %llu\n",
                    static_cast<unsigned long long>(cumulative += buckets.back()));
        std::printf("modelarts_attempt_duration_ms_sum %.3f\nmodelarts_attempt_duration_ms_count %llu\n", sum_ms,
                    static_cast<unsigned long long>(cumulative));
    }
};

} // namespace

int main()
{
    // One request in five fails (a 503, a 429, a reset...); retries make every call succeed.
    modelarts::testing::emulator emulator{{.faults = {.rate = 0.2,
                                                      .seed = 7,
                                                      .kinds = {modelarts::testing::fault::service_unavailable,
                                                                modelarts::testing::fault::throttled, modelarts::testing::fault::reset}}}};
    auto metrics = std::make_shared<attempt_metrics>();
    auto session = modelarts::make_session(modelarts::testing::in_process_transport{emulator},
                                           {.endpoint = emulator.endpoint(),
                                            .project_id = emulator.project_id(),
                                            .retry = {.max_attempts = 8, .initial_delay = std::chrono::milliseconds(1)},
                                            .on_attempt = [metrics](const modelarts::attempt_report& a) { (*metrics)(a); }});
    if (!session) return 2;
    int succeeded = 0;
    for (int i = 0; i < 100; ++i) {
        auto r = modelarts::estimator{*session, "182626"}.update_job_description("counted");
        succeeded += r && r->is_success;
    }
    metrics->print();
    return succeeded == 100 ? 0 : 1;
}
