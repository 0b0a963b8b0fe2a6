#include "modelarts/response.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

using namespace modelarts;

namespace {

struct vector_file {
    std::string name;
    std::string bytes;
};

// The JSONTestSuite folder comes from meson (MODELARTS_JSONTESTSUITE_DIR; by default the copy in
// tests/jsontestsuite/). The corpus is part of the repository: without it the test fails.
const std::vector<vector_file>& corpus()
{
    static const std::vector<vector_file> files = [] {
        const char* dir = std::getenv("MODELARTS_JSONTESTSUITE_DIR");
        if (!dir || !std::filesystem::is_directory(dir)) {
            std::cerr << "FAIL: JSONTestSuite not found at " << (dir ? dir : "(MODELARTS_JSONTESTSUITE_DIR unset)")
                      << "; it ships in tests/jsontestsuite/, or set -Djsontestsuite_dir=...\n";
            std::exit(1);
        }
        std::vector<vector_file> out;
        for (const auto& entry : std::filesystem::directory_iterator(dir)) {
            if (entry.path().extension() != ".json") continue;
            std::ifstream in(entry.path(), std::ios::binary);
            out.push_back({entry.path().filename().string(), {std::istreambuf_iterator<char>(in), {}}});
        }
        return out;
    }();
    return files;
}

bool whitespace_only(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

// Every parser, on one body with one status: must return, never throw.
std::vector<boost::system::error_code> parse_all(const std::string& body, unsigned status)
{
    http_response res{status, {}, body};
    std::vector<boost::system::error_code> errors;
    auto note = [&](const auto& r) { errors.push_back(r ? boost::system::error_code{} : r.error()); };
    note(parse_update_job_description_response(res, api_version::v1));
    note(parse_update_job_description_response(res, api_version::v2));
    note(parse_list_job_versions_response(res));
    note(parse_create_job_response(res));
    return errors;
}

} // namespace

TEST_CASE("the corpus is there and complete")
{
    CHECK(corpus().size() >= 300);
}

TEST_CASE("invalid JSON (n_*) is always an error, never a result")
{
    int checked = 0;
    for (const auto& f : corpus()) {
        if (!f.name.starts_with("n_")) continue;
        // An empty body is v2's documented success; for every other parser it is malformed.
        const bool empty = whitespace_only(f.bytes);
        for (unsigned status : {200u, 400u, 502u}) {
            CAPTURE(f.name);
            CAPTURE(status);
            std::vector<boost::system::error_code> errors;
            CHECK_NOTHROW(errors = parse_all(f.bytes, status));
            for (std::size_t i = 0; i < errors.size(); ++i) {
                if (empty && i == 1 && status == 200) {
                    CHECK_FALSE(errors[i]);
                    continue;
                }
                CHECK((errors[i] == error::malformed_body || errors[i] == error::nesting_too_deep));
            }
        }
        ++checked;
    }
    CHECK(checked > 150);
}

TEST_CASE("valid JSON (y_*) is read as JSON: a result, or a shape or depth error, never malformed_body")
{
    int checked = 0;
    for (const auto& f : corpus()) {
        if (!f.name.starts_with("y_")) continue;
        for (unsigned status : {200u, 404u}) {
            CAPTURE(f.name);
            std::vector<boost::system::error_code> errors;
            CHECK_NOTHROW(errors = parse_all(f.bytes, status));
            for (const auto& ec : errors) CHECK(ec != error::malformed_body);
        }
        ++checked;
    }
    CHECK(checked > 90);
}

TEST_CASE("implementation-defined JSON (i_*) gets an answer either way, without a crash")
{
    for (const auto& f : corpus()) {
        if (!f.name.starts_with("i_")) continue;
        CAPTURE(f.name);
        std::vector<boost::system::error_code> errors;
        CHECK_NOTHROW(errors = parse_all(f.bytes, 200));
        for (const auto& ec : errors)
            CHECK((!ec || ec == error::malformed_body || ec == error::unexpected_shape || ec == error::nesting_too_deep));
    }
}

TEST_CASE("mutated bodies (bytes flipped, cut, spliced from the corpus) never escape the no-throw API")
{
    const std::string seeds[] = {
        R"({"is_success":true})",
        R"({"is_success":false,"error_code":"ModelArts.2775","error_message":"TrainingJobNotFound"})",
        R"({"error_code":"APIGW.0301","error_msg":"x","request_id":"r"})",
        R"({"is_success":true,"job_id":"10","versions":[{"version_id":10,"parameter":[{"label":"a","value":1}]}]})",
        R"({"is_success":true,"job_id":567524,"version_id":1108482,"version_name":"V0001"})",
    };
    std::mt19937 rng(20261128);  // fixed seed: the same bodies every run
    const auto& files = corpus();
    int results = 0;
    for (int i = 0; i < 20000; ++i) {
        std::string body = seeds[rng() % std::size(seeds)];
        switch (rng() % 4) {
        case 0: body[rng() % body.size()] = static_cast<char>(rng()); break;
        case 1: body.resize(rng() % body.size()); break;
        case 2: body.insert(rng() % body.size(), files[rng() % files.size()].bytes); break;
        default: body.insert(rng() % body.size(), std::string(1 + rng() % 8, static_cast<char>(rng())));
        }
        for (auto& ec : parse_all(body, 200 + 100 * (rng() % 4))) results += !ec;
    }
    CHECK(results > 0);  // some mutations are still valid answers
}
