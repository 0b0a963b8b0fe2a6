// modelarts::examples::curl_transport: a sync_transport over libcurl.
//
// One easy handle, reused, so connections are kept alive between calls. For https, peer and
// host verification are always on. Proxies come from the environment (http_proxy, https_proxy,
// no_proxy) as curl reads them. Redirects are not followed: a 3xx is handed back like any answer.
#ifndef MODELARTS_EXAMPLES_CURL_TRANSPORT_HPP
#define MODELARTS_EXAMPLES_CURL_TRANSPORT_HPP

#include "modelarts/error.hpp"
#include "modelarts/http.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace modelarts::examples {

/// Settings of `curl_transport`.
struct curl_transport_options {
    std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
    std::chrono::milliseconds total_timeout{std::chrono::seconds(60)};  ///< 0: no limit
    std::string ca_file = {};  ///< PEM bundle to trust instead of the system's (empty: the system's)
};

class curl_transport {
public:
    using options = curl_transport_options;

    explicit curl_transport(options opts = {}) : options_(std::move(opts))
    {
        static const global_init init;  // curl_global_init once, before the first handle
        (void)init;
        easy_.reset(curl_easy_init());
    }

    modelarts::result<http_response> send(const http_request& req) { return send(req, options_.total_timeout); }

    /// As above, allowing the whole exchange at most `timeout` (and never more than total_timeout).
    modelarts::result<http_response> send(const http_request& req, std::chrono::milliseconds timeout)
    {
        if (options_.total_timeout.count() > 0) timeout = std::min(timeout, options_.total_timeout);
        CURL* h = easy_.get();
        if (!h) return error::transport_failure;
        curl_easy_reset(h);  // clears options, keeps the connection cache

        http_response res;
        std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(nullptr, curl_slist_free_all);
        auto append = [&](const std::string& line) {
            curl_slist* head = curl_slist_append(headers.get(), line.c_str());
            if (head) (void)headers.release(), headers.reset(head);
            return head != nullptr;
        };
        for (const auto& f : req.headers)
            if (!append(f.name + ": " + f.value)) return error::transport_failure;
        if (!append("Expect:")) return error::transport_failure;  // no 100-continue round trip

        const std::string url = req.url();
        curl_easy_setopt(h, CURLOPT_URL, url.c_str());
        curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
        if (!options_.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, options_.ca_file.c_str());
        const auto connect_timeout = timeout.count() > 0 ? std::min(timeout, options_.connect_timeout) : options_.connect_timeout;
        curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(connect_timeout.count()));
        curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
        switch (req.method) {
        case http_method::get: curl_easy_setopt(h, CURLOPT_HTTPGET, 1L); break;
        case http_method::put: curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "PUT"); [[fallthrough]];
        case http_method::post:
            curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
            curl_easy_setopt(h, CURLOPT_POSTFIELDS, req.body.data());
            break;
        }
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &on_body);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, &res);
        curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &on_header);
        curl_easy_setopt(h, CURLOPT_HEADERDATA, &res);

        if (CURLcode rc = curl_easy_perform(h); rc != CURLE_OK) return to_error(rc);
        long status = 0;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        res.status = static_cast<unsigned>(status);
        return res;
    }

    /// How many new connections the last call opened (0 when it reused one).
    long last_new_connections() const
    {
        long n = 0;
        curl_easy_getinfo(easy_.get(), CURLINFO_NUM_CONNECTS, &n);
        return n;
    }

    /// Maps curl's result to the library's transport errors.
    static boost::system::error_code to_error(CURLcode rc)
    {
        switch (rc) {
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY: return error::host_not_found;
        case CURLE_COULDNT_CONNECT: return error::connection_refused;
        case CURLE_OPERATION_TIMEDOUT: return error::timeout;
        case CURLE_GOT_NOTHING:
        case CURLE_SEND_ERROR:
        case CURLE_RECV_ERROR:
        case CURLE_PARTIAL_FILE: return error::connection_reset;
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CERTPROBLEM:
        case CURLE_SSL_CIPHER:
        case CURLE_SSL_CACERT_BADFILE:
        case CURLE_SSL_ISSUER_ERROR:
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
        case CURLE_SSL_INVALIDCERTSTATUS: return error::tls_failure;
        default: return error::transport_failure;
        }
    }

private:
    struct global_init {
        global_init() { curl_global_init(CURL_GLOBAL_DEFAULT); }
        ~global_init() { curl_global_cleanup(); }
    };

    static std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user)
    {
        static_cast<http_response*>(user)->body.append(data, size * n);
        return size * n;
    }

    // Called once per header line, status lines included; a new status line (after a 1xx)
    // starts the headers afresh.
    static std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user)
    {
        auto& res = *static_cast<http_response*>(user);
        std::string_view line(data, size * n);
        while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
        if (line.starts_with("HTTP/")) {
            res.headers = {};
        } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
            auto value = line.substr(colon + 1);
            while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
            while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
            res.headers.add(line.substr(0, colon), value);
        }
        return size * n;
    }

    options options_;
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> easy_{nullptr, curl_easy_cleanup};
};

} // namespace modelarts::examples

#endif
