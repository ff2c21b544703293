// buildinfo-lief.so: the description of a binary by LIEF (Debian's LIEF 0.9
// API), behind the table of plugin_abi.h. The only code that parses with
// LIEF; the tool and the test tools call it through describe_with_lief
// (lief_description.cc).
#include <LIEF/LIEF.hpp>

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "plugins/plugin_abi.h"

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

// Section and library names are the file's bytes, which need not be UTF-8:
// each sequence that is not becomes U+FFFD, as nlohmann::json's `replace`
// handler writes it (README, inspect --json), and the rest is kept.
std::string valid_utf8(const std::string& text) {
  constexpr auto replace = nlohmann::json::error_handler_t::replace;
  return nlohmann::json::parse(nlohmann::json(text).dump(-1, ' ', false, replace)).get<std::string>();
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

// A description and everything it points into; `strings` is a deque so
// that adding one moves none of the others.
struct OwnedDescription {
  buildinfo_lief_description description{};
  std::deque<std::string> strings;
  std::vector<buildinfo_lief_section> sections;
  std::vector<const char*> libraries;

  OwnedDescription() {
    description.code_signature = -1;
    description.owner = this;
  }
  const char* keep(const std::string& text) {
    strings.push_back(valid_utf8(text));
    return strings.back().c_str();
  }
};

void describe_into(OwnedDescription& owned, const std::string& path) {
  buildinfo_lief_description& out = owned.description;
  std::unique_ptr<LIEF::Binary> binary = parse(path);
  if (!binary) {
    out.error = owned.keep("LIEF could not parse the file");
    return;
  }
  const LIEF::Header header = binary->header();
  out.format = owned.keep(LIEF::to_string(binary->format()));
  out.architecture = owned.keep(LIEF::to_string(header.architecture()));
  out.bits = header.is_64() ? 64 : (header.is_32() ? 32 : 0);
  out.object_type = owned.keep(LIEF::to_string(header.object_type()));
  out.endianness = owned.keep(LIEF::to_string(header.endianness()));
  // LIEF 0.9 throws for a Mach-O dylib, which has no entry point; the rest
  // of the description still holds.
  try {
    out.entrypoint = binary->entrypoint();
    out.has_entrypoint = 1;
  } catch (const std::exception&) {
    out.has_entrypoint = 0;
  }
  out.pie = binary->is_pie() ? 1 : 0;
  out.nx = binary->has_nx() ? 1 : 0;
  if (binary->format() == LIEF::EXE_FORMATS::FORMAT_ELF) {
    const auto& elf = static_cast<const LIEF::ELF::Binary&>(*binary);
    out.os_abi = owned.keep(LIEF::ELF::to_string(elf.header().identity_os_abi()));
    if (elf.has_interpreter()) out.interpreter = owned.keep(elf.interpreter());
  }
  for (const LIEF::Section& section : binary->sections()) {
    buildinfo_lief_section entry{};
    entry.name = owned.keep(section_name(*binary, section));
    entry.offset = section.offset();
    entry.size = section.size();
    entry.address = section.virtual_address();
    if (binary->format() == LIEF::EXE_FORMATS::FORMAT_PE)
      entry.virtual_size = static_cast<const LIEF::PE::Section&>(section).virtual_size();
    owned.sections.push_back(entry);
  }
  if (binary->format() == LIEF::EXE_FORMATS::FORMAT_MACHO) {
    const auto& macho = static_cast<const LIEF::MachO::Binary&>(*binary);
    out.code_signature = macho.has_code_signature() ? 1 : 0;
    // LIEF 0.9 lists a dylib's own name (LC_ID_DYLIB) among the libraries
    // it imports; it is the install name, not an import.
    for (const LIEF::MachO::DylibCommand& library : macho.libraries()) {
      if (library.command() == LIEF::MachO::LOAD_COMMAND_TYPES::LC_ID_DYLIB)
        out.install_name = owned.keep(library.name());
      else
        owned.libraries.push_back(owned.keep(library.name()));
    }
  } else {
    for (const std::string& library : binary->imported_libraries()) owned.libraries.push_back(owned.keep(library));
  }
  out.sections = owned.sections.data();
  out.section_count = owned.sections.size();
  out.libraries = owned.libraries.data();
  out.library_count = owned.libraries.size();
}

buildinfo_lief_description* plugin_describe(const char* path) noexcept {
  try {
    auto owned = std::make_unique<OwnedDescription>();
    try {
      describe_into(*owned, path != nullptr ? path : "");
    } catch (const std::exception& e) {
      // Whatever was described is dropped: an error description has nothing else.
      owned = std::make_unique<OwnedDescription>();
      owned->description.error = owned->keep(std::string("LIEF: ") + e.what());
    }
    return &owned.release()->description;
  } catch (...) {  // out of memory
    return nullptr;
  }
}

void plugin_release_description(buildinfo_lief_description* description) noexcept {
  if (description != nullptr) delete static_cast<OwnedDescription*>(description->owner);
}

}  // namespace
}  // namespace buildinfo

extern "C" __attribute__((visibility("default"))) const buildinfo_lief_plugin buildinfo_plugin = {
    {BUILDINFO_PLUGIN_ABI, BUILDINFO_PLUGIN_LIEF, BUILDINFO_VERSION, sizeof(buildinfo_lief_plugin)},
    buildinfo::plugin_describe,
    buildinfo::plugin_release_description,
};
