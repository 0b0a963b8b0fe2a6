// The programs, run as a user runs them: modelarts-update-job-description and modelarts-emulator.
#include "command_support.hpp"

#include <doctest/doctest.h>

#include <sys/wait.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>

using namespace command_support;

namespace {

const std::regex success_line(R"(\{"is_success":true,"request_id":"[0-9a-f]{32}"\}\n)");

} // namespace

TEST_CASE("with --emulator, the command updates through an emulator in its process, each way, and says so")
{
    for (std::string via : {"estimator", "job", "version"}) {
        CAPTURE(via);
        auto r = run("", {"--emulator", "--job-id", "182626", "--description", "hello", "--via", via});
        CHECK(r.status == 0);
        CHECK(std::regex_match(r.out, success_line));
        CHECK(r.err.find("--emulator: sending to the emulator in this process, not to ModelArts") != std::string::npos);
    }
}

TEST_CASE("with no endpoint, no region and no --emulator, nothing is sent and nothing claims success")
{
    for (std::string env : {"", "HUAWEICLOUD_SDK_AK=AK HUAWEICLOUD_SDK_SK=SK HUAWEICLOUD_SDK_PROJECT_ID=p"}) {
        CAPTURE(env);
        auto r = run(env, {"--job-id", "182626", "--description", "hello"});
        CHECK(r.status == 2);
        CHECK(r.out.empty());
        CHECK(r.err.find("endpoint: give --endpoint, set MODELARTS_ENDPOINT or HUAWEICLOUD_SDK_REGION, or pass --emulator")
              != std::string::npos);
    }
    auto both = run("", {"--emulator", "--endpoint", "http://127.0.0.1:1", "--job-id", "182626", "--description", "x"});
    CHECK(both.status == 2);
    CHECK(both.out.empty());
    CHECK(both.err.find("--emulator: give either it or --endpoint, not both") != std::string::npos);
    // The flag wins over an endpoint from the environment: it names where the update goes.
    auto flagged = run("MODELARTS_ENDPOINT=http://127.0.0.1:1", {"--emulator", "--job-id", "182626", "--description", "x"});
    CHECK(flagged.status == 0);
    CHECK(std::regex_match(flagged.out, success_line));
}

TEST_CASE("a failure reported by the service prints the SDK's result and exits 1")
{
    auto r = run("", {"--emulator", "--job-id", "999999", "--description", "x"});
    CHECK(r.status == 1);
    CHECK(r.out.starts_with(R"({"is_success":false,"error_code":"ModelArts.2775","error_msg":")"));
    CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 1);
}

TEST_CASE("bad arguments and refused input exit 2 with a message, and print nothing on stdout")
{
    for (const auto& args : std::vector<std::vector<std::string>>{
             {},
             {"--job-id", "182626"},
             {"--job-id", "182626", "--description", "x", "--via", "other"},
             {"--job-id", "182626", "--description", "x", "--timeout", "0"},
             {"--job-id", "182626", "--description", "x", "--max-attempts", "0"},
             {"--job-id", "182626", "--description", "x", "--max-attempts", "many"},
             {"--job-id", "182626", "--description", "x", "--unknown", "y"},
             {"--job-id", "18x", "--description", "x"},
             {"--job-id", "182626", "--description", std::string(257, 'x')},
             {"--job-id", "182626", "--description", "\xC0\xAF"},
             {"--job-id", "3faf5c03-aaa1-4cbe-879d-24b05d997347", "--description", "x", "--via", "version"},
         }) {
        auto r = run("", args);
        CAPTURE(r.err);
        CHECK(r.status == 2);
        CHECK(r.out.empty());
        CHECK_FALSE(r.err.empty());
    }
    auto r = run("", {"--emulator", "--job-id", "182626", "--description", std::string(257, 'x')});
    CHECK(r.err.find("description: longer than 256") != std::string::npos);
}

TEST_CASE("an explicit endpoint, project and token: over HTTP to a running emulator")
{
    auto server = net_support::start_emulator(false, "secret-token-1");
    const std::string project = "0123456789abcdef0123456789abcdef";
    auto r = run("MODELARTS_AUTH_TOKEN=secret-token-1",
                 {"--endpoint", server->endpoint(), "--project-id", project, "--job-id", "182626", "--description", "direct"});
    CHECK(r.status == 0);
    CHECK(std::regex_match(r.out, success_line));
    CHECK(r.err.empty());
    CHECK(server->with_emulator([](auto& em) { return *em.description("182626"); }) == "direct");

    // From the environment: MODELARTS_ENDPOINT and HUAWEICLOUD_SDK_PROJECT_ID.
    r = run("MODELARTS_AUTH_TOKEN=secret-token-1 MODELARTS_ENDPOINT=" + server->endpoint() + " HUAWEICLOUD_SDK_PROJECT_ID=" + project,
            {"--job-id", "182626", "--description", "from env", "--via", "version"});
    CHECK(r.status == 0);
    CHECK(server->with_emulator([](auto& em) { return *em.description("182626"); }) == "from env");

    // A wrong token is the gateway's failure: exit 1, and the token is not echoed.
    r = run("MODELARTS_AUTH_TOKEN=wrong-secret-2 MODELARTS_ENDPOINT=" + server->endpoint() + " HUAWEICLOUD_SDK_PROJECT_ID=" + project,
            {"--job-id", "182626", "--description", "x"});
    CHECK(r.status == 1);
    CHECK(r.out.find("APIGW.0301") != std::string::npos);
    CHECK((r.out + r.err).find("wrong-secret-2") == std::string::npos);
}

TEST_CASE("transport failures exit 2; an unknown region or a missing project id too")
{
    auto r = run("", {"--endpoint", "http://127.0.0.1:" + std::to_string(net_support::closed_port()), "--project-id", "p",
                      "--job-id", "182626", "--description", "x"});
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find("connection refused") != std::string::npos);

    net_support::silent_listener silent;
    const auto start = std::chrono::steady_clock::now();
    r = run("", {"--endpoint", silent.url(), "--project-id", "p", "--job-id", "182626", "--description", "x", "--timeout", "1"});
    CHECK(r.status == 2);
    CHECK(r.err.find("timeout") != std::string::npos);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));

    r = run("HUAWEICLOUD_SDK_REGION=mars-north-1", {"--job-id", "182626", "--description", "x"});
    CHECK(r.status == 2);
    CHECK(r.err.find("region") != std::string::npos);

    r = run("MODELARTS_ENDPOINT=http://127.0.0.1:1", {"--job-id", "182626", "--description", "x"});
    CHECK(r.status == 2);
    CHECK(r.err.find("project_id") != std::string::npos);
}

TEST_CASE("modelarts-emulator: prints its port, serves the command, stops cleanly on SIGTERM")
{
    emulator_process emulator("--token t1");
    const std::string endpoint = emulator.endpoint;

    auto r = run("MODELARTS_AUTH_TOKEN=t1", {"--endpoint", endpoint, "--project-id", "0123456789abcdef0123456789abcdef",
                                             "--job-id", "182626", "--description", "served"});
    CHECK(r.status == 0);
    CHECK(emulator.stop());
}

TEST_CASE("the command signs with AK/SK, adds a security token, or logs in through IAM; secrets never shown")
{
    modelarts::testing::emulator_server_options opts;
    opts.emulator.access_keys = {{"AK9", {"SECRET-SK-9", ""}}, {"TMP9", {"SECRET-TMPSK-9", "SECRET-ST-9"}}};
    opts.emulator.users = {{"carol", "SECRET-PW-9", "acme"}};
    modelarts::testing::emulator_server server(opts);
    server.start();
    const std::string base = "MODELARTS_ENDPOINT=" + server.endpoint() + " HUAWEICLOUD_SDK_PROJECT_ID=0123456789abcdef0123456789abcdef ";
    const std::vector<std::string> args = {"--job-id", "182626", "--description", "authenticated"};
    std::string everything;
    auto expect = [&](const std::string& env, int status, const std::string& text) {
        auto r = run(base + env, args);
        CAPTURE(env);
        CAPTURE(r.out);
        CAPTURE(r.err);
        CHECK(r.status == status);
        CHECK((r.out + r.err).find(text) != std::string::npos);
        everything += r.out + r.err;
    };
    expect("HUAWEICLOUD_SDK_AK=AK9 HUAWEICLOUD_SDK_SK=SECRET-SK-9", 0, "\"is_success\":true");
    expect("HUAWEICLOUD_SDK_AK=AK9 HUAWEICLOUD_SDK_SK=SECRET-SK-9x", 1, "APIGW.0301");
    expect("HUAWEICLOUD_SDK_AK=TMP9 HUAWEICLOUD_SDK_SK=SECRET-TMPSK-9 HUAWEICLOUD_SDK_SECURITY_TOKEN=SECRET-ST-9", 0, "\"is_success\":true");
    expect("HUAWEICLOUD_SDK_AK=TMP9 HUAWEICLOUD_SDK_SK=SECRET-TMPSK-9", 1, "APIGW.0301");
    expect("MODELARTS_USERNAME=carol MODELARTS_PASSWORD=SECRET-PW-9 MODELARTS_ACCOUNT=acme HUAWEICLOUD_SDK_IAM_ENDPOINT=" + server.endpoint(),
           0, "\"is_success\":true");
    expect("MODELARTS_USERNAME=carol MODELARTS_PASSWORD=SECRET-PW-9x MODELARTS_ACCOUNT=acme HUAWEICLOUD_SDK_IAM_ENDPOINT=" + server.endpoint(),
           1, "The username or password is wrong.");
    expect("HUAWEICLOUD_SDK_AK=AK9", 2, "half a pair");
    expect("MODELARTS_PASSWORD=SECRET-PW-9", 2, "half a pair");
    expect("MODELARTS_USERNAME=carol MODELARTS_PASSWORD=SECRET-PW-9", 2, "endpoint");  // no IAM endpoint, no region
    for (const char* secret : {"SECRET-SK-9", "SECRET-TMPSK-9", "SECRET-ST-9", "SECRET-PW-9", "MIIE"}) {
        CAPTURE(secret);
        CHECK(everything.find(secret) == std::string::npos);
    }
    CHECK(server.with_emulator([](auto& em) { return *em.description("182626"); }) == "authenticated");
}

TEST_CASE("the embedded emulator accepts whatever credentials the environment holds")
{
    for (std::string env : {"HUAWEICLOUD_SDK_AK=AK HUAWEICLOUD_SDK_SK=SECRET-SK-8", "MODELARTS_AUTH_TOKEN=SECRET-TOKEN-8",
                            "MODELARTS_USERNAME=dave MODELARTS_PASSWORD=SECRET-PW-8"}) {
        CAPTURE(env);
        auto r = run(env, {"--emulator", "--job-id", "182626", "--description", "embedded"});
        CHECK(r.status == 0);
        CHECK(std::regex_match(r.out, success_line));
        CHECK((r.out + r.err).find("SECRET") == std::string::npos);
    }
}

TEST_CASE("transient failures are retried, one line each on stderr, with no secret; stdout and exit codes unchanged")
{
    modelarts::testing::emulator_server_options opts;
    opts.emulator.access_keys = {{"AK7", {"SECRET-SK-7", ""}}};
    // (No reset here: libcurl itself re-sends once when a kept-alive connection dies unanswered.)
    opts.emulator.faults = {.at = {{1, modelarts::testing::fault::service_unavailable}, {2, modelarts::testing::fault::throttled},
                                   {4, modelarts::testing::fault::service_unavailable}}};
    modelarts::testing::emulator_server server(opts);
    server.start();
    const std::string env = "HUAWEICLOUD_SDK_AK=AK7 HUAWEICLOUD_SDK_SK=SECRET-SK-7 MODELARTS_ENDPOINT=" + server.endpoint()
                          + " HUAWEICLOUD_SDK_PROJECT_ID=0123456789abcdef0123456789abcdef";
    auto r = run(env, {"--job-id", "182626", "--description", "after retries"});
    CAPTURE(r.err);
    CHECK(r.status == 0);
    CHECK(std::regex_match(r.out, success_line));
    const std::regex retry_line(R"(modelarts-update-job-description: attempt [0-9]+ failed \((HTTP [0-9]{3}|transport: [a-z ]+)\); retrying in [0-9]+\.[0-9]{2} s\n)");
    CHECK(std::regex_search(r.err, std::regex(R"(^modelarts-update-job-description: attempt 1 failed \(HTTP 503\); retrying in [0-9.]+ s\n)")));
    std::size_t lines = 0;
    for (std::sregex_iterator it(r.err.begin(), r.err.end(), retry_line), end; it != end; ++it) ++lines;
    CHECK(lines == static_cast<std::size_t>(std::count(r.err.begin(), r.err.end(), '\n')));
    CHECK(lines == 2);
    CHECK(r.err.find("SECRET") == std::string::npos);
    CHECK(r.err.find("Signature") == std::string::npos);

    // --max-attempts 1: the 503 is the answer, an HTML page: exit 2 as before, and no retry line.
    r = run(env, {"--job-id", "182626", "--description", "once", "--max-attempts", "1"});
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find("retrying") == std::string::npos);
    CHECK(r.err.find("not valid JSON") != std::string::npos);
}

TEST_CASE("the command reads the profile file after the environment, says so with --verbose, and stops on a bad one")
{
    emulator_process emulator("--access-key FILEAK:SECRET-FILESK");
    const std::string file = "command-test-credentials";
    std::ofstream(file) << "[basic]\nak = FILEAK\nsk = SECRET-FILESK\nproject_id = 0123456789abcdef0123456789abcdef\n";
    const std::string base = "MODELARTS_ENDPOINT=" + emulator.endpoint + " HUAWEICLOUD_SDK_CREDENTIALS_FILE=" + file + " ";
    auto r = run(base, {"--job-id", "182626", "--description", "from the file", "--verbose"});
    CAPTURE(r.err);
    CHECK(r.status == 0);
    CHECK(r.err.find("credentials: profile file " + file + "\n") != std::string::npos);

    std::ofstream(file) << "[basic]\nak = FILEAK\nsk: SECRET-FILESK\n";
    r = run(base, {"--job-id", "182626", "--description", "x"});
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find(file + ":3: expected [section], key = value") != std::string::npos);
    CHECK(r.err.find("SECRET") == std::string::npos);
    std::remove(file.c_str());
    CHECK(emulator.stop());
}

TEST_CASE("--credentials metadata: the instance metadata service's keys, from modelarts-emulator --metadata-credentials")
{
    emulator_process emulator("--metadata-credentials 600");
    std::smatch m;
    const std::string log = slurp(emulator.log);
    REQUIRE(std::regex_search(log, m, std::regex(R"(metadata service on (http://127\.0\.0\.1:[0-9]+) \(keys valid 600 s\))")));
    const std::string metadata = m[1];
    REQUIRE(metadata != emulator.endpoint);  // a port of its own
    auto r = run("MODELARTS_ENDPOINT=" + emulator.endpoint + " HUAWEICLOUD_SDK_PROJECT_ID=0123456789abcdef0123456789abcdef",
                 {"--job-id", "182626", "--description", "with temporary keys", "--credentials", "metadata", "--metadata-endpoint", metadata,
                  "--verbose"});
    CAPTURE(r.err);
    CHECK(r.status == 0);
    CHECK(r.err.find("credentials: the metadata service at " + metadata) != std::string::npos);
    CHECK(r.err.find("GET " + metadata + "/openstack/latest/securitykey") != std::string::npos);
    CHECK(r.err.find("X-Security-Token: ***") != std::string::npos);  // the update carried the temporary token, masked
    CHECK(r.err.find("tmpsk") == std::string::npos);                 // and no secret key
    CHECK(emulator.stop());

    r = run("", {"--emulator", "--job-id", "182626", "--description", "in process", "--credentials", "metadata"});
    CHECK(r.status == 0);
}

TEST_CASE("modelarts-emulator serves any client's credentials, seeded jobs and a fault plan")
{
    emulator_process emulator("--access-key AKX:SECRET-SKX --access-key TMPX:SECRET-TSKX:SECRET-STX --user erin:SECRET-PWX:acme "
                              "--job 42 --v2-job 0f0e0d0c-0b0a-4908-8706-050403020100 --fault-at 1:reset,3:throttled-retry-after "
                              "--retry-after 0");
    const std::string base = "MODELARTS_ENDPOINT=" + emulator.endpoint + " HUAWEICLOUD_SDK_PROJECT_ID=0123456789abcdef0123456789abcdef ";
    auto r = run(base + "HUAWEICLOUD_SDK_AK=AKX HUAWEICLOUD_SDK_SK=SECRET-SKX", {"--job-id", "42", "--description", "seeded v1"});
    CAPTURE(r.err);
    CHECK(r.status == 0);
    CHECK(r.err.find("attempt 1 failed") != std::string::npos);
    r = run(base + "HUAWEICLOUD_SDK_AK=TMPX HUAWEICLOUD_SDK_SK=SECRET-TSKX HUAWEICLOUD_SDK_SECURITY_TOKEN=SECRET-STX",
            {"--job-id", "0f0e0d0c-0b0a-4908-8706-050403020100", "--description", "seeded v2"});
    CHECK(r.status == 0);
    CHECK(r.err.find("HTTP 429") != std::string::npos);
    r = run(base + "MODELARTS_USERNAME=erin MODELARTS_PASSWORD=SECRET-PWX MODELARTS_ACCOUNT=acme HUAWEICLOUD_SDK_IAM_ENDPOINT="
                + emulator.endpoint, {"--job-id", "42", "--description", "as erin"});
    CHECK(r.status == 0);
    r = run(base + "HUAWEICLOUD_SDK_AK=AKX HUAWEICLOUD_SDK_SK=wrong", {"--job-id", "42", "--description", "x"});
    CHECK(r.status == 1);
    CHECK(r.out.find("APIGW.0301") != std::string::npos);
    CHECK(emulator.stop());
    CHECK(slurp(emulator.log).find("SECRET") == std::string::npos);

    for (const char* bad : {"--fault-at 1:explode", "--fault-rate 2", "--access-key AKONLY", "--job 0x1", "--v2-job nope"}) {
        CAPTURE(bad);
        const int rc = std::system((quote(std::getenv("MODELARTS_EMULATOR")) + ' ' + bad + " >/dev/null 2>&1").c_str());
        CHECK((WIFEXITED(rc) && WEXITSTATUS(rc) == 2));
    }
}
