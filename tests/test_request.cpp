#include "modelarts/request.hpp"

#include "allocation_counter.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

#include <string>

using namespace modelarts;
using test_support::allocations;  // every heap allocation this program makes
using test_support::repeat;

namespace {
const service_config config{"https://modelarts.cn-north-4.myhuaweicloud.com", "0123456789abcdef0123456789abcdef"};

} // namespace

TEST_CASE("a request costs two allocations to build and two to copy: its text, and its header fields")
{
    const auto at = make_service_location(config).value();
    const std::string description(64, 'd');
    std::size_t before = allocations;
    auto req = make_update_job_description_request(at, "182626", description);
    CHECK(allocations - before == 2);
    REQUIRE(req);

    // The destination is shared with the location, not copied; a copy shares it too.
    CHECK(&req->destination() == &at.destination());
    before = allocations;
    const http_request copy = *req;
    CHECK(allocations - before == 2);
    CHECK(copy == *req);
    CHECK(&copy.destination() == &at.destination());
}

TEST_CASE("a location moved from reads as no destination; its move shares the endpoint")
{
    auto at = make_service_location(config).value();
    const endpoint* shared = &at.destination();
    const auto moved = std::move(at);
    CHECK(&moved.destination() == shared);
    CHECK(at.destination() == endpoint{});  // NOLINT(bugprone-use-after-move): what this case is about
}

TEST_CASE("a request's target and body are set apart, though they share one buffer")
{
    http_request req(http_method::put, {"https", "h.example", 443}, "/a", {}, "{}");
    CHECK(req.url() == "https://h.example/a");
    req.set_target("/a/longer/target?q=1");
    CHECK(req.target() == "/a/longer/target?q=1");
    CHECK(req.body() == "{}");
    req.set_body("");
    req.set_target("/");
    CHECK(req.target() == "/");
    CHECK(req.body().empty());
    req.set_body(req.target());  // a view of the request itself
    CHECK(req.body() == "/");
    req.set_destination(endpoint{});
    CHECK(req.destination() == endpoint{});
    CHECK(req != http_request(http_method::put, {"https", "h.example", 443}, "/", {}, "/"));
    CHECK(req == http_request(http_method::put, {}, "/", {}, "/"));
}

TEST_CASE("v1: PUT /v1/{project_id}/training-jobs/{job_id} with exactly {\"job_desc\":...}")
{
    auto req = make_update_job_description_request(config, "182626", "update description");
    REQUIRE(req);
    CHECK(req->method == http_method::put);
    CHECK(req->target() == "/v1/0123456789abcdef0123456789abcdef/training-jobs/182626");
    CHECK(req->body() == R"({"job_desc":"update description"})");
    CHECK(req->destination() == endpoint{"https", "modelarts.cn-north-4.myhuaweicloud.com", 443});
    CHECK(req->headers == http_headers{{"Host", "modelarts.cn-north-4.myhuaweicloud.com"},
                                       {"Content-Type", "application/json"},
                                       {"X-Project-Id", "0123456789abcdef0123456789abcdef"},
                                       {"Content-Length", "33"}});
}

TEST_CASE("v2: PUT /v2/{project_id}/training-jobs/{uuid} with exactly {\"description\":...}")
{
    auto req = make_update_job_description_request(config, "3faf5c03-aaa1-4cbe-879d-24b05d997347", "new");
    REQUIRE(req);
    CHECK(req->method == http_method::put);
    CHECK(req->target() == "/v2/0123456789abcdef0123456789abcdef/training-jobs/3faf5c03-aaa1-4cbe-879d-24b05d997347");
    CHECK(req->body() == R"({"description":"new"})");
    CHECK(req->headers.get("Content-Length") == "21");
}

TEST_CASE("the API can be chosen explicitly, and must fit the id")
{
    CHECK(make_update_job_description_request(config, "182626", "x", api_version::v1)->target().starts_with("/v1/"));
    CHECK(make_update_job_description_request(config, "182626", "x", api_version::v2).error()
          == error::job_id_api_mismatch);
}

TEST_CASE("the Host header carries a non-default port; http endpoints work")
{
    auto req = make_update_job_description_request({"http://127.0.0.1:8080/", "p"}, "1", "");
    REQUIRE(req);
    CHECK(req->headers.get("Host") == "127.0.0.1:8080");
    CHECK(req->url() == "http://127.0.0.1:8080/v1/p/training-jobs/1");
    CHECK(req->body() == R"({"job_desc":""})");
    CHECK(req->headers.get("Content-Length") == "15");
}

TEST_CASE("the body escapes quotes, backslashes and control characters, and passes UTF-8 through")
{
    auto req = make_update_job_description_request(config, "1", "q\"b\\s/\b\f\n\r\t\x01\x1f\x7f");
    REQUIRE(req);
    CHECK(req->body() == "{\"job_desc\":\"q\\\"b\\\\s/\\b\\f\\n\\r\\t\\u0001\\u001f\x7f\"}");

    req = make_update_job_description_request(config, "1", std::string("nul\0!", 5));
    REQUIRE(req);
    CHECK(req->body() == "{\"job_desc\":\"nul\\u0000!\"}");

    const std::string unicode = "\xE4\xB8\xAD\xE6\x96\x87 \xF0\x9F\x98\x80 \xE2\x80\xA8 caf\xC3\xA9";
    req = make_update_job_description_request(config, "1", unicode);
    REQUIRE(req);
    CHECK(req->body() == "{\"job_desc\":\"" + unicode + "\"}");
    CHECK(req->headers.get("Content-Length") == std::to_string(req->body().size()));
}

TEST_CASE("each byte is escaped exactly as boost::json::serialize does, wherever it falls in an 8-byte word")
{
    // The escape scan reads eight bytes at a time: put every ASCII byte at every offset of a word,
    // among plain text, and compare with Boost.JSON's own serializer.
    for (int c = 0; c < 128; ++c) {
        for (std::size_t at = 0; at < 17; ++at) {
            std::string d(20, 'p');
            d[at] = static_cast<char>(c);
            auto req = make_update_job_description_request(config, "1", d);
            REQUIRE(req);
            CAPTURE(c);
            CAPTURE(at);
            CHECK(req->body() == "{\"job_desc\":" + boost::json::serialize(boost::json::string(d)) + "}");
        }
    }
}

TEST_CASE("every valid description gives a body that parses back to it")
{
    std::string all_ascii;
    for (int c = 0; c < 128; ++c) all_ascii.push_back(static_cast<char>(c));
    for (const std::string& d : {all_ascii, repeat("\xE4\xB8\xAD", 256), repeat("\xF0\x9F\x98\x80", 256),
                                 repeat("\\\"", 128), std::string()}) {
        auto req = make_update_job_description_request(config, "182626", d);
        REQUIRE(req);
        auto v = boost::json::parse(req->body());
        CHECK(v.as_object().size() == 1);
        CHECK(v.at("job_desc").as_string() == d);
    }
}

TEST_CASE("bad inputs are refused with their own error, nothing built")
{
    CHECK(make_update_job_description_request(config, "182626", repeat("x", 257)).error() == error::description_too_long);
    CHECK(make_update_job_description_request(config, "182626", "\xC0\xAF").error() == error::description_not_utf8);
    CHECK(make_update_job_description_request(config, "../182626", "x").error() == error::invalid_job_id);
    CHECK(make_update_job_description_request(config, "182626?x=1", "x").error() == error::invalid_job_id);
    CHECK(make_update_job_description_request({config.endpoint, "a/b"}, "1", "x").error() == error::invalid_project_id);
    CHECK(make_update_job_description_request({config.endpoint, ""}, "1", "x").error() == error::invalid_project_id);
    CHECK(make_update_job_description_request({"https://h/v1", "p"}, "1", "x").error() == error::invalid_endpoint);
    CHECK(make_update_job_description_request({"", "p"}, "1", "x").error() == error::invalid_endpoint);
}

TEST_CASE("v1 version list: GET /v1/{project_id}/training-jobs/{job_id}/versions with optional paging")
{
    auto req = make_list_job_versions_request(config, "182626");
    REQUIRE(req);
    CHECK(req->method == http_method::get);
    CHECK(req->target() == "/v1/0123456789abcdef0123456789abcdef/training-jobs/182626/versions");
    CHECK(req->body().empty());
    CHECK(req->headers == http_headers{{"Host", "modelarts.cn-north-4.myhuaweicloud.com"},
                                       {"Content-Type", "application/json"},
                                       {"X-Project-Id", "0123456789abcdef0123456789abcdef"}});

    CHECK(make_list_job_versions_request(config, "1", {.per_page = 20, .page = 2})->target()
          == "/v1/0123456789abcdef0123456789abcdef/training-jobs/1/versions?per_page=20&page=2");
    CHECK(make_list_job_versions_request(config, "1", {.per_page = 1000})->target().ends_with("/versions?per_page=1000"));
    // Page 0 is the service's "no paging": it is not sent.
    CHECK(make_list_job_versions_request(config, "1", {.page = 0})->target().ends_with("/versions"));
    CHECK(make_list_job_versions_request(config, "1", {.per_page = 5, .page = 0})->target().ends_with("/versions?per_page=5"));
    CHECK(make_list_job_versions_request(config, "1", {.page = 3})->target().ends_with("/versions?page=3"));

    CHECK(make_list_job_versions_request(config, "1", {.per_page = 0}).error() == error::invalid_paging);
    CHECK(make_list_job_versions_request(config, "1", {.per_page = 1001}).error() == error::invalid_paging);
    CHECK(make_list_job_versions_request(config, "3faf5c03-aaa1-4cbe-879d-24b05d997347").error()
          == error::versions_need_v1_job);
    CHECK(make_list_job_versions_request(config, "x").error() == error::invalid_job_id);
}
