// `buildinfo keygen --out PREFIX`: a signing key pair for stamps.
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "signing/signing.h"
#include "support/error.h"
#include "support/terminal_text.h"

namespace buildinfo {
namespace {

struct KeygenOptions {
  std::string prefix;
  std::string algorithm = "ed25519";
};

int run_keygen(const KeygenOptions& options) {
  const KeyId id = generate_key_pair(parse_algorithm(options.algorithm), options.prefix);
  std::cerr << "wrote " << printable(options.prefix) << ".key (private, mode 0600) and " << printable(options.prefix)
            << ".pub\n";
  std::cout << hex(id.data(), id.size()) << "\n";
  return static_cast<int>(ExitCode::ok);
}

}  // namespace

Command add_keygen_command(CLI::App& parent) {
  auto options = std::make_shared<KeygenOptions>();
  CLI::App* app = parent.add_subcommand("keygen", "Create a signing key pair; prints its key id");
  app->add_option("--out", options->prefix, "Writes PREFIX.key (PKCS#8 PEM, 0600) and PREFIX.pub")->required();
  app->add_option("--alg", options->algorithm, "ed25519 (default, deterministic) or ecdsa-p256")->capture_default_str();
  return Command{app, [options] { return run_keygen(*options); }};
}

}  // namespace buildinfo
