/**
 * @file detail/sansio/impl/call.ipp
 * The definitions of detail/sansio/call.hpp: inline in every unit by default, or compiled
 * once with MODELARTS_SEPARATE_COMPILATION (see detail/config.hpp).
 */
#ifndef MODELARTS_DETAIL_SANSIO_IMPL_CALL_IPP
#define MODELARTS_DETAIL_SANSIO_IMPL_CALL_IPP

#include "modelarts/response.hpp"

#include <algorithm>

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
    case next_move::send_login: next_ = next_move::attempt; return send_now(in);
    case next_move::renewal_failed: next_ = next_move::attempt; return {step::action::renewal_failed};
    case next_move::finish: break;
    }
    return {};
}

// What a 401 refuses: the token, or the access key. Empty for anything else.
MODELARTS_DECL std::string_view call_machine::identity(const credentials& c) noexcept
{
    if (auto* t = std::get_if<token_credentials>(&c)) return t->token;
    if (auto* k = std::get_if<aksk_credentials>(&c)) return k->access_key;
    return {};
}

MODELARTS_DECL bool call_machine::token_valid(const issued_credentials& held, const step_inputs& in) const noexcept
{
    return in.wall < held.expires_at && identity(held.auth) != refused_token_;
}

MODELARTS_DECL bool call_machine::token_usable(const issued_credentials& held, const step_inputs& in) const noexcept
{
    // Keys that live minutes (as tests make them) are renewed at seven eighths of their life, not every call.
    const auto life = held.expires_at - held.issued_at;
    const auto margin = std::min<std::chrono::system_clock::duration>(token_refresh_margin, life / 8);
    return in.wall + margin < held.expires_at && token_valid(held, in);
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

MODELARTS_DECL step call_machine::use_held(const issued_credentials& held, const step_inputs& in)
{
    issued_ = held;
    has_token_ = true;
    return attempt(in);  // past the deadline (it may have waited), the call ends there
}

MODELARTS_DECL step call_machine::use_token(const issued_credentials* held, const step_inputs& in)
{
    if (in.now >= deadline_) {  // it may have waited for another call's login
        end_with(call_end::error, error::timeout);
        return {};
    }
    if (held && token_usable(*held, in)) {
        issued_ = *held;
        has_token_ = true;
        return attempt(in);
    }
    has_fallback_ = held && token_valid(*held, in);
    if (has_fallback_) fallback_ = *held;
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
        if (logging_in_) return log_in(in);  // the fetch failed for a moment: it is tried again, by this call
        if (!has_token_) return {step::action::need_token};
        apply_valid_credentials(call_, issued_.auth, in.wall);
    } else {
        apply_valid_credentials(call_, *settings_.auth, in.wall);  // a fresh date and signature each attempt
    }
    return send_now(in);
}

// Starts a fetch of credentials: IAM's login, or the metadata service's session token. (A
// callback provider's fetch is the driver's: the machine runs no user code.)
MODELARTS_DECL step call_machine::log_in(const step_inputs& in)
{
    const provider_source* from = provider();
    if (from && from->what == provider_source::kind::callback) {
        end_with(call_end::error, error::login_required);  // not reached: drivers fetch these themselves
        return {};
    }
    logging_in_ = true;
    metadata_retried_ = false;
    if (from && from->what == provider_source::kind::metadata_service) {
        stage_ = fetch_stage::metadata_token;
        auto request = make_metadata_token_request(from->metadata_endpoint);
        if (!request) {
            fetch_failed(call_end::error, request.error(), in);
            return next_ == next_move::finish ? step{} : resume(in);
        }
        login_ = std::move(*request);
        return send_now(in);
    }
    stage_ = fetch_stage::iam;
    auto request = make_iam_token_request(from ? from->user : std::get<password_credentials>(*settings_.auth), settings_.project_id);
    if (!request) {
        fetch_failed(call_end::error, request.error(), in);
        return next_ == next_move::finish ? step{} : resume(in);
    }
    login_ = std::move(*request);
    return send_now(in);
}

// The keys' request, with the session token if the service issued one.
MODELARTS_DECL bool call_machine::metadata_request(std::string_view session_token)
{
    auto request = make_metadata_securitykey_request(provider()->metadata_endpoint, session_token);
    if (!request) return false;
    login_ = std::move(*request);
    stage_ = fetch_stage::metadata_keys;
    return true;
}

// A fetch that failed for good: with credentials still valid, the call goes on with them (and the
// driver is told, so that the next renewal waits a little); without, the call ends.
MODELARTS_DECL void call_machine::fetch_failed(call_end how, boost::system::error_code ec, const step_inputs& in)
{
    if (has_fallback_ && token_valid(fallback_, in)) {
        renewal_error_ = ec;  // none when IAM refused: its answer is in token_
        issued_ = fallback_;
        has_token_ = true;
        has_fallback_ = false;
        logging_in_ = false;
        next_ = next_move::renewal_failed;
        return;
    }
    end_with(how, ec);
}

MODELARTS_DECL step call_machine::send_now(const step_inputs& in)
{
    ++facts_.attempts;
    sent_at_ = in.now;
    auto left = deadline_ == time_point::max() ? std::chrono::nanoseconds::max()
                                               : std::chrono::duration_cast<std::chrono::nanoseconds>(deadline_ - in.now);
    if (logging_in_ && stage_ != fetch_stage::iam) left = std::min<std::chrono::nanoseconds>(left, metadata_timeout);  // §5's short timeouts
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
        if (!outcome && logging_in_) {
            fetch_failed(call_end::error, outcome.error(), in);
        } else if (!outcome) {
            end_with(call_end::error, outcome.error());
        } else if (logging_in_) {
            read_login(*outcome, in);
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
            refused_token_.assign(identity(issued_.auth));
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
        if (outcome && logging_in_) read_login(*outcome, in);  // the fetch's last answer stands, read as the fetch's
        else if (outcome) end_with(call_end::service_answer);  // the last answer stands
        else if (logging_in_) fetch_failed(call_end::error, outcome.error(), in);
        else end_with(call_end::error, outcome.error());
        return std::nullopt;
    }
    ++retries_;
    wait_ = wait;
    next_ = next_move::wait;
    return wait;
}

// A fetch's answer, read by its own parser: credentials to hand over, the fetch's next request, a
// refusal, or an error.
MODELARTS_DECL void call_machine::read_login(const http_response& answer, const step_inputs& in)
{
    const auto fetched = [&](credentials auth, std::chrono::system_clock::time_point expires_at) {
        issued_ = {std::move(auth), expires_at, in.wall};
        has_token_ = true;
        has_fallback_ = false;
        next_ = next_move::hand_token;
    };
    switch (stage_) {
    case fetch_stage::iam: {
        auto token = parse_iam_token_response(answer);
        if (!token) return fetch_failed(call_end::error, token.error(), in);
        if (!token->is_success) {
            token_ = std::move(*token);
            return fetch_failed(call_end::iam_refusal, {}, in);
        }
        return fetched(token_credentials{std::move(token->token)}, token->expires_at);
    }
    case fetch_stage::metadata_token: {
        auto token = parse_metadata_token_response(answer);
        if (!token) return fetch_failed(call_end::error, token.error(), in);
        if (!metadata_request(token->value_or(""))) return fetch_failed(call_end::error, error::invalid_token, in);
        next_ = next_move::send_login;
        return;
    }
    case fetch_stage::metadata_keys: {
        auto keys = parse_metadata_securitykey_response(answer);
        if (!keys && keys.error() == error::metadata_token_expired && !metadata_retried_) {  // a new session token, once
            metadata_retried_ = true;
            auto request = make_metadata_token_request(provider()->metadata_endpoint);
            if (!request) return fetch_failed(call_end::error, request.error(), in);
            login_ = std::move(*request);
            stage_ = fetch_stage::metadata_token;
            next_ = next_move::send_login;
            return;
        }
        if (!keys) return fetch_failed(call_end::error, keys.error(), in);
        return fetched(std::move(keys->keys), keys->expires_at);
    }
    }
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
