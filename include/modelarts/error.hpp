/**
 * @file error.hpp
 * The library's error codes: one per way an input, a response or a transport can be wrong.
 */
#ifndef MODELARTS_ERROR_HPP
#define MODELARTS_ERROR_HPP

#include "modelarts/detail/config.hpp"

#include <boost/system/error_category.hpp>
#include <boost/system/error_code.hpp>
#include <boost/system/error_condition.hpp>
#include <boost/system/result.hpp>

#include <string>
#include <string_view>
#include <type_traits>

namespace modelarts {

/**
 * Everything the library itself can report. Service failures (`is_success: false`) are not
 * errors: they come back as a value, see `update_result`.
 */
enum class error {
    // Input refused before anything is sent.
    description_too_long = 1,  ///< description over 256 Unicode characters
    description_not_utf8,      ///< description is not valid UTF-8
    invalid_job_id,            ///< not a v1 id (positive int64 decimal) nor a v2 id (UUID)
    job_id_api_mismatch,       ///< the id's form does not fit the API version chosen
    versions_need_v1_job,      ///< version lists exist for v1 (numeric) jobs only
    invalid_project_id,        ///< project id empty, over 64 characters or outside [A-Za-z0-9-]
    invalid_endpoint,          ///< endpoint not http(s)://host[:port]
    invalid_token,             ///< token empty or holding characters a header cannot carry
    invalid_paging,            ///< per_page outside 1..1000
    unknown_region,            ///< not a region with ModelArts: give the endpoint instead
    invalid_access_key,        ///< AK not 1 to 128 letters and digits
    invalid_secret_key,        ///< SK empty
    invalid_user,              ///< user name or password empty, or not UTF-8
    incomplete_credentials,    ///< half a pair in the environment: an AK without its SK, a user without a password
    invalid_retry_policy,      ///< max_attempts 0, multiplier below 1, or a negative duration
    login_required,            ///< password credentials applied by hand: a session logs in through IAM first
    invalid_profile_file,      ///< the credentials profile file cannot be read or parsed (`environment_report` says where)
    invalid_provided_credentials,  ///< a provider's function gave credentials of another kind than a token or keys, bad ones, or expired ones

    // A response that arrived but cannot be understood.
    malformed_body = 100,      ///< body is not JSON (HTML, empty, truncated, invalid UTF-8)
    unexpected_shape,          ///< JSON, but not of the documented shape
    contradictory_status,      ///< 2xx saying failure, or 4xx/5xx saying success
    nesting_too_deep,          ///< JSON nested deeper than the response needs
    response_too_large,        ///< over the transport's `response_limits`: the connection was dropped
    no_agency,                 ///< the metadata service has no temporary keys: the instance has no agency
    metadata_token_expired,    ///< the metadata service refused its session token: fetch a new one, and try once more

    // The exchange itself failed (issued by transports).
    transport_failure = 200,   ///< the exchange failed for another reason
    host_not_found,            ///< the endpoint's host name does not resolve
    connection_refused,        ///< nothing listens at the endpoint
    connection_reset,          ///< the connection closed before a whole response arrived
    timeout,                   ///< no whole response within the time allowed
    tls_failure,               ///< TLS handshake or certificate verification failed
};

/**
 * Broad classes of `error`, for callers who only need to know where it went wrong:
 * `if (ec == modelarts::condition::invalid_input) ...`.
 */
enum class condition {
    invalid_input = 1,  ///< refused before sending: fix the arguments
    bad_response,       ///< a response arrived that is not what the service documents
    transport,          ///< nothing usable came back: the library's transport codes, and the
                        ///< refused, reset, aborted, timed-out, host-not-found, EOF and truncated-TLS
                        ///< codes of the system, generic, Asio and Beast categories
};

namespace detail {

// What an error says about an exchange: it is no transport failure, a transient one (a new
// connection may not repeat it: retried), or a lasting one (a cancellation, an unknown host).
// The one classifier behind both `condition::transport` and the default retry decision.
enum class transport_failure_kind { none, transient, lasting };

MODELARTS_DECL transport_failure_kind classify_transport_error(const boost::system::error_code& ec) noexcept;

class error_category_impl final : public boost::system::error_category {
public:
    constexpr error_category_impl() noexcept : boost::system::error_category(0x6d6f64656c617274ULL) {}

    const char* name() const noexcept override { return "modelarts"; }

    std::string message(int ev) const override { return message(ev, nullptr, 0); }

    const char* message(int ev, char*, std::size_t) const noexcept override
    {
        switch (static_cast<error>(ev)) {
        case error::description_too_long:
            return "description: longer than 256 Unicode characters (code points)";
        case error::description_not_utf8:
            return "description: not valid UTF-8 (overlong form, encoded surrogate, truncated sequence or byte 0xF5-0xFF)";
        case error::invalid_job_id:
            return "job_id: must be a positive decimal that fits in int64 (v1) or a canonical UUID 8-4-4-4-12 (v2)";
        case error::job_id_api_mismatch:
            return "job_id: its form does not fit the chosen API (v1 takes a decimal id, v2 a UUID)";
        case error::versions_need_v1_job:
            return "job_id: version lists exist only for v1 jobs (decimal id)";
        case error::invalid_project_id:
            return "project_id: must be 1 to 64 characters of A-Z a-z 0-9 -";
        case error::invalid_endpoint:
            return "endpoint: must be https://host[:port] or http://host[:port] with no path, query, fragment or userinfo";
        case error::invalid_token:
            return "token: must be non-empty visible ASCII (no spaces or control characters)";
        case error::invalid_paging:
            return "per_page: must be 1 to 1000";
        case error::unknown_region:
            return "region: not a Huawei Cloud region with ModelArts (see modelarts::modelarts_regions); set the endpoint instead";
        case error::invalid_access_key:
            return "access_key: must be 1 to 128 letters and digits, as IAM issues them";
        case error::invalid_secret_key:
            return "secret_key: must not be empty";
        case error::invalid_user:
            return "username/password: both must be non-empty UTF-8";
        case error::incomplete_credentials:
            return "credentials: half a pair is set (HUAWEICLOUD_SDK_AK needs HUAWEICLOUD_SDK_SK and the other way round; "
                   "MODELARTS_USERNAME needs MODELARTS_PASSWORD and the other way round)";
        case error::invalid_retry_policy:
            return "retry: max_attempts must be at least 1, multiplier at least 1, and delays and timeout 0 or more";
        case error::login_required:
            return "credentials: password credentials need a token from IAM first; a session logs in by itself";
        case error::invalid_profile_file:
            return "credentials: the profile file (HUAWEICLOUD_SDK_CREDENTIALS_FILE, else ~/.huaweicloud/credentials) "
                   "cannot be read or parsed";
        case error::invalid_provided_credentials:
            return "credentials: the provider's function gave no token or access key, an invalid one, or one already expired";
        case error::malformed_body:
            return "response body: not valid JSON";
        case error::unexpected_shape:
            return "response body: JSON of a shape the API does not document";
        case error::contradictory_status:
            return "response: HTTP status and body disagree on success";
        case error::nesting_too_deep:
            return "response body: nested deeper than the response needs";
        case error::response_too_large:
            return "response: over the transport's limits (response_limits: body 8 MiB, 100 header lines, 16 KiB of "
                   "header by default); the connection was dropped";
        case error::no_agency:
            return "metadata service: no temporary keys, the instance has no agency (configure Cloud Service Agency for it)";
        case error::metadata_token_expired:
            return "metadata service: its session token was refused (expired): fetch a new one";
        case error::transport_failure:
            return "transport: the request could not be delivered";
        case error::host_not_found:
            return "transport: the endpoint's host name does not resolve";
        case error::connection_refused:
            return "transport: connection refused (nothing listens at the endpoint)";
        case error::connection_reset:
            return "transport: connection closed before a whole response arrived";
        case error::timeout:
            return "transport: no whole response within the timeout";
        case error::tls_failure:
            return "transport: TLS handshake or certificate verification failed";
        }
        return "modelarts: unknown error";
    }

    boost::system::error_condition default_error_condition(int ev) const noexcept override;
};

class condition_category_impl final : public boost::system::error_category {
public:
    constexpr condition_category_impl() noexcept : boost::system::error_category(0x6d6f64656c617243ULL) {}

    const char* name() const noexcept override { return "modelarts.condition"; }

    std::string message(int ev) const override { return message(ev, nullptr, 0); }

    const char* message(int ev, char*, std::size_t) const noexcept override
    {
        switch (static_cast<condition>(ev)) {
        case condition::invalid_input: return "invalid input";
        case condition::bad_response: return "bad response";
        case condition::transport: return "transport failure";
        }
        return "modelarts: unknown condition";
    }

    bool equivalent(const boost::system::error_code& code, int condition) const noexcept override
    {
        // The library's own codes match through default_error_condition; this adds the others.
        return condition == static_cast<int>(modelarts::condition::transport)
               && classify_transport_error(code) != transport_failure_kind::none;
    }
};

// Constant-initialised, so no dynamic initialisation and no order problem across TUs.
inline constexpr error_category_impl error_category_instance{};
inline constexpr condition_category_impl condition_category_instance{};

} // namespace detail

/** @return the category of `modelarts::error` codes (name "modelarts"). */
inline const boost::system::error_category& error_category() noexcept
{
    return detail::error_category_instance;
}

/** @return the category of `modelarts::condition` values (name "modelarts.condition"). */
inline const boost::system::error_category& condition_category() noexcept
{
    return detail::condition_category_instance;
}

/**
 * @param e a library error
 * @return `e` as a `boost::system::error_code`
 */
inline boost::system::error_code make_error_code(error e) noexcept
{
    return {static_cast<int>(e), error_category()};
}

/**
 * @param c a condition
 * @return `c` as a `boost::system::error_condition`
 */
inline boost::system::error_condition make_error_condition(condition c) noexcept
{
    return {static_cast<int>(c), condition_category()};
}


/** The library's result type: a value or a `boost::system::error_code`. */
template <class T>
using result = boost::system::result<T>;

} // namespace modelarts

namespace boost::system {
template <>
struct is_error_code_enum<modelarts::error> : std::true_type {};
template <>
struct is_error_condition_enum<modelarts::condition> : std::true_type {};
} // namespace boost::system

#if !defined(MODELARTS_SEPARATE_COMPILATION) || defined(MODELARTS_CORE_SOURCE)
#include "modelarts/impl/error.ipp"
#endif

#endif
