// Finding, loading and checking the tool's plug-ins (plugin_abi.h). The
// executable, the unit tests and the test tools all go through here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "plugins/plugin_abi.h"
#include "support/error.h"

namespace buildinfo {

// The plug-in's file is not there (an install without it). inspect goes on
// without its description; the commands that need git facts fail.
class PluginMissing : public Error {
 public:
  explicit PluginMissing(const std::string& message) : Error(ErrorKind::bad_input, message) {}
};

// The file is there but is not a plug-in of this build: another version,
// another interface number, the other plug-in, or no table at all. Every
// command stops with this one line (exit code 2).
class PluginRefused : public Error {
 public:
  explicit PluginRefused(const std::string& message) : Error(ErrorKind::bad_input, message) {}
};

// The plug-ins' tables, loaded and checked on first use from the directory
// of the running executable (a build tree) or from where they are installed
// relative to it (BUILDINFO_PLUGIN_DIR). Throw PluginMissing or
// PluginRefused; the same again on later calls.
const buildinfo_git_plugin& git_plugin();
const buildinfo_lief_plugin& lief_plugin();
const buildinfo_openssl_plugin& openssl_plugin();

// Where to look instead, for programs that are not installed beside the
// plug-ins (the unit tests, the test tools). Call before the first load.
void set_plugin_directory(const std::string& directory);

// Throws PluginRefused unless `header`, read from `file`, is of this build:
// version BUILDINFO_VERSION, interface BUILDINFO_PLUGIN_ABI, kind `kind`, a
// table of `size` bytes. `header` may be null (no table).
void check_plugin_header(const std::string& file, const buildinfo_plugin_header* header, uint32_t kind,
                         std::size_t size);

}  // namespace buildinfo
