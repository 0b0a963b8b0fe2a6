/**
 * @file impl/retry.ipp
 * The definitions of retry.hpp: inline in every unit by default, or compiled
 * once with MODELARTS_SEPARATE_COMPILATION (see detail/config.hpp).
 */
#ifndef MODELARTS_IMPL_RETRY_IPP
#define MODELARTS_IMPL_RETRY_IPP

#include <algorithm>

namespace modelarts {

namespace detail {

MODELARTS_DECL std::uint64_t splitmix64(std::uint64_t& state) noexcept
{
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

} // namespace detail

MODELARTS_DECL bool is_transient(const result<http_response>& outcome) noexcept
{
    return outcome ? is_transient_status(outcome->status) : is_transient_error(outcome.error());
}

MODELARTS_DECL std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                                     std::chrono::system_clock::time_point now) noexcept
{
    value = detail::trim(value);
    if (!value.empty() && value.size() <= 9 && std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        std::int64_t s = 0;
        for (char c : value) s = s * 10 + (c - '0');
        return std::chrono::seconds(s);
    }
    auto date = detail::parse_http_date(value);
    if (!date) return std::nullopt;
    return *date > now ? std::chrono::ceil<std::chrono::seconds>(*date - now) : std::chrono::seconds(0);
}

MODELARTS_DECL std::chrono::nanoseconds backoff_cap(const retry_policy& policy, unsigned retry) noexcept
{
    using ns = std::chrono::duration<double, std::nano>;
    ns cap = policy.initial_delay;
    const ns max = policy.max_delay;
    for (unsigned i = 0; i < retry && cap < max && policy.multiplier > 1.0; ++i) cap *= policy.multiplier;
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::min(cap, max));
}

MODELARTS_DECL std::chrono::nanoseconds jittered(std::chrono::nanoseconds cap, std::uint64_t random) noexcept
{
    return std::chrono::nanoseconds(static_cast<std::int64_t>(static_cast<double>(cap.count()) * detail::unit_interval(random)));
}

MODELARTS_DECL result<void> validate_retry_policy(const retry_policy& policy) noexcept
{
    if (policy.max_attempts < 1 || !(policy.multiplier >= 1.0) || policy.initial_delay.count() < 0
        || policy.max_delay.count() < 0 || policy.timeout.count() < 0)
        return error::invalid_retry_policy;
    return {};
}

} // namespace modelarts

#endif
