#include "modelarts/session.hpp"

#include "modelarts/estimator.hpp"
#include "modelarts/testing/emulator.hpp"

#include "support.hpp"

#include <doctest/doctest.h>

#include <deque>
#include <functional>
#include <string>
#include <vector>

using namespace modelarts;
using namespace std::chrono;
using modelarts::testing::emulator;
using modelarts::testing::in_process_transport;

namespace {

// A clock the test moves by hand, shared by the session and the emulator.
struct test_clock {
    system_clock::time_point now = sys_days{2026y / November / 28} + 12h;
    clock_function fn() { return [this] { return now; }; }
};

struct fixture {
    test_clock clock;
    emulator em{{.access_keys = {{"AK1", {"SK1"}}, {"TMPAK", {"TMPSK", "SECURITYTOKEN"}}},
                 .users = {{"alice", "alice-password", "acme"}},
                 .clock = clock.fn()}};

    result<session<in_process_transport>> try_make(credentials auth)
    {
        return make_session(in_process_transport{em},
                            {.endpoint = em.endpoint(), .project_id = em.project_id(), .auth = std::move(auth), .clock = clock.fn()});
    }
    session<in_process_transport> make(credentials auth)
    {
        auto s = try_make(std::move(auth));
        REQUIRE(s.has_value());
        return *std::move(s);
    }
    password_credentials alice(std::string password = "alice-password")
    {
        return {"alice", std::move(password), "acme", em.endpoint()};
    }
    int logins() const
    {
        int n = 0;
        for (const auto& r : em.requests()) n += r.target() == "/v3/auth/tokens";
        return n;
    }
};

// An async transport without Asio over the emulator: exchanges wait until run().
struct queued_transport {
    emulator* em;
    std::deque<std::function<void()>>* queue;
    template <class Handler>
    void async_send(http_request req, Handler h)
    {
        queue->push_back([em = em, req = std::move(req), h = std::move(h)]() mutable { h(boost::system::error_code{}, em->handle(req)); });
    }
};

} // namespace

TEST_CASE_FIXTURE(fixture, "AK/SK sessions sign every request, and the gateway accepts them")
{
    auto s = make(aksk_credentials{"AK1", "SK1"});
    auto r = estimator{s, "182626"}.update_job_description("signed");
    REQUIRE(r.has_value());
    CHECK(r->is_success);
    const auto& sent = em.requests().back();
    CHECK(sent.headers.get("X-Sdk-Date") == "20261128T120000Z");
    CHECK(sent.headers.get("Authorization").starts_with("SDK-HMAC-SHA256 Access=AK1, SignedHeaders=content-type;host;x-project-id;x-sdk-date, Signature="));
    CHECK_FALSE(sent.headers.contains("X-Auth-Token"));
    REQUIRE(estimator{s, "182626"}.get_job_version_object_list()->is_success);  // GET with a query-less path
}

TEST_CASE_FIXTURE(fixture, "a wrong SK, an unknown AK or a date 15 minutes off: 401 APIGW.0301")
{
    for (const auto& creds : {aksk_credentials{"AK1", "wrong"}, aksk_credentials{"NOPE", "SK1"}}) {
        auto s = make(creds);
        diagnostics diag;
        auto r = estimator{s, "182626"}.update_job_description("x", &diag);
        REQUIRE(r.has_value());
        CHECK_FALSE(r->is_success);
        CHECK(diag.http_status == 401);
        CHECK(r->error_code == "APIGW.0301");
    }
    // The session's clock against the emulator's: 14 minutes off is accepted; 16 is refused, and
    // the call signs again with the time the refusal was dated, once (see the clock skew test).
    std::vector<std::string> refusals;
    auto at = [&](system_clock::duration offset) {
        auto s = test_support::session_of(in_process_transport{em}, {.endpoint = em.endpoint(),
                                                                     .project_id = em.project_id(),
                                                                     .auth = aksk_credentials{"AK1", "SK1"},
                                                                     .retry = test_support::no_retries(),
                                                                     .clock = [t = clock.now + offset] { return t; },
                                                                     .on_attempt = [&](const attempt_report& a) {
                                                                         if (a.outcome->status == 401) refusals.push_back(a.outcome->body);
                                                                     }});
        return estimator{s, "182626"}.update_job_description("skew " + std::to_string(duration_cast<minutes>(offset).count()));
    };
    CHECK(at(minutes(14))->is_success);
    CHECK(at(-minutes(14))->is_success);
    CHECK(refusals.empty());
    for (auto offset : {minutes(16), -minutes(16)}) {
        refusals.clear();
        CHECK(at(offset)->is_success);
        REQUIRE(refusals.size() == 1);
        CHECK(refusals[0].find("APIGW.0301") != std::string::npos);
        CHECK(refusals[0].find("15 minutes") != std::string::npos);
    }
    CHECK(em.description("182626") == "skew -16");
}

TEST_CASE_FIXTURE(fixture, "temporary credentials send X-Security-Token, and need it")
{
    auto s = make(aksk_credentials{"TMPAK", "TMPSK", "SECURITYTOKEN"});
    auto r = estimator{s, "182626"}.update_job_description("temporary");
    CHECK(r->is_success);
    CHECK(em.requests().back().headers.get("X-Security-Token") == "SECURITYTOKEN");

    auto without = make(aksk_credentials{"TMPAK", "TMPSK"});
    CHECK(estimator{without, "182626"}.update_job_description("x")->error_code == "APIGW.0301");
}

TEST_CASE_FIXTURE(fixture, "token sessions send X-Auth-Token")
{
    emulator tok{{.token = "the-token"}};
    auto s = test_support::session_of(in_process_transport{tok},
                                      {.endpoint = tok.endpoint(), .project_id = tok.project_id(), .auth = token_credentials{"the-token"}});
    CHECK(estimator{s, "182626"}.update_job_description("t")->is_success);
    CHECK(tok.requests().back().headers.get("X-Auth-Token") == "the-token");
}

TEST_CASE_FIXTURE(fixture, "password sessions: one IAM call serves many updates")
{
    auto s = make(alice());
    for (int i = 0; i < 5; ++i) REQUIRE(estimator{s, "182626"}.update_job_description("update " + std::to_string(i))->is_success);
    CHECK(logins() == 1);
    CHECK(em.requests().size() == 6);
    CHECK(em.requests()[0].target() == "/v3/auth/tokens");
    CHECK(em.requests()[1].headers.get("X-Auth-Token").starts_with("MIIE"));
    CHECK(em.requests()[5].headers.get("X-Auth-Token") == em.requests()[1].headers.get("X-Auth-Token"));
}

TEST_CASE_FIXTURE(fixture, "password sessions fetch a new token a safe margin before expiry")
{
    auto s = make(alice());
    REQUIRE(estimator{s, "182626"}.update_job_description("first")->is_success);
    clock.now += hours(23);  // 60 minutes left: still good
    REQUIRE(estimator{s, "182626"}.update_job_description("later")->is_success);
    CHECK(logins() == 1);
    clock.now += minutes(35);  // 25 minutes left: inside the margin
    REQUIRE(estimator{s, "182626"}.update_job_description("renewed")->is_success);
    CHECK(logins() == 2);
    const auto& reqs = em.requests();
    CHECK(reqs.back().headers.get("X-Auth-Token") != reqs[1].headers.get("X-Auth-Token"));
}

TEST_CASE_FIXTURE(fixture, "a failed IAM call is reported like any service failure, and nothing else is sent")
{
    auto s = make(alice("wrong-password"));
    diagnostics diag;
    auto r = estimator{s, "182626"}.update_job_description("x", &diag);
    REQUIRE(r.has_value());
    CHECK_FALSE(r->is_success);
    CHECK(diag.http_status == 401);
    CHECK(diag.attempts == 1);
    CHECK(r->error_code == "401");
    CHECK(r->error_msg == "The username or password is wrong.");
    CHECK(em.requests().size() == 1);

    auto list = estimator{s, "182626"}.get_job_version_object_list();
    REQUIRE(list.has_value());
    CHECK_FALSE(list->is_success);
    CHECK(list->error_msg == "The username or password is wrong.");
}

TEST_CASE_FIXTURE(fixture, "password sessions over an async transport: log in, then update")
{
    std::deque<std::function<void()>> queue;
    auto s = test_support::session_of(queued_transport{&em, &queue},
                                      {.endpoint = em.endpoint(), .project_id = em.project_id(), .auth = alice(), .clock = clock.fn()});
    int ok = 0;
    estimator{s, "182626"}.async_update_job_description("async login", [&](result<update_result> r) { ok += r && r->is_success; });
    while (!queue.empty()) {
        auto job = std::move(queue.front());
        queue.pop_front();
        job();
    }
    CHECK(ok == 1);
    CHECK(logins() == 1);
    CHECK(em.description("182626") == "async login");

    auto refused = test_support::session_of(queued_transport{&em, &queue}, {.endpoint = em.endpoint(),
                                                                            .project_id = em.project_id(),
                                                                            .auth = alice("nope"),
                                                                            .clock = clock.fn()});
    std::optional<result<update_result>> got;
    estimator{refused, "182626"}.async_update_job_description("x", [&](result<update_result> r) { got = r; });
    while (!queue.empty()) {
        auto job = std::move(queue.front());
        queue.pop_front();
        job();
    }
    REQUIRE(got);
    CHECK((*got)->error_msg == "The username or password is wrong.");
}

TEST_CASE_FIXTURE(fixture, "bad credentials are refused when the session is made, before anything is sent")
{
    for (const credentials& c : std::initializer_list<credentials>{
             aksk_credentials{"", "SK"}, aksk_credentials{"A K", "SK"}, aksk_credentials{"AK", ""},
             aksk_credentials{"AK", "SK", "bad\ntoken"}, password_credentials{"", "pw", "", "https://iam"},
             password_credentials{"u", "pw", "", "not a url"}, token_credentials{""}}) {
        auto s = try_make(c);
        REQUIRE_FALSE(s.has_value());
        CHECK(s.error() == condition::invalid_input);
    }
    // An access key is letters and digits only: `=` or `,` would make Authorization ambiguous.
    for (const char* ak : {"Signature=", "A1SignedHeaders=", "AK,", "AK\x01", ""})
        CHECK(try_make(aksk_credentials{ak, "SK"}).error() == error::invalid_access_key);
    CHECK(try_make(aksk_credentials{std::string(128, 'A'), "SK"}).has_value());
    CHECK(try_make(aksk_credentials{std::string(129, 'A'), "SK"}).error() == error::invalid_access_key);
    CHECK(em.requests().empty());
}

TEST_CASE_FIXTURE(fixture, "clock skew corrects itself: 100 updates 20 minutes fast, then 20 minutes slow, one refusal each way")
{
    system_clock::duration skew = minutes(20);
    int refused = 0, attempts = 0;
    auto s = test_support::session_of(in_process_transport{em}, {.endpoint = em.endpoint(),
                                                                 .project_id = em.project_id(),
                                                                 .auth = aksk_credentials{"AK1", "SK1"},
                                                                 .retry = test_support::no_retries(),  // the re-signing is outside the policy
                                                                 .clock = [&] { return clock.now + skew; },
                                                                 .on_attempt = [&](const attempt_report& a) {
                                                                     ++attempts;
                                                                     refused += a.outcome->status == 401;
                                                                 }});
    for (auto wrong_by : {minutes(20), -minutes(20)}) {
        CAPTURE(duration_cast<minutes>(wrong_by).count());
        skew = wrong_by;  // the host's clock jumps
        refused = attempts = 0;
        int succeeded = 0;
        for (int i = 0; i < 100; ++i) {
            clock.now += seconds(7);  // time passes on both sides
            diagnostics diag;
            auto r = estimator{s, "182626"}.update_job_description("update " + std::to_string(i), &diag);
            succeeded += r && r->is_success;
            if (i == 0) CHECK(diag.last_failure == attempt_failure{{}, 401});
        }
        CHECK(succeeded == 100);
        CHECK(refused == 1);
        CHECK(attempts == 101);
    }
    CHECK(em.description("182626") == "update 99");

    SUBCASE("a 401 for other reasons is the answer: bad keys are not retried as skew")
    {
        auto bad = test_support::session_of(in_process_transport{em}, {.endpoint = em.endpoint(),
                                                                       .project_id = em.project_id(),
                                                                       .auth = aksk_credentials{"AK1", "wrong"},
                                                                       .clock = [&] { return clock.now + minutes(20); }});
        diagnostics diag;
        auto r = estimator{bad, "182626"}.update_job_description("x", &diag);
        CHECK(r->error_code == "APIGW.0301");
        CHECK(diag.attempts == 2);  // once skewed, once corrected: then the wrong key's refusal stands
    }
}
