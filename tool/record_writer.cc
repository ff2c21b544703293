// Writing signed records into slots (see record_writer.h).
#include "record_writer.h"

#include <cstring>
#include <iostream>

#include "buildinfo/slot_layout.h"
#include "error.h"
#include "image_digest.h"
#include "macho_signature.h"
#include "slot_codec.h"
#include "terminal_text.h"

namespace buildinfo {
namespace {

// True when any of `ranges` differs between the two views.
bool differs(ByteView a, ByteView b, const std::vector<FileRange>& ranges) {
  for (const FileRange& r : ranges)
    if (std::memcmp(a.data() + r.offset, b.data() + r.offset, r.length) != 0) return true;
  return false;
}

}  // namespace

RecordWriter::RecordWriter(const LoadedBinary& binary) : binary_(binary), replacement_(binary.path, binary.view()) {}

bool RecordWriter::write(const std::vector<Payload>& payloads, const Signer& signer, const WriteOptions& options) {
  PrivateCopy stamped(binary_.file);
  std::vector<FileRange> changed;
  for (size_t i = 0; i < binary_.facts.slots.size(); ++i) {
    const SlotLocation& slot = binary_.facts.slots[i];
    SlotContents contents;
    try {
      contents.payload = canonical_json(payloads.at(i));
      if (signer.signs()) {
        contents.signature_algorithm = static_cast<uint32_t>(signer.algorithm());
        contents.key_id = signer.key_id();
        contents.signature = signer.sign(dsse_pae(kPayloadType, contents.payload));
      }
      const std::vector<uint8_t> bytes = encode_slot(slot.capacity, contents);
      std::memcpy(stamped.data() + slot.slot_offset, bytes.data(), bytes.size());
      changed.push_back(FileRange{slot.slot_offset, bytes.size()});
      for (const FileRange& fixed : after_patch(MutableBytes(stamped.data(), stamped.size()), binary_.facts, slot))
        changed.push_back(fixed);
    } catch (const Error& e) {
      throw Error(e.code(), binary_.path + ": " + e.what());
    }
    if (slot.target.format == "macho" &&
        macho::has_cms_signature(binary_.view(), slot.slice_offset, slot.slice_size))
      std::cerr << "buildinfo: warning: " << printable(binary_.path) << ": the " << slot.target.arch
                << " slice has a certificate (CMS) signature that stamping invalidates; sign it again after stamping\n";
    if (!options.quiet)
      std::cout << "stamped " << printable(binary_.path) << " (" << slot.section << ", " << slot.target.arch << "): "
                << BUILDINFO_HEADER_SIZE + contents.payload.size() + contents.signature.size() << " of " << slot.capacity
                << " bytes used, " << (signer.signs() ? "signed " + algorithm_name(signer.algorithm()) : "unsigned")
                << "\n";
  }
  // An unchanged record leaves the file (and its timestamp) alone: the
  // replacement's destructor removes the temporary file.
  if (!differs(binary_.view(), stamped.view(), changed)) return false;
  std::vector<Patch> patches;
  for (const FileRange& r : changed) patches.push_back(Patch{r.offset, stamped.view().sub(r.offset, r.length, "patch")});
  if (options.keep_timestamp) replacement_.keep_timestamp();
  replacement_.commit(patches);
  return true;
}

}  // namespace buildinfo
