#pragma once
// A throw-away self-signed certificate for 127.0.0.1 and localhost, made with the OpenSSL
// API at test time (no fixture files, no openssl binary), for HTTPS tests.

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>

namespace swiftfs::testing {

struct X509Deleter {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct EvpPkeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};

struct SelfSignedCert {
  std::unique_ptr<X509, X509Deleter> cert;
  std::unique_ptr<EVP_PKEY, EvpPkeyDeleter> key;
  std::string cert_pem;  // the certificate, PEM-encoded: a CA bundle that trusts it
};

// An EC P-256 certificate valid for a day, with subjectAltName IP:127.0.0.1 and
// DNS:localhost. Aborts the test program if OpenSSL fails.
SelfSignedCert MakeSelfSignedCert();

}  // namespace swiftfs::testing
