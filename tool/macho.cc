// Mach-O reader (placeholder until implemented).
#include "binary_format.h"
namespace buildinfo::macho {
bool matches(ByteView) { return false; }
BinaryFacts scan(ByteView) { throw malformed("Mach-O support is not built yet"); }
void after_patch(std::vector<uint8_t>&, uint64_t, uint64_t, uint64_t, uint64_t) {}
}  // namespace buildinfo::macho
