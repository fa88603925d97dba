// An interrupt ends an operation only when the caller is being killed (fatal_signal.h):
// SIGKILL pending in /proc/<tid>/status, per thread (SigPnd) or process-wide (ShdPnd).

#include "fuse/fatal_signal.h"

#include <gtest/gtest.h>
#include <unistd.h>

namespace swiftfs::fuse::internal {
namespace {

constexpr const char* kStatusHead = "Name:\tcat\nState:\tS (sleeping)\nTgid:\t4242\n";

TEST(FatalSignalTest, SigkillPendingOnTheThreadIsFatal) {
  const std::string status =
      std::string(kStatusHead) + "SigPnd:\t0000000000000100\nShdPnd:\t0000000000000000\n";
  EXPECT_TRUE(StatusShowsKillPending(status));
}

TEST(FatalSignalTest, SigkillPendingForTheProcessIsFatal) {
  const std::string status =
      std::string(kStatusHead) + "SigPnd:\t0000000000000000\nShdPnd:\t0000000000000100\n";
  EXPECT_TRUE(StatusShowsKillPending(status));
}

TEST(FatalSignalTest, AHandledSignalIsNot) {
  // SIGCHLD (17, bit 16) and SIGINT (2, bit 1) pending, no SIGKILL: a shell whose child
  // exited, or a program that catches Ctrl-C.
  const std::string status =
      std::string(kStatusHead) + "SigPnd:\t0000000000010002\nShdPnd:\t0000000000010000\n";
  EXPECT_FALSE(StatusShowsKillPending(status));
  EXPECT_FALSE(StatusShowsKillPending(""));
  EXPECT_FALSE(StatusShowsKillPending("SigPnd:\tzz\n"));
}

TEST(FatalSignalTest, ThisRunningThreadIsNotBeingKilled) {
  EXPECT_FALSE(FatalSignalPending(gettid()));
}

TEST(FatalSignalTest, AnUnknownCallerHonoursTheInterrupt) { EXPECT_TRUE(FatalSignalPending(0)); }

}  // namespace
}  // namespace swiftfs::fuse::internal
