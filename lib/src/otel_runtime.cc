// The process side of the OpenTelemetry mapping: this module's attributes,
// its GNU build-id read in memory, the environment merge, and the C API.
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>

#include "buildinfo/otel.h"
#include "buildinfo/otel.hpp"

#include "elf_loaded_notes.h"

namespace buildinfo {
namespace otel {
namespace {

// Build-ids are 16 (md5, uuid) or 20 (sha1) bytes; --build-id=0x... may be
// longer. Longer than this is reported as absent.
constexpr std::size_t kMaxBuildIdBytes = 128;
constexpr std::uint32_t kNtGnuBuildId = 3;

struct build_id_text {
  char hex[2 * kMaxBuildIdBytes + 1] = {};
  std::size_t size = 0;
};

#if defined(BUILDINFO_HAVE_DL_ITERATE_PHDR)

// Any object of this module: its address lies in one of the module's PT_LOAD
// segments, which is how dl_iterate_phdr tells the module apart from others.
const char kModuleAnchor = 0;

int visit_object(dl_phdr_info* info, std::size_t, void* data) noexcept {
  if (!detail::object_contains(*info, &kModuleAnchor)) return 0;  // keep looking
  build_id_text& out = *static_cast<build_id_text*>(data);
  detail::note_contents note;
  if (detail::find_loaded_note(*info, "GNU", 4, kNtGnuBuildId, note) && note.size > 0 &&
      note.size <= kMaxBuildIdBytes) {
    static const char kHex[] = "0123456789abcdef";
    for (std::size_t i = 0; i < note.size; ++i) {
      out.hex[2 * i] = kHex[note.desc[i] >> 4];
      out.hex[2 * i + 1] = kHex[note.desc[i] & 0xf];
    }
    out.hex[2 * note.size] = '\0';
    out.size = 2 * note.size;
  }
  return 1;  // this module found: stop
}

build_id_text read_build_id() noexcept {
  build_id_text id;
  dl_iterate_phdr(visit_object, &id);
  return id;
}

#else

// PE and Mach-O have no GNU build-id note (Mach-O's LC_UUID is another
// attribute); freestanding ELF has no loader to ask.
build_id_text read_build_id() noexcept { return {}; }

#endif

attribute_list build_attributes() noexcept {
  const record& r = read();
  const std::string_view id = gnu_build_id();
  const std::size_t capacity = attribute_count_max(r.size());
  const std::size_t text_size = text_size_max(r, id);
  // Encoding at most triples each byte; '=' and ',' fit in the NULs the
  // text has per key and value.
  const std::size_t encoded_size = 3 * text_size + 1;
  // One allocation for the life of the process, never freed (like read()).
  void* storage = std::malloc(capacity * sizeof(attribute) + text_size + encoded_size);
  if (storage == nullptr) return {};
  attribute* attrs = new (storage) attribute[capacity];
  char* text = static_cast<char*>(storage) + capacity * sizeof(attribute);
  char* encoded = text + text_size;
  const std::size_t count = map_record(r, id, attrs, capacity, text, text_size);
  const std::size_t length = encode(attrs, count, encoded, encoded_size);
  return attribute_list(attrs, count, std::string_view(encoded, length));
}

int set_environment(const char* name, const char* value) noexcept {
#if defined(_WIN32)
  return _putenv_s(name, value);
#else
  return setenv(name, value, 1) == 0 ? 0 : errno;
#endif
}

}  // namespace

std::string_view gnu_build_id() noexcept {
  // C++11 guarantees thread-safe one-time initialization.
  static const build_id_text id = read_build_id();
  return std::string_view(id.hex, id.size);
}

const attribute_list& attributes() noexcept {
  static const attribute_list list = build_attributes();
  return list;
}

std::string_view encoded() noexcept { return attributes().encoded(); }

int merge_into_environment() noexcept {
  const attribute_list& list = attributes();
  if (list.empty()) return ENOMEM;  // a computed list always holds buildinfo.stamped
  const char* current = std::getenv(kEnvironmentVariable);
  const std::string_view existing = current == nullptr ? std::string_view() : std::string_view(current);
  const std::size_t length = merge(existing, list.begin(), list.size(), nullptr, 0);
  if (current != nullptr && length == existing.size()) return 0;  // every key already set
  // The merged value depends on the environment at the time of the call: a
  // short-lived buffer, freed once setenv has copied it.
  char* value = static_cast<char*>(std::malloc(length + 1));
  if (value == nullptr) return ENOMEM;
  merge(existing, list.begin(), list.size(), value, length + 1);
  const int result = set_environment(kEnvironmentVariable, value);
  std::free(value);
  return result;
}

}  // namespace otel
}  // namespace buildinfo

extern "C" {

size_t buildinfo_otel_attribute_count(void) { return buildinfo::resource_attributes().size(); }

// Keys and values point at NUL-terminated copies made by map_record.
const char* buildinfo_otel_attribute_key(size_t index) {
  const buildinfo::otel::attribute_list& list = buildinfo::resource_attributes();
  return index < list.size() ? list[index].key.data() : nullptr;
}

const char* buildinfo_otel_attribute_value(size_t index) {
  const buildinfo::otel::attribute_list& list = buildinfo::resource_attributes();
  return index < list.size() ? list[index].value.data() : nullptr;
}

const char* buildinfo_otel_get(const char* key) {
  if (key == nullptr) return nullptr;
  for (const buildinfo::otel::attribute& a : buildinfo::resource_attributes())
    if (a.key == key) return a.value.data();
  return nullptr;
}

const char* buildinfo_otel_resource_attributes(void) { return buildinfo::otel::encoded().data(); }

const char* buildinfo_otel_gnu_build_id(void) { return buildinfo::otel::gnu_build_id().data(); }

int buildinfo_otel_merge_environment(void) { return buildinfo::otel::merge_into_environment(); }

}  // extern "C"
