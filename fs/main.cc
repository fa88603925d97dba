// swiftfs: mount OpenStack Swift object storage read-only. See swiftfs(1).
#include "swiftfs/cli/app.h"

int main(int argc, char** argv) { return swiftfs::cli::RunSwiftfs(argc, argv); }
