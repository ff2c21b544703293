// Ed25519 and ECDSA P-256 signatures over the DSSE pre-authentication
// encoding, key loading and key generation, with the OpenSSL 3 EVP API.
#include "signing/signing.h"

#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "signing/ed25519_der.h"
#include "support/error.h"
#include "support/process.h"
#include "support/terminal_text.h"

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

// Key PEM files are a few hundred bytes; anything this large is not a key.
constexpr off_t kMaxKeyFileSize = 1 << 20;

std::shared_ptr<void> share(PkeyPtr key) {
  return std::shared_ptr<void>(key.release(), [](void* p) { EVP_PKEY_free(static_cast<EVP_PKEY*>(p)); });
}

EVP_PKEY* raw(const std::shared_ptr<void>& key) { return static_cast<EVP_PKEY*>(key.get()); }

// The most recent OpenSSL error reason (for messages), emptying the queue.
std::string openssl_reason() {
  unsigned long code = 0;
  unsigned long last = 0;
  while ((code = ERR_get_error()) != 0) last = code;
  if (last == 0) return "unknown OpenSSL error";
  const char* reason = ERR_reason_error_string(last);
  return reason ? reason : "OpenSSL error " + std::to_string(last);
}

std::string errno_text() { return std::strerror(errno); }

bool contains(const std::string& text, const char* needle) { return text.find(needle) != std::string::npos; }

// Never prompt for a passphrase: CI has no terminal, and a prompt there would
// hang or read garbage from stdin. Record that one was needed and fail.
int refuse_passphrase(char*, int, int, void* asked) {
  *static_cast<bool*>(asked) = true;
  return -1;
}

// Accepts Ed25519 and EC keys on P-256; names anything else.
SignatureAlgorithm supported_algorithm(EVP_PKEY* key, const std::string& source) {
  if (EVP_PKEY_is_a(key, "ED25519")) return SignatureAlgorithm::ed25519;
  const char* type = EVP_PKEY_get0_type_name(key);
  std::string description = type ? type : "unknown";
  if (EVP_PKEY_is_a(key, "EC")) {
    char group[80] = {};
    size_t length = 0;
    if (EVP_PKEY_get_group_name(key, group, sizeof group, &length) == 1) {
      int nid = OBJ_sn2nid(group);
      if (nid == NID_undef) nid = EC_curve_nist2nid(group);
      if (nid == NID_X9_62_prime256v1) return SignatureAlgorithm::ecdsa_p256_sha256;
      description += std::string(" on curve ") + group;
    } else {
      description += " with explicit curve parameters";
    }
    ERR_clear_error();
  }
  throw Error(ErrorKind::bad_input, source,
              "unsupported key type " + description + " (buildinfo accepts Ed25519 and ECDSA P-256 keys)");
}

// DER SubjectPublicKeyInfo of the public half.
std::vector<uint8_t> public_der(EVP_PKEY* key) {
  std::vector<uint8_t> ed25519 = ed25519_public_der(key);
  if (!ed25519.empty()) return ed25519;
  unsigned char* der = nullptr;
  const int length = i2d_PUBKEY(key, &der);
  if (length <= 0) throw Error(ErrorKind::internal, "cannot encode the public key: " + openssl_reason());
  const OpensslBytes owned(der);
  return std::vector<uint8_t>(der, der + length);
}

KeyId key_id_of(EVP_PKEY* key) {
  const std::vector<uint8_t> der = public_der(key);
  KeyId id{};
  unsigned int length = 0;
  if (EVP_Digest(der.data(), der.size(), id.data(), &length, EVP_sha256(), nullptr) != 1 || length != id.size()) {
    throw Error(ErrorKind::internal, "cannot hash the public key: " + openssl_reason());
  }
  return id;
}

std::string public_pem(EVP_PKEY* key) {
  const BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key) != 1) {
    throw Error(ErrorKind::internal, "cannot encode the public key: " + openssl_reason());
  }
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(length));
}

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
      OPENSSL_cleanse(&text[0], text.size());
      throw Error(ErrorKind::bad_input, path, "cannot read: " + reason);
    }
    if (n == 0) break;
    filled += static_cast<size_t>(n);
  }
  ::close(fd);
  text.resize(filled);  // shrinking keeps the buffer
  return text;
}

// Parses a private key PEM without ever prompting.
PkeyPtr read_private_key(const std::string& pem, const std::string& source) {
  if (EVP_PKEY* ed25519 = ed25519_private_key_from_pem(pem)) return PkeyPtr(ed25519);
  const BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) throw Error(ErrorKind::internal, source, openssl_reason());
  bool passphrase_asked = false;
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, refuse_passphrase, &passphrase_asked));
  if (key) return key;
  ERR_clear_error();
  if (passphrase_asked || contains(pem, "-----BEGIN ENCRYPTED PRIVATE KEY-----") ||
      contains(pem, "Proc-Type: 4,ENCRYPTED")) {
    throw Error(ErrorKind::bad_input, source +
                                          ": the private key is encrypted; buildinfo needs an unencrypted PKCS#8 key "
                                          "(e.g. from a CI secret)");
  }
  if (contains(pem, "-----BEGIN PUBLIC KEY-----")) {
    throw Error(ErrorKind::bad_input, source, "is a public key; signing needs the private key (PREFIX.key)");
  }
  throw Error(ErrorKind::bad_input, source, "not a PEM private key");
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
  // EVP_EncodeBlock takes an int length: encode in chunks of whole 3-byte groups.
  constexpr size_t kChunk = 3 * 1024 * 1024;
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::vector<unsigned char> buffer(kChunk / 3 * 4 + 1);
  for (size_t offset = 0; offset < bytes.size(); offset += kChunk) {
    const size_t n = std::min(kChunk, bytes.size() - offset);
    const int length = EVP_EncodeBlock(buffer.data(), reinterpret_cast<const unsigned char*>(bytes.data() + offset),
                                       static_cast<int>(n));
    out.append(reinterpret_cast<const char*>(buffer.data()), static_cast<size_t>(length));
  }
  return out;
}

std::string base64(const std::vector<uint8_t>& bytes) { return base64(std::string(bytes.begin(), bytes.end())); }

PublicKey PublicKey::from_pem(const std::string& pem, const std::string& source) {
  if (pem.size() > static_cast<size_t>(INT_MAX)) throw Error(ErrorKind::bad_input, source, "not a PEM public key");
  PkeyPtr key;
  if (contains(pem, "PRIVATE KEY-----")) {
    // A private key PEM: keep only its public half.
    const PkeyPtr private_key = read_private_key(pem, source);
    const std::vector<uint8_t> der = public_der(private_key.get());
    const unsigned char* cursor = der.data();
    key.reset(d2i_PUBKEY(nullptr, &cursor, static_cast<long>(der.size())));
    if (!key) throw Error(ErrorKind::internal, source, openssl_reason());
  } else if (EVP_PKEY* ed25519 = ed25519_public_key_from_pem(pem)) {
    key.reset(ed25519);
  } else {
    const BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    if (!bio) throw Error(ErrorKind::internal, source, openssl_reason());
    // Never the default callback: OpenSSL 3's decoders would prompt on the
    // terminal if they met an encrypted key.
    bool passphrase_asked = false;
    key.reset(PEM_read_bio_PUBKEY(bio.get(), nullptr, refuse_passphrase, &passphrase_asked));
    ERR_clear_error();
    if (!key) throw Error(ErrorKind::bad_input, source, "not a PEM public key");
  }
  PublicKey result;
  result.algorithm_ = supported_algorithm(key.get(), source);
  result.key_id_ = key_id_of(key.get());
  result.key_ = share(std::move(key));
  result.source_ = source;
  return result;
}

PublicKey PublicKey::from_file(const std::string& path) { return from_pem(read_key_file(path, false), path); }

bool PublicKey::verify(const std::string& message, const std::vector<uint8_t>& signature) const {
  if (!key_ || signature.empty()) return false;
  const MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx) return false;
  // Ed25519 hashes internally (no digest, one-shot only); ECDSA over SHA-256.
  const EVP_MD* md = algorithm_ == SignatureAlgorithm::ed25519 ? nullptr : EVP_sha256();
  const bool ok = EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, raw(key_)) == 1 &&
                  EVP_DigestVerify(ctx.get(), signature.data(), signature.size(),
                                   reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  ERR_clear_error();
  return ok;
}

SigningKey SigningKey::from_pem(std::string pem, const std::string& source) {
  SigningKey result;
  try {
    if (pem.size() > static_cast<size_t>(INT_MAX)) throw Error(ErrorKind::bad_input, source, "not a PEM private key");
    PkeyPtr key = read_private_key(pem, source);
    result.algorithm_ = supported_algorithm(key.get(), source);
    result.key_id_ = key_id_of(key.get());
    result.key_ = share(std::move(key));
  } catch (...) {
    OPENSSL_cleanse(&pem[0], pem.size());
    throw;
  }
  OPENSSL_cleanse(&pem[0], pem.size());
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
  const MdCtxPtr ctx(EVP_MD_CTX_new());
  const EVP_MD* md = algorithm_ == SignatureAlgorithm::ed25519 ? nullptr : EVP_sha256();
  const auto* data = reinterpret_cast<const unsigned char*>(message.data());
  size_t length = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, md, nullptr, raw(key_)) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &length, data, message.size()) != 1) {
    throw Error(ErrorKind::internal, "signing failed: " + openssl_reason());
  }
  std::vector<uint8_t> signature(length);
  if (EVP_DigestSign(ctx.get(), signature.data(), &length, data, message.size()) != 1) {
    throw Error(ErrorKind::internal, "signing failed: " + openssl_reason());
  }
  signature.resize(length);  // a DER ECDSA signature is often shorter than the maximum
  return signature;
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

  PkeyPtr key;
  switch (algorithm) {
    case SignatureAlgorithm::ed25519: key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519")); break;
    case SignatureAlgorithm::ecdsa_p256_sha256: key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256")); break;
    default:
      throw Error(ErrorKind::bad_input,
                  "unknown algorithm '" + algorithm_name(algorithm) + "' (use ed25519 or ecdsa-p256)");
  }
  if (!key) throw Error(ErrorKind::internal, "key generation failed: " + openssl_reason());

  // PKCS#8, unencrypted, in a memory BIO whose buffer is wiped when freed.
  const BioPtr private_bio(BIO_new(BIO_s_secmem()));
  if (!private_bio ||
      PEM_write_bio_PrivateKey(private_bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    throw Error(ErrorKind::internal, "cannot encode the private key: " + openssl_reason());
  }
  char* private_data = nullptr;
  const long private_length = BIO_get_mem_data(private_bio.get(), &private_data);
  const std::string public_text = public_pem(key.get());
  const KeyId id = key_id_of(key.get());

  write_new_file(key_path, private_data, static_cast<size_t>(private_length), 0600, true);
  try {
    write_new_file(pub_path, public_text.data(), public_text.size(), 0644, false);
  } catch (...) {
    ::unlink(key_path.c_str());  // no half key pair
    throw;
  }
  return id;
}

}  // namespace buildinfo
