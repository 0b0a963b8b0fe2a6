// What every consumer builds: one update through the in-process emulator.
#ifdef CONSUMER_SINGLE_HEADER
#include "modelarts.hpp"
#else
#include <modelarts/modelarts.hpp>
#include <modelarts/testing/emulator.hpp>
#endif

#include <iostream>

int main()
{
    modelarts::testing::emulator cloud;
    auto session = modelarts::make_session(modelarts::testing::in_process_transport{cloud},
                                           {.endpoint = cloud.endpoint(), .project_id = cloud.project_id()});
    if (!session) return 1;
    auto r = modelarts::estimator{*session, "182626"}.update_job_description("from a consumer");
    if (!r || !r->is_success || cloud.description("182626") != "from a consumer") return 1;
    std::cout << *r << '\n';
}
