// The emulator's handle(): any request gets an answer that is UTF-8 JSON, which the library's own
// parsers read as a verdict (never as "not JSON").
#include "modelarts/iam.hpp"
#include "modelarts/response.hpp"
#include "modelarts/testing/emulator.hpp"

#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace modelarts;
    static testing::emulator em{{.token = "tok", .keep_requests = false, .users = {{"u", "p", "a"}}}};
    static constexpr http_method methods[] = {http_method::get, http_method::put, http_method::post};
    fuzz::fields in(data, size);
    http_request req;
    req.method = methods[in.byte() % 3];
    req.set_target(in.next());
    const std::uint8_t header_count = in.byte() % 4;
    for (std::uint8_t i = 0; i < header_count; ++i) {
        const auto name = in.next();
        req.headers.add(name, in.next());
    }
    if (in.byte() % 2) req.headers.set("X-Auth-Token", "tok");
    req.set_body(in.rest());

    const http_response res = em.handle(req);
    FUZZ_CHECK(detail::utf8_length(res.body).has_value());
    FUZZ_CHECK(res.headers.get("Content-Type") == "application/json");
    for (const api_version api : {api_version::v1, api_version::v2}) {
        auto r = parse_update_job_description_response(res, api);
        FUZZ_CHECK(r || r.error() != error::malformed_body);
    }
    auto list = parse_list_job_versions_response(res);
    FUZZ_CHECK(list || list.error() != error::malformed_body);
    auto token = parse_iam_token_response(res);
    FUZZ_CHECK(token || token.error() != error::malformed_body);
    return 0;
}
