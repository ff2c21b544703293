// Signing (placeholder until implemented).
#include "signing.h"
#include "error.h"
namespace buildinfo {
std::string dsse_pae(const std::string& type, const std::string& body) {
  return "DSSEv1 " + std::to_string(type.size()) + " " + type + " " + std::to_string(body.size()) + " " + body;
}
std::string algorithm_name(SignatureAlgorithm) { return "none"; }
SignatureAlgorithm parse_algorithm(const std::string&) { throw Error(ExitCode::bad_input, "not built yet"); }
std::string hex(const uint8_t*, size_t) { return {}; }
std::string base64(const std::string&) { return {}; }
std::string base64(const std::vector<uint8_t>&) { return {}; }
PublicKey PublicKey::from_pem(const std::string&, const std::string&) { throw Error(ExitCode::bad_input, "not built yet"); }
PublicKey PublicKey::from_file(const std::string&) { throw Error(ExitCode::bad_input, "not built yet"); }
bool PublicKey::verify(const std::string&, const std::vector<uint8_t>&) const { return false; }
SigningKey SigningKey::from_pem(std::string, const std::string&) { throw Error(ExitCode::bad_input, "not built yet"); }
SigningKey SigningKey::from_file(const std::string&) { throw Error(ExitCode::bad_input, "not built yet"); }
SigningKey SigningKey::from_env(const std::string&) { throw Error(ExitCode::bad_input, "not built yet"); }
PublicKey SigningKey::public_key() const { return {}; }
std::vector<uint8_t> SigningKey::sign(const std::string&) const { return {}; }
std::vector<uint8_t> sign_with_command(const std::string&, const std::string&, const PublicKey&) { return {}; }
KeyId generate_key_pair(SignatureAlgorithm, const std::string&) { return {}; }
}  // namespace buildinfo
