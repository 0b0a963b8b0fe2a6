/**
 * @file detail/impl/utf8.ipp
 * The definitions of detail/utf8.hpp: inline in every unit by default, or compiled
 * once with MODELARTS_SEPARATE_COMPILATION (see detail/config.hpp).
 */
#ifndef MODELARTS_DETAIL_IMPL_UTF8_IPP
#define MODELARTS_DETAIL_IMPL_UTF8_IPP

namespace modelarts::detail {

MODELARTS_DECL std::size_t utf8_sequence_length(const unsigned char* p, const unsigned char* end) noexcept
{
    const unsigned char b = *p;
    std::size_t trail;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the first trailing byte
    if (b < 0x80) return 1;
    if (b >= 0xC2 && b <= 0xDF) trail = 1;
    else if (b == 0xE0) trail = 2, lo = 0xA0;              // no overlong 3-byte form
    else if (b == 0xED) trail = 2, hi = 0x9F;              // no surrogates U+D800..DFFF
    else if (b >= 0xE1 && b <= 0xEF) trail = 2;
    else if (b == 0xF0) trail = 3, lo = 0x90;              // no overlong 4-byte form
    else if (b == 0xF4) trail = 3, hi = 0x8F;              // nothing above U+10FFFF
    else if (b >= 0xF1 && b <= 0xF3) trail = 3;
    else return 0;                                         // 0x80..0xC1, 0xF5..0xFF
    if (static_cast<std::size_t>(end - p) <= trail) return 0;
    if (p[1] < lo || p[1] > hi) return 0;
    for (std::size_t i = 2; i <= trail; ++i)
        if ((p[i] & 0xC0) != 0x80) return 0;
    return trail + 1;
}

MODELARTS_DECL std::optional<std::size_t> utf8_length(std::string_view s) noexcept
{
    std::size_t count = 0;
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const auto* end = p + s.size();
    while (p != end) {
        if (end - p >= 8) {  // ASCII, eight bytes at a time: each byte is one code point
            std::uint64_t word;
            std::memcpy(&word, p, 8);
            if ((word & 0x8080808080808080) == 0) {
                p += 8;
                count += 8;
                continue;
            }
        }
        const std::size_t n = utf8_sequence_length(p, end);
        if (n == 0) return std::nullopt;
        p += n;
        ++count;
    }
    return count;
}

MODELARTS_DECL std::string utf8_replace_invalid(std::string_view s)
{
    std::string out;
    out.reserve(s.size());
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const auto* end = p + s.size();
    while (p != end) {
        const std::size_t n = utf8_sequence_length(p, end);
        if (n == 0) {
            out += "\xEF\xBF\xBD";
            ++p;
        } else {
            out.append(reinterpret_cast<const char*>(p), n);
            p += n;
        }
    }
    return out;
}

} // namespace modelarts::detail

#endif
