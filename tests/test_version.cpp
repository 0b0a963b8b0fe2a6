// The version the library reports is the version meson builds and installs.
#include "modelarts/version.hpp"

#include <doctest/doctest.h>

#include <string>

TEST_CASE("the header's version is the project's, in both forms")
{
    CHECK(std::string(modelarts::version_string) == MODELARTS_PROJECT_VERSION);
    CHECK(std::to_string(MODELARTS_VERSION_MAJOR) + '.' + std::to_string(MODELARTS_VERSION_MINOR) + '.'
              + std::to_string(MODELARTS_VERSION_PATCH)
          == modelarts::version_string);
    static_assert(MODELARTS_VERSION == MODELARTS_VERSION_MAJOR * 100000 + MODELARTS_VERSION_MINOR * 100 + MODELARTS_VERSION_PATCH);
}
