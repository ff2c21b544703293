// The PE resource table (data directory 2, the .rsrc section): finds the
// version resources (RT_VERSION) among a PE image's resources.
// https://learn.microsoft.com/en-us/windows/win32/debug/pe-format#the-rsrc-section
#pragma once

#include <cstdint>
#include <vector>

#include "formats/binary_format.h"
#include "support/byte_view.h"

namespace buildinfo {

// The data directory entry of the resource table: an RVA and a size.
struct ResourceDirectoryEntry {
  uint32_t rva;
  uint32_t size;
};

// Every RT_VERSION resource of the resource table at `table`, its data
// mapped to file bytes through `sections` (the image's, with their RVAs).
// Only the RT_VERSION branch of the tree is walked. Throws malformed()
// naming the defect when the branch or a resource's data lies outside the
// file or outside the sections' file bytes.
std::vector<VersionResource> find_version_resources(ByteView file, ResourceDirectoryEntry table,
                                                    const std::vector<SectionInfo>& sections);

}  // namespace buildinfo
