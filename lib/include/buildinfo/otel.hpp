// The build record as OpenTelemetry resource attributes (docs/OPENTELEMETRY.md).
// Header-only over the C API (otel.h); nothing here allocates or throws.
#ifndef BUILDINFO_OTEL_HPP
#define BUILDINFO_OTEL_HPP

#include "buildinfo/buildinfo.hpp"  // first: it checks the language version

#include <cstddef>
#include <iterator>
#include <string_view>

#include "buildinfo/otel.h"

#if defined(__GNUC__) && !defined(_WIN32)
#pragma GCC visibility push(hidden)  // see buildinfo.hpp
#endif

namespace buildinfo {
namespace otel {

// The semantic-conventions release the attribute names follow, and its
// schema URL (https://opentelemetry.io/docs/specs/otel/schemas/).
inline constexpr std::string_view kSemconvVersion = "1.44.0";
inline constexpr std::string_view kSchemaUrl = "https://opentelemetry.io/schemas/1.44.0";

// The environment variable the SDKs read resource attributes from.
inline constexpr const char* kEnvironmentVariable = "OTEL_RESOURCE_ATTRIBUTES";

// The attribute key of the loaded modules' list (modules_value).
inline constexpr const char* kModulesKey = "buildinfo.modules";

// One resource attribute. All values are strings. Views produced by this
// library point at NUL-terminated text (data()[size()] == '\0').
struct attribute {
  std::string_view key;
  std::string_view value;
};

// A read-only list of attributes, sorted by key, keys unique.
class attribute_list {
 public:
  using iterator = detail::pair_iterator<attribute>;

  constexpr attribute_list() noexcept = default;
  attribute_list(const buildinfo_otel_attribute* items, std::size_t count, std::string_view encoded) noexcept
      : items_(items), count_(count), encoded_(encoded) {}

  iterator begin() const noexcept { return iterator(items_); }
  iterator end() const noexcept { return iterator(items_ == nullptr ? nullptr : items_ + count_); }
  std::size_t size() const noexcept { return count_; }
  bool empty() const noexcept { return count_ == 0; }
  attribute operator[](std::size_t i) const noexcept { return *iterator(items_ + i); }

  // The value of `key`, or an empty view when absent.
  std::string_view get(std::string_view key) const noexcept {
    for (const attribute a : *this)
      if (a.key == key) return a.value;
    return {};
  }
  bool contains(std::string_view key) const noexcept {
    for (const attribute a : *this)
      if (a.key == key) return true;
    return false;
  }

  // The list in OTEL_RESOURCE_ATTRIBUTES form (NUL-terminated).
  std::string_view encoded() const noexcept { return encoded_; }

 private:
  const buildinfo_otel_attribute* items_ = nullptr;
  std::size_t count_ = 0;
  std::string_view encoded_ = std::string_view("", 0);  // data() is never null
};

// ---------------------------------------------------------------------------
// Process layer: this module's record (read()) plus its build-id in memory.
// Computed once on first use; thread-safe; no file I/O (otel.h).
// ---------------------------------------------------------------------------

// The attributes of this module (the same list as buildinfo::resource_attributes()).
inline attribute_list attributes() noexcept {
  std::size_t count = 0;
  const buildinfo_otel_attribute* items = buildinfo_otel_attributes(&count);
  return attribute_list(items, count, buildinfo_otel_resource_attributes());
}

// They in OTEL_RESOURCE_ATTRIBUTES form, NUL-terminated, static.
inline std::string_view encoded() noexcept { return buildinfo_otel_resource_attributes(); }

// Hex of this module's GNU build-id note (NT_GNU_BUILD_ID), found in memory
// with dl_iterate_phdr; empty on non-ELF platforms or when the module has none.
inline std::string_view gnu_build_id() noexcept { return buildinfo_otel_gnu_build_id(); }

// Adds the attributes to OTEL_RESOURCE_ATTRIBUTES in this process's
// environment, keeping every key the variable already defines (the user's
// settings win). Returns 0, or an errno value. setenv is not thread-safe
// against concurrent getenv: call this at startup, before the OpenTelemetry
// SDK and other threads start.
inline int merge_into_environment() noexcept { return buildinfo_otel_merge_environment(); }

// Every stamped module loaded now, as one value for kModulesKey (see
// buildinfo_otel_modules_value in otel.h). Returns the length of the whole
// value like snprintf; writes at most `capacity` bytes.
inline std::size_t modules_value(char* out, std::size_t capacity) noexcept {
  return buildinfo_otel_modules_value(out, capacity);
}

// ---------------------------------------------------------------------------
// Pure layer (otel.h): no globals, no I/O, no allocation.
// ---------------------------------------------------------------------------

// Whether the OTEL_RESOURCE_ATTRIBUTES value `encoded_list` defines `key`,
// read as opentelemetry-cpp reads it (keys as written, see otel.h);
// `*raw_value` (may be null) is set to the value as written, not decoded.
inline bool find(std::string_view encoded_list, std::string_view key, std::string_view* raw_value) noexcept {
  const char* raw = nullptr;
  std::size_t raw_size = 0;
  if (!buildinfo_otel_find(encoded_list.data(), encoded_list.size(), key.data(), key.size(), &raw, &raw_size))
    return false;
  if (raw_value != nullptr) *raw_value = detail::view(raw, raw_size);
  return true;
}

// Percent-decodes `in`; returns and writes like snprintf.
inline std::size_t percent_decode(std::string_view in, char* out, std::size_t capacity) noexcept {
  return buildinfo_otel_percent_decode(in.data(), in.size(), out, capacity);
}

// The mapping and encoding of any record (the tool applies them to a record
// read from a file); see otel.h for the bounds and results.
inline std::size_t attribute_count_max(std::size_t field_count) noexcept {
  return buildinfo_otel_attribute_count_max(field_count);
}
inline std::size_t text_size_max(const record& r, std::string_view gnu_build_id_hex) noexcept {
  const buildinfo_record& c = r.c_record();
  return buildinfo_otel_text_size_max(c.fields, c.field_count, gnu_build_id_hex.data(), gnu_build_id_hex.size(),
                                      c.key_id, c.key_id_size);
}
inline std::size_t map_record(const record& r, std::string_view gnu_build_id_hex, buildinfo_otel_attribute* out,
                              std::size_t capacity, char* text, std::size_t text_capacity) noexcept {
  const buildinfo_record& c = r.c_record();
  return buildinfo_otel_map_record(c.fields, c.field_count, gnu_build_id_hex.data(), gnu_build_id_hex.size(), c.key_id,
                                   c.key_id_size, r.stamped(), out, capacity, text, text_capacity);
}

}  // namespace otel

// This module's build record as OpenTelemetry resource attributes.
inline otel::attribute_list resource_attributes() noexcept { return otel::attributes(); }

}  // namespace buildinfo

#if defined(__GNUC__) && !defined(_WIN32)
#pragma GCC visibility pop
#endif

#endif  // BUILDINFO_OTEL_HPP
