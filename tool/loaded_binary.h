// A binary read from disk and scanned, with errors that name the file.
#pragma once

#include <string>
#include <vector>

#include "binary_format.h"

namespace buildinfo {

struct LoadedBinary {
  std::string path;
  std::vector<uint8_t> bytes;
  BinaryFacts facts;

  ByteView view() const { return ByteView(bytes.data(), bytes.size()); }
};

// Reads and scans `path`. Throws Error with the file name in the message.
LoadedBinary load_binary(const std::string& path);

// Throws Error(no_record) with the actionable "how to add a slot" text when
// the binary has no slot.
void require_slot(const LoadedBinary& binary);

}  // namespace buildinfo
