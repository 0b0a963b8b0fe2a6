// Compile cost, core: the library's header and one update through a session, over a transport
// that answers at once.
#include "modelarts/modelarts.hpp"

struct canned_transport {
    modelarts::result<modelarts::http_response> send(const modelarts::http_request&)
    {
        return modelarts::http_response{200, {}, R"({"is_success":true})"};
    }
};

int main()
{
    auto s = modelarts::make_session(canned_transport{}, {.endpoint = "http://127.0.0.1:8080", .project_id = "p"});
    return s && modelarts::estimator{*s, "182626"}.update_job_description("x") ? 0 : 1;
}
