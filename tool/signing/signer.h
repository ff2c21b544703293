// How a stamp is signed: with a key in memory, by an external command (a KMS
// or HSM) whose public key is given, or not at all (--no-sign); and the
// command-line options that choose it, shared by stamp and restamp.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "signing/signing.h"

namespace buildinfo {

struct SignerOptions {
  std::string key_file;
  std::string key_env;
  std::string sign_command;
  std::string sign_pubkey;
  bool no_sign = false;
};

// Adds --key, --key-env, --sign-command, --sign-pubkey and --no-sign.
void add_signer_options(CLI::App& app, SignerOptions& options);

class Signer {
 public:
  // Exactly one way to sign (or --no-sign) must be chosen; key problems
  // throw Error(bad_input) here, before any binary is read.
  explicit Signer(const SignerOptions& options);

  bool signs() const { return key_.has_value() || command_key_.has_value(); }
  SignatureAlgorithm algorithm() const;
  KeyId key_id() const;
  // The public half of the signing key (none for --no-sign).
  std::optional<PublicKey> public_key() const;
  std::vector<uint8_t> sign(const std::string& message) const;

 private:
  std::optional<SigningKey> key_;
  std::string command_;
  std::optional<PublicKey> command_key_;
};

}  // namespace buildinfo
