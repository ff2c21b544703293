/* Shared by the per-platform module lists: find a module's slot in its
 * buildinfo note, parse it into a short-lived buffer and hand it to the
 * visitor. Internal to the runtime. */
#ifndef BUILDINFO_MODULE_VISIT_H
#define BUILDINFO_MODULE_VISIT_H

#include <stddef.h>

#include "buildinfo/modules.h"

/* The slot inside `note` (a note header, then the slot: the wrapper every
 * format uses, FORMAT.md, in the process's byte order), when `note` is such
 * a note and fits its `size` bytes. */
int buildinfo_slot_in_note(const unsigned char* note, size_t size, const unsigned char** slot, size_t* slot_size);

/* Parses `slot` and calls `visit` with it; returns 1 (one module visited). */
size_t buildinfo_visit_slot(const char* path, const unsigned char* slot, size_t slot_size, int self,
                            buildinfo_module_visitor visit, void* context);

#endif /* BUILDINFO_MODULE_VISIT_H */
