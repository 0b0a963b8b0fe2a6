// What every harness shares: the input split into fields, and a check that aborts (libFuzzer
// reports an abort as a crash, with the input that made it).
#ifndef MODELARTS_TESTS_FUZZ_INPUT_HPP
#define MODELARTS_TESTS_FUZZ_INPUT_HPP

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace fuzz {

/** The input as fields separated by NUL bytes; past the last field, empty ones. */
class fields {
public:
    fields(const std::uint8_t* data, std::size_t size) : rest_(reinterpret_cast<const char*>(data), size) {}

    /** @return the next field */
    std::string_view next()
    {
        const auto end = rest_.find('\0');
        const std::string_view field = rest_.substr(0, end);
        rest_ = end == std::string_view::npos ? std::string_view() : rest_.substr(end + 1);
        return field;
    }

    /** @return the next byte, or 0 */
    std::uint8_t byte()
    {
        if (rest_.empty()) return 0;
        const auto b = static_cast<std::uint8_t>(rest_.front());
        rest_.remove_prefix(1);
        return b;
    }

    /** @return everything not yet taken */
    std::string_view rest() const { return rest_; }

private:
    std::string_view rest_;
};

} // namespace fuzz

// A property that must hold: abort with where and what, so libFuzzer keeps the input.
#define FUZZ_CHECK(cond)                                                                                    \
    do {                                                                                                    \
        if (!(cond)) {                                                                                      \
            std::fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #cond);                \
            std::abort();                                                                                   \
        }                                                                                                   \
    } while (0)

#endif
