// Signatures over the DSSE pre-authentication encoding of the payload:
// Ed25519 (default, deterministic) and ECDSA P-256 with SHA-256, made and
// checked by OpenSSL 3 in the buildinfo-openssl.so plug-in, which the first
// key read in a run loads (throwing PluginMissing or PluginRefused).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "support/hex.h"

namespace buildinfo {

enum class SignatureAlgorithm : uint16_t {
  none = 0,
  ed25519 = 1,
  ecdsa_p256_sha256 = 2,
};

using KeyId = std::array<uint8_t, 32>;  // SHA-256 of the DER SubjectPublicKeyInfo

// The DSSE payload type of a buildinfo record.
constexpr const char* kPayloadType = "application/vnd.buildinfo.v1+json";

// DSSE PAE: "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, LEN as ASCII
// decimal (github.com/secure-systems-lab/dsse, protocol.md).
std::string dsse_pae(const std::string& type, const std::string& body);

std::string algorithm_name(SignatureAlgorithm algorithm);     // "ed25519", "ecdsa-p256", "none"
SignatureAlgorithm parse_algorithm(const std::string& name);  // throws Error(bad_input)
std::string base64(const std::string& bytes);
std::string base64(const std::vector<uint8_t>& bytes);

// A public key for verification (SubjectPublicKeyInfo PEM).
class PublicKey {
 public:
  // Throws Error(bad_input) naming `source` if the PEM is not an Ed25519 or
  // P-256 public key (a private key PEM is accepted: its public half is used).
  static PublicKey from_pem(const std::string& pem, const std::string& source);
  static PublicKey from_file(const std::string& path);

  SignatureAlgorithm algorithm() const { return algorithm_; }
  const KeyId& key_id() const { return key_id_; }
  const std::string& source() const { return source_; }
  // Ed25519: raw 64-byte signature; ECDSA: DER ECDSA-Sig-Value over SHA-256(message).
  bool verify(const std::string& message, const std::vector<uint8_t>& signature) const;

 private:
  std::shared_ptr<void> key_;  // the plug-in's key, released by its deleter
  SignatureAlgorithm algorithm_ = SignatureAlgorithm::none;
  KeyId key_id_{};
  std::string source_;
};

// A private key for signing (PKCS#8 PEM). Key material read into memory is
// wiped (explicit_bzero) after it is parsed.
class SigningKey {
 public:
  // Throws Error(bad_input) naming `source`: not PEM, an encrypted key (no
  // prompt: CI has no terminal), or an unsupported algorithm.
  static SigningKey from_pem(std::string pem, const std::string& source);
  // Warns on stderr when the file is readable by group or others.
  static SigningKey from_file(const std::string& path);
  // PEM text from the environment variable `name` (CI secrets).
  static SigningKey from_env(const std::string& name);

  SignatureAlgorithm algorithm() const { return algorithm_; }
  const KeyId& key_id() const { return key_id_; }
  PublicKey public_key() const;
  std::vector<uint8_t> sign(const std::string& message) const;

 private:
  std::shared_ptr<void> key_;
  SignatureAlgorithm algorithm_ = SignatureAlgorithm::none;
  KeyId key_id_{};
};

// Runs `command` through /bin/sh -c with `message` on stdin and returns its
// stdout as the raw signature. Throws Error(bad_input) when it fails, prints
// nothing, or its signature does not verify with `public_key`.
std::vector<uint8_t> sign_with_command(const std::string& command, const std::string& message,
                                       const PublicKey& public_key);

// Writes PREFIX.key (PKCS#8 PEM, mode 0600) and PREFIX.pub
// (SubjectPublicKeyInfo PEM); refuses to overwrite. Returns the key id.
KeyId generate_key_pair(SignatureAlgorithm algorithm, const std::string& prefix);

}  // namespace buildinfo
