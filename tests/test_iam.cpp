#include "modelarts/iam.hpp"

#include <doctest/doctest.h>

#include <sstream>

using namespace modelarts;
using namespace std::chrono;

namespace {
const password_credentials user{"alice", "pa\"ss", "acme", "https://iam.cn-north-4.myhuaweicloud.com"};
}

TEST_CASE("IAM's token request: POST /v3/auth/tokens, password method, project scope")
{
    auto req = make_iam_token_request(user, "0123456789abcdef0123456789abcdef");
    REQUIRE(req.has_value());
    CHECK(req->method == http_method::post);
    CHECK(req->target() == "/v3/auth/tokens");
    CHECK(req->url() == "https://iam.cn-north-4.myhuaweicloud.com/v3/auth/tokens");
    CHECK(req->headers.get("Content-Type") == "application/json;charset=utf8");
    CHECK(req->headers.get("Content-Length") == std::to_string(req->body().size()));
    CHECK(req->body()
          == R"({"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"alice","password":"pa\"ss",)"
             R"("domain":{"name":"acme"}}}},"scope":{"project":{"id":"0123456789abcdef0123456789abcdef"}}}})");

    // Without an account, the user's own name is the domain.
    auto own = make_iam_token_request({"bob", "pw", "", user.iam_endpoint}, "p");
    CHECK(own->body().find(R"("domain":{"name":"bob"})") != std::string::npos);
}

TEST_CASE("IAM's token request never prints the password")
{
    auto req = make_iam_token_request(user, "p");
    std::ostringstream os;
    os << *req;
    CHECK(os.str().find("pa\"ss") == std::string::npos);
    CHECK(os.str().find("*** (") != std::string::npos);
}

TEST_CASE("IAM's token request refuses bad input")
{
    CHECK(make_iam_token_request({"", "pw", "", user.iam_endpoint}, "p").error() == error::invalid_user);
    CHECK(make_iam_token_request({"u", "", "", user.iam_endpoint}, "p").error() == error::invalid_user);
    CHECK(make_iam_token_request({"u\xFF", "pw", "", user.iam_endpoint}, "p").error() == error::invalid_user);
    CHECK(make_iam_token_request({"u", "pw", "", "iam.example.com"}, "p").error() == error::invalid_endpoint);
    CHECK(make_iam_token_request(user, "a/b").error() == error::invalid_project_id);
}

TEST_CASE("IAM's answer: the token from X-Subject-Token, the expiry from token.expires_at")
{
    http_response res{201, {{"X-Subject-Token", "MIIEtoken"}, {"X-Request-Id", "r"}},
                      R"({"token":{"expires_at":"2026-11-29T17:09:56.123000Z","methods":["password"]}})"};
    auto t = parse_iam_token_response(res);
    REQUIRE(t.has_value());
    CHECK(t->is_success);
    CHECK(t->token == "MIIEtoken");
    CHECK(t->expires_at == sys_days{2026y / November / 29} + 17h + 9min + 56s);
}

TEST_CASE("IAM's refusals are failures with IAM's code and message, in either spelling")
{
    auto t = parse_iam_token_response({401, {}, R"({"error":{"code":401,"message":"The username or password is wrong.","title":"Unauthorized"}})"});
    REQUIRE(t.has_value());
    CHECK_FALSE(t->is_success);
    CHECK(t->error_code == "401");
    CHECK(t->error_msg == "The username or password is wrong.");

    t = parse_iam_token_response({400, {}, R"({"error":{"code":"IAM.0101","message":"bad"}})"});
    CHECK(t->error_code == "IAM.0101");
    t = parse_iam_token_response({401, {}, R"({"error_code":"APIGW.0301","error_msg":"x"})"});
    CHECK(t->error_code == "APIGW.0301");
}

TEST_CASE("an IAM answer without a usable token or expiry is an error")
{
    const char* good = R"({"token":{"expires_at":"2026-11-29T17:09:56Z"}})";
    CHECK(parse_iam_token_response({201, {}, good}).error() == error::unexpected_shape);  // no X-Subject-Token
    CHECK(parse_iam_token_response({201, {{"X-Subject-Token", "a b"}}, good}).error() == error::unexpected_shape);
    for (const char* body : {R"({})", R"({"token":{}})", R"({"token":{"expires_at":5}})", R"({"token":{"expires_at":"tomorrow"}})",
                             R"({"token":{"expires_at":"2026-13-29T17:09:56Z"}})", "null"}) {
        CAPTURE(body);
        CHECK(parse_iam_token_response({201, {{"X-Subject-Token", "t"}}, body}).error() == error::unexpected_shape);
    }
    CHECK(parse_iam_token_response({201, {{"X-Subject-Token", "t"}}, ""}).error() == error::unexpected_shape);  // empty: null
    CHECK(parse_iam_token_response({500, {}, "<html>"}).error() == error::malformed_body);
}

TEST_CASE("ISO 8601 UTC times, as IAM writes them")
{
    CHECK(detail::parse_iso8601_utc("2026-11-29T17:09:56Z") == sys_days{2026y / November / 29} + 17h + 9min + 56s);
    CHECK(detail::parse_iso8601_utc("2026-11-29T17:09:56.5+00:00") == sys_days{2026y / November / 29} + 17h + 9min + 56s);
    CHECK(detail::format_iso8601_utc(sys_days{2026y / November / 29} + 17h + 9min + 56s) == "2026-11-29T17:09:56.000000Z");
    for (const char* bad : {"", "2026-11-29", "2026-11-29T17:09:56", "2026-11-29T17:09:56+08:00", "2026-11-29T17:09:56.Z"}) {
        CAPTURE(bad);
        CHECK_FALSE(detail::parse_iso8601_utc(bad));
    }
}
