// Sign, then verify: whatever description the builder accepts, signed with whatever credentials
// validation accepts, the emulator verifies the signature and stores the description exactly.
#include "modelarts/credentials.hpp"
#include "modelarts/request.hpp"
#include "modelarts/testing/emulator.hpp"

#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace modelarts;
    fuzz::fields in(data, size);
    aksk_credentials creds{std::string(in.next()), std::string(in.next()), std::string(in.next())};
    const auto description = in.next();
    if (!validate_credentials(creds)) return 0;

    const auto now = std::chrono::sys_days{std::chrono::year{2026} / 11 / 29} + std::chrono::hours{8};
    testing::emulator em{{.access_keys = {{creds.access_key, {creds.secret_key, creds.security_token}}},
                          .clock = [now] { return std::chrono::system_clock::time_point(now); }}};
    auto at = make_service_location({em.endpoint(), em.project_id()});
    FUZZ_CHECK(at.has_value());
    auto req = make_update_job_description_request(*at, "182626", description);
    if (!req) return 0;
    FUZZ_CHECK(apply_credentials(*req, creds, now).has_value());
    const http_response res = em.handle(*req);
    FUZZ_CHECK(res.status == 200);
    FUZZ_CHECK(em.description("182626") == description);
    return 0;
}
