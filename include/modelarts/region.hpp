/**
 * @file region.hpp
 * Huawei Cloud regions and their ModelArts and IAM endpoints. An explicit endpoint always wins:
 * these are for when only a region is known (`HUAWEICLOUD_SDK_REGION`).
 */
#ifndef MODELARTS_REGION_HPP
#define MODELARTS_REGION_HPP

#include "modelarts/detail/config.hpp"
#include "modelarts/error.hpp"

#include <array>
#include <string>
#include <string_view>

namespace modelarts {

/** The public regions that offer ModelArts. */
inline constexpr std::array<std::string_view, 22> modelarts_regions = {
    "cn-north-1",     "cn-north-2",     "cn-north-4",     "cn-north-9",     "cn-north-11",    "cn-north-12",
    "cn-south-1",     "cn-east-3",      "cn-east-4",      "cn-southwest-2", "cn-southwest-3", "ap-southeast-1",
    "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "la-south-2",     "la-north-2",     "af-south-1",
    "af-north-1",     "tr-west-1",      "me-east-1",      "sa-brazil-1"};

/**
 * @param region a region name, e.g. "cn-north-4"
 * @return true when ModelArts is offered there
 */
MODELARTS_DECL bool is_modelarts_region(std::string_view region) noexcept;

/**
 * @param region a region with ModelArts
 * @return `https://modelarts.{region}.myhuaweicloud.com` (`.cn` for ap-southeast-1), or
 *         `error::unknown_region`
 */
[[nodiscard]] MODELARTS_DECL result<std::string> modelarts_endpoint(std::string_view region);

/**
 * @param region a region with ModelArts
 * @return `https://iam.{region}.myhuaweicloud.com`, or `error::unknown_region`
 */
[[nodiscard]] MODELARTS_DECL result<std::string> iam_endpoint(std::string_view region);

} // namespace modelarts

#if !defined(MODELARTS_SEPARATE_COMPILATION) || defined(MODELARTS_CORE_SOURCE)
#include "modelarts/impl/region.ipp"
#endif

#endif
