// A bounds-checked, read-only view over untrusted bytes. Every read checks
// the offset against the size and throws instead of overrunning. A view
// knows the file its bytes come from, so that every error a reader raises
// through it names that file.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

#include "support/error.h"

namespace buildinfo {

enum class Endian { little, big };

// a * b, or UINT64_MAX when it overflows: a length no view contains, so the
// sub() it is given to fails naming the structure.
inline uint64_t saturating_mul(uint64_t a, uint64_t b) {
  if (a != 0 && b > UINT64_MAX / a) return UINT64_MAX;
  return a * b;
}

// A field of an on-disk structure: where it lies from the structure's start,
// and its width (2, 4 or 8 bytes). Readers keep one table of fields per
// layout (ELF class, Mach-O command kind) and pick the table once.
struct Field {
  uint64_t offset;
  uint64_t size;
};

class ByteView {
 public:
  ByteView() = default;
  // `source` names the file (it must outlive the view); nullptr for bytes
  // that are no file's.
  ByteView(const uint8_t* data, uint64_t size, const std::string* source = nullptr)
      : data_(data), size_(size), source_(source) {}

  const uint8_t* data() const { return data_; }
  uint64_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const std::string& source() const {
    static const std::string kNone;
    return source_ != nullptr ? *source_ : kNone;
  }

  // The error for a defect of these bytes, naming their file.
  Error malformed(const std::string& defect) const { return Error(ErrorKind::bad_input, source(), defect); }

  bool contains(uint64_t offset, uint64_t length) const { return offset <= size_ && length <= size_ - offset; }

  // The sub-range [offset, offset+length); `what` names it in the error.
  ByteView sub(uint64_t offset, uint64_t length, const char* what) const {
    if (!contains(offset, length)) throw malformed(std::string(what) + " lies outside the file");
    return ByteView(data_ + offset, length, source_);
  }

  // An unsigned integer of type T at `offset` in the given byte order.
  template <typename T>
  T read(uint64_t offset, Endian endian, const char* what) const {
    static_assert(std::is_unsigned<T>::value, "read unsigned integers only");
    if (!contains(offset, sizeof(T))) throw malformed(std::string(what) + " is truncated");
    T value = 0;
    for (uint64_t i = 0; i < sizeof(T); ++i) {
      const uint64_t shift = endian == Endian::little ? 8 * i : 8 * (sizeof(T) - 1 - i);
      value |= static_cast<T>(static_cast<T>(data_[offset + i]) << shift);
    }
    return value;
  }

  // The unsigned field `f` of the structure at `base`, widened to 64 bits.
  uint64_t field(uint64_t base, Field f, Endian endian, const char* what) const {
    switch (f.size) {
      case 2: return read<uint16_t>(base + f.offset, endian, what);
      case 4: return read<uint32_t>(base + f.offset, endian, what);
      default: return read<uint64_t>(base + f.offset, endian, what);
    }
  }

  template <typename T>
  T le(uint64_t offset, const char* what) const {
    return read<T>(offset, Endian::little, what);
  }
  template <typename T>
  T be(uint64_t offset, const char* what) const {
    return read<T>(offset, Endian::big, what);
  }

  // A NUL-terminated string starting at `offset`, at most `max_length` long.
  std::string cstring(uint64_t offset, uint64_t max_length, const char* what) const {
    if (offset >= size_) throw malformed(std::string(what) + " lies outside the file");
    const uint64_t limit = size_ - offset < max_length ? size_ - offset : max_length;
    const void* nul = std::memchr(data_ + offset, 0, limit);
    const uint64_t length = nul ? static_cast<uint64_t>(static_cast<const uint8_t*>(nul) - (data_ + offset)) : limit;
    return std::string(reinterpret_cast<const char*>(data_ + offset), length);
  }

  // A fixed-size name field (e.g. a PE or Mach-O section name), NUL-padded.
  std::string fixed_string(uint64_t offset, uint64_t length, const char* what) const {
    ByteView field = sub(offset, length, what);
    const void* nul = std::memchr(field.data(), 0, length);
    const uint64_t n = nul ? static_cast<uint64_t>(static_cast<const uint8_t*>(nul) - field.data()) : length;
    return std::string(reinterpret_cast<const char*>(field.data()), n);
  }

 private:
  const uint8_t* data_ = nullptr;
  uint64_t size_ = 0;
  const std::string* source_ = nullptr;
};

// A range of file offsets.
struct FileRange {
  uint64_t offset;
  uint64_t length;
};

// The writable bytes of a whole file (a buffer, or a private mapping), for
// the format fix-ups after a slot is rewritten. Callers bounds-check.
struct MutableBytes {
  MutableBytes(uint8_t* bytes, uint64_t length, const std::string* file = nullptr)
      : data(bytes), size(length), source(file) {}
  MutableBytes(std::vector<uint8_t>& bytes) : data(bytes.data()), size(bytes.size()) {}  // NOLINT: implicit on purpose
  ByteView view() const { return ByteView(data, size, source); }

  uint8_t* data;
  uint64_t size;
  const std::string* source = nullptr;  // the file these bytes will become, for errors
};

}  // namespace buildinfo
