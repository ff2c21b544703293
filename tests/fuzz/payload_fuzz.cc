// Fuzz target: what `verify` parses besides the binary: the payload JSON
// (parse_payload and its validation), the slot header decoder on the input
// as slot bytes, the DSSE envelope check of its signature (PAE + OpenSSL
// signature decoding with fixed Ed25519 and P-256 keys, in the OpenSSL plug-in), the public-key PEM
// reader, and the OTEL_RESOURCE_ATTRIBUTES helpers on the input as text.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "buildinfo/otel.hpp"
#include "formats/slot_codec.h"
#include "plugins/plugin_loader.h"
#include "record/payload.h"
#include "signing/signing.h"
#include "support/byte_view.h"
#include "support/error.h"

namespace {

// The OpenSSL plug-in of this build tree holds the keys.
const bool plugin_directory_set = (buildinfo::set_plugin_directory(BUILDINFO_TEST_PLUGIN_DIR), true);

// Public halves of throwaway keys: only the parsing of signatures matters here.
const buildinfo::PublicKey& ed25519_key() {
  static const buildinfo::PublicKey key = buildinfo::PublicKey::from_pem(
      "-----BEGIN PUBLIC KEY-----\n"
      "MCowBQYDK2VwAyEAcQS8TH6iNiOqyGbS5OLSMxBcpS+XXech+/AD/tAYv7Y=\n"
      "-----END PUBLIC KEY-----\n",
      "ed25519 fuzz key");
  return key;
}

const buildinfo::PublicKey& p256_key() {
  static const buildinfo::PublicKey key = buildinfo::PublicKey::from_pem(
      "-----BEGIN PUBLIC KEY-----\n"
      "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEgan1+GrI9kmhdD/oeQ83O0IIHnoH\n"
      "p43XWKdAYCdXl4O4AA5T/VHNQ1XaejqSTeBB7XU1PSKzWxoi6vD0pMNnSg==\n"
      "-----END PUBLIC KEY-----\n",
      "p256 fuzz key");
  return key;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace otel = buildinfo::otel;
  const std::string text(reinterpret_cast<const char*>(data), size);

  try {
    const buildinfo::Payload payload = buildinfo::parse_payload(text, "payload");
    for (const auto& [key, value] : payload) {
      buildinfo::validate_key(key);
      buildinfo::validate_value(key, value);
    }
    // A valid payload's canonical form parses back to the same map.
    if (buildinfo::parse_payload(buildinfo::canonical_json(payload), "payload") != payload) __builtin_trap();
  } catch (const buildinfo::Error&) {
  }

  try {
    const buildinfo::ByteView slot(data, size);
    const buildinfo::SlotHeader header = buildinfo::decode_slot_header(slot);
    const std::string payload = buildinfo::slot_payload(slot, header);
    const std::vector<uint8_t> signature = buildinfo::slot_signature(slot, header);
    // A forged signature must never verify with keys nobody holds the private half of.
    const std::string message = buildinfo::dsse_pae(buildinfo::kPayloadType, payload);
    if (ed25519_key().verify(message, signature) || p256_key().verify(message, signature)) __builtin_trap();
  } catch (const buildinfo::Error&) {
  }

  try {
    (void)buildinfo::PublicKey::from_pem(text, "fuzz input");
  } catch (const buildinfo::Error&) {
  }

  // The first line is a key, the rest an OTEL_RESOURCE_ATTRIBUTES value.
  const std::string_view input(text);
  const std::size_t newline = input.find('\n');
  const std::string_view key = newline == std::string_view::npos ? std::string_view() : input.substr(0, newline);
  const std::string_view list = newline == std::string_view::npos ? input : input.substr(newline + 1);
  std::string_view raw;
  (void)otel::find(list, key, &raw);

  std::string decoded(otel::percent_decode(list, nullptr, 0) + 1, '\0');
  decoded.resize(otel::percent_decode(list, decoded.data(), decoded.size()));
  if (decoded.size() > list.size()) __builtin_trap();  // never longer than the input

  const std::string key_text(key);
  const std::string value_text(list.substr(0, list.size() < 64 ? list.size() : 64));
  const buildinfo_otel_attribute attrs[] = {{"service.name", 12, "fuzz", 4},
                                            {key_text.c_str(), key_text.size(), value_text.c_str(), value_text.size()}};
  std::string merged(buildinfo_otel_merge(list.data(), list.size(), attrs, 2, nullptr, 0) + 1, '\0');
  merged.resize(buildinfo_otel_merge(list.data(), list.size(), attrs, 2, merged.data(), merged.size()));
  // A short buffer must truncate, never overrun.
  char small[8];
  (void)buildinfo_otel_merge(list.data(), list.size(), attrs, 2, small, sizeof small);
  (void)buildinfo_otel_encode(attrs, 2, small, sizeof small);
  return 0;
}
