#include "swiftfs/common/log.h"

#include <syslog.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>

namespace swiftfs {

std::string_view LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "DEBUG";
    case LogLevel::kInfo:
      return "INFO";
    case LogLevel::kWarning:
      return "WARNING";
    case LogLevel::kError:
      return "ERROR";
    case LogLevel::kOff:
      return "OFF";
  }
  return "?";
}

namespace {

// Length of the valid UTF-8 sequence starting at s[i] (1 to 4), or 0 when the bytes there
// are not one (stray continuation, overlong form, surrogate, above U+10FFFF, truncated).
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char lead = byte(i);
  size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    len = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    len = 3;
    if (lead == 0xE0) lo = 0xA0;  // overlong
    if (lead == 0xED) hi = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    len = 4;
    if (lead == 0xF0) lo = 0x90;  // overlong
    if (lead == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (i + len > s.size() || byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (size_t k = 2; k < len; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return len;
}

void AppendHex(std::string& out, unsigned char c) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += "\\x";
  out += kHex[c >> 4];
  out += kHex[c & 0xF];
}

std::string UtcTimestamp() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t secs = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(millis));
  return buf;
}

}  // namespace

std::string EscapeForLog(std::string_view message) {
  std::string out;
  out.reserve(message.size());
  for (size_t i = 0; i < message.size();) {
    const auto c = static_cast<unsigned char>(message[i]);
    if (c >= 0x20 && c < 0x7F) {
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    if (c == '\n' || c == '\r' || c == '\t') {
      out += c == '\n' ? "\\n" : c == '\r' ? "\\r" : "\\t";
      ++i;
      continue;
    }
    const size_t len = c >= 0x80 ? Utf8SequenceLength(message, i) : 0;
    // U+0080..U+009F (C2 80..C2 9F) are C1 controls: U+009B is a CSI to some terminals.
    const bool c1 = len == 2 && c == 0xC2 && static_cast<unsigned char>(message[i + 1]) < 0xA0;
    if (len == 0 || c1) {
      AppendHex(out, c);
      ++i;
      continue;
    }
    out.append(message.substr(i, len));
    i += len;
  }
  return out;
}

void Logger::Log(LogLevel level, std::string_view message) {
  if (!Enabled(level)) return;
  // Most messages need nothing escaped: pass them without a copy.
  const bool plain = std::all_of(message.begin(), message.end(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return c >= 0x20 && c < 0x7F;
  });
  if (plain) {
    Write(level, message);
  } else {
    Write(level, EscapeForLog(message));
  }
}

void StderrLogger::Write(LogLevel level, std::string_view message) {
  const std::string line = UtcTimestamp() + " swiftfs[" + std::to_string(getpid()) + "] " +
                           std::string(LogLevelName(level)) + " " + std::string(message) + "\n";
  std::lock_guard<std::mutex> lock(mu_);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

SyslogLogger::SyslogLogger(LogLevel threshold) : Logger(threshold) {
  openlog("swiftfs", LOG_PID, LOG_DAEMON);
}

SyslogLogger::~SyslogLogger() { closelog(); }

void SyslogLogger::Write(LogLevel level, std::string_view message) {
  int priority = LOG_INFO;
  switch (level) {
    case LogLevel::kDebug:
      priority = LOG_DEBUG;
      break;
    case LogLevel::kInfo:
      priority = LOG_INFO;
      break;
    case LogLevel::kWarning:
      priority = LOG_WARNING;
      break;
    case LogLevel::kError:
      priority = LOG_ERR;
      break;
    case LogLevel::kOff:
      return;
  }
  syslog(priority, "%.*s", static_cast<int>(message.size()), message.data());
}

void CapturingLogger::Write(LogLevel level, std::string_view message) {
  std::lock_guard<std::mutex> lock(mu_);
  lines_.push_back(std::string(LogLevelName(level)) + " " + std::string(message));
}

std::vector<std::string> CapturingLogger::Lines() const {
  std::lock_guard<std::mutex> lock(mu_);
  return lines_;
}

std::string CapturingLogger::Joined() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::string out;
  for (const auto& line : lines_) out += line + "\n";
  return out;
}

bool CapturingLogger::Contains(std::string_view needle) const {
  return Joined().find(needle) != std::string::npos;
}

}  // namespace swiftfs
