#include "modelarts/modelarts.hpp"
#include "modelarts/testing/emulator.hpp"

#include <string>

std::string odr_b_update(const std::string& description)
{
    modelarts::testing::emulator em;
    auto s = modelarts::make_session(modelarts::testing::in_process_transport{em}, {.endpoint = em.endpoint(), .project_id = em.project_id()});
    if (!s || !modelarts::estimator{*s, "182626"}.update_job_description(description)) return "error";
    return em.description("182626").value_or("missing");
}
