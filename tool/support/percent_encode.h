// Percent-encoding (RFC 3986, 2.1), for the parts of package URLs and URNs
// the tool writes.
#pragma once

#include <cctype>
#include <cstring>
#include <string>

namespace buildinfo {

// `text` with every byte but letters, digits, "-._~" and those in `keep`
// written as %XX (uppercase hex).
inline std::string percent_encode(const std::string& text, const char* keep = "") {
  static const char kDigits[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) || std::strchr("-._~", c) != nullptr || (c != 0 && std::strchr(keep, c) != nullptr)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kDigits[c >> 4];
      out += kDigits[c & 15];
    }
  }
  return out;
}

}  // namespace buildinfo
