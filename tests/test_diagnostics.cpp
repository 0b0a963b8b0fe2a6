#include "modelarts/diagnostics.hpp"

#include <doctest/doctest.h>

using namespace modelarts;

TEST_CASE("an attempt failure prints without secrets: a status or the transport's message")
{
    CHECK(to_string(attempt_failure{}) == "none");
    CHECK(to_string(attempt_failure{{}, 503}) == "HTTP 503");
    CHECK(to_string(attempt_failure{make_error_code(error::connection_reset), 0}) == make_error_code(error::connection_reset).message());
    CHECK_FALSE(attempt_failure{});
    CHECK(attempt_failure{{}, 429});
}

TEST_CASE("diagnostics start empty: no answer, no attempt, no failure")
{
    const diagnostics d;
    CHECK(d.http_status == 0);
    CHECK(d.request_id.empty());
    CHECK(d.attempts == 0);
    CHECK_FALSE(d.last_failure);
}
