// OTEL_RESOURCE_ATTRIBUTES for a binary on disk, by the same mapping and
// encoding the runtime uses in the process (lib/src/otel_mapping.cc).
#pragma once

#include <string>

#include "record/payload.h"

namespace buildinfo {

// `record` is the payload (empty when not stamped); `gnu_build_id` and
// `key_id` are hex, empty when absent.
std::string otel_resource_attributes_for(const Payload& record, bool stamped, const std::string& gnu_build_id,
                                         const std::string& key_id);

}  // namespace buildinfo
