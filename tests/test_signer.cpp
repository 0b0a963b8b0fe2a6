#include "modelarts/signer.hpp"

#include "modelarts/credentials.hpp"

#include <doctest/doctest.h>

#include <chrono>

using namespace modelarts;
using namespace std::chrono;

namespace {

// The API gateway signing guide's published example.
http_request published_request()
{
    http_request req;
    req.method = http_method::get;
    req.set_target("/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0");
    req.headers.set("Content-Type", "application/json");
    req.headers.set("Host", "service.region.example.com");
    req.headers.set("X-Sdk-Date", "20191115T033655Z");
    return req;
}

constexpr auto published_time = sys_days{2019y / November / 15} + 3h + 36min + 55s;
const char* const published_ak = "QTWAOYTTINDUT2QVKYUC";
const char* const published_sk = "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc";

} // namespace

TEST_CASE("the published example: canonical request, its hash and the signature, byte for byte")
{
    const auto req = published_request();
    const auto names = signing::default_signed_headers(req);
    REQUIRE(names == std::vector<std::string>{"content-type", "host", "x-sdk-date"});
    const std::string canonical = signing::canonical_request(req, names);
    CHECK(canonical
          == "GET\n"
             "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/\n"
             "limit=2&marker=13551d6b-755d-4757-b956-536f674975c0\n"
             "content-type:application/json\n"
             "host:service.region.example.com\n"
             "x-sdk-date:20191115T033655Z\n"
             "\n"
             "content-type;host;x-sdk-date\n"
             "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(detail::to_hex(detail::sha256::hash(canonical)) == "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a");
    const std::string to_sign = signing::string_to_sign(canonical, "20191115T033655Z");
    CHECK(to_sign == "SDK-HMAC-SHA256\n20191115T033655Z\nb25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a");
    CHECK(signing::signature(published_sk, to_sign) == "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe");
}

TEST_CASE("sign() sets X-Sdk-Date from the clock and the Authorization header")
{
    auto req = published_request();
    req.headers.erase("X-Sdk-Date");
    signing::sign(req, published_ak, published_sk, "", published_time);
    CHECK(req.headers.get("X-Sdk-Date") == "20191115T033655Z");
    CHECK(req.headers.get("Authorization")
          == "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, "
             "Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe");
    CHECK_FALSE(req.headers.contains("X-Security-Token"));

    // apply_credentials signs the same way.
    auto again = published_request();
    again.headers.erase("X-Sdk-Date");
    REQUIRE(apply_credentials(again, aksk_credentials{published_ak, published_sk}, published_time));
    CHECK(again == req);
}

TEST_CASE("temporary credentials send and sign X-Security-Token; X-Project-Id is signed when present")
{
    http_request req;
    req.method = http_method::put;
    req.set_target("/v1/p/training-jobs/1");
    req.headers.set("Host", "h");
    req.headers.set("Content-Type", "application/json");
    req.headers.set("X-Project-Id", "p");
    req.set_body(R"({"job_desc":"x"})");
    signing::sign(req, "AK", "SK", "temporary-token", published_time);
    CHECK(req.headers.get("X-Security-Token") == "temporary-token");
    CHECK(req.headers.get("Authorization").find("SignedHeaders=content-type;host;x-project-id;x-sdk-date;x-security-token,")
          != std::string_view::npos);
    // The signature covers the body: change one byte and it changes.
    auto names = signing::default_signed_headers(req);
    auto sig = [&](const http_request& r) {
        return signing::signature("SK", signing::string_to_sign(signing::canonical_request(r, names), "20191115T033655Z"));
    };
    auto other = req;
    other.set_body(R"({"job_desc":"y"})");
    CHECK(sig(req) != sig(other));
}

TEST_CASE("X-Sdk-Content-Sha256 replaces the body's hash")
{
    auto req = published_request();
    req.headers.set("X-Sdk-Content-Sha256", "UNSIGNED-PAYLOAD");
    req.set_body("ignored");
    CHECK(signing::canonical_request(req, {"host"}).ends_with("\nhost\nUNSIGNED-PAYLOAD"));
}

TEST_CASE("canonical URI and query: percent-encoding, sorting, a trailing slash")
{
    CHECK(signing::canonical_uri("/v1/p/training-jobs/1") == "/v1/p/training-jobs/1/");
    CHECK(signing::canonical_uri("/") == "/");
    CHECK(signing::canonical_uri("") == "/");
    CHECK(signing::canonical_uri("/a b/c~d_e.f-g/") == "/a%20b/c~d_e.f-g/");
    CHECK(signing::canonical_uri("/\xE4\xB8\xAD") == "/%E4%B8%AD/");
    CHECK(signing::canonical_query("") == "");
    CHECK(signing::canonical_query("page=2&per_page=10") == "page=2&per_page=10");
    CHECK(signing::canonical_query("b=2&a=1&a=0") == "a=0&a=1&b=2");
    CHECK(signing::canonical_query("k=a b&flag") == "flag=&k=a%20b");
}

TEST_CASE("X-Sdk-Date: formatted and parsed as UTC YYYYMMDDTHHMMSSZ")
{
    CHECK(signing::format_sdk_date(published_time) == "20191115T033655Z");
    CHECK(signing::format_sdk_date(sys_days{2000y / January / 1} + 999ms) == "20000101T000000Z");
    CHECK(signing::parse_sdk_date("20191115T033655Z") == published_time);
    for (const char* bad : {"", "20191115T033655", "2019-11-15T03:36:55Z", "20191332T033655Z", "20191115T253655Z", "2019111xT033655Z"}) {
        CAPTURE(bad);
        CHECK_FALSE(signing::parse_sdk_date(bad));
    }
}
