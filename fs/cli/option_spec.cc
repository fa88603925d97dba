// Applying an OptionSpec to a value, and showing its default: the same code for every
// entry of the table, chosen by the entry's kind.

#include "cli/option_spec.h"

#include <cstdio>
#include <sstream>

#include "cli/option_values.h"
#include "swiftfs/common/strings.h"

namespace swiftfs::cli {
namespace {

Error Bad(const std::string& what) { return MakeError(ErrorCode::kInvalidArgument, what); }

// The value of a non-flag option, parsed by its kind; the error says what is wrong with it.
Result<OptionValue> ParseValue(const OptionSpec& spec, const std::string& text) {
  OptionValue value;
  switch (spec.kind) {
    case OptionKind::kFlag:
      value.flag = spec.flag_sets;
      return value;
    case OptionKind::kUnsigned: {
      auto n = ParseUnsigned(text, spec.max);
      if (!n) return n.error();
      if (*n < spec.min) return Bad("must be at least " + std::to_string(spec.min));
      value.number = *n;
      return value;
    }
    case OptionKind::kSize: {
      auto bytes = ParseSize(text);
      if (!bytes) return bytes.error();
      value.number = *bytes;
      return value;
    }
    case OptionKind::kSeconds: {
      auto seconds = ParseSeconds(text);
      if (!seconds) return seconds.error();
      if (spec.above_zero && seconds->count() <= 0) return Bad("must be above 0");
      value.seconds = *seconds;
      return value;
    }
    case OptionKind::kOctalMode: {
      auto mode = ParseOctalMode(text);
      if (!mode) return mode.error();
      value.number = *mode & 0777;
      return value;
    }
    case OptionKind::kLogLevel: {
      auto level = ParseLogLevel(text);
      if (!level) return level.error();
      value.level = *level;
      return value;
    }
    case OptionKind::kMtimeSource:
      if (text == "meta") {
        value.mtime = core::MtimeSource::kMeta;
      } else if (text == "server") {
        value.mtime = core::MtimeSource::kServer;
      } else {
        return Bad("'" + text + "' is not meta or server");
      }
      return value;
    case OptionKind::kPath:
      // Relative to what? The daemon runs in / once detached: refuse rather than guess.
      if (text.front() != '/') return Bad("'" + text + "' is not an absolute path");
      value.text = text;
      return value;
  }
  return Bad("unknown kind of option");
}

// 16 MiB as "16M": the largest suffix that divides the size exactly.
std::string FormatSize(uint64_t bytes) {
  constexpr std::pair<uint64_t, char> kSuffixes[] = {
      {1ull << 30, 'G'}, {1ull << 20, 'M'}, {1ull << 10, 'K'}};
  for (auto [unit, suffix] : kSuffixes) {
    if (bytes != 0 && bytes % unit == 0) return std::to_string(bytes / unit) + suffix;
  }
  return std::to_string(bytes);
}

std::string FormatSeconds(std::chrono::duration<double> seconds) {
  std::ostringstream out;
  out << seconds.count();  // 60 -> "60", 0.5 -> "0.5"
  return out.str();
}

std::string FormatMode(uint64_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%03o", static_cast<unsigned>(mode));
  return text;
}

}  // namespace

Status ApplyOption(const OptionSpec& spec, bool has_value, std::string_view value,
                   CliOptions& options) {
  const std::string name(spec.name);
  if (spec.kind == OptionKind::kFlag) {
    if (has_value) return Bad("option " + name + " takes no value");
  } else if (!has_value || value.empty()) {
    return Bad("option " + name + "= needs a value");
  }
  Result<OptionValue> parsed = ParseValue(spec, std::string(value));
  if (!parsed) return Bad("option " + name + "=: " + parsed.error().message);
  spec.target.store(*parsed, options);
  return OkStatus();
}

std::string_view Metavar(OptionKind kind) {
  switch (kind) {
    case OptionKind::kFlag:
      return "";
    case OptionKind::kUnsigned:
      return "N";
    case OptionKind::kSize:
      return "SIZE";
    case OptionKind::kSeconds:
      return "SEC";
    case OptionKind::kOctalMode:
      return "MODE";
    case OptionKind::kLogLevel:
      return "LEVEL";
    case OptionKind::kMtimeSource:
      return "SOURCE";
    case OptionKind::kPath:
      return "PATH";
  }
  return "";
}

std::string ShownDefault(const OptionSpec& spec) {
  if (!spec.default_text.empty()) return std::string(spec.default_text);
  const OptionValue value = spec.target.load(CliOptions{});
  switch (spec.kind) {
    case OptionKind::kFlag:
      return "";
    case OptionKind::kUnsigned:
      return std::to_string(value.number);
    case OptionKind::kSize:
      return FormatSize(value.number);
    case OptionKind::kSeconds:
      return FormatSeconds(value.seconds);
    case OptionKind::kOctalMode:
      return FormatMode(value.number);
    case OptionKind::kLogLevel:
      return ToLower(std::string(LogLevelName(value.level)));
    case OptionKind::kMtimeSource:
      return value.mtime == core::MtimeSource::kMeta ? "meta" : "server";
    case OptionKind::kPath:
      return value.text;
  }
  return "";
}

}  // namespace swiftfs::cli
