#include "core/handle_table.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace swiftfs::core {
namespace {

// Records its destruction, to tell when the last reference went.
struct Tracked {
  explicit Tracked(bool* destroyed) : destroyed(destroyed) {}
  ~Tracked() { *destroyed = true; }
  bool* destroyed;
};

TEST(HandleTableTest, IdsStartAtOneAndAreNeverReused) {
  HandleTable<std::string> table;
  const uint64_t a = table.Add(std::make_shared<std::string>("a"));
  const uint64_t b = table.Add(std::make_shared<std::string>("b"));
  EXPECT_EQ(a, 1u);
  EXPECT_EQ(b, 2u);
  table.Release(a);
  const uint64_t c = table.Add(std::make_shared<std::string>("c"));
  EXPECT_EQ(c, 3u);
  EXPECT_EQ(table.Find(a), nullptr);  // a stale id finds nothing, not c
  ASSERT_NE(table.Find(c), nullptr);
  EXPECT_EQ(*table.Find(c), "c");
}

TEST(HandleTableTest, FindOfAnUnknownIdIsNull) {
  HandleTable<std::string> table;
  EXPECT_EQ(table.Find(0), nullptr);
  EXPECT_EQ(table.Find(7), nullptr);
  table.Release(7);  // ignored
  EXPECT_EQ(table.size(), 0u);
}

TEST(HandleTableTest, AHandleInUseOutlivesItsRelease) {
  HandleTable<Tracked> table;
  bool destroyed = false;
  const uint64_t id = table.Add(std::make_shared<Tracked>(&destroyed));
  std::shared_ptr<Tracked> in_use = table.Find(id);
  table.Release(id);
  EXPECT_EQ(table.Find(id), nullptr);
  EXPECT_EQ(table.size(), 0u);
  EXPECT_FALSE(destroyed);  // the operation holding it still uses it
  in_use.reset();
  EXPECT_TRUE(destroyed);
}

TEST(HandleTableTest, ReleaseDestroysAnUnusedHandle) {
  HandleTable<Tracked> table;
  bool destroyed = false;
  const uint64_t id = table.Add(std::make_shared<Tracked>(&destroyed));
  EXPECT_EQ(table.size(), 1u);
  table.Release(id);
  EXPECT_TRUE(destroyed);
  table.Release(id);  // twice: ignored
  EXPECT_EQ(table.size(), 0u);
}

}  // namespace
}  // namespace swiftfs::core
