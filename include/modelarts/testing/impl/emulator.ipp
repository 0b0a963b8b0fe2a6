/**
 * @file testing/impl/emulator.ipp
 * The definitions of testing/emulator.hpp: inline in every unit by default, or compiled
 * once with MODELARTS_SEPARATE_COMPILATION (see detail/config.hpp).
 */
#ifndef MODELARTS_TESTING_IMPL_EMULATOR_IPP
#define MODELARTS_TESTING_IMPL_EMULATOR_IPP

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace modelarts::testing {

MODELARTS_DECL void emulator::add_v1_job(std::int64_t job_id, std::string job_name, std::string description,
                                         std::vector<emulated_version> versions)
{
    std::lock_guard lock(mutex_);
    jobs_[std::to_string(job_id)] = job{std::move(job_name), std::move(description), std::move(versions), true};
}

MODELARTS_DECL void emulator::add_v2_job(std::string job_id, std::string description)
{
    std::lock_guard lock(mutex_);
    jobs_[std::move(job_id)] = job{"", std::move(description), {}, false};
}

MODELARTS_DECL std::optional<std::string> emulator::description(std::string_view job_id) const
{
    std::lock_guard lock(mutex_);
    auto it = jobs_.find(std::string(job_id));
    if (it == jobs_.end()) return std::nullopt;
    return it->second.description;
}

MODELARTS_DECL http_response emulator::handle(const http_request& req)
{
    std::lock_guard lock(mutex_);
    return handle_locked(req);
}

MODELARTS_DECL http_response emulator::handle_locked(const http_request& req)
{
    http_response res = answer(req);
    date(res);
    if (options_.keep_requests) requests_.push_back(req);  // after: `req` may be one of requests_
    return res;
}

MODELARTS_DECL emulated_exchange emulator::exchange(const http_request& req)
{
    std::lock_guard lock(mutex_);
    const fault f = options_.faults.for_request(++exchanges_);
    switch (f) {
    case fault::none: return {handle_locked(req)};
    case fault::reset: return {{}, fault::reset};
    case fault::bad_gateway: return {date(html_error(502, "Bad Gateway"))};
    case fault::service_unavailable: return {date(html_error(503, "Service Temporarily Unavailable"))};
    case fault::throttled:
    case fault::throttled_retry_after: {
        auto res = gateway_error(429, "APIGW.0308",
                                 "The throttling threshold has been reached: policy user over ratelimit,limit:100,time:1 minute",
                                 next_request_id());
        if (f == fault::throttled_retry_after) res.headers.set("Retry-After", std::to_string(options_.faults.retry_after.count()));
        return {date(std::move(res))};
    }
    case fault::delay: return {handle_locked(req), fault::delay, options_.faults.delay};
    case fault::truncated_body: return {handle_locked(req), fault::truncated_body};
    }
    return {handle_locked(req)};
}

// Every answer says when it was made, as the gateway's do: a client learns its clock's offset from it.
MODELARTS_DECL http_response& emulator::date(http_response& res) const
{
    res.headers.set("Date", detail::format_http_date(now()));
    return res;
}

MODELARTS_DECL http_response emulator::date(http_response&& res) const
{
    date(res);
    return std::move(res);
}

MODELARTS_DECL http_response emulator::answer_body_too_large(std::string_view target)
{
    std::lock_guard lock(mutex_);
    return service_error(target.starts_with("/v2/"), 413, "ModelArts.4104", "The request body is larger than 12 MB",
                         next_request_id());
}

MODELARTS_DECL http_response emulator::answer(const http_request& req)
{
    const std::string request_id = next_request_id();

    std::string_view path = req.target(), query;
    if (auto q = path.find('?'); q != std::string_view::npos) query = path.substr(q + 1), path = path.substr(0, q);
    if (req.method == http_method::post && path == "/v3/auth/tokens") return issue_token(req, request_id);
    if (options_.metadata_credentials && req.method == http_method::put && path == "/meta-data/latest/api/token")
        return issue_metadata_token(req, request_id);
    if (options_.metadata_credentials && req.method == http_method::get && path == "/openstack/latest/securitykey")
        return issue_temporary_keys(req, request_id);
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

MODELARTS_DECL std::chrono::system_clock::time_point emulator::now() const
{
    return options_.clock ? options_.clock() : std::chrono::system_clock::now();
}

MODELARTS_DECL std::string emulator::check_credentials(const http_request& req) const
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

MODELARTS_DECL std::string emulator::check_signature(const http_request& req, std::string_view authz) const
{
    // SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b;c, Signature=hex
    auto field = [&](std::string_view name) -> std::string_view {
        auto at = authz.find(name);
        if (at == std::string_view::npos) return {};
        auto value = authz.substr(at + name.size());
        return value.substr(0, value.find(','));
    };
    const std::string_view ak = field("Access="), names = field("SignedHeaders="), sig = field("Signature=");
    const emulated_access_key* key = nullptr;
    if (auto known = options_.access_keys.find(std::string(ak)); known != options_.access_keys.end()) {
        key = &known->second;
    } else if (auto temporary = temporary_keys_.find(ak); temporary != temporary_keys_.end()) {
        if (now() >= temporary->second.expires_at) return "temporary access key expired";
        key = &temporary->second.key;
    } else {
        return "unknown access key";
    }
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
    if (!key->security_token.empty() && (!has("x-security-token") || req.headers.get("X-Security-Token") != key->security_token))
        return "bad security token";
    const auto expected = signing::signature(
        key->secret_key, signing::string_to_sign(signing::canonical_request(req, signed_headers),
                                                        req.headers.get("X-Sdk-Date")));
    return expected == sig ? std::string() : "signature does not match";
}

MODELARTS_DECL http_response emulator::issue_metadata_token(const http_request& req, const std::string& request_id)
{
    std::int64_t ttl = 0;
    const auto asked = req.headers.get("X-Metadata-Token-Ttl-Seconds");
    if (std::from_chars(asked.data(), asked.data() + asked.size(), ttl).ec != std::errc() || ttl <= 0 || ttl > 21600)
        return html_error(400, "Bad Request");
    char token[40];
    std::snprintf(token, sizeof token, "md%016llx", static_cast<unsigned long long>(++counter_));
    metadata_tokens_[token] = now() + std::chrono::seconds(ttl);
    http_response res{200, {}, token};
    res.headers.set("Content-Type", "text/plain");
    res.headers.set("X-Request-Id", request_id);
    return res;
}

MODELARTS_DECL http_response emulator::issue_temporary_keys(const http_request& req, const std::string& request_id)
{
    auto unauthorized = [&](std::string_view why) {
        http_response res{401, {}, std::string(why)};
        res.headers.set("Content-Type", "text/plain");
        return res;
    };
    if (!options_.metadata_agency) return unauthorized("Please configure Cloud Service Agency first");
    if (auto token = req.headers.find("X-Metadata-Token")) {
        auto issued = metadata_tokens_.find(*token);
        if (issued == metadata_tokens_.end() || now() >= issued->second) return unauthorized("Unauthorized: the token has expired");
    }
    const auto n = static_cast<unsigned long long>(++counter_);
    char ak[24], sk[40], st[48];
    std::snprintf(ak, sizeof ak, "TMP%016llX", n);
    std::snprintf(sk, sizeof sk, "tmpsk%016llx", n);
    std::snprintf(st, sizeof st, "tmpst-%016llx", n);
    const auto expires_at = now() + *options_.metadata_credentials;
    temporary_keys_[ak] = {{sk, st}, expires_at};
    boost::json::object o{{"credential",
                           {{"access", ak}, {"secret", sk}, {"securitytoken", st}, {"expires_at", detail::format_iso8601_utc(expires_at)}}}};
    return reply(200, boost::json::serialize(o), request_id);
}

MODELARTS_DECL http_response emulator::issue_token(const http_request& req, const std::string& request_id)
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

MODELARTS_DECL std::vector<std::string_view> emulator::split(std::string_view path)
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

MODELARTS_DECL std::string emulator::next_request_id()
{
    char buf[33];
    std::snprintf(buf, sizeof buf, "%016llx%016llx", 0x6d6f64656c617274ULL, static_cast<unsigned long long>(++counter_));
    return buf;
}

MODELARTS_DECL http_response emulator::reply(unsigned status, std::string body, const std::string& request_id)
{
    if (!detail::utf8_length(body)) body = detail::utf8_replace_invalid(body);
    http_response res;
    res.status = status;
    res.headers.set("Content-Type", "application/json");
    res.headers.set("X-Request-Id", request_id);
    res.body = std::move(body);
    return res;
}

MODELARTS_DECL http_response emulator::html_error(unsigned status, std::string_view reason)
{
    http_response res;
    res.status = status;
    res.headers.set("Content-Type", "text/html");
    res.body.append("<html><head><title>").append(std::to_string(status)).append(1, ' ').append(reason);
    res.body.append("</title></head><body><center><h1>").append(std::to_string(status)).append(1, ' ').append(reason);
    res.body.append("</h1></center></body></html>\n");
    return res;
}

MODELARTS_DECL http_response emulator::gateway_error(unsigned status, std::string_view code, std::string_view msg,
                                                     const std::string& request_id)
{
    boost::json::object o{{"error_code", code}, {"error_msg", msg}, {"request_id", request_id}};
    return reply(status, boost::json::serialize(o), request_id);
}

MODELARTS_DECL http_response emulator::service_error(bool v2, unsigned status, std::string_view code, std::string_view msg,
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

MODELARTS_DECL http_response emulator::update_description(bool v2, job& j, std::string_view body, const std::string& request_id)
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

MODELARTS_DECL http_response emulator::list_versions(const std::string& job_id, const job& j, std::string_view query,
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

} // namespace modelarts::testing

#endif
