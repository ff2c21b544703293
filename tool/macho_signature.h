// Mach-O code-signature facts beyond the common reader interface: whether a
// slice carries a CMS (Developer ID) signature, and a page-hash check.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "byte_view.h"

namespace buildinfo::macho {

// True when the slice's embedded signature holds a non-empty CMS blob
// (CSSLOT_SIGNATURESLOT 0x10000): a Developer ID or other certificate-based
// signature. Stamping keeps the page hashes right but invalidates the CMS
// signature over the CodeDirectory, so stamp refuses such a slice (unless
// --force, after which the user must sign again).
// False for unsigned and ad-hoc signed slices. Throws malformed() on a
// corrupt signature.
bool has_cms_signature(ByteView file, uint64_t slice_offset, uint64_t slice_size);

// The result of recomputing the code page hashes of one CodeDirectory.
struct CodeDirectoryCheck {
  uint32_t slot_type = 0;          // 0, or 0x1000..0x1004 for alternates
  uint8_t hash_type = 0;           // 1 SHA-1, 2 SHA-256, 3 SHA-256/20, 4 SHA-384
  uint64_t page_count = 0;         // code pages covered by codeLimit
  uint64_t mismatched_pages = 0;   // pages whose stored hash differs
};

// Recomputes every code page hash of every CodeDirectory of the slice and
// compares it with the stored one. Empty when the slice is not signed.
// Throws malformed() on a corrupt signature or an unsupported hash type.
std::vector<CodeDirectoryCheck> check_page_hashes(ByteView file, uint64_t slice_offset, uint64_t slice_size);

// Where a slice's embedded signature lives, for the image digest (FORMAT.md:
// the slice up to its code signature, with the fields that re-signing
// rewrites zeroed). All offsets are absolute file offsets.
struct SignatureLayout {
  bool present = false;      // LC_CODE_SIGNATURE found
  uint64_t data_offset = 0;  // the signature's first byte (dataoff)
  uint64_t data_size = 0;
  // {offset, length} of the header fields `codesign -f` rewrites when it
  // replaces the signature: LC_CODE_SIGNATURE dataoff and datasize, and the
  // __LINKEDIT segment's vmsize and filesize (the signature is its tail).
  std::vector<std::pair<uint64_t, uint64_t>> rewritten_fields;
};
SignatureLayout signature_layout(ByteView file, uint64_t slice_offset, uint64_t slice_size);

}  // namespace buildinfo::macho
