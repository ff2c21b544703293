// Fuzz target: the PE reader (PE32 and PE32+), its slot locator, the slot
// header decoder, the PE image digest, the checksum fix-up after a patch,
// and each version resource: parsed, and filled as stamp fills ours.
#include <cstring>

#include "format_fuzz.h"
#include "formats/pe/pe_image.h"
#include "formats/pe/pe_version_info.h"
#include "record/version_resource.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace buildinfo;
  const std::optional<PeImage> image = fuzz::scan_and_check_slots<PeImage>(ByteView(data, size), pe::matches);
  if (!image) return 0;
  std::vector<uint8_t> copy(data, data + size);
  const Payload facts{{"project.name", "fuzz"},
                      {"project.version", "1.2.3"},
                      {"vcs.revision", "0123456789abcdef0123456789abcdef01234567"},
                      {"vcs.modified", "false"}};
  for (const VersionResource& resource : image->facts().version_resources) {
    try {
      const ByteView bytes = ByteView(data, size).sub(resource.bytes.offset, resource.bytes.length, "resource");
      const VersionInfo info = parse_version_info(bytes, resource.bytes.offset);
      if (!is_reserved_version_info(info)) continue;
      for (const PlainWrite& write : version_resource_writes(resource, info, facts, "fuzz")) {
        // Every write stays inside the resource it fills.
        if (write.offset < resource.bytes.offset || write.bytes.size() > resource.bytes.length ||
            write.offset - resource.bytes.offset > resource.bytes.length - write.bytes.size())
          __builtin_trap();
        std::memcpy(copy.data() + write.offset, write.bytes.data(), write.bytes.size());
      }
      // What stamp wrote must read back as ours.
      if (!is_reserved_version_info(parse_version_info(
              ByteView(copy.data(), copy.size()).sub(resource.bytes.offset, resource.bytes.length, "resource"),
              resource.bytes.offset)))
        __builtin_trap();
    } catch (const Error&) {
    }
  }
  try {
    (void)image->update_checksum(copy);
  } catch (const Error&) {
  }
  return 0;
}
