#include "modelarts/environment.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include <unistd.h>

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

namespace {
// A profile file in the build's temporary directory, removed after the test.
struct profile_file {
    std::string path;
    explicit profile_file(const std::string& text, const std::string& name = "modelarts-test-credentials")
        : path((std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid()))).string())
    {
        std::ofstream(path, std::ios::binary) << text;
    }
    ~profile_file() { std::filesystem::remove(path); }
};
} // namespace

TEST_CASE("the profile file comes after the environment's access key, as in the official SDKs' chain")
{
    profile_file file("# the official SDKs' file\n[default]\nak = OTHER\n\n[basic]\r\nak = FILEAK\r\n  SK=FILESK  \r\nproject_id = p-file\n"
                      "; a comment\nsecurity_token = FILEST\niam_endpoint = https://iam.example\n");
    environment_report report;
    SUBCASE("named by HUAWEICLOUD_SDK_CREDENTIALS_FILE")
    {
        auto o = session_options_from_environment(from({{"HUAWEICLOUD_SDK_CREDENTIALS_FILE", file.path}}), &report);
        REQUIRE(o.has_value());
        CHECK(std::get<aksk_credentials>(o->auth) == aksk_credentials{"FILEAK", "FILESK", "FILEST"});  // [basic] only
        CHECK(o->project_id == "p-file");
        CHECK(report.source == "profile file " + file.path);
    }
    SUBCASE("found at $HOME/.huaweicloud/credentials")
    {
        const auto home = std::filesystem::temp_directory_path() / ("modelarts-test-home-" + std::to_string(::getpid()));
        std::filesystem::create_directories(home / ".huaweicloud");
        std::filesystem::copy_file(file.path, home / ".huaweicloud" / "credentials", std::filesystem::copy_options::overwrite_existing);
        auto o = session_options_from_environment(from({{"HOME", home.string()}, {"HUAWEICLOUD_SDK_PROJECT_ID", "p-env"}}), &report);
        std::filesystem::remove_all(home);
        REQUIRE(o.has_value());
        CHECK(std::get<aksk_credentials>(o->auth).access_key == "FILEAK");
        CHECK(o->project_id == "p-env");  // the environment's project wins
    }
    SUBCASE("the environment's access key wins, and the file is not read")
    {
        auto o = session_options_from_environment(
            from({{"HUAWEICLOUD_SDK_AK", "AK"}, {"HUAWEICLOUD_SDK_SK", "SK"}, {"HUAWEICLOUD_SDK_CREDENTIALS_FILE", "/nonexistent"}}), &report);
        REQUIRE(o.has_value());
        CHECK(std::get<aksk_credentials>(o->auth).access_key == "AK");
        CHECK(report.source == "environment");
    }
    SUBCASE("the file's access key wins over a token or a user in the environment")
    {
        auto o = session_options_from_environment(
            from({{"HUAWEICLOUD_SDK_CREDENTIALS_FILE", file.path}, {"MODELARTS_AUTH_TOKEN", "T"}}), &report);
        REQUIRE(o.has_value());
        CHECK(std::holds_alternative<aksk_credentials>(o->auth));
    }
}

TEST_CASE("a profile file that cannot be parsed is an error naming the file and the line, never skipped")
{
    profile_file file("[basic]\nak = A\nthis line is not ini\nsk = S\n");
    environment_report report;
    auto o = session_options_from_environment(from({{"HUAWEICLOUD_SDK_CREDENTIALS_FILE", file.path}}), &report);
    REQUIRE_FALSE(o.has_value());
    CHECK(o.error() == error::invalid_profile_file);
    CHECK(o.error() == condition::invalid_input);
    CHECK(report.problem == file.path + ":3: expected [section], key = value, a comment or a blank line");

    CHECK(detail::parse_profile("[basic\n").bad_line == 1);
    CHECK(detail::parse_profile("\n\n = value\n").bad_line == 3);
    CHECK(detail::parse_profile("[basic]\nak=\n").basic.ak == std::nullopt);  // empty counts as unset

    profile_file half("[basic]\nak = A\n", "modelarts-test-half");
    o = session_options_from_environment(from({{"HUAWEICLOUD_SDK_CREDENTIALS_FILE", half.path}}), &report);
    CHECK(o.error() == error::incomplete_credentials);
    CHECK(report.problem == half.path + ": [basic] needs both ak and sk");

    o = session_options_from_environment(from({{"HUAWEICLOUD_SDK_CREDENTIALS_FILE", "/nonexistent/credentials"}}), &report);
    CHECK(o.error() == error::invalid_profile_file);
    CHECK(report.problem == "/nonexistent/credentials: cannot be read");

    // $HOME's file is optional: not there, nothing is read, and requests go out without credentials.
    o = session_options_from_environment(from({{"HOME", "/nonexistent"}}), &report);
    REQUIRE(o.has_value());
    CHECK(std::holds_alternative<no_credentials>(o->auth));
    CHECK(report.source.empty());
}
