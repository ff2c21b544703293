// A plugin, loaded at run time, with its own stamp: reports the revision that read()
// returns inside it (through the C API, whose strings are NUL-terminated).
#include "buildinfo/buildinfo.h"
#include "module_api.h"

MODULE_EXPORT const char* plugin_revision() {
  const char* revision = buildinfo_get("vcs.revision");
  return revision != nullptr ? revision : "not-stamped";
}
