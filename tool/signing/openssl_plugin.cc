// buildinfo-openssl.so: Ed25519 and ECDSA P-256 keys, signatures and key
// generation with the OpenSSL 3 EVP API, behind the C table of
// plugin_abi.h. The only code that links OpenSSL: a run that signs nothing
// never loads it (docs/PERFORMANCE.md).
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <climits>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "plugins/plugin_abi.h"
#include "signing/ed25519_der.h"
#include "support/error.h"

namespace buildinfo {
namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct BioFree {
  void operator()(BIO* p) const { BIO_free(p); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
struct OpensslFree {
  void operator()(unsigned char* p) const { OPENSSL_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using BioPtr = std::unique_ptr<BIO, BioFree>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using OpensslBytes = std::unique_ptr<unsigned char, OpensslFree>;

// A result and the storage its pointers point into.
struct Owned {
  buildinfo_openssl_result result{};
  std::string message;
  PkeyPtr key;
  std::vector<uint8_t> public_der;
  std::string private_pem;
  std::vector<uint8_t> signature;

  ~Owned() {
    if (!private_pem.empty()) OPENSSL_cleanse(&private_pem[0], private_pem.size());
  }

  buildinfo_openssl_result* publish() {
    result.message = message.empty() ? nullptr : message.c_str();
    result.key = key.get();
    result.public_der = public_der.data();
    result.public_der_size = public_der.size();
    result.private_pem = private_pem.empty() ? nullptr : private_pem.c_str();
    result.private_pem_size = private_pem.size();
    result.signature = signature.data();
    result.signature_size = signature.size();
    result.owner = this;
    return &result;
  }
};

// The most recent OpenSSL error reason (for messages), emptying the queue.
std::string openssl_reason() {
  unsigned long code = 0;
  unsigned long last = 0;
  while ((code = ERR_get_error()) != 0) last = code;
  if (last == 0) return "unknown OpenSSL error";
  const char* reason = ERR_reason_error_string(last);
  return reason ? reason : "OpenSSL error " + std::to_string(last);
}

Error bad_key(const std::string& defect) { return Error(ErrorKind::bad_input, defect); }

bool contains(const std::string& text, const char* needle) { return text.find(needle) != std::string::npos; }

// Never prompt for a passphrase: CI has no terminal, and a prompt there would
// hang or read garbage from stdin. Record that one was needed and fail.
int refuse_passphrase(char*, int, int, void* asked) {
  *static_cast<bool*>(asked) = true;
  return -1;
}

// Accepts Ed25519 and EC keys on P-256; names anything else.
int32_t supported_algorithm(EVP_PKEY* key) {
  if (EVP_PKEY_is_a(key, "ED25519")) return BUILDINFO_OPENSSL_ED25519;
  const char* type = EVP_PKEY_get0_type_name(key);
  std::string description = type ? type : "unknown";
  if (EVP_PKEY_is_a(key, "EC")) {
    char group[80] = {};
    size_t length = 0;
    if (EVP_PKEY_get_group_name(key, group, sizeof group, &length) == 1) {
      int nid = OBJ_sn2nid(group);
      if (nid == NID_undef) nid = EC_curve_nist2nid(group);
      if (nid == NID_X9_62_prime256v1) return BUILDINFO_OPENSSL_ECDSA_P256;
      description += std::string(" on curve ") + group;
    } else {
      description += " with explicit curve parameters";
    }
    ERR_clear_error();
  }
  throw bad_key("unsupported key type " + description + " (buildinfo accepts Ed25519 and ECDSA P-256 keys)");
}

// DER SubjectPublicKeyInfo of the public half.
std::vector<uint8_t> public_der(EVP_PKEY* key) {
  std::vector<uint8_t> ed25519 = ed25519_public_der(key);
  if (!ed25519.empty()) return ed25519;
  unsigned char* der = nullptr;
  const int length = i2d_PUBKEY(key, &der);
  if (length <= 0) throw internal_error("cannot encode the public key: " + openssl_reason());
  const OpensslBytes owned(der);
  return std::vector<uint8_t>(der, der + length);
}

// Parses a private key PEM without ever prompting.
PkeyPtr read_private_key(const std::string& pem) {
  if (EVP_PKEY* ed25519 = ed25519_private_key_from_pem(pem)) return PkeyPtr(ed25519);
  const BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) throw internal_error(openssl_reason());
  bool passphrase_asked = false;
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, refuse_passphrase, &passphrase_asked));
  if (key) return key;
  ERR_clear_error();
  if (passphrase_asked || contains(pem, "-----BEGIN ENCRYPTED PRIVATE KEY-----") ||
      contains(pem, "Proc-Type: 4,ENCRYPTED"))
    throw bad_key("the private key is encrypted; buildinfo needs an unencrypted PKCS#8 key (e.g. from a CI secret)");
  if (contains(pem, "-----BEGIN PUBLIC KEY-----"))
    throw bad_key("is a public key; signing needs the private key (PREFIX.key)");
  throw bad_key("not a PEM private key");
}

PkeyPtr read_public_key(const std::string& pem) {
  if (contains(pem, "PRIVATE KEY-----")) {
    // A private key PEM: keep only its public half.
    const PkeyPtr private_key = read_private_key(pem);
    const std::vector<uint8_t> der = public_der(private_key.get());
    const unsigned char* cursor = der.data();
    PkeyPtr key(d2i_PUBKEY(nullptr, &cursor, static_cast<long>(der.size())));
    if (!key) throw internal_error(openssl_reason());
    return key;
  }
  if (EVP_PKEY* ed25519 = ed25519_public_key_from_pem(pem)) return PkeyPtr(ed25519);
  const BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) throw internal_error(openssl_reason());
  // Never the default callback: OpenSSL 3's decoders would prompt on the
  // terminal if they met an encrypted key.
  bool passphrase_asked = false;
  PkeyPtr key(PEM_read_bio_PUBKEY(bio.get(), nullptr, refuse_passphrase, &passphrase_asked));
  ERR_clear_error();
  if (!key) throw bad_key("not a PEM public key");
  return key;
}

// Runs `fill` on a new result; what it throws becomes the result's status.
template <typename Fill>
buildinfo_openssl_result* answer(Fill&& fill) {
  Owned* owned = new (std::nothrow) Owned;
  if (owned == nullptr) return nullptr;
  try {
    fill(*owned);
  } catch (const Error& e) {
    owned->result.status = e.kind() == ErrorKind::bad_input ? BUILDINFO_OPENSSL_BAD_INPUT : BUILDINFO_OPENSSL_FAILED;
    owned->message = e.what();
  } catch (const std::exception& e) {
    owned->result.status = BUILDINFO_OPENSSL_FAILED;
    owned->message = e.what();
  }
  return owned->publish();
}

void describe_key(Owned& owned, PkeyPtr key) {
  owned.result.algorithm = supported_algorithm(key.get());
  owned.public_der = public_der(key.get());
  owned.key = std::move(key);
}

const EVP_MD* digest_for(int32_t algorithm) {
  // Ed25519 hashes internally (no digest, one-shot only); ECDSA over SHA-256.
  return algorithm == BUILDINFO_OPENSSL_ED25519 ? nullptr : EVP_sha256();
}

buildinfo_openssl_result* plugin_load_key(const char* pem, uint64_t size, int32_t private_only) {
  return answer([&](Owned& owned) {
    if (size > static_cast<uint64_t>(INT_MAX))
      throw bad_key(private_only ? "not a PEM private key" : "not a PEM public key");
    // A copy for the readers, wiped when they are done with it.
    std::string text(pem, static_cast<size_t>(size));
    struct Wipe {
      std::string& text;
      ~Wipe() {
        if (!text.empty()) OPENSSL_cleanse(&text[0], text.size());
      }
    } wipe{text};
    describe_key(owned, private_only ? read_private_key(text) : read_public_key(text));
  });
}

buildinfo_openssl_result* plugin_generate_key(int32_t algorithm) {
  return answer([&](Owned& owned) {
    PkeyPtr key;
    if (algorithm == BUILDINFO_OPENSSL_ED25519) key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
    if (algorithm == BUILDINFO_OPENSSL_ECDSA_P256) key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    if (!key) throw internal_error("key generation failed: " + openssl_reason());
    // PKCS#8, unencrypted, in a memory BIO whose buffer is wiped when freed.
    const BioPtr private_bio(BIO_new(BIO_s_secmem()));
    if (!private_bio ||
        PEM_write_bio_PrivateKey(private_bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
      throw internal_error("cannot encode the private key: " + openssl_reason());
    char* data = nullptr;
    const long length = BIO_get_mem_data(private_bio.get(), &data);
    owned.private_pem.assign(data, static_cast<size_t>(length));
    describe_key(owned, std::move(key));
  });
}

buildinfo_openssl_result* plugin_sign(const buildinfo_openssl_result* key, const uint8_t* message, uint64_t size) {
  return answer([&](Owned& owned) {
    auto* pkey = static_cast<EVP_PKEY*>(const_cast<void*>(key->key));
    const MdCtxPtr ctx(EVP_MD_CTX_new());
    size_t length = 0;
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, digest_for(key->algorithm), nullptr, pkey) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &length, message, size) != 1)
      throw internal_error("signing failed: " + openssl_reason());
    owned.signature.resize(length);
    if (EVP_DigestSign(ctx.get(), owned.signature.data(), &length, message, size) != 1)
      throw internal_error("signing failed: " + openssl_reason());
    owned.signature.resize(length);  // a DER ECDSA signature is often shorter than the maximum
  });
}

int32_t plugin_verify(const buildinfo_openssl_result* key, const uint8_t* message, uint64_t size,
                      const uint8_t* signature, uint64_t signature_size) {
  if (key == nullptr || key->key == nullptr || signature_size == 0) return 0;
  auto* pkey = static_cast<EVP_PKEY*>(const_cast<void*>(key->key));
  const MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx) return 0;
  const bool ok = EVP_DigestVerifyInit(ctx.get(), nullptr, digest_for(key->algorithm), nullptr, pkey) == 1 &&
                  EVP_DigestVerify(ctx.get(), signature, signature_size, message, size) == 1;
  ERR_clear_error();
  return ok ? 1 : 0;
}

void plugin_release(buildinfo_openssl_result* result) {
  if (result != nullptr) delete static_cast<Owned*>(result->owner);
}

// Fetched once: EVP_sha256() would repeat its legacy look-ups at every
// initialisation.
const EVP_MD* sha256_method() {
  static const EVP_MD* const method = EVP_MD_fetch(nullptr, "SHA2-256", nullptr);
  return method;
}

void* plugin_sha256_begin() {
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  if (context == nullptr || sha256_method() == nullptr || EVP_DigestInit_ex2(context, sha256_method(), nullptr) != 1) {
    EVP_MD_CTX_free(context);
    ERR_clear_error();
    return nullptr;
  }
  return context;
}

int32_t plugin_sha256_update(void* state, const uint8_t* data, uint64_t size) {
  return EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(state), data, size) == 1 ? 1 : 0;
}

int32_t plugin_sha256_end(void* state, uint8_t* digest) {
  auto* context = static_cast<EVP_MD_CTX*>(state);
  unsigned int length = 0;
  const bool ok = EVP_DigestFinal_ex(context, digest, &length) == 1 && length == 32;
  EVP_MD_CTX_free(context);
  return ok ? 1 : 0;
}

}  // namespace
}  // namespace buildinfo

extern "C" __attribute__((visibility("default"))) const buildinfo_openssl_plugin buildinfo_plugin = {
    {BUILDINFO_PLUGIN_ABI, BUILDINFO_PLUGIN_OPENSSL, BUILDINFO_VERSION, sizeof(buildinfo_openssl_plugin)},
    buildinfo::plugin_load_key,
    buildinfo::plugin_generate_key,
    buildinfo::plugin_sign,
    buildinfo::plugin_verify,
    buildinfo::plugin_release,
    buildinfo::plugin_sha256_begin,
    buildinfo::plugin_sha256_update,
    buildinfo::plugin_sha256_end,
};
