#include "modelarts/environment.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <map>
#include <string>

using namespace modelarts;

namespace {
environment_lookup from(std::map<std::string, std::string> vars)
{
    return [vars = std::move(vars)](const char* name) -> const char* {
        auto it = vars.find(name);
        return it == vars.end() ? nullptr : it->second.c_str();
    };
}
} // namespace

TEST_CASE("AK/SK from the environment, with the region's endpoint")
{
    auto o = session_options_from_environment(from({{"HUAWEICLOUD_SDK_AK", "AK"}, {"HUAWEICLOUD_SDK_SK", "SK"},
                                                    {"HUAWEICLOUD_SDK_PROJECT_ID", "p1"}, {"HUAWEICLOUD_SDK_REGION", "cn-north-4"}}));
    REQUIRE(o.has_value());
    CHECK(o->endpoint == "https://modelarts.cn-north-4.myhuaweicloud.com");
    CHECK(o->project_id == "p1");
    CHECK(std::get<aksk_credentials>(o->auth) == aksk_credentials{"AK", "SK", ""});
}

TEST_CASE("temporary credentials add the security token; an explicit endpoint wins over the region")
{
    auto o = session_options_from_environment(from({{"HUAWEICLOUD_SDK_AK", "AK"}, {"HUAWEICLOUD_SDK_SK", "SK"},
                                                    {"HUAWEICLOUD_SDK_SECURITY_TOKEN", "ST"}, {"HUAWEICLOUD_SDK_REGION", "cn-north-4"},
                                                    {"MODELARTS_ENDPOINT", "https://modelarts.private.example"}}));
    REQUIRE(o.has_value());
    CHECK(o->endpoint == "https://modelarts.private.example");
    CHECK(std::get<aksk_credentials>(o->auth).security_token == "ST");
}

TEST_CASE("a token, or a user and password with IAM at the given or the region's endpoint")
{
    auto o = session_options_from_environment(from({{"MODELARTS_AUTH_TOKEN", "tok"}}));
    CHECK(std::get<token_credentials>(o->auth).token == "tok");
    CHECK(o->endpoint.empty());

    o = session_options_from_environment(from({{"MODELARTS_USERNAME", "u"}, {"MODELARTS_PASSWORD", "pw"},
                                               {"MODELARTS_ACCOUNT", "acct"}, {"HUAWEICLOUD_SDK_REGION", "ap-southeast-1"}}));
    REQUIRE(o.has_value());
    CHECK(o->endpoint == "https://modelarts.ap-southeast-1.myhuaweicloud.cn");
    CHECK(std::get<password_credentials>(o->auth)
          == password_credentials{"u", "pw", "acct", "https://iam.ap-southeast-1.myhuaweicloud.com"});

    o = session_options_from_environment(from({{"MODELARTS_USERNAME", "u"}, {"MODELARTS_PASSWORD", "pw"},
                                               {"HUAWEICLOUD_SDK_IAM_ENDPOINT", "https://iam.private.example"},
                                               {"HUAWEICLOUD_SDK_REGION", "cn-north-4"}}));
    CHECK(std::get<password_credentials>(o->auth).iam_endpoint == "https://iam.private.example");
}

TEST_CASE("AK/SK come first, then the token, then the user")
{
    auto o = session_options_from_environment(from({{"HUAWEICLOUD_SDK_AK", "AK"}, {"HUAWEICLOUD_SDK_SK", "SK"},
                                                    {"MODELARTS_AUTH_TOKEN", "tok"}, {"MODELARTS_USERNAME", "u"}, {"MODELARTS_PASSWORD", "p"}}));
    CHECK(std::holds_alternative<aksk_credentials>(o->auth));
    o = session_options_from_environment(from({{"MODELARTS_AUTH_TOKEN", "tok"}, {"MODELARTS_USERNAME", "u"}, {"MODELARTS_PASSWORD", "p"}}));
    CHECK(std::holds_alternative<token_credentials>(o->auth));
    o = session_options_from_environment(from({}));
    CHECK(std::holds_alternative<no_credentials>(o->auth));
}

TEST_CASE("half a pair is an error, never a fallback")
{
    for (auto vars : std::vector<std::map<std::string, std::string>>{
             {{"HUAWEICLOUD_SDK_AK", "AK"}},
             {{"HUAWEICLOUD_SDK_SK", "SK"}, {"MODELARTS_AUTH_TOKEN", "tok"}},
             {{"HUAWEICLOUD_SDK_SECURITY_TOKEN", "ST"}},
             {{"MODELARTS_USERNAME", "u"}},
             {{"MODELARTS_PASSWORD", "p"}, {"MODELARTS_AUTH_TOKEN", "tok"}},
             {{"HUAWEICLOUD_SDK_AK", "AK"}, {"HUAWEICLOUD_SDK_SK", ""}},
         }) {
        CHECK(session_options_from_environment(from(vars)).error() == error::incomplete_credentials);
    }
}

TEST_CASE("an unknown region is an error")
{
    CHECK(session_options_from_environment(from({{"HUAWEICLOUD_SDK_REGION", "mars-1"}})).error() == error::unknown_region);
}

TEST_CASE("with no lookup, the process environment is read")
{
    for (const char* name : {"HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK", "HUAWEICLOUD_SDK_SECURITY_TOKEN", "MODELARTS_USERNAME",
                             "MODELARTS_PASSWORD", "HUAWEICLOUD_SDK_REGION", "MODELARTS_ENDPOINT"})
        ::unsetenv(name);
    ::setenv("MODELARTS_AUTH_TOKEN", "process-token", 1);
    ::setenv("HUAWEICLOUD_SDK_PROJECT_ID", "process-project", 1);
    auto o = session_options_from_environment();
    REQUIRE(o.has_value());
    CHECK(o->project_id == "process-project");
    CHECK(std::get<token_credentials>(o->auth) == token_credentials{"process-token"});

    ::setenv("HUAWEICLOUD_SDK_AK", "AK", 1);  // half a pair, read from the process too
    CHECK(session_options_from_environment().error() == error::incomplete_credentials);
    for (const char* name : {"HUAWEICLOUD_SDK_AK", "MODELARTS_AUTH_TOKEN", "HUAWEICLOUD_SDK_PROJECT_ID"}) ::unsetenv(name);
}
