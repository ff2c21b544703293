// SHA-256 (both compression functions) and SHA-384 against the FIPS 180
// examples and against OpenSSL, fed whole and in pieces; SHA-1 (its FIPS
// examples are in state_proof_test.cc) against OpenSSL, both compression
// functions too.
#include <doctest/doctest.h>
#include <openssl/evp.h>

#include <random>
#include <string>
#include <vector>

#include "signing/openssl_sha256.h"
#include "support/hex.h"
#include "support/sha1.h"
#include "support/sha1_compress.h"
#include "support/sha2.h"
#include "support/sha256_compress.h"

namespace {

template <typename Hash>
std::string hash_hex(const std::string& text, size_t piece) {
  Hash hash;
  for (size_t at = 0; at < text.size(); at += piece) hash.update(text.data() + at, std::min(piece, text.size() - at));
  const auto digest = hash.finish();
  return buildinfo::hex(digest.data(), digest.size());
}

std::string openssl_hex(const EVP_MD* method, const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  REQUIRE(EVP_Digest(text.data(), text.size(), digest, &length, method, nullptr) == 1);
  return buildinfo::hex(digest, length);
}

const char* const kTwoBlocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
const char* const kFourBlocks =
    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

}  // namespace

TEST_CASE("SHA-256 and SHA-384: the FIPS 180 examples, fed whole and in pieces") {
  // https://csrc.nist.gov/projects/cryptographic-standards-and-guidelines/example-values
  using buildinfo::Sha256;
  using buildinfo::Sha384;
  for (size_t piece : {1, 3, 63, 64, 65, 1000}) {
    CHECK(hash_hex<Sha256>("", piece) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(hash_hex<Sha256>("abc", piece) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(hash_hex<Sha256>(kTwoBlocks, piece) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    CHECK(hash_hex<Sha384>("abc", piece) ==
          "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7");
    CHECK(hash_hex<Sha384>(kFourBlocks, piece) ==
          "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039");
  }
  const std::string million(1000000, 'a');
  CHECK(hash_hex<Sha256>(million, 4096) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  CHECK(hash_hex<Sha384>(million, 4096) ==
        "9d0e1809716474cb086e834e310a4a1ced149e9c00f248527972cec5704c2a5b07b8b3dc38ecc4ebae97ddd87f3d8985");
}

TEST_CASE("SHA-256, SHA-384 and SHA-1 agree with OpenSSL at every padding boundary") {
  std::mt19937 random(17);
  std::string bytes(3000, '\0');
  for (char& c : bytes) c = static_cast<char>(random());
  for (size_t length = 0; length <= 300; ++length) {
    const std::string text = bytes.substr(0, length);
    CHECK(hash_hex<buildinfo::Sha256>(text, 7) == openssl_hex(EVP_sha256(), text));
    CHECK(hash_hex<buildinfo::Sha384>(text, 13) == openssl_hex(EVP_sha384(), text));
    CHECK(hash_hex<buildinfo::Sha1>(text, 11) == openssl_hex(EVP_sha1(), text));
  }
  CHECK(buildinfo::hex(buildinfo::digest_of<buildinfo::Sha256>(bytes.data(), bytes.size()).data(), 32) ==
        openssl_hex(EVP_sha256(), bytes));
}

TEST_CASE("the SHA-extension compression functions give the portable ones' state") {
  if (!buildinfo::have_x86_sha_extensions()) {
    MESSAGE("this processor has no SHA extensions: only the portable compression function is in use");
    return;
  }
  std::mt19937 random(5);
  std::vector<uint8_t> blocks(64 * 40);
  for (uint8_t& b : blocks) b = static_cast<uint8_t>(random());
  for (size_t count : {1, 2, 3, 40}) {
    uint32_t portable[8], extensions[8];
    for (int i = 0; i < 8; ++i) portable[i] = extensions[i] = static_cast<uint32_t>(random());
    buildinfo::sha256_compress_portable(portable, blocks.data(), count);
    buildinfo::sha256_compress_x86(extensions, blocks.data(), count);
    CHECK(std::equal(portable, portable + 8, extensions));
    uint32_t portable1[5], extensions1[5];
    for (int i = 0; i < 5; ++i) portable1[i] = extensions1[i] = static_cast<uint32_t>(random());
    buildinfo::sha1_compress_portable(portable1, blocks.data(), count);
    buildinfo::sha1_compress_x86(extensions1, blocks.data(), count);
    CHECK(std::equal(portable1, portable1 + 5, extensions1));
  }
}

TEST_CASE("long inputs on processors without SHA extensions go to OpenSSL's SHA-256, to the same digest") {
  CHECK(buildinfo::long_input_engine_applies(4u << 20, false));
  CHECK_FALSE(buildinfo::long_input_engine_applies((4u << 20) - 1, false));
  CHECK_FALSE(buildinfo::long_input_engine_applies(1u << 30, true));

  // The plug-in's engine itself (tests/unit/main.cc points at the build's plug-ins).
  const buildinfo::Sha256Engine* engine = buildinfo::openssl_sha256_engine();
  REQUIRE(engine != nullptr);
  std::mt19937 random(9);
  std::string bytes(5u << 20, '\0');
  for (char& c : bytes) c = static_cast<char>(random());
  const std::string expected = openssl_hex(EVP_sha256(), bytes);

  // LongSha256 with the engine (as on such a processor) and without it.
  static int begun = 0;
  static const buildinfo::Sha256Engine* counted_engine = engine;
  static const buildinfo::Sha256Engine counting{
      [] {
        ++begun;
        return counted_engine->begin();
      },
      [](void* state, const uint8_t* data, uint64_t size) { return counted_engine->update(state, data, size); },
      [](void* state, uint8_t* digest) { return counted_engine->end(state, digest); }};
  buildinfo::set_long_input_sha256([] { return &counting; });
  for (const bool extensions : {false, true}) {
    const int before = begun;
    buildinfo::LongSha256 hash(bytes.size(), extensions);
    for (size_t at = 0; at < bytes.size(); at += 1000003)
      hash.update(bytes.data() + at, std::min<size_t>(1000003, bytes.size() - at));
    const auto digest = hash.finish();
    CHECK(buildinfo::hex(digest.data(), digest.size()) == expected);
    CHECK(begun - before == (extensions ? 0 : 1));
  }
  // One left unfinished frees its state (valgrind and the sanitizers would say otherwise).
  {
    buildinfo::LongSha256 abandoned(bytes.size(), false);
    abandoned.update(bytes.data(), 10);
  }
  buildinfo::set_long_input_sha256(nullptr);
}
