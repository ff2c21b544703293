// Maps a payload read from a file to OpenTelemetry attributes and encodes them.
#include "otel_export.h"

#include <vector>

#include "buildinfo/otel.hpp"

namespace buildinfo {

std::string otel_resource_attributes_for(const Payload& record, bool stamped, const std::string& gnu_build_id,
                                         const std::string& key_id) {
  std::vector<field> fields;
  for (const auto& [key, value] : record) fields.push_back(field{key, value});
  std::vector<otel::attribute> attributes(otel::attribute_count_max(fields.size()));
  std::string text(otel::text_size_max(fields.data(), fields.size(), gnu_build_id, key_id), '\0');
  attributes.resize(otel::map_record(fields.data(), fields.size(), gnu_build_id, key_id, stamped, attributes.data(),
                                     attributes.size(), text.data(), text.size()));
  std::string encoded(otel::encode(attributes.data(), attributes.size(), nullptr, 0) + 1, '\0');
  encoded.resize(otel::encode(attributes.data(), attributes.size(), encoded.data(), encoded.size()));
  return encoded;
}

}  // namespace buildinfo
