#include "modelarts/estimator.hpp"

#include "modelarts/testing/emulator.hpp"

#include "support.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace modelarts;
using test_support::canned_transport;
using modelarts::testing::emulator;
using modelarts::testing::in_process_transport;

namespace {

struct fixture {
    emulator em{{.token = "tok"}};
    session<in_process_transport> s = test_support::session_of(in_process_transport{em},
                                                               {.endpoint = "https://modelarts.cn-north-4.myhuaweicloud.com",
                                                                .project_id = em.project_id(),
                                                                .auth = token_credentials{"tok"}});
};


} // namespace

TEST_CASE_FIXTURE(fixture, "way 1: estimator{session, \"182626\"}.update_job_description(...)")
{
    estimator est{s, "182626"};
    diagnostics diag;
    auto r = est.update_job_description("update description", &diag);
    REQUIRE(r);
    CHECK(r->is_success);
    CHECK(diag.http_status == 200);
    CHECK_FALSE(diag.request_id.empty());
    CHECK(diag.attempts == 1);
    CHECK(em.description("182626") == "update description");
}

TEST_CASE_FIXTURE(fixture, "way 2: a training_job from ids, or from a create-job answer")
{
    training_job job{s, "182626", 1108482};
    CHECK(job.version_id() == 1108482);
    auto r = job.update_job_description("from the job");
    REQUIRE(r);
    CHECK(r->is_success);
    CHECK(em.description("182626") == "from the job");

    auto created = parse_create_job_response(
        {200, {}, R"({"is_success":true,"job_id":"182626","version_id":"1108483","version_name":"V0002"})"});
    REQUIRE(created);
    training_job from_create{s, *created};
    CHECK(from_create.job_id() == "182626");
    CHECK(from_create.version_id() == 1108483);
    REQUIRE(from_create.update_job_description("from create")->is_success);
    CHECK(em.description("182626") == "from create");
}

TEST_CASE_FIXTURE(fixture, "way 3: get_job_version_object_list()[0].update_job_description(...)")
{
    estimator est{s, "182626"};
    auto list = est.get_job_version_object_list();
    REQUIRE(list);
    CHECK(list->is_success);
    CHECK(list->version_count == 2);
    REQUIRE(list->size() == 2);
    CHECK((*list)[0].job_id() == "182626");
    CHECK((*list)[0].version_id() == 1108482);
    CHECK((*list)[0].version_name() == "V0001");
    CHECK((*list)[1].version_name() == "V0002");
    CHECK((*list)[1].info().engine_name == "TensorFlow");
    CHECK((*list)[1].info().pre_version_id == 1108482);

    auto r = (*list)[0].update_job_description("from a version");
    REQUIRE(r);
    CHECK(r->is_success);
    CHECK(em.description("182626") == "from a version");
}

TEST_CASE_FIXTURE(fixture, "the three ways send byte-identical update requests")
{
    estimator est{s, "182626"};
    auto list = est.get_job_version_object_list();
    REQUIRE(list);
    REQUIRE_FALSE(list->empty());
    em.clear_requests();

    const std::string desc = "same \"text\" \xE4\xB8\xAD";
    REQUIRE(est.update_job_description(desc));
    REQUIRE(training_job{s, "182626", 1108482}.update_job_description(desc));
    REQUIRE((*list)[1].update_job_description(desc));

    REQUIRE(em.requests().size() == 3);
    CHECK(em.requests()[0] == em.requests()[1]);
    CHECK(em.requests()[1] == em.requests()[2]);
    CHECK(em.requests()[0].headers.get("X-Auth-Token") == "tok");
    CHECK(em.requests()[0].body() == "{\"job_desc\":\"same \\\"text\\\" \xE4\xB8\xAD\"}");
}

TEST_CASE_FIXTURE(fixture, "v2 jobs update through the estimator; they have no version list")
{
    estimator est{s, std::string(emulator::sample_v2_job_id)};
    auto r = est.update_job_description("v2 text");
    REQUIRE(r);
    CHECK(r->is_success);
    CHECK(em.description(emulator::sample_v2_job_id) == "v2 text");
    CHECK(em.requests().back().body() == R"({"description":"v2 text"})");
    CHECK(est.get_job_version_object_list().error() == error::versions_need_v1_job);
}

TEST_CASE_FIXTURE(fixture, "service failures come back as values, as the SDK returns them")
{
    diagnostics diag;
    auto r = estimator{s, "999999"}.update_job_description("x", &diag);
    REQUIRE(r);
    CHECK_FALSE(r->is_success);
    CHECK(r->error_code == "ModelArts.2775");
    CHECK_FALSE(r->error_msg.empty());
    CHECK(diag.http_status == 400);

    auto list = estimator{s, "999999"}.get_job_version_object_list();
    REQUIRE(list);
    CHECK_FALSE(list->is_success);
    CHECK(list->error_code == "ModelArts.2775");
    CHECK(list->empty());
}

TEST_CASE_FIXTURE(fixture, "bad input is refused before anything is sent")
{
    CHECK(estimator{s, "182626"}.update_job_description(std::string(257, 'x')).error() == error::description_too_long);
    CHECK(estimator{s, "1e5"}.update_job_description("x").error() == error::invalid_job_id);
    CHECK(estimator{s, "182626", api_version::v2}.update_job_description("x").error() == error::job_id_api_mismatch);
    CHECK(training_job{s, "abc"}.update_job_description("x").error() == error::invalid_job_id);
    CHECK(estimator{s, "abc"}.get_job_version_object_list().error() == error::invalid_job_id);


    CHECK(em.requests().empty());
    CHECK(em.description("182626") == "first description");
}

TEST_CASE("an answer that cannot be understood is an error, and diagnostics keep its status")
{
    auto s = test_support::session_of(canned_transport{http_response{502, {{"X-Request-Id", "lb-7"}}, "<html>Bad Gateway</html>"}},
                                      {.endpoint = "https://h", .project_id = "p", .retry = test_support::no_retries()});
    diagnostics diag;
    auto r = estimator{s, "1"}.update_job_description("x", &diag);
    REQUIRE_FALSE(r);
    CHECK(r.error() == error::malformed_body);
    CHECK(diag.http_status == 502);
    CHECK(diag.request_id == "lb-7");

    s.transport().answer = http_response{200, {}, R"({"is_success":false,"error_code":"ModelArts.0101"})"};
    diagnostics diag2;
    auto r2 = training_job{s, "1"}.update_job_description("x", &diag2);
    CHECK(r2.error() == error::contradictory_status);
    CHECK(diag2.http_status == 200);
}

TEST_CASE("a wrong token is the gateway's failure, reported like any service failure")
{
    emulator em{{.token = "right"}};
    auto s = test_support::session_of(in_process_transport{em},
                                      {.endpoint = em.endpoint(), .project_id = em.project_id(), .auth = token_credentials{"wrong"}});
    diagnostics diag;
    auto r = estimator{s, "182626"}.update_job_description("x", &diag);
    REQUIRE(r);
    CHECK_FALSE(r->is_success);
    CHECK(r->error_code == "APIGW.0301");
    CHECK(diag.http_status == 401);
    CHECK(em.description("182626") == "first description");
}
