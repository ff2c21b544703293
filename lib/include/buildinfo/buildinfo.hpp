// The runtime API for C++: read the build record stamped into this module.
// Header-only over the C API (buildinfo.h), so the runtime library itself
// needs no C++ runtime; nothing here allocates or throws.
#ifndef BUILDINFO_BUILDINFO_HPP
#define BUILDINFO_BUILDINFO_HPP

#if __cplusplus < 201703L
#error "the buildinfo C++ headers need C++17 (-std=c++17); C programs use buildinfo/buildinfo.h"
#endif

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string_view>

#include "buildinfo/buildinfo.h"

// Hidden visibility: a module's inline copies of these wrappers must call
// its own runtime, even in an executable linked with -rdynamic that exports
// its symbols to the libraries it loads.
#if defined(__GNUC__) && !defined(_WIN32)
#pragma GCC visibility push(hidden)
#endif

namespace buildinfo {

enum class status : int {
  ok = BUILDINFO_OK,                    // stamped, record parsed
  not_stamped = BUILDINFO_NOT_STAMPED,  // the slot is present but empty (the stamper has not run)
  corrupt = BUILDINFO_CORRUPT,          // header or payload malformed, or a byte that must be zero is not
  unsupported = BUILDINFO_UNSUPPORTED,  // a newer format version than this runtime reads
  no_memory = BUILDINFO_NO_MEMORY,      // the record could not be stored
};

// Fixed text for a status, e.g. "not stamped".
inline std::string_view to_string(status s) noexcept { return buildinfo_status_text(static_cast<int>(s)); }

struct field {
  std::string_view key;
  std::string_view value;
};

namespace detail {

inline std::string_view view(const char* text, std::size_t size) noexcept {
  return text == nullptr ? std::string_view() : std::string_view(text, size);
}

// Walks an array of C key/value pairs (record fields, OpenTelemetry
// attributes), yielding each as a `Pair` of views (field, otel::attribute).
template <typename Pair>
class pair_iterator {
 public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = Pair;
  using difference_type = std::ptrdiff_t;
  using pointer = void;
  using reference = Pair;

  explicit pair_iterator(const buildinfo_field* at = nullptr) noexcept : at_(at) {}
  Pair operator*() const noexcept { return Pair{view(at_->key, at_->key_size), view(at_->value, at_->value_size)}; }
  pair_iterator& operator++() noexcept {
    ++at_;
    return *this;
  }
  pair_iterator operator++(int) noexcept {
    pair_iterator before = *this;
    ++at_;
    return before;
  }
  bool operator==(const pair_iterator& other) const noexcept { return at_ == other.at_; }
  bool operator!=(const pair_iterator& other) const noexcept { return at_ != other.at_; }

 private:
  const buildinfo_field* at_;
};

}  // namespace detail

// A parsed record: a small value that refers to text owned elsewhere (for
// read(): the process; for parse_slot(): the caller's storage).
class record {
 public:
  // Visits the fields in key order, yielding each as a field value.
  using iterator = detail::pair_iterator<field>;

  // An empty record, status not_stamped.
  record() noexcept : c_{BUILDINFO_NOT_STAMPED, 0, 0, 0, "", 0, nullptr, 0} {}
  explicit record(const buildinfo_record& c) noexcept : c_(c) {}

  status state() const noexcept { return static_cast<status>(c_.status); }
  bool stamped() const noexcept { return c_.status == BUILDINFO_OK; }

  // The value of `key`, or an empty view when absent.
  std::string_view get(std::string_view key) const noexcept {
    const buildinfo_field* f = buildinfo_record_find(&c_, key.data(), key.size());
    return f == nullptr ? std::string_view() : detail::view(f->value, f->value_size);
  }
  bool contains(std::string_view key) const noexcept {
    return buildinfo_record_find(&c_, key.data(), key.size()) != nullptr;
  }

  // All fields, sorted by key.
  iterator begin() const noexcept { return iterator(c_.fields); }
  iterator end() const noexcept { return iterator(c_.fields == nullptr ? nullptr : c_.fields + c_.field_count); }
  std::size_t size() const noexcept { return c_.field_count; }
  field operator[](std::size_t index) const noexcept { return *iterator(c_.fields + index); }

  // Slot header facts.
  std::uint32_t format_version() const noexcept { return c_.format_version; }
  std::uint32_t capacity() const noexcept { return c_.capacity; }
  std::uint32_t signature_algorithm() const noexcept { return c_.signature_algorithm; }
  // Hex SHA-256 of the signing public key, empty when unsigned.
  std::string_view key_id() const noexcept { return detail::view(c_.key_id, c_.key_id_size); }

  // Convenience accessors for the common keys.
  std::string_view revision() const noexcept { return get("vcs.revision"); }
  std::string_view project_version() const noexcept { return get("project.version"); }

  // The C record it wraps.
  const buildinfo_record& c_record() const noexcept { return c_; }
  buildinfo_record& c_record() noexcept { return c_; }

 private:
  buildinfo_record c_;
};

// The record of the module (executable or library) this call is linked into.
// Parsed once on first use; thread-safe; never throws; no file I/O. The
// value returned refers to text that lives as long as the process.
inline record read() noexcept { return record(*buildinfo_read()); }

// Parses slot bytes (header + payload) into `out`. Exposed for tests and
// tools: `storage` (pointer-aligned) must have room for parse_storage_size
// bytes. Returns the resulting status; allocates nothing.
inline std::size_t parse_storage_size(std::size_t slot_size) noexcept {
  return buildinfo_parse_storage_size(slot_size);
}
inline status parse_slot(const unsigned char* slot, std::size_t slot_size, void* storage, std::size_t storage_size,
                         record& out) noexcept {
  return static_cast<status>(buildinfo_parse_slot(slot, slot_size, storage, storage_size, &out.c_record()));
}

}  // namespace buildinfo

#if defined(__GNUC__) && !defined(_WIN32)
#pragma GCC visibility pop
#endif

#endif  // BUILDINFO_BUILDINFO_HPP
