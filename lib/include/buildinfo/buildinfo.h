/* The runtime API for C: read the build record stamped into this module.
 * Plain C99 with no dependency beyond the C library; the C++ API
 * (buildinfo.hpp) is a header-only wrapper over this one. */
#ifndef BUILDINFO_BUILDINFO_H
#define BUILDINFO_BUILDINFO_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Status codes, the same values as buildinfo::status. */
#define BUILDINFO_OK 0
#define BUILDINFO_NOT_STAMPED 1 /* the slot is present but empty (the stamper has not run) */
#define BUILDINFO_CORRUPT 2     /* header or payload malformed, or a byte that must be zero is not */
#define BUILDINFO_UNSUPPORTED 3 /* a newer format version than this runtime reads */
#define BUILDINFO_NO_MEMORY 4   /* the record could not be stored */

/* One payload entry. Both strings are NUL-terminated; the sizes exclude the
 * NUL (a value may hold an escaped NUL, so the size is the exact length). */
typedef struct buildinfo_field {
  const char* key;
  size_t key_size;
  const char* value;
  size_t value_size;
} buildinfo_field;

/* A parsed record. Every pointer stays valid as long as the storage it was
 * parsed into (for buildinfo_read(): the life of the process). */
typedef struct buildinfo_record {
  int status;              /* BUILDINFO_OK, BUILDINFO_NOT_STAMPED, ... */
  uint32_t format_version; /* slot header facts, 0 when unknown */
  uint32_t capacity;
  uint32_t signature_algorithm; /* BUILDINFO_SIG_* of slot_layout.h */
  const char* key_id;           /* hex SHA-256 of the signing key; "" when unsigned, never NULL */
  size_t key_id_size;
  const buildinfo_field* fields; /* sorted by key (bytewise), keys unique */
  size_t field_count;
} buildinfo_record;

/* The record of the module (executable or library) this call is linked
 * into. Parsed once, on first use, from memory: no file I/O, thread-safe
 * (concurrent first calls may each parse; one result is kept). Never NULL. */
const buildinfo_record* buildinfo_read(void);

/* Shorthands over buildinfo_read(). */
int buildinfo_status(void);
/* Fixed text for a status code, e.g. "not stamped". Never NULL. */
const char* buildinfo_status_text(int status);
/* The value for `key` (NUL-terminated), or NULL when absent. */
const char* buildinfo_get(const char* key);
/* Number of fields, and the key/value of field `index` in key order (NULL
 * when out of range). */
size_t buildinfo_field_count(void);
const char* buildinfo_field_key(size_t index);
const char* buildinfo_field_value(size_t index);

/* The field with this key (`key_size` bytes) in `record`, or NULL. */
const buildinfo_field* buildinfo_record_find(const buildinfo_record* record, const char* key, size_t key_size);

/* Parses slot bytes (header, payload, signature) into `out`, with `storage`
 * for the fields and decoded text: it needs
 * buildinfo_parse_storage_size(slot_size) bytes, aligned like a pointer.
 * Allocates nothing. Returns the resulting status (also out->status). */
size_t buildinfo_parse_storage_size(size_t slot_size);
int buildinfo_parse_slot(const unsigned char* slot, size_t slot_size, void* storage, size_t storage_size,
                         buildinfo_record* out);

#ifdef __cplusplus
}
#endif

#endif /* BUILDINFO_BUILDINFO_H */
