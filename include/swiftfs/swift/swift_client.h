#pragma once
// SwiftClient: ObjectClient over Swift's HTTP API. Every request goes through an
// AuthenticatedSender (token header, one re-authentication on 401), except GET /info,
// which needs no token. It does not retry: wrap it in a RetryingObjectClient
// (retrying_object_client.h). Thread-safe: it holds no mutable state of its own.
//
// Counters: one of kHeadRequests / kListRequests / kGetRequests / kOtherRequests per HTTP
// request sent (a resend after a 401 counts again), kBytesFetched per object byte received.

#include <chrono>

#include "swiftfs/auth/authenticated_sender.h"
#include "swiftfs/auth/token_provider.h"
#include "swiftfs/common/counters.h"
#include "swiftfs/common/log.h"
#include "swiftfs/http/http_client.h"
#include "swiftfs/swift/object_client.h"

namespace swiftfs::swift {

struct SwiftClientOptions {
  // Overall deadline of HEAD and listing requests. Object reads have none: they rely on
  // the transport's low-speed timeout, so a large slow read is not cut short.
  std::chrono::milliseconds metadata_timeout{30'000};
};

class SwiftClient final : public ObjectClient {
 public:
  // Every reference must outlive the client.
  SwiftClient(http::HttpClient& http, auth::TokenProvider& tokens, Counters& counters,
              Logger& logger, SwiftClientOptions options = {});

  // Defaults (and a debug line) when /info is absent, disabled or unreadable; an Error
  // only when no storage URL can be obtained at all.
  Result<ClusterInfo> GetClusterInfo() override;
  Result<AccountInfo> HeadAccount() override;
  Result<ContainerPage> ListContainers(const std::string& marker, uint32_t limit) override;
  Result<ContainerEntry> HeadContainer(const std::string& container) override;
  Result<ListPage> ListObjects(const ListRequest& request) override;
  // HEADs with ?symlink=get: for a Swift symlink this describes the link itself
  // (symlink_target set, size 0), not the object it points to.
  Result<ObjectInfo> HeadObject(const std::string& container, const std::string& name) override;
  // See ObjectClient::GetRange. `if_match` is sent quoted; a reply carrying another ETag
  // is refused even if the server ignored If-Match. Swift 2.30 honours If-Match on SLO and
  // DLO manifests against the ETag that HEAD reports (the assembled object's), not the
  // listing's hash of a DLO manifest: take a DLO's ETag from HeadObject. Limitation: a DLO
  // of 10,000+ segments has no assembled ETag (Swift sends the manifest's own), so If-Match
  // then cannot see a segment being replaced; Swift also answers 200 with the whole body
  // for ranges past its first listing page, which the read handles by slicing.
  // One attempt only: a reply shorter than the range (a short 206, a body cut off by a
  // reset or an early close) returns what arrived with complete == false and the object's
  // size when the reply told it; RetryingObjectClient resumes from there.
  Result<ReadResult> GetRange(const std::string& container, const std::string& name,
                              uint64_t offset, std::span<char> buffer,
                              const std::string& if_match) override;
  // `control.timeout` bounds the transfer; `control.cancel` aborts it (kCancelled).
  Result<ReadResult> GetRange(const std::string& container, const std::string& name,
                              uint64_t offset, std::span<char> buffer, const std::string& if_match,
                              const ReadControl& control) override;

 private:
  using UrlFor = std::function<std::string(const auth::Session&)>;
  // Sends one metadata request (HEAD or listing GET) through the sender, counting it.
  Result<http::Response> SendMetadata(http::Method method, Counter counter, std::string_view target,
                                      const UrlFor& url);

  http::HttpClient& http_;
  auth::TokenProvider& tokens_;
  auth::AuthenticatedSender sender_;
  Counters& counters_;
  Logger& logger_;
  const SwiftClientOptions options_;
};

}  // namespace swiftfs::swift
