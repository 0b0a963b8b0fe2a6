/**
 * @file transports/impl/beast.ipp
 * The definitions of `beast_transport` (transports/beast.hpp): inline by default, or compiled
 * once in the unit that defines `MODELARTS_SOURCE` (see detail/config.hpp).
 */
#ifndef MODELARTS_TRANSPORTS_IMPL_BEAST_IPP
#define MODELARTS_TRANSPORTS_IMPL_BEAST_IPP

// Included at the end of transports/beast.hpp, whose declarations it defines.

#include <boost/asio/compose.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/read.hpp>

#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>

namespace modelarts {

namespace detail {

// Beast's parser, writing the answer straight into an `http_response`: no `basic_fields` (a map
// with a node per field) to copy it from, and the field count checked as the fields arrive.
class response_reader final : public boost::beast::http::basic_parser<false> {
public:
    explicit response_reader(const response_limits& limits) : max_header_count_(limits.max_header_count)
    {
        body_limit(limits.max_body_bytes);
        header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(limits.max_header_bytes, UINT32_MAX)));
        response.headers.reserve(8);
    }

    http_response response;  // the answer, once is_done()

private:
    using string_view = boost::beast::string_view;
    using error_code = boost::system::error_code;

    void on_request_impl(boost::beast::http::verb, string_view, string_view, int, error_code&) override {}  // not a request parser
    void on_response_impl(int status, string_view, int, error_code&) override { response.status = status; }
    void on_field_impl(boost::beast::http::field, string_view name, string_view value, error_code& ec) override
    {
        if (response.headers.size() == max_header_count_) {
            ec = error::response_too_large;
            return;
        }
        response.headers.add(name, value);
    }
    void on_header_impl(error_code&) override {}
    void on_body_init_impl(const boost::optional<std::uint64_t>& length, error_code&) override
    {
        if (length) response.body.reserve(static_cast<std::size_t>(*length));  // Beast has held it to the body limit
    }
    std::size_t on_body_impl(string_view bytes, error_code&) override
    {
        response.body.append(bytes.data(), bytes.size());
        return bytes.size();
    }
    void on_chunk_header_impl(std::uint64_t, string_view, error_code&) override {}
    std::size_t on_chunk_body_impl(std::uint64_t, string_view bytes, error_code& ec) override { return on_body_impl(bytes, ec); }
    void on_finish_impl(error_code&) override {}

    std::size_t max_header_count_;
};

} // namespace detail

// One connection and what its exchanges reuse: the read buffer, the head's bytes, the timer. Its
// I/O objects run on a strand of its own, and so does the exchange that holds it (see `start`):
// the deadline's timer may close the socket while the exchange's steps run on other threads.
struct beast_transport::connection {
    using tcp = boost::asio::ip::tcp;

    explicit connection(const executor_type& strand) : socket(strand), resolver(strand), timer(strand) {}

    // Ends whatever is pending on it: the deadline passed.
    void abort() noexcept
    {
        resolver.cancel();
        boost::system::error_code ignored;
        socket.close(ignored);
    }

    endpoint where;
    tcp::socket socket;
    std::optional<boost::asio::ssl::stream<tcp::socket&>> tls;
    tcp::resolver resolver;
    boost::asio::steady_timer timer;
    unsigned deadline_id = 0;  // which exchange the pending timer wait belongs to (read and written on the strand)
    bool timed_out = false;
    std::string head;
    boost::beast::flat_buffer buffer;
    std::optional<detail::response_reader> parser;
};

// One exchange as an Asio composed operation: [resolve, connect, handshake,] write, read.
struct beast_transport::exchange_op {
    using tcp = boost::asio::ip::tcp;

    beast_transport* transport;
    http_request req;
    clock::time_point deadline;
    std::shared_ptr<connection> conn;  // an idle one, or none yet
    executor_type strand;              // where every step runs: the connection's
    enum class stage { start, resolve, connect, handshake, write, read } at = stage::start;
    bool on_strand = false;
    bool reused = false;
    bool replaced = false;
    bool connecting = false;  // the timer holds the connect deadline, not the exchange's

    template <class Self>
    void operator()(Self& self, boost::system::error_code ec = {}, std::size_t = 0)
    {
        switch (at) {
        case stage::start:
            if (!on_strand) {  // the initiating thread may be any: the first step moves to the strand
                on_strand = true;
                return boost::asio::dispatch(std::move(self));
            }
            if (conn) {
                reused = true;
                arm(deadline);
                return write(self);
            }
            return open(self);
        case stage::handshake: return ec ? fail(self, ec) : write(self);
        case stage::write: return ec ? retry_or_fail(self, ec, false) : read(self);
        case stage::read: return ec ? retry_or_fail(self, ec, conn->parser->got_some()) : finish(self);
        default: return fail(self, boost::asio::error::invalid_argument);  // not reached
        }
    }

    template <class Self>
    void operator()(Self& self, boost::system::error_code ec, const tcp::resolver::results_type& found)
    {
        if (ec) return fail(self, ec);
        connect(self, found);
    }

    template <class Self>
    void operator()(Self& self, boost::system::error_code ec, const tcp::endpoint&)
    {
        if (ec) return fail(self, ec);
        boost::system::error_code ignored;  // headers and body leave at once: no Nagle stall
        conn->socket.set_option(tcp::no_delay(true), ignored);
        transport->opened_->fetch_add(1, std::memory_order_relaxed);
        if (req.destination().scheme != "https") return write(self);

        auto context = transport->tls_context();
        if (!context) return fail(self, context.error());
        std::string host = bare_host();
        auto& tls = conn->tls.emplace(conn->socket, **context);
        boost::system::error_code ip_ec;
        boost::asio::ip::make_address(host, ip_ec);
        if (ip_ec && !SSL_set_tlsext_host_name(tls.native_handle(), host.c_str()))  // SNI for names, not addresses
            return fail(self, {static_cast<int>(::ERR_get_error()), boost::asio::error::get_ssl_category()});
        tls.set_verify_callback(boost::asio::ssl::host_name_verification(host));
        at = stage::handshake;
        tls.async_handshake(boost::asio::ssl::stream_base::client, std::move(self));
    }

    std::string bare_host() const
    {
        const std::string& host = req.destination().host;
        return host.size() > 1 && host.front() == '[' ? host.substr(1, host.size() - 2) : host;  // IPv6 literal
    }

    // The deadline's timer. It runs on the transport's executor, as every step does (the handler
    // is relayed: see handler_relay.hpp). A wait left from an earlier exchange on this connection
    // finds another id and does nothing.
    void arm(clock::time_point until)
    {
        conn->timed_out = false;
        const unsigned id = ++conn->deadline_id;
        conn->timer.expires_at(until);
        conn->timer.async_wait([weak = std::weak_ptr<connection>(conn), id](boost::system::error_code ec) {
            auto c = weak.lock();
            if (ec || !c || c->deadline_id != id) return;
            c->timed_out = true;
            c->abort();
        });
    }

    void disarm() noexcept
    {
        ++conn->deadline_id;
        conn->timer.cancel();
    }

    template <class Self>
    void open(Self& self)
    {
        conn = std::make_shared<connection>(strand);
        conn->where = req.destination();
        const auto connect_timeout = transport->options_.connect_timeout;
        connecting = connect_timeout.count() > 0 && clock::now() + connect_timeout < deadline;
        arm(connecting ? clock::now() + connect_timeout : deadline);
        const std::string host = bare_host();
        boost::system::error_code not_an_address;
        auto address = boost::asio::ip::make_address(host, not_an_address);
        if (!not_an_address)  // an address needs no resolver (nor its thread)
            return connect(self, tcp::resolver::results_type::create(tcp::endpoint(address, req.destination().port), host,
                                                                     std::to_string(req.destination().port)));
        at = stage::resolve;
        conn->resolver.async_resolve(host, std::to_string(req.destination().port), std::move(self));
    }

    template <class Self>
    void connect(Self& self, const tcp::resolver::results_type& found)
    {
        at = stage::connect;
        boost::asio::async_connect(conn->socket, found, std::move(self));
    }

    // Head and body in one gather write.
    template <class Self>
    void write(Self& self)
    {
        if (connecting) {  // connected: the rest of the exchange has until its own deadline
            connecting = false;
            arm(deadline);
        }
        std::string& head = conn->head;
        head.clear();
        head.append(to_string(req.method)).append(" ").append(req.target()).append(" HTTP/1.1\r\n");
        for (const auto& f : req.headers) head.append(f.name).append(": ").append(f.value).append("\r\n");
        if (!req.headers.contains("Content-Length") && (!req.body().empty() || req.method != http_method::get))
            head.append("Content-Length: ").append(std::to_string(req.body().size())).append("\r\n");
        head.append("\r\n");
        const std::array<boost::asio::const_buffer, 2> bytes{boost::asio::buffer(head), boost::asio::buffer(req.body().data(), req.body().size())};
        at = stage::write;
        if (conn->tls)
            boost::asio::async_write(*conn->tls, bytes, std::move(self));
        else
            boost::asio::async_write(conn->socket, bytes, std::move(self));
    }

    template <class Self>
    void read(Self& self)
    {
        conn->parser.emplace(transport->options_.limits);
        at = stage::read;
        if (conn->tls)
            boost::beast::http::async_read(*conn->tls, conn->buffer, *conn->parser, std::move(self));
        else
            boost::beast::http::async_read(conn->socket, conn->buffer, *conn->parser, std::move(self));
    }

    // A kept connection the server has since closed fails before any answer: one fresh try.
    template <class Self>
    void retry_or_fail(Self& self, boost::system::error_code ec, bool got_some)
    {
        if (!reused || replaced || got_some || conn->timed_out || ec == boost::asio::error::operation_aborted)
            return fail(self, ec);
        replaced = true;
        disarm();
        open(self);
    }

    template <class Self>
    void fail(Self& self, boost::system::error_code ec)
    {
        ec = to_error(ec);
        if (conn) {
            if (conn->timed_out) ec = error::timeout;
            disarm();
            conn.reset();  // half an exchange: never reused
        }
        self.complete(ec, {});
    }

    template <class Self>
    void finish(Self& self)
    {
        http_response res = std::move(conn->parser->response);
        const bool keep = conn->parser->keep_alive();
        conn->parser.reset();
        disarm();
        if (keep) transport->give_back(std::move(conn));
        conn.reset();
        self.complete({}, std::move(res));
    }
};

MODELARTS_DECL beast_transport::beast_transport(executor_type ex, options opts)
    : executor_(std::move(ex)), options_(std::move(opts))
{
}

MODELARTS_DECL beast_transport::beast_transport(beast_transport&&) noexcept = default;
MODELARTS_DECL beast_transport& beast_transport::operator=(beast_transport&&) noexcept = default;
MODELARTS_DECL beast_transport::~beast_transport() = default;

MODELARTS_DECL void beast_transport::start(http_request req, clock::time_point deadline, detail::handler_relay relay)
{
    auto conn = take_idle(req.destination());
    executor_type strand = conn ? conn->socket.get_executor() : executor_type(boost::asio::make_strand(executor_));
    relay.executor = strand;  // every step runs on the connection's strand, and the result is dispatched from it
    relay.in_place = false;
    boost::asio::async_compose<detail::handler_relay, void(boost::system::error_code, http_response)>(
        exchange_op{this, std::move(req), deadline, std::move(conn), strand}, relay, strand);
}

MODELARTS_DECL void beast_transport::give_back(std::shared_ptr<connection> conn)
{
    std::lock_guard lock(*mutex_);
    idle_.push_back(std::move(conn));
}

MODELARTS_DECL std::shared_ptr<beast_transport::connection> beast_transport::take_idle(const endpoint& where)
{
    std::lock_guard lock(*mutex_);
    for (auto it = idle_.begin(); it != idle_.end(); ++it) {
        if ((*it)->where != where) continue;
        auto c = std::move(*it);
        idle_.erase(it);
        return c;
    }
    return nullptr;
}

// The TLS context, made once, at the first https connection.
MODELARTS_DECL boost::system::result<boost::asio::ssl::context*> beast_transport::tls_context()
{
    std::lock_guard lock(*mutex_);
    if (tls_) return tls_.get();
    boost::asio::ssl::context context{boost::asio::ssl::context::tls_client};
    boost::system::error_code ec;
    context.set_verify_mode(boost::asio::ssl::verify_peer, ec);
    if (!ec) {
        if (options_.ca_file.empty())
            context.set_default_verify_paths(ec);
        else
            context.load_verify_file(options_.ca_file, ec);
    }
    if (ec) return make_error_code(error::tls_failure);  // e.g. an unreadable CA bundle (ENOENT)
    tls_ = std::make_unique<boost::asio::ssl::context>(std::move(context));
    return tls_.get();
}

MODELARTS_DECL boost::system::error_code beast_transport::to_error(const boost::system::error_code& ec)
{
    namespace asio_error = boost::asio::error;
    if (ec == asio_error::operation_aborted) return ec;  // cancelled: not a failure of the exchange
    if (ec.category() == error_category()) return ec;   // already the library's
    if (ec == boost::beast::http::error::body_limit || ec == boost::beast::http::error::header_limit)
        return error::response_too_large;
    if (ec == asio_error::connection_refused) return error::connection_refused;
    if (ec == asio_error::host_not_found || ec == asio_error::host_not_found_try_again) return error::host_not_found;
    if (ec == boost::beast::error::timeout || ec == asio_error::timed_out) return error::timeout;
    if (ec == asio_error::eof || ec == asio_error::connection_reset || ec == asio_error::connection_aborted
        || ec == asio_error::broken_pipe || ec == boost::beast::http::error::end_of_stream
        || ec == boost::beast::http::error::partial_message || ec == boost::asio::ssl::error::stream_truncated)
        return error::connection_reset;
    if (ec.category() == asio_error::get_ssl_category()) return error::tls_failure;
    return error::transport_failure;
}

} // namespace modelarts

#endif
