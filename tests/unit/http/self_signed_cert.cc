#include "unit/http/self_signed_cert.h"

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <cstdlib>

namespace swiftfs::testing {

namespace {

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "OpenSSL failed: %s\n", what);
    std::abort();
  }
}

void AddExtension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  Check(ext != nullptr, "X509V3_EXT_conf_nid");
  Check(X509_add_ext(cert, ext, -1) == 1, "X509_add_ext");
  X509_EXTENSION_free(ext);
}

}  // namespace

SelfSignedCert MakeSelfSignedCert() {
  SelfSignedCert out;
  out.key.reset(EVP_EC_gen("P-256"));
  Check(out.key != nullptr, "EVP_EC_gen");

  out.cert.reset(X509_new());
  X509* cert = out.cert.get();
  Check(cert != nullptr, "X509_new");
  Check(X509_set_version(cert, 2) == 1, "X509_set_version");
  Check(ASN1_INTEGER_set(X509_get_serialNumber(cert), 1) == 1, "serial");
  Check(X509_gmtime_adj(X509_getm_notBefore(cert), -60) != nullptr, "notBefore");
  Check(X509_gmtime_adj(X509_getm_notAfter(cert), 24 * 3600) != nullptr, "notAfter");
  Check(X509_set_pubkey(cert, out.key.get()) == 1, "X509_set_pubkey");
  X509_NAME* name = X509_get_subject_name(cert);
  Check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1,
                                   0) == 1,
        "CN");
  Check(X509_set_issuer_name(cert, name) == 1, "issuer");
  AddExtension(cert, NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost");
  AddExtension(cert, NID_basic_constraints, "critical,CA:TRUE");
  AddExtension(cert, NID_subject_key_identifier, "hash");
  Check(X509_sign(cert, out.key.get(), EVP_sha256()) > 0, "X509_sign");

  BIO* bio = BIO_new(BIO_s_mem());
  Check(bio != nullptr && PEM_write_bio_X509(bio, cert) == 1, "PEM_write_bio_X509");
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  out.cert_pem.assign(data, static_cast<size_t>(size));
  BIO_free(bio);
  return out;
}

}  // namespace swiftfs::testing
