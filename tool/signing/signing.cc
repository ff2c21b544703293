// Signatures over the DSSE pre-authentication encoding, key loading and
// key generation. The key files and their errors are handled here; the
// keys themselves live in the OpenSSL plug-in (plugins/plugin_abi.h),
// loaded by the first key a run reads.
#include "signing/signing.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "plugins/plugin_loader.h"
#include "support/error.h"
#include "support/process.h"
#include "support/sha2.h"
#include "support/terminal_text.h"

namespace buildinfo {
namespace {

// The plug-in names algorithms by the numbers of the slot header.
static_assert(BUILDINFO_OPENSSL_ED25519 == static_cast<int>(SignatureAlgorithm::ed25519));
static_assert(BUILDINFO_OPENSSL_ECDSA_P256 == static_cast<int>(SignatureAlgorithm::ecdsa_p256_sha256));

// Key PEM files are a few hundred bytes; anything this large is not a key.
constexpr off_t kMaxKeyFileSize = 1 << 20;

// A key the plug-in loaded, released when the last copy goes.
std::shared_ptr<void> share(buildinfo_openssl_result* key) {
  return std::shared_ptr<void>(key,
                               [](void* p) { openssl_plugin().release(static_cast<buildinfo_openssl_result*>(p)); });
}

const buildinfo_openssl_result* raw(const std::shared_ptr<void>& key) {
  return static_cast<const buildinfo_openssl_result*>(key.get());
}

// Wipes key material from memory; not optimised away (explicit_bzero(3)).
void wipe(std::string& text) {
  if (!text.empty()) ::explicit_bzero(&text[0], text.size());
}

// The plug-in's answer, or its failure as an Error naming `source`.
std::shared_ptr<void> checked(buildinfo_openssl_result* result, const std::string& source) {
  if (result == nullptr) throw internal_error("out of memory");
  std::shared_ptr<void> owned = share(result);
  if (result->status == BUILDINFO_OPENSSL_OK) return owned;
  const std::string message = result->message != nullptr ? result->message : "unknown OpenSSL error";
  throw Error(result->status == BUILDINFO_OPENSSL_BAD_INPUT ? ErrorKind::bad_input : ErrorKind::internal, source,
              message);
}

KeyId key_id_of(const buildinfo_openssl_result* key) {
  return digest_of<Sha256>(key->public_der, static_cast<size_t>(key->public_der_size));
}

// The "PUBLIC KEY" PEM of a DER SubjectPublicKeyInfo: its base64 in lines
// of 64 characters between the two labels (RFC 7468, sections 2 and 13).
std::string public_pem(const buildinfo_openssl_result* key) {
  const std::string encoded =
      base64(std::string(reinterpret_cast<const char*>(key->public_der), static_cast<size_t>(key->public_der_size)));
  std::string pem = "-----BEGIN PUBLIC KEY-----\n";
  for (size_t at = 0; at < encoded.size(); at += 64) pem += encoded.substr(at, 64) + "\n";
  return pem + "-----END PUBLIC KEY-----\n";
}

std::string errno_text() { return std::strerror(errno); }

// Reads a key file whole into a string that is allocated once (so no
// reallocation leaves a copy of key material behind). Optionally warns when
// the file is readable by group or others.
std::string read_key_file(const std::string& path, bool warn_if_shared) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(ErrorKind::bad_input, path, "cannot open: " + errno_text());
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const std::string reason = errno_text();
    ::close(fd);
    throw Error(ErrorKind::bad_input, path, "cannot read: " + reason);
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    throw Error(ErrorKind::bad_input, path, "is a directory");
  }
  if (st.st_size > kMaxKeyFileSize) {
    ::close(fd);
    throw Error(ErrorKind::bad_input, path, "too large to be a PEM key");
  }
  if (warn_if_shared && S_ISREG(st.st_mode) && (st.st_mode & 077) != 0) {
    std::fprintf(stderr, "buildinfo: warning: %s: private key is readable by group or others (chmod 600)\n",
                 printable(path).c_str());
  }
  // Regular files report their size; for pipes and devices read up to the limit.
  std::string text(S_ISREG(st.st_mode) ? static_cast<size_t>(st.st_size) : static_cast<size_t>(kMaxKeyFileSize), '\0');
  size_t filled = 0;
  while (filled < text.size()) {
    const ssize_t n = ::read(fd, &text[filled], text.size() - filled);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const std::string reason = errno_text();
      ::close(fd);
      wipe(text);
      throw Error(ErrorKind::bad_input, path, "cannot read: " + reason);
    }
    if (n == 0) break;
    filled += static_cast<size_t>(n);
  }
  ::close(fd);
  text.resize(filled);  // shrinking keeps the buffer
  return text;
}

// Writes `size` bytes at `data` to a new file `path` with `mode`; never
// replaces an existing file, and removes what it created when it fails.
void write_new_file(const std::string& path, const char* data, size_t size, mode_t mode, bool force_mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) {
    if (errno == EEXIST) throw Error(ErrorKind::bad_input, path, "already exists; keygen does not overwrite keys");
    throw Error(ErrorKind::bad_input, path, "cannot create: " + errno_text());
  }
  std::string failure;
  // The umask may have removed bits but never adds any: fchmod makes 0600 exact.
  if (force_mode && ::fchmod(fd, mode) != 0) failure = "cannot set the file mode: " + errno_text();
  size_t written = 0;
  while (failure.empty() && written < size) {
    const ssize_t n = ::write(fd, data + written, size - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      failure = "cannot write: " + errno_text();
    else
      written += static_cast<size_t>(n);
  }
  if (failure.empty() && ::fsync(fd) != 0) failure = "cannot write: " + errno_text();
  if (::close(fd) != 0 && failure.empty()) failure = "cannot write: " + errno_text();
  if (!failure.empty()) {
    ::unlink(path.c_str());
    throw Error(ErrorKind::bad_input, path, failure);
  }
}

// True when `bytes` look like text (base64 or hex), a common mistake for a
// signing command that should write raw bytes.
bool looks_like_text(const std::vector<uint8_t>& bytes) {
  for (const uint8_t b : bytes) {
    if (!(std::isalnum(b) || b == '+' || b == '/' || b == '=' || b == '\n' || b == '\r' || b == '-' || b == '_')) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string dsse_pae(const std::string& type, const std::string& body) {
  return "DSSEv1 " + std::to_string(type.size()) + " " + type + " " + std::to_string(body.size()) + " " + body;
}

std::string algorithm_name(SignatureAlgorithm algorithm) {
  switch (algorithm) {
    case SignatureAlgorithm::none: return "none";
    case SignatureAlgorithm::ed25519: return "ed25519";
    case SignatureAlgorithm::ecdsa_p256_sha256: return "ecdsa-p256";
  }
  // A value read from a slot header written by a newer or foreign tool.
  return "unknown-" + std::to_string(static_cast<unsigned>(algorithm));
}

SignatureAlgorithm parse_algorithm(const std::string& name) {
  std::string lower;
  for (const char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "ed25519") return SignatureAlgorithm::ed25519;
  if (lower == "ecdsa-p256" || lower == "ecdsa-p256-sha256") return SignatureAlgorithm::ecdsa_p256_sha256;
  throw Error(ErrorKind::bad_input, "unknown algorithm '" + name + "' (use ed25519 or ecdsa-p256)");
}

std::string base64(const std::string& bytes) {
  // RFC 4648, section 4: each 3 bytes become 4 characters, "=" pads the end.
  static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t at = 0;
  const auto byte = [&bytes](size_t i) { return static_cast<uint32_t>(static_cast<uint8_t>(bytes[i])); };
  for (; at + 3 <= bytes.size(); at += 3) {
    const uint32_t group = byte(at) << 16 | byte(at + 1) << 8 | byte(at + 2);
    for (int shift = 18; shift >= 0; shift -= 6) out += kAlphabet[(group >> shift) & 63];
  }
  const size_t left = bytes.size() - at;
  if (left > 0) {
    const uint32_t group = byte(at) << 16 | (left == 2 ? byte(at + 1) << 8 : 0);
    out += kAlphabet[(group >> 18) & 63];
    out += kAlphabet[(group >> 12) & 63];
    out += left == 2 ? kAlphabet[(group >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string base64(const std::vector<uint8_t>& bytes) { return base64(std::string(bytes.begin(), bytes.end())); }

PublicKey PublicKey::from_pem(const std::string& pem, const std::string& source) {
  PublicKey result;
  result.key_ = checked(openssl_plugin().load_key(pem.data(), pem.size(), 0), source);
  result.algorithm_ = static_cast<SignatureAlgorithm>(raw(result.key_)->algorithm);
  result.key_id_ = key_id_of(raw(result.key_));
  result.source_ = source;
  return result;
}

PublicKey PublicKey::from_file(const std::string& path) { return from_pem(read_key_file(path, false), path); }

bool PublicKey::verify(const std::string& message, const std::vector<uint8_t>& signature) const {
  if (!key_ || signature.empty()) return false;
  return openssl_plugin().verify(raw(key_), reinterpret_cast<const uint8_t*>(message.data()), message.size(),
                                 signature.data(), signature.size()) == 1;
}

SigningKey SigningKey::from_pem(std::string pem, const std::string& source) {
  SigningKey result;
  try {
    result.key_ = checked(openssl_plugin().load_key(pem.data(), pem.size(), 1), source);
  } catch (...) {
    wipe(pem);
    throw;
  }
  wipe(pem);
  result.algorithm_ = static_cast<SignatureAlgorithm>(raw(result.key_)->algorithm);
  result.key_id_ = key_id_of(raw(result.key_));
  return result;
}

SigningKey SigningKey::from_file(const std::string& path) { return from_pem(read_key_file(path, true), path); }

SigningKey SigningKey::from_env(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr || *value == '\0')
    throw Error(ErrorKind::bad_input, "environment variable " + name + " is not set");
  return from_pem(std::string(value), "environment variable " + name);
}

PublicKey SigningKey::public_key() const {
  if (!key_) throw Error(ErrorKind::internal, "no signing key loaded");
  return PublicKey::from_pem(public_pem(raw(key_)), "key " + hex(key_id_.data(), key_id_.size()));
}

std::vector<uint8_t> SigningKey::sign(const std::string& message) const {
  if (!key_) throw Error(ErrorKind::internal, "no signing key loaded");
  const std::shared_ptr<void> signed_message =
      checked(openssl_plugin().sign(raw(key_), reinterpret_cast<const uint8_t*>(message.data()), message.size()), "");
  const auto* result = raw(signed_message);
  return std::vector<uint8_t>(result->signature, result->signature + result->signature_size);
}

std::vector<uint8_t> sign_with_command(const std::string& command, const std::string& message,
                                       const PublicKey& public_key) {
  const ProcessResult result = run_process({"/bin/sh", "-c", command}, message);
  if (result.exit_status != 0) {
    const std::string how = result.exit_status < 0 ? "was killed by a signal"
                                                   : "failed with exit status " + std::to_string(result.exit_status);
    // The command is not repeated: it may carry credentials (a token in an argument).
    throw Error(ErrorKind::bad_input, "signing command " + how);
  }
  if (result.output.empty()) throw Error(ErrorKind::bad_input, "signing command printed no signature");
  std::vector<uint8_t> signature(result.output.begin(), result.output.end());
  if (!public_key.verify(message, signature)) {
    std::string message_text =
        "signature from the signing command does not verify with the public key " + public_key.source();
    if (looks_like_text(signature)) message_text += " (the command must write the raw signature bytes, not text)";
    throw Error(ErrorKind::bad_input, message_text);
  }
  return signature;
}

KeyId generate_key_pair(SignatureAlgorithm algorithm, const std::string& prefix) {
  const std::string key_path = prefix + ".key";
  const std::string pub_path = prefix + ".pub";
  // Check both first so a refusal leaves nothing behind and names the file.
  for (const std::string& path : {key_path, pub_path}) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0) {
      throw Error(ErrorKind::bad_input, path, "already exists; keygen does not overwrite keys");
    }
  }

  if (algorithm != SignatureAlgorithm::ed25519 && algorithm != SignatureAlgorithm::ecdsa_p256_sha256)
    throw Error(ErrorKind::bad_input,
                "unknown algorithm '" + algorithm_name(algorithm) + "' (use ed25519 or ecdsa-p256)");
  const std::shared_ptr<void> key = checked(openssl_plugin().generate_key(static_cast<int32_t>(algorithm)), "");
  const char* private_data = raw(key)->private_pem;
  const size_t private_length = static_cast<size_t>(raw(key)->private_pem_size);
  const std::string public_text = public_pem(raw(key));
  const KeyId id = key_id_of(raw(key));

  write_new_file(key_path, private_data, private_length, 0600, true);
  try {
    write_new_file(pub_path, public_text.data(), public_text.size(), 0644, false);
  } catch (...) {
    ::unlink(key_path.c_str());  // no half key pair
    throw;
  }
  return id;
}

}  // namespace buildinfo
