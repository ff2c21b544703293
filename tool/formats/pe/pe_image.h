// The PE reader (pe_image.cc): one parsed image per file (PE32 or PE32+), with its
// slots, its target, its CheckSum and certificate table (Authenticode), the
// image digest plan and the CheckSum fix-up after stamping.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "formats/binary_format.h"
#include "support/byte_view.h"

namespace buildinfo {

namespace pe {
// Whether the file has "MZ" and a PE signature at e_lfanew (then
// PeImage::scan reads it).
bool matches(ByteView file);
}  // namespace pe

class PeImage {
 public:
  // Reads the headers, the data directories and the section table once.
  // Throws malformed() naming the defect.
  static PeImage scan(ByteView file);

  const BinaryFacts& facts() const { return facts_; }

  // File offset of the optional header's CheckSum field.
  uint64_t checksum_offset() const { return checksum_offset_; }

  // The size of the certificate table, which holds the Authenticode
  // signatures; 0 when the file has none.
  uint32_t certificate_table_size() const { return certificates_ ? certificates_->size : 0; }

  // FORMAT.md, "The image digest", PE: Authenticode's rule. Throws
  // malformed() when the certificate table would hide mapped bytes.
  DigestPlan digest_plan(const SlotLocation& slot) const;

  // Recomputes the CheckSum of `file` (this image, patched) if it was not
  // zero; returns the ranges it rewrote.
  std::vector<FileRange> update_checksum(MutableBytes file) const;
  std::vector<FileRange> after_patch(MutableBytes file, const SlotLocation& /*slot*/) const {
    return update_checksum(file);
  }

  // "has an Authenticode signature (...)" when a certificate table is
  // present, which writing a slot invalidates; else empty.
  std::string foreign_signature() const;

 private:
  // Data directory 4, the Certificate Table: where its entry lies in the
  // optional header, and the file range it names.
  struct CertificateDirectory {
    uint64_t entry_offset;
    uint32_t offset;  // a file offset, not an RVA
    uint32_t size;
  };

  PeImage() = default;

  BinaryFacts facts_;
  uint64_t checksum_offset_ = 0;
  // Absent when NumberOfRvaAndSizes has no entry 4: those bytes are then
  // ordinary header bytes.
  std::optional<CertificateDirectory> certificates_;
  std::string source_;  // the file, for errors found after the scan
  // The end of the section table and of every section's raw data: what the
  // certificate table must not hide.
  uint64_t mapped_end_ = 0;
  uint64_t file_size_ = 0;
};

// The CheckSum the loader expects for `file`: the sum of the file as
// little-endian 16-bit words (a trailing odd byte padded with zero) with the
// 4 bytes at `checksum_offset` counted as zero, carries folded into 16 bits,
// plus the file length. Throws malformed() if the field is outside the file.
// https://learn.microsoft.com/en-us/windows/win32/debug/pe-format (CheckSum);
// the same algorithm as imagehlp's CheckSumMappedFile and lld's writePEChecksum.
uint32_t pe_checksum(ByteView file, uint64_t checksum_offset);

}  // namespace buildinfo
