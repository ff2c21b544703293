// Fuzz target: the PE reader (PE32 and PE32+), its slot locator, the slot
// header decoder, the PE image digest and the checksum fix-up after a patch.
#include "format_fuzz.h"
#include "formats/pe/pe_image.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace buildinfo;
  const std::optional<PeImage> image = fuzz::scan_and_check_slots<PeImage>(ByteView(data, size), pe::matches);
  if (!image) return 0;
  std::vector<uint8_t> copy(data, data + size);
  try {
    (void)image->update_checksum(copy);
  } catch (const Error&) {
  }
  return 0;
}
