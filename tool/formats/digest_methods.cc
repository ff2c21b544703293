// Digest methods fetched once (see digest_methods.h).
#include "formats/digest_methods.h"

#include <openssl/crypto.h>

#include "support/error.h"

namespace buildinfo {
namespace {

// Fetched methods live until the process ends; the fetch is thread-safe.
const EVP_MD* fetch(const char* name) {
  const EVP_MD* method = EVP_MD_fetch(nullptr, name, nullptr);
  if (method == nullptr) throw internal_error(std::string("OpenSSL has no ") + name + " implementation");
  return method;
}

}  // namespace

const EVP_MD* sha1_method() {
  static const EVP_MD* const method = fetch("SHA1");
  return method;
}

const EVP_MD* sha256_method() {
  static const EVP_MD* const method = fetch("SHA2-256");
  return method;
}

const EVP_MD* sha384_method() {
  static const EVP_MD* const method = fetch("SHA2-384");
  return method;
}

void start_openssl_for_digests_only() {
  OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG | OPENSSL_INIT_NO_ADD_ALL_CIPHERS | OPENSSL_INIT_NO_ADD_ALL_DIGESTS,
                      nullptr);
}

}  // namespace buildinfo
