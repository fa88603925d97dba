// DirectoryDemand: when listing a directory is worth more than asking name by name.
#include "core/directory_demand.h"

#include <gtest/gtest.h>

#include "support/fake_clock.h"

namespace swiftfs::core {
namespace {

using std::chrono::seconds;

class DirectoryDemandTest : public ::testing::Test {
 protected:
  testing::FakeClock clock_;
  DirectoryDemand demand_{clock_, seconds(60), 3};
};

TEST_F(DirectoryDemandTest, TheThirdUseInAWindowIsWorthAListing) {
  EXPECT_FALSE(demand_.Use("c/d/"));
  EXPECT_FALSE(demand_.Use("c/d/"));
  EXPECT_FALSE(demand_.Use("c/other/"));  // per directory
  EXPECT_TRUE(demand_.Use("c/d/"));
  EXPECT_TRUE(demand_.Use("c/d/"));
}

TEST_F(DirectoryDemandTest, DemandFadesWhenTheDirectoryIsLeftAlone) {
  EXPECT_FALSE(demand_.Use("c/d/"));
  EXPECT_FALSE(demand_.Use("c/d/"));
  clock_.Advance(seconds(61));  // the window before still counts
  EXPECT_TRUE(demand_.Use("c/d/"));
  clock_.Advance(seconds(200));  // two windows and more: nothing left
  EXPECT_FALSE(demand_.Use("c/d/"));
}

TEST_F(DirectoryDemandTest, AWalkStaysBusyAcrossWindows) {
  for (int i = 0; i < 10; ++i) demand_.Use("c/d/");
  for (int i = 0; i < 300; ++i) {
    clock_.Advance(seconds(1));
    EXPECT_TRUE(demand_.Use("c/d/")) << i;
  }
}

TEST_F(DirectoryDemandTest, ASlowListingDoesNotMakeABusyDirectoryLookIdle) {
  for (int i = 0; i < 10; ++i) demand_.Use("c/d/");
  const auto started = clock_.Monotonic();
  clock_.Advance(seconds(130));  // the walk waited this long for the listing
  demand_.Listed("c/d/", started, 2, true);
  EXPECT_TRUE(demand_.Use("c/d/"));
  clock_.Advance(seconds(61));  // still the window after the listing's
  EXPECT_TRUE(demand_.Use("c/d/"));
  // A listing nobody asked for (a readdir an hour later) brings no demand with it.
  clock_.Advance(seconds(3600));
  demand_.Listed("c/d/", clock_.Monotonic(), 2, true);
  EXPECT_FALSE(demand_.Use("c/d/"));
}

TEST_F(DirectoryDemandTest, ALargerDirectoryNeedsMoreUses) {
  demand_.Listed("c/d/", clock_.Monotonic(), 5, true);  // its listing took five pages
  for (int i = 0; i < 4; ++i) EXPECT_FALSE(demand_.Use("c/d/")) << i;
  EXPECT_TRUE(demand_.Use("c/d/"));
}

TEST_F(DirectoryDemandTest, ADirectoryTooLargeToHoldWaitsAWindow) {
  for (int i = 0; i < 5; ++i) demand_.Use("c/d/");
  demand_.Listed("c/d/", clock_.Monotonic(), 0, false);
  EXPECT_FALSE(demand_.Use("c/d/"));
  clock_.Advance(seconds(61));
  EXPECT_TRUE(demand_.Use("c/d/"));
}

TEST_F(DirectoryDemandTest, BoundedByForgettingTheLeastRecentlyUsed) {
  demand_.Use("a");
  demand_.Use("a");
  clock_.Advance(seconds(1));
  demand_.Use("b");
  demand_.Use("c");
  demand_.Use("d");  // capacity 3: "a" is forgotten
  EXPECT_FALSE(demand_.Use("a"));
  EXPECT_FALSE(demand_.Use("a"));
  EXPECT_TRUE(demand_.Use("a"));
}

}  // namespace
}  // namespace swiftfs::core
