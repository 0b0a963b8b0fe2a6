// Reading the environment: any values in the variables the SDK reads give options or an error,
// never a crash or an exception; options that come back make a session or a precise error.
#include "modelarts/environment.hpp"
#include "modelarts/session.hpp"

#include "fuzz_input.hpp"

#include <map>
#include <string>

namespace {

struct no_transport {
    modelarts::result<modelarts::http_response> send(const modelarts::http_request&) { return modelarts::error::connection_refused; }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace modelarts;
    static constexpr const char* names[] = {"MODELARTS_ENDPOINT", "HUAWEICLOUD_SDK_REGION", "HUAWEICLOUD_SDK_PROJECT_ID",
                                            "HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK", "HUAWEICLOUD_SDK_SECURITY_TOKEN",
                                            "MODELARTS_AUTH_TOKEN", "MODELARTS_USERNAME", "MODELARTS_PASSWORD",
                                            "MODELARTS_ACCOUNT", "HUAWEICLOUD_SDK_IAM_ENDPOINT"};
    fuzz::fields in(data, size);
    std::map<std::string, std::string> env;
    const std::uint8_t set = in.byte();  // which of the first eight are set
    const std::uint8_t more = in.byte();
    for (std::size_t i = 0; i < std::size(names); ++i)
        if ((i < 8 ? set >> i : more >> (i - 8)) & 1) env[names[i]] = std::string(in.next());

    auto options = session_options_from_environment([&](const char* name) -> const char* {
        auto it = env.find(name);
        return it == env.end() ? nullptr : it->second.c_str();
    });
    if (!options) {
        FUZZ_CHECK(options.error() == condition::invalid_input);
        return 0;
    }
    auto s = make_session(no_transport{}, std::move(*options));
    if (!s) FUZZ_CHECK(s.error() == condition::invalid_input);
    return 0;
}
