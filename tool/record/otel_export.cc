// Maps a payload read from a file to OpenTelemetry attributes and encodes them.
#include "record/otel_export.h"

#include <vector>

#include "buildinfo/otel.h"

namespace buildinfo {

std::string otel_resource_attributes_for(const Payload& record, bool stamped, const std::string& gnu_build_id,
                                         const std::string& key_id) {
  // The same pure functions the program runs on its own record, so both
  // compute the same string. A Payload is sorted bytewise, as they expect.
  std::vector<buildinfo_field> fields;
  for (const auto& [key, value] : record) fields.push_back({key.c_str(), key.size(), value.c_str(), value.size()});
  std::vector<buildinfo_otel_attribute> attributes(buildinfo_otel_attribute_count_max(fields.size()));
  std::string text(buildinfo_otel_text_size_max(fields.data(), fields.size(), gnu_build_id.data(), gnu_build_id.size(),
                                                key_id.data(), key_id.size()),
                   '\0');
  attributes.resize(buildinfo_otel_map_record(fields.data(), fields.size(), gnu_build_id.data(), gnu_build_id.size(),
                                              key_id.data(), key_id.size(), stamped, attributes.data(),
                                              attributes.size(), text.data(), text.size()));
  std::string encoded(buildinfo_otel_encode(attributes.data(), attributes.size(), nullptr, 0) + 1, '\0');
  encoded.resize(buildinfo_otel_encode(attributes.data(), attributes.size(), encoded.data(), encoded.size()));
  return encoded;
}

}  // namespace buildinfo
