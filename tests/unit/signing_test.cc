// Signing: DSSE PAE bytes, key generation and loading, Ed25519 and ECDSA P-256
// signatures, checked against the openssl command line.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "signing/signing.h"
#include "support/error.h"
#include "test_support.h"

using buildinfo::Error;
using buildinfo::ErrorKind;
using buildinfo::KeyId;
using buildinfo::PublicKey;
using buildinfo::SignatureAlgorithm;
using buildinfo::SigningKey;

using test_support::quote;
using test_support::run;

namespace {

// Exit status of a shell command, its output discarded.
int status_of(const std::string& command) {
  const int status = std::system(("(" + command + ") </dev/null >/dev/null 2>&1").c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// A fresh directory, removed with its contents at the end of the test.
struct TempDir {
  std::string path;
  TempDir() {
    std::string pattern = std::string(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp") + "/signing-test-XXXXXX";
    REQUIRE(::mkdtemp(&pattern[0]) != nullptr);
    path = pattern;
  }
  ~TempDir() { std::system(("rm -rf " + quote(path)).c_str()); }
  std::string operator/(const std::string& name) const { return path + "/" + name; }
};

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(out.good());
}

unsigned file_mode(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

std::string key_id_hex(const KeyId& id) { return buildinfo::hex(id.data(), id.size()); }

// SHA-256 of the DER public key, computed by the openssl command line.
std::string openssl_key_id(const std::string& pub_path) {
  return run("openssl pkey -pubin -in " + quote(pub_path) + " -outform DER | sha256sum | cut -d' ' -f1");
}

std::string error_of(void (*action)(const std::string&), const std::string& argument) {
  try {
    action(argument);
  } catch (const Error& error) {
    CHECK(error.kind() == ErrorKind::bad_input);
    return error.what();
  }
  FAIL("no error thrown for ", argument);
  return {};
}

// Captures what the code in `action` writes to stderr (file descriptor 2).
template <typename Action>
std::string capture_stderr(const TempDir& dir, Action action) {
  const std::string path = dir / "stderr.txt";
  std::fflush(stderr);
  const int saved = ::dup(2);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  REQUIRE(saved >= 0);
  REQUIRE(fd >= 0);
  ::dup2(fd, 2);
  ::close(fd);
  action();
  std::fflush(stderr);
  ::dup2(saved, 2);
  ::close(saved);
  return read_text(path);
}

const SignatureAlgorithm kAlgorithms[] = {SignatureAlgorithm::ed25519, SignatureAlgorithm::ecdsa_p256_sha256};

}  // namespace

TEST_CASE("dsse: PAE bytes of the spec example") {
  // github.com/secure-systems-lab/dsse protocol.md, the worked example.
  CHECK(buildinfo::dsse_pae("http://example.com/HelloWorld", "hello world") ==
        "DSSEv1 29 http://example.com/HelloWorld 11 hello world");
  CHECK(buildinfo::dsse_pae("", "") == "DSSEv1 0  0 ");
  // LEN counts bytes, not characters, and the body may hold any byte.
  const std::string body("a\0\xc3\xa9 b", 6);
  CHECK(buildinfo::dsse_pae(buildinfo::kPayloadType, body) ==
        std::string("DSSEv1 33 application/vnd.buildinfo.v1+json 6 ") + body);
}

TEST_CASE("signing: algorithm names, hex and base64") {
  CHECK(buildinfo::algorithm_name(SignatureAlgorithm::ed25519) == "ed25519");
  CHECK(buildinfo::algorithm_name(SignatureAlgorithm::ecdsa_p256_sha256) == "ecdsa-p256");
  CHECK(buildinfo::algorithm_name(SignatureAlgorithm::none) == "none");
  CHECK(buildinfo::parse_algorithm("ed25519") == SignatureAlgorithm::ed25519);
  CHECK(buildinfo::parse_algorithm("ecdsa-p256") == SignatureAlgorithm::ecdsa_p256_sha256);
  CHECK(buildinfo::parse_algorithm("ecdsa-p256-sha256") == SignatureAlgorithm::ecdsa_p256_sha256);
  CHECK(error_of([](const std::string& name) { buildinfo::parse_algorithm(name); }, "rsa") ==
        "unknown algorithm 'rsa' (use ed25519 or ecdsa-p256)");
  CHECK_THROWS_AS(buildinfo::parse_algorithm("none"), Error);

  const uint8_t bytes[] = {0x00, 0x01, 0xab, 0xff};
  CHECK(buildinfo::hex(bytes, sizeof bytes) == "0001abff");
  CHECK(buildinfo::hex(bytes, 0).empty());
  // RFC 4648 section 10 test vectors.
  CHECK(buildinfo::base64(std::string()).empty());
  CHECK(buildinfo::base64(std::string("f")) == "Zg==");
  CHECK(buildinfo::base64(std::string("fo")) == "Zm8=");
  CHECK(buildinfo::base64(std::string("foo")) == "Zm9v");
  CHECK(buildinfo::base64(std::string("foob")) == "Zm9vYg==");
  CHECK(buildinfo::base64(std::string("fooba")) == "Zm9vYmE=");
  CHECK(buildinfo::base64(std::string("foobar")) == "Zm9vYmFy");
  CHECK(buildinfo::base64(std::vector<uint8_t>{0xfb, 0xff, 0xbf}) == "+/+/");
  // No line breaks in long output.
  CHECK(buildinfo::base64(std::string(300, 'x')).find('\n') == std::string::npos);
}

TEST_CASE("keygen: both algorithms write a 0600 PKCS#8 key that loads back, signs and verifies") {
  TempDir dir;
  for (const SignatureAlgorithm algorithm : kAlgorithms) {
    CAPTURE(buildinfo::algorithm_name(algorithm));
    const std::string prefix = dir / buildinfo::algorithm_name(algorithm);
    // A permissive umask must not loosen the private key's mode.
    const mode_t old_umask = ::umask(0);
    const KeyId id = buildinfo::generate_key_pair(algorithm, prefix);
    ::umask(old_umask);
    CHECK(file_mode(prefix + ".key") == 0600);
    CHECK(file_mode(prefix + ".pub") == 0644);
    CHECK(read_text(prefix + ".key").rfind("-----BEGIN PRIVATE KEY-----\n", 0) == 0);
    CHECK(read_text(prefix + ".pub").rfind("-----BEGIN PUBLIC KEY-----\n", 0) == 0);

    // The key id is the SHA-256 of the DER public key, by the openssl CLI,
    // from the .pub and from the public half of the .key.
    CHECK(key_id_hex(id) == openssl_key_id(prefix + ".pub"));
    CHECK(key_id_hex(id) ==
          run("openssl pkey -in " + quote(prefix + ".key") + " -pubout -outform DER | sha256sum | cut -d' ' -f1"));

    const SigningKey key = SigningKey::from_file(prefix + ".key");
    const PublicKey pub = PublicKey::from_file(prefix + ".pub");
    CHECK(key.algorithm() == algorithm);
    CHECK(pub.algorithm() == algorithm);
    CHECK(key.key_id() == id);
    CHECK(pub.key_id() == id);
    CHECK(key.public_key().key_id() == id);
    CHECK(pub.source() == prefix + ".pub");

    const std::string message = buildinfo::dsse_pae(buildinfo::kPayloadType, "{\"vcs.ref.head.revision\":\"abc\"}");
    const std::vector<uint8_t> signature = key.sign(message);
    CHECK(pub.verify(message, signature));
    CHECK(key.public_key().verify(message, signature));
    // A private key PEM is accepted as a public key: its public half is used.
    const PublicKey from_private = PublicKey::from_file(prefix + ".key");
    CHECK(from_private.key_id() == id);
    CHECK(from_private.verify(message, signature));

    if (algorithm == SignatureAlgorithm::ed25519) {
      CHECK(signature.size() == 64);
      CHECK(key.sign(message) == signature);  // deterministic: reproducible stamps
    } else {
      CHECK(signature.at(0) == 0x30);  // DER SEQUENCE
      CHECK(signature.size() <= 72);
      CHECK(pub.verify(message, key.sign(message)));
    }

    // Tampering: a flipped message byte, a flipped signature byte, a
    // truncated or empty signature.
    for (size_t i : {size_t{0}, message.size() / 2, message.size() - 1}) {
      std::string changed = message;
      changed[i] = static_cast<char>(changed[i] ^ 0x01);
      CHECK_FALSE(pub.verify(changed, signature));
    }
    for (size_t i : {size_t{0}, signature.size() / 2, signature.size() - 1}) {
      std::vector<uint8_t> changed = signature;
      changed[i] ^= 0x80;
      CHECK_FALSE(pub.verify(message, changed));
    }
    CHECK_FALSE(pub.verify(message, std::vector<uint8_t>(signature.begin(), signature.end() - 1)));
    CHECK_FALSE(pub.verify(message, {}));
    CHECK_FALSE(PublicKey().verify(message, signature));
  }
}

TEST_CASE("keygen: refuses to overwrite and leaves no half key pair") {
  TempDir dir;
  const std::string prefix = dir / "k";
  buildinfo::generate_key_pair(SignatureAlgorithm::ed25519, prefix);
  const std::string key_text = read_text(prefix + ".key");
  const std::string pub_text = read_text(prefix + ".pub");
  try {
    buildinfo::generate_key_pair(SignatureAlgorithm::ed25519, prefix);
    FAIL("overwrote an existing key pair");
  } catch (const Error& error) {
    CHECK(error.kind() == ErrorKind::bad_input);
    CHECK(std::string(error.what()) == prefix + ".key: already exists; keygen does not overwrite keys");
  }
  CHECK(read_text(prefix + ".key") == key_text);
  CHECK(read_text(prefix + ".pub") == pub_text);

  // Only the .pub exists: refused, and no .key is created.
  const std::string lone = dir / "lone";
  write_bytes(lone + ".pub", "not mine");
  try {
    buildinfo::generate_key_pair(SignatureAlgorithm::ecdsa_p256_sha256, lone);
    FAIL("overwrote an existing public key");
  } catch (const Error& error) {
    CHECK(std::string(error.what()) == lone + ".pub: already exists; keygen does not overwrite keys");
  }
  CHECK(::access((lone + ".key").c_str(), F_OK) != 0);
  CHECK(read_text(lone + ".pub") == "not mine");

  // A directory that does not exist: an error naming the file, nothing written.
  const std::string nowhere = dir / "missing-dir/k";
  try {
    buildinfo::generate_key_pair(SignatureAlgorithm::ed25519, nowhere);
    FAIL("wrote into a missing directory");
  } catch (const Error& error) {
    CHECK(std::string(error.what()).rfind(nowhere + ".key: cannot create: ", 0) == 0);
  }
  CHECK_THROWS_AS(buildinfo::generate_key_pair(SignatureAlgorithm::none, dir / "none"), Error);
  CHECK(::access((dir / "none.key").c_str(), F_OK) != 0);
}

TEST_CASE("key: a signature does not verify with another key") {
  TempDir dir;
  buildinfo::generate_key_pair(SignatureAlgorithm::ed25519, dir / "a");
  buildinfo::generate_key_pair(SignatureAlgorithm::ed25519, dir / "b");
  buildinfo::generate_key_pair(SignatureAlgorithm::ecdsa_p256_sha256, dir / "c");
  buildinfo::generate_key_pair(SignatureAlgorithm::ecdsa_p256_sha256, dir / "d");
  const std::string message = buildinfo::dsse_pae(buildinfo::kPayloadType, "{}");
  const std::vector<uint8_t> ed = SigningKey::from_file(dir / "a.key").sign(message);
  const std::vector<uint8_t> ec = SigningKey::from_file(dir / "c.key").sign(message);
  CHECK(PublicKey::from_file(dir / "a.pub").verify(message, ed));
  CHECK_FALSE(PublicKey::from_file(dir / "b.pub").verify(message, ed));
  CHECK_FALSE(PublicKey::from_file(dir / "c.pub").verify(message, ed));
  CHECK(PublicKey::from_file(dir / "c.pub").verify(message, ec));
  CHECK_FALSE(PublicKey::from_file(dir / "d.pub").verify(message, ec));
  CHECK_FALSE(PublicKey::from_file(dir / "a.pub").verify(message, ec));
  CHECK(PublicKey::from_file(dir / "a.pub").key_id() != PublicKey::from_file(dir / "b.pub").key_id());
}

TEST_CASE("key: keys made by the openssl command line load and interoperate") {
  TempDir dir;
  run("openssl genpkey -algorithm ed25519 -out " + quote(dir / "ed.key"));
  run("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out " + quote(dir / "ec.key"));
  // SEC1 "EC PRIVATE KEY" (the traditional format) is accepted too.
  run("openssl ec -in " + quote(dir / "ec.key") + " -out " + quote(dir / "sec1.key") + " 2>/dev/null");
  REQUIRE(read_text(dir / "sec1.key").find("BEGIN EC PRIVATE KEY") != std::string::npos);
  for (const std::string name : {"ed", "ec", "sec1"}) {
    CAPTURE(name);
    const std::string key_path = dir / (name + ".key");
    ::chmod(key_path.c_str(), 0600);
    run("openssl pkey -in " + quote(key_path) + " -pubout -out " + quote(key_path + ".pub"));
    const SigningKey key = SigningKey::from_file(key_path);
    const PublicKey pub = PublicKey::from_file(key_path + ".pub");
    CHECK(key_id_hex(key.key_id()) == openssl_key_id(key_path + ".pub"));
    const std::string message = "DSSEv1 1 t 1 b";
    CHECK(pub.verify(message, key.sign(message)));
  }
}

TEST_CASE("dsse: signatures verify with the openssl command line") {
  // The independent check of the CLI test (tests/cli/openssl_interop.sh),
  // here on signatures made by signing.cc directly.
  TempDir dir;
  const std::string pae = buildinfo::dsse_pae(buildinfo::kPayloadType, "{\"a\":\"b\"}");
  write_bytes(dir / "pae.bin", pae);
  std::string tampered = pae;
  tampered[tampered.size() - 2] ^= 0x01;
  write_bytes(dir / "tampered.bin", tampered);
  for (const SignatureAlgorithm algorithm : kAlgorithms) {
    CAPTURE(buildinfo::algorithm_name(algorithm));
    const std::string prefix = dir / buildinfo::algorithm_name(algorithm);
    buildinfo::generate_key_pair(algorithm, prefix);
    const std::vector<uint8_t> signature = SigningKey::from_file(prefix + ".key").sign(pae);
    write_bytes(dir / "sig.bin", std::string(signature.begin(), signature.end()));
    const std::string pub = quote(prefix + ".pub");
    const std::string sig = quote(dir / "sig.bin");
    for (const char* file : {"pae.bin", "tampered.bin"}) {
      const std::string in = quote(dir / file);
      const int expected = std::string(file) == "pae.bin" ? 0 : 1;
      // pkeyutl -rawin verifies the message itself (for ECDSA with -digest sha256).
      std::string pkeyutl = "openssl pkeyutl -verify -pubin -inkey " + pub + " -rawin -in " + in + " -sigfile " + sig;
      if (algorithm == SignatureAlgorithm::ecdsa_p256_sha256) pkeyutl += " -digest sha256";
      CHECK_MESSAGE(status_of(pkeyutl) == expected, pkeyutl);
      if (algorithm == SignatureAlgorithm::ecdsa_p256_sha256) {
        const std::string dgst = "openssl dgst -sha256 -verify " + pub + " -signature " + sig + " " + in;
        CHECK_MESSAGE(status_of(dgst) == expected, dgst);
      }
    }
  }
}

TEST_CASE("key: an encrypted private key is refused without prompting") {
  TempDir dir;
  run("openssl genpkey -algorithm ed25519 -aes256 -pass pass:x -out " + quote(dir / "pkcs8.key"));
  run("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 | openssl ec -aes256 -passout pass:x -out " +
      quote(dir / "sec1.key") + " 2>/dev/null");
  REQUIRE(read_text(dir / "pkcs8.key").find("BEGIN ENCRYPTED PRIVATE KEY") != std::string::npos);
  REQUIRE(read_text(dir / "sec1.key").find("Proc-Type: 4,ENCRYPTED") != std::string::npos);
  // A prompt would wait for a terminal: fail the run instead of hanging it.
  ::alarm(60);
  for (const char* name : {"pkcs8.key", "sec1.key"}) {
    const std::string path = dir / name;
    ::chmod(path.c_str(), 0600);
    const std::string expected =
        path + ": the private key is encrypted; buildinfo needs an unencrypted PKCS#8 key (e.g. from a CI secret)";
    CHECK(error_of([](const std::string& p) { SigningKey::from_file(p); }, path) == expected);
    CHECK(error_of([](const std::string& p) { PublicKey::from_file(p); }, path) == expected);
  }
  ::alarm(0);
}

TEST_CASE("key: unsupported key types and non-keys are named") {
  TempDir dir;
  run("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out " + quote(dir / "rsa.key") + " 2>/dev/null");
  run("openssl pkey -in " + quote(dir / "rsa.key") + " -pubout -out " + quote(dir / "rsa.pub"));
  run("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out " + quote(dir / "p384.key"));
  run("openssl genpkey -algorithm ed448 -out " + quote(dir / "ed448.key"));
  for (const char* name : {"rsa.key", "rsa.pub", "p384.key", "ed448.key"}) ::chmod((dir / name).c_str(), 0600);
  const auto load_private = [](const std::string& p) { SigningKey::from_file(p); };
  const auto load_public = [](const std::string& p) { PublicKey::from_file(p); };
  const std::string accepted = " (buildinfo accepts Ed25519 and ECDSA P-256 keys)";
  CHECK(error_of(load_private, dir / "rsa.key") == dir / "rsa.key: unsupported key type RSA" + accepted);
  CHECK(error_of(load_public, dir / "rsa.pub") == dir / "rsa.pub: unsupported key type RSA" + accepted);
  CHECK(error_of(load_private, dir / "p384.key") ==
        dir / "p384.key: unsupported key type EC on curve secp384r1" + accepted);
  CHECK(error_of(load_private, dir / "ed448.key") == dir / "ed448.key: unsupported key type ED448" + accepted);

  write_bytes(dir / "garbage.key", "not a key at all\n");
  ::chmod((dir / "garbage.key").c_str(), 0600);
  CHECK(error_of(load_private, dir / "garbage.key") == dir / "garbage.key: not a PEM private key");
  CHECK(error_of(load_public, dir / "garbage.key") == dir / "garbage.key: not a PEM public key");
  // The .pub passed where the .key belongs.
  CHECK(error_of(load_private, dir / "rsa.pub") ==
        dir / "rsa.pub: is a public key; signing needs the private key (PREFIX.key)");
  CHECK(error_of(load_private, dir / "missing.key") == dir / "missing.key: cannot open: No such file or directory");
  CHECK(error_of(load_private, dir.path) == dir.path + ": is a directory");
}

TEST_CASE("key: a private key file readable by group or others gets a warning") {
  TempDir dir;
  const std::string prefix = dir / "k";
  const KeyId id = buildinfo::generate_key_pair(SignatureAlgorithm::ed25519, prefix);
  const std::string path = prefix + ".key";
  std::string warnings = capture_stderr(dir, [&] { CHECK(SigningKey::from_file(path).key_id() == id); });
  CHECK(warnings.empty());

  REQUIRE(::chmod(path.c_str(), 0640) == 0);
  warnings = capture_stderr(dir, [&] { CHECK(SigningKey::from_file(path).key_id() == id); });
  CHECK(warnings == "buildinfo: warning: " + path + ": private key is readable by group or others (chmod 600)\n");

  REQUIRE(::chmod(path.c_str(), 0604) == 0);
  warnings = capture_stderr(dir, [&] { SigningKey::from_file(path); });
  CHECK(warnings.find("readable by group or others") != std::string::npos);

  // Public keys are public: no warning.
  warnings = capture_stderr(dir, [&] { PublicKey::from_file(prefix + ".pub"); });
  CHECK(warnings.empty());
}

TEST_CASE("key: a private key from an environment variable") {
  TempDir dir;
  const std::string prefix = dir / "k";
  const KeyId id = buildinfo::generate_key_pair(SignatureAlgorithm::ecdsa_p256_sha256, prefix);
  const char* name = "BUILDINFO_SIGNING_TEST_KEY";
  ::setenv(name, read_text(prefix + ".key").c_str(), 1);
  const SigningKey key = SigningKey::from_env(name);
  CHECK(key.key_id() == id);
  CHECK(key.algorithm() == SignatureAlgorithm::ecdsa_p256_sha256);

  const auto load = [](const std::string& n) { SigningKey::from_env(n); };
  ::setenv(name, "", 1);
  CHECK(error_of(load, name) == "environment variable BUILDINFO_SIGNING_TEST_KEY is not set");
  ::unsetenv(name);
  CHECK(error_of(load, name) == "environment variable BUILDINFO_SIGNING_TEST_KEY is not set");
  ::setenv(name, "garbage", 1);
  CHECK(error_of(load, name) == "environment variable BUILDINFO_SIGNING_TEST_KEY: not a PEM private key");
  ::unsetenv(name);
}

TEST_CASE("sign: an external signing command") {
  TempDir dir;
  const std::string message = buildinfo::dsse_pae(buildinfo::kPayloadType, "{\"k\":\"v\"}");
  for (const SignatureAlgorithm algorithm : kAlgorithms) {
    CAPTURE(buildinfo::algorithm_name(algorithm));
    const std::string prefix = dir / buildinfo::algorithm_name(algorithm);
    buildinfo::generate_key_pair(algorithm, prefix);
    const PublicKey pub = PublicKey::from_file(prefix + ".pub");
    const std::string key = quote(prefix + ".key");
    // OpenSSL 3.0's pkeyutl cannot sign Ed25519 from a pipe (it needs the
    // input's size for the one-shot operation): the command buffers stdin
    // in a file first. ECDSA streams: `openssl dgst -sha256 -sign` reads stdin.
    const std::string command = algorithm == SignatureAlgorithm::ed25519
                                    ? "t=$(mktemp) && cat > \"$t\" && openssl pkeyutl -sign -rawin -inkey " + key +
                                          " -in \"$t\"; s=$?; rm -f \"$t\"; exit $s"
                                    : "openssl dgst -sha256 -sign " + key;
    const std::vector<uint8_t> signature = buildinfo::sign_with_command(command, message, pub);
    CHECK(pub.verify(message, signature));
    if (algorithm == SignatureAlgorithm::ed25519) {
      CHECK(signature == SigningKey::from_file(prefix + ".key").sign(message));
    } else {
      // pkeyutl with a digest streams from stdin too.
      CHECK(pub.verify(message, buildinfo::sign_with_command(
                                    "openssl pkeyutl -sign -rawin -digest sha256 -inkey " + key, message, pub)));
    }
  }

  const PublicKey ed = PublicKey::from_file(dir / "ed25519.pub");
  const auto expect_error = [&](const std::string& command, const std::string& expected) {
    CAPTURE(command);
    try {
      buildinfo::sign_with_command(command, message, ed);
      FAIL("no error");
    } catch (const Error& error) {
      CHECK(error.kind() == ErrorKind::bad_input);
      CHECK(std::string(error.what()) == expected);
    }
  };
  expect_error("false", "signing command failed with exit status 1");
  expect_error("exit 7", "signing command failed with exit status 7");
  expect_error("cat > /dev/null", "signing command printed no signature");
  expect_error("kill -9 $$", "signing command was killed by a signal");
  // A signature by another key, and text instead of raw bytes.
  const std::string other = quote(dir / "ecdsa-p256.key");
  expect_error("openssl dgst -sha256 -sign " + other,
               "signature from the signing command does not verify with the public key " + dir / "ed25519.pub");
  expect_error("openssl dgst -sha256 -sign " + other + " | base64",
               "signature from the signing command does not verify with the public key " + dir / "ed25519.pub" +
                   " (the command must write the raw signature bytes, not text)");
}
