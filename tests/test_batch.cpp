// The command at fleet scale: --from FILE (JSON Lines), many updates in flight, output in input
// order, bad lines answered and skipped, exit statuses, a progress line on a terminal, --verbose
// without secrets, --version and --help.
#include "command_support.hpp"

#include "modelarts/testing/server.hpp"
#include "modelarts/version.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <regex>
#include <set>
#include <string>
#include <vector>

using namespace command_support;

namespace {

const std::string project = "0123456789abcdef0123456789abcdef";

std::string line_for(const std::string& job_id, const std::string& description)
{
    boost::json::object o;
    o["job_id"] = job_id;
    o["description"] = description;
    return boost::json::serialize(o) + '\n';
}

// The output, one parsed object per line; fails the test on a line that is not a JSON object.
std::vector<boost::json::object> output_lines(const std::string& out)
{
    std::vector<boost::json::object> lines;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) {
        boost::system::error_code ec;
        auto v = boost::json::parse(line, ec);
        REQUIRE_MESSAGE(!ec, line);
        REQUIRE_MESSAGE(v.is_object(), line);
        lines.push_back(v.as_object());
    }
    return lines;
}

// An emulator server with `count` v1 jobs 1000001.., and the environment that reaches it.
struct fleet {
    explicit fleet(int count, modelarts::testing::fault_plan faults = {})
    {
        modelarts::testing::emulator_server_options opts;
        opts.emulator.token = "SECRET-TOKEN-5";
        opts.emulator.faults = std::move(faults);
        server.emplace(opts);
        server->with_emulator([count](auto& em) {
            for (int i = 0; i < count; ++i) em.add_v1_job(1000001 + i, "job", "before", {});
        });
        server->start();
        env = "MODELARTS_AUTH_TOKEN=SECRET-TOKEN-5 MODELARTS_ENDPOINT=" + server->endpoint() + " HUAWEICLOUD_SDK_PROJECT_ID=" + project;
    }
    std::optional<modelarts::testing::emulator_server> server;
    std::string env;
};

std::string job(int i) { return std::to_string(1000001 + i); }

} // namespace

TEST_CASE("1,000 lines against 20% injected faults: every update succeeds, each description stored exactly, output in input order")
{
    fleet f(1000, {.rate = 0.2, .seed = 11, .delay = std::chrono::milliseconds(20), .retry_after = std::chrono::seconds(0)});
    std::string input;
    for (int i = 0; i < 1000; ++i) input += line_for(job(i), "run " + std::to_string(i) + " \xE2\x9C\x93 \"quoted\"");
    write_file("batch.jsonl", input);

    // 10 attempts: a line fails only if 10 tries in a row draw a fault (0.2^10).
    auto r = run(f.env, {"--from", "batch.jsonl", "--concurrency", "64", "--max-attempts", "10"});
    CAPTURE(r.err);
    CHECK(r.status == 0);
    const auto lines = output_lines(r.out);
    REQUIRE(lines.size() == 1000);
    for (int i = 0; i < 1000; ++i) {
        CAPTURE(i);
        CHECK(lines[i].at("line").as_int64() == i + 1);
        CHECK(lines[i].at("job_id").as_string() == job(i));
        CHECK(lines[i].at("is_success").as_bool());
        CHECK(lines[i].at("request_id").as_string().size() == 32);
    }
    f.server->with_emulator([](auto& em) {
        for (int i = 0; i < 1000; ++i) CHECK(*em.description(job(i)) == "run " + std::to_string(i) + " \xE2\x9C\x93 \"quoted\"");
        const auto& requests = em.requests();
        CHECK(requests.size() > 1000);  // truncated answers were applied, then sent again
    });
    CHECK(r.err.find("SECRET") == std::string::npos);
}

TEST_CASE("a bad line gets its own output line with the error's code, message and class; nothing is sent for it")
{
    fleet f(10);
    const std::string input = line_for(job(0), "good one")          // 1
                            + "this is not json\n"                   // 2
                            + "\n"                                   // 3: blank, skipped (no output)
                            + R"({"description":"no id"})" "\n"     // 4
                            + R"({"job_id":1000002,"description":"numeric id"})" "\n"  // 5
                            + R"({"job_id":"1000002"})" "\n"        // 6
                            + R"({"job_id":"1000002","description":7})" "\n"  // 7
                            + "{\"job_id\":\"1000002\",\"description\":\"bad \xC0\xAF utf-8\"}\n"  // 8
                            + line_for(job(1), std::string(257, 'x'))  // 9: over the limit
                            + line_for("18x", "bad id")                 // 10
                            + R"(["job_id","description"])" "\n"      // 11
                            + "{\"job_id\":\"1000002\",\"description\":\"" + std::string(70000, 'y') + "\"}\n"  // 12: too long
                            + line_for(job(2), "good two")              // 13
                            + "   \t\r\n"                               // 14: blank, skipped
                            + line_for(job(3), "good three, no newline at the end").substr(0, line_for(job(3), "good three, no newline at the end").size() - 1);
    write_file("bad.jsonl", input);
    auto r = run(f.env, {"--from", "bad.jsonl", "--concurrency", "4"});
    CAPTURE(r.out);
    CAPTURE(r.err);
    CHECK(r.status == 2);
    CHECK(r.err.empty());
    const auto lines = output_lines(r.out);
    REQUIRE(lines.size() == 13);

    struct expected {
        std::int64_t line;
        const char* job_id;  // null: the line had none
        const char* message;
    };
    const expected bad[] = {
        {2, nullptr, "line: not JSON"},
        {4, nullptr, "job_id: missing"},
        {5, nullptr, "job_id: must be a JSON string"},
        {6, "1000002", "description: missing"},
        {7, "1000002", "description: must be a JSON string"},
        {8, nullptr, "line: not valid UTF-8"},
        {9, "1000002", "description: longer than 256"},
        {10, "18x", "job_id: must be a positive decimal"},
        {11, nullptr, "line: not a JSON object"},
        {12, nullptr, "line: longer than 65536 bytes"},
    };
    std::set<std::int64_t> bad_lines;
    for (const auto& e : bad) {
        CAPTURE(e.line);
        auto it = std::find_if(lines.begin(), lines.end(), [&](const auto& o) { return o.at("line").as_int64() == e.line; });
        REQUIRE(it != lines.end());
        if (e.job_id) CHECK(it->at("job_id").as_string() == e.job_id);
        else CHECK(it->at("job_id").is_null());
        CHECK_FALSE(it->at("is_success").as_bool());
        CHECK(it->at("error_class").as_string() == "invalid_input");
        CHECK(std::string(it->at("error_msg").as_string()).starts_with(e.message));
        CHECK(std::regex_match(std::string(it->at("error_code").as_string()), std::regex(R"(modelarts(\.batch)?:[0-9]+)")));
        bad_lines.insert(e.line);
    }
    std::vector<std::int64_t> numbers;
    for (const auto& o : lines) numbers.push_back(o.at("line").as_int64());
    CHECK(numbers == std::vector<std::int64_t>{1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15});
    for (const auto& o : lines)
        if (!bad_lines.count(o.at("line").as_int64())) CHECK(o.at("is_success").as_bool());

    f.server->with_emulator([](auto& em) {
        CHECK(em.requests().size() == 3);  // the three good lines only
        CHECK(*em.description(job(0)) == "good one");
        CHECK(*em.description(job(1)) == "before");
        CHECK(*em.description(job(2)) == "good two");
        CHECK(*em.description(job(3)) == "good three, no newline at the end");
    });
}

TEST_CASE("exit status 1 when the service refuses an update and nothing else went wrong; its verdict is the output line")
{
    fleet f(2);
    write_file("refused.jsonl", line_for(job(0), "a") + line_for("999999", "no such job") + line_for(job(1), "b"));
    auto r = run(f.env, {"--from", "refused.jsonl"});
    CHECK(r.status == 1);
    const auto lines = output_lines(r.out);
    REQUIRE(lines.size() == 3);
    CHECK(lines[1].at("job_id").as_string() == "999999");
    CHECK_FALSE(lines[1].at("is_success").as_bool());
    CHECK(lines[1].at("error_code").as_string() == "ModelArts.2775");
    CHECK_FALSE(lines[1].contains("error_class"));
    CHECK(lines[0].at("is_success").as_bool());
    CHECK(lines[2].at("is_success").as_bool());
}

TEST_CASE("lines from stdin with --from -; --emulator serves a batch from an emulator in the process")
{
    std::string input;
    for (int i = 0; i < 20; ++i) input += line_for(i % 2 ? "182626" : "3faf5c03-aaa1-4cbe-879d-24b05d997347", "from stdin");
    write_file("stdin.jsonl", input);
    auto r = run("", {"--emulator", "--from", "-"}, "stdin.jsonl");
    CAPTURE(r.err);
    CHECK(r.status == 0);
    const auto lines = output_lines(r.out);
    REQUIRE(lines.size() == 20);
    for (int i = 0; i < 20; ++i) CHECK(lines[i].at("line").as_int64() == i + 1);
    CHECK(r.err.find("--emulator: sending to the emulator in this process, not to ModelArts") != std::string::npos);
}

TEST_CASE("output stays in input order when answers come back out of order, and updates do run concurrently")
{
    // Every other answer is 300 ms late: one at a time this takes 30 s, 64 at a time well under 5.
    modelarts::testing::fault_plan faults;
    for (std::uint64_t n = 1; n <= 200; n += 2) faults.at[n] = modelarts::testing::fault::delay;
    faults.delay = std::chrono::milliseconds(300);
    fleet f(200, faults);
    std::string input;
    for (int i = 0; i < 200; ++i) input += line_for(job(i), "ordered");
    write_file("order.jsonl", input);
    const auto start = std::chrono::steady_clock::now();
    auto r = run(f.env, {"--from", "order.jsonl", "--concurrency", "64"});
    const auto took = std::chrono::steady_clock::now() - start;
    CHECK(r.status == 0);
    const auto lines = output_lines(r.out);
    REQUIRE(lines.size() == 200);
    for (int i = 0; i < 200; ++i) {
        CHECK(lines[i].at("line").as_int64() == i + 1);
        CHECK(lines[i].at("job_id").as_string() == job(i));
    }
    CHECK(took < std::chrono::seconds(15));
}

TEST_CASE("a file that cannot be read: exit 2, a message naming it, nothing on stdout")
{
    auto r = run("", {"--emulator", "--from", "no/such/file.jsonl"});
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find("no/such/file.jsonl: No such file or directory") != std::string::npos);

    r = run("", {"--emulator", "--from", "."});  // a directory: opens, but read() fails
    CHECK(r.status == 2);
    CHECK(r.err.find("Is a directory") != std::string::npos);

    for (const auto& args : std::vector<std::vector<std::string>>{
             {"--from", "x.jsonl", "--job-id", "182626"},
             {"--from", "x.jsonl", "--via", "version"},
             {"--from", "x.jsonl", "--concurrency", "0"},
             {"--from", "x.jsonl", "--concurrency", "257"},
         }) {
        r = run("", args);
        CHECK(r.status == 2);
        CHECK(r.out.empty());
    }
}

TEST_CASE("a password session logs in once for the whole batch: 16 updates start at once, and wait for one login")
{
    modelarts::testing::emulator_server_options opts;
    opts.emulator.users = {{"frank", "SECRET-PW-6", "acme"}};
    modelarts::testing::emulator_server server(opts);
    server.start();
    std::string input = "not json\n";  // answered at once, with no login
    for (int i = 0; i < 40; ++i) input += line_for("182626", "logged in");
    write_file("login.jsonl", input);
    auto r = run("MODELARTS_USERNAME=frank MODELARTS_PASSWORD=SECRET-PW-6 MODELARTS_ACCOUNT=acme HUAWEICLOUD_SDK_IAM_ENDPOINT="
                     + server.endpoint() + " MODELARTS_ENDPOINT=" + server.endpoint() + " HUAWEICLOUD_SDK_PROJECT_ID=" + project,
                 {"--from", "login.jsonl", "--concurrency", "16"});
    CHECK(r.status == 2);
    CHECK(output_lines(r.out).size() == 41);
    server.with_emulator([](auto& em) {
        const auto logins = std::count_if(em.requests().begin(), em.requests().end(),
                                          [](const auto& req) { return req.target() == "/v3/auth/tokens"; });
        CHECK(logins == 1);
        CHECK(em.requests().size() == 41);
    });
}

TEST_CASE("on a terminal, one progress line redrawn at most 10 times a second; none with --quiet or off a terminal")
{
    // Every answer 60 ms late, one at a time: about 1.8 s for 30 lines.
    modelarts::testing::fault_plan faults{.rate = 1.0, .kinds = {modelarts::testing::fault::delay}, .delay = std::chrono::milliseconds(60)};
    fleet f(30, faults);
    std::string input;
    for (int i = 0; i < 30; ++i) input += line_for(job(i), "progress");
    write_file("progress.jsonl", input);

    const auto start = std::chrono::steady_clock::now();
    auto r = run_on_terminal(f.env, {"--from", "progress.jsonl", "--concurrency", "1"});
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    CAPTURE(r.err);
    CHECK(r.status == 0);
    CHECK(output_lines(r.out).size() == 30);
    const auto redraws = std::count(r.err.begin(), r.err.end(), '\r');
    CHECK(redraws >= 5);
    CHECK(redraws <= static_cast<long>(10 * seconds) + 2);
    CHECK(r.err.find("30/30 done") != std::string::npos);
    CHECK(std::regex_search(r.err, std::regex(R"(\r[^\r]*: [0-9]+/30 done, [0-9]+/s, 0 failed, 0 retried, ETA [0-9]+:[0-9]{2})")));
    CHECK(r.err.find("SECRET") == std::string::npos);

    r = run_on_terminal(f.env, {"--from", "progress.jsonl", "--concurrency", "8", "--quiet"});
    CHECK(r.status == 0);
    CHECK(r.err.find("done") == std::string::npos);

    r = run(f.env, {"--from", "progress.jsonl", "--concurrency", "8"});  // stderr is a file
    CHECK(r.status == 0);
    CHECK(r.err.empty());
}

TEST_CASE("--verbose shows every attempt and its headers, and no secret of any credential mode, single or batch")
{
    modelarts::testing::emulator_server_options opts;
    opts.emulator.token = "SECRET-TOKEN-4";
    opts.emulator.access_keys = {{"AK4", {"SECRET-SK-4", ""}}, {"TMP4", {"SECRET-TMPSK-4", "SECRET-ST-4"}}};
    opts.emulator.users = {{"gina", "SECRET-PW-4", "acme"}};
    opts.emulator.faults = {.at = {{2, modelarts::testing::fault::service_unavailable}}};
    modelarts::testing::emulator_server server(opts);
    server.start();
    write_file("verbose.jsonl", line_for("182626", "verbose one") + line_for("182626", "verbose two"));
    const std::string base = "MODELARTS_ENDPOINT=" + server.endpoint() + " HUAWEICLOUD_SDK_PROJECT_ID=" + project + ' ';
    const std::vector<std::string> modes = {
        "MODELARTS_AUTH_TOKEN=SECRET-TOKEN-4",
        "HUAWEICLOUD_SDK_AK=AK4 HUAWEICLOUD_SDK_SK=SECRET-SK-4",
        "HUAWEICLOUD_SDK_AK=TMP4 HUAWEICLOUD_SDK_SK=SECRET-TMPSK-4 HUAWEICLOUD_SDK_SECURITY_TOKEN=SECRET-ST-4",
        "MODELARTS_USERNAME=gina MODELARTS_PASSWORD=SECRET-PW-4 MODELARTS_ACCOUNT=acme HUAWEICLOUD_SDK_IAM_ENDPOINT=" + server.endpoint(),
    };
    const std::regex attempt_line(R"(modelarts-update-job-description: attempt [0-9]+: (PUT|POST) http://127\.0\.0\.1:[0-9]+/\S+ -> HTTP [0-9]{3} in [0-9]+\.[0-9]{2} ms(, request id [0-9a-f]+)?(; retrying in [0-9.]+ s)?\n)");
    std::string everything;
    for (const auto& mode : modes) {
        CAPTURE(mode);
        for (const auto& args : std::vector<std::vector<std::string>>{{"--job-id", "182626", "--description", "verbose", "--verbose"},
                                                                       {"--from", "verbose.jsonl", "--verbose"}}) {
            auto r = run(base + mode, args);
            CAPTURE(r.err);
            CHECK(r.status == 0);
            CHECK(std::regex_search(r.err, attempt_line));
            CHECK(r.err.find("request id ") != std::string::npos);
            CHECK(r.err.find("    Host: 127.0.0.1:") != std::string::npos);
            CHECK(std::regex_search(r.err, std::regex(R"(    (X-Auth-Token|Authorization): \*\*\*\n)")));
            everything += r.out + r.err;
        }
    }
    CHECK(everything.find("retrying in") != std::string::npos);  // the injected 503 was seen
    CHECK(everything.find("POST http://127.0.0.1") != std::string::npos);  // and the IAM login
    for (const char* secret : {"SECRET", "Signature=", "MIIE"}) {
        CAPTURE(secret);
        CHECK(everything.find(secret) == std::string::npos);
    }
}

TEST_CASE("--version prints the library's version; --help lists every flag, every environment variable and the exit codes")
{
    auto r = run("", {"--version"});
    CHECK(r.status == 0);
    CHECK(r.out == std::string("modelarts-update-job-description ") + modelarts::version_string + '\n');

    r = run("", {"--help"});
    CHECK(r.status == 0);
    // The command's flags and the environment it reads, as the README documents them: each is in
    // --help, and --help documents no flag beyond them.
    const std::set<std::string> flags = {"--job-id", "--description", "--from",    "--concurrency", "--quiet",
                                         "--endpoint", "--emulator",  "--project-id", "--via",      "--timeout", "--credentials", "--metadata-endpoint",
                                         "--max-attempts", "--verbose", "--version", "--help"};
    for (const auto& flag : flags) {
        CAPTURE(flag);
        CHECK(r.out.find("  " + flag + ' ') != std::string::npos);
    }
    const std::regex documented_flag(R"(\n  (--[a-z-]+))");
    for (std::sregex_iterator it(r.out.begin(), r.out.end(), documented_flag), end; it != end; ++it) {
        CAPTURE((*it)[1].str());
        CHECK(flags.contains((*it)[1].str()));
    }
    for (const char* variable : {"MODELARTS_ENDPOINT", "HUAWEICLOUD_SDK_REGION", "HUAWEICLOUD_SDK_PROJECT_ID", "HUAWEICLOUD_SDK_AK",
                                 "HUAWEICLOUD_SDK_SK", "HUAWEICLOUD_SDK_SECURITY_TOKEN", "MODELARTS_AUTH_TOKEN", "MODELARTS_USERNAME",
                                 "MODELARTS_PASSWORD", "MODELARTS_ACCOUNT", "HUAWEICLOUD_SDK_IAM_ENDPOINT",
                                 "HUAWEICLOUD_SDK_CREDENTIALS_FILE"}) {
        CAPTURE(variable);
        CHECK(r.out.find(variable) != std::string::npos);
    }
    for (const char* status : {"  0  ", "  1  ", "  2  "}) CHECK(r.out.find(status) != std::string::npos);
}
