/**
 * @file transports/curl.hpp
 * `modelarts::curl_transport`: a `timed_sync_transport` over libcurl (link `-lcurl`; Debian
 * `libcurl4-openssl-dev`). Optional: `modelarts.hpp` never includes it.
 *
 * One easy handle, set up once and reused, so connections are kept alive between calls, with
 * `TCP_NODELAY`. For https, peer and host verification are always on. Proxies come from the
 * environment (http_proxy, https_proxy, no_proxy) as curl reads them. Redirects are not followed:
 * a 3xx is handed back like any answer.
 */
#ifndef MODELARTS_TRANSPORTS_CURL_HPP
#define MODELARTS_TRANSPORTS_CURL_HPP

#include "modelarts/error.hpp"
#include "modelarts/http.hpp"
#include "modelarts/transport.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace modelarts {

/** A sync transport over one libcurl easy handle. Not safe for concurrent use. */
class curl_transport {
public:
    using options = transport_options;  ///< its settings, as every shipped transport's

    /** @param opts timeouts and the CA bundle */
    explicit curl_transport(options opts = {}) : options_(std::move(opts))
    {
        static const global_init init;  // curl_global_init once, before the first handle
        (void)init;
        easy_.reset(curl_easy_init());
        if (CURL* h = easy_.get()) {  // what every exchange shares, set once
            curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
            curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
            curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
            curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
            curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
            curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
            if (!options_.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, options_.ca_file.c_str());
            curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &on_body);
            curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &on_header);
        }
    }

    /**
     * @param req the request
     * @return the response, whatever its status, or the transport error
     */
    [[nodiscard]] modelarts::result<http_response> send(const http_request& req) { return send(req, options_.timeout); }

    /**
     * As above, allowing the whole exchange at most `timeout` (and never more than the options').
     * @param req the request
     * @param timeout the time allowed
     * @return the response, whatever its status, or the transport error
     */
    [[nodiscard]] modelarts::result<http_response> send(const http_request& req, std::chrono::milliseconds timeout)
    {
        timeout = detail::exchange_timeout(timeout, options_.timeout);
        CURL* h = easy_.get();
        if (!h) return error::transport_failure;

        exchange x{&options_.limits, {}};
        http_response& res = x.response;
        if (req.destination() != url_destination_ || req.target() != url_target_) {  // curl copies the URL: set it on change only
            url_destination_ = req.destination();
            url_target_.assign(req.target());
            url_host_ = req.destination().host_header();
            curl_easy_setopt(h, CURLOPT_URL, req.url().c_str());
        }
        if (!set_header_list(req)) return error::transport_failure;
        const auto connect_timeout = detail::exchange_timeout(timeout, options_.connect_timeout);
        curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(connect_timeout.count()));
        curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
        // Every method-related option is set on every call: the handle keeps the last call's.
        if (req.method == http_method::get) {
            curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
            curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, static_cast<const char*>(nullptr));
        } else {
            curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body().size()));
            curl_easy_setopt(h, CURLOPT_POSTFIELDS, req.body().data());
            curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req.method == http_method::put ? "PUT" : static_cast<const char*>(nullptr));
        }
        curl_easy_setopt(h, CURLOPT_WRITEDATA, &x);
        curl_easy_setopt(h, CURLOPT_HEADERDATA, &x);

        const CURLcode rc = curl_easy_perform(h);
        if (x.too_large) return error::response_too_large;  // curl closes a connection whose answer it left unread
        if (rc != CURLE_OK) return to_error(rc);
        long status = 0;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        res.status = static_cast<unsigned>(status);
        return std::move(res);
    }

    /** @return how many new connections the last call opened (0 when it reused one) */
    long last_new_connections() const
    {
        long n = 0;
        curl_easy_getinfo(easy_.get(), CURLINFO_NUM_CONNECTS, &n);
        return n;
    }

    /**
     * @param rc a libcurl result
     * @return the library's transport error for it
     */
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

    // One exchange's answer, and whether it went over the limits (a callback that returns less
    // than it was given makes libcurl stop the transfer).
    struct exchange {
        const response_limits* limits;
        http_response response;
        std::size_t header_count = 0, header_bytes = 0;
        bool too_large = false;

        // Marks the answer too large; the 0 it returns makes libcurl stop.
        std::size_t refuse() noexcept
        {
            too_large = true;
            return 0;
        }
    };

    // Hands curl the request's header lines. A session sends the same lines call after call (with
    // a token: the same project, token and content type), so the list curl holds is built again
    // only when they change.
    bool set_header_list(const http_request& req)
    {
        char length[24];
        const std::string_view body_length(length, static_cast<std::size_t>(
                                                       std::to_chars(length, length + sizeof length, req.body().size()).ptr - length));
        lines_.clear();
        line_starts_.clear();
        for (const auto& f : req.headers) {
            // curl writes the same Host and Content-Length itself, from the URL and the body; given
            // them, it would parse them again on every call.
            if ((detail::iequals(f.name, "Host") && f.value == url_host_)
                || (detail::iequals(f.name, "Content-Length") && f.value == body_length && req.method != http_method::get))
                continue;
            line_starts_.push_back(lines_.size());
            lines_.append(f.name).append(": ").append(f.value).push_back('\0');
        }
        line_starts_.push_back(lines_.size());
        lines_.append("Expect:").push_back('\0');  // no 100-continue round trip
        if (header_list_ && lines_ == list_lines_) return true;

        curl_easy_setopt(easy_.get(), CURLOPT_HTTPHEADER, static_cast<curl_slist*>(nullptr));  // curl lets go of the old list
        header_list_.reset();                                                                    // before it is freed
        curl_slist* list = nullptr;
        for (const std::size_t at : line_starts_) {
            curl_slist* head = curl_slist_append(list, lines_.c_str() + at);  // copies the line, up to a '\0'
            if (!head) {
                curl_slist_free_all(list);
                return false;
            }
            list = head;
        }
        header_list_.reset(list);
        list_lines_.swap(lines_);
        curl_easy_setopt(easy_.get(), CURLOPT_HTTPHEADER, list);
        return true;
    }

    static std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user)
    {
        auto& x = *static_cast<exchange*>(user);
        if (size * n > x.limits->max_body_bytes - x.response.body.size()) return x.refuse();
        x.response.body.append(data, size * n);
        return size * n;
    }

    // Called once per header line, status lines included; a new status line (after a 1xx)
    // starts the headers afresh.
    static std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user)
    {
        auto& x = *static_cast<exchange*>(user);
        auto& res = x.response;
        std::string_view line(data, size * n);
        x.header_bytes += line.size();
        if (x.header_bytes > x.limits->max_header_bytes) return x.refuse();
        while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
        if (line.starts_with("HTTP/")) {
            res.headers = {};
            res.headers.reserve(8);  // one allocation for a usual answer's fields
            x.header_count = 0;
            x.header_bytes = line.size();
        } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
            if (++x.header_count > x.limits->max_header_count) return x.refuse();
            const auto value = detail::trim(line.substr(colon + 1));
            res.headers.add(line.substr(0, colon), value);
        }
        return size * n;
    }

    options options_;
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_list_{nullptr, curl_slist_free_all};  // outlives easy_, which holds it
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> easy_{nullptr, curl_easy_cleanup};
    endpoint url_destination_;  // the URL the handle holds
    std::string url_target_;
    std::string url_host_;  // the Host header curl sends for that URL
    std::string list_lines_;  // header_list_'s lines, each ended by '\0'
    std::string lines_;       // the lines a call asks for, in the same form; reused
    std::vector<std::size_t> line_starts_;  // where each of them starts (a value may hold a '\0'); reused
};

} // namespace modelarts

#endif
