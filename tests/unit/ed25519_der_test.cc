// The direct Ed25519 key reader agrees with OpenSSL's decoder on keys the
// openssl command line makes, and declines (nullptr, so OpenSSL decides)
// everything that is not exactly an Ed25519 key block.
#include <doctest/doctest.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>
#include <string>
#include <vector>

#include "signing/ed25519_der.h"
#include "test_support.h"

namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

Pkey openssl_private(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  return Pkey(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

std::vector<uint8_t> raw_public(EVP_PKEY* key) {
  std::vector<uint8_t> out(32);
  size_t length = out.size();
  REQUIRE(EVP_PKEY_get_raw_public_key(key, out.data(), &length) == 1);
  return out;
}

std::vector<uint8_t> openssl_spki_der(EVP_PKEY* key) {
  unsigned char* der = nullptr;
  const int length = i2d_PUBKEY(key, &der);
  REQUIRE(length > 0);
  std::vector<uint8_t> out(der, der + length);
  OPENSSL_free(der);
  return out;
}

}  // namespace

TEST_CASE("ed25519 keys: the direct reader matches OpenSSL") {
  using test_support::run;
  for (int i = 0; i < 5; ++i) {
    const std::string private_pem = run("openssl genpkey -algorithm ed25519");
    const std::string public_pem =
        run("printf '%s\\n' " + test_support::quote(private_pem) + " | openssl pkey -pubout");
    const Pkey reference = openssl_private(private_pem);
    REQUIRE(reference);
    const Pkey direct(buildinfo::ed25519_private_key_from_pem(private_pem + "\n"));
    REQUIRE(direct);
    CHECK(EVP_PKEY_eq(direct.get(), reference.get()) == 1);
    const Pkey direct_public(buildinfo::ed25519_public_key_from_pem(public_pem));
    REQUIRE(direct_public);
    CHECK(raw_public(direct_public.get()) == raw_public(reference.get()));
    CHECK(buildinfo::ed25519_public_der(direct.get()) == openssl_spki_der(reference.get()));
  }
}

TEST_CASE("ed25519 keys: anything else is left to OpenSSL") {
  using test_support::run;
  const std::string ed25519 = run("openssl genpkey -algorithm ed25519");
  const std::string p256 = run("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256");
  CHECK(buildinfo::ed25519_private_key_from_pem(p256) == nullptr);
  CHECK(buildinfo::ed25519_public_key_from_pem(ed25519) == nullptr);  // a private key is not a public one
  CHECK(buildinfo::ed25519_private_key_from_pem(ed25519 + "\n" + ed25519) == nullptr);  // two blocks
  CHECK(buildinfo::ed25519_private_key_from_pem("text before\n" + ed25519) == nullptr);
  CHECK(buildinfo::ed25519_private_key_from_pem("") == nullptr);
  CHECK(buildinfo::ed25519_private_key_from_pem("-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n") ==
        nullptr);
  std::string damaged = ed25519;
  damaged[damaged.find('\n') + 5] = damaged[damaged.find('\n') + 5] == 'A' ? 'B' : 'A';  // a prefix byte
  CHECK(buildinfo::ed25519_private_key_from_pem(damaged) == nullptr);
  const Pkey p256_key = openssl_private(p256);
  REQUIRE(p256_key);
  CHECK(buildinfo::ed25519_public_der(p256_key.get()).empty());
}
