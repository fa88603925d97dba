#pragma once
// SwiftClient: ObjectClient over Swift's HTTP API. Every request goes through an
// AuthenticatedSender (token header, one re-authentication on 401), except GET /info,
// which needs no token. It does not retry: wrap it in a RetryingObjectClient
// (retrying_object_client.h). Thread-safe: it holds no mutable state of its own.
//
// Counters: one of kHeadRequests / kListRequests / kGetRequests / kOtherRequests /
// kPutRequests / kDeleteRequests / kCopyRequests / kPostRequests per HTTP request sent (a
// resend after a 401 counts again), kBytesFetched per object byte received, kBytesUploaded
// per object byte sent (each attempt).
//
// The writes live in swift_writes.cc. How each verb talks to Swift 2.30:
//  - UploadObject: PUT with ETag (unquoted MD5), Content-Type, X-Object-Meta-*, and
//    If-None-Match: * (a 412 is then kExists); the body is sent from the caller's memory.
//  - UploadManifest: PUT ?multipart-manifest=put&heartbeat=on with Accept: application/json:
//    Swift answers 202 at once and the real status in the JSON body ("Response Status"),
//    which is what is reported; a 400 (a segment missing or changed) is kInvalidArgument
//    with Swift's per-segment reasons in the message.
//  - GetManifest: GET ?multipart-manifest=get&format=raw; an object that is not an SLO is
//    kInvalidArgument without its data being downloaded.
//  - DeleteObject kWithSegments: DELETE ?multipart-manifest=delete (JSON reply as above);
//    Swift refuses that for an object that is not an SLO ("Not an SLO manifest"), which is
//    then deleted by a plain DELETE. A reply that found nothing to delete is kNotFound.
//  - CopyObject: PUT ?multipart-manifest=get with X-Copy-From (so a manifest is copied as a
//    manifest), X-Fresh-Metadata when metadata is given. Swift applies the conditional
//    headers of a copy to its source: If-Match works as the contract says, but for an SLO it
//    compares the manifest document's ETag, so after a 412 the source is HEADed and, if it
//    is an SLO whose ETag is the one asked for, the copy is sent again with If-Match on its
//    X-Manifest-Etag (the same version, so still exact). If-None-Match on a copy would
//    test the source (Swift answers 304), so `if_none_match` HEADs the destination first:
//    a create racing with ours between that HEAD and the copy is overwritten (documented
//    limitation; Swift offers nothing atomic here).
//  - PostObject: POST with X-Object-Meta-* (and Content-Type when given).
//  - PutContainer (201 or 202 both fine), DeleteContainer (409 kConflict when not empty).

#include <chrono>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <vector>

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
  // Overall deadline of a manifest PUT and of a DELETE with segments: Swift checks or
  // deletes every segment before it answers, which on a large manifest takes minutes (the
  // reply trickles in as a heartbeat, so the low-speed abort is off for these).
  std::chrono::milliseconds manifest_timeout{600'000};
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

  // Writes (swift_writes.cc); see the notes at the top of this file.
  Result<WriteResult> UploadObject(const ObjectWrite& write, std::span<const char> body) override;
  Result<WriteResult> UploadManifest(const ObjectWrite& write,
                                     const std::vector<SloSegment>& segments) override;
  Result<std::vector<SloSegment>> GetManifest(const std::string& container,
                                              const std::string& name) override;
  Status DeleteObject(const std::string& container, const std::string& name,
                      DeleteMode mode) override;
  Result<WriteResult> CopyObject(const std::string& source_container,
                                 const std::string& source_name,
                                 const ObjectWrite& destination) override;
  Status PostObject(const std::string& container, const std::string& name,
                    const std::map<std::string, std::string>& metadata,
                    const std::string& content_type) override;
  Status PutContainer(const std::string& container) override;
  Status DeleteContainer(const std::string& container) override;

 private:
  using UrlFor = std::function<std::string(const auth::Session&)>;
  // Sends one metadata request (HEAD or listing GET) through the sender, counting it.
  Result<http::Response> SendMetadata(http::Method method, Counter counter, std::string_view target,
                                      const UrlFor& url);
  using Build = std::function<void(http::Request&, const auth::Session&)>;
  // Sends one write request: `build` fills in URL, headers and body for each attempt (a
  // resend after a 401 builds it again); counts `counter` and `upload_bytes` per attempt.
  Result<http::Response> SendWrite(http::Method method, Counter counter, std::string_view target,
                                   uint64_t upload_bytes, const Build& build);
  // One copy request (see CopyObject); `if_match` already chosen.
  Result<http::Response> SendCopy(const std::string& source_container,
                                  const std::string& source_name, const ObjectWrite& destination,
                                  const std::string& if_match);
  Status PlainDelete(const std::string& container, const std::string& name);

  http::HttpClient& http_;
  auth::TokenProvider& tokens_;
  auth::AuthenticatedSender sender_;
  Counters& counters_;
  Logger& logger_;
  const SwiftClientOptions options_;
};

}  // namespace swiftfs::swift
