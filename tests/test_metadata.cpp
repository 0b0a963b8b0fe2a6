// The instance metadata service's temporary keys (modelarts-api.md §5), as requests and parsers,
// and against the emulator's metadata endpoints.
#include "modelarts/metadata.hpp"

#include "modelarts/estimator.hpp"
#include "modelarts/session.hpp"
#include "modelarts/testing/emulator.hpp"

#include "support.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <memory>

using namespace modelarts;
using namespace std::chrono;
using modelarts::testing::emulator;

TEST_CASE("the two requests: a 6-hour session token, then the keys with it")
{
    auto token = make_metadata_token_request(default_metadata_endpoint);
    REQUIRE(token.has_value());
    CHECK(token->method == http_method::put);
    CHECK(token->url() == "http://169.254.169.254/meta-data/latest/api/token");
    CHECK(token->headers.get("X-Metadata-Token-Ttl-Seconds") == "21600");

    auto keys = make_metadata_securitykey_request("http://127.0.0.1:8080", "md-token");
    REQUIRE(keys.has_value());
    CHECK(keys->method == http_method::get);
    CHECK(keys->url() == "http://127.0.0.1:8080/openstack/latest/securitykey");
    CHECK(keys->headers.get("X-Metadata-Token") == "md-token");
    CHECK_FALSE(make_metadata_securitykey_request(default_metadata_endpoint, "")->headers.contains("X-Metadata-Token"));

    CHECK(make_metadata_token_request("ftp://169.254.169.254").error() == error::invalid_endpoint);
    CHECK(make_metadata_securitykey_request(default_metadata_endpoint, "bad\r\ntoken").error() == error::invalid_token);
}

TEST_CASE("the answers: a token or none; keys with their expiry, no agency, or a token to renew")
{
    CHECK(parse_metadata_token_response({200, {}, "md-token\n"}).value() == std::optional<std::string>("md-token"));
    CHECK(parse_metadata_token_response({404, {}, ""}).value() == std::nullopt);  // no session tokens: go on without
    CHECK(parse_metadata_token_response({405, {}, ""}).value() == std::nullopt);
    CHECK(parse_metadata_token_response({500, {}, ""}).error() == error::unexpected_shape);
    CHECK(parse_metadata_token_response({200, {}, "two words"}).error() == error::malformed_body);

    auto keys = parse_metadata_securitykey_response(
        {200, {}, R"({"credential":{"access":"TMPAK1","secret":"tmpsk","securitytoken":"st","expires_at":"2026-12-04T18:08:03.000000Z"}})"});
    REQUIRE(keys.has_value());
    CHECK(keys->keys == aksk_credentials{"TMPAK1", "tmpsk", "st"});
    CHECK(keys->expires_at == sys_days{2026y / December / 4} + 18h + 8min + 3s);

    CHECK(parse_metadata_securitykey_response({401, {}, "Please configure Cloud Service Agency first"}).error() == error::no_agency);
    CHECK(parse_metadata_securitykey_response({401, {}, "Unauthorized"}).error() == error::metadata_token_expired);
    CHECK(parse_metadata_securitykey_response({500, {}, ""}).error() == error::unexpected_shape);
    CHECK(parse_metadata_securitykey_response({200, {}, "<html>"}).error() == error::malformed_body);
    for (const char* body : {R"({"credential":{"access":"TMPAK1","secret":"s","expires_at":"2026-12-04T18:08:03Z"}})",  // no security token
                             R"({"credential":{"access":"bad key!","secret":"s","securitytoken":"t","expires_at":"2026-12-04T18:08:03Z"}})",
                             R"({"credential":{"access":"TMPAK1","secret":"s","securitytoken":"t","expires_at":"soon"}})",
                             R"({"credential":"none"})", R"([1])"}) {
        CAPTURE(body);
        CHECK(parse_metadata_securitykey_response({200, {}, body}).error() == error::unexpected_shape);
    }
}

TEST_CASE("the emulator's metadata service: fresh keys that the service accepts until they expire")
{
    auto now = std::make_shared<std::atomic<system_clock::rep>>(system_clock::now().time_since_epoch().count());
    const auto clock = [now] { return system_clock::time_point(system_clock::duration(now->load())); };
    emulator em{{.clock = clock, .metadata_credentials = minutes(10)}};

    const auto token = parse_metadata_token_response(em.handle(*make_metadata_token_request(em.endpoint())));
    REQUIRE(token.has_value());
    REQUIRE(token->has_value());
    auto keys = parse_metadata_securitykey_response(em.handle(*make_metadata_securitykey_request(em.endpoint(), **token)));
    REQUIRE(keys.has_value());
    CHECK(keys->expires_at - (clock() + minutes(10)) < seconds(1));  // written to the microsecond
    CHECK((clock() + minutes(10)) - keys->expires_at < seconds(1));
    CHECK(em.temporary_keys_issued() == 1);

    auto s = test_support::session_of(testing::in_process_transport{em},
                                      {.endpoint = em.endpoint(), .project_id = em.project_id(), .auth = keys->keys, .clock = clock});
    CHECK(estimator{s, "182626"}.update_job_description("with temporary keys")->is_success);
    now->fetch_add(duration_cast<system_clock::duration>(minutes(10)).count());  // they expire
    auto refused = estimator{s, "182626"}.update_job_description("too late");
    REQUIRE(refused.has_value());
    CHECK(refused->error_code == "APIGW.0301");

    // The session token lasts 6 hours; past it, the keys' call says so.
    now->fetch_add(duration_cast<system_clock::duration>(hours(6)).count());
    CHECK(parse_metadata_securitykey_response(em.handle(*make_metadata_securitykey_request(em.endpoint(), **token))).error()
          == error::metadata_token_expired);
    CHECK(parse_metadata_securitykey_response(em.handle(*make_metadata_securitykey_request(em.endpoint(), ""))).has_value());

    emulator without_agency{{.metadata_credentials = minutes(10), .metadata_agency = false}};
    CHECK(parse_metadata_securitykey_response(without_agency.handle(*make_metadata_securitykey_request(em.endpoint(), ""))).error()
          == error::no_agency);
    emulator without_metadata;  // not asked for: the paths are unknown
    CHECK(without_metadata.handle(*make_metadata_token_request(em.endpoint())).status == 404);
}
