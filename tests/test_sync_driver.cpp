#include "modelarts/detail/sync_driver.hpp"

#include "modelarts/estimator.hpp"

#include "support.hpp"

#include <doctest/doctest.h>

#include <deque>
#include <functional>
#include <sstream>
#include <vector>

using namespace modelarts;
using namespace std::chrono;
using namespace std::chrono_literals;

namespace {

// Time that moves only when the test (or a sleep) moves it.
struct fake_time {
    steady_clock::time_point mono = steady_clock::time_point{} + 1h;
    system_clock::time_point wall = sys_days{2026y / November / 28} + 12h;
    std::vector<nanoseconds> sleeps;

    void advance(nanoseconds d)
    {
        mono += d;
        wall += duration_cast<system_clock::duration>(d);
    }
    session_options options(credentials auth = token_credentials{"tok"}, retry_policy retry = {})
    {
        return {.endpoint = "https://modelarts.example.com",
                .project_id = "p",
                .auth = std::move(auth),
                .retry = std::move(retry),
                .clock = [this] { return wall; },
                .monotonic_clock = [this] { return mono; },
                .sleep = [this](nanoseconds d) { sleeps.push_back(d), advance(d); },
                .random = [] { return std::uint64_t(1) << 63; }};  // every wait is half its cap
    }
};

// Answers each request with the next scripted outcome (then `fallback`), taking `latency`.
struct scripted_transport {
    fake_time* time;
    std::deque<result<http_response>> script = {};
    result<http_response> fallback = http_response{200, {}, R"({"is_success":true})"};
    nanoseconds latency = 0ns;
    std::vector<http_request> sent = {};
    std::vector<milliseconds> timeouts = {};

    result<http_response> send(const http_request& req, milliseconds timeout)
    {
        sent.push_back(req);
        timeouts.push_back(timeout);
        time->advance(latency);
        if (script.empty()) return fallback;
        auto next = std::move(script.front());
        script.pop_front();
        return next;
    }
    result<http_response> send(const http_request& req) { return send(req, 0ms); }
};

const http_response ok{200, {}, R"({"is_success":true})"};
const http_response html_503{503, {{"Content-Type", "text/html"}}, "<html>503 Service Temporarily Unavailable</html>"};
const http_response throttled{429, {}, R"({"error_code":"APIGW.0308","error_msg":"The throttling threshold has been reached"})"};
const http_response not_found{400, {}, R"({"is_success":false,"error_code":"ModelArts.2775","error_message":"TrainingJobNotFound"})"};
const boost::system::error_code reset = error::connection_reset;

http_response iam_token(std::string token)
{
    return {201, {{"X-Subject-Token", std::move(token)}}, R"({"token":{"expires_at":"2026-11-29T12:00:00.000000Z"}})"};
}

struct fixture {
    fake_time time;
    session<scripted_transport> make(std::deque<result<http_response>> script, retry_policy retry = {},
                                     credentials auth = token_credentials{"tok"})
    {
        return test_support::session_of(scripted_transport{&time, std::move(script)}, time.options(std::move(auth), std::move(retry)));
    }
};

} // namespace

TEST_CASE_FIXTURE(fixture, "transient statuses and transport failures are retried, with growing jittered waits")
{
    auto s = make({html_503, reset, throttled, http_response{502, {}, ""}, ok}, {.max_attempts = 5});
    diagnostics diag;
    auto r = estimator{s, "182626"}.update_job_description("d", &diag);
    REQUIRE(r);
    CHECK(r->is_success);
    CHECK(diag.last_failure == attempt_failure{{}, 502});
    CHECK(diag.attempts == 5);
    CHECK(diag.http_status == 200);
    CHECK(time.sleeps == std::vector<nanoseconds>{250ms, 500ms, 1s, 2s});
    CHECK(s.transport().sent.size() == 5);
}

TEST_CASE_FIXTURE(fixture, "never retried: other 4xx, refused input, a 2xx that cannot be parsed")
{
    SUBCASE("400")
    {
        auto s = make({not_found});
        diagnostics diag;
        auto r = estimator{s, "182626"}.update_job_description("d", &diag);
        CHECK(r->error_code == "ModelArts.2775");
        CHECK(diag.attempts == 1);
        CHECK(s.transport().sent.size() == 1);
    }
    SUBCASE("401, 403, 404 and 413")
    {
        for (unsigned status : {401u, 403u, 404u, 413u}) {
            auto s = make({http_response{status, {}, R"({"error_code":"APIGW.0301","error_msg":"no"})"}});
            auto r = estimator{s, "182626"}.update_job_description("d");
            CHECK_FALSE(r->is_success);
            CHECK(s.transport().sent.size() == 1);
        }
    }
    SUBCASE("a 2xx that cannot be parsed")
    {
        auto s = make({http_response{200, {}, "<html>ok</html>"}});
        diagnostics diag;
        CHECK(estimator{s, "182626"}.update_job_description("d", &diag).error() == error::malformed_body);
        CHECK(s.transport().sent.size() == 1);
        CHECK(diag.attempts == 1);
        CHECK_FALSE(diag.last_failure);
    }
    SUBCASE("refused input")
    {
        auto s = make({});
        diagnostics diag;
        CHECK(estimator{s, "182626"}.update_job_description(std::string(257, 'x'), &diag).error() == error::description_too_long);
        CHECK(s.transport().sent.empty());
        CHECK(diag.attempts == 0);
    }
    SUBCASE("a cancelled exchange")
    {
        auto s = make({boost::system::errc::make_error_code(boost::system::errc::operation_canceled)});
        CHECK(estimator{s, "182626"}.update_job_description("d").error() == boost::system::errc::operation_canceled);
        CHECK(s.transport().sent.size() == 1);
    }
    CHECK(time.sleeps.empty());
}

TEST_CASE_FIXTURE(fixture, "after max_attempts the last outcome is the result: its error, or its answer")
{
    SUBCASE("a transport error")
    {
        auto s = make({reset, reset, reset, reset, reset});
        diagnostics diag;
        CHECK(estimator{s, "182626"}.update_job_description("d", &diag).error() == error::connection_reset);
        CHECK(s.transport().sent.size() == 4);
        CHECK(diag.attempts == 4);
        CHECK(diag.last_failure == attempt_failure{reset, 0});
        CHECK(diag.http_status == 0);
    }
    SUBCASE("a throttled answer stays the gateway's verdict")
    {
        auto s = make({throttled, throttled, throttled, throttled, ok});
        diagnostics diag;
        auto r = estimator{s, "182626"}.update_job_description("d", &diag);
        REQUIRE(r);
        CHECK(r->error_code == "APIGW.0308");
        CHECK(diag.http_status == 429);
        CHECK(diag.attempts == 4);
        CHECK(s.transport().script.size() == 1);  // the fifth answer was never asked for
    }
    SUBCASE("an HTML 503 cannot be understood: the error, with the status kept")
    {
        auto s = make({}, {.max_attempts = 3});
        s.transport().fallback = html_503;
        diagnostics diag;
        CHECK(estimator{s, "182626"}.update_job_description("d", &diag).error() == error::malformed_body);
        CHECK(diag.http_status == 503);
        CHECK(diag.attempts == 3);
        CHECK(time.sleeps.size() == 2);
    }
    SUBCASE("max_attempts 1 turns retrying off")
    {
        auto s = make({html_503}, test_support::no_retries());
        CHECK(estimator{s, "182626"}.update_job_description("d").error() == error::malformed_body);
        CHECK(s.transport().sent.size() == 1);
    }
}

TEST_CASE_FIXTURE(fixture, "the deadline bounds the whole call, waits included; each attempt gets what remains")
{
    auto s = make({}, {.max_attempts = 100, .initial_delay = 400ms, .multiplier = 1.0, .timeout = 1s});
    s.transport().fallback = reset;
    s.transport().latency = 150ms;
    const auto start = time.mono;
    CHECK(estimator{s, "182626"}.update_job_description("d").error() == error::connection_reset);
    CHECK(time.mono - start <= 1s);
    // Attempts at 0, 350 and 700 ms (150 ms each, 200 ms waits); a fourth wait would pass the deadline.
    CHECK(s.transport().timeouts == std::vector<milliseconds>{1000ms, 650ms, 300ms});
    CHECK(time.sleeps == std::vector<nanoseconds>{200ms, 200ms});
}

TEST_CASE_FIXTURE(fixture, "Retry-After is honoured, as seconds or as a date, when the deadline allows")
{
    auto with_retry_after = [](std::string value) {
        auto res = throttled;
        res.headers.set("Retry-After", value);
        return res;
    };
    SUBCASE("delta-seconds: the next attempt comes 1 s later, not after the jittered 250 ms")
    {
        auto s = make({with_retry_after("1"), ok});
        REQUIRE(estimator{s, "182626"}.update_job_description("d")->is_success);
        CHECK(time.sleeps == std::vector<nanoseconds>{1s});
    }
    SUBCASE("an HTTP-date")
    {
        auto s = make({with_retry_after("Sat, 28 Nov 2026 12:00:03 GMT"), ok});
        REQUIRE(estimator{s, "182626"}.update_job_description("d")->is_success);
        CHECK(time.sleeps == std::vector<nanoseconds>{3s});
    }
    SUBCASE("longer than the deadline allows: no retry, the answer stands")
    {
        auto s = make({with_retry_after("120"), ok});
        auto r = estimator{s, "182626"}.update_job_description("d");
        CHECK(r->error_code == "APIGW.0308");
        CHECK(s.transport().sent.size() == 1);
        CHECK(time.sleeps.empty());
    }
    SUBCASE("unreadable: the usual backoff")
    {
        auto s = make({with_retry_after("soon"), ok});
        REQUIRE(estimator{s, "182626"}.update_job_description("d")->is_success);
        CHECK(time.sleeps == std::vector<nanoseconds>{250ms});
    }
}

TEST_CASE_FIXTURE(fixture, "every attempt is signed afresh: a new X-Sdk-Date and signature")
{
    auto res = throttled;
    res.headers.set("Retry-After", "2");
    auto s = make({res, ok}, {}, aksk_credentials{"AK1", "SK1"});
    REQUIRE(estimator{s, "182626"}.update_job_description("d")->is_success);
    const auto& sent = s.transport().sent;
    REQUIRE(sent.size() == 2);
    CHECK(sent[0].headers.get("X-Sdk-Date") == "20261128T120000Z");
    CHECK(sent[1].headers.get("X-Sdk-Date") == "20261128T120002Z");
    CHECK(sent[0].headers.get("Authorization") != sent[1].headers.get("Authorization"));
    CHECK(sent[0].body() == sent[1].body());
    CHECK(sent[0].headers.size() == sent[1].headers.size());  // replaced, not added
}

TEST_CASE_FIXTURE(fixture, "password sessions: a 401 renews the IAM token once, then the answer stands")
{
    const credentials alice = password_credentials{"alice", "pw", "", "https://iam.example.com"};
    const http_response expired{401, {}, R"({"error_code":"APIGW.0301","error_msg":"token expired"})"};
    SUBCASE("renewed, then accepted")
    {
        auto s = make({iam_token("TOKEN-A"), expired, iam_token("TOKEN-B"), ok}, {}, alice);
        diagnostics diag;
        auto r = estimator{s, "182626"}.update_job_description("d", &diag);
        REQUIRE(r->is_success);
        CHECK(diag.attempts == 4);
        CHECK(diag.last_failure == attempt_failure{{}, 401});
        const auto& sent = s.transport().sent;
        REQUIRE(sent.size() == 4);
        CHECK(sent[0].target() == "/v3/auth/tokens");
        CHECK(sent[1].headers.get("X-Auth-Token") == "TOKEN-A");
        CHECK(sent[2].target() == "/v3/auth/tokens");
        CHECK(sent[3].headers.get("X-Auth-Token") == "TOKEN-B");
        CHECK(time.sleeps.empty());
    }
    SUBCASE("a second 401 is the answer")
    {
        auto s = make({iam_token("TOKEN-A"), expired, iam_token("TOKEN-B"), expired}, {}, alice);
        diagnostics diag;
        auto r = estimator{s, "182626"}.update_job_description("d", &diag);
        CHECK(r->error_code == "APIGW.0301");
        CHECK(diag.http_status == 401);
        CHECK(s.transport().sent.size() == 4);
    }
    SUBCASE("IAM's own transient failures are retried too")
    {
        auto s = make({html_503, iam_token("TOKEN-A"), ok}, {}, alice);
        REQUIRE(estimator{s, "182626"}.update_job_description("d")->is_success);
        CHECK(s.transport().sent.size() == 3);
        CHECK(time.sleeps.size() == 1);
    }
}

TEST_CASE_FIXTURE(fixture, "a user's retry decision replaces the default; attempts and deadline still apply")
{
    const http_response conflict{409, {}, R"({"error_code":"ModelArts.0109","error_msg":"busy"})"};
    retry_policy p{.retry_if = [](const result<http_response>& r) { return r && r->status == 409; }};
    auto s = make({conflict, conflict, ok, html_503}, p);
    REQUIRE(estimator{s, "182626"}.update_job_description("d")->is_success);
    CHECK(s.transport().sent.size() == 3);
    auto again = make({html_503}, p);
    CHECK(estimator{again, "182626"}.update_job_description("d").error() == error::malformed_body);  // 503 not retried now
    CHECK(again.transport().sent.size() == 1);
}

TEST_CASE_FIXTURE(fixture, "the observer sees every attempt once: request, outcome, duration, the wait to come")
{
    std::vector<std::string> seen;
    auto options = time.options(aksk_credentials{"AK1", "SK1"});
    options.on_attempt = [&](const attempt_report& a) {
        std::ostringstream line;
        line << a.number << ' ' << (a.outcome ? std::to_string(a.outcome->status) : a.outcome.error().message()) << ' '
             << duration_cast<milliseconds>(a.duration).count() << "ms "
             << (a.retry_in ? std::to_string(duration_cast<milliseconds>(*a.retry_in).count()) + "ms" : "-");
        seen.push_back(line.str());
        std::ostringstream printed;
        printed << a.request;
        CHECK(printed.str().find("SK1") == std::string::npos);
        CHECK(printed.str().find("Signature=") == std::string::npos);  // Authorization is masked
    };
    auto s = test_support::session_of(scripted_transport{&time, {html_503, reset, ok}, ok, 7ms}, std::move(options));
    REQUIRE(estimator{s, "182626"}.update_job_description("d")->is_success);
    CHECK(seen == std::vector<std::string>{"1 503 7ms 250ms", "2 " + reset.message() + " 7ms 500ms", "3 200 7ms -"});
}

namespace {

// An async transport without Asio, with an optional timer: both queue work until run().
template <bool with_timer>
struct queued_transport {
    std::deque<std::function<void()>>* queue;
    std::deque<result<http_response>>* script;
    std::vector<nanoseconds>* waits;

    template <class Handler>
    void async_send(http_request, Handler h)
    {
        auto next = std::move(script->front());
        script->pop_front();
        queue->push_back([h = std::move(h), next = std::move(next)]() mutable {
            if (next) return h(boost::system::error_code{}, std::move(*next));
            h(next.error(), http_response{});
        });
    }
    template <class Handler>
    void async_wait(nanoseconds d, Handler h)
        requires with_timer
    {
        waits->push_back(d);
        queue->push_back([h = std::move(h)]() mutable { h(boost::system::error_code{}); });
    }
};

} // namespace

TEST_CASE("async without Asio: a transport with a timer retries; one without never does")
{
    static_assert(async_timer_transport<queued_transport<true>>);
    static_assert(!async_timer_transport<queued_transport<false>>);
    std::deque<std::function<void()>> queue;
    std::deque<result<http_response>> script = {html_503, reset, ok};
    std::vector<nanoseconds> waits;
    auto run = [&] {
        while (!queue.empty()) {
            auto job = std::move(queue.front());
            queue.pop_front();
            job();
        }
    };
    const session_options options{.endpoint = "https://h", .project_id = "p", .random = [] { return std::uint64_t(1) << 63; }};

    auto timed = test_support::session_of(queued_transport<true>{&queue, &script, &waits}, options);
    std::optional<result<update_result>> got;
    diagnostics diag;
    estimator{timed, "182626"}.async_update_job_description("d", [&](result<update_result> r) { got = std::move(r); }, &diag);
    run();
    REQUIRE(got);
    REQUIRE(got->has_value());
    CHECK(diag.attempts == 3);
    CHECK(waits == std::vector<nanoseconds>{250ms, 500ms});

    script = {html_503, ok};
    auto untimed = test_support::session_of(queued_transport<false>{&queue, &script, &waits}, options);
    got.reset();
    estimator{untimed, "182626"}.async_update_job_description("d", [&](result<update_result> r) { got = std::move(r); }, &diag);
    run();
    REQUIRE(got);
    CHECK(got->error() == error::malformed_body);
    CHECK(diag.http_status == 503);
    CHECK(diag.attempts == 1);
    CHECK(script.size() == 1);  // the second answer was never asked for
}
