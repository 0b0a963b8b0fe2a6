// A translation unit with no template in its interface: what a codebase compiles once.
#include "modelarts/any_transport.hpp"
#include "modelarts/estimator.hpp"

#include <string_view>

modelarts::result<modelarts::update_result> stamp(const modelarts::estimator<modelarts::any_transport>& est, std::string_view text)
{
    return est.update_job_description(text);
}
