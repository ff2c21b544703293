// Fuzz target: the runtime library's slot parser (parse_slot) on the input
// as slot bytes, then every accessor of the record and its OpenTelemetry
// mapping and encoding. The runtime is noexcept: nothing may throw here.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "buildinfo/buildinfo.hpp"
#include "buildinfo/otel.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace otel = buildinfo::otel;
  std::vector<unsigned char> storage(buildinfo::parse_storage_size(size));
  buildinfo::record record;
  const buildinfo::status state = buildinfo::parse_slot(data, size, storage.data(), storage.size(), record);
  (void)buildinfo::to_string(state);
  (void)record.key_id();
  (void)record.revision();
  (void)record.project_version();
  for (const buildinfo::field& f : record) {
    if (record.get(f.key) != f.value || !record.contains(f.key)) __builtin_trap();  // sorted, unique keys
  }

  const std::string_view build_id = "0123456789abcdef";
  std::vector<buildinfo_otel_attribute> attrs(otel::attribute_count_max(record.size()));
  std::string text(otel::text_size_max(record, build_id), '\0');
  attrs.resize(otel::map_record(record, build_id, attrs.data(), attrs.size(), text.data(), text.size()));
  if (attrs.empty()) __builtin_trap();  // the bounds above must always suffice
  std::string env(buildinfo_otel_encode(attrs.data(), attrs.size(), nullptr, 0) + 1, '\0');
  env.resize(buildinfo_otel_encode(attrs.data(), attrs.size(), env.data(), env.size()));
  for (const buildinfo_otel_attribute& a : attrs) {
    std::string_view raw;
    if (!otel::find(env, std::string_view(a.key, a.key_size), &raw))
      __builtin_trap();  // every encoded key is found again
  }
  return 0;
}
