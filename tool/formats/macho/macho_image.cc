// Mach-O reader (thin and fat/universal): target facts, the slots, the code
// signature, the image digest plan and the code-signature page-hash update
// that stamping needs on Apple silicon.
// Layouts: xnu EXTERNAL_HEADERS/mach-o/loader.h and fat.h
// (https://github.com/apple-oss-distributions/xnu), code signatures:
// xnu osfmk/kern/cs_blobs.h; the rules applied are in FORMAT.md.
#include "formats/macho/macho_image.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "buildinfo/slot_layout.h"
#include "formats/slot_codec.h"
#include "support/sha1.h"
#include "support/sha2.h"

namespace buildinfo {
namespace {

// Magic numbers as read big-endian from the first four bytes.
constexpr uint32_t kMhMagic = 0xfeedface, kMhMagic64 = 0xfeedfacf;
constexpr uint32_t kFatMagic = 0xcafebabe, kFatMagic64 = 0xcafebabf;
// A Java class file also starts with 0xcafebabe, followed by its u16 minor and
// u16 major version (major >= 45). Like LLVM's identify_magic and file(1),
// take a fat header only when the word after the magic is below 43.
constexpr uint32_t kMaxFatArchs = 42;

constexpr uint64_t kMachHeaderSize = 28, kMachHeader64Size = 32;
constexpr uint64_t kFatHeaderSize = 8;
constexpr uint64_t kLoadCommandHeaderSize = 8;

// mach_header and mach_header_64 share these fields.
constexpr uint64_t kHeaderCputype = 4, kHeaderNcmds = 16, kHeaderSizeofcmds = 20;

constexpr uint32_t kLcSegment = 0x1, kLcSegment64 = 0x19, kLcCodeSignature = 0x1d;
constexpr uint64_t kSegname = 8, kNameSize = 16;  // segname of a segment command; sectname and segname of a section
// linkedit_data_command: dataoff and datasize follow cmd and cmdsize.
constexpr uint64_t kLinkeditDataCommandSize = 16, kDataoff = 8, kDatasize = 12;

// Where the fields of a segment command and of its sections lie:
// segment_command and section, or segment_command_64 and section_64. The
// command's own kind (LC_SEGMENT or LC_SEGMENT_64) picks one, once per
// command.
struct SegmentLayout {
  uint64_t command_size;
  Field vmsize, fileoff, filesize, nsects;
  uint64_t section_size;
  Field addr, size, offset, flags;  // of each section
};
constexpr SegmentLayout kSegment32{56, {28, 4}, {32, 4}, {36, 4}, {48, 4}, 68, {32, 4}, {36, 4}, {40, 4}, {56, 4}};
constexpr SegmentLayout kSegment64{72, {32, 8}, {40, 8}, {48, 8}, {64, 4}, 80, {32, 8}, {40, 8}, {48, 4}, {64, 4}};

// fat_arch and fat_arch_64 (fat.h, always big-endian).
struct FatArchLayout {
  uint64_t size;
  Field cputype, offset, slice_size;
};
constexpr FatArchLayout kFatArch32{20, {0, 4}, {8, 4}, {12, 4}};
constexpr FatArchLayout kFatArch64{32, {0, 4}, {8, 8}, {16, 8}};

// Section types without file contents (SECTION_TYPE = flags & 0xff).
constexpr uint32_t kSectionTypeMask = 0xff;
constexpr uint32_t kZerofill = 0x1, kGbZerofill = 0xc, kThreadLocalZerofill = 0x12;

// mach/machine.h
constexpr uint32_t kCpuArchAbi64 = 0x01000000, kCpuArchAbi64_32 = 0x02000000;
constexpr uint32_t kCpuTypeX86 = 7, kCpuTypeArm = 12, kCpuTypePowerPc = 18;

// cs_blobs.h: all signature structures are big-endian.
constexpr uint32_t kCsMagicEmbeddedSignature = 0xfade0cc0;
constexpr uint32_t kCsMagicCodeDirectory = 0xfade0c02;
constexpr uint32_t kCsMagicBlobWrapper = 0xfade0b01;
constexpr uint32_t kCsSlotCodeDirectory = 0;
constexpr uint32_t kCsSlotAlternateCodeDirectories = 0x1000, kCsSlotAlternateCodeDirectoryLimit = 0x1005;
constexpr uint32_t kCsSlotSignature = 0x10000;
constexpr uint64_t kSuperBlobHeaderSize = 12, kBlobIndexSize = 8, kBlobHeaderSize = 8;
constexpr uint64_t kCodeDirectoryMinSize = 44;  // through spare2
constexpr uint32_t kCsSupportsScatter = 0x20100, kCsSupportsCodeLimit64 = 0x20300;
constexpr uint8_t kCsHashSha1 = 1, kCsHashSha256 = 2, kCsHashSha256Truncated = 3, kCsHashSha384 = 4;
constexpr uint64_t kMaxHashSize = 48;

struct MachHeader {
  bool is64;
  Endian endian;
  uint32_t cputype;
  uint32_t ncmds;
  uint32_t sizeofcmds;
  uint64_t size;  // of the header itself; load commands follow
};

struct LoadCommand {
  uint32_t cmd;
  uint64_t offset;  // slice-relative
  ByteView bytes;   // the whole command, cmdsize long
};

struct FatArch {
  uint32_t cputype;
  uint64_t offset;
  uint64_t size;
};

std::optional<Endian> thin_endian(ByteView f) {
  if (f.size() < 4) return std::nullopt;
  const uint32_t be = f.be<uint32_t>(0, "Mach-O magic");
  if (be == kMhMagic || be == kMhMagic64) return Endian::big;
  const uint32_t le = f.le<uint32_t>(0, "Mach-O magic");
  if (le == kMhMagic || le == kMhMagic64) return Endian::little;
  return std::nullopt;
}

bool is_fat(ByteView f) {
  if (f.size() < kFatHeaderSize) return false;
  const uint32_t magic = f.be<uint32_t>(0, "fat magic");
  return (magic == kFatMagic || magic == kFatMagic64) && f.be<uint32_t>(4, "nfat_arch") <= kMaxFatArchs;
}

MachHeader read_header(ByteView slice) {
  const std::optional<Endian> endian = thin_endian(slice);
  if (!endian) throw slice.malformed("not a Mach-O file (bad magic)");
  MachHeader h{};
  h.endian = *endian;
  h.is64 = slice.read<uint32_t>(0, h.endian, "Mach-O magic") == kMhMagic64;
  h.size = h.is64 ? kMachHeader64Size : kMachHeaderSize;
  if (slice.size() < h.size) throw slice.malformed("Mach-O header is truncated");
  h.cputype = slice.read<uint32_t>(kHeaderCputype, h.endian, "cputype");
  h.ncmds = slice.read<uint32_t>(kHeaderNcmds, h.endian, "ncmds");
  h.sizeofcmds = slice.read<uint32_t>(kHeaderSizeofcmds, h.endian, "sizeofcmds");
  return h;
}

// Walks the load commands. The loop is bounded by ncmds and by sizeofcmds:
// every command is at least 8 bytes and must fit the area, so a hostile
// ncmds cannot make it run long.
std::vector<LoadCommand> read_load_commands(ByteView slice, const MachHeader& h) {
  ByteView area = slice.sub(h.size, h.sizeofcmds, "load commands (sizeofcmds corrupted)");
  std::vector<LoadCommand> out;
  uint64_t at = 0;
  for (uint64_t i = 0; i < h.ncmds; ++i) {
    const std::string which = "load command " + std::to_string(i);
    if (area.size() - at < kLoadCommandHeaderSize)
      throw area.malformed(which + " lies outside sizeofcmds (ncmds or sizeofcmds corrupted)");
    LoadCommand lc{};
    lc.cmd = area.read<uint32_t>(at, h.endian, "cmd");
    const uint32_t cmdsize = area.read<uint32_t>(at + 4, h.endian, "cmdsize");
    if (cmdsize < kLoadCommandHeaderSize)
      throw area.malformed(which + " has cmdsize " + std::to_string(cmdsize) + " (less than 8)");
    if (cmdsize > area.size() - at)
      throw area.malformed(which + " (cmdsize " + std::to_string(cmdsize) + ") runs past sizeofcmds");
    lc.offset = h.size + at;
    lc.bytes = area.sub(at, cmdsize, "load command");
    out.push_back(lc);
    at += cmdsize;
  }
  return out;
}

std::string arch_name(uint32_t cputype) {
  switch (cputype) {
    case kCpuTypeX86 | kCpuArchAbi64: return "amd64";
    case kCpuTypeX86: return "x86";
    case kCpuTypeArm | kCpuArchAbi64: return "arm64";        // arm64 and arm64e
    case kCpuTypeArm | kCpuArchAbi64_32: return "arm64_32";  // watchOS ILP32; no OpenTelemetry value
    case kCpuTypeArm: return "arm32";
    case kCpuTypePowerPc: return "ppc32";
    case kCpuTypePowerPc | kCpuArchAbi64: return "ppc64";
    default: return "macho-cputype-" + std::to_string(cputype);
  }
}

bool overlaps(uint64_t a_offset, uint64_t a_size, uint64_t b_offset, uint64_t b_size) {
  return a_offset < b_offset + b_size && b_offset < a_offset + a_size;
}

// The fat_arch table, checked: every slice inside the file, none overlapping
// the header or another slice (stamping one slice must not touch another).
std::vector<FatArch> read_fat_archs(ByteView f) {
  const FatArchLayout& l = f.be<uint32_t>(0, "fat magic") == kFatMagic64 ? kFatArch64 : kFatArch32;
  const uint32_t count = f.be<uint32_t>(4, "nfat_arch");
  if (count == 0) throw f.malformed("universal file has no architectures (nfat_arch is 0)");
  const uint64_t table_size = count * l.size;  // count <= kMaxFatArchs: no overflow
  ByteView table = f.sub(kFatHeaderSize, table_size, "fat_arch table (nfat_arch corrupted)");
  std::vector<FatArch> archs;
  for (uint64_t i = 0; i < count; ++i) {
    const uint64_t at = i * l.size;
    FatArch a{};
    a.cputype = static_cast<uint32_t>(table.field(at, l.cputype, Endian::big, "fat_arch cputype"));
    a.offset = table.field(at, l.offset, Endian::big, "fat_arch offset");
    a.size = table.field(at, l.slice_size, Endian::big, "fat_arch size");
    if (!f.contains(a.offset, a.size))
      throw f.malformed("fat_arch " + std::to_string(i) + " (offset " + std::to_string(a.offset) + ", size " +
                        std::to_string(a.size) + ") lies outside the file");
    if (overlaps(a.offset, a.size, 0, kFatHeaderSize + table_size))
      throw f.malformed("fat_arch " + std::to_string(i) + " overlaps the fat header");
    for (uint64_t j = 0; j < archs.size(); ++j)
      if (overlaps(a.offset, a.size, archs[j].offset, archs[j].size))
        throw f.malformed("fat_arch " + std::to_string(i) + " overlaps fat_arch " + std::to_string(j));
    archs.push_back(a);
  }
  return archs;
}

// ---- Code signature ----

uint64_t digest_size(uint8_t hash_type) {
  switch (hash_type) {
    case kCsHashSha1: return 20;
    case kCsHashSha256: return 32;
    case kCsHashSha256Truncated: return 20;
    case kCsHashSha384: return 48;
    default: return 0;
  }
}

// Hashes `data` with the CodeDirectory hash type; the result has
// digest_size(hash_type) bytes (SHA-256 truncated to 20 for type 3).
std::array<uint8_t, kMaxHashSize> page_hash(uint8_t hash_type, ByteView data) {
  std::array<uint8_t, kMaxHashSize> out{};
  const auto keep = [&out](const auto& digest) {
    std::memcpy(out.data(), digest.data(), std::min<size_t>(digest.size(), out.size()));
  };
  switch (hash_type) {
    case kCsHashSha1: keep(digest_of<Sha1>(data.data(), data.size())); break;
    case kCsHashSha256:
    case kCsHashSha256Truncated: keep(digest_of<Sha256>(data.data(), data.size())); break;
    case kCsHashSha384: keep(digest_of<Sha384>(data.data(), data.size())); break;
    default: throw data.malformed("code signature hash type " + std::to_string(hash_type) + " is not supported");
  }
  return out;
}

ByteView super_blob(ByteView slice, uint64_t offset, uint64_t size) {
  ByteView sig = slice.sub(offset, size, "code signature");
  if (sig.size() < kSuperBlobHeaderSize) throw sig.malformed("code signature is smaller than a SuperBlob header");
  const uint32_t magic = sig.be<uint32_t>(0, "SuperBlob magic");
  if (magic != kCsMagicEmbeddedSignature)
    throw sig.malformed("code signature does not start with an embedded-signature SuperBlob");
  const uint32_t length = sig.be<uint32_t>(4, "SuperBlob length");
  if (length < kSuperBlobHeaderSize || length > sig.size())
    throw sig.malformed("SuperBlob length " + std::to_string(length) + " does not fit the code signature (" +
                        std::to_string(sig.size()) + " bytes)");
  return sig.sub(0, length, "SuperBlob");
}

struct BlobRef {
  uint32_t type;
  ByteView blob;    // magic, length, contents (length bytes)
  uint64_t offset;  // inside the SuperBlob
};

std::vector<BlobRef> blob_index(ByteView super) {
  const uint32_t count = super.be<uint32_t>(8, "SuperBlob count");
  ByteView index =
      super.sub(kSuperBlobHeaderSize, saturating_mul(count, kBlobIndexSize), "SuperBlob index (count corrupted)");
  std::vector<BlobRef> out;
  for (uint64_t i = 0; i < count; ++i) {
    BlobRef ref{};
    ref.type = index.be<uint32_t>(i * kBlobIndexSize, "BlobIndex type");
    ref.offset = index.be<uint32_t>(i * kBlobIndexSize + 4, "BlobIndex offset");
    ByteView head = super.sub(ref.offset, kBlobHeaderSize, "signature blob header");
    const uint32_t length = head.be<uint32_t>(4, "blob length");
    if (length < kBlobHeaderSize)
      throw super.malformed("signature blob length " + std::to_string(length) + " is too small");
    ref.blob = super.sub(ref.offset, length, "signature blob (length corrupted)");
    out.push_back(ref);
  }
  return out;
}

bool is_code_directory_slot(uint32_t type) {
  return type == kCsSlotCodeDirectory ||
         (type >= kCsSlotAlternateCodeDirectories && type < kCsSlotAlternateCodeDirectoryLimit);
}

// Ad-hoc signatures made by codesign carry an empty wrapper (header only).
bool is_cms_blob(const BlobRef& ref) {
  return ref.type == kCsSlotSignature && ref.blob.be<uint32_t>(0, "CMS blob magic") == kCsMagicBlobWrapper &&
         ref.blob.size() > kBlobHeaderSize;
}

}  // namespace

namespace macho {

bool matches(ByteView file) { return thin_endian(file).has_value() || is_fat(file); }

}  // namespace macho

MachOSlice MachOSlice::parse(ByteView file, uint64_t offset, uint64_t size) {
  const ByteView slice = file.sub(offset, size, "Mach-O slice");
  const MachHeader header = read_header(slice);
  MachOSlice s;
  s.offset_ = offset;
  s.size_ = size;
  s.cputype_ = header.cputype;
  s.endian_ = header.endian;
  s.load_commands_end_ = header.size + header.sizeofcmds;
  // os.type is "darwin" for every Apple platform: OpenTelemetry's os.type has
  // no separate value for iOS, tvOS or watchOS (those are os.name values), so
  // LC_BUILD_VERSION's platform does not change it.
  s.target_ = Target{"darwin", arch_name(header.cputype), Format::macho};
  for (const LoadCommand& lc : read_load_commands(slice, header)) {
    s.load_commands_.push_back(
        LoadCommandInfo{lc.cmd, FileRange{offset + lc.offset, lc.bytes.size()}, 0, header.endian == Endian::big});
    if (lc.cmd == kLcSegment || lc.cmd == kLcSegment64) {
      // One segment command: its file range, which must lie in the slice (a
      // segment whose bytes were cut off would be stamped yet not load; one
      // without file bytes, __PAGEZERO, may name any offset), and its sections.
      const SegmentLayout& l = lc.cmd == kLcSegment64 ? kSegment64 : kSegment32;
      const Endian e = header.endian;
      if (lc.bytes.size() < l.command_size) throw slice.malformed("segment command is smaller than its header");
      const uint64_t fileoff = lc.bytes.field(0, l.fileoff, e, "fileoff");
      const uint64_t filesize = lc.bytes.field(0, l.filesize, e, "filesize");
      if (filesize != 0 && !slice.contains(fileoff, filesize))
        throw slice.malformed("segment " + lc.bytes.fixed_string(kSegname, kNameSize, "segname") + " (fileoff " +
                              std::to_string(fileoff) + ", filesize " + std::to_string(filesize) +
                              ") lies outside the file (truncated?)");
      const uint64_t nsects = lc.bytes.field(0, l.nsects, e, "nsects");
      ByteView table = lc.bytes.sub(l.command_size, saturating_mul(nsects, l.section_size),
                                    "section table (nsects or cmdsize corrupted)");
      for (uint64_t i = 0; i < nsects; ++i) {
        const uint64_t at = i * l.section_size;
        Section section{};
        section.name = table.fixed_string(at, kNameSize, "sectname");
        section.segment = table.fixed_string(at + kNameSize, kNameSize, "segname");
        section.address = table.field(at, l.addr, e, "section addr");
        section.size = table.field(at, l.size, e, "section size");
        section.offset = table.field(at, l.offset, e, "section offset");
        section.flags = static_cast<uint32_t>(table.field(at, l.flags, e, "section flags"));
        s.sections_.push_back(section);
      }
      if (lc.bytes.fixed_string(kSegname, kNameSize, "segname") == "__LINKEDIT")
        s.linkedit_ = LinkeditCommand{lc.offset, lc.cmd == kLcSegment64};
    } else if (lc.cmd == kLcCodeSignature) {
      if (lc.bytes.size() < kLinkeditDataCommandSize) throw slice.malformed("LC_CODE_SIGNATURE is truncated");
      if (s.signature_) throw slice.malformed("more than one LC_CODE_SIGNATURE");
      SignatureRange sig{};
      sig.command_offset = lc.offset;
      sig.offset = lc.bytes.read<uint32_t>(kDataoff, header.endian, "code signature dataoff");
      sig.size = lc.bytes.read<uint32_t>(kDatasize, header.endian, "code signature datasize");
      if (!slice.contains(sig.offset, sig.size))
        throw slice.malformed("code signature (dataoff " + std::to_string(sig.offset) + ", datasize " +
                              std::to_string(sig.size) + ") lies outside the file");
      s.signature_ = sig;
    }
  }
  // The CodeDirectories: a damaged code signature is reported now, not when
  // stamping re-signs it.
  if (s.signature_) {
    const ByteView super = super_blob(slice, s.signature_->offset, s.signature_->size);
    for (const BlobRef& ref : blob_index(super)) {
      if (is_code_directory_slot(ref.type))
        s.code_directories_.push_back(read_code_directory(ref.blob, ref.type, ref.offset, s.signature_->offset));
      s.has_cms_signature_ = s.has_cms_signature_ || is_cms_blob(ref);
    }
    if (s.code_directories_.empty()) throw slice.malformed("code signature has no CodeDirectory");
  }
  return s;
}

// `signature_offset` is the slice-relative offset of the SuperBlob; pages
// may not reach into it (codesign and lld set codeLimit to exactly there), so
// rewriting a hash never changes a hashed page.
MachOSlice::CodeDirectory MachOSlice::read_code_directory(ByteView cd, uint32_t slot_type, uint64_t blob_offset,
                                                          uint64_t signature_offset) {
  if (cd.be<uint32_t>(0, "CodeDirectory magic") != kCsMagicCodeDirectory)
    throw cd.malformed("signature slot " + std::to_string(slot_type) + " is not a CodeDirectory (bad magic)");
  if (cd.size() < kCodeDirectoryMinSize) throw cd.malformed("CodeDirectory is truncated");
  CodeDirectory d{};
  d.slot_type = slot_type;
  const uint32_t version = cd.be<uint32_t>(8, "CodeDirectory version");
  const uint32_t hash_offset = cd.be<uint32_t>(16, "CodeDirectory hashOffset");
  const uint32_t n_code_slots = cd.be<uint32_t>(28, "CodeDirectory nCodeSlots");
  d.code_limit = cd.be<uint32_t>(32, "CodeDirectory codeLimit");
  d.hash_size = cd.be<uint8_t>(36, "CodeDirectory hashSize");
  d.hash_type = cd.be<uint8_t>(37, "CodeDirectory hashType");
  const uint8_t page_shift = cd.be<uint8_t>(39, "CodeDirectory pageSize");
  if (version >= kCsSupportsScatter && cd.size() >= 48 && cd.be<uint32_t>(44, "CodeDirectory scatterOffset") != 0)
    throw cd.malformed("CodeDirectory uses scatter vectors, which are not supported");
  if (version >= kCsSupportsCodeLimit64 && cd.size() >= 64) {
    const uint64_t limit64 = cd.be<uint64_t>(56, "CodeDirectory codeLimit64");
    if (limit64 != 0) d.code_limit = limit64;
  }
  if (digest_size(d.hash_type) == 0)
    throw cd.malformed("CodeDirectory hash type " + std::to_string(d.hash_type) + " is not supported");
  if (d.hash_size != digest_size(d.hash_type))
    throw cd.malformed("CodeDirectory hashSize " + std::to_string(d.hash_size) + " does not match hash type " +
                       std::to_string(d.hash_type));
  if (page_shift > 31) throw cd.malformed("CodeDirectory page size 2^" + std::to_string(page_shift) + " is invalid");
  if (d.code_limit > signature_offset)
    throw cd.malformed("CodeDirectory codeLimit " + std::to_string(d.code_limit) + " runs into the code signature at " +
                       std::to_string(signature_offset));
  // pageSize 0 means one "infinite" page covering everything up to codeLimit.
  d.page_size = page_shift == 0 ? d.code_limit : uint64_t{1} << page_shift;
  d.page_count = d.page_size == 0 ? 0 : (d.code_limit + d.page_size - 1) / d.page_size;
  if (n_code_slots < d.page_count)
    throw cd.malformed("CodeDirectory has " + std::to_string(n_code_slots) + " code slots for " +
                       std::to_string(d.page_count) + " pages");
  cd.sub(hash_offset, saturating_mul(n_code_slots, d.hash_size),
         "CodeDirectory hash table (hashOffset or nCodeSlots corrupted)");
  d.hashes_at = signature_offset + blob_offset + hash_offset;
  return d;
}

// The slot sections of the slice, with absolute file offsets.
void MachOSlice::find_slots(ByteView file) {
  const ByteView slice = file.sub(offset_, size_, "Mach-O slice");
  for (const Section& s : sections_) {
    if (s.name != BUILDINFO_MACHO_SECTION) continue;
    if (s.segment != BUILDINFO_MACHO_SEGMENT && s.segment != "__DATA") continue;
    const std::string name = s.segment + "," + s.name;
    const uint32_t type = s.flags & kSectionTypeMask;
    if (type == kZerofill || type == kGbZerofill || type == kThreadLocalZerofill)
      throw slice.malformed("section " + name + " is zero-fill (has no file contents)");
    if (overlaps(s.offset, s.size, 0, load_commands_end_))
      throw slice.malformed("section " + name + " overlaps the Mach-O header or load commands");
    if (signature_ && overlaps(s.offset, s.size, signature_->offset, signature_->size))
      throw slice.malformed("section " + name + " overlaps the code signature");
    // Located inside the slice view, so a section cannot reach into another slice.
    SlotLocation slot = locate_slot_in_section(slice, name, s.offset, s.size, endian_);
    slot.section_offset += offset_;
    slot.slot_offset += offset_;
    slot.slice_offset = offset_;
    slot.slice_size = size_;
    slot.target = target_;
    slots_.push_back(slot);
  }
}

MachOSlice MachOSlice::read(ByteView file, uint64_t offset, uint64_t size) {
  MachOSlice slice = parse(file, offset, size);
  slice.find_slots(file);
  return slice;
}

SignatureLayout MachOSlice::signature_layout() const {
  SignatureLayout layout;
  if (!signature_) return layout;
  layout.present = true;
  layout.data_offset = offset_ + signature_->offset;
  layout.data_size = signature_->size;
  layout.rewritten_fields.push_back({offset_ + signature_->command_offset + kDataoff, 8});  // dataoff, datasize
  if (linkedit_) {
    // parse() checked that the command holds its full header.
    const SegmentLayout& l = linkedit_->is64 ? kSegment64 : kSegment32;
    const uint64_t at = offset_ + linkedit_->offset;
    layout.rewritten_fields.push_back({at + l.vmsize.offset, l.vmsize.size});
    layout.rewritten_fields.push_back({at + l.filesize.offset, l.filesize.size});
  }
  return layout;
}

// The slice from its first byte up to LC_CODE_SIGNATURE's dataoff (the
// whole slice when unsigned), with the fields re-signing rewrites
// (LC_CODE_SIGNATURE dataoff and datasize, __LINKEDIT vmsize and filesize)
// as zeros. The signature itself, and for universal files the fat header,
// are not covered.
DigestPlan MachOSlice::digest_plan(const SlotLocation& slot) const {
  const SignatureLayout layout = signature_layout();
  DigestPlan plan;
  plan.slot = FileRange{slot.slot_offset, slot.capacity};
  for (const auto& field : layout.rewritten_fields) plan.zeroed.push_back(FileRange{field.first, field.second});
  const uint64_t end = layout.present ? layout.data_offset : offset_ + size_;
  plan.ranges.push_back({offset_, end - offset_, "Mach-O slice"});
  return plan;
}

namespace {

ByteView page_bytes(ByteView slice, uint64_t page_size, uint64_t code_limit, uint64_t page) {
  const uint64_t start = page * page_size;
  return slice.sub(start, std::min(page_size, code_limit - start), "code page");
}

}  // namespace

std::vector<FileRange> MachOSlice::update_page_hashes(MutableBytes file, uint64_t offset, uint64_t length) const {
  const ByteView slice = file.view().sub(offset_, size_, "Mach-O slice");
  std::vector<FileRange> written;
  if (length == 0) return written;
  if (offset < offset_ || !slice.contains(offset - offset_, length))
    throw slice.malformed("patched range lies outside its Mach-O slice");
  const uint64_t begin = offset - offset_;
  const uint64_t end = begin + length;
  if (!signature_) return written;  // unsigned: nothing to fix
  if (overlaps(begin, length, signature_->offset, signature_->size))
    throw slice.malformed("patched range overlaps the code signature");
  // A CMS (Developer ID) signature signs the CodeDirectory, which changes
  // here, so it becomes invalid; the record writer checks
  // foreign_signature() first and refuses such a slice unless forced.
  // Ad-hoc and linker-signed slices are complete again once the page hashes
  // are right.
  for (const CodeDirectory& cd : code_directories_) {
    if (cd.page_count == 0 || begin >= cd.code_limit) continue;
    const uint64_t first = begin / cd.page_size;
    const uint64_t last = (std::min(end, cd.code_limit) - 1) / cd.page_size;
    for (uint64_t page = first; page <= last; ++page) {
      const std::array<uint8_t, kMaxHashSize> hash =
          page_hash(cd.hash_type, page_bytes(slice, cd.page_size, cd.code_limit, page));
      // hashes_at + page * hash_size was bounds-checked against the
      // CodeDirectory (inside the slice) by read_code_directory.
      const uint64_t at = offset_ + cd.hashes_at + page * cd.hash_size;
      std::memcpy(file.data + at, hash.data(), cd.hash_size);
      written.push_back(FileRange{at, cd.hash_size});
    }
  }
  return written;
}

std::vector<CodeDirectoryCheck> MachOSlice::check_page_hashes(ByteView file) const {
  const ByteView slice = file.sub(offset_, size_, "Mach-O slice");
  std::vector<CodeDirectoryCheck> out;
  for (const CodeDirectory& cd : code_directories_) {
    CodeDirectoryCheck check;
    check.slot_type = cd.slot_type;
    check.hash_type = cd.hash_type;
    check.page_count = cd.page_count;
    for (uint64_t page = 0; page < cd.page_count; ++page) {
      const std::array<uint8_t, kMaxHashSize> hash =
          page_hash(cd.hash_type, page_bytes(slice, cd.page_size, cd.code_limit, page));
      ByteView stored = slice.sub(cd.hashes_at + page * cd.hash_size, cd.hash_size, "code page hash");
      if (std::memcmp(stored.data(), hash.data(), cd.hash_size) != 0) ++check.mismatched_pages;
    }
    out.push_back(check);
  }
  return out;
}

MachOImage MachOImage::scan(ByteView file) {
  MachOImage image;
  BinaryFacts& facts = image.facts_;
  std::vector<FatArch> archs;
  const bool universal = is_fat(file);
  if (universal) {
    facts.container = Container::macho_universal;
    archs = read_fat_archs(file);
  } else {
    facts.container = Container::macho;
    archs.push_back(FatArch{0, 0, file.size()});
  }
  for (uint64_t i = 0; i < archs.size(); ++i) {
    const FatArch& a = archs[i];
    if (universal && !thin_endian(file.sub(a.offset, a.size, "Mach-O slice")))
      throw file.malformed("slice " + std::to_string(i) + " (offset " + std::to_string(a.offset) +
                           ") is not a Mach-O file");
    MachOSlice slice = MachOSlice::parse(file, a.offset, a.size);
    if (universal && slice.cputype() != a.cputype)
      throw file.malformed("slice " + std::to_string(i) + ": fat_arch cputype " + std::to_string(a.cputype) +
                           " differs from the slice's Mach-O header (" + std::to_string(slice.cputype()) + ")");
    slice.find_slots(file);
    facts.slices.push_back(Slice{a.offset, a.size, slice.target(), slice.has_code_signature()});
    facts.slots.insert(facts.slots.end(), slice.slots().begin(), slice.slots().end());
    for (LoadCommandInfo command : slice.load_commands_) {
      command.slice = i;
      facts.load_commands.push_back(command);
    }
    for (const MachOSlice::Section& s : slice.sections_) {
      // Zero-fill sections have no file bytes, whatever their offset says.
      const uint32_t type = s.flags & kSectionTypeMask;
      const bool zerofill = type == kZerofill || type == kGbZerofill || type == kThreadLocalZerofill;
      const bool has_bytes =
          !zerofill && s.size != 0 && s.offset != 0 && s.offset <= a.size && s.size <= a.size - s.offset;
      facts.sections.push_back(SectionInfo{s.segment + "," + s.name,
                                           has_bytes ? FileRange{a.offset + s.offset, s.size} : FileRange{0, 0},
                                           s.address, i});
      if (has_bytes && s.segment == BUILDINFO_MACHO_SEGMENT && s.name == BUILDINFO_DEPS_MACHO_SECTION)
        facts.dependency_spaces.push_back(
            DependencySpace{s.segment + "," + s.name, FileRange{a.offset + s.offset, s.size}, a.offset});
    }
    image.slices_.push_back(std::move(slice));
  }
  return image;
}

const MachOSlice& MachOImage::slice_of(const SlotLocation& slot) const {
  for (const MachOSlice& slice : slices_)
    if (slice.offset() == slot.slice_offset && slice.size() == slot.slice_size) return slice;
  throw internal_error("no Mach-O slice at offset " + std::to_string(slot.slice_offset) + " holds slot " +
                       slot.section);
}

// A CMS signature signs the CodeDirectory whose page hashes writing a slot
// recomputes. Ad-hoc signatures are not in this list: they are brought up
// to date.
std::string MachOImage::foreign_signature() const {
  for (const SlotLocation& slot : facts_.slots) {
    const MachOSlice& slice = slice_of(slot);
    if (slice.has_cms_signature())
      return "has a certificate (CMS) code signature in its " + slot.target.arch + " slice";
  }
  return "";
}

}  // namespace buildinfo
