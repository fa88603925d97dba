#include "curl_errors.h"

#include <string>

namespace swiftfs::http {

ErrorCode ErrorCodeForCurl(CURLcode code) {
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return ErrorCode::kTimeout;

    case CURLE_URL_MALFORMAT:
    case CURLE_BAD_FUNCTION_ARGUMENT:
      return ErrorCode::kInvalidArgument;

    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CLIENTCERT:
    case CURLE_USE_SSL_FAILED:
      return ErrorCode::kTlsError;

    case CURLE_ABORTED_BY_CALLBACK:
      return ErrorCode::kCancelled;

    case CURLE_OUT_OF_MEMORY:
      return ErrorCode::kInternal;

    // Refused, unreachable, unresolvable, reset, closed early (PARTIAL_FILE: fewer bytes than
    // Content-Length; GOT_NOTHING: closed before a status line), or not speaking HTTP
    // (WEIRD_SERVER_REPLY, UNSUPPORTED_PROTOCOL for an HTTP/0.9 answer). All are failures of
    // the transport that a retry may cure.
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_SEND_FAIL_REWIND:
    default:
      return ErrorCode::kConnectionFailed;
  }
}

Error TransportError(CURLcode code, std::string_view what, std::string_view detail) {
  const ErrorCode error_code = ErrorCodeForCurl(code);
  std::string message(what);
  message += ": ";
  message += detail.empty() ? curl_easy_strerror(code) : detail;
  if (error_code == ErrorCode::kTlsError) {
    message +=
        " (to trust a private CA, give its PEM bundle with the ca_file option; the system "
        "store is used otherwise)";
  }
  return MakeError(error_code, std::move(message));
}

}  // namespace swiftfs::http
