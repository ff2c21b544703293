// image.sha256 (FORMAT.md, "Image digest") on small synthetic ELF, PE and
// Mach-O files built here byte by byte: each digest equals a reference that
// builds the documented byte stream literally; covered bytes change it; the
// slot, the excluded fields and the legitimate later steps (strip, an
// appended certificate table, an ad-hoc re-signature) do not. Read through
// a descriptor or from the mapping, a large file gives the same digest.
#include <doctest/doctest.h>

#include <openssl/evp.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "buildinfo/slot_layout.h"
#include "formats/binary_image.h"
#include "formats/image_digest.h"
#include "formats/macho/macho_image.h"
#include "formats/pe/pe_image.h"
#include "formats/slot_codec.h"
#include "macho_builder.h"
#include "support/error.h"
#include "support/mapped_file.h"

namespace {

using Bytes = std::vector<uint8_t>;
using buildinfo::ByteView;
using buildinfo::Endian;

constexpr uint32_t kCapacity = 256;
constexpr uint64_t kNoteSize = BUILDINFO_NOTE_HEADER_SIZE + kCapacity;

void put(Bytes& b, uint64_t at, uint64_t value, unsigned size, Endian endian = Endian::little) {
  if (b.size() < at + size) b.resize(at + size, 0);
  for (unsigned i = 0; i < size; ++i) {
    const unsigned shift = endian == Endian::little ? 8 * i : 8 * (size - 1 - i);
    b[at + i] = static_cast<uint8_t>(value >> shift);
  }
}
uint64_t get(const Bytes& b, uint64_t at, unsigned size, Endian endian = Endian::little) {
  uint64_t v = 0;
  for (unsigned i = 0; i < size; ++i) {
    const unsigned shift = endian == Endian::little ? 8 * i : 8 * (size - 1 - i);
    v |= uint64_t{b[at + i]} << shift;
  }
  return v;
}
void put_string(Bytes& b, uint64_t at, const std::string& s, uint64_t field_size) {
  if (b.size() < at + field_size) b.resize(at + field_size, 0);
  std::fill(b.begin() + at, b.begin() + at + field_size, 0);
  std::memcpy(b.data() + at, s.data(), std::min<uint64_t>(s.size(), field_size));
}
// Recognisable, non-zero filler for code and data.
void fill(Bytes& b, uint64_t at, uint64_t n, uint8_t seed) {
  if (b.size() < at + n) b.resize(at + n, 0);
  for (uint64_t i = 0; i < n; ++i) b[at + i] = static_cast<uint8_t>(seed + i * 13 + 1);
}

// The note header (in the file's byte order) plus an empty slot.
void put_slot_note(Bytes& b, uint64_t at, Endian endian) {
  put(b, at, BUILDINFO_NOTE_NAME_SIZE, 4, endian);
  put(b, at + 4, kCapacity, 4, endian);
  put(b, at + 8, BUILDINFO_NOTE_TYPE, 4, endian);
  put_string(b, at + 12, BUILDINFO_NOTE_NAME, BUILDINFO_NOTE_NAME_PADDED);
  const Bytes slot = buildinfo::encode_slot(kCapacity, {});
  if (b.size() < at + kNoteSize) b.resize(at + kNoteSize, 0);
  std::copy(slot.begin(), slot.end(), b.begin() + at + BUILDINFO_NOTE_HEADER_SIZE);
}

ByteView view(const Bytes& b) { return ByteView(b.data(), b.size()); }

std::string sha256_hex(const Bytes& data) {
  uint8_t md[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  REQUIRE(EVP_Digest(data.data(), data.size(), md, &length, EVP_sha256(), nullptr) == 1);
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out += kDigits[md[i] >> 4];
    out += kDigits[md[i] & 0xf];
  }
  return out;
}

// The digest of the first slot, scanning `b` itself.
std::string digest(const Bytes& b) {
  const buildinfo::BinaryImage image = buildinfo::scan_binary(view(b));
  REQUIRE(!image.facts().slots.empty());
  return buildinfo::image_digest(view(b), image.digest_plan(image.facts().slots.front()));
}

// The digest of the bytes of `b` by the plan of `original`, the image it was
// made from (for edits after which the file no longer scans, or scans
// differently on purpose).
std::string digest_as(const Bytes& b, const Bytes& original, size_t slot_index = 0) {
  const buildinfo::BinaryImage image = buildinfo::scan_binary(view(original));
  REQUIRE(image.facts().slots.size() > slot_index);
  return buildinfo::image_digest(view(b), image.digest_plan(image.facts().slots[slot_index]));
}

// The error that `f` throws, or "".
template <typename F>
std::string error_from(F f) {
  try {
    f();
  } catch (const buildinfo::Error& e) {
    return e.what();
  }
  return "";
}

// The error of digesting `b` by the plan of `original`.
std::string error_of(const Bytes& b, const Bytes& original) {
  return error_from([&] { digest_as(b, original); });
}

// The error of scanning and digesting `b` itself, as the tool does.
std::string error_of(const Bytes& b) {
  return error_from([&] { digest(b); });
}

uint64_t checksum_offset(const Bytes& b) { return buildinfo::PeImage::scan(view(b)).checksum_offset(); }

void flip(Bytes& b, uint64_t at) { b[at] ^= 0xff; }

void zero(Bytes& b, uint64_t at, uint64_t n) { std::fill(b.begin() + at, b.begin() + at + n, 0); }

// The slice of `b` at [offset, offset + size), read as the scan reads it.
buildinfo::MachOSlice slice_at(const Bytes& b, uint64_t offset, uint64_t size) {
  return buildinfo::MachOSlice::read(view(b), offset, size);
}

// ---- ELF ----
// Layout: header; 3 program headers (PT_LOAD [0, 0x400), PT_NOTE over the
// slot note, PT_LOAD [0x400, 0x500) "rodata"); code at 0x100; the note at
// 0x200; then, not loaded, .shstrtab at 0x500, ".symtab" at 0x540 and the
// section headers at 0x600.
struct ElfLayout {
  bool is64;
  Endian endian;
  uint64_t ehsize() const { return is64 ? 64 : 52; }
  uint64_t phentsize() const { return is64 ? 56 : 32; }
  uint64_t shentsize() const { return is64 ? 64 : 40; }
  static constexpr uint64_t kCode = 0x100, kNote = 0x200, kRodata = 0x400, kStrtab = 0x500, kSymtab = 0x540,
                            kSections = 0x600;
};

void put_phdr(Bytes& b, const ElfLayout& l, uint64_t index, uint32_t type, uint64_t offset, uint64_t size) {
  const uint64_t at = l.ehsize() + index * l.phentsize();
  const Endian e = l.endian;
  put(b, at, type, 4, e);
  if (l.is64) {
    put(b, at + 4, 4, 4, e);  // p_flags R
    put(b, at + 8, offset, 8, e);
    put(b, at + 16, 0x400000 + offset, 8, e);
    put(b, at + 24, 0x400000 + offset, 8, e);
    put(b, at + 32, size, 8, e);
    put(b, at + 40, size, 8, e);
    put(b, at + 48, type == 1 ? 0x1000 : 4, 8, e);
  } else {
    put(b, at + 4, offset, 4, e);
    put(b, at + 8, 0x8000 + offset, 4, e);
    put(b, at + 12, 0x8000 + offset, 4, e);
    put(b, at + 16, size, 4, e);
    put(b, at + 20, size, 4, e);
    put(b, at + 24, 4, 4, e);
    put(b, at + 28, type == 1 ? 0x1000 : 4, 4, e);
  }
}

void put_shdr(Bytes& b, const ElfLayout& l, uint64_t index, uint32_t name, uint32_t type, uint64_t offset,
              uint64_t size) {
  const uint64_t at = ElfLayout::kSections + index * l.shentsize();
  const Endian e = l.endian;
  put(b, at, name, 4, e);
  put(b, at + 4, type, 4, e);
  if (l.is64) {
    put(b, at + 24, offset, 8, e);
    put(b, at + 32, size, 8, e);
    put(b, at + 48, 4, 8, e);
  } else {
    put(b, at + 16, offset, 4, e);
    put(b, at + 20, size, 4, e);
    put(b, at + 32, 4, 4, e);
  }
  if (b.size() < at + l.shentsize()) b.resize(at + l.shentsize(), 0);
}

Bytes make_elf(const ElfLayout& l) {
  const Endian e = l.endian;
  Bytes b(ElfLayout::kSections, 0);
  std::memcpy(b.data(),
              "\x7f"
              "ELF",
              4);
  b[4] = l.is64 ? 2 : 1;
  b[5] = e == Endian::little ? 1 : 2;
  b[6] = 1;
  put(b, 16, 2, 2, e);                 // ET_EXEC
  put(b, 18, l.is64 ? 62 : 40, 2, e);  // EM_X86_64 / EM_ARM
  put(b, 20, 1, 4, e);
  const unsigned word = l.is64 ? 8 : 4;
  const uint64_t fields = 24;  // e_entry
  put(b, fields, 0x400000 + ElfLayout::kCode, word, e);
  put(b, fields + word, l.ehsize(), word, e);                // e_phoff
  put(b, fields + 2 * word, ElfLayout::kSections, word, e);  // e_shoff
  const uint64_t rest = fields + 3 * word + 4;               // after e_flags
  put(b, rest, l.ehsize(), 2, e);
  put(b, rest + 2, l.phentsize(), 2, e);
  put(b, rest + 4, 3, 2, e);
  put(b, rest + 6, l.shentsize(), 2, e);
  put(b, rest + 8, 4, 2, e);   // e_shnum
  put(b, rest + 10, 2, 2, e);  // e_shstrndx
  put_phdr(b, l, 0, 1, 0, ElfLayout::kRodata);
  put_phdr(b, l, 1, 4, ElfLayout::kNote, kNoteSize);
  put_phdr(b, l, 2, 1, ElfLayout::kRodata, 0x100);
  fill(b, ElfLayout::kCode, 0x100, 0x90);
  put_slot_note(b, ElfLayout::kNote, e);
  fill(b, ElfLayout::kRodata, 0x100, 0x41);
  const char names[] = "\0.note.buildinfo\0.shstrtab\0.symtab";
  b.resize(ElfLayout::kStrtab + sizeof names, 0);
  std::memcpy(b.data() + ElfLayout::kStrtab, names, sizeof names);
  fill(b, ElfLayout::kSymtab, 64, 0x20);
  put_shdr(b, l, 0, 0, 0, 0, 0);
  put_shdr(b, l, 1, 1, 7, ElfLayout::kNote, kNoteSize);  // SHT_NOTE
  put_shdr(b, l, 2, 17, 3, ElfLayout::kStrtab, sizeof names);
  put_shdr(b, l, 3, 27, 2, ElfLayout::kSymtab, 64);
  return b;
}

// The rule as FORMAT.md states it, built literally: the ELF header, the
// program header table and each PT_LOAD, each as u64le offset, u64le length,
// bytes; the slot and e_shoff, e_shentsize, e_shnum, e_shstrndx as zeros.
std::string elf_reference(const Bytes& file, const ElfLayout& l, uint64_t slot_offset) {
  Bytes masked = file;
  zero(masked, slot_offset, kCapacity);
  if (l.is64) {
    zero(masked, 40, 8);
    zero(masked, 58, 6);
  } else {
    zero(masked, 32, 4);
    zero(masked, 46, 6);
  }
  std::vector<std::pair<uint64_t, uint64_t>> ranges{
      {0, l.ehsize()}, {l.ehsize(), 3 * l.phentsize()}, {0, ElfLayout::kRodata}, {ElfLayout::kRodata, 0x100}};
  Bytes stream;
  for (const auto& r : ranges) {
    put(stream, stream.size(), r.first, 8);
    put(stream, stream.size(), r.second, 8);
    stream.insert(stream.end(), masked.begin() + r.first, masked.begin() + r.first + r.second);
  }
  return sha256_hex(stream);
}

// What `llvm-objcopy --strip-sections` does: drop everything after the last
// loaded byte, section headers included, and clear the header's fields.
Bytes strip_sections(Bytes b, const ElfLayout& l) {
  b.resize(ElfLayout::kStrtab);
  if (l.is64) {
    zero(b, 40, 8);
    zero(b, 58, 6);
  } else {
    zero(b, 32, 4);
    zero(b, 46, 6);
  }
  return b;
}

// What GNU strip does: drop .symtab and write the section
// headers elsewhere (here: right after the string table), so e_shoff, e_shnum
// and e_shstrndx change and the file shrinks.
Bytes strip_symtab(const Bytes& original, const ElfLayout& l) {
  Bytes b(original.begin(), original.begin() + ElfLayout::kSymtab);
  const uint64_t shoff = ElfLayout::kSymtab;
  const unsigned word = l.is64 ? 8 : 4;
  put(b, 24 + 2 * word, shoff, word, l.endian);
  const uint64_t rest = 24 + 3 * word + 4;
  put(b, rest + 8, 3, 2, l.endian);   // e_shnum
  put(b, rest + 10, 1, 2, l.endian);  // e_shstrndx: now section 1
  // null, .shstrtab, .note.buildinfo
  for (uint64_t index : {0, 2, 1}) {
    const auto from = original.begin() + static_cast<std::ptrdiff_t>(ElfLayout::kSections + index * l.shentsize());
    b.insert(b.end(), from, from + static_cast<std::ptrdiff_t>(l.shentsize()));
  }
  return b;
}

// ---- PE ----
constexpr uint64_t kLfanew = 0x80;
constexpr uint64_t kFileAlignment = 0x200;
constexpr uint64_t kPeText = 0x400, kPeBldinfo = 0x600, kPeTail = 0x800;

struct PeOptions {
  bool pe32plus = true;
  uint32_t rva_count = 16;
  uint64_t tail = 77;  // unmapped bytes after the sections (a COFF symbol table): odd on purpose
};

uint64_t pe_opt(const PeOptions&) { return kLfanew + 24; }
uint64_t pe_cert_entry(const PeOptions& o) { return pe_opt(o) + (o.pe32plus ? 144 : 128); }

Bytes make_pe(const PeOptions& o) {
  const uint64_t optional_size = o.pe32plus ? 240 : 224;
  Bytes b(kPeTail, 0);
  b[0] = 'M';
  b[1] = 'Z';
  put(b, 0x3c, kLfanew, 4);
  std::memcpy(b.data() + kLfanew, "PE\0\0", 4);
  const uint64_t coff = kLfanew + 4;
  put(b, coff, 0x8664, 2);
  put(b, coff + 2, 2, 2);
  put(b, coff + 16, optional_size, 2);
  const uint64_t opt = pe_opt(o);
  put(b, opt, o.pe32plus ? 0x20b : 0x10b, 2);
  put(b, opt + 36, kFileAlignment, 4);
  put(b, opt + (o.pe32plus ? 108 : 92), o.rva_count, 4);
  const uint64_t table = opt + optional_size;
  put_string(b, table, ".text", 8);
  put(b, table + 8, 0x100, 4);
  put(b, table + 12, 0x1000, 4);
  put(b, table + 16, kFileAlignment, 4);
  put(b, table + 20, kPeText, 4);
  put_string(b, table + 40, BUILDINFO_PE_SECTION, 8);
  put(b, table + 48, kNoteSize, 4);
  put(b, table + 52, 0x2000, 4);
  put(b, table + 56, kFileAlignment, 4);
  put(b, table + 60, kPeBldinfo, 4);
  fill(b, kPeText, 0x100, 0xc3);
  put_slot_note(b, kPeBldinfo, Endian::little);
  fill(b, kPeTail, o.tail, 0x55);
  // A non-zero CheckSum, as mingw's ld writes.
  const uint64_t checksum = checksum_offset(b);
  put(b, checksum, buildinfo::pe_checksum(view(b), checksum), 4);
  return b;
}

// Appends a certificate table as Authenticode signing does: zeros to an
// 8-byte boundary, WIN_CERTIFICATE {dwLength, wRevision 0x0200,
// wCertificateType 0x0002, bCertificate} padded to 8, directory entry 4 set
// to {file offset, size}, CheckSum rewritten.
Bytes append_certificate(Bytes b, const PeOptions& o, uint64_t body_size = 1001) {
  b.resize((b.size() + 7) / 8 * 8, 0);
  const uint64_t table = b.size();
  Bytes cert;
  put(cert, 0, 8 + body_size, 4);
  put(cert, 4, 0x0200, 2);
  put(cert, 6, 0x0002, 2);
  fill(cert, 8, body_size, 0x30);
  cert.resize((cert.size() + 7) / 8 * 8, 0);
  b.insert(b.end(), cert.begin(), cert.end());
  put(b, pe_cert_entry(o), table, 4);
  put(b, pe_cert_entry(o) + 4, cert.size(), 4);
  const uint64_t checksum = checksum_offset(b);
  put(b, checksum, buildinfo::pe_checksum(view(b), checksum), 4);
  return b;
}

// The PE rule built literally: the file without the CheckSum field, the
// directory entry and the certificate table, the slot as zeros, then zeros
// to a multiple of 8 of (file size - certificate table size).
std::string pe_reference(const Bytes& file, const PeOptions& o) {
  Bytes masked = file;
  zero(masked, kPeBldinfo + BUILDINFO_NOTE_HEADER_SIZE, kCapacity);
  const uint64_t entry = pe_cert_entry(o);
  const uint64_t va = get(file, entry, 4), size = get(file, entry + 4, 4);
  std::vector<std::pair<uint64_t, uint64_t>> skipped{{pe_opt(o) + 64, 4}, {entry, 8}};
  if (size) skipped.push_back({va, size});
  std::sort(skipped.rbegin(), skipped.rend());
  for (const auto& s : skipped) masked.erase(masked.begin() + s.first, masked.begin() + s.first + s.second);
  masked.resize(masked.size() + (8 - (file.size() - size) % 8) % 8, 0);
  return sha256_hex(masked);
}

// ---- Mach-O ----
// A thin little-endian arm64 executable: __TEXT (with __text at 0x400),
// __DATA_CONST (with __buildinfo at 0x800), __LINKEDIT (from 0xc00, the
// signature its tail) and LC_CODE_SIGNATURE at dataoff 0xc40, SHA-256 pages
// of 512 bytes.
constexpr uint64_t kMachoText = 0x400, kMachoSlotNote = 0x800, kLinkedit = 0xc00, kSignature = 0xc40;
constexpr uint64_t kTextCmd = 32, kDataCmd = kTextCmd + 152, kLinkeditCmd = kDataCmd + 152,
                   kSignatureCmd = kLinkeditCmd + 72;
constexpr uint8_t kMachoPageShift = 9;

void put_segment(Bytes& b, uint64_t at, const char* name, uint64_t fileoff, uint64_t filesize, uint32_t nsects) {
  put(b, at, 0x19, 4);
  put(b, at + 4, 72 + 80 * nsects, 4);
  put_string(b, at + 8, name, 16);
  put(b, at + 24, 0x100000000 + fileoff, 8);
  put(b, at + 32, filesize, 8);
  put(b, at + 40, fileoff, 8);
  put(b, at + 48, filesize, 8);
  put(b, at + 64, nsects, 4);
}
void put_section(Bytes& b, uint64_t at, const char* segment, const char* name, uint64_t offset, uint64_t size) {
  put_string(b, at, name, 16);
  put_string(b, at + 16, segment, 16);
  put(b, at + 32, 0x100000000 + offset, 8);
  put(b, at + 40, size, 8);
  put(b, at + 48, offset, 4);
}

// A SuperBlob with one CodeDirectory (identifier `ident`, all-zero page
// hashes) padded to `padded_size`; page hashes are filled in by after_patch.
Bytes code_signature(uint32_t code_limit, const std::string& ident, uint64_t padded_size) {
  macho_builder::CodeSignature spec;
  spec.code_limit = code_limit;
  spec.page_shift = kMachoPageShift;
  spec.directories[0].identifier = ident;
  spec.padded_size = padded_size;
  return macho_builder::code_signature(spec);
}

// Replaces the signature with a fresh one of another size and identifier,
// updating datasize and __LINKEDIT filesize/vmsize first and then every page
// hash, the way an ad-hoc re-signature does.
Bytes resign(Bytes b, uint64_t slice_offset, const std::string& ident, uint64_t padded_size) {
  const uint64_t dataoff = slice_offset + kSignature;
  const Bytes sig = code_signature(kSignature, ident, padded_size);
  b.resize(dataoff);
  put(b, slice_offset + kSignatureCmd + 12, sig.size(), 4);
  const uint64_t filesize = kSignature + sig.size() - kLinkedit;
  put(b, slice_offset + kLinkeditCmd + 48, filesize, 8);
  put(b, slice_offset + kLinkeditCmd + 32, (filesize + 0x3fff) / 0x4000 * 0x4000, 8);
  b.insert(b.end(), sig.begin(), sig.end());
  slice_at(b, slice_offset, b.size() - slice_offset).update_page_hashes(b, slice_offset, kSignature);
  return b;
}

Bytes make_macho(bool signed_ = true) {
  Bytes b;
  put(b, 0, 0xfeedfacf, 4);
  put(b, 4, 0x0100000c, 4);  // CPU_TYPE_ARM64
  put(b, 12, 2, 4);          // MH_EXECUTE
  put(b, 16, signed_ ? 4 : 3, 4);
  put(b, 20, 152 + 152 + 72 + (signed_ ? 16 : 0), 4);
  put_segment(b, kTextCmd, "__TEXT", 0, kMachoText + 0x100, 1);
  put_section(b, kTextCmd + 72, "__TEXT", "__text", kMachoText, 0x100);
  put_segment(b, kDataCmd, "__DATA_CONST", kMachoSlotNote, 0x400, 1);
  put_section(b, kDataCmd + 72, BUILDINFO_MACHO_SEGMENT, BUILDINFO_MACHO_SECTION, kMachoSlotNote, kNoteSize);
  put_segment(b, kLinkeditCmd, "__LINKEDIT", kLinkedit, kSignature - kLinkedit, 0);
  fill(b, kMachoText, 0x100, 0x1f);
  put_slot_note(b, kMachoSlotNote, Endian::little);
  fill(b, kLinkedit, kSignature - kLinkedit, 0x77);  // symbol table and such
  if (!signed_) return b;
  put(b, kSignatureCmd, 0x1d, 4);
  put(b, kSignatureCmd + 4, 16, 4);
  put(b, kSignatureCmd + 8, kSignature, 4);
  return resign(b, 0, "lld-linked", 0);
}

// The Mach-O rule built literally: the slice up to dataoff, with the slot,
// LC_CODE_SIGNATURE dataoff and datasize, __LINKEDIT vmsize and filesize as zeros.
std::string macho_reference(const Bytes& slice) {
  Bytes masked(slice.begin(), slice.begin() + kSignature);
  zero(masked, kMachoSlotNote + BUILDINFO_NOTE_HEADER_SIZE, kCapacity);
  zero(masked, kSignatureCmd + 8, 8);
  zero(masked, kLinkeditCmd + 32, 8);
  zero(masked, kLinkeditCmd + 48, 8);
  return sha256_hex(masked);
}

uint64_t mismatched_pages(const Bytes& b, uint64_t slice_offset, uint64_t slice_size) {
  uint64_t n = 0;
  const buildinfo::MachOSlice slice = slice_at(b, slice_offset, slice_size);
  for (const auto& c : slice.check_page_hashes(view(b))) n += c.mismatched_pages;
  return n;
}

}  // namespace

TEST_CASE("image digest: ELF follows the documented byte stream") {
  const ElfLayout layouts[] = {{true, Endian::little}, {false, Endian::big}};
  for (const ElfLayout& l : layouts) {
    CAPTURE(l.is64);
    const Bytes b = make_elf(l);
    const buildinfo::BinaryFacts facts = buildinfo::scan_binary(view(b)).facts();
    REQUIRE(facts.slots.size() == 1);
    CHECK(facts.slots[0].slot_offset == ElfLayout::kNote + BUILDINFO_NOTE_HEADER_SIZE);
    const std::string d = digest(b);
    CHECK(d.size() == 64);
    CHECK(d == elf_reference(b, l, facts.slots[0].slot_offset));
  }
}

TEST_CASE("image digest: ELF ignores the slot, the section-header fields and what strip removes") {
  const ElfLayout l{true, Endian::little};
  const Bytes b = make_elf(l);
  const std::string d = digest(b);
  const uint64_t slot = ElfLayout::kNote + BUILDINFO_NOTE_HEADER_SIZE;

  SUBCASE("a stamped slot") {
    Bytes s = b;
    buildinfo::SlotContents contents;
    contents.payload = R"({"vcs.revision":"abc"})";
    const Bytes stamped = buildinfo::encode_slot(kCapacity, contents);
    std::copy(stamped.begin(), stamped.end(), s.begin() + slot);
    CHECK(digest(s) == d);
    flip(s, slot + kCapacity - 1);
    CHECK(digest(s) == d);
  }
  SUBCASE("each section-header field of the ELF header") {
    for (uint64_t at : {40, 47, 58, 59, 60, 61, 62, 63}) {
      Bytes s = b;
      flip(s, at);
      CHECK_MESSAGE(digest_as(s, b) == d, "byte ", at);
    }
  }
  SUBCASE("section headers, .shstrtab and .symtab are not covered") {
    for (uint64_t at : {ElfLayout::kStrtab + 3, ElfLayout::kSymtab + 5, ElfLayout::kSections + 64 + 24}) {
      Bytes s = b;
      flip(s, at);
      CHECK_MESSAGE(digest_as(s, b) == d, "byte ", at);
    }
  }
  SUBCASE("strip: section headers moved, .symtab dropped, file shorter") {
    const Bytes s = strip_symtab(b, l);
    const buildinfo::BinaryFacts facts = buildinfo::scan_binary(view(s)).facts();
    REQUIRE(facts.slots.size() == 1);
    CHECK(facts.slots[0].slot_offset == slot);
    CHECK(digest(s) == d);
  }
  SUBCASE("strip --strip-sections: no section headers at all (the slot is found through PT_NOTE)") {
    const Bytes s = strip_sections(b, l);
    CHECK(digest(s) == d);
  }
}

TEST_CASE("image digest: ELF changes when a covered byte changes") {
  for (const ElfLayout& l : {ElfLayout{true, Endian::little}, ElfLayout{false, Endian::big}}) {
    CAPTURE(l.is64);
    const Bytes b = make_elf(l);
    const std::string d = digest(b);
    struct Case {
      const char* what;
      uint64_t at;
    };
    const uint64_t ph = l.ehsize();
    const Case cases[] = {
        {"a code byte", ElfLayout::kCode + 7},
        {"a read-only data byte (second PT_LOAD)", ElfLayout::kRodata + 0xff},
        {"p_flags of the first program header", ph + (l.is64 ? 4 : 24)},
        {"p_vaddr of the PT_NOTE header", ph + l.phentsize() + (l.is64 ? 16 : 8)},
        {"e_entry", 24},
        {"e_flags", l.is64 ? 48u : 36u},
        {"the slot's note header", ElfLayout::kNote + 4},
        {"a byte between the header and the code", 0xf0},
    };
    for (const Case& c : cases) {
      Bytes s = b;
      flip(s, c.at);
      CHECK_MESSAGE(digest_as(s, b) != d, c.what);
    }
  }
}

TEST_CASE("image digest: ELF binds each range to its offset and length") {
  // Moving the second PT_LOAD to another offset with the same bytes there
  // changes the digest even though the loaded bytes are equal.
  const ElfLayout l{true, Endian::little};
  const Bytes b = make_elf(l);
  Bytes moved = b;
  moved.resize(0x800, 0);
  std::copy(b.begin() + ElfLayout::kRodata, b.begin() + ElfLayout::kRodata + 0x100, moved.begin() + 0x700);
  put(moved, l.ehsize() + 2 * l.phentsize() + 8, 0x700, 8);  // p_offset
  CHECK(digest_as(moved, b) != digest(b));
}

TEST_CASE("image digest: ELF rejects ranges outside the file") {
  // The headers are read once, by the scan, which refuses a PT_LOAD or a
  // program header table outside the file before any plan exists; the
  // hasher refuses a planned range the bytes it is given do not hold.
  const ElfLayout l{true, Endian::little};
  const Bytes b = make_elf(l);
  Bytes s = b;
  put(s, l.ehsize() + 2 * l.phentsize() + 32, 0x100000, 8);  // p_filesz of the second PT_LOAD
  CHECK(error_of(s).find("PT_LOAD segment 2 (offset 1024, size 1048576) lies outside the file") != std::string::npos);
  const Bytes cut(b.begin(), b.begin() + ElfLayout::kRodata + 0x80);  // in the middle of the second PT_LOAD
  CHECK(error_of(cut, b).find("PT_LOAD segment lies outside the file") != std::string::npos);
  s = b;
  put(s, 56, 0xffff, 2);  // e_phnum
  CHECK(error_of(s).find("program header table") != std::string::npos);
}

TEST_CASE("image digest: a PT_LOAD without file bytes may name an offset past the end") {
  // Linkers emit .bss-only segments this way (aarch64 static binaries: p_offset
  // at or past EOF, p_filesz 0); scanning and digesting must accept them.
  const ElfLayout l{true, Endian::little};
  const Bytes b = make_elf(l);
  Bytes bss = b;
  const uint64_t second_load = l.ehsize() + 2 * l.phentsize();
  put(bss, second_load + 8, b.size() + 0x1000, 8);  // p_offset past EOF
  put(bss, second_load + 32, 0, 8);                 // p_filesz
  CHECK_NOTHROW(digest(bss));
  CHECK(digest(bss) != digest(b));
}

TEST_CASE("image digest: PE follows the documented byte stream, PE32 and PE32+") {
  for (bool pe32plus : {true, false}) {
    CAPTURE(pe32plus);
    PeOptions o;
    o.pe32plus = pe32plus;
    const Bytes b = make_pe(o);
    REQUIRE(b.size() % 8 != 0);
    CHECK(digest(b) == pe_reference(b, o));
    const Bytes signed_ = append_certificate(b, o);
    CHECK(digest(signed_) == pe_reference(signed_, o));
  }
}

TEST_CASE("image digest: PE ignores the slot, the CheckSum and an appended certificate table") {
  for (uint64_t tail : {77, 80, 0}) {
    CAPTURE(tail);
    PeOptions o;
    o.tail = tail;
    const Bytes b = make_pe(o);
    const std::string d = digest(b);
    const uint64_t checksum = checksum_offset(b);

    Bytes s = b;
    flip(s, kPeBldinfo + BUILDINFO_NOTE_HEADER_SIZE + 100);
    CHECK(digest(s) == d);
    s = b;
    put(s, checksum, 0, 4);
    CHECK(digest(s) == d);

    const Bytes signed_ = append_certificate(b, o);
    CHECK(get(signed_, checksum, 4) != get(b, checksum, 4));
    CHECK(buildinfo::pe_checksum(view(signed_), checksum) == get(signed_, checksum, 4));
    CHECK(digest(signed_) == d);
    // A second, larger signature (re-signing) too.
    Bytes resigned = signed_;
    resigned.resize(get(signed_, pe_cert_entry(o), 4));
    put(resigned, pe_cert_entry(o), 0, 8);
    resigned = append_certificate(resigned, o, 3000);
    CHECK(digest(resigned) == d);
    // The certificate's own bytes are not covered.
    Bytes other = signed_;
    flip(other, other.size() - 20);
    CHECK(digest(other) == d);
  }
}

TEST_CASE("image digest: PE changes when a covered byte changes") {
  const PeOptions o;
  const Bytes b = make_pe(o);
  const std::string d = digest(b);
  const Bytes signed_ = append_certificate(b, o);
  const uint64_t cases[] = {kPeText + 3,    kPeBldinfo + 2,       kPeTail + 5,          pe_opt(o) + 60,
                            pe_opt(o) + 68, pe_cert_entry(o) - 1, pe_cert_entry(o) + 8, 0x40};
  for (uint64_t at : cases) {
    Bytes s = b;
    flip(s, at);
    CHECK_MESSAGE(digest_as(s, b) != d, "byte ", at);
    Bytes t = signed_;
    flip(t, at);
    CHECK_MESSAGE(digest_as(t, signed_) != d, "byte ", at, " (with a certificate table)");
  }
  // Non-zero padding before the certificate table is covered.
  Bytes t = signed_;
  flip(t, b.size());
  CHECK(digest_as(t, signed_) != d);
}

TEST_CASE("image digest: a PE directory entry 4 that does not exist counts as ordinary bytes") {
  PeOptions o;
  o.rva_count = 4;
  const Bytes b = make_pe(o);
  Bytes s = b;
  put(s, pe_cert_entry(o), 0x12345678, 4);
  CHECK(digest_as(s, b) != digest(b));
}

TEST_CASE("image digest: PE refuses a certificate table that would hide mapped bytes") {
  const PeOptions o;
  const Bytes b = make_pe(o);
  Bytes s = b;
  // Pointing the table at .text would skip the code.
  put(s, pe_cert_entry(o), kPeText, 4);
  put(s, pe_cert_entry(o) + 4, 0x100, 4);
  CHECK(error_of(s).find("overlaps the headers or section data") != std::string::npos);
  put(s, pe_cert_entry(o), 0x100, 4);  // the headers
  CHECK(error_of(s).find("overlaps the headers or section data") != std::string::npos);
  put(s, pe_cert_entry(o), kPeTail, 4);
  put(s, pe_cert_entry(o) + 4, 0x10000, 4);
  CHECK(error_of(s).find("lies outside the file") != std::string::npos);
}

TEST_CASE("image digest: Mach-O follows the documented byte stream") {
  const Bytes b = make_macho();
  REQUIRE(mismatched_pages(b, 0, b.size()) == 0);
  const buildinfo::BinaryFacts facts = buildinfo::scan_binary(view(b)).facts();
  REQUIRE(facts.slots.size() == 1);
  CHECK(digest(b) == macho_reference(b));
  // Unsigned: the whole slice with only the slot as zeros.
  const Bytes u = make_macho(false);
  Bytes masked = u;
  zero(masked, kMachoSlotNote + BUILDINFO_NOTE_HEADER_SIZE, kCapacity);
  CHECK(digest(u) == sha256_hex(masked));
}

TEST_CASE("image digest: Mach-O survives stamping and ad-hoc re-signing") {
  const Bytes b = make_macho();
  const std::string d = digest(b);
  const uint64_t slot = kMachoSlotNote + BUILDINFO_NOTE_HEADER_SIZE;

  SUBCASE("stamping: slot bytes and the page hashes over them change") {
    Bytes s = b;
    buildinfo::SlotContents contents;
    contents.payload = R"({"vcs.revision":"abc"})";
    const Bytes stamped = buildinfo::encode_slot(kCapacity, contents);
    std::copy(stamped.begin(), stamped.end(), s.begin() + slot);
    slice_at(s, 0, s.size()).update_page_hashes(s, slot, kCapacity);
    CHECK(mismatched_pages(s, 0, s.size()) == 0);
    CHECK(s != b);
    CHECK(digest(s) == d);
  }
  SUBCASE("re-signing with a larger SuperBlob and another identifier") {
    const Bytes s = resign(b, 0, "com.example.resigned-by-codesign", 0x4100);
    CHECK(mismatched_pages(s, 0, s.size()) == 0);
    CHECK(s.size() > b.size());
    CHECK(get(s, kSignatureCmd + 12, 4) != get(b, kSignatureCmd + 12, 4));
    CHECK(get(s, kLinkeditCmd + 32, 8) != get(b, kLinkeditCmd + 32, 8));
    CHECK(get(s, kLinkeditCmd + 48, 8) != get(b, kLinkeditCmd + 48, 8));
    CHECK(digest(s) == d);
  }
  SUBCASE("re-signing with a smaller SuperBlob") {
    const Bytes big = resign(b, 0, "a-long-identifier-first", 0x2000);
    const Bytes s = resign(big, 0, "x", 0);
    CHECK(s.size() < big.size());
    CHECK(digest(s) == d);
  }
  SUBCASE("bytes of the signature are not covered") {
    Bytes s = b;
    flip(s, kSignature + 40);
    CHECK(digest(s) == d);
  }
}

TEST_CASE("image digest: Mach-O changes when a covered byte changes") {
  const Bytes b = make_macho();
  const std::string d = digest(b);
  const uint64_t cases[] = {
      kMachoText + 9, kMachoSlotNote + 2, kLinkedit + 4, kSignature - 1, 4, kTextCmd + 72 + 48 /* __text offset */,
      kSignatureCmd /* cmd */};
  for (uint64_t at : cases) {
    Bytes s = b;
    flip(s, at);
    CHECK_MESSAGE(digest_as(s, b) != d, "byte ", at);
  }
  // __LINKEDIT's fileoff, moved 16 bytes earlier (still inside the file).
  Bytes moved = b;
  put(moved, kLinkeditCmd + 40, get(b, kLinkeditCmd + 40, 8) - 16, 8);
  CHECK(digest(moved) != d);
  // Moving the signature 16 bytes later (the file grows by as much) brings
  // the bytes before it into the image.
  const uint64_t signature_size = get(b, kSignatureCmd + 12, 4);
  Bytes s = b;
  s.resize(b.size() + 16, 0);
  std::copy(b.begin() + kSignature, b.begin() + kSignature + signature_size, s.begin() + kSignature + 16);
  put(s, kSignatureCmd + 8, kSignature + 16, 4);
  CHECK(digest(s) != d);
}

TEST_CASE("image digest: a universal slice has the digest of the same thin file") {
  const Bytes thin = make_macho();
  const Bytes other = make_macho(false);
  Bytes fat;
  put(fat, 0, 0xcafebabe, 4, Endian::big);
  put(fat, 4, 2, 4, Endian::big);
  const uint64_t offsets[] = {0x4000, 0x8000};
  const Bytes* slices[] = {&thin, &other};
  for (int i = 0; i < 2; ++i) {
    put(fat, 8 + 20 * i, 0x0100000c, 4, Endian::big);
    put(fat, 8 + 20 * i + 8, offsets[i], 4, Endian::big);
    put(fat, 8 + 20 * i + 12, slices[i]->size(), 4, Endian::big);
    put(fat, 8 + 20 * i + 16, 14, 4, Endian::big);
    fat.resize(offsets[i], 0);
    fat.insert(fat.end(), slices[i]->begin(), slices[i]->end());
  }
  const buildinfo::BinaryImage image = buildinfo::scan_binary(view(fat));
  const buildinfo::BinaryFacts& facts = image.facts();
  REQUIRE(facts.slots.size() == 2);
  CHECK(buildinfo::image_digest(view(fat), image.digest_plan(facts.slots[0])) == digest(thin));
  CHECK(buildinfo::image_digest(view(fat), image.digest_plan(facts.slots[1])) == digest(other));
  // Re-signing the first slice in place keeps both digests.
  const Bytes resigned = resign(fat, offsets[0], "resigned", 0);
  Bytes with_second = resigned;
  // resign() truncated after the first slice's signature: put the second slice back.
  with_second.resize(offsets[1], 0);
  with_second.insert(with_second.end(), other.begin(), other.end());
  put(with_second, 8 + 12, resigned.size() - offsets[0], 4, Endian::big);
  const buildinfo::BinaryImage after_image = buildinfo::scan_binary(view(with_second));
  const buildinfo::BinaryFacts& after = after_image.facts();
  REQUIRE(after.slots.size() == 2);
  CHECK(mismatched_pages(with_second, offsets[0], resigned.size() - offsets[0]) == 0);
  CHECK(buildinfo::image_digest(view(with_second), after_image.digest_plan(after.slots[0])) == digest(thin));
  CHECK(buildinfo::image_digest(view(with_second), after_image.digest_plan(after.slots[1])) == digest(other));
}

TEST_CASE("image digest: a slot outside the file or an unknown format is an error") {
  const Bytes b = make_elf({true, Endian::little});
  const buildinfo::BinaryImage image = buildinfo::scan_binary(view(b));
  buildinfo::SlotLocation slot = image.facts().slots[0];
  slot.slot_offset = b.size() - 10;
  CHECK_THROWS_AS(buildinfo::image_digest(view(b), image.digest_plan(slot)), buildinfo::Error);
  // A plan comes from the image of the format that read the file, so no
  // format lacks a rule; a value outside the enum has no name either.
  CHECK_THROWS_AS(buildinfo::container_name(static_cast<buildinfo::Container>(99)), buildinfo::Error);
  CHECK_THROWS_AS(buildinfo::format_name(static_cast<buildinfo::Format>(99)), buildinfo::Error);
}

TEST_CASE("image digest: read through the descriptor or from the mapping, the same digest") {
  // 3 MiB and a few bytes: ranges above 1 MiB are read through a 256 KiB
  // buffer when a descriptor is given, so zeroed ranges fall across
  // buffer boundaries and a range ends inside the last, partial read.
  char path[] = "/tmp/buildinfo-digest-XXXXXX";
  const int fd = ::mkstemp(path);
  REQUIRE(fd >= 0);
  Bytes bytes(3 * 1024 * 1024 + 123);
  uint32_t state = 12345;
  for (uint8_t& b : bytes) b = static_cast<uint8_t>((state = state * 1103515245 + 12345) >> 16);
  REQUIRE(::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()));
  ::close(fd);
  const buildinfo::MappedFile file(path);
  ::unlink(path);

  buildinfo::DigestPlan plan;
  plan.slot = {1000, 300};
  plan.zeroed = {{256 * 1024 - 10, 20}, {2 * 1024 * 1024 + 5, 256 * 1024 + 7}};
  plan.ranges = {{0, 100, "header"}, {0, bytes.size(), "all"}, {1536 * 1024, 1024 * 1024 + 1, "middle"}};
  plan.framed = true;
  plan.trailing_zeros = 9;
  const std::string mapped = buildinfo::image_digest(file.view(), plan);
  CHECK(buildinfo::image_digest(file.view(), plan, file.descriptor()) == mapped);

  // And both are the documented stream, built literally.
  Bytes zeroed = bytes;
  for (const buildinfo::FileRange& z : {plan.slot, plan.zeroed[0], plan.zeroed[1]})
    std::fill(zeroed.begin() + static_cast<long>(z.offset), zeroed.begin() + static_cast<long>(z.offset + z.length), 0);
  Bytes stream;
  for (const auto& range : plan.ranges) {
    for (uint64_t value : {range.offset, range.length})
      for (int i = 0; i < 8; ++i) stream.push_back(static_cast<uint8_t>(value >> (8 * i)));
    stream.insert(stream.end(), zeroed.begin() + static_cast<long>(range.offset),
                  zeroed.begin() + static_cast<long>(range.offset + range.length));
  }
  stream.insert(stream.end(), plan.trailing_zeros, 0);
  CHECK(mapped == buildinfo::sha256_hex(ByteView(stream.data(), stream.size())));
}
