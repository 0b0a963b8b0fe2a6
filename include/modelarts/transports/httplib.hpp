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
#include <iterator>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace modelarts {

namespace detail {

// Stops exchanges that outlive their deadlines: cpp-httplib bounds each read and write, not the
// whole exchange. One thread per transport, started at its first timed exchange, for every call
// in flight; it sleeps until the soonest deadline armed, and arming wakes it only when the new
// deadline comes sooner, so calls in a row cost a lock each, not a wake-up.
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

    // From now until `disarm(ticket)`, `client` is stopped if `deadline` passes.
    // @return the ticket
    std::uint64_t arm(httplib::Client& client, std::chrono::steady_clock::time_point deadline)
    {
        std::lock_guard lock(mutex_);
        const std::uint64_t ticket = ++tickets_;
        armed_.push_back({ticket, &client, deadline, false});
        if (!thread_.joinable()) thread_ = std::thread([this] { watch(); });
        else if (deadline < sleeping_until_) wake_.notify_one();
        return ticket;
    }

    // @return true when the deadline passed and the exchange was stopped
    bool disarm(std::uint64_t ticket)
    {
        std::lock_guard lock(mutex_);
        const auto it = std::find_if(armed_.begin(), armed_.end(), [&](const entry& e) { return e.ticket == ticket; });
        if (it == armed_.end()) return false;
        const bool fired = it->fired;
        *it = armed_.back();
        armed_.pop_back();
        return fired;
    }

private:
    struct entry {
        std::uint64_t ticket;
        httplib::Client* client;
        std::chrono::steady_clock::time_point deadline;
        bool fired;
    };

    void watch()
    {
        std::unique_lock lock(mutex_);
        while (!stopping_) {
            const auto now = std::chrono::steady_clock::now();
            sleeping_until_ = std::chrono::steady_clock::time_point::max();
            for (entry& e : armed_) {
                if (e.fired) continue;
                if (now >= e.deadline) {
                    e.fired = true;
                    e.client->stop();  // shuts the socket: the blocked read or write returns at once
                } else {
                    sleeping_until_ = std::min(sleeping_until_, e.deadline);
                }
            }
            if (sleeping_until_ != std::chrono::steady_clock::time_point::max()) wake_.wait_until(lock, sleeping_until_);
            else wake_.wait(lock);
        }
    }

    std::mutex mutex_;
    std::condition_variable wake_;
    std::vector<entry> armed_;  // the exchanges in flight with a deadline: a few, one per call
    std::uint64_t tickets_ = 0;
    std::chrono::steady_clock::time_point sleeping_until_ = std::chrono::steady_clock::time_point::max();
    bool stopping_ = false;
    std::thread thread_;
};

} // namespace detail

/**
 * A sync transport over cpp-httplib: safe for concurrent use. Each call takes an idle client for
 * its endpoint from the transport's pool, or makes one, and gives it back after: calls never wait
 * for each other's I/O, and each client keeps its connection alive for the calls after. The pool
 * grows to the most calls ever in flight at once.
 *
 * Answer limits: the body is counted as it arrives; the headers once cpp-httplib has read them all
 * (it caps each line at 8 KiB but not their number, so a hostile head is bounded by the timeout,
 * not by `response_limits`).
 */
class httplib_transport {
public:
    using options = transport_options;  ///< its settings, as every shipped transport's

    /** @param opts timeouts, CA bundle and limits */
    explicit httplib_transport(options opts = {}) : shared_(std::make_unique<shared>(std::move(opts))) {}

    /**
     * @param req the request
     * @return the response, whatever its status, or the transport error
     */
    [[nodiscard]] modelarts::result<http_response> send(const http_request& req) { return send(req, shared_->settings.timeout); }

    /**
     * As above, allowing the whole exchange at most `timeout` (and never more than the options'):
     * each read and write is bounded by what is left, and a watchdog stops the exchange at the deadline.
     * @param req the request
     * @param timeout the time allowed
     * @return the response, whatever its status, or the transport error
     */
    [[nodiscard]] modelarts::result<http_response> send(const http_request& req, std::chrono::milliseconds timeout)
    {
        pooled_client taken = shared_->take(req.destination());
        auto outcome = exchange(*taken.client, req, timeout);
        shared_->give_back(std::move(taken));
        return outcome;
    }

    /** @return clients made so far: the most calls that were ever in flight at once, per endpoint */
    std::size_t clients() const
    {
        std::lock_guard lock(shared_->mutex);
        return shared_->made;
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
    struct pooled_client {
        std::string url;
        std::unique_ptr<httplib::Client> client;
    };

    // What every call of a transport shares, at a stable address, so that the transport can move.
    struct shared {
        transport_options settings;
        mutable std::mutex mutex;
        std::vector<pooled_client> idle;  // clients no call holds, each kept alive for its endpoint
        std::size_t made = 0;
        detail::exchange_watchdog watchdog;

        explicit shared(transport_options o) : settings(std::move(o)) {}

        pooled_client take(const endpoint& ep)
        {
            std::string url = ep.url();
            {
                std::lock_guard lock(mutex);
                for (auto it = idle.rbegin(); it != idle.rend(); ++it) {
                    if (it->url != url) continue;
                    pooled_client c = std::move(*it);
                    idle.erase(std::next(it).base());
                    return c;
                }
                ++made;
            }
            auto client = std::make_unique<httplib::Client>(url);
            client->set_keep_alive(true);
            client->set_tcp_nodelay(true);
            client->set_follow_location(false);
            client->enable_server_certificate_verification(true);
            if (!settings.ca_file.empty()) client->set_ca_cert_path(settings.ca_file);
            return {std::move(url), std::move(client)};
        }

        void give_back(pooled_client c)
        {
            std::lock_guard lock(mutex);
            idle.push_back(std::move(c));
        }
    };

    // One exchange on a client this call holds.
    modelarts::result<http_response> exchange(httplib::Client& client, const http_request& req, std::chrono::milliseconds timeout)
    {
        const options& options_ = shared_->settings;
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
        const auto ticket = timeout.count() > 0 ? shared_->watchdog.arm(client, start + timeout) : 0;
        httplib::Result r = client.send(out);
        const bool stopped = ticket && shared_->watchdog.disarm(ticket);
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

    std::unique_ptr<shared> shared_;
};

} // namespace modelarts

#endif
