/* The buildinfo.modules attribute value: the loaded modules and their
 * revisions in one string (see otel.h). */
#include <string.h>

#include "buildinfo/modules.h"
#include "buildinfo/otel.h"

/* Appends to a snprintf-like buffer: counts every byte, writes those that fit. */
typedef struct bounded_writer {
  char* out;
  size_t capacity;
  size_t length;
} bounded_writer;

static void append(bounded_writer* w, const char* text, size_t size) {
  size_t i;
  for (i = 0; i < size; ++i) {
    if (w->length + 1 < w->capacity) w->out[w->length] = text[i];
    ++w->length;
  }
}

static void append_string(bounded_writer* w, const char* text) { append(w, text, strlen(text)); }

static const char* file_name(const char* path) {
  const char* name = path;
  const char* p;
  for (p = path; *p != '\0'; ++p)
    if (*p == '/' || *p == '\\') name = p + 1;
  return name;
}

static void add_module(const buildinfo_module* module, void* context) {
  bounded_writer* w = (bounded_writer*)context;
  const buildinfo_record* r = buildinfo_module_record(module);
  const buildinfo_field* revision;
  const buildinfo_field* modified;
  if (w->length > 0) append_string(w, ";");
  append_string(w, file_name(buildinfo_module_path(module)));
  if (r->status != BUILDINFO_OK) {
    append_string(w, "@not-stamped");
    return;
  }
  append_string(w, "@");
  revision = buildinfo_record_find(r, "vcs.revision", strlen("vcs.revision"));
  if (revision != NULL) append(w, revision->value, revision->value_size);
  modified = buildinfo_record_find(r, "vcs.modified", strlen("vcs.modified"));
  if (modified != NULL && modified->value_size == 4 && memcmp(modified->value, "true", 4) == 0)
    append_string(w, "+modified");
}

size_t buildinfo_otel_modules_value(char* out, size_t capacity) {
  bounded_writer w;
  w.out = out;
  w.capacity = out == NULL ? 0 : capacity;
  w.length = 0;
  buildinfo_for_each_module(add_module, &w);
  if (w.capacity > 0) out[w.length < w.capacity ? w.length : w.capacity - 1] = '\0';
  return w.length;
}
