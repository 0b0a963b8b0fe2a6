/**
 * @file impl/response.ipp
 * The definitions of response.hpp: inline in every unit by default, or compiled
 * once with MODELARTS_SEPARATE_COMPILATION (see detail/config.hpp).
 */
#ifndef MODELARTS_IMPL_RESPONSE_IPP
#define MODELARTS_IMPL_RESPONSE_IPP

#include "modelarts/detail/json.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace modelarts {

MODELARTS_DECL std::string to_json(const service_status& s, std::string_view request_id)
{
    boost::json::object o;
    o["is_success"] = s.is_success;
    if (!s.is_success) {
        o["error_code"] = s.error_code;
        o["error_msg"] = s.error_msg;
        if (!s.error_solution.empty()) o["error_solution"] = s.error_solution;
    }
    if (!request_id.empty()) o["request_id"] = request_id;
    return boost::json::serialize(o);
}

namespace detail {

// The fields every answer shares, as found at the top of the tree (null: absent). Pointers, not
// copies: the tree outlives them, and a small struct is cheap to clear.
struct status_fields {
    const boost::json::value* is_success = nullptr;
    const boost::json::value* error_code = nullptr;
    const boost::json::value* error_msg = nullptr;
    const boost::json::value* error_solution = nullptr;
    const boost::json::value* request_id = nullptr;
    const boost::json::value* error_message = nullptr;  // the gateway's spelling of error_msg
};

MODELARTS_DECL status_fields read_status_fields(const boost::json::object& o) noexcept
{
    status_fields f;
    for (const auto& field : o) {
        const std::string_view key = field.key();
        const boost::json::value* v = &field.value();
        if (key == "is_success") f.is_success = v;
        else if (key == "error_code") f.error_code = v;
        else if (key == "error_msg") f.error_msg = v;
        else if (key == "error_solution") f.error_solution = v;
        else if (key == "request_id") f.request_id = v;
        else if (key == "error_message") f.error_message = v;
    }
    return f;
}

MODELARTS_DECL bool is_text(const boost::json::value* v) noexcept { return !v || v->is_null() || v->is_string(); }

// The text of a field that `is_text`; empty when absent or null.
MODELARTS_DECL std::string_view text_of(const boost::json::value* v) noexcept
{
    auto* s = v ? v->if_string() : nullptr;
    return s ? std::string_view(s->data(), s->size()) : std::string_view{};
}

MODELARTS_DECL result<void> read_status(const http_response& res, const boost::json::value& body, bool empty_success,
                                        service_status& out)
{
    const bool ok = detail::is_2xx(res.status);

    if (body.is_null()) {
        if (!ok || !empty_success) return error::unexpected_shape;
        out.is_success = true;
        return {};
    }
    auto* object = body.if_object();
    if (!object) return error::unexpected_shape;
    const status_fields f = read_status_fields(*object);
    if ((f.is_success && !f.is_success->is_bool()) || !is_text(f.error_code) || !is_text(f.error_msg)
        || !is_text(f.error_solution) || !is_text(f.request_id))
        return error::unexpected_shape;
    if (f.error_code) out.error_code.assign(text_of(f.error_code));  // a success's are all absent
    if (f.error_msg) out.error_msg.assign(text_of(f.error_msg));
    if (f.error_solution) out.error_solution.assign(text_of(f.error_solution));
    if (f.error_message && out.error_msg.empty()) {  // the gateway's spelling, read only when the service's is missing
        if (!is_text(f.error_message)) return error::unexpected_shape;
        out.error_msg.assign(text_of(f.error_message));
    }

    const bool says_success = f.is_success && f.is_success->get_bool();
    const bool says_failure = (f.is_success && !says_success) || !out.error_code.empty();
    if (says_success && says_failure) return error::unexpected_shape;
    if (ok && says_failure) return error::contradictory_status;
    if (!ok && says_success) return error::contradictory_status;
    if (!ok && !says_failure) return error::unexpected_shape;
    if (ok && !says_success && !empty_success) return error::unexpected_shape;
    out.is_success = ok;
    return {};
}

MODELARTS_DECL result<boost::json::value> parse_body(std::string_view body, unsigned max_depth, bool empty_is_null,
                                                     boost::json::storage_ptr storage)
{
    if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        if (empty_is_null) return boost::json::value{};
        return error::malformed_body;
    }
    return parse_json(body, max_depth, std::move(storage));
}

MODELARTS_DECL bool read_version(const boost::json::value& v, job_version_info& out)
{
    auto* o = v.if_object();
    if (!o || !o->contains("version_id")) return false;
    bool ok = read_int(*o, "job_id", out.job_id) && read_int(*o, "version_id", out.version_id)
           && read_string(*o, "version_name", out.version_name) && read_int(*o, "pre_version_id", out.pre_version_id)
           && read_int(*o, "engine_type", out.engine_type) && read_string(*o, "engine_name", out.engine_name)
           && read_int(*o, "engine_id", out.engine_id) && read_string(*o, "engine_version", out.engine_version)
           && read_int(*o, "status", out.status) && read_int(*o, "create_time", out.create_time)
           && read_int(*o, "duration", out.duration) && read_string(*o, "spec_id", out.spec_id)
           && read_string(*o, "core", out.core) && read_string(*o, "cpu", out.cpu)
           && read_string(*o, "gpu_num", out.gpu_num) && read_string(*o, "gpu_type", out.gpu_type)
           && read_string(*o, "data_url", out.data_url) && read_string(*o, "train_url", out.train_url)
           && read_string(*o, "log_url", out.log_url) && read_string(*o, "dataset_id", out.dataset_id)
           && read_string(*o, "dataset_version_id", out.dataset_version_id)
           && read_string(*o, "pool_id", out.pool_id) && read_string(*o, "model_metric_list", out.model_metric_list);
    if (!ok) return false;
    if (auto* m = o->if_contains("system_metric_list"); m && !m->is_null())
        out.system_metric_list = m->is_string() ? std::string(m->get_string()) : boost::json::serialize(*m);
    if (auto* p = o->if_contains("parameter"); p && !p->is_null()) {
        auto* arr = p->if_array();
        if (!arr) return false;
        for (const auto& item : *arr) {
            auto* po = item.if_object();
            version_parameter vp;
            if (!po || !read_string(*po, "label", vp.label) || !read_string(*po, "value", vp.value)) return false;
            out.parameter.push_back(std::move(vp));
        }
    }
    return true;
}

MODELARTS_DECL bool read_version_list(const boost::json::object& o, version_list& out)
{
    if (!read_int(o, "job_id", out.job_id) || !read_string(o, "job_name", out.job_name)
        || !read_string(o, "job_desc", out.job_desc) || !read_int(o, "version_count", out.version_count))
        return false;
    auto* vs = o.if_contains("versions");
    if (!vs || vs->is_null()) return true;
    auto* arr = vs->if_array();
    if (!arr) return false;
    out.versions.reserve(arr->size());
    for (const auto& v : *arr) {
        job_version_info info;
        info.job_id = out.job_id;  // versions may omit it; the list's id applies
        if (!read_version(v, info)) return false;
        out.versions.push_back(std::move(info));
    }
    return true;
}

MODELARTS_DECL bool read_created_job(const boost::json::object& o, create_job_result& out)
{
    return o.contains("job_id") && o.contains("version_id") && read_int(o, "job_id", out.job_id)
        && read_string(o, "job_name", out.job_name) && read_int(o, "status", out.status)
        && read_int(o, "create_time", out.create_time) && read_int(o, "version_id", out.version_id)
        && read_string(o, "version_name", out.version_name) && read_string(o, "resource_id", out.resource_id)
        && out.job_id > 0;
}

// The path every answer takes: body → JSON → verdict → (on success) the operation's own fields.
// `bare_success`: a 2xx needs no `is_success` (v2 updates, IAM).
template <class Result, class ReadFields>
[[nodiscard]] result<Result> parse_answer(const http_response& res, unsigned max_depth, bool bare_success, ReadFields read_fields)
{
    // Built where it is returned: every path returns `answer`, so the result is never moved.
    result<Result> answer(boost::system::in_place_value);
    // The tree lives on the stack while the answer is read (a large one spills to the heap); what
    // the result keeps is copied out of it.
    unsigned char stack[4096];
    boost::json::monotonic_resource arena(stack, sizeof stack);
    auto body = parse_body(res.body, max_depth, bare_success && detail::is_2xx(res.status), &arena);
    if (!body) answer = body.error();
    else if (auto r = read_status(res, *body, bare_success, *answer); !r) answer = r.error();
    else if (answer->is_success && !read_fields(*body, *answer)) answer = make_error_code(error::unexpected_shape);
    return answer;
}

// For answers with no fields but the shared ones (updates).
inline constexpr auto no_fields = [](const boost::json::value&, const service_status&) noexcept { return true; };

// Adapts a reader of an object's fields to parse_answer: a body that is no object has none.
template <class Result, class ReadObject>
auto object_fields(ReadObject read)
{
    return [read](const boost::json::value& v, Result& out) {
        auto* o = v.if_object();
        return o && read(*o, out);
    };
}

} // namespace detail

MODELARTS_DECL result<update_result> parse_update_job_description_response(const http_response& res, api_version api)
{
    return detail::parse_answer<update_result>(res, max_update_response_depth, api == api_version::v2, detail::no_fields);
}

MODELARTS_DECL result<update_result> parse_update_job_description_response(const http_response& res,
                                                                           const http_request& req)
{
    return parse_update_job_description_response(res, req.target().starts_with("/v2/") ? api_version::v2 : api_version::v1);
}

MODELARTS_DECL request_id_string request_id_of(const http_response& res)
{
    if (auto header = res.headers.find("X-Request-Id"); header && !header->empty()) return request_id_string(*header);
    unsigned char stack[4096];
    boost::json::monotonic_resource arena(stack, sizeof stack);
    auto body = detail::parse_body(res.body, max_list_response_depth, false, &arena);
    auto* object = body ? body->if_object() : nullptr;
    auto* id = object ? object->if_contains("request_id") : nullptr;
    return id ? request_id_string(detail::text_of(id)) : request_id_string();
}

MODELARTS_DECL result<version_list> parse_list_job_versions_response(const http_response& res)
{
    return detail::parse_answer<version_list>(res, max_list_response_depth, false,
                                              detail::object_fields<version_list>(detail::read_version_list));
}

MODELARTS_DECL result<create_job_result> parse_create_job_response(const http_response& res)
{
    return detail::parse_answer<create_job_result>(res, max_list_response_depth, false,
                                                   detail::object_fields<create_job_result>(detail::read_created_job));
}

} // namespace modelarts

#endif
