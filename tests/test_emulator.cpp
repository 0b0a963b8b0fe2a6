#include "modelarts/testing/emulator.hpp"

#include "modelarts/request.hpp"
#include "modelarts/response.hpp"
#include "modelarts/transport.hpp"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include <set>
#include <string>

using namespace modelarts;
using modelarts::testing::emulator;

namespace {

http_request put(const std::string& target, std::string body, std::string token = "tok")
{
    http_request r{http_method::put, {}, target, {{"X-Auth-Token", token}}, std::move(body)};
    return r;
}

http_request get(const std::string& target, std::string token = "tok")
{
    return {http_method::get, {}, target, {{"X-Auth-Token", token}}, ""};
}

boost::json::object json(const http_response& r) { return boost::json::parse(r.body).as_object(); }

const std::string v1 = "/v1/0123456789abcdef0123456789abcdef/training-jobs/";
const std::string v2 = "/v2/0123456789abcdef0123456789abcdef/training-jobs/";

} // namespace

TEST_CASE("the emulator starts with v1 job 182626 (two versions) and one v2 job")
{
    emulator em;
    CHECK(em.description("182626") == "first description");
    CHECK(em.description(emulator::sample_v2_job_id) == "a v2 job");
    CHECK_FALSE(em.description("1"));
    em.add_v1_job(42, "mine", "d", {{7, "V0001"}});
    em.add_v2_job("00000000-0000-0000-0000-000000000001", "e");
    CHECK(em.description("42") == "d");
    CHECK(em.description("00000000-0000-0000-0000-000000000001") == "e");
}

TEST_CASE("v1 update: {\"is_success\":true}, and the description is stored")
{
    emulator em{{.token = "tok"}};
    auto r = em.handle(put(v1 + "182626", R"({"job_desc":"new \u4e2d"})"));
    CHECK(r.status == 200);
    CHECK(r.body == R"({"is_success":true})");
    CHECK(r.headers.get("Content-Type") == "application/json");
    CHECK(r.headers.get("X-Request-Id").size() == 32);
    CHECK(em.description("182626") == "new \xE4\xB8\xAD");
}

TEST_CASE("v2 update: body null, and the description is stored")
{
    emulator em{{.token = "tok"}};
    auto r = em.handle(put(v2 + std::string(emulator::sample_v2_job_id), R"({"description":"two"})"));
    CHECK(r.status == 200);
    CHECK(r.body == "null");
    CHECK(em.description(emulator::sample_v2_job_id) == "two");
}

TEST_CASE("the gateway answers unknown APIs with 404 APIGW.0101 and bad tokens with 401 APIGW.0301")
{
    emulator em{{.token = "tok"}};
    for (auto req : {put("/v1/x", "{}"), put(v1 + "182626/extra", "{}"), get(v1 + "182626"),
                     http_request{http_method::post, {}, v1 + "182626", {}, "{}"}, put("", "{}"), put("v1", "")}) {
        CAPTURE(req.target());
        auto r = em.handle(req);
        CHECK(r.status == 404);
        auto o = json(r);
        CHECK(o.at("error_code") == "APIGW.0101");
        CHECK(o.at("request_id").as_string() == r.headers.get("X-Request-Id"));
        CHECK_FALSE(o.contains("is_success"));
    }
    for (auto req : {put(v1 + "182626", R"({"job_desc":"x"})", "wrong"), put(v1 + "182626", R"({"job_desc":"x"})", "")}) {
        auto r = em.handle(req);
        CHECK(r.status == 401);
        CHECK(json(r).at("error_code") == "APIGW.0301");
    }
    CHECK(em.description("182626") == "first description");
}

TEST_CASE("every answer is dated by the emulator's clock, as the gateway's are, faults included")
{
    const auto at = std::chrono::sys_days{std::chrono::year{2026} / 11 / 28} + std::chrono::hours(12);
    emulator em{{.token = "tok", .clock = [at] { return at; },
                 .faults = {.at = {{2, testing::fault::service_unavailable}, {3, testing::fault::throttled}}}}};
    CHECK(em.handle(put(v1 + "182626", R"({"job_desc":"x"})")).headers.get("Date") == "Sat, 28 Nov 2026 12:00:00 GMT");
    CHECK(em.handle(put("/v1/x", "{}")).headers.get("Date") == "Sat, 28 Nov 2026 12:00:00 GMT");  // the gateway's 404
    for (int i = 1; i <= 3; ++i) {  // an answer, an HTML 503, a 429
        CAPTURE(i);
        CHECK(em.exchange(put(v1 + "182626", R"({"job_desc":"x"})")).response.headers.get("Date") == "Sat, 28 Nov 2026 12:00:00 GMT");
    }
}

TEST_CASE("without a configured token, requests without credentials pass")
{
    emulator em;
    http_request req{http_method::put, {}, v1 + "182626", {}, R"({"job_desc":"open"})"};
    CHECK(em.handle(req).status == 200);
}

TEST_CASE("service failures use the documented codes; v1 spells the message field as configured")
{
    emulator current{{.token = "tok"}};
    auto r = current.handle(put(v1 + "999", R"({"job_desc":"x"})"));
    CHECK(r.status == 400);
    auto o = json(r);
    CHECK(o.at("is_success") == false);
    CHECK(o.at("error_code") == "ModelArts.2775");
    CHECK(o.contains("error_message"));

    emulator older{{.token = "tok", .v1_error_message_field = "error_msg"}};
    o = json(older.handle(put(v1 + "999", R"({"job_desc":"x"})")));
    CHECK(o.contains("error_msg"));
    CHECK_FALSE(o.contains("error_message"));

    // v2 failures carry error_solution and no is_success.
    o = json(current.handle(put(v2 + "00000000-0000-0000-0000-000000000000", R"({"description":"x"})")));
    CHECK(o.at("error_code") == "ModelArts.2775");
    CHECK(o.contains("error_solution"));
    CHECK_FALSE(o.contains("is_success"));

    // A v1 job asked for through v2, and the other way round, is not found.
    CHECK(json(current.handle(put(v2 + "182626", R"({"description":"x"})"))).at("error_code") == "ModelArts.2775");

    r = current.handle(put("/v1/otherproject/training-jobs/182626", R"({"job_desc":"x"})"));
    CHECK(r.status == 404);
    CHECK(json(r).at("error_code") == "ModelArts.2786");
}

TEST_CASE("the emulator applies the service's limits to bodies")
{
    emulator em{{.token = "tok"}};
    auto code = [&](std::string body) { return std::string(json(em.handle(put(v1 + "182626", std::move(body)))).at("error_code").as_string()); };
    CHECK(code("{not json") == "ModelArts.2787");
    CHECK(code("[]") == "ModelArts.2787");
    CHECK(code(R"({"description":"v2 field on v1"})") == "ModelArts.2788");
    CHECK(code(R"({"job_desc":5})") == "ModelArts.2788");
    CHECK(code(R"({"job_desc":")" + std::string(257, 'x') + "\"}") == "ModelArts.2788");
    CHECK(em.description("182626") == "first description");

    std::string cjk;
    for (int i = 0; i < 256; ++i) cjk += "\xE4\xB8\xAD";
    CHECK(em.handle(put(v1 + "182626", R"({"job_desc":")" + cjk + "\"}")).status == 200);
    CHECK(em.description("182626") == cjk);

    auto big = em.handle(put(v1 + "182626", std::string(12 * 1024 * 1024 + 1, ' ')));
    CHECK(big.status == 413);
    CHECK(json(big).at("error_code") == "ModelArts.4104");
}

TEST_CASE("the version list pages as the service does")
{
    emulator em{{.token = "tok"}};
    auto all = parse_list_job_versions_response(em.handle(get(v1 + "182626/versions")));
    REQUIRE(all);
    CHECK(all->is_success);
    CHECK(all->job_id == 182626);
    CHECK(all->job_desc == "first description");
    REQUIRE(all->versions.size() == 2);
    CHECK(all->versions[0].version_name == "V0001");

    auto second = parse_list_job_versions_response(em.handle(get(v1 + "182626/versions?per_page=1&page=2")));
    REQUIRE(second);
    REQUIRE(second->versions.size() == 1);
    CHECK(second->versions[0].version_name == "V0002");
    CHECK(second->version_count == 2);

    auto past = parse_list_job_versions_response(em.handle(get(v1 + "182626/versions?per_page=5&page=9")));
    REQUIRE(past);
    CHECK(past->versions.empty());

    for (std::string q : {"?per_page=0", "?per_page=1001", "?page=-1", "?per_page=x", "?other=1"}) {
        CAPTURE(q);
        auto r = em.handle(get(v1 + "182626/versions" + q));
        CHECK(r.status == 400);
        CHECK(json(r).at("error_code") == "ModelArts.0104");
    }
}

TEST_CASE("every answer has its own request id; the emulator logs the requests it handled")
{
    emulator em{{.token = "tok"}};
    std::set<std::string> ids;
    for (int i = 0; i < 50; ++i) ids.insert(std::string(em.handle(get(v1 + "182626/versions")).headers.get("X-Request-Id")));
    CHECK(ids.size() == 50);
    CHECK(em.requests().size() == 50);
    em.clear_requests();
    CHECK(em.requests().empty());
}

TEST_CASE("in_process_transport is a sync_transport over the emulator")
{
    static_assert(sync_transport<modelarts::testing::in_process_transport>);
    emulator em;
    modelarts::testing::in_process_transport t{em};
    auto req = make_update_job_description_request({em.endpoint(), em.project_id()}, "182626", "via transport");
    REQUIRE(req);
    auto res = t.send(*req);
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(em.description("182626") == "via transport");
}

TEST_CASE("a logged request can be replayed: handle() reads its request before logging it")
{
    emulator em;
    http_request req{http_method::put, {}, v1 + "182626", {}, R"({"job_desc":"replayed"})"};
    em.handle(req);
    for (int i = 0; i < 100; ++i) CHECK(em.handle(em.requests()[0]).status == 200);  // the log grows meanwhile
    CHECK(em.requests().size() == 101);
    CHECK(em.description("182626") == "replayed");
}

TEST_CASE("faults by request number: each kind does what it says, and says whether the request was applied")
{
    using modelarts::testing::fault;
    emulator em{{.token = "tok",
                 .faults = {.at = {{1, fault::reset}, {2, fault::bad_gateway}, {3, fault::service_unavailable},
                                   {4, fault::throttled}, {5, fault::throttled_retry_after}, {6, fault::delay},
                                   {7, fault::truncated_body}},
                            .delay = std::chrono::milliseconds(30),
                            .retry_after = std::chrono::seconds(2)}}};
    auto update = [&](int n) { return em.exchange(put(v1 + "182626", "{\"job_desc\":\"d" + std::to_string(n) + "\"}")); };

    auto x = update(1);
    CHECK(x.how == fault::reset);
    CHECK(em.description("182626") == "first description");  // not applied
    for (int n : {2, 3}) {
        x = update(n);
        CHECK(x.how == fault::none);
        CHECK(x.response.status == (n == 2 ? 502u : 503u));
        CHECK(x.response.headers.get("Content-Type") == "text/html");
        CHECK(parse_update_job_description_response(x.response, api_version::v1).error() == error::malformed_body);
    }
    x = update(4);
    CHECK(x.response.status == 429);
    CHECK(json(x.response).at("error_code") == "APIGW.0308");
    CHECK_FALSE(x.response.headers.contains("Retry-After"));
    x = update(5);
    CHECK(x.response.status == 429);
    CHECK(x.response.headers.get("Retry-After") == "2");
    CHECK(em.description("182626") == "first description");  // nothing applied so far
    x = update(6);
    CHECK(x.how == fault::delay);
    CHECK(x.delay == std::chrono::milliseconds(30));
    CHECK(x.response.status == 200);
    CHECK(em.description("182626") == "d6");  // applied, answered late
    x = update(7);
    CHECK(x.how == fault::truncated_body);
    CHECK(em.description("182626") == "d7");  // applied, answer cut
    x = update(8);
    CHECK(x.how == fault::none);
    CHECK(x.response.status == 200);
    CHECK(em.exchanges() == 8);
}

TEST_CASE("faults at a seeded rate are deterministic, by request number")
{
    using modelarts::testing::fault_plan;
    const fault_plan a{.rate = 0.2, .seed = 42}, b{.rate = 0.2, .seed = 42}, c{.rate = 0.2, .seed = 43};
    int faults = 0, differ = 0;
    std::set<modelarts::testing::fault> kinds;
    for (std::uint64_t n = 1; n <= 10000; ++n) {
        CHECK(a.for_request(n) == b.for_request(n));
        faults += a.for_request(n) != modelarts::testing::fault::none;
        differ += a.for_request(n) != c.for_request(n);
        kinds.insert(a.for_request(n));
    }
    CHECK(faults > 1800);
    CHECK(faults < 2200);
    CHECK(differ > 0);
    CHECK(kinds.size() == 8);  // none and all seven kinds
    CHECK(fault_plan{.rate = 1.0, .kinds = {modelarts::testing::fault::reset}}.for_request(5) == modelarts::testing::fault::reset);
    CHECK(fault_plan{}.for_request(1) == modelarts::testing::fault::none);
}

TEST_CASE("in_process_transport carries faults out as a network transport reports them")
{
    using modelarts::testing::fault;
    emulator em{{.faults = {.at = {{1, fault::reset}, {2, fault::truncated_body}, {3, fault::delay}, {4, fault::delay}},
                            .delay = std::chrono::milliseconds(20)}}};
    modelarts::testing::in_process_transport t{em};
    auto req = make_update_job_description_request({em.endpoint(), em.project_id()}, "182626", "faulty");
    REQUIRE(req);
    CHECK(t.send(*req).error() == error::connection_reset);
    CHECK(t.send(*req).error() == error::connection_reset);  // a truncated answer: the update was applied though
    CHECK(em.description("182626") == "faulty");
    const auto start = std::chrono::steady_clock::now();
    CHECK(t.send(*req)->status == 200);
    CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(20));
    CHECK(t.send(*req, std::chrono::milliseconds(5)).error() == error::timeout);  // later than the call allows
}

TEST_CASE("regression: an answer that repeats bytes of the request is UTF-8 JSON whatever they were")
{
    emulator em{{.token = "tok"}};
    // Found by fuzzing: the 400 repeated the raw \xff of the path, and no JSON parser read it.
    for (const std::string id : {"\xff}", "\xC0\xAF", "\xED\xA0\x80", "ok\xE4\xB8", "9\xF4\x90\x80\x80"}) {
        for (const std::string& api : {v1, v2}) {
            CAPTURE(id);
            auto r = em.handle(put(api + id, R"({"job_desc":"x"})"));
            CHECK(r.status / 100 == 4);
            CHECK(detail::utf8_length(r.body));
            auto verdict = parse_update_job_description_response(r, api == v2 ? api_version::v2 : api_version::v1);
            REQUIRE(verdict);
            CHECK_FALSE(verdict->is_success);
            CHECK_FALSE(verdict->error_code.empty());
        }
    }
}

TEST_CASE("invalid UTF-8 becomes U+FFFD byte by byte; well-formed text is kept as it is")
{
    CHECK(detail::utf8_replace_invalid("abc \xE4\xB8\xAD") == "abc \xE4\xB8\xAD");
    CHECK(detail::utf8_replace_invalid("a\xff" "b") == "a\xEF\xBF\xBD" "b");
    CHECK(detail::utf8_replace_invalid("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");
    CHECK(detail::utf8_replace_invalid("x\xE4\xB8") == "x\xEF\xBF\xBD\xEF\xBF\xBD");
    CHECK(detail::utf8_replace_invalid("") == "");
}
