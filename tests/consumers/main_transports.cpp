// What the consumers of the optional headers build: the curl transport, over real HTTP, against
// the emulator's server on loopback.
#include <modelarts/modelarts.hpp>
#include <modelarts/testing/server.hpp>
#include <modelarts/transports/curl.hpp>

#include <iostream>

int main()
{
    modelarts::testing::emulator_server server{{}};
    server.start();
    auto session = modelarts::make_session(modelarts::curl_transport{},
                                           {.endpoint = server.endpoint(), .project_id = "0123456789abcdef0123456789abcdef"});
    if (!session) return 1;
    auto r = modelarts::estimator{*session, "182626"}.update_job_description("over curl");
    if (!r || !r->is_success) return 1;
    std::cout << *r << '\n';
}
