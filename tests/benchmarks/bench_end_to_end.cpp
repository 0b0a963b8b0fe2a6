// One client of the end-to-end benchmark: N sequential updates (or N spread over 64 in flight)
// with a 64-character description, over loopback with keep-alive, to a server answering
// `{"is_success": true}`. Prints one line: `<client> <auth> <n> <seconds> <microseconds per call>`.
// end_to_end.py starts nginx, pins, interleaves the clients and prints medians and ratios.
//
//   bench_end_to_end --port P --client raw|libcurl|curl|httplib|beast|beast64|{curl,httplib}8{shared,separate}
//                    [--auth token|aksk] [--n N]
//
// The two floors: `raw`, one blocking socket with TCP_NODELAY writing a prebuilt request in one
// write and reading until Content-Length; `libcurl`, bare libcurl with one reused handle.
#include "modelarts/asio.hpp"
#include "modelarts/modelarts.hpp"
#include "modelarts/transports/beast.hpp"
#include "modelarts/transports/curl.hpp"
#include "modelarts/transports/httplib.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <curl/curl.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

const std::string description(64, 'd');
const std::string project = "0123456789abcdef0123456789abcdef";
const std::string token = "MIIbench-token-0123456789abcdef0123456789abcdef0123456789abcdef";

struct config {
    unsigned port = 0;
    std::string client;
    std::string auth = "token";
    int n = 1000;
};

// Set by each client once it is set up (handles, TLS contexts, sessions), just before its first
// call: the figures are the calls' own, connecting included.
std::chrono::steady_clock::time_point started;
void start_clock() { started = std::chrono::steady_clock::now(); }

[[noreturn]] void fail(std::string_view what)
{
    std::cerr << "bench_end_to_end: " << what << '\n';
    std::exit(2);
}

modelarts::session_options options(const config& c)
{
    modelarts::session_options o{.endpoint = "http://127.0.0.1:" + std::to_string(c.port), .project_id = project};
    if (c.auth == "aksk")
        o.auth = modelarts::aksk_credentials{"QTWAOYTTINDUT2QVKYUC", "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc"};
    else
        o.auth = modelarts::token_credentials{token};
    return o;
}

// The request every floor sends: what the library sends with a token.
std::string prebuilt_request(const config& c)
{
    const std::string body = R"({"job_desc":")" + description + "\"}";
    return "PUT /v1/" + project + "/training-jobs/182626 HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(c.port)
         + "\r\nContent-Type: application/json\r\nX-Project-Id: " + project + "\r\nContent-Length: "
         + std::to_string(body.size()) + "\r\nX-Auth-Token: " + token + "\r\n\r\n" + body;
}

void run_raw(const config& c)
{
    start_clock();
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(c.port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) fail("cannot connect");
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    const std::string req = prebuilt_request(c);
    char buf[4096];
    for (int i = 0; i < c.n; ++i) {
        if (::write(fd, req.data(), req.size()) != static_cast<ssize_t>(req.size())) fail("short write");
        std::size_t have = 0, need = 0;
        for (;;) {  // read the head, then the body up to Content-Length
            ssize_t got = ::read(fd, buf + have, sizeof buf - have);
            if (got <= 0) fail("read");
            have += static_cast<std::size_t>(got);
            std::string_view s(buf, have);
            auto end = s.find("\r\n\r\n");
            if (end == std::string_view::npos) continue;
            if (!need) {
                auto at = s.find("Content-Length: ");
                if (at == std::string_view::npos) fail("no Content-Length");
                need = end + 4 + std::strtoul(buf + at + 16, nullptr, 10);
            }
            if (have >= need) break;
        }
        if (std::memcmp(buf, "HTTP/1.1 200", 12) != 0) fail("not 200");
    }
    ::close(fd);
}

std::size_t discard(char*, std::size_t size, std::size_t n, void*) { return size * n; }

void run_libcurl(const config& c)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURL* h = curl_easy_init();
    const std::string url = "http://127.0.0.1:" + std::to_string(c.port) + "/v1/" + project + "/training-jobs/182626";
    const std::string body = R"({"job_desc":")" + description + "\"}";
    curl_slist* headers = nullptr;
    headers = curl_slist_append(headers, "Content-Type: application/json");
    headers = curl_slist_append(headers, ("X-Project-Id: " + project).c_str());
    headers = curl_slist_append(headers, ("X-Auth-Token: " + token).c_str());
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "PUT");
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &discard);
    start_clock();
    for (int i = 0; i < c.n; ++i) {
        if (curl_easy_perform(h) != CURLE_OK) fail("curl_easy_perform");
        long status = 0;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        if (status != 200) fail("not 200");
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(h);
}

template <class Transport>
void run_sync(const config& c, Transport transport)
{
    auto session = modelarts::make_session(std::move(transport), options(c));
    if (!session) fail(session.error().message());
    modelarts::estimator est{*session, "182626"};
    start_clock();
    for (int i = 0; i < c.n; ++i) {
        auto r = est.update_job_description(description);
        if (!r || !r->is_success) fail(r ? "not a success" : r.error().message());
    }
}

// 8 threads share `n` updates between them, through one session or through a session each (made
// before the clock starts): what sharing a session costs, or saves, under concurrency.
template <class Transport>
void run_threads(const config& c, bool shared)
{
    constexpr int threads = 8;
    std::vector<modelarts::session<Transport>> sessions;
    for (int t = 0; t < (shared ? 1 : threads); ++t) {
        auto s = modelarts::make_session(Transport{}, options(c));
        if (!s) fail(s.error().message());
        sessions.push_back(std::move(*s));
    }
    std::atomic<int> left{c.n};
    std::vector<std::thread> pool;
    start_clock();
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&, t] {
            modelarts::estimator est{sessions[shared ? 0 : static_cast<std::size_t>(t)], "182626"};
            while (left.fetch_sub(1) > 0) {
                auto r = est.update_job_description(description);
                if (!r || !r->is_success) fail(r ? "not a success" : r.error().message());
            }
        });
    for (auto& th : pool) th.join();
}

// `in_flight` coroutines on one thread share one session and `n` updates between them.
void run_beast(const config& c, int in_flight)
{
    boost::asio::io_context io;
    auto session = modelarts::make_session(modelarts::beast_transport(io.get_executor()), options(c));
    if (!session) fail(session.error().message());
    modelarts::estimator est{*session, "182626"};
    int left = c.n;
    for (int k = 0; k < in_flight; ++k)
        boost::asio::co_spawn(io, [&]() -> boost::asio::awaitable<void> {
            while (left > 0) {
                --left;
                auto r = co_await est.async_update_job_description(description, boost::asio::use_awaitable);
                if (!r || !r->is_success) fail(r ? "not a success" : r.error().message());
            }
        }, boost::asio::detached);
    start_clock();
    io.run();
}

} // namespace

int main(int argc, char** argv)
{
    config c;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string_view flag = argv[i], value = argv[i + 1];
        if (flag == "--port") c.port = static_cast<unsigned>(std::atoi(argv[i + 1]));
        else if (flag == "--client") c.client = value;
        else if (flag == "--auth") c.auth = value;
        else if (flag == "--n") c.n = std::atoi(argv[i + 1]);
        else fail("unknown flag " + std::string(flag));
    }
    if (!c.port || c.n <= 0 || (c.auth != "token" && c.auth != "aksk")) fail("usage: --port P --client C [--auth token|aksk] [--n N]");

    if (c.client == "raw") run_raw(c);
    else if (c.client == "libcurl") run_libcurl(c);
    else if (c.client == "curl") run_sync(c, modelarts::curl_transport{});
    else if (c.client == "httplib") run_sync(c, modelarts::httplib_transport{});
    else if (c.client == "curl8shared") run_threads<modelarts::curl_transport>(c, true);
    else if (c.client == "curl8separate") run_threads<modelarts::curl_transport>(c, false);
    else if (c.client == "httplib8shared") run_threads<modelarts::httplib_transport>(c, true);
    else if (c.client == "httplib8separate") run_threads<modelarts::httplib_transport>(c, false);
    else if (c.client == "beast") run_beast(c, 1);
    else if (c.client == "beast64") run_beast(c, 64);
    else fail("unknown client " + c.client);
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    std::printf("%s %s %d %.6f %.3f\n", c.client.c_str(), c.auth.c_str(), c.n, took.count(), took.count() * 1e6 / c.n);
}
