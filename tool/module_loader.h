// Finding and loading the tool's modules (tool_modules.h) at run time.
#pragma once

#include <string>

namespace buildinfo {

// The address of `symbol` in module `module` (e.g. "buildinfo-git.so"),
// loaded on first use from the directory of the running executable (a build
// tree) or from its install location (BUILDINFO_MODULE_DIR, relative to the
// executable). Throws Error(bad_input) naming the module when it is missing.
void* module_symbol(const std::string& module, const char* symbol);

}  // namespace buildinfo
