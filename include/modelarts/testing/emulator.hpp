/**
 * @file testing/emulator.hpp
 * A stand-in for the ModelArts service: a plain function from `http_request` to `http_response`
 * with the service's behaviour, for tests and examples. It does no I/O and starts no thread; serve
 * it over HTTP, or call it in-process through `in_process_transport`.
 */
#ifndef MODELARTS_TESTING_EMULATOR_HPP
#define MODELARTS_TESTING_EMULATOR_HPP

#include "modelarts/detail/config.hpp"
#include "modelarts/detail/utf8.hpp"
#include "modelarts/error.hpp"
#include "modelarts/http.hpp"
#include "modelarts/iam.hpp"
#include "modelarts/retry.hpp"
#include "modelarts/signer.hpp"
#include "modelarts/validation.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace modelarts::testing {

/** An access key the emulator knows. */
struct emulated_access_key {
    std::string secret_key;           ///< the SK it signs with
    std::string security_token = {};  ///< for temporary credentials: the X-Security-Token required
};

/** An IAM user the emulator knows. */
struct emulated_user {
    std::string name;          ///< user name
    std::string password;      ///< password
    std::string account = {};  ///< account (domain) name; empty: the user's own name
};

/** What the emulator can do to a request instead of answering it straight. */
enum class fault {
    none,                   ///< answer as the service would
    reset,                  ///< drop the connection without answering; the request is not applied
    bad_gateway,            ///< 502 with an HTML body, as a load balancer sends; not applied
    service_unavailable,    ///< 503 with an HTML body; not applied
    throttled,              ///< 429 `APIGW.0308` without `Retry-After`; not applied
    throttled_retry_after,  ///< 429 `APIGW.0308` with `Retry-After` (`fault_plan::retry_after`); not applied
    delay,                  ///< apply the request, then answer after `fault_plan::delay`
    truncated_body,         ///< apply the request, then send half of the answer's body and close
};

/** Every kind of fault, for `fault_plan::kinds`. */
inline constexpr fault all_faults[] = {fault::reset, fault::bad_gateway, fault::service_unavailable, fault::throttled,
                                       fault::throttled_retry_after, fault::delay, fault::truncated_body};

/**
 * Which requests fail, and how: deterministic, so a failing test fails the same way again.
 * Requests are numbered from 1 in the order the emulator sees them (IAM's included).
 */
struct fault_plan {
    std::map<std::uint64_t, fault> at = {};  ///< faults by request number; these win over `rate`
    double rate = 0.0;                        ///< share of the other requests that fail, 0 to 1...
    std::uint64_t seed = 0;                   ///< ...drawn from this seed and the request number
    std::vector<fault> kinds = {std::begin(all_faults), std::end(all_faults)};  ///< ...with a kind drawn from these
    std::chrono::milliseconds delay{200};     ///< how late a `delay` answer comes
    std::chrono::seconds retry_after{1};      ///< what `throttled_retry_after` asks for

    /**
     * @param n a request number
     * @return the fault for it
     */
    fault for_request(std::uint64_t n) const noexcept
    {
        if (auto it = at.find(n); it != at.end()) return it->second;
        if (rate <= 0.0 || kinds.empty()) return fault::none;
        std::uint64_t state = seed ^ (n * 0x9e3779b97f4a7c15ULL);
        const std::uint64_t draw = modelarts::detail::splitmix64(state), kind = modelarts::detail::splitmix64(state);
        if (modelarts::detail::unit_interval(draw) >= rate) return fault::none;
        return kinds[static_cast<std::size_t>(kind % kinds.size())];
    }
};

/**
 * An answer and how to deliver it. `how` is `none`, `reset`, `delay` or `truncated_body`: the
 * other faults are ordinary answers, already in `response`.
 */
struct emulated_exchange {
    http_response response;               ///< what to send (ignored for `reset`)
    fault how = fault::none;              ///< how to deliver it
    std::chrono::milliseconds delay{0};   ///< for `delay`: how long to wait first
};

/** How the emulator behaves. */
struct emulator_options {
    /** The project the emulated account owns; other projects answer ModelArts.2786. */
    std::string project_id = "0123456789abcdef0123456789abcdef";
    /** The `X-Auth-Token` required; empty lets requests without credentials through. */
    std::string token = {};
    /**
     * Spelling of the message field in v1 failures: "error_message" (the current API pages) or
     * "error_msg" (the older pages and the SDK). v2 and the gateway always use "error_msg".
     */
    std::string v1_error_message_field = "error_message";
    /** Keep every request handled, for `requests()`; a long-running server turns this off. */
    bool keep_requests = true;
    /** Access keys whose `SDK-HMAC-SHA256` signatures are accepted, by AK. */
    std::map<std::string, emulated_access_key> access_keys = {};
    /** Users IAM's token call (`POST /v3/auth/tokens`) accepts; the tokens it issues last 24 hours. */
    std::vector<emulated_user> users = {};
    /** The emulator's time, for signature dates and token expiry; empty: the system clock. */
    std::function<std::chrono::system_clock::time_point()> clock = {};
    /** Faults `exchange` injects; none by default. `handle` never injects any. */
    fault_plan faults = {};
    /**
     * Serve the instance metadata service's temporary keys (modelarts-api.md §5): a session token
     * at `PUT /meta-data/latest/api/token`, and at `GET /openstack/latest/securitykey` a fresh AK,
     * SK and security token valid for this long, which the service accepts until they expire.
     * None (the default): those paths are unknown.
     */
    std::optional<std::chrono::seconds> metadata_credentials = {};
    /** With `metadata_credentials`: false answers the keys' call as an instance without an agency does. */
    bool metadata_agency = true;
};

/** A version of an emulated v1 job. */
struct emulated_version {
    std::int64_t version_id = 0;  ///< the version's id
    std::string version_name;     ///< e.g. "V0001"
};

/**
 * The emulated service. Safe for concurrent use: requests are answered one at a time, in the
 * order they take its lock; read `requests()` while none is being answered.
 *
 * @code
 * modelarts::testing::emulator em;   // v1 job 182626 with two versions, and one v2 job
 * auto s = modelarts::make_session(modelarts::testing::in_process_transport{em},
 *                                  {.endpoint = em.endpoint(), .project_id = em.project_id()}).value();
 * auto r = modelarts::estimator{s, "182626"}.update_job_description("hello");
 * assert(r && r->is_success && em.description("182626") == "hello");
 * @endcode
 */
class emulator {
public:
    /** The v1 job every emulator starts with, as in the SDK's documentation. */
    static constexpr std::int64_t sample_v1_job_id = 182626;
    /** The v2 job every emulator starts with. */
    static constexpr std::string_view sample_v2_job_id = "3faf5c03-aaa1-4cbe-879d-24b05d997347";

    /** @param options project, token and error spelling */
    explicit emulator(emulator_options options = {}) : options_(std::move(options))
    {
        add_v1_job(sample_v1_job_id, "job-182626", "first description",
                   {{1108482, "V0001"}, {1108483, "V0002"}});
        add_v2_job(std::string(sample_v2_job_id), "a v2 job");
    }

    /** @return the project id the emulator serves */
    const std::string& project_id() const noexcept { return options_.project_id; }

    /** @return an endpoint for requests to it; the in-process transport ignores the address */
    std::string endpoint() const { return "http://modelarts.emulator.local"; }

    /**
     * Adds (or replaces) a v1 job.
     * @param job_id positive id
     * @param job_name name
     * @param description initial description
     * @param versions its versions, oldest first
     */
    MODELARTS_DECL void add_v1_job(std::int64_t job_id, std::string job_name, std::string description,
                                   std::vector<emulated_version> versions);

    /**
     * Adds (or replaces) a v2 job.
     * @param job_id a UUID
     * @param description initial description
     */
    MODELARTS_DECL void add_v2_job(std::string job_id, std::string description);

    /**
     * @param job_id a job's id, as in the request path
     * @return its stored description, or nothing when there is no such job
     */
    [[nodiscard]] MODELARTS_DECL std::optional<std::string> description(std::string_view job_id) const;

    /** @return every request handled so far, in order */
    const std::vector<http_request>& requests() const noexcept { return requests_; }

    /** Forgets the requests handled so far. */
    void clear_requests()
    {
        std::lock_guard lock(mutex_);
        requests_.clear();
    }

    /**
     * Answers a request as the service (and its API gateway) would.
     * @param req any request
     * @return the answer; never throws but for `std::bad_alloc`
     */
    MODELARTS_DECL http_response handle(const http_request& req);

    /**
     * Answers a request as the service would behind a flaky network: the fault plan picks what
     * happens to this request, by its number. Transports and servers carry out `how`.
     * @param req any request
     * @return the answer and how to deliver it
     */
    MODELARTS_DECL emulated_exchange exchange(const http_request& req);

    /** @return how many temporary keys the metadata service has handed out */
    std::uint64_t temporary_keys_issued() const
    {
        std::lock_guard lock(mutex_);
        return temporary_keys_.size();
    }

    /** @return how many requests `exchange` has seen */
    std::uint64_t exchanges() const
    {
        std::lock_guard lock(mutex_);
        return exchanges_;
    }

    /**
     * Answers a request that cannot even be expressed as an `http_request` (a method other than
     * GET, PUT or POST), as the gateway does: 404 APIGW.0101.
     * @return the answer
     */
    http_response answer_unknown_api()
    {
        std::lock_guard lock(mutex_);
        return gateway_error(404, "APIGW.0101", unknown_api_message, next_request_id());
    }

    /** The largest request body the service reads: 12 MB. */
    static constexpr std::size_t max_body_size = 12 * 1024 * 1024;

    /**
     * Answers a request whose body is over `max_body_size`, known from its head alone (a server
     * need not read the rest): 413 ModelArts.4104, as the service does.
     * @param target the request's target, which says v1 or v2
     * @return the answer
     */
    MODELARTS_DECL http_response answer_body_too_large(std::string_view target);

private:
    MODELARTS_DECL http_response handle_locked(const http_request& req);
    MODELARTS_DECL http_response answer(const http_request& req);

    static constexpr std::string_view unknown_api_message =
        "The API does not exist or has not been published in the environment";

    struct job {
        std::string name;
        std::string description;
        std::vector<emulated_version> versions;
        bool v1 = true;
    };

    static constexpr std::chrono::minutes max_clock_skew{15};
    static constexpr std::chrono::hours token_lifetime{24};

    MODELARTS_DECL std::chrono::system_clock::time_point now() const;
    MODELARTS_DECL http_response& date(http_response& res) const;
    MODELARTS_DECL http_response date(http_response&& res) const;

    // Why the gateway refuses the request's credentials; empty when it accepts them.
    MODELARTS_DECL std::string check_credentials(const http_request& req) const;

    MODELARTS_DECL std::string check_signature(const http_request& req, std::string_view authz) const;

    // The metadata service's two calls (§5).
    MODELARTS_DECL http_response issue_metadata_token(const http_request& req, const std::string& request_id);
    MODELARTS_DECL http_response issue_temporary_keys(const http_request& req, const std::string& request_id);

    // IAM's POST /v3/auth/tokens: a token for a known user and password, scoped to our project.
    MODELARTS_DECL http_response issue_token(const http_request& req, const std::string& request_id);

    MODELARTS_DECL static std::vector<std::string_view> split(std::string_view path);

    MODELARTS_DECL std::string next_request_id();

    // Every JSON answer leaves through here: whatever bytes of the request it repeats (a job id
    // from the path, say), it is UTF-8, so any JSON parser reads it.
    MODELARTS_DECL static http_response reply(unsigned status, std::string body, const std::string& request_id);

    MODELARTS_DECL static http_response html_error(unsigned status, std::string_view reason);

    MODELARTS_DECL static http_response gateway_error(unsigned status, std::string_view code, std::string_view msg,
                                                      const std::string& request_id);

    MODELARTS_DECL http_response service_error(bool v2, unsigned status, std::string_view code, std::string_view msg,
                                               const std::string& request_id) const;

    MODELARTS_DECL http_response update_description(bool v2, job& j, std::string_view body, const std::string& request_id);

    MODELARTS_DECL http_response list_versions(const std::string& job_id, const job& j, std::string_view query,
                                               const std::string& request_id) const;

    mutable std::mutex mutex_;  // held by every public member that reads or writes what follows
    emulator_options options_;
    std::map<std::string, job, std::less<>> jobs_;
    std::vector<http_request> requests_;
    std::map<std::string, std::chrono::system_clock::time_point, std::less<>> issued_tokens_;
    std::map<std::string, std::chrono::system_clock::time_point, std::less<>> metadata_tokens_;  // session tokens, by token
    struct temporary_key {
        emulated_access_key key;
        std::chrono::system_clock::time_point expires_at;
    };
    std::map<std::string, temporary_key, std::less<>> temporary_keys_;  // handed out by the metadata service, by AK
    std::uint64_t counter_ = 0;
    std::uint64_t exchanges_ = 0;
};

/**
 * A `sync_transport` that hands each request straight to an emulator, in the same thread, through
 * its fault plan: a `reset` or `truncated_body` fault is `error::connection_reset` (what a
 * network transport reports for both), and a `delay` sleeps, or is `error::timeout` when the
 * call allows less. The emulator must outlive the transport.
 */
class in_process_transport {
public:
    /** @param em the emulator to call */
    explicit in_process_transport(emulator& em) noexcept : emulator_(&em) {}

    /**
     * @param req the request
     * @return the emulator's answer, or the error its fault plan implies
     */
    [[nodiscard]] result<http_response> send(const http_request& req) { return send(req, std::chrono::milliseconds::max()); }

    /**
     * @param req the request
     * @param timeout the time allowed: a longer `delay` fault is a timeout
     * @return the emulator's answer, or the error its fault plan implies
     */
    [[nodiscard]] result<http_response> send(const http_request& req, std::chrono::milliseconds timeout)
    {
        auto x = emulator_->exchange(req);
        switch (x.how) {
        case fault::reset:
        case fault::truncated_body: return error::connection_reset;
        case fault::delay:
            if (x.delay >= timeout) {
                std::this_thread::sleep_for(timeout);
                return error::timeout;
            }
            std::this_thread::sleep_for(x.delay);
            break;
        default: break;
        }
        return std::move(x.response);
    }

private:
    emulator* emulator_;
};

} // namespace modelarts::testing

#if !defined(MODELARTS_SEPARATE_COMPILATION) || defined(MODELARTS_EMULATOR_SOURCE)
#include "modelarts/testing/impl/emulator.ipp"
#endif

#endif
