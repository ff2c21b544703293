// LIEF-based description of binaries (Debian's LIEF 0.9 API).
#include "lief_description.h"

#include <LIEF/LIEF.hpp>

#include <sstream>

namespace buildinfo {
namespace {

// LIEF 0.9 logs parse warnings to the terminal; inspect's output is ours.
void quiet_lief() {
  static const bool disabled = [] {
    LIEF::Logger::disable();
    return true;
  }();
  (void)disabled;
}

std::string hex(uint64_t value) {
  std::ostringstream out;
  out << "0x" << std::hex << value;
  return out.str();
}

// Section names as LIEF reports them; Mach-O ones carry their segment.
std::string section_name(const LIEF::Binary& binary, const LIEF::Section& section) {
  if (binary.format() == LIEF::EXE_FORMATS::FORMAT_MACHO) {
    const auto& macho_section = static_cast<const LIEF::MachO::Section&>(section);
    return macho_section.segment_name() + "," + section.name();
  }
  return section.name();
}

std::unique_ptr<LIEF::Binary> parse(const std::string& path) {
  quiet_lief();
  if (LIEF::MachO::is_macho(path)) {
    // Universal files: describe the first slice.
    std::unique_ptr<LIEF::MachO::FatBinary> fat = LIEF::MachO::Parser::parse(path);
    if (!fat) return nullptr;
    // pop_back() hands over ownership; the last one popped is slice 0.
    std::unique_ptr<LIEF::Binary> first;
    while (fat->size() > 0) first.reset(fat->pop_back());
    return first;
  }
  return LIEF::Parser::parse(path);
}

}  // namespace

nlohmann::json describe_with_lief(const std::string& path) {
  nlohmann::json out = nlohmann::json::object();
  try {
    std::unique_ptr<LIEF::Binary> binary = parse(path);
    if (!binary) return {{"error", "LIEF could not parse the file"}};
    const LIEF::Header header = binary->header();
    out["format"] = LIEF::to_string(binary->format());
    out["architecture"] = LIEF::to_string(header.architecture());
    out["bits"] = header.is_64() ? 64 : (header.is_32() ? 32 : 0);
    out["object_type"] = LIEF::to_string(header.object_type());
    out["endianness"] = LIEF::to_string(header.endianness());
    // LIEF 0.9 throws for a Mach-O dylib, which has no entry point; the rest
    // of the description still holds.
    try {
      out["entrypoint"] = hex(binary->entrypoint());
    } catch (const std::exception&) {
      out["entrypoint"] = nullptr;
    }
    out["pie"] = binary->is_pie();
    out["nx"] = binary->has_nx();
    if (binary->format() == LIEF::EXE_FORMATS::FORMAT_ELF) {
      const auto& elf = static_cast<const LIEF::ELF::Binary&>(*binary);
      out["os_abi"] = LIEF::ELF::to_string(elf.header().identity_os_abi());
      if (elf.has_interpreter()) out["interpreter"] = elf.interpreter();
    }
    if (binary->format() == LIEF::EXE_FORMATS::FORMAT_MACHO) {
      const auto& macho = static_cast<const LIEF::MachO::Binary&>(*binary);
      out["code_signature"] = macho.has_code_signature();
    }
    nlohmann::json sections = nlohmann::json::array();
    for (const LIEF::Section& section : binary->sections()) {
      sections.push_back({{"name", section_name(*binary, section)},
                          {"offset", section.offset()},
                          {"size", section.size()},
                          {"address", hex(section.virtual_address())}});
    }
    out["sections"] = sections;
    out["libraries"] = binary->imported_libraries();
    if (binary->format() == LIEF::EXE_FORMATS::FORMAT_MACHO) {
      // LIEF 0.9 lists a dylib's own name (LC_ID_DYLIB) among the libraries
      // it imports; it is the install name, not an import.
      const auto& macho = static_cast<const LIEF::MachO::Binary&>(*binary);
      nlohmann::json imported = nlohmann::json::array();
      for (const LIEF::MachO::DylibCommand& library : macho.libraries()) {
        if (library.command() == LIEF::MachO::LOAD_COMMAND_TYPES::LC_ID_DYLIB) out["install_name"] = library.name();
        else imported.push_back(library.name());
      }
      out["libraries"] = imported;
    }
  } catch (const std::exception& e) {
    out = {{"error", std::string("LIEF: ") + e.what()}};
  }
  return out;
}

LiefSection lief_find_section(const std::string& path, const std::string& name) {
  LiefSection result;
  std::unique_ptr<LIEF::Binary> binary = parse(path);
  if (!binary) return result;
  for (const LIEF::Section& section : binary->sections()) {
    if (section_name(*binary, section) != name) continue;
    result.found = true;
    result.offset = section.offset();
    result.size = section.size();
    if (binary->format() == LIEF::EXE_FORMATS::FORMAT_PE) {
      // LIEF's PE size is SizeOfRawData (file-aligned); the section's bytes
      // are min(VirtualSize, SizeOfRawData), as our reader takes them.
      const auto& pe_section = static_cast<const LIEF::PE::Section&>(section);
      if (pe_section.virtual_size() != 0 && pe_section.virtual_size() < result.size)
        result.size = pe_section.virtual_size();
    }
    break;
  }
  return result;
}

}  // namespace buildinfo
