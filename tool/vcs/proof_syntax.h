// The text of a git-state proof (state_proof.h) read in place: its lines,
// their space-separated fields, numbers and percent-encoded words. Nothing
// here allocates or calls a library, so that buildinfo-vcs-check, which
// runs at every build without the C library (vcs_check/), reads a proof
// with the same code as the tool.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace buildinfo::proof_syntax {

// The first line of every proof this build of buildinfo writes.
inline constexpr char kMagic[] = "buildinfo vcs-proof 2 " BUILDINFO_VERSION;

// The characters [begin, end) of a proof.
struct Span {
  const char* begin = nullptr;
  const char* end = nullptr;

  size_t size() const { return static_cast<size_t>(end - begin); }
  bool empty() const { return begin == end; }
  // True when the span holds exactly the NUL-terminated `text`.
  bool equals(const char* text) const {
    const char* at = begin;
    for (; *text != '\0'; ++text, ++at)
      if (at == end || *at != *text) return false;
    return at == end;
  }
};

// The lines of a text; the last may lack its newline.
class Lines {
 public:
  explicit Lines(Span text) : at_(text.begin), end_(text.end) {}

  bool next(Span& line) {
    if (at_ >= end_) return false;
    const char* stop = at_;
    while (stop < end_ && *stop != '\n') ++stop;
    line = {at_, stop};
    at_ = stop + 1;
    return true;
  }

 private:
  const char* at_;
  const char* end_;
};

// A cursor over the space-separated fields of one line.
class Fields {
 public:
  explicit Fields(Span line) : at_(line.begin), end_(line.end) {}

  // The next field; empty at the end of the line.
  Span word() {
    while (at_ < end_ && *at_ == ' ') ++at_;
    const char* start = at_;
    while (at_ < end_ && *at_ != ' ') ++at_;
    return {start, at_};
  }

  // The next field as a decimal number, '-' for a negative one; false
  // when it is not one.
  template <typename T>
  bool number(T& value) {
    while (at_ < end_ && *at_ == ' ') ++at_;
    bool negative = false;
    if (at_ < end_ && *at_ == '-') {
      negative = true;
      ++at_;
    }
    if (at_ == end_ || *at_ < '0' || *at_ > '9') return false;
    uint64_t n = 0;
    while (at_ < end_ && *at_ >= '0' && *at_ <= '9') n = n * 10 + static_cast<uint64_t>(*at_++ - '0');
    value = negative ? static_cast<T>(-static_cast<int64_t>(n)) : static_cast<T>(n);
    return true;
  }

 private:
  const char* at_;
  const char* end_;
};

inline int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Hands each byte of the percent-encoded `word` (RFC 3986, section 2.1) to
// put(char); false at a malformed escape.
template <typename Put>
bool percent_decode(Span word, Put&& put) {
  for (const char* at = word.begin; at < word.end; ++at) {
    if (*at != '%') {
      put(*at);
      continue;
    }
    const int high = at + 2 < word.end ? hex_digit(at[1]) : -1;
    const int low = high >= 0 ? hex_digit(at[2]) : -1;
    if (low < 0) return false;
    put(static_cast<char>(high * 16 + low));
    at += 2;
  }
  return true;
}

}  // namespace buildinfo::proof_syntax
