/**
 * @file diagnostics.hpp
 * The facts of one call that its result does not hold: how many requests it sent, why the one
 * before the last failed, and the status and request id of the last answer, even of one that
 * could not be understood. The result holds only what the service said.
 */
#ifndef MODELARTS_DIAGNOSTICS_HPP
#define MODELARTS_DIAGNOSTICS_HPP

#include "modelarts/detail/config.hpp"
#include "modelarts/error.hpp"
#include "modelarts/http.hpp"

#include <string>

namespace modelarts {

/**
 * Why an attempt was tried again: the exchange failed, or the answer's status was transient.
 * Empty when no attempt failed.
 */
struct attempt_failure {
    boost::system::error_code error;  ///< the transport's error, when the exchange failed
    unsigned http_status = 0;         ///< else the status of the answer that was retried (429, 5xx) or renewed (401)

    /** @return true when there was a failure */
    explicit operator bool() const noexcept { return error || http_status != 0; }
    /** @return true when both say the same */
    friend bool operator==(const attempt_failure&, const attempt_failure&) = default;
};

/**
 * @param f a failure
 * @return "HTTP 503", the transport error's message, or "none"; never a secret
 */
MODELARTS_DECL std::string to_string(const attempt_failure& f);

/**
 * What a call did, for logs and support: pass one to any call, and read it when the call is over,
 * whatever the outcome.
 *
 * @code
 * void describe(const modelarts::estimator<modelarts::any_transport>& est)
 * {
 *     modelarts::diagnostics diag;
 *     auto r = est.update_job_description("text", &diag);
 *     std::cerr << "HTTP " << diag.http_status << ", request " << diag.request_id << ", " << diag.attempts << " attempts\n";
 * }
 * @endcode
 */
struct diagnostics {
    unsigned http_status = 0;        ///< status of the last answer, 0 when none arrived
    request_id_string request_id;    ///< its `X-Request-Id`, else its body's `request_id`
    unsigned attempts = 0;           ///< requests the call sent, IAM logins included
    attempt_failure last_failure{};  ///< the last transient failure, or 401 renewal; empty when none
};

} // namespace modelarts

#if !defined(MODELARTS_SEPARATE_COMPILATION) || defined(MODELARTS_CORE_SOURCE)
#include "modelarts/impl/diagnostics.ipp"
#endif

#endif
