// image.sha256 per format (placeholder until implemented).
#include "image_digest.h"
namespace buildinfo {
std::string image_digest(ByteView, const BinaryFacts&, const SlotLocation&) { throw malformed("image digest is not built yet"); }
}  // namespace buildinfo
