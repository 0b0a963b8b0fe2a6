// Helpers shared by the tests.
#ifndef MODELARTS_TESTS_SUPPORT_HPP
#define MODELARTS_TESTS_SUPPORT_HPP

#include "modelarts/error.hpp"
#include "modelarts/http.hpp"
#include "modelarts/session.hpp"

#include <doctest/doctest.h>

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

/** A session the test needs to exist: fails the test, with the reason, when the options are refused. */
template <class Transport>
modelarts::session<Transport> session_of(Transport transport, modelarts::session_options options)
{
    auto s = modelarts::make_session(std::move(transport), std::move(options));
    REQUIRE_MESSAGE(s.has_value(), (s ? std::string() : s.error().message()));
    return *std::move(s);
}

/** Options that try once: for tests of a single exchange. */
inline modelarts::retry_policy no_retries() { return {.max_attempts = 1}; }

} // namespace test_support

#endif
