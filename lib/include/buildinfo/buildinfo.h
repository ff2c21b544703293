/* The runtime API for C: read the build record stamped into this module. */
#ifndef BUILDINFO_BUILDINFO_H
#define BUILDINFO_BUILDINFO_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Status codes, the same values as buildinfo::status. */
#define BUILDINFO_OK 0
#define BUILDINFO_NOT_STAMPED 1
#define BUILDINFO_CORRUPT 2
#define BUILDINFO_UNSUPPORTED 3
#define BUILDINFO_NO_MEMORY 4

/* The state of this module's record. */
int buildinfo_status(void);
/* Fixed text for a status code. */
const char* buildinfo_status_text(int status);
/* The value for `key` (NUL-terminated), or NULL when absent. */
const char* buildinfo_get(const char* key);
/* Number of fields, and the key/value of field `index` in key order. */
size_t buildinfo_field_count(void);
const char* buildinfo_field_key(size_t index);
const char* buildinfo_field_value(size_t index);

#ifdef __cplusplus
}
#endif

#endif /* BUILDINFO_BUILDINFO_H */
