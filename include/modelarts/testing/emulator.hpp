/**
 * @file testing/emulator.hpp
 * A stand-in for the ModelArts service: a plain function from `http_request` to `http_response`
 * with the service's behaviour, for tests and examples. It does no I/O and starts no thread; serve
 * it over HTTP, or call it in-process through `in_process_transport`.
 */
#ifndef MODELARTS_TESTING_EMULATOR_HPP
#define MODELARTS_TESTING_EMULATOR_HPP

#include "modelarts/detail/utf8.hpp"
#include "modelarts/error.hpp"
#include "modelarts/http.hpp"
#include "modelarts/iam.hpp"
#include "modelarts/retry.hpp"
#include "modelarts/signer.hpp"
#include "modelarts/validation.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
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
};

/** A version of an emulated v1 job. */
struct emulated_version {
    std::int64_t version_id = 0;  ///< the version's id
    std::string version_name;     ///< e.g. "V0001"
};

/**
 * The emulated service. Not safe for concurrent use: a server serialises calls to `handle`.
 *
 * @code
 * modelarts::testing::emulator em;   // v1 job 182626 with two versions, and one v2 job
 * modelarts::session s{modelarts::testing::in_process_transport{em},
 *                      {.endpoint = em.endpoint(), .project_id = em.project_id()}};
 * modelarts::estimator{s, "182626"}.update_job_description("hello");
 * assert(em.description("182626") == "hello");
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
    void add_v1_job(std::int64_t job_id, std::string job_name, std::string description,
                    std::vector<emulated_version> versions)
    {
        jobs_[std::to_string(job_id)] = job{std::move(job_name), std::move(description), std::move(versions), true};
    }

    /**
     * Adds (or replaces) a v2 job.
     * @param job_id a UUID
     * @param description initial description
     */
    void add_v2_job(std::string job_id, std::string description)
    {
        jobs_[std::move(job_id)] = job{"", std::move(description), {}, false};
    }

    /**
     * @param job_id a job's id, as in the request path
     * @return its stored description, or nothing when there is no such job
     */
    [[nodiscard]] std::optional<std::string> description(std::string_view job_id) const
    {
        auto it = jobs_.find(std::string(job_id));
        if (it == jobs_.end()) return std::nullopt;
        return it->second.description;
    }

    /** @return every request handled so far, in order */
    const std::vector<http_request>& requests() const noexcept { return requests_; }

    /** Forgets the requests handled so far. */
    void clear_requests() noexcept { requests_.clear(); }

    /**
     * Answers a request as the service (and its API gateway) would.
     * @param req any request
     * @return the answer; never throws but for `std::bad_alloc`
     */
    http_response handle(const http_request& req)
    {
        http_response res = answer(req);
        if (options_.keep_requests) requests_.push_back(req);  // after: `req` may be one of requests_
        return res;
    }

    /**
     * Answers a request as the service would behind a flaky network: the fault plan picks what
     * happens to this request, by its number. Transports and servers carry out `how`.
     * @param req any request
     * @return the answer and how to deliver it
     */
    emulated_exchange exchange(const http_request& req)
    {
        const fault f = options_.faults.for_request(++exchanges_);
        switch (f) {
        case fault::none: return {handle(req)};
        case fault::reset: return {{}, fault::reset};
        case fault::bad_gateway: return {html_error(502, "Bad Gateway")};
        case fault::service_unavailable: return {html_error(503, "Service Temporarily Unavailable")};
        case fault::throttled:
        case fault::throttled_retry_after: {
            auto res = gateway_error(429, "APIGW.0308",
                                     "The throttling threshold has been reached: policy user over ratelimit,limit:100,time:1 minute",
                                     next_request_id());
            if (f == fault::throttled_retry_after) res.headers.set("Retry-After", std::to_string(options_.faults.retry_after.count()));
            return {std::move(res)};
        }
        case fault::delay: return {handle(req), fault::delay, options_.faults.delay};
        case fault::truncated_body: return {handle(req), fault::truncated_body};
        }
        return {handle(req)};
    }

    /** @return how many requests `exchange` has seen */
    std::uint64_t exchanges() const noexcept { return exchanges_; }

    /**
     * Answers a request that cannot even be expressed as an `http_request` (a method other than
     * GET, PUT or POST), as the gateway does: 404 APIGW.0101.
     * @return the answer
     */
    http_response answer_unknown_api() { return gateway_error(404, "APIGW.0101", unknown_api_message, next_request_id()); }

    /** The largest request body the service reads: 12 MB. */
    static constexpr std::size_t max_body_size = 12 * 1024 * 1024;

    /**
     * Answers a request whose body is over `max_body_size`, known from its head alone (a server
     * need not read the rest): 413 ModelArts.4104, as the service does.
     * @param target the request's target, which says v1 or v2
     * @return the answer
     */
    http_response answer_body_too_large(std::string_view target)
    {
        return service_error(target.starts_with("/v2/"), 413, "ModelArts.4104", "The request body is larger than 12 MB",
                             next_request_id());
    }

private:
    http_response answer(const http_request& req)
    {
        const std::string request_id = next_request_id();

        std::string_view path = req.target(), query;
        if (auto q = path.find('?'); q != std::string_view::npos) query = path.substr(q + 1), path = path.substr(0, q);
        if (req.method == http_method::post && path == "/v3/auth/tokens") return issue_token(req, request_id);
        auto parts = split(path);

        // /{v1|v2}/{project}/training-jobs/{id}[/versions]
        const bool routed = parts.size() >= 4 && parts[0].empty() == false && parts[2] == "training-jobs"
                         && ((req.method == http_method::put && parts.size() == 4 && (parts[0] == "v1" || parts[0] == "v2"))
                             || (req.method == http_method::get && parts.size() == 5 && parts[0] == "v1" && parts[4] == "versions"));
        if (!routed) return gateway_error(404, "APIGW.0101", unknown_api_message, request_id);
        if (auto refusal = check_credentials(req); !refusal.empty())
            return gateway_error(401, "APIGW.0301", "Incorrect IAM authentication information: " + refusal, request_id);

        const bool v2 = parts[0] == "v2";
        if (!validate_project_id(parts[1]) || parts[1] != options_.project_id)
            return service_error(v2, 404, "ModelArts.2786", "TokenProjectIDNotMatch: the project id does not match the token", request_id);
        const bool id_ok = v2 ? is_v2_job_id(parts[3]) : is_v1_job_id(parts[3]);
        auto it = id_ok ? jobs_.find(std::string(parts[3])) : jobs_.end();
        if (it == jobs_.end() || it->second.v1 == v2)
            return service_error(v2, 400, "ModelArts.2775", "TrainingJobNotFound: no training job " + std::string(parts[3]), request_id);

        if (req.method == http_method::get) return list_versions(it->first, it->second, query, request_id);
        return update_description(v2, it->second, req.body(), request_id);
    }

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

    std::chrono::system_clock::time_point now() const
    {
        return options_.clock ? options_.clock() : std::chrono::system_clock::now();
    }

    // Why the gateway refuses the request's credentials; empty when it accepts them.
    std::string check_credentials(const http_request& req) const
    {
        if (auto authz = req.headers.find("Authorization"); authz && authz->starts_with(signing_algorithm))
            return check_signature(req, *authz);
        if (auto token = req.headers.find("X-Auth-Token")) {
            if (!options_.token.empty() && *token == options_.token) return {};
            auto issued = issued_tokens_.find(std::string(*token));
            if (issued == issued_tokens_.end()) return "unknown token";
            return now() < issued->second ? std::string() : "token expired";
        }
        const bool open = options_.token.empty() && options_.access_keys.empty() && options_.users.empty();
        return open ? std::string() : "no credentials";
    }

    std::string check_signature(const http_request& req, std::string_view authz) const
    {
        // SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b;c, Signature=hex
        auto field = [&](std::string_view name) -> std::string_view {
            auto at = authz.find(name);
            if (at == std::string_view::npos) return {};
            auto value = authz.substr(at + name.size());
            return value.substr(0, value.find(','));
        };
        const std::string_view ak = field("Access="), names = field("SignedHeaders="), sig = field("Signature=");
        auto key = options_.access_keys.find(std::string(ak));
        if (key == options_.access_keys.end()) return "unknown access key";
        std::vector<std::string> signed_headers;
        for (std::size_t start = 0; start <= names.size();) {
            auto end = std::min(names.find(';', start), names.size());
            signed_headers.emplace_back(names.substr(start, end - start));
            start = end + 1;
        }
        auto has = [&](std::string_view n) {
            return std::find(signed_headers.begin(), signed_headers.end(), n) != signed_headers.end();
        };
        if (!has("x-sdk-date")) return "x-sdk-date is not signed";
        const auto date = signing::parse_sdk_date(req.headers.get("X-Sdk-Date"));
        if (!date) return "bad X-Sdk-Date";
        const auto skew = *date > now() ? *date - now() : now() - *date;
        if (skew > max_clock_skew) return "X-Sdk-Date is more than 15 minutes off";
        if (!key->second.security_token.empty()
            && (!has("x-security-token") || req.headers.get("X-Security-Token") != key->second.security_token))
            return "bad security token";
        const auto expected = signing::signature(
            key->second.secret_key, signing::string_to_sign(signing::canonical_request(req, signed_headers),
                                                            req.headers.get("X-Sdk-Date")));
        return expected == sig ? std::string() : "signature does not match";
    }

    // IAM's POST /v3/auth/tokens: a token for a known user and password, scoped to our project.
    http_response issue_token(const http_request& req, const std::string& request_id)
    {
        auto refuse = [&](unsigned status, int code, std::string_view message, std::string_view title) {
            boost::json::object o{{"error", {{"code", code}, {"message", message}, {"title", title}}}};
            return reply(status, boost::json::serialize(o), request_id);
        };
        boost::system::error_code ec;
        auto body = boost::json::parse(boost::json::string_view(req.body().data(), req.body().size()), ec);
        const boost::json::value* user = nullptr;
        const boost::json::value* project = nullptr;
        if (!ec) {
            user = body.find_pointer("/auth/identity/password/user", ec);
            project = body.find_pointer("/auth/scope/project/id", ec);
        }
        auto text = [](const boost::json::value* v, std::string_view key) -> std::string {
            auto* o = v ? v->if_object() : nullptr;
            auto* f = o ? o->if_contains(key) : nullptr;
            return f && f->is_string() ? std::string(f->get_string()) : std::string();
        };
        if (!user || !project || !project->is_string()) return refuse(400, 400, "The request body is invalid.", "Bad Request");
        const std::string name = text(user, "name"), password = text(user, "password");
        auto* domain = user->as_object().if_contains("domain");
        const std::string account = text(domain, "name");
        const auto known = std::find_if(options_.users.begin(), options_.users.end(), [&](const emulated_user& u) {
            return u.name == name && u.password == password && (u.account.empty() ? u.name : u.account) == account;
        });
        if (known == options_.users.end()) return refuse(401, 401, "The username or password is wrong.", "Unauthorized");
        if (project->get_string() != options_.project_id)
            return refuse(401, 401, "The project does not belong to the account.", "Unauthorized");

        char token[41];
        std::snprintf(token, sizeof token, "MIIE%020llu%016llx", static_cast<unsigned long long>(++counter_), 0x49414dULL);
        const auto issued = now();
        issued_tokens_[token] = issued + token_lifetime;
        boost::json::object o{{"token",
                               {{"expires_at", detail::format_iso8601_utc(issued + token_lifetime)},
                                {"issued_at", detail::format_iso8601_utc(issued)},
                                {"methods", {"password"}},
                                {"project", {{"id", options_.project_id}}},
                                {"user", {{"name", name}, {"domain", {{"name", account}}}}}}}};
        auto res = reply(201, boost::json::serialize(o), request_id);
        res.headers.set("X-Subject-Token", token);
        return res;
    }

    static std::vector<std::string_view> split(std::string_view path)
    {
        std::vector<std::string_view> out;
        if (path.empty() || path.front() != '/') return out;
        path.remove_prefix(1);
        for (;;) {
            auto slash = path.find('/');
            out.push_back(path.substr(0, slash));
            if (slash == std::string_view::npos) return out;
            path.remove_prefix(slash + 1);
        }
    }

    std::string next_request_id()
    {
        char buf[33];
        std::snprintf(buf, sizeof buf, "%016llx%016llx", 0x6d6f64656c617274ULL, static_cast<unsigned long long>(++counter_));
        return buf;
    }

    // Every JSON answer leaves through here: whatever bytes of the request it repeats (a job id
    // from the path, say), it is UTF-8, so any JSON parser reads it.
    static http_response reply(unsigned status, std::string body, const std::string& request_id)
    {
        if (!detail::utf8_length(body)) body = detail::utf8_replace_invalid(body);
        http_response res;
        res.status = status;
        res.headers.set("Content-Type", "application/json");
        res.headers.set("X-Request-Id", request_id);
        res.body = std::move(body);
        return res;
    }

    static http_response html_error(unsigned status, std::string_view reason)
    {
        http_response res;
        res.status = status;
        res.headers.set("Content-Type", "text/html");
        res.body.append("<html><head><title>").append(std::to_string(status)).append(1, ' ').append(reason);
        res.body.append("</title></head><body><center><h1>").append(std::to_string(status)).append(1, ' ').append(reason);
        res.body.append("</h1></center></body></html>\n");
        return res;
    }

    static http_response gateway_error(unsigned status, std::string_view code, std::string_view msg,
                                       const std::string& request_id)
    {
        boost::json::object o{{"error_code", code}, {"error_msg", msg}, {"request_id", request_id}};
        return reply(status, boost::json::serialize(o), request_id);
    }

    http_response service_error(bool v2, unsigned status, std::string_view code, std::string_view msg,
                                const std::string& request_id) const
    {
        boost::json::object o;
        if (v2) {
            o = {{"error_code", code}, {"error_msg", msg}, {"error_solution", "Check the request against the API reference."}};
        } else {
            o = {{"is_success", false}, {"error_code", code}};
            o[options_.v1_error_message_field] = msg;
        }
        return reply(status, boost::json::serialize(o), request_id);
    }

    http_response update_description(bool v2, job& j, std::string_view body, const std::string& request_id)
    {
        if (body.size() > max_body_size)
            return service_error(v2, 413, "ModelArts.4104", "The request body is larger than 12 MB", request_id);
        boost::system::error_code ec;
        auto value = boost::json::parse(boost::json::string_view(body.data(), body.size()), ec);
        if (ec || !value.is_object())
            return service_error(v2, 400, "ModelArts.2787", "InvalidJsonBody: the body is not a JSON object", request_id);
        const char* field = v2 ? "description" : "job_desc";
        auto* desc = value.get_object().if_contains(field);
        if (!desc || !desc->is_string())
            return service_error(v2, 400, "ModelArts.2788", std::string("InvalidParam: ") + field + " must be a string", request_id);
        std::string_view text(desc->get_string().data(), desc->get_string().size());
        if (!validate_description(text))
            return service_error(v2, 400, "ModelArts.2788",
                                 std::string("InvalidParam: ") + field + " must be 0 to 256 characters", request_id);
        j.description.assign(text);
        return reply(200, v2 ? "null" : R"({"is_success":true})", request_id);
    }

    http_response list_versions(const std::string& job_id, const job& j, std::string_view query,
                                const std::string& request_id) const
    {
        std::int64_t per_page = 10, page = 0;
        while (!query.empty()) {
            auto amp = query.find('&');
            auto pair = query.substr(0, amp);
            query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
            auto eq = pair.find('=');
            auto name = pair.substr(0, eq), text = eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
            std::int64_t v = -1;
            auto [p, err] = std::from_chars(text.data(), text.data() + text.size(), v);
            bool number = err == std::errc{} && p == text.data() + text.size();
            if (name == "per_page" && number && v >= 1 && v <= 1000) per_page = v;
            else if (name == "page" && number && v >= 0) page = v;
            else
                return service_error(false, 400, "ModelArts.0104", "Parameter error: per_page is 1 to 1000, page 0 or more", request_id);
        }
        std::size_t first = 0, count = j.versions.size();
        if (page > 0) {
            first = static_cast<std::size_t>((page - 1) * per_page);
            first = first < j.versions.size() ? first : j.versions.size();
            count = std::min<std::size_t>(static_cast<std::size_t>(per_page), j.versions.size() - first);
        }
        const std::int64_t id = std::stoll(job_id);
        boost::json::array versions;
        for (std::size_t i = first; i < first + count; ++i) {
            const auto& v = j.versions[i];
            versions.push_back(boost::json::object{
                {"job_id", id}, {"version_id", v.version_id}, {"version_name", v.version_name},
                {"pre_version_id", i == 0 ? 0 : j.versions[i - 1].version_id}, {"engine_type", 1},
                {"engine_name", "TensorFlow"}, {"engine_id", 1}, {"engine_version", "TF-1.8.0-python2.7"},
                {"status", 10}, {"create_time", 1524189990635 + static_cast<std::int64_t>(i) * 60000},
                {"duration", 532}, {"spec_id", 1}, {"core", 2}, {"cpu", 8}, {"gpu_num", 1}, {"gpu_type", "P100"},
                {"parameter", boost::json::array{boost::json::object{{"label", "learning_rate"}, {"value", "0.01"}}}},
                {"data_url", "/usr/data/"}, {"train_url", "/usr/train/"}, {"log_url", "/usr/log/"},
                {"dataset_id", ""}, {"dataset_version_id", ""}, {"pool_id", "pool9928813f"},
                {"model_metric_list", "{}"}, {"system_metric_list", boost::json::object{}}});
        }
        boost::json::object o{{"is_success", true},
                              {"job_id", id},
                              {"job_name", j.name},
                              {"job_desc", j.description},
                              {"version_count", j.versions.size()},
                              {"versions", std::move(versions)}};
        return reply(200, boost::json::serialize(o), request_id);
    }

    emulator_options options_;
    std::map<std::string, job, std::less<>> jobs_;
    std::vector<http_request> requests_;
    std::map<std::string, std::chrono::system_clock::time_point, std::less<>> issued_tokens_;
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

#endif
