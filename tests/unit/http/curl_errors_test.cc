#include "http/curl_errors.h"

#include <gtest/gtest.h>

namespace swiftfs::http {
namespace {

TEST(CurlErrorsTest, MapsEachFamily) {
  EXPECT_EQ(ErrorCodeForCurl(CURLE_OPERATION_TIMEDOUT), ErrorCode::kTimeout);
  EXPECT_EQ(ErrorCodeForCurl(CURLE_COULDNT_CONNECT), ErrorCode::kConnectionFailed);
  EXPECT_EQ(ErrorCodeForCurl(CURLE_COULDNT_RESOLVE_HOST), ErrorCode::kConnectionFailed);
  EXPECT_EQ(ErrorCodeForCurl(CURLE_PARTIAL_FILE), ErrorCode::kConnectionFailed);
  EXPECT_EQ(ErrorCodeForCurl(CURLE_RECV_ERROR), ErrorCode::kConnectionFailed);
  EXPECT_EQ(ErrorCodeForCurl(CURLE_GOT_NOTHING), ErrorCode::kConnectionFailed);
  EXPECT_EQ(ErrorCodeForCurl(CURLE_PEER_FAILED_VERIFICATION), ErrorCode::kTlsError);
  EXPECT_EQ(ErrorCodeForCurl(CURLE_SSL_CONNECT_ERROR), ErrorCode::kTlsError);
  EXPECT_EQ(ErrorCodeForCurl(CURLE_SSL_CACERT_BADFILE), ErrorCode::kTlsError);
  EXPECT_EQ(ErrorCodeForCurl(CURLE_URL_MALFORMAT), ErrorCode::kInvalidArgument);
  EXPECT_EQ(ErrorCodeForCurl(CURLE_ABORTED_BY_CALLBACK), ErrorCode::kCancelled);
  EXPECT_EQ(ErrorCodeForCurl(CURLE_OUT_OF_MEMORY), ErrorCode::kInternal);
}

TEST(CurlErrorsTest, MessageNamesRequestAndDetail) {
  const Error e = TransportError(CURLE_COULDNT_CONNECT, "GET host:1/v1/a", "Connection refused");
  EXPECT_EQ(e.code, ErrorCode::kConnectionFailed);
  EXPECT_EQ(e.message, "GET host:1/v1/a: Connection refused");
}

TEST(CurlErrorsTest, FallsBackToCurlTextWithoutDetail) {
  const Error e = TransportError(CURLE_OPERATION_TIMEDOUT, "HEAD h/p", "");
  EXPECT_EQ(e.code, ErrorCode::kTimeout);
  EXPECT_EQ(e.message, std::string("HEAD h/p: ") + curl_easy_strerror(CURLE_OPERATION_TIMEDOUT));
}

TEST(CurlErrorsTest, TlsErrorPointsAtTheCaOption) {
  const Error e = TransportError(CURLE_PEER_FAILED_VERIFICATION, "GET h/p", "bad cert");
  EXPECT_EQ(e.code, ErrorCode::kTlsError);
  EXPECT_NE(e.message.find("ca_file"), std::string::npos);
}

}  // namespace
}  // namespace swiftfs::http
