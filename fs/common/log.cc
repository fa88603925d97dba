#include "swiftfs/common/log.h"

#include <syslog.h>
#include <unistd.h>

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
