// UTF-8 <-> UTF-16 (see utf16.h); RFC 3629 and RFC 2781.
#include "support/utf16.h"

namespace buildinfo {
namespace {

constexpr uint32_t kReplacement = 0xfffd;

void append_utf8(std::string& out, uint32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xc0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3f));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xe0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (c & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (c & 0x3f));
  }
}

bool is_high_surrogate(uint32_t u) { return u >= 0xd800 && u < 0xdc00; }
bool is_low_surrogate(uint32_t u) { return u >= 0xdc00 && u < 0xe000; }

// The code point of the UTF-8 sequence at text[at], advancing `at`; an
// invalid, overlong or truncated sequence is one U+FFFD for its first byte.
uint32_t next_code_point(const std::string& text, size_t& at) {
  const auto byte = [&text](size_t i) { return static_cast<uint8_t>(text[i]); };
  const uint8_t lead = byte(at);
  size_t length = 0;
  uint32_t c = 0, minimum = 0;
  if (lead < 0x80) {
    ++at;
    return lead;
  } else if ((lead & 0xe0) == 0xc0) {
    length = 2, c = lead & 0x1f, minimum = 0x80;
  } else if ((lead & 0xf0) == 0xe0) {
    length = 3, c = lead & 0x0f, minimum = 0x800;
  } else if ((lead & 0xf8) == 0xf0) {
    length = 4, c = lead & 0x07, minimum = 0x10000;
  } else {
    ++at;
    return kReplacement;
  }
  if (text.size() - at < length) {
    ++at;
    return kReplacement;
  }
  for (size_t i = 1; i < length; ++i) {
    if ((byte(at + i) & 0xc0) != 0x80) {
      ++at;
      return kReplacement;
    }
    c = (c << 6) | (byte(at + i) & 0x3f);
  }
  at += length;
  if (c < minimum || c > 0x10ffff || (c >= 0xd800 && c < 0xe000)) return kReplacement;
  return c;
}

}  // namespace

std::string utf16le_to_utf8(ByteView bytes) {
  std::string out;
  const uint64_t units = bytes.size() / 2;
  for (uint64_t i = 0; i < units; ++i) {
    const uint32_t u = bytes.le<uint16_t>(2 * i, "UTF-16 text");
    if (is_high_surrogate(u) && i + 1 < units) {
      const uint32_t low = bytes.le<uint16_t>(2 * (i + 1), "UTF-16 text");
      if (is_low_surrogate(low)) {
        append_utf8(out, 0x10000 + ((u - 0xd800) << 10) + (low - 0xdc00));
        ++i;
        continue;
      }
    }
    append_utf8(out, is_high_surrogate(u) || is_low_surrogate(u) ? kReplacement : u);
  }
  return out;
}

std::vector<uint16_t> utf8_to_utf16(const std::string& text) {
  std::vector<uint16_t> out;
  for (size_t at = 0; at < text.size();) {
    const uint32_t c = next_code_point(text, at);
    if (c >= 0x10000) {
      out.push_back(static_cast<uint16_t>(0xd800 + ((c - 0x10000) >> 10)));
      out.push_back(static_cast<uint16_t>(0xdc00 + ((c - 0x10000) & 0x3ff)));
    } else {
      out.push_back(static_cast<uint16_t>(c));
    }
  }
  return out;
}

}  // namespace buildinfo
