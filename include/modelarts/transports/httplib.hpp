/**
 * @file transports/httplib.hpp
 * `modelarts::httplib_transport`: a `timed_sync_transport` over cpp-httplib (Debian
 * `libcpp-httplib-dev`). Optional: `modelarts.hpp` never includes it.
 *
 * One client per endpoint, kept alive between calls, with `TCP_NODELAY` (cpp-httplib's default
 * is off, and Nagle's algorithm with delayed ACKs then stalls every call by about 40 ms); for
 * https, peer and host verification are on.
 */
#ifndef MODELARTS_TRANSPORTS_HTTPLIB_HPP
#define MODELARTS_TRANSPORTS_HTTPLIB_HPP

#include "modelarts/error.hpp"
#include "modelarts/http.hpp"
#include "modelarts/transport.hpp"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>

namespace modelarts {

/** Settings of `httplib_transport`. */
struct httplib_transport_options {
    std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
    std::chrono::milliseconds read_timeout{std::chrono::seconds(60)};
    std::string ca_file = {};  ///< PEM bundle to trust instead of the system's (empty: the system's)
    /**
     * How much of an answer to read before `error::response_too_large`. The body is counted as it
     * arrives; the headers once cpp-httplib has read them all (it caps each line at 8 KiB but not
     * their number, so a hostile head is bounded by the read timeout, not by these limits).
     */
    response_limits limits = {};
};

/** A sync transport over cpp-httplib. Not safe for concurrent use. */
class httplib_transport {
public:
    using options = httplib_transport_options;  ///< its settings

    /** @param opts timeouts and the CA bundle */
    explicit httplib_transport(options opts = {}) : options_(std::move(opts)) {}

    /**
     * @param req the request
     * @return the response, whatever its status, or the transport error
     */
    [[nodiscard]] modelarts::result<http_response> send(const http_request& req) { return send(req, options_.read_timeout); }

    /** As above, allowing connect, write and read at most `timeout` each (and never more than the options'). */
    [[nodiscard]] modelarts::result<http_response> send(const http_request& req, std::chrono::milliseconds timeout)
    {
        httplib::Client& client = client_for(req.destination());
        const auto read_timeout = std::min(timeout, options_.read_timeout);
        client.set_connection_timeout(std::min(timeout, options_.connect_timeout));
        client.set_read_timeout(read_timeout);
        client.set_write_timeout(read_timeout);
        httplib::Request out;
        out.method = std::string(to_string(req.method));
        out.path = req.target();
        for (const auto& h : req.headers) out.headers.emplace(h.name, h.value);
        out.body = req.body();
        http_response res;
        bool too_large = false;
        const response_limits& limits = options_.limits;
        out.response_handler = [&](const httplib::Response& head) {
            std::size_t bytes = 0;
            for (const auto& [name, value] : head.headers) bytes += name.size() + value.size() + 4;
            return !(too_large = head.headers.size() > limits.max_header_count || bytes > limits.max_header_bytes);
        };
        out.content_receiver = [&](const char* data, std::size_t n, std::uint64_t, std::uint64_t) {
            if (n > limits.max_body_bytes - res.body.size()) return !(too_large = true);
            res.body.append(data, n);
            return true;
        };

        const auto start = std::chrono::steady_clock::now();
        httplib::Result r = client.send(out);
        if (too_large) {
            client.stop();  // the rest of the answer is never read: the connection cannot be reused
            return error::response_too_large;
        }
        if (!r) {
            // cpp-httplib reports a read timeout as a plain read error: tell them apart by the clock.
            if (r.error() == httplib::Error::Read && std::chrono::steady_clock::now() - start >= read_timeout)
                return error::timeout;
            return to_error(r.error());
        }
        res.status = static_cast<unsigned>(r->status);
        for (const auto& [name, value] : r->headers) res.headers.add(name, value);
        return res;
    }

    /** Maps cpp-httplib's errors to the library's transport errors. */
    static boost::system::error_code to_error(httplib::Error e)
    {
        switch (e) {
        case httplib::Error::Connection: return error::connection_refused;  // also unresolvable hosts
        case httplib::Error::ConnectionTimeout: return error::timeout;
        case httplib::Error::Read:
        case httplib::Error::Write: return error::connection_reset;
        case httplib::Error::SSLConnection:
        case httplib::Error::SSLLoadingCerts:
        case httplib::Error::SSLServerVerification: return error::tls_failure;
        default: return error::transport_failure;
        }
    }

private:
    httplib::Client& client_for(const endpoint& ep)
    {
        if (client_ && client_url_ == ep.url()) return *client_;
        client_url_ = ep.url();
        client_ = std::make_unique<httplib::Client>(client_url_);
        client_->set_keep_alive(true);
        client_->set_tcp_nodelay(true);
        client_->set_follow_location(false);
        client_->enable_server_certificate_verification(true);
        if (!options_.ca_file.empty()) client_->set_ca_cert_path(options_.ca_file);
        return *client_;
    }

    options options_;
    std::string client_url_;
    std::unique_ptr<httplib::Client> client_;
};

} // namespace modelarts

#endif
