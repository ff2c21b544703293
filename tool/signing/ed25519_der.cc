// Direct reading and encoding of Ed25519 keys (see ed25519_der.h).
#include "signing/ed25519_der.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <cctype>
#include <cstring>

namespace buildinfo {
namespace {

// RFC 8410: PrivateKeyInfo { version 0, AlgorithmIdentifier id-Ed25519
// (1.3.101.112), OCTET STRING { OCTET STRING (32-byte seed) } }.
constexpr uint8_t kPrivatePrefix[] = {0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06,
                                      0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20};
// SubjectPublicKeyInfo { AlgorithmIdentifier id-Ed25519, BIT STRING (32 bytes) }.
constexpr uint8_t kPublicPrefix[] = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
constexpr size_t kKeySize = 32;

// The base64-decoded body of the PEM block with `label`, when the text is
// exactly one such block; empty otherwise. Wiped by the caller.
std::vector<uint8_t> pem_body(const std::string& pem, const std::string& label) {
  const std::string begin = "-----BEGIN " + label + "-----";
  const std::string end = "-----END " + label + "-----";
  const size_t first = pem.find(begin);
  const size_t last = pem.find(end);
  if (first == std::string::npos || last == std::string::npos || last < first) return {};
  const auto is_space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  if (!std::all_of(pem.begin(), pem.begin() + first, is_space) ||
      !std::all_of(pem.begin() + last + end.size(), pem.end(), is_space))
    return {};
  std::string base64;
  base64.reserve(last - first);  // one allocation: growing would leave copies of key material behind
  for (size_t i = first + begin.size(); i < last; ++i)
    if (!is_space(pem[i])) base64 += pem[i];
  if (base64.empty() || base64.size() % 4 != 0 || base64.size() > 256) return {};
  std::vector<uint8_t> der(base64.size() / 4 * 3);
  const int decoded = EVP_DecodeBlock(der.data(), reinterpret_cast<const unsigned char*>(base64.data()),
                                      static_cast<int>(base64.size()));
  const size_t padding = static_cast<size_t>(std::count(base64.end() - 2, base64.end(), '='));
  OPENSSL_cleanse(&base64[0], base64.size());
  if (decoded < 0 || static_cast<size_t>(decoded) < padding) return {};
  der.resize(static_cast<size_t>(decoded) - padding);
  return der;
}

bool has_prefix(const std::vector<uint8_t>& der, const uint8_t* prefix, size_t prefix_size) {
  return der.size() == prefix_size + kKeySize && std::memcmp(der.data(), prefix, prefix_size) == 0;
}

}  // namespace

EVP_PKEY* ed25519_private_key_from_pem(const std::string& pem) {
  std::vector<uint8_t> der = pem_body(pem, "PRIVATE KEY");
  EVP_PKEY* key = nullptr;
  if (has_prefix(der, kPrivatePrefix, sizeof kPrivatePrefix))
    key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, der.data() + sizeof kPrivatePrefix, kKeySize);
  if (!der.empty()) OPENSSL_cleanse(der.data(), der.size());
  return key;
}

EVP_PKEY* ed25519_public_key_from_pem(const std::string& pem) {
  const std::vector<uint8_t> der = pem_body(pem, "PUBLIC KEY");
  if (!has_prefix(der, kPublicPrefix, sizeof kPublicPrefix)) return nullptr;
  return EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, der.data() + sizeof kPublicPrefix, kKeySize);
}

std::vector<uint8_t> ed25519_public_der(EVP_PKEY* key) {
  if (EVP_PKEY_get_id(key) != EVP_PKEY_ED25519) return {};
  std::vector<uint8_t> der(kPublicPrefix, kPublicPrefix + sizeof kPublicPrefix);
  der.resize(sizeof kPublicPrefix + kKeySize);
  size_t length = kKeySize;
  if (EVP_PKEY_get_raw_public_key(key, der.data() + sizeof kPublicPrefix, &length) != 1 || length != kKeySize)
    return {};
  return der;
}

}  // namespace buildinfo
