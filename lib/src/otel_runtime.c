/* The process side of the OpenTelemetry mapping: this module's attributes,
 * its GNU build-id read in memory, the environment merge, and the C API. */
#include "elf_loaded_notes.h" /* first: its _GNU_SOURCE also declares setenv */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buildinfo/otel.h"
#include "publish_once.h"

/* Build-ids are 16 (md5, uuid) or 20 (sha1) bytes; --build-id=0x... may be
 * longer. Longer than this is reported as absent. */
#define MAX_BUILD_ID_BYTES 128u

typedef struct build_id_text {
  char hex[2 * MAX_BUILD_ID_BYTES + 1];
  size_t size;
} build_id_text;

#if defined(BUILDINFO_HAVE_DL_ITERATE_PHDR)

/* Any object of this module: its address lies in one of the module's
 * PT_LOAD segments, which is how dl_iterate_phdr tells the module apart. */
static const char kModuleAnchor = 0;

static int visit_object(struct dl_phdr_info* info, size_t info_size, void* data) {
  static const char kHex[] = "0123456789abcdef";
  build_id_text* out = (build_id_text*)data;
  buildinfo_note_contents note;
  size_t i;
  (void)info_size;
  if (!buildinfo_object_contains(info, &kModuleAnchor)) return 0; /* keep looking */
  if (buildinfo_find_loaded_note(info, "GNU", 4, BUILDINFO_NT_GNU_BUILD_ID, &note) && note.size > 0 &&
      note.size <= MAX_BUILD_ID_BYTES) {
    for (i = 0; i < note.size; ++i) {
      out->hex[2 * i] = kHex[note.desc[i] >> 4];
      out->hex[2 * i + 1] = kHex[note.desc[i] & 0xf];
    }
    out->hex[2 * note.size] = '\0';
    out->size = 2 * note.size;
  }
  return 1; /* this module found: stop */
}

static void read_build_id(build_id_text* id) { dl_iterate_phdr(visit_object, id); }

#else

/* PE and Mach-O have no GNU build-id note (Mach-O's LC_UUID is another
 * attribute); freestanding ELF has no loader to ask. */
static void read_build_id(build_id_text* id) { (void)id; }

#endif

/* Everything computed once, in one allocation that lives as long as the
 * process: the attributes, their text and their encoded form. */
typedef struct otel_state {
  build_id_text build_id;
  const buildinfo_otel_attribute* attributes;
  size_t count;
  const char* encoded;
  void* storage[]; /* attributes, then text, then the encoded form */
} otel_state;

static void* g_published; /* otel_state* */

static const otel_state* build_state(void) {
  const buildinfo_record* r = buildinfo_read();
  build_id_text id;
  size_t capacity, text_size, encoded_size, key_id_size, count, length;
  buildinfo_otel_attribute* attrs;
  char* text;
  char* encoded;
  otel_state* state;
  const int stamped = r->status == BUILDINFO_OK;

  memset(&id, 0, sizeof id);
  read_build_id(&id);
  key_id_size = stamped ? r->key_id_size : 0;
  capacity = buildinfo_otel_attribute_count_max(stamped ? r->field_count : 0);
  text_size =
      buildinfo_otel_text_size_max(r->fields, stamped ? r->field_count : 0, id.hex, id.size, r->key_id, key_id_size);
  /* Encoding at most triples each byte; '=' and ',' fit in the NULs the
   * text has per key and value. */
  encoded_size = 3 * text_size + 1;
  state =
      (otel_state*)malloc(sizeof(otel_state) + capacity * sizeof(buildinfo_otel_attribute) + text_size + encoded_size);
  if (state == NULL) return NULL;
  state->build_id = id;
  attrs = (buildinfo_otel_attribute*)state->storage;
  text = (char*)(attrs + capacity);
  encoded = text + text_size;
  count = buildinfo_otel_map_record(r->fields, r->field_count, id.hex, id.size, r->key_id, key_id_size, stamped, attrs,
                                    capacity, text, text_size);
  length = buildinfo_otel_encode(attrs, count, encoded, encoded_size);
  (void)length;
  state->attributes = attrs;
  state->count = count;
  state->encoded = encoded;
  return (const otel_state*)buildinfo_publish(&g_published, state);
}

static const otel_state* state_of_process(void) {
  const otel_state* state = (const otel_state*)buildinfo_published(&g_published);
  return state != NULL ? state : build_state();
}

static int set_environment(const char* name, const char* value) {
#if defined(_WIN32)
  return _putenv_s(name, value);
#else
  return setenv(name, value, 1) == 0 ? 0 : errno;
#endif
}

const buildinfo_otel_attribute* buildinfo_otel_attributes(size_t* count) {
  static const buildinfo_otel_attribute kNone = {"", 0, "", 0};
  const otel_state* state = state_of_process();
  if (count != NULL) *count = state == NULL ? 0 : state->count;
  return state == NULL ? &kNone : state->attributes;
}

size_t buildinfo_otel_attribute_count(void) {
  size_t count;
  buildinfo_otel_attributes(&count);
  return count;
}

/* Keys and values point at NUL-terminated copies made by map_record. */
const char* buildinfo_otel_attribute_key(size_t index) {
  size_t count;
  const buildinfo_otel_attribute* attrs = buildinfo_otel_attributes(&count);
  return index < count ? attrs[index].key : NULL;
}

const char* buildinfo_otel_attribute_value(size_t index) {
  size_t count;
  const buildinfo_otel_attribute* attrs = buildinfo_otel_attributes(&count);
  return index < count ? attrs[index].value : NULL;
}

const char* buildinfo_otel_get(const char* key) {
  size_t count, i, key_size;
  const buildinfo_otel_attribute* attrs = buildinfo_otel_attributes(&count);
  if (key == NULL) return NULL;
  key_size = strlen(key);
  for (i = 0; i < count; ++i)
    if (attrs[i].key_size == key_size && memcmp(attrs[i].key, key, key_size) == 0) return attrs[i].value;
  return NULL;
}

const char* buildinfo_otel_resource_attributes(void) {
  const otel_state* state = state_of_process();
  return state == NULL ? "" : state->encoded;
}

const char* buildinfo_otel_gnu_build_id(void) {
  const otel_state* state = state_of_process();
  return state == NULL ? "" : state->build_id.hex;
}

int buildinfo_otel_merge_environment(void) {
  static const char kVariable[] = "OTEL_RESOURCE_ATTRIBUTES";
  size_t count, existing_size, length;
  const buildinfo_otel_attribute* attrs = buildinfo_otel_attributes(&count);
  const char* current;
  char* value;
  int result;
  if (count == 0) return ENOMEM; /* a computed list always holds buildinfo.stamped */
  current = getenv(kVariable);
  existing_size = current == NULL ? 0 : strlen(current);
  length = buildinfo_otel_merge(current, existing_size, attrs, count, NULL, 0);
  if (current != NULL && length == existing_size) return 0; /* every key already set */
  /* The merged value depends on the environment at the time of the call: a
   * short-lived buffer, freed once setenv has copied it. */
  value = (char*)malloc(length + 1);
  if (value == NULL) return ENOMEM;
  buildinfo_otel_merge(current, existing_size, attrs, count, value, length + 1);
  result = set_environment(kVariable, value);
  free(value);
  return result;
}
