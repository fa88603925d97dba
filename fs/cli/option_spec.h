#pragma once
// OptionSpec: the declaration of one of swiftfs's own -o options (name, kind of value,
// bounds, where the value goes, help text). The table of them (option_table.cc) is the
// one place an option is declared: the parser applies it, --help prints it with the
// default read from a default-constructed CliOptions, and the help/man test checks that
// man/swiftfs.1 documents it with that same default. The types here are the machinery;
// the table is data.

#include <chrono>
#include <concepts>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>

#include "swiftfs/cli/options.h"
#include "swiftfs/common/log.h"
#include "swiftfs/common/result.h"

namespace swiftfs::cli {

enum class OptionKind {
  kFlag,         // "name": no value; stores OptionSpec::flag_sets
  kUnsigned,     // "name=N": decimal, within [min, max]
  kSize,         // "name=SIZE": bytes with an optional K, M or G suffix
  kSeconds,      // "name=SEC": decimal seconds such as 30 or 0.5
  kOctalMode,    // "name=MODE": up to four octal digits, stored masked with 0777
  kLogLevel,     // "name=LEVEL": debug, info, warning, error or off
  kMtimeSource,  // "name=SOURCE": meta or server
  kPath,         // "name=PATH": an absolute path (the daemon's working directory is /)
};

enum class OptionSection { kFilesystem, kConnection };  // the --help heading

// A parsed value, in the field that belongs to its kind.
struct OptionValue {
  bool flag = false;                                   // kFlag
  uint64_t number = 0;                                 // kUnsigned, kSize, kOctalMode
  std::chrono::duration<double> seconds{0};            // kSeconds
  LogLevel level = LogLevel::kInfo;                    // kLogLevel
  core::MtimeSource mtime = core::MtimeSource::kMeta;  // kMtimeSource
  std::string text;                                    // kPath
};

// Where a value goes: stores it into, and reads it back from, one field of CliOptions.
struct OptionTarget {
  void (*store)(const OptionValue& value, CliOptions& options) = nullptr;
  OptionValue (*load)(const CliOptions& options) = nullptr;
};

// Declared with Option(...) and the modifiers below, e.g.
//   Option("max_threads", kUnsigned, At<&CliOptions::max_threads>(), "help").Range(1, 1024)
struct OptionSpec {
  std::string_view name;
  OptionKind kind = OptionKind::kFlag;
  OptionTarget target;
  std::string_view help;  // '\n' starts a continuation line in --help
  OptionSection section = OptionSection::kFilesystem;
  uint64_t min = 0;                                     // kUnsigned: smallest accepted
  uint64_t max = std::numeric_limits<uint64_t>::max();  // kUnsigned: largest accepted
  bool above_zero = false;                              // kSeconds: 0 is refused
  bool flag_sets = true;                                // kFlag: the value it stores
  // The default as --help and the man page word it, for a default only known at run time
  // (uid= is the mounting user's); empty: the default is CliOptions{}'s value.
  std::string_view default_text;

  constexpr OptionSpec Range(uint64_t lo, uint64_t hi) const {
    OptionSpec s = *this;
    s.min = lo;
    s.max = hi;
    return s;
  }
  constexpr OptionSpec AboveZero() const {
    OptionSpec s = *this;
    s.above_zero = true;
    return s;
  }
  constexpr OptionSpec Sets(bool value) const {
    OptionSpec s = *this;
    s.flag_sets = value;
    return s;
  }
  constexpr OptionSpec In(OptionSection where) const {
    OptionSpec s = *this;
    s.section = where;
    return s;
  }
  constexpr OptionSpec DefaultText(std::string_view text) const {
    OptionSpec s = *this;
    s.default_text = text;
    return s;
  }
};

constexpr OptionSpec Option(std::string_view name, OptionKind kind, OptionTarget target,
                            std::string_view help) {
  OptionSpec s;
  s.name = name;
  s.kind = kind;
  s.target = target;
  s.help = help;
  return s;
}

// The table (option_table.cc), in --help order.
std::span<const OptionSpec> MountOptionTable();
// The entry named `name`, or nullptr.
const OptionSpec* FindMountOption(std::string_view name);

// Parses `value` as `spec` says and stores it. kInvalidArgument naming the option and
// what is wrong: "option NAME= needs a value", "option NAME takes no value",
// "option NAME=: '99999' is larger than 1024", "option NAME=: must be at least 1".
Status ApplyOption(const OptionSpec& spec, bool has_value, std::string_view value,
                   CliOptions& options);

// "N", "SIZE", "SEC", "MODE", "LEVEL"; "" for a flag.
std::string_view Metavar(OptionKind kind);
// The default as --help shows it ("60", "16M", "022", "info"); "" for a flag (off).
std::string ShownDefault(const OptionSpec& spec);

// A command-line switch: "-f", "--foreground".
struct SwitchSpec {
  std::string_view short_name;  // "" when there is none
  std::string_view long_name;
  std::string_view help;
  void (*apply)(CliOptions& options) = nullptr;
};

std::span<const SwitchSpec> SwitchTable();
const SwitchSpec* FindSwitch(std::string_view arg);  // by either name; nullptr if none

// ---- Binding a field: At<&CliOptions::member>() or At<&CliOptions::fs, &FsOptions::x>().

namespace option_detail {

inline void StoreInto(const OptionValue& v, bool& field) { field = v.flag; }
template <std::unsigned_integral T>  // bool takes the overload above
void StoreInto(const OptionValue& v, T& field) {
  field = static_cast<T>(v.number);  // the entry's max keeps it in range (tested)
}
// Any duration: seconds as given, milliseconds truncated (2.0005 s is 2000 ms), ...
template <typename Rep, typename Period>
void StoreInto(const OptionValue& v, std::chrono::duration<Rep, Period>& field) {
  field = std::chrono::duration_cast<std::chrono::duration<Rep, Period>>(v.seconds);
}
inline void StoreInto(const OptionValue& v, LogLevel& field) { field = v.level; }
inline void StoreInto(const OptionValue& v, core::MtimeSource& field) { field = v.mtime; }
inline void StoreInto(const OptionValue& v, std::string& field) { field = v.text; }

inline OptionValue LoadFrom(bool field) {
  OptionValue v;
  v.flag = field;
  return v;
}
template <std::unsigned_integral T>  // bool takes the overload above
OptionValue LoadFrom(T field) {
  OptionValue v;
  v.number = field;
  return v;
}
template <typename Rep, typename Period>
OptionValue LoadFrom(std::chrono::duration<Rep, Period> field) {
  OptionValue v;
  v.seconds = std::chrono::duration<double>(field);
  return v;
}
inline OptionValue LoadFrom(LogLevel field) {
  OptionValue v;
  v.level = field;
  return v;
}
inline OptionValue LoadFrom(core::MtimeSource field) {
  OptionValue v;
  v.mtime = field;
  return v;
}
inline OptionValue LoadFrom(const std::string& field) {
  OptionValue v;
  v.text = field;
  return v;
}

}  // namespace option_detail

// The field reached from CliOptions through the member pointers `Path`, in order.
template <auto... Path>
constexpr OptionTarget At() {
  return {[](const OptionValue& value, CliOptions& options) {
            option_detail::StoreInto(value, (options.*....*Path));
          },
          [](const CliOptions& options) { return option_detail::LoadFrom((options.*....*Path)); }};
}

}  // namespace swiftfs::cli
