// The names of the formats (binary_format.h): the one place that maps the
// enums to the strings of the record, of `inspect` and of messages.
#include "formats/binary_format.h"

#include "buildinfo/slot_layout.h"

namespace buildinfo {

const char* format_name(Format format) {
  switch (format) {
    case Format::elf: return "elf";
    case Format::pe: return "pe";
    case Format::macho: return "macho";
  }
  throw internal_error("format " + std::to_string(static_cast<int>(format)) + " has no name");
}

const char* container_name(Container container) {
  switch (container) {
    case Container::elf: return "elf";
    case Container::pe: return "pe";
    case Container::macho: return "macho";
    case Container::macho_universal: return "macho-universal";
  }
  throw internal_error("container " + std::to_string(static_cast<int>(container)) + " has no name");
}

const char* missing_slot_detail(Container container) {
  switch (container) {
    case Container::elf:
      return "without a buildinfo note: no section " BUILDINFO_ELF_SECTION ", none in its PT_NOTE segments";
    case Container::pe: return "without section " BUILDINFO_PE_SECTION;
    case Container::macho:
    case Container::macho_universal: return "without section " BUILDINFO_MACHO_SEGMENT "," BUILDINFO_MACHO_SECTION;
  }
  throw internal_error("container " + std::to_string(static_cast<int>(container)) + " is unknown");
}

}  // namespace buildinfo
