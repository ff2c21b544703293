// UTF-16LE, as Windows resources store text, to and from the UTF-8 the
// record and `inspect` use. Unpaired surrogates and invalid UTF-8 become
// U+FFFD, so that every result is valid text.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "support/byte_view.h"

namespace buildinfo {

// The UTF-16LE code units in `bytes` (an odd last byte is ignored) as UTF-8.
std::string utf16le_to_utf8(ByteView bytes);

// `text` as UTF-16LE code units, without a terminating NUL.
std::vector<uint16_t> utf8_to_utf16(const std::string& text);

}  // namespace buildinfo
