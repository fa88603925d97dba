// Fuzzes the command line parser: the input is split at NUL bytes into arguments; the
// first one is also given as a `-o` string before a source and mountpoint, the way
// mount(8) calls swiftfs. Any answer is fine; a crash or UB is not.
#include <string>
#include <vector>

#include "swiftfs/cli/options.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace swiftfs;
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> args;
  for (size_t start = 0;;) {
    const size_t nul = text.find('\0', start);
    args.push_back(text.substr(start, nul - start));
    if (nul == std::string::npos) break;
    start = nul + 1;
  }
  const cli::ParseDefaults defaults{1000, 1000};
  (void)cli::ParseCommandLine(args, defaults);
  const std::vector<std::string> mount = {"swiftfs", "/mnt", "-o", args.front()};
  (void)cli::ParseCommandLine(mount, defaults);
  return 0;
}
