// Compile cost, core's floor: <boost/json.hpp> and one parse.
#include <boost/json.hpp>

int main()
{
    auto v = boost::json::parse(R"({"is_success":true})");
    return v.at("is_success").as_bool() ? 0 : 1;
}
