// Every record of other tools that `inspect` reads in one binary: the
// package notes, the other tools' records, then the identifiers the linker
// wrote. Our own slots are not among them: inspect decodes those itself
// and puts them first.
#pragma once

#include <vector>

#include "embedded/embedded_record.h"
#include "formats/binary_format.h"
#include "support/byte_view.h"

namespace buildinfo {

// Never throws for a defect in one record: that record carries the defect
// in `error` and the others are still read.
std::vector<EmbeddedRecord> read_embedded_records(ByteView file, const BinaryFacts& facts);

}  // namespace buildinfo
