/* The build records of every module loaded in the process: the executable,
 * its shared libraries (.so, .dll, .dylib) and plugins loaded later, each
 * stamped on its own (often from other repositories). modules.hpp wraps it
 * for C++. */
#ifndef BUILDINFO_MODULES_H
#define BUILDINFO_MODULES_H

#include <stddef.h>

#include "buildinfo/buildinfo.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One loaded module with a slot; valid only during the visitor's call. */
typedef struct buildinfo_module buildinfo_module;
typedef void (*buildinfo_module_visitor)(const buildinfo_module* module, void* context);

/* Calls `visit` for every loaded module that carries a slot, in the
 * loader's order, and returns how many. The slots are read in memory (ELF:
 * dl_iterate_phdr and the PT_NOTE segments; Windows: the loaded images'
 * section tables; macOS: dyld's image list); no file is opened. The
 * visitor must not load or unload modules (on ELF the loader's lock is
 * held). Allocates one short-lived buffer per module for its record. */
size_t buildinfo_for_each_module(buildinfo_module_visitor visit, void* context);

/* The module's path as the loader names it (as given to the loader, so it
 * may be relative; for a Linux executable, its path at exec); "" when
 * unknown. Never NULL. */
const char* buildinfo_module_path(const buildinfo_module* module);
/* 1 for the module this call is linked into (whose record buildinfo_read()
 * returns), else 0. */
int buildinfo_module_is_self(const buildinfo_module* module);
/* Its record (status BUILDINFO_NOT_STAMPED when the slot is empty). */
const buildinfo_record* buildinfo_module_record(const buildinfo_module* module);
/* Shorthands: its record's status, and the value for `key` (NUL-terminated)
 * or NULL. */
int buildinfo_module_status(const buildinfo_module* module);
const char* buildinfo_module_get(const buildinfo_module* module, const char* key);

#ifdef __cplusplus
}
#endif

#endif /* BUILDINFO_MODULES_H */
