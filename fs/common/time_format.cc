#include "swiftfs/common/time_format.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <ctime>

#include "swiftfs/common/strings.h"

namespace swiftfs {

namespace {

using std::chrono::seconds;
using std::chrono::system_clock;

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm), so
// we never depend on the process time zone as mktime would.
long long DaysFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<long long>(era) * 146097 + static_cast<long long>(doe) - 719468;
}

bool ReadInt(std::string_view& s, size_t digits, int& out) {
  if (s.size() < digits) return false;
  int value = 0;
  for (size_t i = 0; i < digits; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    value = value * 10 + (s[i] - '0');
  }
  out = value;
  s.remove_prefix(digits);
  return true;
}

bool Expect(std::string_view& s, char c) {
  if (s.empty() || s.front() != c) return false;
  s.remove_prefix(1);
  return true;
}

Error Malformed(std::string_view what, std::string_view text) {
  return MakeError(ErrorCode::kBadResponse, "malformed " + std::string(what) + ": '" +
                                                std::string(text.substr(0, 64)) + "'");
}

bool ValidDateTime(int mon, int day, int h, int mi, int sec) {
  return mon >= 1 && mon <= 12 && day >= 1 && day <= 31 && h <= 23 && mi <= 59 && sec <= 60;
}

// Seconds plus nanoseconds as a WallTime, clamped to the range the header documents
// (seconds(x) of an out-of-range x would overflow the nanosecond count: undefined).
WallTime Clamped(long long secs, long long nanos) {
  if (secs < kMinEpochSeconds) return WallTime(seconds(kMinEpochSeconds));
  if (secs >= kMaxEpochSeconds) return WallTime(seconds(kMaxEpochSeconds));
  return WallTime(std::chrono::duration_cast<system_clock::duration>(
      seconds(secs) + std::chrono::nanoseconds(nanos)));
}

WallTime Compose(int y, int mon, int day, int h, int mi, int sec, std::chrono::nanoseconds frac,
                 long long offset_seconds) {
  const long long days = DaysFromCivil(y, static_cast<unsigned>(mon), static_cast<unsigned>(day));
  const long long total = days * 86400 + h * 3600LL + mi * 60LL + sec - offset_seconds;
  return Clamped(total, frac.count());
}

// Any float spelling ("-5", "1e400", "inf"), clamped. from_chars, not strtod: it ignores
// the locale (a ',' decimal point would misread "1.5").
Result<WallTime> ParseFloatSeconds(std::string_view s, std::string_view text) {
  double value = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (p == s.data() || p != s.data() + s.size()) return Malformed("epoch time", text);
  if (ec == std::errc::result_out_of_range) {
    // The value is left unset: too large in magnitude, or too small (a negative exponent).
    const size_t e = s.find_first_of("eE");
    const bool tiny = e != std::string_view::npos && e + 1 < s.size() && s[e + 1] == '-';
    value = tiny ? 0.0 : (s.front() == '-' ? -1.0 : 1.0) * static_cast<double>(kMaxEpochSeconds);
  } else if (ec != std::errc() || std::isnan(value)) {
    return Malformed("epoch time", text);
  }
  if (value <= static_cast<double>(kMinEpochSeconds)) return Clamped(kMinEpochSeconds, 0);
  if (value >= static_cast<double>(kMaxEpochSeconds)) return Clamped(kMaxEpochSeconds, 0);
  const double whole = std::floor(value);
  return Clamped(static_cast<long long>(whole), std::llround((value - whole) * 1e9));
}

}  // namespace

Result<WallTime> ParseIso8601(std::string_view text) {
  std::string_view s = TrimWhitespace(text);
  int y, mon, day, h, mi, sec;
  if (!ReadInt(s, 4, y) || !Expect(s, '-') || !ReadInt(s, 2, mon) || !Expect(s, '-') ||
      !ReadInt(s, 2, day)) {
    return Malformed("ISO 8601 time", text);
  }
  if (s.empty() || (s.front() != 'T' && s.front() != 't' && s.front() != ' ')) {
    return Malformed("ISO 8601 time", text);
  }
  s.remove_prefix(1);
  if (!ReadInt(s, 2, h) || !Expect(s, ':') || !ReadInt(s, 2, mi) || !Expect(s, ':') ||
      !ReadInt(s, 2, sec)) {
    return Malformed("ISO 8601 time", text);
  }
  std::chrono::nanoseconds frac{0};
  if (!s.empty() && (s.front() == '.' || s.front() == ',')) {
    s.remove_prefix(1);
    long long nanos = 0;
    int digits = 0;
    while (!s.empty() && s.front() >= '0' && s.front() <= '9') {
      if (digits < 9) {
        nanos = nanos * 10 + (s.front() - '0');
        ++digits;
      }
      s.remove_prefix(1);
    }
    if (digits == 0) return Malformed("ISO 8601 time", text);
    for (int i = digits; i < 9; ++i) nanos *= 10;
    frac = std::chrono::nanoseconds(nanos);
  }
  long long offset = 0;
  if (!s.empty()) {
    if (s.front() == 'Z' || s.front() == 'z') {
      s.remove_prefix(1);
    } else if (s.front() == '+' || s.front() == '-') {
      const int sign = s.front() == '-' ? -1 : 1;
      s.remove_prefix(1);
      int oh, om = 0;
      if (!ReadInt(s, 2, oh)) return Malformed("ISO 8601 time", text);
      if (!s.empty()) {
        Expect(s, ':');
        if (!ReadInt(s, 2, om)) return Malformed("ISO 8601 time", text);
      }
      if (oh > 23 || om > 59) return Malformed("ISO 8601 time", text);
      offset = sign * (oh * 3600LL + om * 60LL);
    }
  }
  if (!s.empty() || !ValidDateTime(mon, day, h, mi, sec)) return Malformed("ISO 8601 time", text);
  return Compose(y, mon, day, h, mi, sec, frac, offset);
}

Result<WallTime> ParseHttpDate(std::string_view text) {
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::string_view s = TrimWhitespace(text);
  // "Sun, 29 Nov 2026 09:00:00 GMT"
  const size_t comma = s.find(',');
  if (comma == std::string_view::npos) return Malformed("HTTP date", text);
  s.remove_prefix(comma + 1);
  s = TrimWhitespace(s);
  int day, y, h, mi, sec;
  if (!ReadInt(s, 2, day) || !Expect(s, ' ') || s.size() < 3) return Malformed("HTTP date", text);
  int mon = 0;
  for (int i = 0; i < 12; ++i) {
    if (s.substr(0, 3) == kMonths[i]) mon = i + 1;
  }
  if (mon == 0) return Malformed("HTTP date", text);
  s.remove_prefix(3);
  if (!Expect(s, ' ') || !ReadInt(s, 4, y) || !Expect(s, ' ') || !ReadInt(s, 2, h) ||
      !Expect(s, ':') || !ReadInt(s, 2, mi) || !Expect(s, ':') || !ReadInt(s, 2, sec)) {
    return Malformed("HTTP date", text);
  }
  s = TrimWhitespace(s);
  if ((s != "GMT" && s != "UTC") || !ValidDateTime(mon, day, h, mi, sec)) {
    return Malformed("HTTP date", text);
  }
  return Compose(y, mon, day, h, mi, sec, std::chrono::nanoseconds{0}, 0);
}

Result<WallTime> ParseEpochSeconds(std::string_view text) {
  const std::string_view all = TrimWhitespace(text);
  std::string_view s = all;
  // The exact form Swift and rclone write: digits[.digits], kept to the nanosecond.
  long long secs = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), secs);
  if (ec != std::errc() || p == s.data() || secs < 0) return ParseFloatSeconds(all, text);
  s.remove_prefix(static_cast<size_t>(p - s.data()));
  long long nanos = 0;
  if (!s.empty() && s.front() == '.') {
    s.remove_prefix(1);
    int digits = 0;
    while (!s.empty() && s.front() >= '0' && s.front() <= '9') {
      if (digits < 9) {
        nanos = nanos * 10 + (s.front() - '0');
        ++digits;
      }
      s.remove_prefix(1);
    }
    for (int i = digits; i < 9; ++i) nanos *= 10;
  }
  if (!s.empty()) return ParseFloatSeconds(all, text);  // "1.5e9", "12abc"
  return Clamped(secs, nanos);
}

std::string FormatIso8601(WallTime t) {
  const std::time_t secs = system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

}  // namespace swiftfs
