// describe_with_lief: the LIEF plug-in's typed result (plugin_abi.h) as a
// LiefDescription.
#include "describe/lief_description.h"

#include <memory>

#include "plugins/plugin_loader.h"

namespace buildinfo {
namespace {

std::string text(const char* value) { return value != nullptr ? value : ""; }

std::optional<std::string> optional_text(const char* value) {
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

LiefDescription from_plugin(const buildinfo_lief_description& in) {
  LiefDescription out;
  if (in.error != nullptr) {
    out.error = in.error;
    return out;
  }
  out.format = text(in.format);
  out.architecture = text(in.architecture);
  out.bits = in.bits;
  out.object_type = text(in.object_type);
  out.endianness = text(in.endianness);
  if (in.has_entrypoint != 0) out.entrypoint = in.entrypoint;
  out.pie = in.pie != 0;
  out.nx = in.nx != 0;
  out.os_abi = optional_text(in.os_abi);
  out.interpreter = optional_text(in.interpreter);
  if (in.code_signature >= 0) out.code_signature = in.code_signature != 0;
  out.install_name = optional_text(in.install_name);
  if (in.sections != nullptr) {
    for (uint64_t i = 0; i < in.section_count; ++i) {
      const buildinfo_lief_section& section = in.sections[i];
      out.sections.push_back({text(section.name), section.offset, section.size, section.address, section.virtual_size});
    }
  }
  if (in.libraries != nullptr) {
    for (uint64_t i = 0; i < in.library_count; ++i)
      if (in.libraries[i] != nullptr) out.libraries.emplace_back(in.libraries[i]);
  }
  return out;
}

LiefDescription failed(const std::string& message) {
  LiefDescription out;
  out.error = message;
  return out;
}

}  // namespace

LiefDescription describe_with_lief(const std::string& path) {
  const buildinfo_lief_plugin* plugin = nullptr;
  try {
    plugin = &lief_plugin();
  } catch (const PluginMissing& e) {  // an install without LIEF: inspect goes on without
    return failed(e.what());
  }
  const std::unique_ptr<buildinfo_lief_description, void (*)(buildinfo_lief_description*)> description(
      plugin->describe(path.c_str()), plugin->release_description);
  if (!description) return failed("out of memory");
  return from_plugin(*description);
}

}  // namespace buildinfo
