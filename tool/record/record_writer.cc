// Writing signed records into slots (see record_writer.h).
#include "record/record_writer.h"

#include <cstring>
#include <iostream>

#include "buildinfo/slot_layout.h"
#include "formats/slot_codec.h"
#include "support/background_release.h"
#include "support/error.h"
#include "support/terminal_text.h"

namespace buildinfo {
namespace {

// True when any of `ranges` differs between the two views.
bool differs(ByteView a, ByteView b, const std::vector<FileRange>& ranges) {
  for (const FileRange& r : ranges)
    if (std::memcmp(a.data() + r.offset, b.data() + r.offset, r.length) != 0) return true;
  return false;
}

void warn(const std::string& message) { std::cerr << "buildinfo: warning: " << printable(message) << "\n"; }

}  // namespace

RecordWriter::RecordWriter(const LoadedBinary& binary)
    : binary_(binary), replacement_(binary.path, binary.view(), binary.file.descriptor()) {}

bool RecordWriter::write(const std::vector<Payload>& payloads, const Signer& signer, const WriteOptions& options,
                         const std::vector<PlainWrite>& plain) {
  PrivateCopy stamped(binary_.file);
  std::vector<FileRange> changed;
  std::string report;
  for (const PlainWrite& write : plain) {
    std::memcpy(stamped.data() + write.offset, write.bytes.data(), write.bytes.size());
    changed.push_back(FileRange{write.offset, write.bytes.size()});
    report += write.report;
  }
  for (size_t i = 0; i < binary_.facts().slots.size(); ++i) {
    const SlotLocation& slot = binary_.facts().slots[i];
    SlotContents contents;
    contents.payload = canonical_json(payloads.at(i));
    if (signer.signs()) {
      contents.signature_algorithm = static_cast<uint32_t>(signer.algorithm());
      contents.key_id = signer.key_id();
      contents.signature = signer.sign(dsse_pae(kPayloadType, contents.payload));
    }
    const std::vector<uint8_t> bytes = encode_slot(slot.capacity, contents, binary_.path);
    std::memcpy(stamped.data() + slot.slot_offset, bytes.data(), bytes.size());
    changed.push_back(FileRange{slot.slot_offset, bytes.size()});
    const MutableBytes patched(stamped.data(), stamped.size(), &binary_.path);
    for (const FileRange& fixed : binary_.image.after_patch(patched, slot)) changed.push_back(fixed);
    report += "stamped " + printable(binary_.path) + " (" + slot.section + ", " + slot.target.arch +
              "): " + std::to_string(BUILDINFO_HEADER_SIZE + contents.payload.size() + contents.signature.size()) +
              " of " + std::to_string(slot.capacity) + " bytes used, " +
              (signer.signs() ? "signed " + algorithm_name(signer.algorithm()) : "unsigned") + "\n";
  }
  // An unchanged record leaves the file (and its timestamp, and any
  // signature over it) alone: the replacement's destructor removes the
  // temporary file.
  const bool rewrite = differs(binary_.view(), stamped.view(), changed);
  if (rewrite) {
    // Signatures by others over bytes that writing a record changes (a PE's
    // Authenticode signature, a Mach-O slice's CMS signature).
    const std::string signature = binary_.image.foreign_signature();
    if (!signature.empty() && !options.force)
      throw Error(ErrorKind::bad_input, binary_.path,
                  signature +
                      ", which writing the record would break; write the record before "
                      "signing (or remove the signature), or pass --force and sign again after");
    std::vector<Patch> patches;
    for (const FileRange& r : changed)
      patches.push_back(Patch{r.offset, stamped.view().sub(r.offset, r.length, "patch")});
    if (options.keep_timestamp) replacement_.keep_timestamp();
    replacement_.commit(patches);
    if (!signature.empty())
      warn(binary_.path + ": " + signature + " that no longer matches it (--force): sign it again");
    const uint64_t others = replacement_.original_links() - 1;
    if (others > 0)
      warn(binary_.path + ": " + std::to_string(others) +
           (others > 1 ? " other hard links of the file keep" : " other hard link of the file keeps") +
           " its unstamped contents (the stamped file is a new one)");
    // The original has lost its last name: a child frees it after we exit.
    if (others == 0) release_after_exit(binary_.file.descriptor());
  }
  if (!options.quiet) std::cout << report;
  return rewrite;
}

}  // namespace buildinfo
