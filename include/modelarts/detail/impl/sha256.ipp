/**
 * @file detail/impl/sha256.ipp
 * The definitions of detail/sha256.hpp: inline in every unit by default, or compiled
 * once with MODELARTS_SEPARATE_COMPILATION (see detail/config.hpp).
 */
#ifndef MODELARTS_DETAIL_IMPL_SHA256_IPP
#define MODELARTS_DETAIL_IMPL_SHA256_IPP

#if MODELARTS_SHA_NI
#include <cpuid.h>  // not <immintrin.h>: 45,000 lines, for five instructions
#endif

namespace modelarts::detail {

MODELARTS_DECL void sha256_compress_portable(std::uint32_t* state, const std::uint8_t* p, std::size_t blocks) noexcept
{
    constexpr auto rotr = [](std::uint32_t x, int n) { return (x >> n) | (x << (32 - n)); };
    for (; blocks > 0; --blocks, p += 64) {
        std::uint32_t w[64];
        for (int i = 0; i < 16; ++i)
            w[i] = std::uint32_t(p[4 * i]) << 24 | std::uint32_t(p[4 * i + 1]) << 16 | std::uint32_t(p[4 * i + 2]) << 8
                 | std::uint32_t(p[4 * i + 3]);
        for (int i = 16; i < 64; ++i) {
            std::uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
            std::uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        std::uint32_t a = state[0], b = state[1], c = state[2], d = state[3], e = state[4], f = state[5], g = state[6], h = state[7];
        for (int i = 0; i < 64; ++i) {
            std::uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + sha256_k[i] + w[i];
            std::uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
            h = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
        }
        state[0] += a, state[1] += b, state[2] += c, state[3] += d, state[4] += e, state[5] += f, state[6] += g, state[7] += h;
    }
}

#if MODELARTS_SHA_NI
// 128-bit lanes as the compiler's vector extensions: the shuffles below compile to PSHUFD,
// PALIGNR, PBLENDW and PSHUFB, the rounds to the SHA instructions' own builtins.
using sha_v4si = int __attribute__((vector_size(16)));
using sha_v16qi = char __attribute__((vector_size(16)));

__attribute__((target("sha,sse4.1,ssse3"))) inline sha_v4si sha_load(const void* p) noexcept
{
    sha_v4si v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

// A big-endian message block's four words, in lane order.
__attribute__((target("sha,sse4.1,ssse3"))) inline sha_v4si sha_load_be(const std::uint8_t* p) noexcept
{
    sha_v16qi v;
    std::memcpy(&v, p, sizeof v);
    return sha_v4si(__builtin_shufflevector(v, v, 3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12));
}

// The same with the x86 SHA extensions (Intel's published sequence): about 5x the portable code.
// Lane comments name the state words, highest lane first.
__attribute__((target("sha,sse4.1,ssse3"))) MODELARTS_DECL void sha256_compress_sha_ni(std::uint32_t* h, const std::uint8_t* p,
                                                                                       std::size_t blocks) noexcept
{
    sha_v4si tmp = sha_load(h), state1 = sha_load(h + 4);
    tmp = __builtin_shufflevector(tmp, tmp, 1, 0, 3, 2);                        // CDAB
    state1 = __builtin_shufflevector(state1, state1, 3, 2, 1, 0);               // EFGH
    sha_v4si state0 = __builtin_shufflevector(state1, tmp, 2, 3, 4, 5);         // ABEF
    state1 = __builtin_shufflevector(state1, tmp, 0, 1, 6, 7);                  // CDGH
    for (; blocks > 0; --blocks, p += 64) {
        const sha_v4si abef = state0, cdgh = state1;
        sha_v4si m[4];
        for (int i = 0; i < 4; ++i) m[i] = sha_load_be(p + 16 * i);
        for (int i = 0; i < 16; ++i) {  // four rounds a turn; the schedule runs three groups ahead
            const sha_v4si msg = m[i & 3] + sha_load(sha256_k + 4 * i);
            state1 = __builtin_ia32_sha256rnds2(state1, state0, msg);
            if (i >= 3 && i < 15) {
                sha_v4si& next = m[(i + 1) & 3];
                next += __builtin_shufflevector(m[(i - 1) & 3], m[i & 3], 1, 2, 3, 4);
                next = __builtin_ia32_sha256msg2(next, m[i & 3]);
            }
            state0 = __builtin_ia32_sha256rnds2(state0, state1, __builtin_shufflevector(msg, msg, 2, 3, 0, 0));
            if (i >= 1 && i < 13) m[(i - 1) & 3] = __builtin_ia32_sha256msg1(m[(i - 1) & 3], m[i & 3]);
        }
        state0 += abef;
        state1 += cdgh;
    }
    tmp = __builtin_shufflevector(state0, state0, 3, 2, 1, 0);                  // FEBA
    state1 = __builtin_shufflevector(state1, state1, 1, 0, 3, 2);               // DCHG
    const sha_v4si dcba = __builtin_shufflevector(tmp, state1, 0, 1, 6, 7);
    const sha_v4si hgfe = __builtin_shufflevector(tmp, state1, 2, 3, 4, 5);
    std::memcpy(h, &dcba, sizeof dcba);
    std::memcpy(h + 4, &hgfe, sizeof hgfe);
}

MODELARTS_DECL bool cpu_has_sha_ni() noexcept
{
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return false;
    const bool sse = (c & bit_SSSE3) && (c & bit_SSE4_1);
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return false;
    return sse && (b & bit_SHA);
}
#endif

MODELARTS_DECL sha256::digest hmac_sha256(std::string_view key, std::string_view message,
                                          sha256::compress_function engine) noexcept
{
    std::array<std::uint8_t, 64> k{};
    if (key.size() > k.size()) {
        auto d = sha256::hash(key, engine);
        std::memcpy(k.data(), d.data(), d.size());
    } else {
        std::memcpy(k.data(), key.data(), key.size());
    }
    std::array<char, 64> ipad, opad;
    for (std::size_t i = 0; i < 64; ++i) {
        ipad[i] = static_cast<char>(k[i] ^ 0x36);
        opad[i] = static_cast<char>(k[i] ^ 0x5c);
    }
    auto inner = sha256{engine}.update({ipad.data(), ipad.size()}).update(message).finish();
    return sha256{engine}
        .update({opad.data(), opad.size()})
        .update({reinterpret_cast<const char*>(inner.data()), inner.size()})
        .finish();
}

MODELARTS_DECL std::string to_hex(const sha256::digest& d)
{
    static constexpr char digits[] = "0123456789abcdef";
    std::string out(64, '0');
    for (std::size_t i = 0; i < d.size(); ++i) {
        out[2 * i] = digits[d[i] >> 4];
        out[2 * i + 1] = digits[d[i] & 0xF];
    }
    return out;
}

} // namespace modelarts::detail

#endif
