/* The same list through the C API (buildinfo/modules.h), printed as
 * "cmodule <file name> <revision> <1 if self>". */
#include <stdio.h>

#include "buildinfo/buildinfo.h"
#include "buildinfo/modules.h"

static void print_module(const buildinfo_module* module, void* context) {
  const char* path = buildinfo_module_path(module);
  const char* name = path;
  const char* p;
  for (p = path; *p != '\0'; ++p)
    if (*p == '/' || *p == '\\') name = p + 1;
  const char* revision = buildinfo_module_get(module, "vcs.revision");
  (void)context;
  printf("cmodule %s %s %d\n", name,
         buildinfo_module_status(module) == BUILDINFO_OK && revision != NULL ? revision : "not-stamped",
         buildinfo_module_is_self(module));
}

void list_modules_c(void) { buildinfo_for_each_module(print_module, NULL); }
