// image.sha256: the per-format image digest (rules byte by byte in FORMAT.md,
// "Image digest"). One streaming SHA-256 over ranges of the file: every byte
// is read once, zeroed ranges are fed from a static buffer, nothing is copied.
#include "image_digest.h"

#include <openssl/evp.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hex.h"
#include "macho_signature.h"
#include "pe_checksum.h"

namespace buildinfo {
namespace {

// [offset, offset + length) in absolute file offsets.
struct Range {
  uint64_t offset;
  uint64_t length;
  uint64_t end() const { return offset + length; }
};

// SHA-256 over file ranges in which some bytes count as zeros. The zeroed
// ranges must lie inside the file (checked by the constructor).
class ImageHasher {
 public:
  ImageHasher(ByteView file, std::vector<Range> zeroed) : file_(file), zeroed_(std::move(zeroed)), ctx_(EVP_MD_CTX_new()) {
    for (const Range& z : zeroed_)
      if (!file_.contains(z.offset, z.length)) throw malformed("a field the image digest zeroes lies outside the file");
    std::sort(zeroed_.begin(), zeroed_.end(), [](const Range& a, const Range& b) { return a.offset < b.offset; });
    if (!ctx_ || EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr) != 1)
      throw Error(ExitCode::bad_input, "OpenSSL could not start the image digest");
  }

  // The file bytes of `range`, with the zeroed ranges inside it as zeros.
  void bytes(Range range, const char* what) {
    if (range.length == 0) return;  // e.g. a .bss-only PT_LOAD, whose offset may lie past EOF
    if (!file_.contains(range.offset, range.length)) throw malformed(std::string(what) + " lies outside the file");
    uint64_t at = range.offset;
    const uint64_t end = range.end();
    for (const Range& z : zeroed_) {
      if (at >= end) break;
      if (z.end() <= at || z.offset >= end) continue;
      if (z.offset > at) update(file_.data() + at, z.offset - at);
      const uint64_t zero_end = std::min(z.end(), end);
      zeros(zero_end - std::max(z.offset, at));
      at = zero_end;
    }
    if (at < end) update(file_.data() + at, end - at);
  }

  void zeros(uint64_t n) {
    static const uint8_t kZeros[4096] = {};
    while (n > 0) {
      const uint64_t chunk = std::min<uint64_t>(n, sizeof kZeros);
      update(kZeros, chunk);
      n -= chunk;
    }
  }

  void u64le(uint64_t value) {
    uint8_t b[8];
    for (int i = 0; i < 8; ++i) b[i] = static_cast<uint8_t>(value >> (8 * i));
    update(b, sizeof b);
  }

  std::string hex() {
    uint8_t md[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(ctx_.get(), md, &length) != 1)
      throw Error(ExitCode::bad_input, "OpenSSL could not finish the image digest");
    return buildinfo::hex(md, length);
  }

 private:
  void update(const uint8_t* data, uint64_t n) {
    if (EVP_DigestUpdate(ctx_.get(), data, n) != 1) throw Error(ExitCode::bad_input, "OpenSSL could not hash the image");
  }

  struct CtxFree {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
  };
  ByteView file_;
  std::vector<Range> zeroed_;
  std::unique_ptr<EVP_MD_CTX, CtxFree> ctx_;
};

Range slot_range(const SlotLocation& slot) { return Range{slot.slot_offset, slot.capacity}; }

// ---- ELF (System V gABI, "ELF Header" and "Program Header") ----
// Stream: for the ELF header, the program header table and then every PT_LOAD
// in table order, u64le(offset) u64le(length) and the bytes. The offset and
// length bind each range to its place, so bytes cannot be moved between
// ranges unnoticed. `strip` and `objcopy --strip-debug` rewrite only the
// section-header fields of the ELF header (zeroed) and bytes outside these
// ranges (checked with GNU strip/objcopy 2.40, llvm-strip 14; gcc, clang,
// lld and gold output; x86_64 and aarch64).
std::string elf_digest(ByteView f, const SlotLocation& slot) {
  constexpr uint32_t kPtLoad = 1;
  const uint8_t elf_class = f.le<uint8_t>(4, "ELF class");
  const uint8_t data = f.le<uint8_t>(5, "ELF data encoding");
  if (elf_class != 1 && elf_class != 2) throw malformed("ELF class " + std::to_string(elf_class) + " is invalid");
  if (data != 1 && data != 2) throw malformed("ELF data encoding " + std::to_string(data) + " is invalid");
  const bool is64 = elf_class == 2;
  const Endian e = data == 1 ? Endian::little : Endian::big;

  // The header's size by class (not e_ehsize, which the header bytes cover).
  const uint64_t header_size = is64 ? 64 : 52;
  const uint64_t phoff = is64 ? f.read<uint64_t>(32, e, "e_phoff") : f.read<uint32_t>(28, e, "e_phoff");
  const uint16_t phentsize = f.read<uint16_t>(is64 ? 54 : 42, e, "e_phentsize");
  const uint16_t phnum = f.read<uint16_t>(is64 ? 56 : 44, e, "e_phnum");
  if (phnum != 0 && phentsize < (is64 ? 56 : 32))
    throw malformed("e_phentsize " + std::to_string(phentsize) + " is too small");
  // No program headers: the range (0, 0), whatever e_phoff holds.
  const Range table = phnum == 0 ? Range{0, 0} : Range{phoff, checked_mul(phnum, phentsize, "program header table")};
  if (!f.contains(table.offset, table.length)) throw malformed("program header table (e_phoff or e_phnum corrupted) lies outside the file");

  // e_shoff; e_shentsize, e_shnum, e_shstrndx (adjacent, 2 bytes each).
  std::vector<Range> zeroed{slot_range(slot)};
  zeroed.push_back(is64 ? Range{40, 8} : Range{32, 4});
  zeroed.push_back(is64 ? Range{58, 6} : Range{46, 6});
  ImageHasher h(f, zeroed);

  auto add = [&h](Range r, const char* what) {
    h.u64le(r.offset);
    h.u64le(r.length);
    h.bytes(r, what);
  };
  add(Range{0, header_size}, "ELF header");
  add(table, "program header table");
  for (uint64_t i = 0; i < phnum; ++i) {
    const uint64_t at = phoff + i * phentsize;
    if (f.read<uint32_t>(at, e, "p_type") != kPtLoad) continue;
    const uint64_t offset = is64 ? f.read<uint64_t>(at + 8, e, "p_offset") : f.read<uint32_t>(at + 4, e, "p_offset");
    const uint64_t filesz = is64 ? f.read<uint64_t>(at + 32, e, "p_filesz") : f.read<uint32_t>(at + 16, e, "p_filesz");
    add(Range{offset, filesz}, "PT_LOAD segment");
  }
  return h.hex();
}

// ---- PE (Microsoft PE format; Authenticode_PE.docx, "Calculating the PE Image Hash") ----
// Stream: the file in order without the CheckSum field, the Certificate
// Table directory entry and the certificate table (skipped, not zeroed, as
// Authenticode does), then zeros up to a multiple of 8 of (file size minus
// the certificate table's size): signers pad the file to 8 bytes with zeros
// before they append the table, and this makes the padding count the same
// whether it is in the file or not.
std::string pe_digest(ByteView f, const SlotLocation& slot) {
  const uint64_t checksum = pe_checksum_offset(f);  // checks the headers
  const uint64_t opt = checksum - 64;
  const uint64_t coff = opt - 20;
  const uint16_t number_of_sections = f.le<uint16_t>(coff + 2, "COFF NumberOfSections");
  const uint16_t optional_size = f.le<uint16_t>(coff + 16, "COFF SizeOfOptionalHeader");
  const bool pe32plus = f.le<uint16_t>(opt, "optional header magic") == 0x20b;
  const uint32_t rva_count = f.le<uint32_t>(opt + (pe32plus ? 108 : 92), "NumberOfRvaAndSizes");
  const uint64_t entry = opt + (pe32plus ? 144 : 128);

  std::vector<Range> skipped{{checksum, 4}};
  std::optional<Range> certificates;
  // Directory 4 exists only when NumberOfRvaAndSizes says so and it lies in
  // the optional header; otherwise those 8 bytes are something else and count.
  if (rva_count >= 5 && entry + 8 <= opt + optional_size) {
    skipped.push_back(Range{entry, 8});
    const uint32_t va = f.le<uint32_t>(entry, "Certificate Table VirtualAddress");
    const uint32_t size = f.le<uint32_t>(entry + 4, "Certificate Table Size");
    if (size != 0) {
      const Range c{va, size};
      if (!f.contains(c.offset, c.length))
        throw malformed("certificate table (offset " + std::to_string(va) + ", size " + std::to_string(size) + ") lies outside the file");
      // Everything the loader maps must stay covered: the table may only sit
      // after the headers and every section's raw data (where signers put it).
      uint64_t mapped_end = opt + optional_size + uint64_t{number_of_sections} * 40;
      const uint64_t table = opt + optional_size;
      f.sub(table, uint64_t{number_of_sections} * 40, "section table");
      for (uint64_t i = 0; i < number_of_sections; ++i) {
        const uint64_t raw_size = f.le<uint32_t>(table + i * 40 + 16, "section SizeOfRawData");
        const uint64_t raw_offset = f.le<uint32_t>(table + i * 40 + 20, "section PointerToRawData");
        if (raw_size != 0) mapped_end = std::max(mapped_end, raw_offset + raw_size);
      }
      mapped_end = std::max(mapped_end, slot_range(slot).end());
      if (c.offset < mapped_end)
        throw malformed("certificate table (offset " + std::to_string(va) +
                        ") overlaps the headers or section data (they end at " + std::to_string(mapped_end) + ")");
      skipped.push_back(c);
      certificates = c;
    }
  }
  std::sort(skipped.begin(), skipped.end(), [](const Range& a, const Range& b) { return a.offset < b.offset; });

  ImageHasher h(f, {slot_range(slot)});
  uint64_t at = 0;
  for (const Range& s : skipped) {
    if (s.offset > at) h.bytes(Range{at, s.offset - at}, "PE image");
    at = std::max(at, s.end());
  }
  if (at < f.size()) h.bytes(Range{at, f.size() - at}, "PE image");
  const uint64_t image_size = f.size() - (certificates ? certificates->length : 0);
  h.zeros((8 - image_size % 8) % 8);
  return h.hex();
}

// ---- Mach-O (xnu loader.h, cs_blobs.h) ----
// Stream: the slice from its first byte up to LC_CODE_SIGNATURE's dataoff
// (the whole slice when unsigned), with the fields re-signing rewrites
// (LC_CODE_SIGNATURE dataoff and datasize, __LINKEDIT vmsize and filesize)
// as zeros. The signature itself, and for universal files the fat header,
// are not covered.
std::string macho_digest(ByteView f, const SlotLocation& slot) {
  const macho::SignatureLayout layout = macho::signature_layout(f, slot.slice_offset, slot.slice_size);
  std::vector<Range> zeroed{slot_range(slot)};
  for (const auto& field : layout.rewritten_fields) zeroed.push_back(Range{field.first, field.second});
  const uint64_t end = layout.present ? layout.data_offset : slot.slice_offset + slot.slice_size;
  if (end < slot.slice_offset) throw malformed("code signature lies before its slice");
  ImageHasher h(f, zeroed);
  h.bytes(Range{slot.slice_offset, end - slot.slice_offset}, "Mach-O slice");
  return h.hex();
}

}  // namespace

std::string image_digest(ByteView file, const BinaryFacts& facts, const SlotLocation& slot) {
  if (!file.contains(slot.slot_offset, slot.capacity)) throw malformed("slot lies outside the file");
  if (facts.format == "elf") return elf_digest(file, slot);
  if (facts.format == "pe") return pe_digest(file, slot);
  if (facts.format == "macho" || facts.format == "macho-universal") return macho_digest(file, slot);
  throw malformed("no image digest rule for format '" + facts.format + "'");
}

}  // namespace buildinfo
