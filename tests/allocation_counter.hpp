// Replaces the global operator new (plain and nothrow: every form a sanitizer would otherwise see
// freed by the replaced delete) of the one program that includes this, to count every heap
// allocation: a test or benchmark reads `allocations` before and after the work it measures.
// Include it in one translation unit per program only.
#ifndef MODELARTS_TESTS_ALLOCATION_COUNTER_HPP
#define MODELARTS_TESTS_ALLOCATION_COUNTER_HPP

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <new>

namespace test_support {
inline std::atomic<std::size_t> allocations{0};
}

// (GCC 12 takes malloc/free in a replaced operator new/delete for a mismatch: a false positive.)
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
void* operator new(std::size_t n)
{
    ++test_support::allocations;
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept  // as Asio's executors use
{
    ++test_support::allocations;
    return std::malloc(n ? n : 1);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }

#endif
