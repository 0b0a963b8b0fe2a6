// The request builders and validators: whatever they accept gives a body that is JSON holding the
// description exactly, and a target with no '?', '#', "..", space, CR or LF; whatever they refuse
// is refused as invalid input, before any request exists.
#include "modelarts/request.hpp"

#include "fuzz_input.hpp"

#include <boost/json/parse.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace modelarts;
    fuzz::fields in(data, size);
    const auto endpoint = in.next(), project = in.next(), job_id = in.next(), description = in.next();
    static constexpr api_version apis[] = {api_version::automatic, api_version::v1, api_version::v2};
    const api_version api = apis[in.byte() % 3];

    auto at = make_service_location({std::string(endpoint), std::string(project)});
    if (!at) {
        FUZZ_CHECK(at.error() == condition::invalid_input);
        at = make_service_location({"https://modelarts.cn-north-4.myhuaweicloud.com", "0123456789abcdef"});
        FUZZ_CHECK(at.has_value());
    }
    auto req = make_update_job_description_request(*at, job_id, description, api);
    if (!req) {
        FUZZ_CHECK(req.error() == condition::invalid_input);
        return 0;
    }
    FUZZ_CHECK(validate_description(description).has_value());
    boost::system::error_code ec;
    const auto body = boost::json::parse(req->body(), ec);
    FUZZ_CHECK(!ec && body.is_object());
    const auto* key = body.get_object().if_contains(req->target().starts_with("/v2/") ? "description" : "job_desc");
    FUZZ_CHECK(key && key->is_string() && std::string_view(key->get_string()) == description);
    for (std::string_view bad : {"?", "#", "..", " ", "\r", "\n"})
        FUZZ_CHECK(req->target().find(bad) == std::string::npos);

    auto list = make_list_job_versions_request(*at, job_id, {});
    if (list) {
        const std::string_view path = list->target().substr(0, list->target().find('?'));
        for (std::string_view bad : {"#", "..", " ", "\r", "\n"}) FUZZ_CHECK(list->target().find(bad) == std::string::npos);
        FUZZ_CHECK(path.find('?') == std::string_view::npos);
    } else {
        FUZZ_CHECK(list.error() == condition::invalid_input);
    }
    return 0;
}
