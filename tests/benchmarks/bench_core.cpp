// The hot path's steps, each next to its floor: what the same job costs done by hand with the
// fastest tool at hand. Every benchmark reports heap allocations per operation ("allocs").
//   meson test -C build --benchmark --verbose      (or run build/tests/benchmarks/bench_core)
#include "modelarts/modelarts.hpp"

#include "../allocation_counter.hpp"

#include <benchmark/benchmark.h>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <chrono>
#include <cstdio>
#include <string>

using test_support::allocations;

namespace {

using namespace modelarts;

const std::string description(64, 'd');  // the workload's 64-character description
const std::string project = "0123456789abcdef0123456789abcdef";

// Runs `f` per iteration and reports allocations per operation.
template <class F>
void measure(benchmark::State& state, F f)
{
    const std::size_t before = allocations.load();
    for (auto _ : state) f();
    state.counters["allocs"] =
        benchmark::Counter(static_cast<double>(allocations.load() - before), benchmark::Counter::kAvgIterations);
}

const service_location& location()
{
    static const auto at = make_service_location({"https://modelarts.cn-north-4.myhuaweicloud.com", project}).value();
    return at;
}

void build_request(benchmark::State& state)
{
    measure(state, [] {
        auto req = make_update_job_description_request(location(), "182626", description);
        benchmark::DoNotOptimize(req);
    });
}

void build_request_floor_snprintf(benchmark::State& state)
{
    char buf[1024];
    measure(state, [&] {
        int n = std::snprintf(buf, sizeof buf,
                              "PUT /v1/%s/training-jobs/%s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n"
                              "X-Project-Id: %s\r\nContent-Length: %zu\r\n\r\n{\"job_desc\":\"%s\"}",
                              project.c_str(), "182626", "modelarts.cn-north-4.myhuaweicloud.com", project.c_str(),
                              description.size() + 15, description.c_str());
        benchmark::DoNotOptimize(n);
        benchmark::DoNotOptimize(buf);
    });
}

const http_response success{200, {{"X-Request-Id", "6d6f64656c6172740000000000000001"}}, R"({"is_success":true})"};

void parse_success(benchmark::State& state)
{
    measure(state, [] {
        auto r = parse_update_job_description_response(success, api_version::v1);
        benchmark::DoNotOptimize(r);
    });
}

void parse_success_floor_json_stack_buffer(benchmark::State& state)
{
    measure(state, [] {
        unsigned char buf[4096];
        boost::json::monotonic_resource mr(buf, sizeof buf);
        boost::system::error_code ec;
        auto v = boost::json::parse(success.body, ec, &mr);
        bool ok = !ec && v.is_object() && v.get_object().at("is_success").as_bool();
        benchmark::DoNotOptimize(ok);
    });
}

const http_response failure{400, {{"X-Request-Id", "6d6f64656c6172740000000000000001"}},
                            R"({"is_success":false,"error_code":"ModelArts.2775","error_message":"TrainingJobNotFound: no training job 9"})"};

void parse_failure(benchmark::State& state)
{
    measure(state, [] {
        auto r = parse_update_job_description_response(failure, api_version::v1);
        benchmark::DoNotOptimize(r);
    });
}

const auto sign_time = std::chrono::sys_days{std::chrono::year{2026} / 11 / 29};

void aksk_signature(benchmark::State& state)
{
    const auto base = make_update_job_description_request(location(), "182626", description).value();
    measure(state, [&] {
        http_request req = base;
        signing::sign(req, "QTWAOYTTINDUT2QVKYUC", "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc", "", sign_time);
        benchmark::DoNotOptimize(req);
    });
}

// The same two SHA-256 digests and one HMAC with OpenSSL, contexts reused, over the same bytes.
void aksk_signature_floor_openssl(benchmark::State& state)
{
    auto base = make_update_job_description_request(location(), "182626", description).value();
    signing::sign(base, "QTWAOYTTINDUT2QVKYUC", "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc", "", sign_time);
    const auto names = signing::default_signed_headers(base);
    const std::string canonical = signing::canonical_request(base, names);
    const std::string key = "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc";
    EVP_MD_CTX* md = EVP_MD_CTX_new();
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    measure(state, [&] {
        EVP_DigestInit_ex(md, EVP_sha256(), nullptr);
        EVP_DigestUpdate(md, base.body().data(), base.body().size());
        EVP_DigestFinal_ex(md, out, &len);
        EVP_DigestInit_ex(md, EVP_sha256(), nullptr);
        EVP_DigestUpdate(md, canonical.data(), canonical.size());
        EVP_DigestFinal_ex(md, out, &len);
        HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), out, len, out, &len);
        benchmark::DoNotOptimize(out);
    });
    EVP_MD_CTX_free(md);
}

void sha256_throughput(benchmark::State& state)
{
    const std::string data(64 * 1024, 'x');
    measure(state, [&] {
        auto d = modelarts::detail::sha256::hash(data);
        benchmark::DoNotOptimize(d);
    });
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(data.size()));
}

void sha256_throughput_floor_openssl(benchmark::State& state)
{
    const std::string data(64 * 1024, 'x');
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_MD_CTX* md = EVP_MD_CTX_new();
    measure(state, [&] {
        EVP_DigestInit_ex(md, EVP_sha256(), nullptr);
        EVP_DigestUpdate(md, data.data(), data.size());
        EVP_DigestFinal_ex(md, out, &len);
        benchmark::DoNotOptimize(out);
    });
    EVP_MD_CTX_free(md);
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(data.size()));
}

} // namespace

BENCHMARK(build_request);
BENCHMARK(build_request_floor_snprintf);
BENCHMARK(parse_success);
BENCHMARK(parse_success_floor_json_stack_buffer);
BENCHMARK(parse_failure);
BENCHMARK(aksk_signature);
BENCHMARK(aksk_signature_floor_openssl);
BENCHMARK(sha256_throughput);
BENCHMARK(sha256_throughput_floor_openssl);

BENCHMARK_MAIN();
