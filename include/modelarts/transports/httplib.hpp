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
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

namespace modelarts {

namespace detail {

// Stops an exchange that outlives its deadline: cpp-httplib bounds each read and write, not the
// whole exchange. One thread per transport, started at its first timed exchange; it sleeps until
// the deadline armed, and arming wakes it only when the new deadline comes sooner, so calls in a
// row cost a lock each, not a wake-up.
class exchange_watchdog {
public:
    exchange_watchdog() = default;
    exchange_watchdog(const exchange_watchdog&) = delete;
    exchange_watchdog& operator=(const exchange_watchdog&) = delete;
    ~exchange_watchdog()
    {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_one();
        if (thread_.joinable()) thread_.join();
    }

    // From now until `disarm`, `client` is stopped if `deadline` passes.
    void arm(httplib::Client& client, std::chrono::steady_clock::time_point deadline)
    {
        std::lock_guard lock(mutex_);
        client_ = &client;
        deadline_ = deadline;
        fired_ = false;
        if (!thread_.joinable()) thread_ = std::thread([this] { watch(); });
        else if (deadline < sleeping_until_) wake_.notify_one();
    }

    // @return true when the deadline passed and the exchange was stopped
    bool disarm()
    {
        std::lock_guard lock(mutex_);
        client_ = nullptr;
        return fired_;
    }

private:
    void watch()
    {
        std::unique_lock lock(mutex_);
        while (!stopping_) {
            if (client_ && std::chrono::steady_clock::now() >= deadline_) {
                fired_ = true;
                client_->stop();  // shuts the socket: the blocked read or write returns at once
                client_ = nullptr;
            }
            sleeping_until_ = client_ ? deadline_ : std::chrono::steady_clock::time_point::max();
            if (client_) wake_.wait_until(lock, sleeping_until_);
            else wake_.wait(lock);
        }
    }

    std::mutex mutex_;
    std::condition_variable wake_;
    httplib::Client* client_ = nullptr;  // armed: the exchange's client
    std::chrono::steady_clock::time_point deadline_{};
    std::chrono::steady_clock::time_point sleeping_until_ = std::chrono::steady_clock::time_point::max();
    bool fired_ = false;
    bool stopping_ = false;
    std::thread thread_;
};

} // namespace detail

/**
 * A sync transport over cpp-httplib. Not safe for concurrent use.
 *
 * Answer limits: the body is counted as it arrives; the headers once cpp-httplib has read them all
 * (it caps each line at 8 KiB but not their number, so a hostile head is bounded by the timeout,
 * not by `response_limits`).
 */
class httplib_transport {
public:
    using options = transport_options;  ///< its settings, as every shipped transport's

    /** @param opts timeouts, CA bundle and limits */
    explicit httplib_transport(options opts = {}) : options_(std::move(opts)) {}

    /**
     * @param req the request
     * @return the response, whatever its status, or the transport error
     */
    [[nodiscard]] modelarts::result<http_response> send(const http_request& req) { return send(req, options_.timeout); }

    /**
     * As above, allowing the whole exchange at most `timeout` (and never more than the options'):
     * each read and write is bounded by what is left, and a watchdog stops the exchange at the deadline.
     * @param req the request
     * @param timeout the time allowed
     * @return the response, whatever its status, or the transport error
     */
    [[nodiscard]] modelarts::result<http_response> send(const http_request& req, std::chrono::milliseconds timeout)
    {
        httplib::Client& client = client_for(req.destination());
        timeout = detail::exchange_timeout(timeout, options_.timeout);
        // cpp-httplib has no "no limit": a day stands for it.
        const auto io_timeout = timeout.count() > 0 ? timeout : std::chrono::milliseconds(std::chrono::hours(24));
        client.set_connection_timeout(detail::exchange_timeout(io_timeout, options_.connect_timeout));
        client.set_read_timeout(io_timeout);
        client.set_write_timeout(io_timeout);
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
        if (timeout.count() > 0) watchdog_->arm(client, start + timeout);
        httplib::Result r = client.send(out);
        const bool stopped = timeout.count() > 0 && watchdog_->disarm();
        if (too_large) {
            client.stop();  // the rest of the answer is never read: the connection cannot be reused
            return error::response_too_large;
        }
        if (!r) {
            // cpp-httplib reports a read timeout as a plain read error: tell them apart by the clock.
            if (stopped || (r.error() == httplib::Error::Read && std::chrono::steady_clock::now() - start >= io_timeout))
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
    std::unique_ptr<detail::exchange_watchdog> watchdog_ = std::make_unique<detail::exchange_watchdog>();
};

} // namespace modelarts

#endif
