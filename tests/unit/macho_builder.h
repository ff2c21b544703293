// Mach-O code-signature test data for the unit tests, built byte by byte
// from the specification (xnu osfmk/kern/cs_blobs.h): an embedded-signature
// SuperBlob holding CodeDirectories and, optionally, a CMS blob wrapper.
// The one place the unit tests make CodeDirectories (macho_test.cc,
// image_digest_test.cc); the Python tools have their own in
// tests/tools/macho_codesign.py.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace macho_builder {

constexpr uint32_t kEmbeddedSignatureMagic = 0xfade0cc0;  // CSMAGIC_EMBEDDED_SIGNATURE
constexpr uint32_t kCodeDirectoryMagic = 0xfade0c02;      // CSMAGIC_CODEDIRECTORY
constexpr uint32_t kBlobWrapperMagic = 0xfade0b01;        // CSMAGIC_BLOBWRAPPER (the CMS signature)
constexpr uint32_t kSignatureSlot = 0x10000;              // CSSLOT_SIGNATURESLOT
constexpr uint32_t kSuperBlobHeaderSize = 12;             // magic, length, count; then 8 bytes per index entry
// A version 0x20100 CodeDirectory header: up to and including scatterOffset.
constexpr uint32_t kCodeDirectoryVersion = 0x20100;
constexpr uint32_t kCodeDirectoryHeaderSize = 48;

struct CodeDirectory {
  uint32_t slot_type = 0;  // 0 (CSSLOT_CODEDIRECTORY) or an alternate, 0x1000 + i
  uint8_t hash_type = 2;   // CS_HASHTYPE_SHA256
  uint8_t hash_size = 32;
  uint32_t flags = 0x2;  // CS_ADHOC
  std::string identifier = "test";
  uint32_t special_slots = 2;
};

struct CodeSignature {
  uint32_t code_limit = 0;  // pages of [0, code_limit) are hashed
  uint8_t page_shift = 12;
  std::vector<CodeDirectory> directories{CodeDirectory{}};
  uint32_t cms_size = 0;     // CMS blob: 0 none; 8 an empty wrapper (codesign -s -); more a "Developer ID" one
  uint64_t padded_size = 0;  // zero bytes after the blobs up to this size (codesign leaves room)
};

namespace detail {
inline void put_be32(std::vector<uint8_t>& b, uint64_t at, uint32_t value) {
  if (b.size() < at + 4) b.resize(at + 4, 0);
  for (unsigned i = 0; i < 4; ++i) b[at + i] = static_cast<uint8_t>(value >> (8 * (3 - i)));
}
}  // namespace detail

inline uint32_t page_count(const CodeSignature& s) { return (s.code_limit + (1u << s.page_shift) - 1) >> s.page_shift; }

// Where the identifier, the special slots and the code slots of a
// CodeDirectory lie, counted from the CodeDirectory's first byte.
inline uint32_t identifier_offset(const CodeDirectory&) { return kCodeDirectoryHeaderSize; }
inline uint32_t hash_offset(const CodeDirectory& d) {
  return identifier_offset(d) + static_cast<uint32_t>(d.identifier.size()) + 1 + d.special_slots * d.hash_size;
}
inline uint32_t code_directory_length(const CodeSignature& s, const CodeDirectory& d) {
  return hash_offset(d) + page_count(s) * d.hash_size;
}

// The SuperBlob: header, one index entry per blob, each CodeDirectory with
// all-zero special and page hashes (the code under test fills them in), then
// the CMS wrapper (its content 0x30 bytes), then the padding.
inline std::vector<uint8_t> code_signature(const CodeSignature& s) {
  using detail::put_be32;
  const uint32_t count = static_cast<uint32_t>(s.directories.size()) + (s.cms_size ? 1 : 0);
  std::vector<uint8_t> sig;
  put_be32(sig, 0, kEmbeddedSignatureMagic);
  put_be32(sig, 8, count);
  uint32_t at = kSuperBlobHeaderSize + 8 * count;
  uint32_t index = kSuperBlobHeaderSize;
  for (const CodeDirectory& d : s.directories) {
    const uint32_t length = code_directory_length(s, d);
    put_be32(sig, index, d.slot_type);
    put_be32(sig, index + 4, at);
    index += 8;
    put_be32(sig, at, kCodeDirectoryMagic);
    put_be32(sig, at + 4, length);
    put_be32(sig, at + 8, kCodeDirectoryVersion);
    put_be32(sig, at + 12, d.flags);
    put_be32(sig, at + 16, hash_offset(d));
    put_be32(sig, at + 20, identifier_offset(d));
    put_be32(sig, at + 24, d.special_slots);
    put_be32(sig, at + 28, page_count(s));
    put_be32(sig, at + 32, s.code_limit);
    sig.resize(at + kCodeDirectoryHeaderSize, 0);
    sig[at + 36] = d.hash_size;
    sig[at + 37] = d.hash_type;
    sig[at + 38] = 0;  // platform
    sig[at + 39] = s.page_shift;
    // spare2 (at + 40) and scatterOffset (at + 44) stay 0: no scatter vectors.
    sig.resize(at + length, 0);
    std::memcpy(sig.data() + at + identifier_offset(d), d.identifier.c_str(), d.identifier.size() + 1);
    at += length;
  }
  if (s.cms_size) {
    put_be32(sig, index, kSignatureSlot);
    put_be32(sig, index + 4, at);
    put_be32(sig, at, kBlobWrapperMagic);
    put_be32(sig, at + 4, s.cms_size);
    sig.resize(at + s.cms_size, 0x30);
    at += s.cms_size;
  }
  put_be32(sig, 4, at);
  sig.resize(std::max<uint64_t>(sig.size(), s.padded_size), 0);
  return sig;
}

}  // namespace macho_builder
