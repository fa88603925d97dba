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

TEST_F(DirectoryDemandTest, ALargerDirectoryNeedsMoreUses) {
  demand_.Listed("c/d/", 5, true);  // its listing took five pages
  for (int i = 0; i < 4; ++i) EXPECT_FALSE(demand_.Use("c/d/")) << i;
  EXPECT_TRUE(demand_.Use("c/d/"));
}

TEST_F(DirectoryDemandTest, ADirectoryTooLargeToHoldWaitsAWindow) {
  for (int i = 0; i < 5; ++i) demand_.Use("c/d/");
  demand_.Listed("c/d/", 0, false);
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
