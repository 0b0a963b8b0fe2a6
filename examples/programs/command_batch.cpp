// The command's batch mode. Lines stream in through a bounded window: a line is read only when
// fewer than `concurrency` updates are in flight and the window has room, and each line's output
// leaves as soon as every line before it is done, so memory stays flat however long the input.
#include "command_batch.hpp"

#include "modelarts/asio.hpp"
#include "modelarts/estimator.hpp"
#include "modelarts/testing/emulator.hpp"
#include "modelarts/transports/beast.hpp"

#include <boost/asio/append.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace command {
namespace {

// ---- What can be wrong with a line: error codes of their own, so that a bad line's output has
// the shape of any other library error's (code, message, class).

enum class line_error {
    too_long = 1,
    not_utf8,
    not_json,
    not_an_object,
    job_id_missing,
    job_id_not_a_string,
    description_missing,
    description_not_a_string,
};

constexpr std::size_t max_line_bytes = 64 * 1024;

class line_error_category final : public boost::system::error_category {
public:
    const char* name() const noexcept override { return "modelarts.batch"; }
    std::string message(int ev) const override
    {
        switch (static_cast<line_error>(ev)) {
        case line_error::too_long: return "line: longer than 65536 bytes";
        case line_error::not_utf8: return "line: not valid UTF-8";
        case line_error::not_json: return "line: not JSON (expected {\"job_id\": \"...\", \"description\": \"...\"})";
        case line_error::not_an_object: return "line: not a JSON object (expected {\"job_id\": \"...\", \"description\": \"...\"})";
        case line_error::job_id_missing: return "job_id: missing";
        case line_error::job_id_not_a_string: return "job_id: must be a JSON string";
        case line_error::description_missing: return "description: missing";
        case line_error::description_not_a_string: return "description: must be a JSON string";
        }
        return "line: unknown error";
    }
    boost::system::error_condition default_error_condition(int) const noexcept override
    {
        return modelarts::condition::invalid_input;  // a bad line is refused input: nothing is sent
    }
};

boost::system::error_code make_error_code(line_error e)
{
    static const line_error_category category;
    return {static_cast<int>(e), category};
}

// ---- Input: lines from a file descriptor, never more than max_line_bytes of one kept.

class line_reader {
public:
    enum class status { line, too_long, end, failed };

    explicit line_reader(int fd) noexcept : fd_(fd) {}

    // The next line, without its "\n" or "\r\n"; a last line without "\n" counts.
    status next(std::string& line)
    {
        line.clear();
        bool any = false, too_long = false;
        for (;;) {
            if (pos_ == len_ && !fill()) {
                if (error_) return status::failed;
                if (!any) return status::end;
                break;
            }
            any = true;
            const char* begin = buffer_.get() + pos_;
            const char* newline = static_cast<const char*>(std::memchr(begin, '\n', len_ - pos_));
            const std::size_t n = (newline ? newline : buffer_.get() + len_) - begin;
            if (line.size() + n > max_line_bytes + 1) too_long = true;  // +1: a "\r" to strip
            if (!too_long) line.append(begin, n);
            pos_ += n + (newline ? 1 : 0);
            if (newline) break;
        }
        if (!line.empty() && line.back() == '\r') line.pop_back();
        return too_long || line.size() > max_line_bytes ? status::too_long : status::line;
    }

    int error() const noexcept { return error_; }

private:
    bool fill()
    {
        for (;;) {
            const ssize_t n = ::read(fd_, buffer_.get(), buffer_size);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) error_ = errno;
            pos_ = 0;
            len_ = n > 0 ? static_cast<std::size_t>(n) : 0;
            return n > 0;
        }
    }

    static constexpr std::size_t buffer_size = 64 * 1024;
    int fd_;
    std::unique_ptr<char[]> buffer_ = std::make_unique<char[]>(buffer_size);
    std::size_t pos_ = 0, len_ = 0;
    int error_ = 0;
};

bool is_blank(std::string_view line)
{
    return line.find_first_not_of(" \t") == std::string_view::npos;
}

struct parsed_line {
    std::optional<std::string> job_id;  // when the line had one, even an invalid one
    std::string description;
    boost::system::error_code error;
};

parsed_line parse_line(std::string_view text)
{
    parsed_line p;
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(text, ec);
    if (ec) {
        // Bad JSON, or good JSON but for its UTF-8: a second, lenient parse tells which.
        boost::json::parse_options lenient;
        lenient.allow_invalid_utf8 = true;
        boost::system::error_code lenient_ec;
        boost::json::parse(text, lenient_ec, {}, lenient);
        p.error = make_error_code(lenient_ec ? line_error::not_json : line_error::not_utf8);
        return p;
    }
    const boost::json::object* o = v.if_object();
    if (!o) {
        p.error = make_error_code(line_error::not_an_object);
        return p;
    }
    const boost::json::value* id = o->if_contains("job_id");
    const boost::json::value* description = o->if_contains("description");
    if (id && id->is_string()) p.job_id.emplace(id->get_string());
    if (!id) p.error = make_error_code(line_error::job_id_missing);
    else if (!id->is_string()) p.error = make_error_code(line_error::job_id_not_a_string);
    else if (!description) p.error = make_error_code(line_error::description_missing);
    else if (!description->is_string()) p.error = make_error_code(line_error::description_not_a_string);
    else p.description = description->get_string();
    return p;
}

// ---- Output: the single update's line, with "line" and "job_id" first.

// An output line: "line" and "job_id", then the members of `object` (a serialized JSON object).
std::string splice(std::uint64_t line, const std::optional<std::string>& job_id, std::string_view object)
{
    std::string out = "{\"line\":" + std::to_string(line) + ",\"job_id\":";
    out += job_id ? boost::json::serialize(boost::json::string_view(*job_id)) : std::string("null");
    out += ',';
    out.append(object.substr(1));  // past its "{"
    out += '\n';
    return out;
}

std::string_view error_class(const boost::system::error_code& ec)
{
    if (ec == modelarts::condition::invalid_input) return "invalid_input";
    if (ec == modelarts::condition::bad_response) return "bad_response";
    return "transport";
}

// A library error: no service verdict, so the SDK's fields say failure and `error_class` says
// where it went wrong (invalid_input: nothing was sent).
std::string error_output(std::uint64_t line, const std::optional<std::string>& job_id, const boost::system::error_code& ec)
{
    boost::json::object o;
    o["is_success"] = false;
    o["error_code"] = ec.to_string();
    o["error_msg"] = ec.message();
    o["error_class"] = error_class(ec);
    return splice(line, job_id, boost::json::serialize(o));
}

// The single update's line (`to_json`) spliced after the prefix, so both stay one format.
std::string verdict_output(std::uint64_t line, const std::optional<std::string>& job_id, const modelarts::update_result& r,
                           const modelarts::diagnostics& diag)
{
    return splice(line, job_id, modelarts::to_json(r, diag.request_id));
}

// ---- Progress: one line on a terminal, redrawn at most ten times a second.

struct counters {
    std::uint64_t done = 0, failed = 0, retries = 0;
    std::optional<std::uint64_t> total;  // known for a regular file, or once the input ended
};

class progress_line {
public:
    progress_line(boost::asio::io_context& ioc, const counters& c, bool on) : timer_(ioc), counters_(c), on_(on) {}

    void start()
    {
        if (!on_) return;
        start_ = std::chrono::steady_clock::now();
        tick();
    }

    // The last figures, left on their own line.
    void finish()
    {
        if (!on_) return;
        timer_.cancel();
        draw();
        std::fputc('\n', stderr);
    }

private:
    void tick()
    {
        timer_.expires_after(std::chrono::milliseconds(100));
        timer_.async_wait([this](boost::system::error_code ec) {
            if (ec) return;
            draw();
            tick();
        });
    }

    void draw()
    {
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
        const double rate = seconds > 0 ? static_cast<double>(counters_.done) / seconds : 0;
        char text[160];
        int n = std::snprintf(text, sizeof text, "\r%s: %llu", std::string(program).c_str(),
                              static_cast<unsigned long long>(counters_.done));
        if (counters_.total) n += std::snprintf(text + n, sizeof text - n, "/%llu", static_cast<unsigned long long>(*counters_.total));
        n += std::snprintf(text + n, sizeof text - n, " done, %.0f/s, %llu failed, %llu retried", rate,
                           static_cast<unsigned long long>(counters_.failed), static_cast<unsigned long long>(counters_.retries));
        if (counters_.total && rate > 0 && *counters_.total >= counters_.done) {
            const auto eta = static_cast<unsigned long long>(static_cast<double>(*counters_.total - counters_.done) / rate + 0.5);
            n += std::snprintf(text + n, sizeof text - n, ", ETA %llu:%02llu", eta / 60, eta % 60);
        }
        std::snprintf(text + n, sizeof text - n, "\033[K");  // clear what a longer line left
        std::fputs(text, stderr);
    }

    boost::asio::steady_timer timer_;
    const counters& counters_;
    bool on_;
    std::chrono::steady_clock::time_point start_{};
};

// The lines of a regular file that are not blank, for the progress line's total.
std::optional<std::uint64_t> count_lines(const std::string& path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    struct stat st{};
    std::optional<std::uint64_t> total;
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        line_reader reader(fd);
        std::string line;
        std::uint64_t n = 0;
        line_reader::status s;
        while ((s = reader.next(line)) == line_reader::status::line || s == line_reader::status::too_long)
            if (s == line_reader::status::too_long || !is_blank(line)) ++n;
        if (s == line_reader::status::end) total = n;
    }
    ::close(fd);
    return total;
}

// ---- The transport: Beast to the endpoint (its exchange compiled once, in beast_transport.cpp),
// or the in-process emulator behind the same async interface.

// The emulator as an Asio-based transport: it answers at once, but through the executor, so
// that no handler runs inside the call that started it.
class posted_emulator_transport {
public:
    using executor_type = boost::asio::any_io_executor;

    posted_emulator_transport(executor_type ex, modelarts::testing::emulator& em) : executor_(std::move(ex)), emulator_(&em) {}

    executor_type get_executor() const noexcept { return executor_; }

    template <class CompletionToken>
    auto async_send(modelarts::http_request req, CompletionToken&& token)
    {
        return boost::asio::async_initiate<CompletionToken, void(boost::system::error_code, modelarts::http_response)>(
            [this](auto handler, modelarts::http_request r) {
                auto answer = modelarts::testing::in_process_transport{*emulator_}.send(r);
                boost::system::error_code ec = answer ? boost::system::error_code{} : answer.error();
                boost::asio::post(executor_, boost::asio::append(std::move(handler), ec, answer ? std::move(*answer) : modelarts::http_response{}));
            },
            token, std::move(req));
    }

private:
    executor_type executor_;
    modelarts::testing::emulator* emulator_;
};

modelarts::any_async_transport make_async_transport(boost::asio::io_context& ioc, modelarts::testing::emulator* emulator)
{
    if (emulator) return modelarts::any_async_transport{posted_emulator_transport{ioc.get_executor(), *emulator}};
    return modelarts::any_async_transport{modelarts::beast_transport{ioc.get_executor()}};
}

// ---- The batch itself.

class batch {
public:
    batch(modelarts::session<modelarts::any_async_transport> s, line_reader& in, const batch_arguments& args, counters& c,
          std::function<void()> on_over)
        : session_(std::move(s)), in_(in), args_(args), counters_(c), on_over_(std::move(on_over)),
          window_limit_(4 * args.concurrency)
    {
    }

    // Reads, sends and writes until the input is over and every line is answered.
    void start() { pump(); }

    int exit_status() const noexcept { return status_; }
    bool finished() const noexcept { return input_over_ && window_.empty(); }

    int read_error() const noexcept { return in_.error(); }

private:
    // Writes what is ready, then reads while there is room; again until neither moves.
    void pump()
    {
        bool wrote = false;  // to stdout's buffer
        for (;;) {
            for (; !window_.empty() && !window_.front().empty(); ++first_seq_, window_.pop_front()) {
                std::fwrite(window_.front().data(), 1, window_.front().size(), stdout);
                wrote = true;
            }
            if (input_over_ || in_flight_ >= args_.concurrency || window_.size() >= window_limit_) break;
            read_one();
        }
        // Flushed when nothing else is pending or 50 ms have passed: a reader sees lines promptly,
        // and a busy batch does not pay a write(2) per line.
        if (wrote) unflushed_ = true;
        const auto now = std::chrono::steady_clock::now();
        if (unflushed_ && (in_flight_ == 0 || now - flushed_at_ >= std::chrono::milliseconds(50))) {
            std::fflush(stdout);
            unflushed_ = false;
            flushed_at_ = now;
        }
        if (input_over_ && !counters_.total) counters_.total = lines_;
        if (input_over_ && window_.empty() && on_over_) std::exchange(on_over_, nullptr)();
    }

    void read_one()
    {
        const auto s = in_.next(line_);
        if (s == line_reader::status::end || s == line_reader::status::failed) {
            if (s == line_reader::status::failed) status_ = 2;
            input_over_ = true;
            return;
        }
        ++line_number_;
        if (s == line_reader::status::line && is_blank(line_)) return;  // blank lines are skipped, but counted
        ++lines_;
        const std::uint64_t seq = first_seq_ + window_.size();
        window_.emplace_back();
        parsed_line p = s == line_reader::status::too_long ? parsed_line{{}, {}, make_error_code(line_error::too_long)}
                                                            : parsed_line{};
        if (!p.error) p = parse_line(line_);
        if (p.error) return answer(seq, error_output(line_number_, p.job_id, p.error), 2);
        send(seq, line_number_, std::move(*p.job_id), p.description);
    }

    void send(std::uint64_t seq, std::uint64_t line, std::string job_id, std::string_view description)
    {
        ++in_flight_;
        auto diag = std::make_unique<modelarts::diagnostics>();  // the request id, for the output line
        auto* facts = diag.get();
        auto done = [this, seq, line, id = std::optional<std::string>(job_id), diag = std::move(diag)](
                        modelarts::result<modelarts::update_result> r) {
            --in_flight_;
            if (!r) answer(seq, error_output(line, id, r.error()), 2);
            else answer(seq, verdict_output(line, id, *r, *diag), r->is_success ? 0 : 1);
            pump();
        };
        if (args_.via_job)
            modelarts::training_job{session_, std::move(job_id)}.async_update_job_description(description, std::move(done), facts);
        else
            modelarts::estimator{session_, std::move(job_id)}.async_update_job_description(description, std::move(done), facts);
    }

    void answer(std::uint64_t seq, std::string output, int status)
    {
        window_[seq - first_seq_] = std::move(output);
        ++counters_.done;
        if (status != 0) ++counters_.failed;
        status_ = std::max(status_, status);
    }

    modelarts::session<modelarts::any_async_transport> session_;
    line_reader& in_;
    const batch_arguments& args_;
    counters& counters_;
    std::function<void()> on_over_;  // called once, when the last line is written
    const std::size_t window_limit_;
    std::deque<std::string> window_;  // output lines in input order; empty until answered
    std::uint64_t first_seq_ = 0;    // the sequence number of window_.front()
    std::uint64_t line_number_ = 0;  // of the last line read, blank ones included
    std::uint64_t lines_ = 0;        // lines that get an output line
    unsigned in_flight_ = 0;
    bool input_over_ = false;
    bool unflushed_ = false;
    std::chrono::steady_clock::time_point flushed_at_{};
    int status_ = 0;
    std::string line_;
};

} // namespace

int run_batch(modelarts::session_options options, const batch_arguments& args, modelarts::testing::emulator* emulator)
{
    const bool from_stdin = args.from == "-";
    const int fd = from_stdin ? STDIN_FILENO : ::open(args.from.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        std::fprintf(stderr, "%s: --from %s: %s\n", std::string(program).c_str(), args.from.c_str(), std::strerror(errno));
        return 2;
    }
    struct fd_closer {
        int fd;
        ~fd_closer()
        {
            if (fd != STDIN_FILENO) ::close(fd);
        }
    } closer{fd};

    counters counts;
    const bool show_progress = args.progress && ::isatty(STDERR_FILENO);
    if (show_progress && !from_stdin) counts.total = count_lines(args.from);

    // Retries are counted for the progress line; whoever else observes still does.
    options.on_attempt = [&counts, user = std::move(options.on_attempt)](const modelarts::attempt_report& a) {
        if (a.retry_in) ++counts.retries;
        if (user) user(a);
    };

    boost::asio::io_context ioc(1);
    auto transport = make_async_transport(ioc, emulator);
    auto session = modelarts::make_session(std::move(transport), std::move(options));
    if (!session) {
        std::fprintf(stderr, "%s: %s\n", std::string(program).c_str(), session.error().message().c_str());
        return 2;
    }

    line_reader reader(fd);
    progress_line progress(ioc, counts, show_progress);
    batch b(std::move(*session), reader, args, counts, [&progress] { progress.finish(); });
    progress.start();
    boost::asio::post(ioc, [&b] { b.start(); });
    ioc.run();  // until the last line is written and the progress timer stopped
    if (!b.finished()) {  // never silently short: a script trusts exit 0 to mean every line was answered
        std::fprintf(stderr, "%s: stopped before every line was answered\n", std::string(program).c_str());
        return 2;
    }
    if (b.read_error()) {
        std::fprintf(stderr, "%s: reading %s: %s\n", std::string(program).c_str(), from_stdin ? "stdin" : args.from.c_str(),
                     std::strerror(b.read_error()));
        return 2;
    }
    return b.exit_status();
}

} // namespace command
