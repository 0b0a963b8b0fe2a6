// Two translation units include every header; linking them proves nothing is defined twice.
#include "modelarts/modelarts.hpp"
#include "modelarts/testing/emulator.hpp"

#include <doctest/doctest.h>

std::string odr_b_update(const std::string& description);

TEST_CASE("every header links into two translation units of one program")
{
    CHECK(odr_b_update("from b") == "from b");
    CHECK(boost::system::error_code(modelarts::error::invalid_job_id).category() == modelarts::error_category());
    modelarts::testing::emulator em;
    auto s = modelarts::make_session(modelarts::testing::in_process_transport{em}, {.endpoint = em.endpoint(), .project_id = em.project_id()});
    REQUIRE(s.has_value());
    CHECK(modelarts::estimator{*s, "182626"}.update_job_description("from a")->is_success);
}
