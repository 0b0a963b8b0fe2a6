// Helpers shared by the tests.
#ifndef MODELARTS_TESTS_SUPPORT_HPP
#define MODELARTS_TESTS_SUPPORT_HPP

#include "modelarts/error.hpp"
#include "modelarts/http.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace test_support {

/** `s` written `n` times. */
inline std::string repeat(std::string_view s, std::size_t n)
{
    std::string out;
    out.reserve(s.size() * n);
    for (std::size_t i = 0; i < n; ++i) out += s;
    return out;
}

/** A sync transport that records every request and answers each with `answer`. */
struct canned_transport {
    modelarts::result<modelarts::http_response> send(const modelarts::http_request& req)
    {
        sent.push_back(req);
        return answer;
    }
    modelarts::result<modelarts::http_response> answer;
    std::vector<modelarts::http_request> sent = {};
};

} // namespace test_support

#endif
