#pragma once
// Logging through an injected Logger (no global logger). Every component that logs takes a
// Logger& in its constructor. Messages must never contain secrets: log a token as
// TokenFingerprint() (secret.h) at most.

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace swiftfs {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3, kOff = 4 };

std::string_view LogLevelName(LogLevel level);

// `message` with control characters (C0, DEL, C1) and bytes that are not valid UTF-8
// shown as escapes: "\n", "\r", "\t", else "\xHH" per byte. Valid UTF-8 text passes
// unchanged. Backslashes are not doubled, so escaping twice (a logger forwarding to
// another) changes nothing more.
std::string EscapeForLog(std::string_view message);

class Logger {
 public:
  explicit Logger(LogLevel threshold = LogLevel::kInfo) : threshold_(threshold) {}
  virtual ~Logger() = default;

  bool Enabled(LogLevel level) const { return level >= threshold_; }
  LogLevel threshold() const { return threshold_; }

  // Writes `message` through EscapeForLog: messages carry object names, which are
  // arbitrary bytes, and a newline or escape sequence in one must not forge a log line or
  // drive the terminal. Escaping here, at the one entry point, covers every message.
  void Log(LogLevel level, std::string_view message);
  void Debug(std::string_view m) { Log(LogLevel::kDebug, m); }
  void Info(std::string_view m) { Log(LogLevel::kInfo, m); }
  void Warning(std::string_view m) { Log(LogLevel::kWarning, m); }
  void Error(std::string_view m) { Log(LogLevel::kError, m); }

 protected:
  // Called only for enabled levels. Must be thread-safe.
  virtual void Write(LogLevel level, std::string_view message) = 0;

 private:
  const LogLevel threshold_;
};

// Writes "2026-11-29T09:00:00.123Z swiftfs[pid] LEVEL message" lines to stderr.
class StderrLogger final : public Logger {
 public:
  using Logger::Logger;

 protected:
  void Write(LogLevel level, std::string_view message) override;

 private:
  std::mutex mu_;
};

// Writes to syslog (daemon facility), for the backgrounded daemon.
class SyslogLogger final : public Logger {
 public:
  explicit SyslogLogger(LogLevel threshold);
  ~SyslogLogger() override;

 protected:
  void Write(LogLevel level, std::string_view message) override;
};

// Keeps every line in memory: tests assert on content (and on the absence of secrets).
class CapturingLogger final : public Logger {
 public:
  explicit CapturingLogger(LogLevel threshold = LogLevel::kDebug) : Logger(threshold) {}
  std::vector<std::string> Lines() const;
  std::string Joined() const;  // all lines separated by '\n'
  bool Contains(std::string_view needle) const;

 protected:
  void Write(LogLevel level, std::string_view message) override;

 private:
  mutable std::mutex mu_;
  std::vector<std::string> lines_;
};

class NullLogger final : public Logger {
 public:
  NullLogger() : Logger(LogLevel::kOff) {}

 protected:
  void Write(LogLevel, std::string_view) override {}
};

}  // namespace swiftfs
