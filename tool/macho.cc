// Mach-O reader (thin and fat/universal) and the code-signature page-hash
// update that stamping needs on Apple silicon.
// Layouts: xnu EXTERNAL_HEADERS/mach-o/loader.h and fat.h
// (https://github.com/apple-oss-distributions/xnu), code signatures:
// xnu osfmk/kern/cs_blobs.h; the rules applied are in FORMAT.md.
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>

#include "binary_format.h"
#include "buildinfo/slot_layout.h"
#include "macho_signature.h"
#include "slot_codec.h"

namespace buildinfo::macho {
namespace {

// Magic numbers as read big-endian from the first four bytes.
constexpr uint32_t kMhMagic = 0xfeedface, kMhMagic64 = 0xfeedfacf;
constexpr uint32_t kFatMagic = 0xcafebabe, kFatMagic64 = 0xcafebabf;
// A Java class file also starts with 0xcafebabe, followed by its u16 minor and
// u16 major version (major >= 45). Like LLVM's identify_magic and file(1),
// take a fat header only when the word after the magic is below 43.
constexpr uint32_t kMaxFatArchs = 42;

constexpr uint64_t kMachHeaderSize = 28, kMachHeader64Size = 32;
constexpr uint64_t kFatHeaderSize = 8, kFatArchSize = 20, kFatArch64Size = 32;
constexpr uint64_t kLoadCommandHeaderSize = 8;

constexpr uint32_t kLcSegment = 0x1, kLcSegment64 = 0x19, kLcCodeSignature = 0x1d;
constexpr uint64_t kSegmentCommandSize = 56, kSegmentCommand64Size = 72;
constexpr uint64_t kSectionSize = 68, kSection64Size = 80;
constexpr uint64_t kLinkeditDataCommandSize = 16;

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

struct Section {
  std::string segment;
  std::string name;
  uint64_t offset;  // slice-relative
  uint64_t size;
  uint32_t flags;
};

struct SignatureRange {
  uint64_t offset;  // slice-relative (linkedit_data_command dataoff)
  uint64_t size;
  uint64_t command_offset;  // slice-relative offset of LC_CODE_SIGNATURE
};

struct ThinFacts {
  MachHeader header;
  std::vector<Section> sections;
  std::optional<SignatureRange> signature;
  std::optional<LoadCommand> linkedit;  // the __LINKEDIT segment command
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
  if (!endian) throw malformed("not a Mach-O file (bad magic)");
  MachHeader h{};
  h.endian = *endian;
  h.is64 = slice.read<uint32_t>(0, h.endian, "Mach-O magic") == kMhMagic64;
  h.size = h.is64 ? kMachHeader64Size : kMachHeaderSize;
  if (slice.size() < h.size) throw malformed("Mach-O header is truncated");
  h.cputype = slice.read<uint32_t>(4, h.endian, "cputype");
  h.ncmds = slice.read<uint32_t>(16, h.endian, "ncmds");
  h.sizeofcmds = slice.read<uint32_t>(20, h.endian, "sizeofcmds");
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
      throw malformed(which + " lies outside sizeofcmds (ncmds or sizeofcmds corrupted)");
    LoadCommand lc{};
    lc.cmd = area.read<uint32_t>(at, h.endian, "cmd");
    const uint32_t cmdsize = area.read<uint32_t>(at + 4, h.endian, "cmdsize");
    if (cmdsize < kLoadCommandHeaderSize)
      throw malformed(which + " has cmdsize " + std::to_string(cmdsize) + " (less than 8)");
    if (cmdsize > area.size() - at)
      throw malformed(which + " (cmdsize " + std::to_string(cmdsize) + ") runs past sizeofcmds");
    lc.offset = h.size + at;
    lc.bytes = area.sub(at, cmdsize, "load command");
    out.push_back(lc);
    at += cmdsize;
  }
  return out;
}

// One segment command: its file range, which must lie in the slice (a
// segment whose bytes were cut off would be stamped yet not load; one
// without file bytes, __PAGEZERO, may name any offset), and its sections.
void read_segment(const LoadCommand& lc, const MachHeader& h, ByteView slice, std::vector<Section>& out) {
  const bool is64 = lc.cmd == kLcSegment64;
  const uint64_t header_size = is64 ? kSegmentCommand64Size : kSegmentCommandSize;
  const uint64_t section_size = is64 ? kSection64Size : kSectionSize;
  if (lc.bytes.size() < header_size) throw malformed("segment command is smaller than its header");
  const uint64_t fileoff = is64 ? lc.bytes.read<uint64_t>(40, h.endian, "fileoff") : lc.bytes.read<uint32_t>(32, h.endian, "fileoff");
  const uint64_t filesize =
      is64 ? lc.bytes.read<uint64_t>(48, h.endian, "filesize") : lc.bytes.read<uint32_t>(36, h.endian, "filesize");
  if (filesize != 0 && !slice.contains(fileoff, filesize))
    throw malformed("segment " + lc.bytes.fixed_string(8, 16, "segname") + " (fileoff " + std::to_string(fileoff) +
                    ", filesize " + std::to_string(filesize) + ") lies outside the file (truncated?)");
  const uint32_t nsects = lc.bytes.read<uint32_t>(is64 ? 64 : 48, h.endian, "nsects");
  ByteView table = lc.bytes.sub(header_size, checked_mul(nsects, section_size, "section table"),
                                "section table (nsects or cmdsize corrupted)");
  for (uint64_t i = 0; i < nsects; ++i) {
    const uint64_t at = i * section_size;
    Section s{};
    s.name = table.fixed_string(at, 16, "sectname");
    s.segment = table.fixed_string(at + 16, 16, "segname");
    if (is64) {
      s.size = table.read<uint64_t>(at + 40, h.endian, "section size");
      s.offset = table.read<uint32_t>(at + 48, h.endian, "section offset");
      s.flags = table.read<uint32_t>(at + 64, h.endian, "section flags");
    } else {
      s.size = table.read<uint32_t>(at + 36, h.endian, "section size");
      s.offset = table.read<uint32_t>(at + 40, h.endian, "section offset");
      s.flags = table.read<uint32_t>(at + 56, h.endian, "section flags");
    }
    out.push_back(s);
  }
}

ThinFacts read_thin(ByteView slice) {
  ThinFacts facts{};
  facts.header = read_header(slice);
  for (const LoadCommand& lc : read_load_commands(slice, facts.header)) {
    if (lc.cmd == kLcSegment || lc.cmd == kLcSegment64) {
      read_segment(lc, facts.header, slice, facts.sections);
      if (lc.bytes.fixed_string(8, 16, "segname") == "__LINKEDIT") facts.linkedit = lc;
    } else if (lc.cmd == kLcCodeSignature) {
      if (lc.bytes.size() < kLinkeditDataCommandSize) throw malformed("LC_CODE_SIGNATURE is truncated");
      if (facts.signature) throw malformed("more than one LC_CODE_SIGNATURE");
      SignatureRange sig{};
      sig.command_offset = lc.offset;
      sig.offset = lc.bytes.read<uint32_t>(8, facts.header.endian, "code signature dataoff");
      sig.size = lc.bytes.read<uint32_t>(12, facts.header.endian, "code signature datasize");
      if (!slice.contains(sig.offset, sig.size))
        throw malformed("code signature (dataoff " + std::to_string(sig.offset) + ", datasize " +
                        std::to_string(sig.size) + ") lies outside the file");
      facts.signature = sig;
    }
  }
  return facts;
}

std::string arch_name(uint32_t cputype) {
  switch (cputype) {
    case kCpuTypeX86 | kCpuArchAbi64: return "amd64";
    case kCpuTypeX86: return "x86";
    case kCpuTypeArm | kCpuArchAbi64: return "arm64";  // arm64 and arm64e
    case kCpuTypeArm | kCpuArchAbi64_32: return "arm64_32";  // watchOS ILP32; no OpenTelemetry value
    case kCpuTypeArm: return "arm32";
    case kCpuTypePowerPc: return "ppc32";
    case kCpuTypePowerPc | kCpuArchAbi64: return "ppc64";
    default: return "macho-cputype-" + std::to_string(cputype);
  }
}

// os.type is "darwin" for every Apple platform: OpenTelemetry's os.type has
// no separate value for iOS, tvOS or watchOS (those are os.name values), so
// LC_BUILD_VERSION's platform does not change it.
Target target_of(const MachHeader& h) { return Target{"darwin", arch_name(h.cputype), "macho"}; }

bool overlaps(uint64_t a_offset, uint64_t a_size, uint64_t b_offset, uint64_t b_size) {
  return a_offset < b_offset + b_size && b_offset < a_offset + a_size;
}

// The fat_arch table, checked: every slice inside the file, none overlapping
// the header or another slice (stamping one slice must not touch another).
std::vector<FatArch> read_fat_archs(ByteView f) {
  const bool is64 = f.be<uint32_t>(0, "fat magic") == kFatMagic64;
  const uint32_t count = f.be<uint32_t>(4, "nfat_arch");
  if (count == 0) throw malformed("universal file has no architectures (nfat_arch is 0)");
  const uint64_t entry_size = is64 ? kFatArch64Size : kFatArchSize;
  const uint64_t table_size = count * entry_size;  // count <= kMaxFatArchs: no overflow
  ByteView table = f.sub(kFatHeaderSize, table_size, "fat_arch table (nfat_arch corrupted)");
  std::vector<FatArch> archs;
  for (uint64_t i = 0; i < count; ++i) {
    const uint64_t at = i * entry_size;
    FatArch a{};
    a.cputype = table.be<uint32_t>(at, "fat_arch cputype");
    a.offset = is64 ? table.be<uint64_t>(at + 8, "fat_arch offset") : table.be<uint32_t>(at + 8, "fat_arch offset");
    a.size = is64 ? table.be<uint64_t>(at + 16, "fat_arch size") : table.be<uint32_t>(at + 12, "fat_arch size");
    if (!f.contains(a.offset, a.size))
      throw malformed("fat_arch " + std::to_string(i) + " (offset " + std::to_string(a.offset) + ", size " +
                      std::to_string(a.size) + ") lies outside the file");
    if (overlaps(a.offset, a.size, 0, kFatHeaderSize + table_size))
      throw malformed("fat_arch " + std::to_string(i) + " overlaps the fat header");
    for (uint64_t j = 0; j < archs.size(); ++j)
      if (overlaps(a.offset, a.size, archs[j].offset, archs[j].size))
        throw malformed("fat_arch " + std::to_string(i) + " overlaps fat_arch " + std::to_string(j));
    archs.push_back(a);
  }
  return archs;
}

// The slot sections of one thin slice, with absolute file offsets.
void find_slots(uint64_t slice_offset, ByteView slice, const ThinFacts& thin, const Target& target,
                std::vector<SlotLocation>& out) {
  for (const Section& s : thin.sections) {
    if (s.name != BUILDINFO_MACHO_SECTION) continue;
    if (s.segment != BUILDINFO_MACHO_SEGMENT && s.segment != "__DATA") continue;
    const std::string name = s.segment + "," + s.name;
    const uint32_t type = s.flags & kSectionTypeMask;
    if (type == kZerofill || type == kGbZerofill || type == kThreadLocalZerofill)
      throw malformed("section " + name + " is zero-fill (has no file contents)");
    if (overlaps(s.offset, s.size, 0, thin.header.size + thin.header.sizeofcmds))
      throw malformed("section " + name + " overlaps the Mach-O header or load commands");
    if (thin.signature && overlaps(s.offset, s.size, thin.signature->offset, thin.signature->size))
      throw malformed("section " + name + " overlaps the code signature");
    // Located inside the slice view, so a section cannot reach into another slice.
    SlotLocation slot = locate_slot_in_section(slice, name, s.offset, s.size, thin.header.endian);
    slot.section_offset += slice_offset;
    slot.slot_offset += slice_offset;
    slot.slice_offset = slice_offset;
    slot.slice_size = slice.size();
    slot.target = target;
    out.push_back(slot);
  }
}

// ---- Code signature ----

struct CodeDirectory {
  uint32_t slot_type;
  uint8_t hash_type;
  uint64_t hash_size;
  uint64_t page_size;    // 0: one page up to codeLimit
  uint64_t code_limit;   // slice-relative end of the hashed range
  uint64_t page_count;
  uint64_t hashes_at;    // slice-relative offset of code slot 0's hash
};

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
  const EVP_MD* md = nullptr;
  switch (hash_type) {
    case kCsHashSha1: md = EVP_sha1(); break;
    case kCsHashSha256:
    case kCsHashSha256Truncated: md = EVP_sha256(); break;
    case kCsHashSha384: md = EVP_sha384(); break;
    default: throw malformed("code signature hash type " + std::to_string(hash_type) + " is not supported");
  }
  std::array<uint8_t, EVP_MAX_MD_SIZE> full{};
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), full.data(), &length, md, nullptr) != 1)
    throw Error(ExitCode::bad_input, "OpenSSL could not compute a code page hash");
  std::array<uint8_t, kMaxHashSize> out{};
  std::memcpy(out.data(), full.data(), std::min<uint64_t>(length, kMaxHashSize));
  return out;
}

ByteView super_blob(ByteView slice, const SignatureRange& range) {
  ByteView sig = slice.sub(range.offset, range.size, "code signature");
  if (sig.size() < kSuperBlobHeaderSize) throw malformed("code signature is smaller than a SuperBlob header");
  const uint32_t magic = sig.be<uint32_t>(0, "SuperBlob magic");
  if (magic != kCsMagicEmbeddedSignature) throw malformed("code signature does not start with an embedded-signature SuperBlob");
  const uint32_t length = sig.be<uint32_t>(4, "SuperBlob length");
  if (length < kSuperBlobHeaderSize || length > sig.size())
    throw malformed("SuperBlob length " + std::to_string(length) + " does not fit the code signature (" +
                    std::to_string(sig.size()) + " bytes)");
  return sig.sub(0, length, "SuperBlob");
}

struct BlobRef {
  uint32_t type;
  ByteView blob;        // magic, length, contents (length bytes)
  uint64_t offset;      // inside the SuperBlob
};

std::vector<BlobRef> blob_index(ByteView super) {
  const uint32_t count = super.be<uint32_t>(8, "SuperBlob count");
  ByteView index = super.sub(kSuperBlobHeaderSize, checked_mul(count, kBlobIndexSize, "SuperBlob index"),
                             "SuperBlob index (count corrupted)");
  std::vector<BlobRef> out;
  for (uint64_t i = 0; i < count; ++i) {
    BlobRef ref{};
    ref.type = index.be<uint32_t>(i * kBlobIndexSize, "BlobIndex type");
    ref.offset = index.be<uint32_t>(i * kBlobIndexSize + 4, "BlobIndex offset");
    ByteView head = super.sub(ref.offset, kBlobHeaderSize, "signature blob header");
    const uint32_t length = head.be<uint32_t>(4, "blob length");
    if (length < kBlobHeaderSize) throw malformed("signature blob length " + std::to_string(length) + " is too small");
    ref.blob = super.sub(ref.offset, length, "signature blob (length corrupted)");
    out.push_back(ref);
  }
  return out;
}

bool is_code_directory_slot(uint32_t type) {
  return type == kCsSlotCodeDirectory ||
         (type >= kCsSlotAlternateCodeDirectories && type < kCsSlotAlternateCodeDirectoryLimit);
}

// `signature_offset` is the slice-relative offset of the SuperBlob; pages
// may not reach into it (codesign and lld set codeLimit to exactly there), so
// rewriting a hash never changes a hashed page.
CodeDirectory read_code_directory(const BlobRef& ref, uint64_t signature_offset) {
  ByteView cd = ref.blob;
  if (cd.be<uint32_t>(0, "CodeDirectory magic") != kCsMagicCodeDirectory)
    throw malformed("signature slot " + std::to_string(ref.type) + " is not a CodeDirectory (bad magic)");
  if (cd.size() < kCodeDirectoryMinSize) throw malformed("CodeDirectory is truncated");
  CodeDirectory d{};
  d.slot_type = ref.type;
  const uint32_t version = cd.be<uint32_t>(8, "CodeDirectory version");
  const uint32_t hash_offset = cd.be<uint32_t>(16, "CodeDirectory hashOffset");
  const uint32_t n_code_slots = cd.be<uint32_t>(28, "CodeDirectory nCodeSlots");
  d.code_limit = cd.be<uint32_t>(32, "CodeDirectory codeLimit");
  d.hash_size = cd.be<uint8_t>(36, "CodeDirectory hashSize");
  d.hash_type = cd.be<uint8_t>(37, "CodeDirectory hashType");
  const uint8_t page_shift = cd.be<uint8_t>(39, "CodeDirectory pageSize");
  if (version >= kCsSupportsScatter && cd.size() >= 48 && cd.be<uint32_t>(44, "CodeDirectory scatterOffset") != 0)
    throw malformed("CodeDirectory uses scatter vectors, which are not supported");
  if (version >= kCsSupportsCodeLimit64 && cd.size() >= 64) {
    const uint64_t limit64 = cd.be<uint64_t>(56, "CodeDirectory codeLimit64");
    if (limit64 != 0) d.code_limit = limit64;
  }
  if (digest_size(d.hash_type) == 0)
    throw malformed("CodeDirectory hash type " + std::to_string(d.hash_type) + " is not supported");
  if (d.hash_size != digest_size(d.hash_type))
    throw malformed("CodeDirectory hashSize " + std::to_string(d.hash_size) + " does not match hash type " +
                    std::to_string(d.hash_type));
  if (page_shift > 31) throw malformed("CodeDirectory page size 2^" + std::to_string(page_shift) + " is invalid");
  if (d.code_limit > signature_offset)
    throw malformed("CodeDirectory codeLimit " + std::to_string(d.code_limit) + " runs into the code signature at " +
                    std::to_string(signature_offset));
  // pageSize 0 means one "infinite" page covering everything up to codeLimit.
  d.page_size = page_shift == 0 ? d.code_limit : uint64_t{1} << page_shift;
  d.page_count = d.page_size == 0 ? 0 : (d.code_limit + d.page_size - 1) / d.page_size;
  if (n_code_slots < d.page_count)
    throw malformed("CodeDirectory has " + std::to_string(n_code_slots) + " code slots for " +
                    std::to_string(d.page_count) + " pages");
  cd.sub(hash_offset, checked_mul(n_code_slots, d.hash_size, "CodeDirectory hash table"),
         "CodeDirectory hash table (hashOffset or nCodeSlots corrupted)");
  d.hashes_at = signature_offset + ref.offset + hash_offset;
  return d;
}

// The CodeDirectories of the slice, or none when it is not signed.
std::vector<CodeDirectory> code_directories(ByteView slice, const ThinFacts& thin) {
  std::vector<CodeDirectory> out;
  if (!thin.signature) return out;
  ByteView super = super_blob(slice, *thin.signature);
  for (const BlobRef& ref : blob_index(super))
    if (is_code_directory_slot(ref.type)) out.push_back(read_code_directory(ref, thin.signature->offset));
  if (out.empty()) throw malformed("code signature has no CodeDirectory");
  return out;
}

ByteView page_bytes(ByteView slice, const CodeDirectory& cd, uint64_t page) {
  const uint64_t start = page * cd.page_size;
  return slice.sub(start, std::min(cd.page_size, cd.code_limit - start), "code page");
}

ByteView slice_view(ByteView file, uint64_t slice_offset, uint64_t slice_size) {
  return file.sub(slice_offset, slice_size, "Mach-O slice");
}

}  // namespace

bool matches(ByteView file) { return thin_endian(file).has_value() || is_fat(file); }

BinaryFacts scan(ByteView file) {
  BinaryFacts facts;
  std::vector<FatArch> archs;
  if (is_fat(file)) {
    facts.format = "macho-universal";
    archs = read_fat_archs(file);
  } else {
    facts.format = "macho";
    archs.push_back(FatArch{0, 0, file.size()});
  }
  for (uint64_t i = 0; i < archs.size(); ++i) {
    const FatArch& a = archs[i];
    ByteView slice = file.sub(a.offset, a.size, "Mach-O slice");
    if (facts.format == "macho-universal" && !thin_endian(slice))
      throw malformed("slice " + std::to_string(i) + " (offset " + std::to_string(a.offset) +
                      ") is not a Mach-O file");
    const ThinFacts thin = read_thin(slice);
    // A damaged code signature is reported now, not when stamping re-signs it.
    (void)code_directories(slice, thin);
    if (facts.format == "macho-universal" && thin.header.cputype != a.cputype)
      throw malformed("slice " + std::to_string(i) + ": fat_arch cputype " + std::to_string(a.cputype) +
                      " differs from the slice's Mach-O header (" + std::to_string(thin.header.cputype) + ")");
    Slice s{a.offset, a.size, target_of(thin.header), thin.signature.has_value()};
    facts.slices.push_back(s);
    find_slots(a.offset, slice, thin, s.target, facts.slots);
  }
  return facts;
}

// `offset` is an absolute file offset (binary_format.cc passes the slot's
// slot_offset); pages are counted from the start of the slice.
std::vector<FileRange> after_patch(MutableBytes file, uint64_t slice_offset, uint64_t slice_size, uint64_t offset,
                                   uint64_t length) {
  const ByteView slice = slice_view(file.view(), slice_offset, slice_size);
  std::vector<FileRange> written;
  if (length == 0) return written;
  if (offset < slice_offset || !slice.contains(offset - slice_offset, length))
    throw malformed("patched range lies outside its Mach-O slice");
  const uint64_t begin = offset - slice_offset;
  const uint64_t end = begin + length;

  const ThinFacts thin = read_thin(slice);
  if (!thin.signature) return written;  // unsigned: nothing to fix
  if (overlaps(begin, length, thin.signature->offset, thin.signature->size))
    throw malformed("patched range overlaps the code signature");
  // A CMS (Developer ID) signature signs the CodeDirectory, which changes
  // here, so it becomes invalid; the record writer checks has_cms_signature()
  // first and refuses such a slice unless forced. Ad-hoc and
  // linker-signed slices are complete again once the page hashes are right.
  for (const CodeDirectory& cd : code_directories(slice, thin)) {
    if (cd.page_count == 0 || begin >= cd.code_limit) continue;
    const uint64_t first = begin / cd.page_size;
    const uint64_t last = (std::min(end, cd.code_limit) - 1) / cd.page_size;
    for (uint64_t page = first; page <= last; ++page) {
      const std::array<uint8_t, kMaxHashSize> hash = page_hash(cd.hash_type, page_bytes(slice, cd, page));
      // hashes_at + page * hash_size was bounds-checked against the
      // CodeDirectory (inside the slice) by read_code_directory.
      const uint64_t at = slice_offset + cd.hashes_at + page * cd.hash_size;
      std::memcpy(file.data + at, hash.data(), cd.hash_size);
      written.push_back(FileRange{at, cd.hash_size});
    }
  }
  return written;
}

bool has_cms_signature(ByteView file, uint64_t slice_offset, uint64_t slice_size) {
  const ByteView slice = slice_view(file, slice_offset, slice_size);
  const ThinFacts thin = read_thin(slice);
  if (!thin.signature) return false;
  for (const BlobRef& ref : blob_index(super_blob(slice, *thin.signature))) {
    // Ad-hoc signatures made by codesign carry an empty wrapper (header only).
    if (ref.type == kCsSlotSignature && ref.blob.be<uint32_t>(0, "CMS blob magic") == kCsMagicBlobWrapper &&
        ref.blob.size() > kBlobHeaderSize)
      return true;
  }
  return false;
}

SignatureLayout signature_layout(ByteView file, uint64_t slice_offset, uint64_t slice_size) {
  const ThinFacts thin = read_thin(slice_view(file, slice_offset, slice_size));
  SignatureLayout layout;
  if (!thin.signature) return layout;
  layout.present = true;
  layout.data_offset = slice_offset + thin.signature->offset;
  layout.data_size = thin.signature->size;
  layout.rewritten_fields.push_back({slice_offset + thin.signature->command_offset + 8, 8});  // dataoff, datasize
  if (thin.linkedit) {
    // segment_command_64: vmsize at 32, filesize at 48 (8 bytes each);
    // segment_command: vmsize at 28, filesize at 36 (4 bytes each).
    // read_segment checked the command holds its full header.
    const bool is64 = thin.linkedit->cmd == kLcSegment64;
    const uint64_t at = slice_offset + thin.linkedit->offset;
    layout.rewritten_fields.push_back({at + (is64 ? 32 : 28), is64 ? 8 : 4});
    layout.rewritten_fields.push_back({at + (is64 ? 48 : 36), is64 ? 8 : 4});
  }
  return layout;
}

std::vector<CodeDirectoryCheck> check_page_hashes(ByteView file, uint64_t slice_offset, uint64_t slice_size) {
  const ByteView slice = slice_view(file, slice_offset, slice_size);
  const ThinFacts thin = read_thin(slice);
  std::vector<CodeDirectoryCheck> out;
  for (const CodeDirectory& cd : code_directories(slice, thin)) {
    CodeDirectoryCheck check;
    check.slot_type = cd.slot_type;
    check.hash_type = cd.hash_type;
    check.page_count = cd.page_count;
    for (uint64_t page = 0; page < cd.page_count; ++page) {
      const std::array<uint8_t, kMaxHashSize> hash = page_hash(cd.hash_type, page_bytes(slice, cd, page));
      ByteView stored = slice.sub(cd.hashes_at + page * cd.hash_size, cd.hash_size, "code page hash");
      if (std::memcmp(stored.data(), hash.data(), cd.hash_size) != 0) ++check.mismatched_pages;
    }
    out.push_back(check);
  }
  return out;
}

}  // namespace buildinfo::macho
