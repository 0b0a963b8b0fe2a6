#include "modelarts/modelarts.hpp"
#include "modelarts/testing/emulator.hpp"  // stands in for the cloud here

#include <iostream>

int main()
{
    modelarts::testing::emulator cloud;  // holds v1 job 182626
    auto session = modelarts::make_session(modelarts::testing::in_process_transport{cloud},
                                           {.endpoint = cloud.endpoint(), .project_id = cloud.project_id()});
    if (!session) {  // a bad endpoint, project id, credential or retry setting: reported here, once
        std::cerr << "error: " << session.error().message() << '\n';
        return 2;
    }

    modelarts::estimator estimator{*session, "182626"};
    auto result = estimator.update_job_description("update description");

    if (!result) {  // refused before sending, transport failure, or an answer that makes no sense
        std::cerr << "error: " << result.error().message() << '\n';
        return 2;
    }
    std::cout << *result << '\n';  // {"is_success":true}
    return result->is_success ? 0 : 1;
}
