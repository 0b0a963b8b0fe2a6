// Every answer parser (the metadata service's too) and request_id_of, on any status, headers and body: a value or an error, never
// a crash, an exception or UB; and a success only with a 2xx.
#include "modelarts/iam.hpp"
#include "modelarts/metadata.hpp"
#include "modelarts/response.hpp"

#include "fuzz_input.hpp"

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace modelarts;
    static constexpr unsigned statuses[] = {200, 201, 204, 400, 401, 403, 404, 413, 429, 500, 502, 503};
    fuzz::fields in(data, size);
    http_response res;
    res.status = statuses[in.byte() % std::size(statuses)];
    const std::uint8_t header_count = in.byte() % 4;
    for (std::uint8_t i = 0; i < header_count; ++i) {
        const auto name = in.next();
        res.headers.add(name, in.next());
    }
    res.body = std::string(in.rest());

    auto check = [&](const auto& r) {
        if (r) FUZZ_CHECK(r->is_success == detail::is_2xx(res.status));
        else FUZZ_CHECK(r.error() == condition::bad_response);
    };
    check(parse_update_job_description_response(res, api_version::v1));
    check(parse_update_job_description_response(res, api_version::v2));
    check(parse_list_job_versions_response(res));
    check(parse_create_job_response(res));
    check(parse_iam_token_response(res));
    // The metadata service's answers: keys only from a 200, and then keys a request can carry.
    if (auto keys = parse_metadata_securitykey_response(res)) {
        FUZZ_CHECK(res.status == 200);
        FUZZ_CHECK(validate_credentials(keys->keys).has_value());
    } else {
        FUZZ_CHECK(keys.error() == condition::bad_response);
    }
    if (auto token = parse_metadata_token_response(res); token && *token) FUZZ_CHECK(validate_token(**token).has_value());
    // The request id: the header's when it has one, else at most 64 bytes from the body.
    const request_id_string id = request_id_of(res);
    FUZZ_CHECK(id.size() <= request_id_string::max_size);
    if (auto header = res.headers.find("X-Request-Id"); header && !header->empty() && header->size() <= request_id_string::max_size)
        FUZZ_CHECK(id == *header);
    return 0;
}
