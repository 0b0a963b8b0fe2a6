/**
 * @file transports/curl.hpp
 * `modelarts::curl_transport`: a `timed_sync_transport` over libcurl (link `-lcurl`; Debian
 * `libcurl4-openssl-dev`). Optional: `modelarts.hpp` never includes it.
 *
 * A pool of easy handles, each set up once and reused, so connections are kept alive between
 * calls, with `TCP_NODELAY`; safe for concurrent calls. For https, peer and host verification are always on. Proxies come from the
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
#include <atomic>
#include <charconv>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace modelarts {

/**
 * A sync transport over libcurl: safe for concurrent use. Each call takes an idle easy handle from
 * the transport's pool, or makes one, and gives it back after: calls never wait for each other's
 * I/O, and each handle keeps its connections alive for the calls after. The handles share one
 * `CURLSH` for DNS and TLS sessions; not connections, which libcurl does not support sharing
 * between concurrent threads. The pool grows to the most calls ever in flight at once.
 */
class curl_transport {
public:
    using options = transport_options;  ///< its settings, as every shipped transport's

    /** @param opts timeouts and the CA bundle */
    explicit curl_transport(options opts = {}) : shared_(std::make_unique<shared>(std::move(opts))) {}

    /**
     * @param req the request
     * @return the response, whatever its status, or the transport error
     */
    [[nodiscard]] modelarts::result<http_response> send(const http_request& req) { return send(req, shared_->settings.timeout); }

    /**
     * As above, allowing the whole exchange at most `timeout` (and never more than the options').
     * @param req the request
     * @param timeout the time allowed
     * @return the response, whatever its status, or the transport error
     */
    [[nodiscard]] modelarts::result<http_response> send(const http_request& req, std::chrono::milliseconds timeout)
    {
        std::unique_ptr<handle> h = shared_->take();
        if (!h || !h->easy) return error::transport_failure;
        auto outcome = h->perform(req, detail::exchange_timeout(timeout, shared_->settings.timeout), shared_->settings);
        long opened = 0;
        curl_easy_getinfo(h->easy.get(), CURLINFO_NUM_CONNECTS, &opened);
        shared_->opened.fetch_add(static_cast<std::size_t>(opened), std::memory_order_relaxed);
        shared_->give_back(std::move(h));
        return outcome;
    }

    /** @return connections opened so far, by all calls (a reused connection is not counted again) */
    std::size_t connections_opened() const noexcept { return shared_->opened.load(std::memory_order_relaxed); }

    /** @return easy handles made so far: the most calls that were ever in flight at once */
    std::size_t handles() const
    {
        std::lock_guard lock(shared_->pool_mutex);
        return shared_->made;
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

    // One easy handle, used by one call at a time, and what its calls reuse: the URL and the
    // header list it holds.
    struct handle {
        std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_list{nullptr, curl_slist_free_all};  // outlives easy, which holds it
        std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> easy{nullptr, curl_easy_cleanup};
        endpoint url_destination;  // the URL the handle holds
        std::string url_target;
        std::string url_host;      // the Host header curl sends for that URL
        std::string list_lines;    // header_list's lines, each ended by '\0'
        std::string lines;         // the lines a call asks for, in the same form; reused
        std::vector<std::size_t> line_starts;  // where each of them starts (a value may hold a '\0'); reused

        handle(const options& o, CURLSH* share)
        {
            easy.reset(curl_easy_init());
            CURL* h = easy.get();
            if (!h) return;
            curl_easy_setopt(h, CURLOPT_SHARE, share);  // may be null: then nothing is shared
            curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
            curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
            curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
            curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
            curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
            curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
            if (!o.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, o.ca_file.c_str());
            curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &on_body);
            curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &on_header);
        }

        modelarts::result<http_response> perform(const http_request& req, std::chrono::milliseconds timeout, const options& o)
        {
            CURL* h = easy.get();
            exchange x{&o.limits, {}};
            http_response& res = x.response;
            if (req.destination() != url_destination || req.target() != url_target) {  // curl copies the URL: set it on change only
                url_destination = req.destination();
                url_target.assign(req.target());
                url_host = req.destination().host_header();
                curl_easy_setopt(h, CURLOPT_URL, req.url().c_str());
            }
            if (!set_header_list(req)) return error::transport_failure;
            const auto connect_timeout = detail::exchange_timeout(timeout, o.connect_timeout);
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

        // Hands curl the request's header lines. A session sends the same lines call after call
        // (with a token: the same project, token and content type), so the list curl holds is
        // built again only when they change.
        bool set_header_list(const http_request& req)
        {
            char length[24];
            const std::string_view body_length(length, static_cast<std::size_t>(
                                                           std::to_chars(length, length + sizeof length, req.body().size()).ptr - length));
            lines.clear();
            line_starts.clear();
            for (const auto& f : req.headers) {
                // curl writes the same Host and Content-Length itself, from the URL and the body;
                // given them, it would parse them again on every call.
                if ((detail::iequals(f.name, "Host") && f.value == url_host)
                    || (detail::iequals(f.name, "Content-Length") && f.value == body_length && req.method != http_method::get))
                    continue;
                line_starts.push_back(lines.size());
                lines.append(f.name).append(": ").append(f.value).push_back('\0');
            }
            line_starts.push_back(lines.size());
            lines.append("Expect:").push_back('\0');  // no 100-continue round trip
            if (header_list && lines == list_lines) return true;

            curl_easy_setopt(easy.get(), CURLOPT_HTTPHEADER, static_cast<curl_slist*>(nullptr));  // curl lets go of the old list
            header_list.reset();                                                                   // before it is freed
            curl_slist* list = nullptr;
            for (const std::size_t at : line_starts) {
                curl_slist* head = curl_slist_append(list, lines.c_str() + at);  // copies the line, up to a '\0'
                if (!head) {
                    curl_slist_free_all(list);
                    return false;
                }
                list = head;
            }
            header_list.reset(list);
            list_lines.swap(lines);
            curl_easy_setopt(easy.get(), CURLOPT_HTTPHEADER, list);
            return true;
        }
    };

    // What every handle of a transport shares, at a stable address (curl's lock callbacks hold it),
    // so that the transport itself can move.
    struct shared {
        transport_options settings;
        std::unique_ptr<CURLSH, decltype(&curl_share_cleanup)> share{nullptr, curl_share_cleanup};
        std::mutex locks[CURL_LOCK_DATA_LAST];  // one per kind of data, as libcurl asks
        mutable std::mutex pool_mutex;
        std::vector<std::unique_ptr<handle>> idle;  // handles no call holds; destroyed before `share`
        std::size_t made = 0;
        std::atomic<std::size_t> opened{0};

        explicit shared(transport_options o) : settings(std::move(o))
        {
            static const global_init init;  // curl_global_init once, before the first handle
            (void)init;
            share.reset(curl_share_init());
            if (CURLSH* sh = share.get()) {
                curl_share_setopt(sh, CURLSHOPT_LOCKFUNC, &lock_data);
                curl_share_setopt(sh, CURLSHOPT_UNLOCKFUNC, &unlock_data);
                curl_share_setopt(sh, CURLSHOPT_USERDATA, this);
                curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
                curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
            }
        }
        ~shared() { idle.clear(); }  // every handle lets go of the share before it is cleaned up

        std::unique_ptr<handle> take()
        {
            {
                std::lock_guard lock(pool_mutex);
                if (!idle.empty()) {
                    auto h = std::move(idle.back());
                    idle.pop_back();
                    return h;
                }
                ++made;
            }
            return std::make_unique<handle>(settings, share.get());  // made outside the lock: it loads no CA yet, but allocates
        }

        void give_back(std::unique_ptr<handle> h)
        {
            std::lock_guard lock(pool_mutex);
            idle.push_back(std::move(h));
        }

        static void lock_data(CURL*, curl_lock_data data, curl_lock_access, void* self)
        {
            static_cast<shared*>(self)->locks[data].lock();
        }
        static void unlock_data(CURL*, curl_lock_data data, void* self) { static_cast<shared*>(self)->locks[data].unlock(); }
    };

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

    std::unique_ptr<shared> shared_;
};

} // namespace modelarts

#endif
