// A binary read from disk and scanned, with errors that name the file.
#pragma once

#include <string>

#include "formats/binary_image.h"
#include "support/mapped_file.h"

namespace buildinfo {

struct LoadedBinary {
  std::string path;
  MappedFile file;
  BinaryImage image;

  ByteView view() const { return file.view(); }
  const BinaryFacts& facts() const { return image.facts(); }
};

// Reads and scans `path`. Throws Error with the file name in the message.
// `whole`: the caller will read every byte (see MappedFile).
LoadedBinary load_binary(const std::string& path, bool whole = true);

// Throws Error(no_record) with the actionable "how to add a slot" text when
// the binary has no slot.
void require_slot(const LoadedBinary& binary);

// Throws Error(bad_input) naming the file when a slot is one the program
// cannot read at run time (SlotLocation::not_loaded): stamping it would
// write a record nothing reads.
void require_loaded_slots(const LoadedBinary& binary);

}  // namespace buildinfo
