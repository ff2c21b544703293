// The signer a stamp uses, and its command-line options.
#include "signing/signer.h"

#include "support/error.h"

namespace buildinfo {

void add_signer_options(CLI::App& app, SignerOptions& options) {
  app.add_option("--key", options.key_file, "Private key file (PKCS#8 PEM) to sign with");
  app.add_option("--key-env", options.key_env, "Environment variable holding the private key PEM (CI secrets)");
  app.add_option("--sign-command", options.sign_command,
                 "External signer (KMS/HSM), run with sh -c: bytes to sign on stdin, raw signature on stdout");
  app.add_option("--sign-pubkey", options.sign_pubkey, "Public key of --sign-command's signer (PEM)");
  app.add_flag("--no-sign", options.no_sign, "Write an unsigned stamp");
}

Signer::Signer(const SignerOptions& options) {
  const int sources = !options.key_file.empty() + !options.key_env.empty() + !options.sign_command.empty();
  if (options.no_sign) {
    if (sources != 0) throw Error(ErrorKind::bad_input, "--no-sign cannot be combined with a signing key");
    return;
  }
  if (sources == 0)
    throw Error(
        ErrorKind::bad_input,
        "no signing key: pass --key FILE, --key-env VAR or --sign-command CMD, or --no-sign for an unsigned stamp");
  if (sources > 1) throw Error(ErrorKind::bad_input, "give only one of --key, --key-env and --sign-command");
  if (!options.key_file.empty()) key_ = SigningKey::from_file(options.key_file);
  if (!options.key_env.empty()) key_ = SigningKey::from_env(options.key_env);
  if (!options.sign_command.empty()) {
    if (options.sign_pubkey.empty())
      throw Error(ErrorKind::bad_input, "--sign-command needs --sign-pubkey FILE (the signer's public key)");
    command_ = options.sign_command;
    command_key_ = PublicKey::from_file(options.sign_pubkey);
  }
}

SignatureAlgorithm Signer::algorithm() const {
  return key_ ? key_->algorithm() : command_key_ ? command_key_->algorithm() : SignatureAlgorithm::none;
}

KeyId Signer::key_id() const { return key_ ? key_->key_id() : command_key_ ? command_key_->key_id() : KeyId{}; }

std::optional<PublicKey> Signer::public_key() const {
  if (key_) return key_->public_key();
  return command_key_;
}

std::vector<uint8_t> Signer::sign(const std::string& message) const {
  if (key_) return key_->sign(message);
  return sign_with_command(command_, message, *command_key_);
}

}  // namespace buildinfo
