// The time parsers (IAM's ISO 8601, X-Sdk-Date, Retry-After's HTTP-date): a time in 1970-9999 or
// nothing, never UB; a parsed time prints back to text that parses to the same time.
#include "modelarts/detail/time.hpp"
#include "modelarts/signer.hpp"

#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace modelarts;
    using namespace std::chrono;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    // Compared in seconds: year 10000 in nanoseconds would itself overflow.
    const sys_seconds first{sys_days{year{1970} / 1 / 1}}, past_last{sys_days{year{10000} / 1 / 1}};
    auto in_range = [&](system_clock::time_point t) {
        const auto s = floor<seconds>(t);
        return s >= first && (t == system_clock::time_point::max() || s < past_last);
    };
    if (auto t = detail::parse_iso8601_utc(text)) {
        FUZZ_CHECK(in_range(*t));
        if (*t != system_clock::time_point::max())
            FUZZ_CHECK(detail::parse_iso8601_utc(detail::format_iso8601_utc(*t)) == floor<seconds>(*t));
    }
    if (auto t = signing::parse_sdk_date(text)) {
        FUZZ_CHECK(in_range(*t));
        if (*t != system_clock::time_point::max()) FUZZ_CHECK(signing::parse_sdk_date(signing::format_sdk_date(*t)) == *t);
    }
    if (auto t = detail::parse_http_date(text)) FUZZ_CHECK(in_range(*t));
    return 0;
}
