// Ed25519 keys in their one fixed DER layout (RFC 8410, sections 4 and 7:
// https://www.rfc-editor.org/rfc/rfc8410), read and encoded directly. OpenSSL
// 3's generic decoders and encoders cost about 3 ms per run to set up, which
// a post-link step pays at every link; anything else falls back to them.
#pragma once

#include <openssl/evp.h>

#include <string>
#include <vector>

namespace buildinfo {

// The key in a "PRIVATE KEY" PEM holding exactly an Ed25519 PKCS#8 v1
// structure, or nullptr (the caller then asks OpenSSL). The caller frees it.
EVP_PKEY* ed25519_private_key_from_pem(const std::string& pem);

// The key in a "PUBLIC KEY" PEM holding exactly an Ed25519
// SubjectPublicKeyInfo, or nullptr. The caller frees it.
EVP_PKEY* ed25519_public_key_from_pem(const std::string& pem);

// The DER SubjectPublicKeyInfo of an Ed25519 key; empty for other keys.
std::vector<uint8_t> ed25519_public_der(EVP_PKEY* key);

}  // namespace buildinfo
