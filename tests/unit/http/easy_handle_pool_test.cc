#include "http/easy_handle_pool.h"

#include <gtest/gtest.h>

#include <vector>

#include "swiftfs/http/curl_http_client.h"

namespace swiftfs::http {
namespace {

class EasyHandlePoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto share = CurlShare::Create();
    ASSERT_TRUE(share.ok()) << share.error().ToString();
    share_ = std::move(*share);
  }
  CurlGlobal curl_global_;
  std::unique_ptr<CurlShare> share_;
};

TEST_F(EasyHandlePoolTest, KeepsAtMostMaxIdleHandles) {
  EasyHandlePool pool(*share_, 2);
  {
    std::vector<PooledEasyHandle> loans;
    for (int i = 0; i < 3; ++i) {
      auto handle = pool.Acquire();
      ASSERT_TRUE(handle.ok());
      loans.push_back(std::move(*handle));
    }
    EXPECT_EQ(pool.idle_count(), 0u);
  }
  EXPECT_EQ(pool.idle_count(), 2u);
}

TEST_F(EasyHandlePoolTest, ReusesTheMostRecentlyReturnedHandle) {
  EasyHandlePool pool(*share_, 4);
  CURL* first = nullptr;
  CURL* second = nullptr;
  {
    auto a = pool.Acquire();
    auto b = pool.Acquire();
    ASSERT_TRUE(a.ok() && b.ok());
    first = a->get();
    second = b->get();
    ASSERT_NE(first, second);
    // `b` is destroyed before `a`, so `a`'s handle is the last one returned.
  }
  auto again = pool.Acquire();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->get(), first);
  EXPECT_EQ(pool.idle_count(), 1u);
}

TEST_F(EasyHandlePoolTest, ZeroIdleFreesEveryHandle) {
  EasyHandlePool pool(*share_, 0);
  { ASSERT_TRUE(pool.Acquire().ok()); }
  EXPECT_EQ(pool.idle_count(), 0u);
}

}  // namespace
}  // namespace swiftfs::http
