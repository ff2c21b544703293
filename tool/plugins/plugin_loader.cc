// dlopen() of the tool's plug-ins, next to the executable or where they are
// installed relative to it, and the check that they come from this build.
#include "plugins/plugin_loader.h"

#include <dlfcn.h>
#include <unistd.h>

#include <climits>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>
#include <vector>

#ifndef BUILDINFO_PLUGIN_DIR
#define BUILDINFO_PLUGIN_DIR "../lib/buildinfo"
#endif
#ifndef BUILDINFO_VERSION
#error "BUILDINFO_VERSION must be defined (tool/CMakeLists.txt): the plug-ins are checked against it"
#endif

namespace buildinfo {
namespace {

std::mutex& loader_mutex() {
  static std::mutex mutex;  // stamp reads the git facts on a thread of its own
  return mutex;
}

std::optional<std::string>& chosen_directory() {
  static std::optional<std::string> directory;
  return directory;
}

std::string executable_directory() {
  char path[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", path, sizeof path - 1);
  if (n <= 0) return ".";
  const std::string exe(path, static_cast<size_t>(n));
  return exe.substr(0, exe.rfind('/'));
}

std::vector<std::string> search_directories() {
  if (chosen_directory()) return {*chosen_directory()};
  const std::string directory = executable_directory();
  return {directory, directory + "/" BUILDINFO_PLUGIN_DIR};
}

const char* kind_name(uint32_t kind) {
  switch (kind) {
    case BUILDINFO_PLUGIN_GIT: return "git";
    case BUILDINFO_PLUGIN_LIEF: return "LIEF";
    case BUILDINFO_PLUGIN_OPENSSL: return "OpenSSL";
    default: return "unknown";
  }
}

// A version string from a file of unknown origin, kept short; main()
// escapes what a terminal would act on.
std::string shown_version(const char* version) {
  if (version == nullptr) return "(none)";
  const std::string text(version, ::strnlen(version, 65));
  return text.size() > 64 ? text.substr(0, 64) + "..." : text;
}

// The checked table of plug-in `name`, loaded on first use.
const void* plugin_table(const char* name, uint32_t kind, std::size_t size) {
  struct Loaded {
    const void* table = nullptr;
    std::string missing;  // PluginMissing's message
    std::string refused;  // PluginRefused's message
  };
  const std::lock_guard<std::mutex> lock(loader_mutex());
  static std::map<std::string, Loaded> loaded;
  const auto [it, first] = loaded.try_emplace(name);
  Loaded& plugin = it->second;
  if (first) {
    const std::vector<std::string> directories = search_directories();
    std::string looked, errors;
    for (const std::string& directory : directories) {
      looked += (looked.empty() ? "" : " and ") + directory;
      const std::string file = directory + "/" + name;
      if (::access(file.c_str(), F_OK) != 0) continue;
      void* handle = ::dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
      if (handle == nullptr) {
        const char* error = ::dlerror();
        errors += std::string("; ") + (error != nullptr ? error : file + ": dlopen failed");
        continue;
      }
      // The plug-in stays loaded, refused or not: its constructors have run.
      const auto* header = static_cast<const buildinfo_plugin_header*>(::dlsym(handle, BUILDINFO_PLUGIN_SYMBOL));
      try {
        check_plugin_header(file, header, kind, size);
        plugin.table = header;
      } catch (const PluginRefused& e) {
        plugin.refused = e.what();
      }
      break;
    }
    if (plugin.table == nullptr && plugin.refused.empty())
      plugin.missing =
          std::string("cannot load the plug-in ") + name + " (looked in " + looked + errors + "); reinstall buildinfo";
  }
  if (!plugin.refused.empty()) throw PluginRefused(plugin.refused);
  if (!plugin.missing.empty()) throw PluginMissing(plugin.missing);
  return plugin.table;
}

void require(bool present, const char* name, const char* what) {
  if (!present)
    throw PluginRefused(std::string("the plug-in ") + name + " has no " + what + " function; reinstall buildinfo");
}

}  // namespace

void check_plugin_header(const std::string& file, const buildinfo_plugin_header* header, uint32_t kind,
                         std::size_t size) {
  const std::string tool =
      std::string("this tool is " BUILDINFO_VERSION " (interface ") + std::to_string(BUILDINFO_PLUGIN_ABI) + ")";
  if (header == nullptr)
    throw PluginRefused(file +
                        " is not a plug-in of this build of buildinfo (it has no " BUILDINFO_PLUGIN_SYMBOL " table), " +
                        tool + "; reinstall buildinfo");
  const std::string version = shown_version(header->version);
  if (header->abi != BUILDINFO_PLUGIN_ABI || header->version == nullptr ||
      std::strcmp(header->version, BUILDINFO_VERSION) != 0)
    throw PluginRefused(file + " is from another build of buildinfo: the plug-in is " + version + " (interface " +
                        std::to_string(header->abi) + "), " + tool + "; reinstall buildinfo");
  if (header->kind != kind)
    throw PluginRefused(file + " is the " + kind_name(header->kind) + " plug-in, not the " + kind_name(kind) +
                        " one; reinstall buildinfo");
  if (header->size != size)
    throw PluginRefused(file + " has a table of " + std::to_string(header->size) + " bytes, " + tool + " and expects " +
                        std::to_string(size) + "; reinstall buildinfo");
}

const buildinfo_git_plugin& git_plugin() {
  const auto& plugin = *static_cast<const buildinfo_git_plugin*>(
      plugin_table(BUILDINFO_GIT_PLUGIN, BUILDINFO_PLUGIN_GIT, sizeof(buildinfo_git_plugin)));
  require(plugin.read_facts != nullptr, BUILDINFO_GIT_PLUGIN, "read_facts");
  require(plugin.release_facts != nullptr, BUILDINFO_GIT_PLUGIN, "release_facts");
  return plugin;
}

const buildinfo_lief_plugin& lief_plugin() {
  const auto& plugin = *static_cast<const buildinfo_lief_plugin*>(
      plugin_table(BUILDINFO_LIEF_PLUGIN, BUILDINFO_PLUGIN_LIEF, sizeof(buildinfo_lief_plugin)));
  require(plugin.describe != nullptr, BUILDINFO_LIEF_PLUGIN, "describe");
  require(plugin.release_description != nullptr, BUILDINFO_LIEF_PLUGIN, "release_description");
  return plugin;
}

const buildinfo_openssl_plugin& openssl_plugin() {
  const auto& plugin = *static_cast<const buildinfo_openssl_plugin*>(
      plugin_table(BUILDINFO_OPENSSL_PLUGIN, BUILDINFO_PLUGIN_OPENSSL, sizeof(buildinfo_openssl_plugin)));
  require(plugin.load_key != nullptr, BUILDINFO_OPENSSL_PLUGIN, "load_key");
  require(plugin.generate_key != nullptr, BUILDINFO_OPENSSL_PLUGIN, "generate_key");
  require(plugin.sign != nullptr, BUILDINFO_OPENSSL_PLUGIN, "sign");
  require(plugin.verify != nullptr, BUILDINFO_OPENSSL_PLUGIN, "verify");
  require(plugin.release != nullptr, BUILDINFO_OPENSSL_PLUGIN, "release");
  require(plugin.sha256_begin != nullptr && plugin.sha256_update != nullptr && plugin.sha256_end != nullptr,
          BUILDINFO_OPENSSL_PLUGIN, "SHA-256");
  return plugin;
}

void set_plugin_directory(const std::string& directory) {
  const std::lock_guard<std::mutex> lock(loader_mutex());
  chosen_directory() = directory;
}

}  // namespace buildinfo
