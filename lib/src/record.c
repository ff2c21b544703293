/* buildinfo_read() and the C API over it: this module's slot, parsed once,
 * in memory. */
#include <stdlib.h>
#include <string.h>

#include "buildinfo/buildinfo.h"
#include "buildinfo/slot_layout.h"
#include "publish_once.h"

/* Defined next to the slot (BUILDINFO_DEFINE_SLOT), hidden in this module. */
BUILDINFO_LOCAL_FUNCTION const unsigned char* buildinfo_slot_bytes(uint32_t* slot_capacity);

/* The compiler sees the slot's initializer (an empty header) and, under LTO,
 * would fold every read of it to "not stamped". An empty asm that claims to
 * change the pointer hides where it points, so the bytes are really loaded. */
static const unsigned char* opaque(const unsigned char* p) {
  __asm__ volatile("" : "+r"(p) : : "memory");
  return p;
}

/* The record and the storage it points into, in one allocation that lives
 * as long as the process. */
typedef struct parsed_slot {
  buildinfo_record record;
  void* storage[]; /* pointer-aligned, as the parser needs */
} parsed_slot;

static void* g_published; /* parsed_slot* */

static const buildinfo_record kNoMemory = {BUILDINFO_NO_MEMORY, 0, 0, 0, "", 0, NULL, 0};

const buildinfo_record* buildinfo_read(void) {
  parsed_slot* parsed = (parsed_slot*)buildinfo_published(&g_published);
  if (parsed == NULL) {
    uint32_t capacity = 0;
    const unsigned char* slot = opaque(buildinfo_slot_bytes(&capacity));
    const size_t storage_size = buildinfo_parse_storage_size(capacity);
    parsed = (parsed_slot*)malloc(sizeof(parsed_slot) + storage_size);
    if (parsed == NULL) return &kNoMemory; /* not kept: a later call tries again */
    buildinfo_parse_slot(slot, capacity, parsed->storage, storage_size, &parsed->record);
    parsed = (parsed_slot*)buildinfo_publish(&g_published, parsed);
  }
  return &parsed->record;
}

int buildinfo_status(void) { return buildinfo_read()->status; }

const char* buildinfo_status_text(int status) {
  switch (status) {
    case BUILDINFO_OK: return "ok";
    case BUILDINFO_NOT_STAMPED: return "not stamped";
    case BUILDINFO_CORRUPT: return "corrupt record";
    case BUILDINFO_UNSUPPORTED: return "unsupported format version";
    case BUILDINFO_NO_MEMORY: return "out of memory";
    default: return "unknown status";
  }
}

const buildinfo_field* buildinfo_record_find(const buildinfo_record* record, const char* key, size_t key_size) {
  size_t lo = 0, hi;
  if (record == NULL || (key == NULL && key_size > 0)) return NULL;
  /* Fields are sorted bytewise with unique keys (checked when parsed). */
  hi = record->field_count;
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    const buildinfo_field* f = &record->fields[mid];
    const size_t common = f->key_size < key_size ? f->key_size : key_size;
    int c = common == 0 ? 0 : memcmp(f->key, key, common);
    if (c == 0) c = f->key_size < key_size ? -1 : f->key_size > key_size ? 1 : 0;
    if (c == 0) return f;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

const char* buildinfo_get(const char* key) {
  const buildinfo_field* f = key == NULL ? NULL : buildinfo_record_find(buildinfo_read(), key, strlen(key));
  return f == NULL ? NULL : f->value;
}

size_t buildinfo_field_count(void) { return buildinfo_read()->field_count; }

const char* buildinfo_field_key(size_t index) {
  const buildinfo_record* r = buildinfo_read();
  return index < r->field_count ? r->fields[index].key : NULL;
}

const char* buildinfo_field_value(size_t index) {
  const buildinfo_record* r = buildinfo_read();
  return index < r->field_count ? r->fields[index].value : NULL;
}
