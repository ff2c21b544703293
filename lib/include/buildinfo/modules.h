/* The loaded modules' build records for C (see buildinfo/modules.hpp). */
#ifndef BUILDINFO_MODULES_H
#define BUILDINFO_MODULES_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One loaded module with a slot; valid only during the visitor's call. */
typedef struct buildinfo_module buildinfo_module;
typedef void (*buildinfo_module_visitor)(const buildinfo_module* module, void* context);

/* Calls `visit` for every loaded module that carries a slot, in the
 * loader's order; returns how many. The visitor must not load or unload
 * modules. No file I/O. */
size_t buildinfo_for_each_module(buildinfo_module_visitor visit, void* context);

/* The module's path as the loader names it ("" when unknown). */
const char* buildinfo_module_path(const buildinfo_module* module);
/* 1 for the module this call is linked into, else 0. */
int buildinfo_module_is_self(const buildinfo_module* module);
/* Its record's status (BUILDINFO_OK, BUILDINFO_NOT_STAMPED, ...). */
int buildinfo_module_status(const buildinfo_module* module);
/* The value for `key` in its record (NUL-terminated), or NULL. */
const char* buildinfo_module_get(const buildinfo_module* module, const char* key);

#ifdef __cplusplus
}
#endif

#endif /* BUILDINFO_MODULES_H */
