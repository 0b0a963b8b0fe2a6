#include "modelarts/response.hpp"

#include <doctest/doctest.h>

#include "allocation_counter.hpp"

#include "modelarts/request.hpp"

#include <cstdint>
#include <string>
#include <vector>

using namespace modelarts;

using test_support::allocations;  // every heap allocation this program makes

namespace {
http_response resp(unsigned status, std::string body, std::string request_id = "")
{
    http_response r{status, {}, std::move(body)};
    if (!request_id.empty()) r.headers.set("X-Request-Id", request_id);
    return r;
}
} // namespace

TEST_CASE("v1 success: {\"is_success\":true}")
{
    const auto res = resp(200, R"({"is_success": true})", "req-1");
    auto r = parse_update_job_description_response(res, api_version::v1);
    REQUIRE(r);
    CHECK(r->is_success);
    CHECK(r->error_code.empty());
    CHECK(request_id_of(res) == "req-1");
}

TEST_CASE("an overlong request id, from the header or the body, is kept cut and marked")
{
    const std::string id(200, '7');
    const std::string kept = std::string(request_id_string::max_size - 3, '7') + "...";
    CHECK(request_id_of(resp(200, R"({"is_success":true})", id)) == kept);
    CHECK(request_id_of(resp(401, R"({"error_code":"APIGW.0301","error_msg":"x","request_id":")" + id + "\"}")) == kept);
}

TEST_CASE("a success answer is read without a heap allocation; a failure allocates only for what it keeps")
{
    const auto v1 = resp(200, R"({"is_success":true})", "6d6f64656c6172740000000000000001");
    const auto v2 = resp(200, "null", "6d6f64656c6172740000000000000002");
    // Both kept strings are longer than any standard library's small-string buffer.
    const auto failure = resp(400, R"({"is_success":false,"error_code":"ModelArts.2775.NotFoundAnywhere",)"
                                    R"("error_msg":"TrainingJobNotFound: no training job 9"})",
                              "6d6f64656c6172740000000000000003");

    std::size_t before = allocations;
    const auto a = parse_update_job_description_response(v1, api_version::v1);
    const auto b = parse_update_job_description_response(v2, api_version::v2);
    const std::size_t for_successes = allocations - before;
    before = allocations;
    const auto c = parse_update_job_description_response(failure, api_version::v1);
    const std::size_t for_failure = allocations - before;

    REQUIRE(a);
    REQUIRE(b);
    REQUIRE(c);
    CHECK(a->is_success);
    CHECK(b->is_success);
    CHECK_FALSE(c->is_success);
    CHECK(for_successes == 0);
    CHECK(for_failure == 2);  // error_code and error_msg
}

TEST_CASE("v1 failure, with error_msg or with error_message")
{
    auto r = parse_update_job_description_response(
        resp(400, R"({"is_success":false,"error_code":"ModelArts.2775","error_msg":"TrainingJobNotFound"})"),
        api_version::v1);
    REQUIRE(r);
    CHECK_FALSE(r->is_success);
    CHECK(r->error_code == "ModelArts.2775");
    CHECK(r->error_msg == "TrainingJobNotFound");

    r = parse_update_job_description_response(
        resp(400, R"({"is_success":false,"error_code":"ModelArts.0105","error_message":"Error string"})"),
        api_version::v1);
    REQUIRE(r);
    CHECK_FALSE(r->is_success);
    CHECK(r->error_code == "ModelArts.0105");
    CHECK(r->error_msg == "Error string");
}

TEST_CASE("v2 success: body null, empty or white space")
{
    for (std::string body : {"null", "", " \r\n", "{}"}) {
        CAPTURE(body);
        auto r = parse_update_job_description_response(resp(200, body, "r2"), api_version::v2);
        REQUIRE(r);
        CHECK(r->is_success);
    }
}

TEST_CASE("given the request it answers, an update answer is read as the API the request went to")
{
    const service_config config{"https://modelarts.cn-north-4.myhuaweicloud.com", "p"};
    const auto v1 = make_update_job_description_request(config, "182626", "x").value();
    const auto v2 = make_update_job_description_request(config, "3faf5c03-aaa1-4cbe-879d-24b05d997347", "x").value();
    const auto bare = resp(200, "null", "r3");  // v2's success; v1 always says is_success
    auto r = parse_update_job_description_response(bare, v2);
    REQUIRE(r);
    CHECK(r->is_success);
    CHECK(parse_update_job_description_response(bare, v1).error() == parse_update_job_description_response(bare, api_version::v1).error());
    CHECK_FALSE(parse_update_job_description_response(bare, v1));
    CHECK(parse_update_job_description_response(resp(200, R"({"is_success":true})"), v1));
}

TEST_CASE("v2 failure: error_code, error_msg, error_solution and no is_success")
{
    auto r = parse_update_job_description_response(
        resp(400, R"({"error_code":"ModelArts.2788","error_msg":"InvalidParam","error_solution":"Check it."})"),
        api_version::v2);
    REQUIRE(r);
    CHECK_FALSE(r->is_success);
    CHECK(r->error_code == "ModelArts.2788");
    CHECK(r->error_msg == "InvalidParam");
    CHECK(r->error_solution == "Check it.");
}

TEST_CASE("gateway failures, for either API, with the body's request_id when no header has one")
{
    for (auto api : {api_version::v1, api_version::v2}) {
        const auto res =
            resp(401, R"({"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information","request_id":"gw-9"})");
        auto r = parse_update_job_description_response(res, api);
        REQUIRE(r);
        CHECK_FALSE(r->is_success);
        CHECK(r->error_code == "APIGW.0301");
        CHECK(r->error_msg == "Incorrect IAM authentication information");
        CHECK(request_id_of(res) == "gw-9");
    }
    // The header wins over the body; a body that is not JSON has none.
    CHECK(request_id_of(resp(404, R"({"error_code":"APIG.0101","error_msg":"x","request_id":"b"})", "h")) == "h");
    CHECK(request_id_of(resp(502, "<html>bad gateway</html>")).empty());
    CHECK(request_id_of(resp(400, R"({"request_id":7})")).empty());
}

TEST_CASE("unknown fields are ignored")
{
    auto r = parse_update_job_description_response(
        resp(200, R"({"is_success":true,"extra":{"nested":[1,2]},"another":"x"})"), api_version::v1);
    REQUIRE(r);
    CHECK(r->is_success);
}

TEST_CASE("a body that is not JSON is malformed_body: HTML, empty, truncated, invalid UTF-8")
{
    for (std::string body : {"<html><body>502 Bad Gateway</body></html>", "", "{\"is_success\":tr",
                             "{\"is_success\":true", "\"\xFF\"", "{\"is_success\":true} trailing"}) {
        CAPTURE(body);
        auto r = parse_update_job_description_response(resp(502, body), api_version::v1);
        REQUIRE_FALSE(r);
        CHECK(r.error() == error::malformed_body);
    }
    CHECK(parse_update_job_description_response(resp(200, ""), api_version::v1).error() == error::malformed_body);
    CHECK(parse_update_job_description_response(resp(502, ""), api_version::v2).error() == error::malformed_body);
}

TEST_CASE("JSON of the wrong shape is unexpected_shape")
{
    for (std::string body : {R"({"is_success":"true"})", R"([{"is_success":true}])", R"("ok")", "42", "null",
                             R"({"is_success":1})", R"({})", R"({"is_success":true,"error_code":"X.1"})",
                             R"({"error_code":5,"is_success":false})", R"({"is_success":false,"error_msg":[]})"}) {
        CAPTURE(body);
        auto r = parse_update_job_description_response(resp(200, body), api_version::v1);
        REQUIRE_FALSE(r);
        CHECK(r.error() == error::unexpected_shape);
    }
    // A failure status needs a failure body.
    for (std::string body : {"null", R"({})", R"({"message":"nope"})", "[]"}) {
        CAPTURE(body);
        CHECK(parse_update_job_description_response(resp(500, body), api_version::v2).error() == error::unexpected_shape);
    }
}

TEST_CASE("status and body that disagree are contradictory_status")
{
    CHECK(parse_update_job_description_response(resp(200, R"({"is_success":false,"error_code":"ModelArts.0101"})"),
                                                api_version::v1)
              .error()
          == error::contradictory_status);
    CHECK(parse_update_job_description_response(resp(200, R"({"error_code":"ModelArts.0101","error_msg":"x"})"),
                                                api_version::v2)
              .error()
          == error::contradictory_status);
    CHECK(parse_update_job_description_response(resp(500, R"({"is_success":true})"), api_version::v1).error()
          == error::contradictory_status);
    CHECK(parse_update_job_description_response(resp(302, R"({"is_success":true})"), api_version::v1).error()
          == error::contradictory_status);
}

TEST_CASE("nesting deeper than the response needs is nesting_too_deep")
{
    CHECK(parse_update_job_description_response(resp(200, R"({"is_success":true,"x":[[[[1]]]]})"), api_version::v1)
              .error()
          == error::nesting_too_deep);
    CHECK(parse_update_job_description_response(resp(200, std::string(100000, '[')), api_version::v1).error()
          == error::nesting_too_deep);
    // Shallow unknown nesting is fine.
    CHECK(parse_update_job_description_response(resp(200, R"({"is_success":true,"x":[[1]]})"), api_version::v1));
}

TEST_CASE("the version list parses into typed versions; ids as numbers or numeric strings")
{
    const char* body = R"({
      "is_success": true, "job_id": "10", "job_name": "TestModelArtsJob", "job_desc": "d",
      "version_count": 2,
      "versions": [
        {"job_id": 10, "version_id": 10, "version_name": "V0001", "pre_version_id": 0, "engine_type": 1,
         "engine_name": "TensorFlow", "engine_id": 1, "engine_version": "TF-1.4.0-python2.7", "status": 10,
         "create_time": 1524189990635, "duration": 532, "spec_id": 1, "core": 2, "cpu": "8", "gpu_num": 1,
         "gpu_type": "P100", "data_url": "/usr/data/", "train_url": "/usr/train/", "log_url": "/usr/log/",
         "parameter": [{"label": "learning_rate", "value": "0.01"}, {"label": "epochs", "value": 10}],
         "dataset_id": "", "pool_id": "pool9928813f", "model_metric_list": "{}",
         "system_metric_list": {"cpuUsage": ["0"]}, "unknown_field": {"a": [1]}},
        {"version_id": "11", "version_name": "V0002"}
      ]})";
    auto r = parse_list_job_versions_response(resp(200, body, "rl"));
    REQUIRE(r);
    CHECK(r->is_success);
    CHECK(r->job_id == 10);
    CHECK(r->job_name == "TestModelArtsJob");
    CHECK(r->version_count == 2);
    REQUIRE(r->versions.size() == 2);
    const auto& v = r->versions[0];
    CHECK(v.job_id == 10);
    CHECK(v.version_id == 10);
    CHECK(v.version_name == "V0001");
    CHECK(v.engine_name == "TensorFlow");
    CHECK(v.create_time == 1524189990635);
    CHECK(v.core == "2");
    CHECK(v.cpu == "8");
    CHECK(v.gpu_type == "P100");
    CHECK(v.pool_id == "pool9928813f");
    REQUIRE(v.parameter.size() == 2);
    CHECK(v.parameter[1].label == "epochs");
    CHECK(v.parameter[1].value == "10");
    CHECK(v.system_metric_list == R"({"cpuUsage":["0"]})");
    CHECK(r->versions[1].version_id == 11);
    CHECK(r->versions[1].job_id == 10);  // taken from the list
}

TEST_CASE("the version list: failures are values, odd shapes are errors")
{
    auto r = parse_list_job_versions_response(
        resp(400, R"({"is_success":false,"error_code":"ModelArts.2775","error_message":"TrainingJobNotFound"})"));
    REQUIRE(r);
    CHECK_FALSE(r->is_success);
    CHECK(r->error_msg == "TrainingJobNotFound");

    for (std::string body : {R"({"is_success":true,"versions":{}})", R"({"is_success":true,"versions":[{"version_name":"V1"}]})",
                             R"({"is_success":true,"versions":[{"version_id":"ten"}]})",
                             R"({"is_success":true,"versions":[{"version_id":1,"parameter":"x"}]})",
                             R"({"is_success":true,"job_id":true})", R"({"is_success":true,"versions":[{"version_id":18446744073709551615}]})"}) {
        CAPTURE(body);
        CHECK(parse_list_job_versions_response(resp(200, body)).error() == error::unexpected_shape);
    }
}

TEST_CASE("the create-job answer parses, ids as numbers or as strings")
{
    auto r = parse_create_job_response(resp(200, R"({"is_success": true, "job_id": 567524, "job_name": "jobtest_TF",
        "status": 1, "create_time": 1609121837000, "version_id": 1108482, "version_name": "V0001",
        "resource_id": "jobaedef089"})"));
    REQUIRE(r);
    CHECK(r->job_id == 567524);
    CHECK(r->version_id == 1108482);
    CHECK(r->version_name == "V0001");
    CHECK(r->status == 1);
    CHECK(r->resource_id == "jobaedef089");

    r = parse_create_job_response(resp(200, R"({"is_success": true, "job_id": "10", "job_name": "TestModelArtsJob",
        "status": "1", "create_time": "1524189990635", "version_id": "10", "version_name": "V0001"})"));
    REQUIRE(r);
    CHECK(r->job_id == 10);
    CHECK(r->version_id == 10);
    CHECK(r->create_time == 1524189990635);

    CHECK(parse_create_job_response(resp(200, R"({"is_success":true,"job_name":"x"})")).error() == error::unexpected_shape);
    CHECK(parse_create_job_response(resp(200, R"({"is_success":true,"job_id":"1x","version_id":1})")).error()
          == error::unexpected_shape);
}

// Whatever the body, the verdict follows the rules: success only with a 2xx, a failure names
// itself, and an error is one of the three that say the answer was not the API's.
TEST_CASE("20,000 generated answers each get a verdict that keeps the rules")
{
    // "error" is IAM's failure field: an update answer ignores it, as any unknown field.
    const std::vector<std::string> keys = {"is_success", "error_code", "error_msg", "error_message", "error_solution", "request_id",
                                           "error", "code", "message", "other", "is_succes", "error_code"};
    const std::vector<std::string> values = {
        "true", "false", "null", "\"\"", "\"ModelArts.2775\"", "\"APIGW.0301\"", "\"x\"", "\"a\\\"b\\u00e9\\n\"", "0", "-7", "18446744073709551615",
        "1.5e3", "{}", "[]", "[1,{\"code\":\"x\"}]", "{\"code\":\"APIGW.0301\",\"message\":\"bad token\"}",
        "{\"code\":7,\"message\":null}", "{\"code\":2.5}", "{\"code\":true}", "{\"message\":[]}",
        "{\"code\":\"A\",\"code\":\"B\"}", "{\"error\":{\"code\":\"deep\"}}"};
    std::uint64_t state = 2026;
    auto next = [&](std::uint64_t n) {  // a fixed LCG: the same bodies on every run
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<std::size_t>((state >> 33) % n);
    };
    const unsigned statuses[] = {200, 201, 204, 400, 401, 404, 429, 500};
    int kept = 0, successes = 0, failures = 0, errors = 0;
    for (int i = 0; i < 20000; ++i) {
        std::string body;
        switch (next(20)) {
        case 0: body = ""; break;
        case 1: body = "null"; break;
        case 2: body = "[" + values[next(values.size())] + "]"; break;
        case 3: body = values[next(values.size())]; break;
        default: {
            body = "{";
            const auto n = next(6);
            for (std::uint64_t k = 0; k < n; ++k)
                body += (k ? "," : "") + ("\"" + keys[next(keys.size())] + "\":") + values[next(values.size())];
            body += "}";
        }
        }
        if (next(25) == 0 && !body.empty()) body.resize(next(body.size()));  // cut short: malformed
        if (next(25) == 0) body += " x";                                     // trailing bytes: malformed
        http_response res{statuses[next(8)], {}, body};
        if (next(2)) res.headers.set("X-Request-Id", "header-id");
        const bool bare = next(2) == 1;
        CAPTURE(body);
        CAPTURE(res.status);
        CAPTURE(bare);
        auto r = parse_update_job_description_response(res, bare ? api_version::v2 : api_version::v1);
        if (!r) {
            ++errors;
            const bool known = r.error() == error::malformed_body || r.error() == error::unexpected_shape
                            || r.error() == error::contradictory_status || r.error() == error::nesting_too_deep;
            CHECK(known);
            CHECK(r.error() == condition::bad_response);
            kept += known;
            continue;
        }
        ++(r->is_success ? successes : failures);
        const bool ok = res.status / 100 == 2;
        CHECK(r->is_success == ok);
        if (r->is_success) CHECK(r->error_code.empty());
        else CHECK((!r->error_code.empty() || body.find("\"is_success\":false") != std::string::npos));
        if (res.headers.contains("X-Request-Id")) CHECK(request_id_of(res) == "header-id");
        kept += r->is_success == ok;
    }
    CHECK(kept == 20000);
    // The generator reaches every outcome: successes, service failures and library errors.
    MESSAGE(successes << " successes, " << failures << " failures, " << errors << " errors");
    CHECK(successes > 200);
    CHECK(failures > 200);
    CHECK(errors > 200);
}
