// The Beast transport's answer reader (`detail::response_reader`, transports/impl/beast.ipp): any
// bytes, whole and in pieces, under small limits, read as Beast's `http::read` reads them. Never a
// crash or UB; an answer read is within the limits; read in pieces, it is what it is read whole.
//
// Boost's assertions are routed through the handler below, which fails on every one but a single
// known-wrong assertion of Beast 1.81 (see there), so that the harness keeps finding our faults.
#define BOOST_ENABLE_ASSERT_HANDLER
#include "modelarts/transports/beast.hpp"

#include "fuzz_input.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace boost {

// Beast 1.81's chunk-header parser asserts `n >= 5`, but a stream may hand it "0\r\n\r" and the
// rest later: the code after the assertion asks for more bytes, as it should, and builds with
// NDEBUG (the library's release builds) never check it. Beast fixed the assertion in 1.86
// (boostorg/beast#2861); until Debian's Boost has it, that one is passed over here, as NDEBUG
// would, and every other assertion still fails the run. tests/fuzz/corpus/beast_answer/
// chunk_header_in_pieces is the input that found it.
inline bool is_beast_chunk_header_assertion(std::string_view expr, std::string_view function)
{
    return expr == "n >= 5" && function.find("parse_chunk_header") != std::string_view::npos;
}

void assertion_failed(char const* expr, char const* function, char const* file, long line)
{
    if (is_beast_chunk_header_assertion(expr, function)) return;
    std::fprintf(stderr, "%s:%ld: %s: Assertion `%s' failed.\n", file, line, function, expr);
    std::abort();
}

void assertion_failed_msg(char const* expr, char const* msg, char const* function, char const* file, long line)
{
    std::fprintf(stderr, "%s:%ld: %s: Assertion `%s' failed: %s\n", file, line, function, expr, msg);
    std::abort();
}

} // namespace boost

namespace {

struct outcome {
    bool done = false;
    boost::system::error_code ec;
    modelarts::http_response response;
};

// Feeds `bytes` `piece` bytes at a time (all at once when 0), keeping what the reader has not
// used yet in front of the next piece, as the transport's buffer does; then the end of the stream.
outcome read(std::string_view bytes, std::size_t piece, const modelarts::response_limits& limits)
{
    modelarts::detail::response_reader reader(limits);
    reader.eager(true);
    std::string buffer;
    outcome out;
    std::size_t at = 0;
    while (!out.ec && !reader.is_done()) {
        if (at == bytes.size()) {  // the end of the stream, taken as Beast's read takes it
            if (reader.got_some()) reader.put_eof(out.ec);
            else out.ec = boost::beast::http::error::end_of_stream;
            break;
        }
        const std::size_t n = piece == 0 ? bytes.size() - at : std::min(piece, bytes.size() - at);
        buffer.append(bytes.substr(at, n));
        at += n;
        const std::size_t used = reader.put(boost::asio::buffer(buffer), out.ec);
        if (out.ec == boost::beast::http::error::need_more) out.ec = {};
        buffer.erase(0, used);
    }
    out.done = reader.is_done();
    out.response = std::move(reader.response);
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    fuzz::fields in(data, size);
    const modelarts::response_limits limits{.max_body_bytes = in.byte() % 64u, .max_header_count = in.byte() % 8u,
                                            .max_header_bytes = 64u + in.byte()};
    const std::size_t piece = 1 + in.byte() % 16u;
    const std::string_view bytes = in.rest();

    const outcome whole = read(bytes, 0, limits);
    const outcome pieces = read(bytes, piece, limits);
    for (const outcome* o : {&whole, &pieces}) {
        if (!o->done || o->ec) continue;
        FUZZ_CHECK(o->response.status >= 0 && o->response.status <= 999);
        FUZZ_CHECK(o->response.headers.size() <= limits.max_header_count);
        FUZZ_CHECK(o->response.body.size() <= limits.max_body_bytes);
    }
    if (whole.done && !whole.ec && pieces.done && !pieces.ec) FUZZ_CHECK(whole.response == pieces.response);
    return 0;
}
