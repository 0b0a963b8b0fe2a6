#include "modelarts/http.hpp"

#include <doctest/doctest.h>

#include <sstream>

using namespace modelarts;

TEST_CASE("header lookup ignores case; set replaces, add appends, erase removes all")
{
    http_headers h;
    h.set("Content-Type", "application/json");
    CHECK(h.get("content-type") == "application/json");
    CHECK(h.get("CONTENT-TYPE") == "application/json");
    CHECK(h.contains("Content-type"));
    CHECK_FALSE(h.find("X-Request-Id"));
    CHECK(h.get("X-Request-Id").empty());

    h.add("Set-Cookie", "a=1");
    h.add("set-cookie", "b=2");
    CHECK(h.size() == 3);
    CHECK(h.get("SET-COOKIE") == "a=1");
    h.set("Set-Cookie", "c=3");  // replaces the first, drops the rest
    CHECK(h.size() == 2);
    CHECK(h.get("set-cookie") == "c=3");
    h.erase("SET-COOKIE");
    CHECK(h.size() == 1);
}

TEST_CASE("header order is kept as inserted")
{
    http_headers h{{"B", "2"}, {"A", "1"}};
    h.set("C", "3");
    std::string names;
    for (const auto& f : h) names += f.name;
    CHECK(names == "BAC");
}

TEST_CASE("a printed request masks every secret header's value")
{
    http_request req;
    req.method = http_method::put;
    req.set_target("/v1/p/training-jobs/1");
    req.headers.set("Host", "example.com");
    req.headers.set("X-Auth-Token", "secret-token-1");
    req.headers.set("authorization", "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=abcdef");
    req.headers.set("X-Security-Token", "secret-token-2");
    req.set_body(R"({"job_desc":"x"})");
    std::ostringstream os;
    os << req;
    const std::string text = os.str();
    CHECK(text.find("secret-token") == std::string::npos);
    CHECK(text.find("abcdef") == std::string::npos);
    CHECK(text == "PUT /v1/p/training-jobs/1 HTTP/1.1\r\nHost: example.com\r\nX-Auth-Token: ***\r\n"
                  "authorization: ***\r\nX-Security-Token: ***\r\n\r\n{\"job_desc\":\"x\"}");

    http_response res{201, {{"X-Subject-Token", "secret-token-3"}, {"X-Request-Id", "r1"}}, "{}"};
    std::ostringstream os2;
    os2 << res;
    CHECK(os2.str() == "HTTP/1.1 201\r\nX-Subject-Token: ***\r\nX-Request-Id: r1\r\n\r\n{}");
}

TEST_CASE("requests and responses are plain values")
{
    http_request a;
    a.set_target("/x");
    http_request b = a;
    CHECK(a == b);
    b.headers.set("X", "1");
    CHECK(a != b);
    CHECK(to_string(http_method::get) == "GET");
    CHECK(to_string(http_method::put) == "PUT");
    CHECK(to_string(http_method::post) == "POST");
    a.set_destination({"https", "h.example", 8443});
    CHECK(a.url() == "https://h.example:8443/x");
}

TEST_CASE("a request id is kept inline, and one too long to keep whole is cut visibly")
{
    request_id_string id;
    CHECK(id.empty());
    id.assign("6d6f64656c6172740000000000000001");
    CHECK(id == "6d6f64656c6172740000000000000001");
    CHECK(id.size() == 32);
    CHECK(id.str() == "6d6f64656c6172740000000000000001");

    const std::string exact(request_id_string::max_size, 'a');
    CHECK(request_id_string(exact) == exact);

    const std::string longer = std::string(request_id_string::max_size - 3, 'b') + "cdef";
    const request_id_string cut(longer);
    CHECK(cut.size() == request_id_string::max_size);
    CHECK(cut == std::string(request_id_string::max_size - 3, 'b') + "...");

    std::ostringstream os;
    os << request_id_string("r-1");
    CHECK(os.str() == "r-1");
    CHECK(request_id_string("x") == request_id_string("x"));
    CHECK_FALSE(request_id_string("x") == request_id_string("y"));
}
