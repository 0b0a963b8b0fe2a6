#include "modelarts/region.hpp"

#include "modelarts/validation.hpp"

#include <doctest/doctest.h>

using namespace modelarts;

TEST_CASE("a region gives its ModelArts endpoint, ap-southeast-1 under .cn")
{
    CHECK(*modelarts_endpoint("cn-north-4") == "https://modelarts.cn-north-4.myhuaweicloud.com");
    CHECK(*modelarts_endpoint("ap-southeast-1") == "https://modelarts.ap-southeast-1.myhuaweicloud.cn");
    CHECK(*modelarts_endpoint("ap-southeast-2") == "https://modelarts.ap-southeast-2.myhuaweicloud.com");
    CHECK(*iam_endpoint("cn-north-4") == "https://iam.cn-north-4.myhuaweicloud.com");
    CHECK(*iam_endpoint("ap-southeast-1") == "https://iam.ap-southeast-1.myhuaweicloud.com");
}

TEST_CASE("every listed region gives endpoints that parse")
{
    for (auto r : modelarts_regions) {
        CAPTURE(std::string(r));
        CHECK(parse_endpoint(*modelarts_endpoint(r)).has_value());
        CHECK(parse_endpoint(*iam_endpoint(r)).has_value());
    }
}

TEST_CASE("an unknown region is an error, not a guess")
{
    for (auto r : {"", "cn-north-5", "CN-NORTH-4", "cn-north-4 ", "cn-north-4.example.com", "eu-west-0"}) {
        CAPTURE(std::string(r));
        CHECK(modelarts_endpoint(r).error() == error::unknown_region);
        CHECK(iam_endpoint(r).error() == error::unknown_region);
    }
}
