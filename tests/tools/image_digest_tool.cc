// Test tool: prints the image digest (image.sha256, FORMAT.md "Image digest")
// of every slot of a binary, one lowercase hex line per slot in the order
// `inspect --json` lists the slots. Until `buildinfo verify` exists, the e2e
// tests compare it with the stamped record. Exits 2 on unreadable input, 3
// when the binary has no slot.
#include <iostream>

#include "cli/exit_code.h"
#include "formats/image_digest.h"
#include "formats/loaded_binary.h"
#include "support/error.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: image_digest_tool BINARY\n";
    return 2;
  }
  try {
    const buildinfo::LoadedBinary binary = buildinfo::load_binary(argv[1]);
    if (binary.facts().slots.empty()) {
      std::cerr << argv[1] << ": no slot\n";
      return 3;
    }
    for (const buildinfo::SlotLocation& slot : binary.facts().slots)
      std::cout << buildinfo::image_digest(binary.view(), binary.image.digest_plan(slot)) << "\n";
    return 0;
  } catch (const buildinfo::Error& e) {
    std::cerr << "image_digest_tool: " << e.what() << "\n";
    return static_cast<int>(buildinfo::exit_code(e.kind()));
  } catch (const std::exception& e) {
    std::cerr << "image_digest_tool: " << e.what() << "\n";
    return 2;
  }
}
