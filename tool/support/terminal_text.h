// Text that came from a file, made safe to print: a hostile binary's record
// values, section names or error details must not move the cursor, clear the
// screen, reorder a line or split one message into several.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace buildinfo {

namespace terminal_detail {

inline void append_hex(std::string& out, const char* prefix, uint32_t value, int digits) {
  static const char kDigits[] = "0123456789abcdef";
  out += prefix;
  for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) out += kDigits[(value >> shift) & 15];
}

// The code point of the UTF-8 sequence at `text[at]` and its length, or a
// length of 0 when it is not well-formed (overlong, surrogate, truncated).
inline uint32_t decode_utf8(std::string_view text, size_t at, size_t& length) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[at + i]); };
  const unsigned char lead = byte(0);
  length = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
  if (length == 0 || at + length > text.size()) return length = 0;
  uint32_t code = lead & (0x7f >> length);
  for (size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xc0) != 0x80) return length = 0;
    code = (code << 6) | (byte(i) & 0x3f);
  }
  const uint32_t smallest = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000;
  if (code < smallest || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return length = 0;
  return code;
}

// C1 controls, and the bidirectional embeddings, overrides and isolates that
// can make a terminal show text in another order than it is.
inline bool is_hidden_control(uint32_t code) {
  return code < 0xa0 || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
}

}  // namespace terminal_detail

// Printable ASCII and well-formed UTF-8 are kept; control bytes and bytes
// that are not UTF-8 become \xNN, hidden control characters \uNNNN.
inline std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t at = 0; at < text.size();) {
    const auto c = static_cast<unsigned char>(text[at]);
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
      ++at;
      continue;
    }
    size_t length = 0;
    const uint32_t code = c < 0x80 ? 0 : terminal_detail::decode_utf8(text, at, length);
    if (length == 0) {
      terminal_detail::append_hex(out, "\\x", c, 2);
      ++at;
    } else if (terminal_detail::is_hidden_control(code)) {
      terminal_detail::append_hex(out, "\\u", code, 4);
      at += length;
    } else {
      out.append(text.substr(at, length));
      at += length;
    }
  }
  return out;
}

}  // namespace buildinfo
