// Credential providers: credentials that expire, fetched by one call at a time for every session
// and thread that holds the provider, renewed before they expire, and kept while a renewal fails.
#include "modelarts/credential_provider.hpp"

#include "modelarts/estimator.hpp"
#include "modelarts/session.hpp"
#include "modelarts/testing/emulator.hpp"

#include "support.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>
#include <vector>

using namespace modelarts;
using namespace std::chrono;
using modelarts::testing::emulator;
using modelarts::testing::in_process_transport;

namespace {

// Both clocks, moved by hand, shared by the session and the emulator.
struct test_clocks {
    std::shared_ptr<std::atomic<system_clock::rep>> wall =
        std::make_shared<std::atomic<system_clock::rep>>(system_clock::now().time_since_epoch().count());
    std::shared_ptr<std::atomic<steady_clock::rep>> mono =
        std::make_shared<std::atomic<steady_clock::rep>>(steady_clock::now().time_since_epoch().count());
    clock_function wall_fn() const
    {
        return [w = wall] { return system_clock::time_point(system_clock::duration(w->load())); };
    }
    monotonic_clock_function mono_fn() const
    {
        return [m = mono] { return steady_clock::time_point(steady_clock::duration(m->load())); };
    }
    void advance(system_clock::duration d)
    {
        wall->fetch_add(d.count());
        mono->fetch_add(duration_cast<steady_clock::duration>(d).count());
    }
};

std::size_t requests_to(const emulator& em, std::string_view target)
{
    std::size_t n = 0;
    for (const auto& r : em.requests()) n += r.target() == target;
    return n;
}

// The emulator, through a switch that can make the metadata service unreachable.
class switchable_transport {
public:
    switchable_transport(emulator& em, std::shared_ptr<std::atomic<bool>> down) : em_(&em), metadata_down_(std::move(down)) {}
    result<http_response> send(const http_request& req)
    {
        const bool metadata = req.target().starts_with("/meta-data/") || req.target().starts_with("/openstack/");
        if (metadata && metadata_down_->load()) return error::connection_refused;
        return em_->handle(req);
    }

private:
    emulator* em_;
    std::shared_ptr<std::atomic<bool>> metadata_down_;
};

} // namespace

TEST_CASE("the metadata service's keys over 6 hours: 10-minute keys, 2 updates a minute, no failure, a fetch per rotation")
{
    test_clocks clocks;
    emulator em{{.clock = clocks.wall_fn(), .metadata_credentials = minutes(10)}};
    auto s = test_support::session_of(in_process_transport{em}, {.endpoint = em.endpoint(), .project_id = em.project_id(),
                                                                 .auth = make_metadata_provider(em.endpoint()),
                                                                 .clock = clocks.wall_fn(), .monotonic_clock = clocks.mono_fn()});
    int failed = 0, updates = 0;
    for (auto t = 0s; t < hours(6); t += 30s, clocks.advance(30s)) {
        auto r = estimator{s, "182626"}.update_job_description("at " + std::to_string(t.count()));
        ++updates;
        if (!r || !r->is_success) ++failed;
    }
    const auto fetches = em.temporary_keys_issued();
    MESSAGE(updates << " updates, " << fetches << " key fetches for " << hours(6) / minutes(10) << " rotations");
    CHECK(updates == 720);
    CHECK(failed == 0);
    CHECK(fetches >= 36);  // keys that last 10 minutes: at least one fetch each
    CHECK(fetches <= 42);  // renewed at seven eighths of their life (every 8.75 minutes), never per call
    CHECK(requests_to(em, "/meta-data/latest/api/token") == fetches);  // a session token first, each time
}

TEST_CASE("a renewal that fails leaves the valid keys in use, and is tried again with backoff, not on every call")
{
    test_clocks clocks;
    emulator em{{.clock = clocks.wall_fn(), .metadata_credentials = minutes(10)}};
    auto down = std::make_shared<std::atomic<bool>>(false);
    auto s = test_support::session_of(switchable_transport{em, down},
                                      {.endpoint = em.endpoint(), .project_id = em.project_id(), .auth = make_metadata_provider(em.endpoint()),
                                       .retry = test_support::no_retries(), .clock = clocks.wall_fn(), .monotonic_clock = clocks.mono_fn()});
    REQUIRE(estimator{s, "182626"}.update_job_description("first")->is_success);
    CHECK(em.temporary_keys_issued() == 1);

    clocks.advance(seconds(540));  // due for renewal (at 8.75 minutes), valid for 1 more minute
    *down = true;
    for (int i = 0; i < 20; ++i) {  // 20 updates within one second: one renewal tried
        auto r = estimator{s, "182626"}.update_job_description("during the outage");
        REQUIRE(r.has_value());
        CHECK(r->is_success);
        clocks.advance(milliseconds(40));
    }
    const auto tried = em.requests().size();
    *down = false;
    clocks.advance(seconds(2));  // past the backoff: the next call renews
    REQUIRE(estimator{s, "182626"}.update_job_description("renewed")->is_success);
    CHECK(em.temporary_keys_issued() == 2);
    CHECK(em.requests().size() == tried + 3);  // the session token, the keys, the update

    clocks.advance(minutes(11));  // past the new keys' expiry, with the service down: nothing valid is left
    *down = true;
    auto r = estimator{s, "182626"}.update_job_description("too late");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error() == error::connection_refused);
}

TEST_CASE("the metadata service on an instance without an agency: a clear error")
{
    emulator em{{.metadata_credentials = minutes(10), .metadata_agency = false}};
    auto s = test_support::session_of(in_process_transport{em}, {.endpoint = em.endpoint(), .project_id = em.project_id(),
                                                                 .auth = make_metadata_provider(em.endpoint())});
    auto r = estimator{s, "182626"}.update_job_description("x");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error() == error::no_agency);
    CHECK(std::string(r.error().message()).find("agency") != std::string::npos);
}

TEST_CASE("a callback provider: called once for many calls on many threads and two sessions; its errors are the calls'")
{
    emulator em{{.access_keys = {{"VAULTAK", {"vault-secret", "vault-token"}}}}};
    std::atomic<int> calls{0};
    auto provider = make_callback_provider([&]() -> result<expiring_credentials> {
        ++calls;
        std::this_thread::sleep_for(milliseconds(20));  // slow, as a sidecar is: the other calls wait for it
        return expiring_credentials{aksk_credentials{"VAULTAK", "vault-secret", "vault-token"}, system_clock::now() + hours(1)};
    });
    const session_options options{.endpoint = em.endpoint(), .project_id = em.project_id(), .auth = provider};
    auto a = test_support::session_of(in_process_transport{em}, options);
    auto b = test_support::session_of(in_process_transport{em}, options);
    std::atomic<int> failed{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 50; ++i) {
                auto r = estimator{t % 2 ? a : b, "182626"}.update_job_description("from vault");
                if (!r || !r->is_success) ++failed;
            }
        });
    for (auto& th : threads) th.join();
    CHECK(failed == 0);
    CHECK(calls == 1);

    auto refusing = test_support::session_of(in_process_transport{em}, {.endpoint = em.endpoint(), .project_id = em.project_id(),
                                                                        .auth = make_callback_provider([]() -> result<expiring_credentials> {
                                                                            return make_error_code(error::connection_refused);
                                                                        })});
    CHECK(estimator{refusing, "182626"}.update_job_description("x").error() == error::connection_refused);
    auto expired = test_support::session_of(in_process_transport{em}, {.endpoint = em.endpoint(), .project_id = em.project_id(),
                                                                       .auth = make_callback_provider([]() -> result<expiring_credentials> {
                                                                           return expiring_credentials{token_credentials{"t"}, system_clock::now() - 1s};
                                                                       })});
    CHECK(estimator{expired, "182626"}.update_job_description("x").error() == error::invalid_provided_credentials);
}

TEST_CASE("an IAM password provider shared by two sessions logs in once for both")
{
    emulator em{{.users = {{"alice", "alice-password", "acme"}}}};
    auto provider = make_iam_password_provider({"alice", "alice-password", "acme", em.endpoint()});
    const session_options options{.endpoint = em.endpoint(), .project_id = em.project_id(), .auth = provider};
    auto a = test_support::session_of(in_process_transport{em}, options);
    auto b = test_support::session_of(in_process_transport{em}, options);
    CHECK(estimator{a, "182626"}.update_job_description("a")->is_success);
    CHECK(estimator{b, "182626"}.update_job_description("b")->is_success);
    CHECK(requests_to(em, "/v3/auth/tokens") == 1);
    CHECK(make_session(in_process_transport{em}, {.endpoint = em.endpoint(), .project_id = em.project_id(),
                                                   .auth = make_iam_password_provider({"", "pw", "", em.endpoint()})})
              .error() == error::invalid_user);
    CHECK(make_session(in_process_transport{em}, {.endpoint = em.endpoint(), .project_id = em.project_id(),
                                                   .auth = make_metadata_provider("ftp://x")})
              .error() == error::invalid_endpoint);
}
