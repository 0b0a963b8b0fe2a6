/**
 * @file detail/sansio/operation.hpp
 * A call machine and the parser of its final answer: what the drivers run. The machine is the
 * same for every call; only the parse, and so the result's type, differ.
 */
#ifndef MODELARTS_DETAIL_SANSIO_OPERATION_HPP
#define MODELARTS_DETAIL_SANSIO_OPERATION_HPP

#include "modelarts/detail/sansio/call.hpp"
#include "modelarts/diagnostics.hpp"
#include "modelarts/error.hpp"
#include "modelarts/http.hpp"
#include "modelarts/response.hpp"

#include <chrono>
#include <optional>
#include <type_traits>
#include <utility>

namespace modelarts::detail::sansio {

/**
 * @tparam Parse a callable `result<T>(const http_response&)` turning the final answer into the
 *         result; `T` derives from `service_status`, so that IAM's refusal can end the call too
 */
template <class Parse>
class operation {
public:
    /** What the call completes with: `result<T>`. */
    using result_type = std::invoke_result_t<const Parse&, const http_response&>;

    /**
     * @param request the request as built, without credentials
     * @param settings how to authenticate and retry it
     * @param parse turns the final answer into the result
     */
    operation(http_request request, const call_settings& settings, Parse parse)
        : machine_(std::move(request), settings), parse_(std::move(parse))
    {
    }

    /**
     * A call refused before it starts: it sends nothing, and ends with `refused`.
     * @param refused the input's error
     * @param parse unused
     */
    operation(boost::system::error_code refused, Parse parse) : machine_(refused), parse_(std::move(parse)) {}

    /** @param in the clocks now @return the next step (see `call_machine::resume`) */
    [[nodiscard]] step resume(const step_inputs& in) { return machine_.resume(in); }

    /** @param held the credentials held, or null @param in the clocks now @return the next step */
    [[nodiscard]] step use_token(const issued_credentials* held, const step_inputs& in) { return machine_.use_token(held, in); }

    /** @param held credentials held @param in the clocks now @return true when the call would use them as they are */
    [[nodiscard]] bool token_usable(const issued_credentials& held, const step_inputs& in) const noexcept
    {
        return machine_.token_usable(held, in);
    }

    /** @param held credentials held @param in the clocks now @return true when they still work, fresh or not */
    [[nodiscard]] bool token_valid(const issued_credentials& held, const step_inputs& in) const noexcept { return machine_.token_valid(held, in); }

    /** @param held credentials still valid @param in the clocks now @return the next step: the call with them as they are */
    [[nodiscard]] step use_held(const issued_credentials& held, const step_inputs& in) { return machine_.use_held(held, in); }

    /** @return why renewing failed, after a `renewal_failed` step */
    boost::system::error_code renewal_error() const noexcept { return machine_.renewal_error(); }

    /** @param refusal IAM's refusal, or null @param ec else, the login's error @return `done` */
    step login_failed(const iam_token* refusal, boost::system::error_code ec) { return machine_.login_failed(refusal, ec); }

    /** @param in the clocks now @return the time left before the call's deadline */
    [[nodiscard]] std::chrono::nanoseconds time_left(const step_inputs& in) const noexcept { return machine_.time_left(in); }

    /** @return after `done`: IAM's refusal, when the call ended with one, else null */
    const iam_token* refusal() const noexcept { return machine_.end() == call_end::iam_refusal ? &machine_.iam_refusal() : nullptr; }

    /** @return after `done`: the error the call ended with, if any */
    boost::system::error_code error() const noexcept { return machine_.error(); }

    /**
     * Feeds the outcome of the last `send` step, and parses it when it is the call's answer.
     * @param outcome the answer, whatever its status, or the transport's error
     * @param in the clocks now
     * @return the attempt that ended, for an observer
     */
    finished_attempt on_response(const result<http_response>& outcome, const step_inputs& in)
    {
        const finished_attempt attempt = machine_.on_response(outcome, in);
        if (machine_.answer_is_final()) answer_.emplace(parse_(*outcome));
        return attempt;
    }

    /** @return the request to send, after a `send` step */
    const http_request& request() const noexcept { return machine_.request(); }

    /** @return the time the service's answer was dated, after a `clock_skew` step */
    std::chrono::system_clock::time_point server_time() const noexcept { return machine_.server_time(); }

    /** @return the call's facts so far */
    const diagnostics& facts() const noexcept { return machine_.facts(); }

    /** @return the credentials fetched, after a `token_received` step */
    const issued_credentials& received_token() const noexcept { return machine_.received_token(); }

    /**
     * The result, after a `done` step (moved out: call once).
     * @param diag when not null, given the call's facts
     * @return the parsed answer, IAM's refusal, or the error the call ended with
     */
    result_type take_result(diagnostics* diag)
    {
        if (diag) *diag = machine_.facts();
        switch (machine_.end()) {
        case call_end::service_answer: return std::move(*answer_);
        case call_end::iam_refusal: {
            typename result_type::value_type refused;
            static_cast<service_status&>(refused) = machine_.iam_refusal();
            return refused;
        }
        case call_end::error: break;
        }
        return machine_.error();
    }

private:
    call_machine machine_;
    Parse parse_;
    std::optional<result_type> answer_;
};

} // namespace modelarts::detail::sansio

#endif
