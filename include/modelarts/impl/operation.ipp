/**
 * @file impl/operation.ipp
 * The definitions of operation.hpp: inline in every unit by default, or compiled
 * once with MODELARTS_SEPARATE_COMPILATION (see detail/config.hpp).
 */
#ifndef MODELARTS_IMPL_OPERATION_IPP
#define MODELARTS_IMPL_OPERATION_IPP

namespace modelarts {

namespace detail {

MODELARTS_DECL operation_core::operation_core(std::shared_ptr<session_core> core, http_request request, bool can_wait,
                                              diagnostics* diag)
    : core_(std::move(core)), call_(std::move(request)), diag_(diag), can_wait_(can_wait)
{
    if (diag_) *diag_ = {};
}

MODELARTS_DECL operation_core::operation_core(diagnostics* diag) noexcept : diag_(diag)
{
    if (diag_) *diag_ = {};
}

MODELARTS_DECL operation_core::verdict operation_core::resume(time_point now)
{
    if (!started_) {
        started_ = true;
        if (core_->retry.timeout.count() > 0) deadline_ = now + core_->retry.timeout;
    }
    return send_next(now);
}

MODELARTS_DECL operation_core::verdict operation_core::on_response(const result<http_response>& outcome, time_point now)
{
    if (diag_) {
        diag_->http_status = outcome ? outcome->status : 0;
        diag_->request_id.assign(outcome ? outcome->headers.get("X-Request-Id") : std::string_view{});
    }
    std::optional<std::chrono::nanoseconds> retry_in;
    const verdict v = decide(outcome, now, retry_in);
    if (core_->on_attempt) core_->on_attempt(attempt_report{attempts_, request(), outcome, now - sent_at_, retry_in});
    return v.ends == verdict::ending::none && v.step.what == next_step::action::send ? send_next(now) : v;
}

MODELARTS_DECL void operation_core::record_end(std::string_view answer_request_id) noexcept
{
    if (!diag_) return;
    diag_->attempts = attempts_;
    diag_->last_failure = last_failure_;
    if (!answer_request_id.empty()) diag_->request_id = answer_request_id;  // the body's, when no header had one
}

MODELARTS_DECL operation_core::verdict operation_core::send_next(time_point now)
{
    if (now >= deadline_) return end_with_error(error::timeout);
    auto& core = *core_;
    const auto wall = core.wall_now();
    logging_in_ = core.needs_login(wall);
    if (logging_in_) {
        auto login = make_iam_token_request(std::get<password_credentials>(core.auth), core.location.project_id());
        if (!login) return end_with_error(login.error());
        login_ = std::move(*login);
    } else {
        core.authenticate(call_, wall);
    }
    ++attempts_;
    sent_at_ = now;
    const auto left = deadline_ == time_point::max() ? std::chrono::nanoseconds::max()
                                                     : std::chrono::duration_cast<std::chrono::nanoseconds>(deadline_ - now);
    return {{next_step::action::send, left}};
}

// What an outcome means: the end of the call, a wait, or sending at once.
MODELARTS_DECL operation_core::verdict operation_core::decide(const result<http_response>& outcome, time_point now,
                                                              std::optional<std::chrono::nanoseconds>& retry_in)
{
    auto& core = *core_;
    const bool transient = core.retry.retry_if ? core.retry.retry_if(outcome) : is_transient(outcome);
    if (!transient) {
        if (!outcome) return end_with_error(outcome.error());
        if (logging_in_) {
            auto token = parse_iam_token_response(*outcome);
            if (!token) return end_with_error(token.error());
            if (!token->is_success) return end_with_answer();  // IAM's refusal is the call's answer
            core.token = std::move(*token);
            return {{next_step::action::send}};
        }
        if (outcome->status == 401 && core.logs_in() && !renewed_) {  // the token died early: renew once
            renewed_ = true;
            core.token.reset();
            last_failure_ = {{}, 401};
            retry_in = std::chrono::nanoseconds(0);
            return {{next_step::action::send}};
        }
        return end_with_answer();
    }

    last_failure_ = outcome ? attempt_failure{{}, outcome->status} : attempt_failure{outcome.error(), 0};
    if (!can_wait_ || retries_ + 1 >= core.retry.max_attempts) return end_with_outcome(outcome);
    std::chrono::nanoseconds wait = jittered(backoff_cap(core.retry, retries_), core.random());
    if (outcome)
        if (auto header = outcome->headers.find("Retry-After"))
            if (auto asked = parse_retry_after(*header, core.wall_now())) wait = *asked;
    if (deadline_ != time_point::max() && std::chrono::nanoseconds(deadline_ - now) <= wait) return end_with_outcome(outcome);
    ++retries_;
    retry_in = wait;
    return {{next_step::action::wait, wait}};
}

MODELARTS_DECL operation<update_parser> make_update_operation(std::shared_ptr<session_core> core, const service_location& where,
                                                              std::string_view job_id, api_version api,
                                                              std::string_view description, bool can_wait, diagnostics* diag)
{
    auto version = check_update_input(job_id, description, api);
    if (!version) return {version.error(), update_parser{api_version::v1}, diag};
    return {std::move(core), build_update_request(where, job_id, description, *version), update_parser{*version}, can_wait, diag};
}

MODELARTS_DECL result<http_response> to_outcome(const boost::system::error_code& ec, http_response&& res)
{
    if (ec) return ec;
    return std::move(res);
}

} // namespace detail

#if defined(MODELARTS_CORE_SOURCE)
template class operation<detail::update_parser>;  // declared `extern` in operation.hpp for every other unit
#endif

} // namespace modelarts

#endif
