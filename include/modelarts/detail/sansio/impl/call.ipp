/**
 * @file detail/sansio/impl/call.ipp
 * The definitions of detail/sansio/call.hpp: inline in every unit by default, or compiled
 * once with MODELARTS_SEPARATE_COMPILATION (see detail/config.hpp).
 */
#ifndef MODELARTS_DETAIL_SANSIO_IMPL_CALL_IPP
#define MODELARTS_DETAIL_SANSIO_IMPL_CALL_IPP

#include "modelarts/response.hpp"

namespace modelarts::detail::sansio {

MODELARTS_DECL call_machine::call_machine(http_request request, const call_settings& settings)
    : call_(std::move(request)), settings_(settings)
{
}

MODELARTS_DECL call_machine::call_machine(boost::system::error_code refused) noexcept
    : next_(next_move::finish), error_(refused), done_(true)
{
}

MODELARTS_DECL step call_machine::resume(const step_inputs& in)
{
    switch (next_) {
    case next_move::start:
        if (settings_.retry->timeout.count() > 0) deadline_ = in.now + settings_.retry->timeout;
        return attempt(in);
    case next_move::attempt: return attempt(in);
    case next_move::wait: next_ = next_move::attempt; return {step::action::wait, wait_};
    case next_move::hand_token:
        next_ = next_move::attempt;
        logging_in_ = false;
        return {step::action::token_received};
    case next_move::correct_clock: next_ = next_move::attempt; return {step::action::clock_skew};
    case next_move::finish: break;
    }
    return {};
}

MODELARTS_DECL bool call_machine::token_usable(const iam_token& held, const step_inputs& in) const noexcept
{
    return in.wall + token_refresh_margin < held.expires_at && held.token != refused_token_;
}

MODELARTS_DECL step call_machine::login_failed(const iam_token* refusal, boost::system::error_code ec)
{
    if (refusal) {
        token_ = *refusal;
        end_with(call_end::iam_refusal);
    } else {
        end_with(call_end::error, ec);
    }
    return {};
}

MODELARTS_DECL std::chrono::nanoseconds call_machine::time_left(const step_inputs& in) const noexcept
{
    if (deadline_ == time_point::max()) return std::chrono::nanoseconds::max();
    return in.now >= deadline_ ? std::chrono::nanoseconds(0) : std::chrono::nanoseconds(deadline_ - in.now);
}

MODELARTS_DECL step call_machine::use_token(const iam_token* held, const step_inputs& in)
{
    if (in.now >= deadline_) {  // it may have waited for another call's login
        end_with(call_end::error, error::timeout);
        return {};
    }
    if (held && token_usable(*held, in)) {
        call_.headers.set("X-Auth-Token", held->token);
        return send_now(in);
    }
    return log_in(in);
}

MODELARTS_DECL finished_attempt call_machine::on_response(const result<http_response>& outcome, const step_inputs& in)
{
    facts_.http_status = outcome ? outcome->status : 0;
    facts_.request_id = outcome ? request_id_of(*outcome) : request_id_string();
    finished_attempt attempt{facts_.attempts, in.now - sent_at_, {}};
    attempt.retry_in = decide(outcome, in);
    return attempt;
}

MODELARTS_DECL step call_machine::attempt(const step_inputs& in)
{
    if (in.now >= deadline_) {
        end_with(call_end::error, error::timeout);
        return {};
    }
    if (logs_in()) {
        if (logging_in_) return log_in(in);  // IAM failed for a moment: the login is tried again, by this call
        if (!has_token_) return {step::action::need_token};
        call_.headers.set("X-Auth-Token", token_.token);
    } else {
        apply_valid_credentials(call_, *settings_.auth, in.wall);  // a fresh date and signature each attempt
    }
    return send_now(in);
}

MODELARTS_DECL step call_machine::log_in(const step_inputs& in)
{
    auto request = make_iam_token_request(std::get<password_credentials>(*settings_.auth), settings_.project_id);
    if (!request) {
        end_with(call_end::error, request.error());
        return {};
    }
    login_ = std::move(*request);
    logging_in_ = true;
    return send_now(in);
}

MODELARTS_DECL step call_machine::send_now(const step_inputs& in)
{
    ++facts_.attempts;
    sent_at_ = in.now;
    const auto left = deadline_ == time_point::max() ? std::chrono::nanoseconds::max()
                                                     : std::chrono::duration_cast<std::chrono::nanoseconds>(deadline_ - in.now);
    return {step::action::send, left};
}

// What an outcome means: the end of the call, a wait, a token to hand over, or another attempt.
// Returns the wait an observer is told of.
MODELARTS_DECL std::optional<std::chrono::nanoseconds> call_machine::decide(const result<http_response>& outcome,
                                                                          const step_inputs& in)
{
    const retry_policy& retry = *settings_.retry;
    const bool transient = retry.retry_if ? retry.retry_if(outcome) : is_transient(outcome);
    if (!transient) {
        if (!outcome) {
            end_with(call_end::error, outcome.error());
        } else if (logging_in_) {
            read_login(*outcome);
        } else if (auto server_time = outcome->status == 401 && !resigned_ ? refused_for_its_date(*outcome) : std::nullopt) {
            // Our clock is off: sign again with the service's time, once, outside the retry policy.
            resigned_ = true;
            server_time_ = *server_time;
            facts_.last_failure = {{}, 401};
            next_ = next_move::correct_clock;
            return std::chrono::nanoseconds(0);
        } else if (outcome->status == 401 && logs_in() && !renewed_) {  // the token died early: log in again, once
            renewed_ = true;
            has_token_ = false;
            refused_token_.assign(call_.headers.get("X-Auth-Token"));
            facts_.last_failure = {{}, 401};
            next_ = next_move::attempt;
            return std::chrono::nanoseconds(0);
        } else {
            end_with(call_end::service_answer);
        }
        return std::nullopt;
    }

    facts_.last_failure = outcome ? attempt_failure{{}, outcome->status} : attempt_failure{outcome.error(), 0};
    std::chrono::nanoseconds wait = jittered(backoff_cap(retry, retries_), in.random);
    if (outcome)
        if (auto header = outcome->headers.find("Retry-After"))
            if (auto asked = parse_retry_after(*header, in.wall)) wait = *asked;
    const bool out_of_attempts = !settings_.can_wait || retries_ + 1 >= retry.max_attempts;
    if (out_of_attempts || (deadline_ != time_point::max() && std::chrono::nanoseconds(deadline_ - in.now) <= wait)) {
        if (outcome && logging_in_) read_login(*outcome);  // IAM's last answer stands, as IAM's
        else if (outcome) end_with(call_end::service_answer);  // the last answer stands
        else end_with(call_end::error, outcome.error());
        return std::nullopt;
    }
    ++retries_;
    wait_ = wait;
    next_ = next_move::wait;
    return wait;
}

// IAM's answer, read by IAM's parser: a token to hand over, a refusal, or an error.
MODELARTS_DECL void call_machine::read_login(const http_response& answer)
{
    auto token = parse_iam_token_response(answer);
    if (!token) {
        end_with(call_end::error, token.error());
        return;
    }
    token_ = std::move(*token);
    has_token_ = token_.is_success;
    if (has_token_) next_ = next_move::hand_token;
    else end_with(call_end::iam_refusal);
}

// The service's time, when a signed request was refused because its date was too far from it: the
// answer is dated (`Date`), and that date is more than `max_signing_skew` from the signature's.
MODELARTS_DECL std::optional<std::chrono::system_clock::time_point> call_machine::refused_for_its_date(const http_response& res) const noexcept
{
    const auto signed_at = signing::parse_sdk_date(call_.headers.get("X-Sdk-Date"));
    const auto server_time = res.headers.find("Date") ? parse_http_date(*res.headers.find("Date")) : std::nullopt;
    if (!signed_at || !server_time) return std::nullopt;
    const auto off = *server_time > *signed_at ? *server_time - *signed_at : *signed_at - *server_time;
    if (off <= max_signing_skew) return std::nullopt;  // refused for something else: the answer stands
    return server_time;
}

MODELARTS_DECL void call_machine::end_with(call_end how, boost::system::error_code ec) noexcept
{
    end_ = how;
    error_ = ec;
    next_ = next_move::finish;
    done_ = true;
}

} // namespace modelarts::detail::sansio

#endif
