#include "modelarts/detail/sha256.hpp"

#include <doctest/doctest.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <random>
#include <string>
#include <vector>

using modelarts::detail::hmac_sha256;
using modelarts::detail::sha256;
using modelarts::detail::to_hex;

namespace {
std::string unhex(std::string_view h)
{
    std::string out;
    for (std::size_t i = 0; i + 1 < h.size(); i += 2) out.push_back(static_cast<char>(std::stoi(std::string(h.substr(i, 2)), nullptr, 16)));
    return out;
}

struct engine {
    const char* name;
    sha256::compress_function compress;
};

// Every engine this machine can run: the portable code always, SHA-NI where the CPU has it.
std::vector<engine> engines()
{
    std::vector<engine> all{{"portable", &modelarts::detail::sha256_compress_portable}};
#if MODELARTS_SHA_NI
    if (modelarts::detail::cpu_has_sha_ni()) all.push_back({"sha-ni", &modelarts::detail::sha256_compress_sha_ni});
#endif
    return all;
}
} // namespace

TEST_CASE("SHA-256: the fastest engine is SHA-NI exactly where the CPU has the SHA extensions")
{
#if MODELARTS_SHA_NI
    const bool sha_ni = sha256::fastest() == &modelarts::detail::sha256_compress_sha_ni;
    CHECK(sha_ni == modelarts::detail::cpu_has_sha_ni());
    MESSAGE("engines on this machine: " << engines().size());
#else
    const bool portable = sha256::fastest() == &modelarts::detail::sha256_compress_portable;
    CHECK(portable);
#endif
}

TEST_CASE("SHA-256: the FIPS 180-4 example digests, on every engine")
{
    for (const auto& e : engines()) {
        CAPTURE(e.name);
        CHECK(to_hex(sha256::hash("abc", e.compress)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        CHECK(to_hex(sha256::hash("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", e.compress))
              == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
        CHECK(to_hex(sha256::hash("", e.compress)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        CHECK(to_hex(sha256::hash(std::string(1000000, 'a'), e.compress))
              == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    }
}

TEST_CASE("SHA-256: data fed in pieces hashes as a whole, on every engine")
{
    const std::string text(1000, 'x');
    for (const auto& e : engines())
        for (std::size_t cut : {0u, 1u, 55u, 56u, 63u, 64u, 65u, 127u, 128u, 500u, 999u}) {
            CAPTURE(e.name);
            CAPTURE(cut);
            CHECK(sha256{e.compress}.update(std::string_view(text).substr(0, cut)).update(std::string_view(text).substr(cut)).finish()
                  == sha256::hash(text, e.compress));
        }
}

TEST_CASE("HMAC-SHA256: the RFC 4231 test cases")
{
    struct tc {
        std::string key, data, mac;
    };
    const tc cases[] = {
        {unhex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"), "Hi There",
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
        {"Jefe", "what do ya want for nothing?", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
        {std::string(20, '\xaa'), std::string(50, '\xdd'), "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
        {unhex("0102030405060708090a0b0c0d0e0f10111213141516171819"), std::string(50, '\xcd'),
         "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
        {std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First",
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
        {std::string(131, '\xaa'),
         "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be "
         "hashed before being used by the HMAC algorithm.",
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
    };
    for (const auto& e : engines()) {
        CAPTURE(e.name);
        for (const auto& c : cases) CHECK(to_hex(hmac_sha256(c.key, c.data, e.compress)) == c.mac);
        // Case 5 truncates to 128 bits.
        CHECK(to_hex(hmac_sha256(std::string(20, '\x0c'), "Test With Truncation", e.compress)).substr(0, 32)
              == "a3b6167473100ee06e0c796c2955552b");
    }
}

TEST_CASE("SHA-256 and HMAC-SHA256 agree with OpenSSL's libcrypto on thousands of random inputs, on every engine")
{
    std::mt19937_64 rng(1804);
    auto random_bytes = [&](std::size_t n) {
        std::string s(n, '\0');
        for (auto& c : s) c = static_cast<char>(rng());
        return s;
    };
    int compared = 0;
    for (int i = 0; i < 3000; ++i) {
        const std::string data = random_bytes(rng() % (i < 2000 ? 300 : 5000));
        const std::string key = random_bytes(rng() % 200);
        unsigned char ref[SHA256_DIGEST_LENGTH];
        SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), ref);
        for (const auto& e : engines()) {
            CAPTURE(e.name);
            CHECK(std::memcmp(sha256::hash(data, e.compress).data(), ref, sizeof ref) == 0);
        }

        unsigned int len = 0;
        HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
             data.size(), ref, &len);
        REQUIRE(len == 32);
        for (const auto& e : engines()) CHECK(std::memcmp(hmac_sha256(key, data, e.compress).data(), ref, sizeof ref) == 0);
        ++compared;
    }
    CHECK(compared == 3000);
}
