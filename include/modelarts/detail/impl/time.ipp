/**
 * @file detail/impl/time.ipp
 * The definitions of detail/time.hpp: inline in every unit by default, or compiled
 * once with MODELARTS_SEPARATE_COMPILATION (see detail/config.hpp).
 */
#ifndef MODELARTS_DETAIL_IMPL_TIME_IPP
#define MODELARTS_DETAIL_IMPL_TIME_IPP

namespace modelarts::detail {

MODELARTS_DECL bool read_digits(std::string_view text, std::size_t at, std::size_t n, int& out) noexcept
{
    if (at + n > text.size()) return false;
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) {
        if (text[i] < '0' || text[i] > '9') return false;
        v = v * 10 + (text[i] - '0');
    }
    out = v;
    return true;
}

MODELARTS_DECL std::chrono::system_clock::time_point to_system_time(std::chrono::sys_seconds t) noexcept
{
    using tp = std::chrono::system_clock::time_point;
    constexpr auto last = std::chrono::floor<std::chrono::seconds>(tp::max());
    return t >= last ? tp::max() : std::chrono::time_point_cast<tp::duration>(t);
}

MODELARTS_DECL std::optional<std::chrono::system_clock::time_point> civil_time(int y, int mo, int d, int h, int mi, int s) noexcept
{
    using namespace std::chrono;
    if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31) return std::nullopt;
    const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
    if (!ymd.ok() || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 60) return std::nullopt;
    return to_system_time(sys_seconds{sys_days{ymd}} + hours{h} + minutes{mi} + seconds{s});
}

MODELARTS_DECL void write_compact_utc(char (&buf)[16], std::chrono::system_clock::time_point t) noexcept
{
    using namespace std::chrono;
    const auto day = floor<days>(t);
    const year_month_day ymd{day};
    const hh_mm_ss hms{floor<seconds>(t - day)};
    auto put = [&](int at, int value, int width) {
        for (int i = width - 1; i >= 0; --i, value /= 10) buf[at + i] = static_cast<char>('0' + value % 10);
    };
    put(0, static_cast<int>(ymd.year()), 4);
    put(4, static_cast<int>(static_cast<unsigned>(ymd.month())), 2);
    put(6, static_cast<int>(static_cast<unsigned>(ymd.day())), 2);
    buf[8] = 'T';
    put(9, static_cast<int>(hms.hours().count()), 2);
    put(11, static_cast<int>(hms.minutes().count()), 2);
    put(13, static_cast<int>(hms.seconds().count()), 2);
    buf[15] = 'Z';
}

MODELARTS_DECL std::string format_compact_utc(std::chrono::system_clock::time_point t)
{
    char buf[16];
    write_compact_utc(buf, t);
    return std::string(buf, sizeof buf);
}

MODELARTS_DECL std::optional<std::chrono::system_clock::time_point> parse_compact_utc(std::string_view text) noexcept
{
    if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z') return std::nullopt;
    int y, mo, d, h, mi, s;
    if (!read_digits(text, 0, 4, y) || !read_digits(text, 4, 2, mo) || !read_digits(text, 6, 2, d)
        || !read_digits(text, 9, 2, h) || !read_digits(text, 11, 2, mi) || !read_digits(text, 13, 2, s))
        return std::nullopt;
    return civil_time(y, mo, d, h, mi, s);
}

MODELARTS_DECL std::optional<std::chrono::system_clock::time_point> parse_iso8601_utc(std::string_view text) noexcept
{
    if (text.size() < 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':')
        return std::nullopt;
    int y, mo, d, h, mi, s;
    if (!read_digits(text, 0, 4, y) || !read_digits(text, 5, 2, mo) || !read_digits(text, 8, 2, d)
        || !read_digits(text, 11, 2, h) || !read_digits(text, 14, 2, mi) || !read_digits(text, 17, 2, s))
        return std::nullopt;
    std::string_view rest = text.substr(19);
    if (!rest.empty() && rest.front() == '.') {
        rest.remove_prefix(1);
        std::size_t digits = 0;
        while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') ++digits;
        if (digits == 0) return std::nullopt;
        rest.remove_prefix(digits);  // fractions of a second do not matter for expiry
    }
    if (rest != "Z" && rest != "+00:00") return std::nullopt;
    return civil_time(y, mo, d, h, mi, s);
}

MODELARTS_DECL std::string format_iso8601_utc(std::chrono::system_clock::time_point t)
{
    char buf[16];  // YYYYMMDDTHHMMSSZ
    write_compact_utc(buf, t);
    const std::string_view c(buf, sizeof buf);
    std::string out;
    out.reserve(27);
    out.append(c, 0, 4).append(1, '-').append(c, 4, 2).append(1, '-').append(c, 6, 2).append(1, 'T');
    out.append(c, 9, 2).append(1, ':').append(c, 11, 2).append(1, ':').append(c, 13, 2).append(".000000Z");
    return out;
}

namespace http_date {
inline constexpr std::string_view days = "MonTueWedThuFriSatSun";  // from Monday, as std::chrono::weekday's ISO encoding
inline constexpr std::string_view months = "JanFebMarAprMayJunJulAugSepOctNovDec";
} // namespace http_date

MODELARTS_DECL std::string format_http_date(std::chrono::system_clock::time_point t)
{
    using namespace std::chrono;
    const auto day = floor<days>(t);
    const year_month_day ymd{day};
    const hh_mm_ss time{floor<seconds>(t - day)};
    const unsigned weekday_index = weekday{day}.iso_encoding() - 1;
    char buf[48];  // 29 bytes are written; GCC, not knowing the fields' ranges, reckons on up to 35
    std::snprintf(buf, sizeof buf, "%.3s, %02u %.3s %04d %02d:%02d:%02d GMT", http_date::days.data() + 3 * weekday_index,
                  static_cast<unsigned>(ymd.day()), http_date::months.data() + 3 * (static_cast<unsigned>(ymd.month()) - 1),
                  static_cast<int>(ymd.year()), static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                  static_cast<int>(time.seconds().count()));
    return buf;
}

MODELARTS_DECL std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text) noexcept
{
    using http_date::days;
    using http_date::months;
    if (text.size() != 29 || text[3] != ',' || text[4] != ' ' || text[7] != ' ' || text[11] != ' ' || text[16] != ' '
        || text[19] != ':' || text[22] != ':' || text.substr(25) != " GMT")
        return std::nullopt;
    const auto day_name = days.find(text.substr(0, 3));
    const auto month_name = months.find(text.substr(8, 3));
    if (day_name == std::string_view::npos || day_name % 3 || month_name == std::string_view::npos || month_name % 3)
        return std::nullopt;
    int y, d, h, mi, s;
    if (!read_digits(text, 5, 2, d) || !read_digits(text, 12, 4, y) || !read_digits(text, 17, 2, h)
        || !read_digits(text, 20, 2, mi) || !read_digits(text, 23, 2, s))
        return std::nullopt;
    return civil_time(y, static_cast<int>(month_name / 3) + 1, d, h, mi, s);
}

} // namespace modelarts::detail

#endif
