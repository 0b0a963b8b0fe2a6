/**
 * @file session.hpp
 * The SDK's `Session`: where the service is, who we are, and the transport that carries requests.
 */
#ifndef MODELARTS_SESSION_HPP
#define MODELARTS_SESSION_HPP

#include "modelarts/credentials.hpp"
#include "modelarts/error.hpp"
#include "modelarts/http.hpp"
#include "modelarts/iam.hpp"
#include "modelarts/request.hpp"
#include "modelarts/response.hpp"
#include "modelarts/transport.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace modelarts {

/** The time source of a session: signing dates and token expiry. Empty means the system clock. */
using clock_function = std::function<std::chrono::system_clock::time_point()>;

/** How long before an IAM token expires a session fetches a new one. */
inline constexpr std::chrono::minutes token_refresh_margin{30};

/** What a session needs to know: the service, the project and the credentials. */
struct session_options {
    std::string endpoint;    ///< e.g. "https://modelarts.cn-north-4.myhuaweicloud.com"
    std::string project_id;  ///< the project to act in
    credentials auth = no_credentials{};  ///< how to authenticate (default: none)
    clock_function clock = {};            ///< for tests: a fixed time; empty: the system clock
};

/**
 * Facts about the last exchange that a library error would otherwise hide: when a response
 * arrived but could not be understood, its status and request id are still here.
 */
struct diagnostics {
    unsigned http_status = 0;  ///< status of the response, 0 when none arrived
    std::string request_id;    ///< its `X-Request-Id`, when sent
};

/**
 * A session: the configuration plus the transport. Estimators, jobs and versions refer to a
 * session, which must outlive them. A session is not safe for concurrent use unless its
 * transport is.
 *
 * @tparam Transport a type modelling `sync_transport` or `async_transport`
 */
template <class Transport>
class session {
    static_assert(sync_transport<Transport> || async_transport<Transport>,
                  "modelarts::session<T>: T must model modelarts::sync_transport, i.e. have a member "
                  "send(const modelarts::http_request&) returning boost::system::result<modelarts::http_response>, "
                  "or modelarts::async_transport, i.e. have a member async_send(modelarts::http_request, handler) "
                  "calling handler(boost::system::error_code, modelarts::http_response)");

public:
    /**
     * @param transport the HTTP stack to use, moved in
     * @param options endpoint, project id and credentials; checked on each call, not here
     */
    session(Transport transport, session_options options)
        : transport_(std::move(transport))
        , config_{std::move(options.endpoint), std::move(options.project_id)}
        , auth_(std::move(options.auth))
        , clock_(std::move(options.clock))
    {
    }

    /** @return the endpoint and project id every request is built for */
    const service_config& config() const noexcept { return config_; }

    /** @return the transport */
    Transport& transport() noexcept { return transport_; }

    /**
     * Adds the credentials to a request built by a request builder and sends it. With password
     * credentials it first gets a token from IAM through the same transport, unless it holds one
     * that is good for `token_refresh_margin` more; when IAM refuses, IAM's answer is the answer.
     * @param req the request
     * @return the response, whatever its status; or the credentials' or the transport's error
     */
    result<http_response> send(http_request req)
        requires sync_transport<Transport>
    {
        if (auto r = validate_credentials(auth_); !r) return r.error();
        auto login = login_request();
        if (!login) return login.error();
        if (*login) {
            auto answer = transport_.send(**login);
            if (!answer) return answer.error();
            auto accepted = accept_login(*answer);
            if (!accepted) return accepted.error();
            if (!*accepted) return answer;  // IAM's refusal is what the caller sees
        }
        authenticate(req);
        return transport_.send(req);
    }

    /**
     * As `send`, without blocking. When the credentials are invalid the handler is called at
     * once, before this returns, and nothing is sent.
     * @param req the request
     * @param handler called once as `handler(ec, response)`
     */
    template <class Handler>
    void async_send(http_request req, Handler&& handler)
        requires async_transport<Transport>
    {
        if (auto r = validate_credentials(auth_); !r) return std::forward<Handler>(handler)(r.error(), http_response{});
        auto login = login_request();
        if (!login) return std::forward<Handler>(handler)(login.error(), http_response{});
        if (!*login) {
            authenticate(req);
            return transport_.async_send(std::move(req), std::forward<Handler>(handler));
        }
        transport_.async_send(std::move(**login), [this, req = std::move(req), h = std::forward<Handler>(handler)](
                                                      boost::system::error_code ec, http_response answer) mutable {
            if (ec) return h(ec, http_response{});
            auto accepted = accept_login(answer);
            if (!accepted) return h(accepted.error(), http_response{});
            if (!*accepted) return h(boost::system::error_code{}, std::move(answer));  // IAM's refusal
            authenticate(req);
            transport_.async_send(std::move(req), std::move(h));
        });
    }

    /** @return the session's current time: its clock's, or the system's */
    std::chrono::system_clock::time_point now() const { return clock_ ? clock_() : std::chrono::system_clock::now(); }

private:
    bool token_fresh() const { return token_ && now() + token_refresh_margin < token_->expires_at; }

    // The IAM call to make first: for a password session without a fresh token; else none.
    result<std::optional<http_request>> login_request() const
    {
        auto* user = std::get_if<password_credentials>(&auth_);
        if (!user || token_fresh()) return std::optional<http_request>{};
        auto login = make_iam_token_request(*user, config_.project_id);
        if (!login) return login.error();
        return std::optional<http_request>{std::move(*login)};
    }

    // Takes IAM's answer: true when the token is now held, false when IAM refused.
    result<bool> accept_login(const http_response& answer)
    {
        auto token = parse_iam_token_response(answer);
        if (!token) return {boost::system::in_place_error, token.error()};  // bool would take an error_code too
        if (!token->is_success) return false;
        token_ = std::move(*token);
        return true;
    }

    // The last step before a request leaves: the token, or the signature over everything else.
    void authenticate(http_request& req) const
    {
        if (std::holds_alternative<password_credentials>(auth_))
            req.headers.set("X-Auth-Token", token_->token);
        else
            apply_credentials(req, auth_, now());
    }

    Transport transport_;
    service_config config_;
    credentials auth_;
    clock_function clock_;
    std::optional<iam_token> token_;  // password sessions: the token IAM gave
};

namespace detail {

inline void record(diagnostics* diag, const http_response& res)
{
    if (!diag) return;
    diag->http_status = res.status;
    diag->request_id.assign(res.headers.get("X-Request-Id"));
}

// The one path every way of updating takes: build, send, parse.
template <class Transport>
result<update_result> update_job_description(session<Transport>& s, std::string_view job_id, api_version api,
                                             std::string_view description, diagnostics* diag)
{
    auto version = resolve_api_version(job_id, api);
    if (!version) return version.error();
    auto req = make_update_job_description_request(s.config(), job_id, description, *version);
    if (!req) return req.error();
    auto res = s.send(std::move(*req));
    if (!res) return res.error();
    record(diag, *res);
    return parse_update_job_description_response(*res, *version);
}

template <class Transport>
result<version_list> list_job_versions(session<Transport>& s, std::string_view job_id, const version_list_paging& paging,
                                       diagnostics* diag)
{
    auto req = make_list_job_versions_request(s.config(), job_id, paging);
    if (!req) return req.error();
    auto res = s.send(std::move(*req));
    if (!res) return res.error();
    record(diag, *res);
    return parse_list_job_versions_response(*res);
}

// The async twins: the same path, with the parse in the transport's completion. Refused input
// completes at once, before anything is sent.
template <class Transport, class Handler>
void async_update_job_description(session<Transport>& s, std::string_view job_id, api_version api,
                                  std::string_view description, Handler handler)
{
    auto version = resolve_api_version(job_id, api);
    if (!version) return handler(result<update_result>(version.error()));
    auto req = make_update_job_description_request(s.config(), job_id, description, *version);
    if (!req) return handler(result<update_result>(req.error()));
    s.async_send(std::move(*req), [h = std::move(handler), v = *version](boost::system::error_code ec,
                                                                          http_response res) mutable {
        if (ec) return h(result<update_result>(ec));
        h(parse_update_job_description_response(res, v));
    });
}

template <class Transport, class Handler>
void async_list_job_versions(session<Transport>& s, std::string_view job_id, const version_list_paging& paging,
                             Handler handler)
{
    auto req = make_list_job_versions_request(s.config(), job_id, paging);
    if (!req) return handler(result<version_list>(req.error()));
    s.async_send(std::move(*req), [h = std::move(handler)](boost::system::error_code ec, http_response res) mutable {
        if (ec) return h(result<version_list>(ec));
        h(parse_list_job_versions_response(res));
    });
}

} // namespace detail

} // namespace modelarts

#endif
