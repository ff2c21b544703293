/* The module visit shared by every platform's list, and the accessors of
 * buildinfo_module. */
#include "module_visit.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buildinfo/slot_layout.h"
#include "slot_decode.h"

struct buildinfo_module {
  const char* path;
  int self;
  buildinfo_record record;
};

int buildinfo_slot_in_note(const unsigned char* note, size_t size, const unsigned char** slot, size_t* slot_size) {
  /* Loaded notes are in the process's byte order. */
  size_t offset;
  if (buildinfo_decode_slot_note(note, size, buildinfo_host_byte_order(), &offset, slot_size) != BUILDINFO_NOTE_VALID)
    return 0;
  *slot = note + offset;
  return 1;
}

size_t buildinfo_visit_slot(const char* path, const unsigned char* slot, size_t slot_size, int self,
                            buildinfo_module_visitor visit, void* context) {
  buildinfo_module module;
  const size_t storage_size = buildinfo_parse_storage_size(slot_size);
  void* storage = malloc(storage_size);
  module.path = path == NULL ? "" : path;
  module.self = self;
  buildinfo_parse_slot(slot, slot_size, storage, storage == NULL ? 0 : storage_size, &module.record);
  visit(&module, context);
  free(storage);
  return 1;
}

const char* buildinfo_module_path(const buildinfo_module* module) { return module == NULL ? "" : module->path; }

int buildinfo_module_is_self(const buildinfo_module* module) { return module != NULL && module->self; }

const buildinfo_record* buildinfo_module_record(const buildinfo_module* module) {
  static const buildinfo_record kCorrupt = {BUILDINFO_CORRUPT, 0, 0, 0, "", 0, NULL, 0};
  return module == NULL ? &kCorrupt : &module->record;
}

int buildinfo_module_status(const buildinfo_module* module) { return buildinfo_module_record(module)->status; }

const char* buildinfo_module_get(const buildinfo_module* module, const char* key) {
  const buildinfo_field* f =
      key == NULL ? NULL : buildinfo_record_find(buildinfo_module_record(module), key, strlen(key));
  return f == NULL ? NULL : f->value;
}
