// Secrets (SK, tokens, passwords, signatures) appear in no error message, printed request or
// response, or result text: every error path is driven with known secrets, and all the text
// the library produces is searched. The command's output is searched in test_command.cpp.
#include "modelarts/modelarts.hpp"

#include "modelarts/testing/emulator.hpp"

#include "support.hpp"

#include <doctest/doctest.h>

#include <sstream>

using namespace modelarts;
using modelarts::testing::emulator;
using modelarts::testing::in_process_transport;

namespace {

const std::string sk = "SECRET-SK-1f2e3d", token = "SECRET-TOKEN-4c5b6a", password = "SECRET-PW-7a8b9c",
                  security_token = "SECRET-ST-0d1e2f";

struct transcript {
    std::ostringstream text;

    template <class T>
    void result_of(const result<T>& r)
    {
        if (r) text << static_cast<const service_status&>(*r) << '\n' << r->error_msg << '\n';
        else text << r.error().message() << '\n' << r.error().what() << '\n';
    }

    void check(const std::vector<std::string>& more_secrets = {}) const
    {
        const std::string all = text.str();
        CHECK(all.size() > 1000);  // the sweep produced text to search
        for (const auto& secret : {sk, token, password, security_token}) {
            CAPTURE(secret);
            CHECK(all.find(secret) == std::string::npos);
        }
        for (const auto& secret : more_secrets) {
            CAPTURE(secret);
            CHECK(all.find(secret) == std::string::npos);
        }
    }
};

} // namespace

TEST_CASE("no secret in any message, printed request or response, or result")
{
    emulator em{{.token = token, .access_keys = {{"AK", {sk, security_token}}}, .users = {{"u", password}}}};
    transcript t;
    std::vector<std::string> signatures, issued_tokens;

    const std::vector<credentials> good = {
        token_credentials{token}, aksk_credentials{"AK", sk, security_token}, password_credentials{"u", password, "", em.endpoint()}};
    const std::vector<credentials> refused_by_service = {
        token_credentials{token + "x"}, aksk_credentials{"AK", sk + "x", security_token}, aksk_credentials{"AK", sk, security_token + "x"},
        password_credentials{"u", password + "x", "", em.endpoint()}};
    const std::vector<credentials> refused_locally = {
        token_credentials{token + "\n"}, aksk_credentials{"", sk}, aksk_credentials{"AK", sk, security_token + " "},
        password_credentials{"", password, "", em.endpoint()}, password_credentials{"u", password, "", "bad endpoint " + password}};

    for (const auto* group : {&good, &refused_by_service, &refused_locally}) {
        for (const auto& creds : *group) {
            auto made = make_session(in_process_transport{em},
                                     {.endpoint = em.endpoint(),
                                      .project_id = em.project_id(),
                                      .auth = creds,
                                      .on_attempt = [&](const attempt_report& a) { t.text << a.request << '\n'; }});
            CHECK(made.has_value() == (group != &refused_locally));
            if (!made) {
                t.text << made.error().message() << '\n';  // refused when the session is made
                continue;
            }
            const auto& s = *made;
            em.clear_requests();
            estimator est{s, "182626"};
            t.result_of(est.update_job_description("x"));
            t.result_of(est.update_job_description(std::string(300, 'x')));
            t.result_of(estimator{s, "bad id"}.update_job_description("x"));
            t.result_of(est.get_job_version_object_list());
            diagnostics diag;
            t.result_of(training_job{s, "999"}.update_job_description("x", &diag));
            t.text << diag.request_id << '\n';
            const auto sent = em.requests();  // a copy: handle() below adds to the log
            for (const auto& req : sent) {
                t.text << req << '\n';  // what was sent, printed: secrets masked
                auto authz = req.headers.get("Authorization");
                if (auto at = authz.find("Signature="); at != std::string_view::npos) signatures.emplace_back(authz.substr(at + 10));
                auto answer = em.handle(req);
                t.text << answer << '\n';
                if (auto issued = answer.headers.find("X-Subject-Token")) issued_tokens.emplace_back(*issued);
                t.result_of(parse_iam_token_response(answer));
            }
        }
    }
    // Refused credentials' own errors.
    for (const auto& creds : refused_locally) t.text << validate_credentials(creds).error().message() << '\n';
    t.text << make_iam_token_request({"u", password, "", em.endpoint()}, em.project_id()).value() << '\n';

    CHECK(signatures.size() >= 4);
    CHECK(issued_tokens.size() >= 1);
    auto more = signatures;
    more.insert(more.end(), issued_tokens.begin(), issued_tokens.end());
    t.check(more);
}
