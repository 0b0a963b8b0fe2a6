#include "modelarts/error.hpp"

#include <doctest/doctest.h>

#include <set>
#include <string>

using modelarts::condition;
using modelarts::error;

TEST_CASE("library errors are boost::system error codes of the \"modelarts\" category")
{
    boost::system::error_code ec = error::description_too_long;
    CHECK(ec.category().name() == std::string("modelarts"));
    CHECK(ec == error::description_too_long);
    CHECK(ec != error::invalid_job_id);
    CHECK(ec.category() == modelarts::error_category());
    CHECK(modelarts::make_error_code(error::invalid_endpoint).value() == static_cast<int>(error::invalid_endpoint));
}

TEST_CASE("every message names its field and, where there is one, the limit")
{
    CHECK(boost::system::error_code(error::description_too_long).message().find("description") == 0);
    CHECK(boost::system::error_code(error::description_too_long).message().find("256") != std::string::npos);
    CHECK(boost::system::error_code(error::invalid_project_id).message().find("64") != std::string::npos);
    CHECK(boost::system::error_code(error::invalid_job_id).message().find("job_id") == 0);
    CHECK(boost::system::error_code(error::invalid_paging).message().find("1000") != std::string::npos);

    const error all[] = {error::description_too_long, error::description_not_utf8, error::invalid_job_id,
                         error::job_id_api_mismatch,  error::versions_need_v1_job,  error::invalid_project_id,
                         error::invalid_endpoint,     error::invalid_token,         error::invalid_paging,
                         error::unknown_region,       error::invalid_access_key,    error::invalid_secret_key,
                         error::invalid_user,         error::incomplete_credentials, error::invalid_retry_policy,
                         error::login_required,
                         error::malformed_body,       error::unexpected_shape,      error::contradictory_status,
                         error::nesting_too_deep,     error::transport_failure,     error::host_not_found,
                         error::connection_refused,   error::connection_reset,      error::timeout,
                         error::tls_failure};
    std::set<std::string> messages;
    for (auto e : all) {
        auto m = boost::system::error_code(e).message();
        CAPTURE(m);
        CHECK(m.find("unknown") == std::string::npos);
        messages.insert(m);
    }
    CHECK(messages.size() == std::size(all));  // each code says something of its own
}

TEST_CASE("errors group into conditions: invalid input, bad response, transport")
{
    CHECK(boost::system::error_code(error::description_not_utf8) == condition::invalid_input);
    CHECK(boost::system::error_code(error::invalid_endpoint) == condition::invalid_input);
    CHECK(boost::system::error_code(error::malformed_body) == condition::bad_response);
    CHECK(boost::system::error_code(error::contradictory_status) == condition::bad_response);
    CHECK(boost::system::error_code(error::transport_failure) == condition::transport);
    CHECK(boost::system::error_code(error::tls_failure) == condition::transport);
    CHECK(boost::system::error_code(error::timeout) == condition::transport);
    CHECK(boost::system::error_code(error::transport_failure) != condition::invalid_input);
    CHECK(modelarts::make_error_condition(condition::bad_response).message() == "bad response");
}

TEST_CASE("condition::transport also matches other categories' transport errors, so a user's transport is classified too")
{
    namespace errc = boost::system::errc;
    for (auto e : {errc::connection_refused, errc::connection_reset, errc::connection_aborted, errc::timed_out,
                   errc::broken_pipe, errc::operation_canceled, errc::host_unreachable, errc::network_unreachable}) {
        CHECK(errc::make_error_code(e) == condition::transport);
        CHECK(errc::make_error_code(e) != condition::invalid_input);
    }
    CHECK(boost::system::error_code(ECONNREFUSED, boost::system::system_category()) == condition::transport);
    CHECK(boost::system::error_code(ETIMEDOUT, boost::system::generic_category()) == condition::transport);
    CHECK(errc::make_error_code(errc::permission_denied) != condition::transport);
    CHECK(errc::make_error_code(errc::invalid_argument) != condition::transport);
    // Asio's and Beast's own categories are matched in test_asio and test_beast_transport, which include them.
}

TEST_CASE("result<T> carries a value or an error code, without throwing")
{
    modelarts::result<int> ok = 3;
    modelarts::result<int> bad = error::invalid_job_id;
    CHECK(ok.value() == 3);
    CHECK_FALSE(bad);
    CHECK(bad.error() == error::invalid_job_id);
    CHECK_THROWS_AS(bad.value(), boost::system::system_error);  // only if you ask for it
}
