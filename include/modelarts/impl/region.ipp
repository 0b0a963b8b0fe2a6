/**
 * @file impl/region.ipp
 * The definitions of region.hpp: inline in every unit by default, or compiled
 * once with MODELARTS_SEPARATE_COMPILATION (see detail/config.hpp).
 */
#ifndef MODELARTS_IMPL_REGION_IPP
#define MODELARTS_IMPL_REGION_IPP

#include <algorithm>

namespace modelarts {

MODELARTS_DECL bool is_modelarts_region(std::string_view region) noexcept
{
    return std::find(modelarts_regions.begin(), modelarts_regions.end(), region) != modelarts_regions.end();
}

MODELARTS_DECL result<std::string> modelarts_endpoint(std::string_view region)
{
    if (!is_modelarts_region(region)) return error::unknown_region;
    std::string url = "https://modelarts.";
    url.append(region).append(region == "ap-southeast-1" ? ".myhuaweicloud.cn" : ".myhuaweicloud.com");
    return url;
}

MODELARTS_DECL result<std::string> iam_endpoint(std::string_view region)
{
    if (!is_modelarts_region(region)) return error::unknown_region;
    return "https://iam." + std::string(region) + ".myhuaweicloud.com";
}

} // namespace modelarts

#endif
