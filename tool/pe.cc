// PE reader (placeholder until implemented).
#include "binary_format.h"
namespace buildinfo::pe {
bool matches(ByteView) { return false; }
BinaryFacts scan(ByteView) { throw malformed("PE support is not built yet"); }
void after_patch(std::vector<uint8_t>&) {}
}  // namespace buildinfo::pe
