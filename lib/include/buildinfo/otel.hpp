// The build record as OpenTelemetry resource attributes (docs/OPENTELEMETRY.md).
#ifndef BUILDINFO_OTEL_HPP
#define BUILDINFO_OTEL_HPP

#include <cstddef>
#include <string_view>

#include "buildinfo/buildinfo.hpp"

namespace buildinfo {
namespace otel {

// The semantic-conventions release the attribute names follow, and its
// schema URL (https://opentelemetry.io/docs/specs/otel/schemas/).
inline constexpr std::string_view kSemconvVersion = "1.44.0";
inline constexpr std::string_view kSchemaUrl = "https://opentelemetry.io/schemas/1.44.0";

// The environment variable the SDKs read resource attributes from.
inline constexpr const char* kEnvironmentVariable = "OTEL_RESOURCE_ATTRIBUTES";

// One resource attribute. All values are strings. Views produced by this
// library point at NUL-terminated text (data()[size()] == '\0').
struct attribute {
  std::string_view key;
  std::string_view value;
};

// A read-only list of attributes, sorted by key, keys unique.
class attribute_list {
 public:
  constexpr attribute_list() noexcept = default;
  constexpr attribute_list(const attribute* items, std::size_t count, std::string_view encoded) noexcept
      : items_(items), count_(count), encoded_(encoded) {}

  const attribute* begin() const noexcept { return items_; }
  const attribute* end() const noexcept { return items_ + count_; }
  std::size_t size() const noexcept { return count_; }
  bool empty() const noexcept { return count_ == 0; }
  const attribute& operator[](std::size_t i) const noexcept { return items_[i]; }

  // The value of `key`, or an empty view when absent.
  std::string_view get(std::string_view key) const noexcept;
  bool contains(std::string_view key) const noexcept;

  // The list in OTEL_RESOURCE_ATTRIBUTES form (NUL-terminated).
  std::string_view encoded() const noexcept { return encoded_; }

 private:
  const attribute* items_ = nullptr;
  std::size_t count_ = 0;
  std::string_view encoded_ = std::string_view("", 0);  // data() is never null
};

// ---------------------------------------------------------------------------
// Pure layer: no globals, no I/O, no allocation. The tool uses it on a record
// read from a file, the runtime on its own record.
//
//   std::vector<otel::attribute> attrs(otel::attribute_count_max(fields.size()));
//   std::string text(otel::text_size_max(fields.data(), fields.size(), build_id, key_id), '\0');
//   attrs.resize(otel::map_record(fields.data(), fields.size(), build_id, key_id, stamped,
//                                 attrs.data(), attrs.size(), text.data(), text.size()));
//   std::string env(otel::encode(attrs.data(), attrs.size(), nullptr, 0) + 1, '\0');
//   env.resize(otel::encode(attrs.data(), attrs.size(), env.data(), env.size()));
// ---------------------------------------------------------------------------

// Upper bound of the attributes map_record produces from `field_count` fields.
std::size_t attribute_count_max(std::size_t field_count) noexcept;

// Upper bound of the text map_record writes (keys and values, each with a NUL).
std::size_t text_size_max(const field* fields, std::size_t field_count, std::string_view gnu_build_id_hex,
                          std::string_view key_id_hex) noexcept;

// Maps payload fields to attributes (the table in docs/OPENTELEMETRY.md),
// sorted by key. Keys and values are copied, NUL-terminated, into `text`, so
// the output does not refer to the inputs. When `stamped` is false the fields
// are ignored: the result is `buildinfo.stamped=false` and the build-id (if
// any). `gnu_build_id_hex` and `key_id_hex` may be empty (absent). Returns
// the number of attributes written (at least 1), or 0 when `capacity` or
// `text_capacity` is smaller than the bounds above.
std::size_t map_record(const field* fields, std::size_t field_count, std::string_view gnu_build_id_hex,
                       std::string_view key_id_hex, bool stamped, attribute* out, std::size_t capacity,
                       char* text, std::size_t text_capacity) noexcept;

// The same for a parsed record (its fields, key id and state).
std::size_t text_size_max(const record& r, std::string_view gnu_build_id_hex) noexcept;
std::size_t map_record(const record& r, std::string_view gnu_build_id_hex, attribute* out, std::size_t capacity,
                       char* text, std::size_t text_capacity) noexcept;

// Writes `k=v` pairs joined by `,` in the given order. Keys and values are
// percent-encoded (uppercase hex) exactly where needed: `,` `=` `%`, space and
// every byte below 0x20 or equal to 0x7f. Other bytes, non-ASCII UTF-8
// included, are kept as they are, because opentelemetry-cpp up to v1.28.0 and
// other older SDKs do not percent-decode (SPECS.md, OpenTelemetry).
// Returns the length of the whole string like snprintf does; writes at most
// `capacity` bytes, NUL-terminated when `capacity` > 0 (truncated when short).
std::size_t encode(const attribute* attrs, std::size_t count, char* out, std::size_t capacity) noexcept;

// `existing` (an OTEL_RESOURCE_ATTRIBUTES value) kept byte for byte, followed
// by every attribute whose key `existing` does not already define. Returns
// and writes like encode.
std::size_t merge(std::string_view existing, const attribute* attrs, std::size_t count, char* out,
                  std::size_t capacity) noexcept;

// Looks `key` up in an OTEL_RESOURCE_ATTRIBUTES value: entries split on `,`,
// each on its first `=`, blanks (space, tab) around keys and values trimmed,
// keys percent-decoded before comparing; the last entry for a key wins, as
// in the SDKs. Sets `*raw_value` (may be null) to the value as written, not
// decoded. Entries without `=` define nothing.
bool find(std::string_view encoded_list, std::string_view key, std::string_view* raw_value) noexcept;

// Percent-decodes `in` (`%` and two hex digits, either case; a `%` not
// followed by two hex digits is kept as is). Returns and writes like encode;
// the result is never longer than `in`.
std::size_t percent_decode(std::string_view in, char* out, std::size_t capacity) noexcept;

// ---------------------------------------------------------------------------
// Process layer: this module's record (read()) plus its build-id in memory.
// Computed once on first use; thread-safe; no file I/O; one allocation that
// lives as long as the process.
// ---------------------------------------------------------------------------

// Hex of this module's GNU build-id note (NT_GNU_BUILD_ID), found in memory
// with dl_iterate_phdr; empty on non-ELF platforms or when the module has none.
std::string_view gnu_build_id() noexcept;

// The attributes of this module (the same list as buildinfo::resource_attributes()).
const attribute_list& attributes() noexcept;

// They in OTEL_RESOURCE_ATTRIBUTES form, NUL-terminated, static.
std::string_view encoded() noexcept;

// Adds the attributes to OTEL_RESOURCE_ATTRIBUTES in this process's
// environment, keeping every key the variable already defines (the user's
// settings win). Returns 0, or an errno value (ENOMEM, or setenv's error).
// setenv is not thread-safe against concurrent getenv: call this at startup,
// before the OpenTelemetry SDK and other threads start.
int merge_into_environment() noexcept;

}  // namespace otel

namespace otel {

// The attribute key of the loaded modules' list (modules_value).
inline constexpr const char* kModulesKey = "buildinfo.modules";

// Every stamped module loaded now (buildinfo::for_each_module), as one
// attribute value for kModulesKey: `<file name>@<vcs.revision>` per module,
// with `+modified` when its tree was dirty, `@not-stamped` for an empty
// slot, joined by `;` in load order, e.g.
//   app@1a2b...;libcore.so@3c4d...+modified;libplugin.so@5e6f...
// Call it after the plugins of interest are loaded. Returns the length of
// the whole value like snprintf; writes at most `capacity` bytes,
// NUL-terminated when `capacity` > 0. No file I/O.
std::size_t modules_value(char* out, std::size_t capacity) noexcept;

}  // namespace otel

// This module's build record as OpenTelemetry resource attributes.
inline const otel::attribute_list& resource_attributes() noexcept { return otel::attributes(); }

}  // namespace buildinfo

#endif  // BUILDINFO_OTEL_HPP
