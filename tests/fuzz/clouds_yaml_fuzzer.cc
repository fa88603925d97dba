// Fuzzes clouds.yaml: the input is written as the clouds.yaml of a scratch directory and
// LoadCloud reads cloud "fuzz" from it (yaml-cpp throws on bad YAML and on a node of the
// wrong type; LoadCloud must turn every such case into an Error).
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "auth/clouds_yaml.h"

namespace {

// One directory per process, removed at exit; the fuzzer is single-threaded.
const std::string& ScratchDir() {
  static const std::string dir = [] {
    char pattern[] = "/tmp/swiftfs-clouds-fuzz-XXXXXX";
    if (!mkdtemp(pattern)) std::abort();
    return std::string(pattern);
  }();
  return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string file = ScratchDir() + "/clouds.yaml";
  FILE* out = std::fopen(file.c_str(), "wb");
  if (!out) std::abort();
  if (size) std::fwrite(data, 1, size, out);
  std::fclose(out);
  (void)swiftfs::auth::LoadCloud("fuzz", swiftfs::auth::ConfigSearchPath{{ScratchDir()}},
                                 std::nullopt);
  return 0;
}
