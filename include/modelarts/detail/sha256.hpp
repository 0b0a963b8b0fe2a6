#ifndef MODELARTS_DETAIL_SHA256_HPP
#define MODELARTS_DETAIL_SHA256_HPP

// SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104), header-only, for request signing: portable
// code, and the x86 SHA extensions where the CPU has them (checked once, at the first hash). Both
// engines are checked against the FIPS example digests, RFC 4231's HMAC cases, OpenSSL on random
// inputs, and each other.

#include "modelarts/detail/config.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

// The SHA-NI engine: x86-64 with GCC or Clang; chosen at run time, the portable code otherwise.
#if !defined(MODELARTS_SHA_NI)
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define MODELARTS_SHA_NI 1
#else
#define MODELARTS_SHA_NI 0
#endif
#endif

namespace modelarts::detail {

// The SHA-256 round constants.
inline constexpr std::uint32_t sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

// Compresses `blocks` 64-byte blocks into the state `h`: the portable code, FIPS 180-4 as written.
MODELARTS_DECL void sha256_compress_portable(std::uint32_t* state, const std::uint8_t* p, std::size_t blocks) noexcept;

#if MODELARTS_SHA_NI
// The same with the x86 SHA extensions (Intel's published sequence): about 5x the portable code.
__attribute__((target("sha,sse4.1,ssse3"))) MODELARTS_DECL void sha256_compress_sha_ni(std::uint32_t* h, const std::uint8_t* p,
                                                                                       std::size_t blocks) noexcept;

// Whether this CPU has the SHA extensions (and the SSE levels the sequence uses).
MODELARTS_DECL bool cpu_has_sha_ni() noexcept;
#endif

/** SHA-256 (FIPS 180-4), incremental. */
class sha256 {
public:
    using digest = std::array<std::uint8_t, 32>;                                     ///< the 32-byte hash
    using compress_function = void (*)(std::uint32_t*, const std::uint8_t*, std::size_t) noexcept;  ///< a block engine

    /** @return the fastest engine this CPU runs: SHA-NI where present, else the portable code */
    static compress_function fastest() noexcept
    {
#if MODELARTS_SHA_NI
        static const compress_function best = cpu_has_sha_ni() ? &sha256_compress_sha_ni : &sha256_compress_portable;
        return best;
#else
        return &sha256_compress_portable;
#endif
    }

    /** @param engine the block engine (tests pin one; the default is the fastest) */
    explicit sha256(compress_function engine = fastest()) noexcept : compress_(engine) {}

    /** @param data more input @return *this */
    sha256& update(std::string_view data) noexcept
    {
        const auto* p = reinterpret_cast<const std::uint8_t*>(data.data());
        std::size_t n = data.size();
        length_ += n;
        if (used_ > 0) {
            std::size_t take = std::min(n, block_.size() - used_);
            std::memcpy(block_.data() + used_, p, take);
            used_ += take, p += take, n -= take;
            if (used_ < block_.size()) return *this;
            compress_(h_.data(), block_.data(), 1);
            used_ = 0;
        }
        compress_(h_.data(), p, n / 64);
        p += n / 64 * 64, n %= 64;
        std::memcpy(block_.data(), p, n);
        used_ = n;
        return *this;
    }

    /** @return the digest of everything given to update */
    digest finish() noexcept
    {
        const std::uint64_t bits = length_ * 8;
        block_[used_++] = 0x80;
        if (used_ > 56) {
            std::memset(block_.data() + used_, 0, 64 - used_);
            compress_(h_.data(), block_.data(), 1);
            used_ = 0;
        }
        std::memset(block_.data() + used_, 0, 56 - used_);
        for (int i = 0; i < 8; ++i) block_[56 + i] = static_cast<std::uint8_t>(bits >> (56 - 8 * i));
        compress_(h_.data(), block_.data(), 1);
        digest out;
        for (int i = 0; i < 8; ++i)
            for (int j = 0; j < 4; ++j) out[4 * i + j] = static_cast<std::uint8_t>(h_[i] >> (24 - 8 * j));
        return out;
    }

    /** @param data input @param engine block engine @return its digest */
    static digest hash(std::string_view data, compress_function engine = fastest()) noexcept
    {
        return sha256{engine}.update(data).finish();
    }

private:
    compress_function compress_;
    std::array<std::uint32_t, 8> h_{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    std::array<std::uint8_t, 64> block_{};
    std::size_t used_ = 0;
    std::uint64_t length_ = 0;
};

/** HMAC-SHA256 (RFC 2104). */
MODELARTS_DECL sha256::digest hmac_sha256(std::string_view key, std::string_view message,
                                          sha256::compress_function engine = sha256::fastest()) noexcept;

/** Lower-case hex of a digest. */
MODELARTS_DECL std::string to_hex(const sha256::digest& d);

} // namespace modelarts::detail

#if !defined(MODELARTS_SEPARATE_COMPILATION) || defined(MODELARTS_CORE_SOURCE)
#include "modelarts/detail/impl/sha256.ipp"
#endif

#endif
