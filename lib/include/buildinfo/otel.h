/* This module's build record as OpenTelemetry resource attributes
 * (docs/OPENTELEMETRY.md), for C; otel.hpp wraps it for C++. All strings
 * are NUL-terminated. Thread-safe except buildinfo_otel_merge_environment
 * (see there). */
#ifndef BUILDINFO_OTEL_H
#define BUILDINFO_OTEL_H

#include <stddef.h>

#include "buildinfo/buildinfo.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One resource attribute: the same shape as a record field. All values are
 * strings. */
typedef buildinfo_field buildinfo_otel_attribute;

/* ------------------------------------------------------------------------
 * Process layer: this module's record (buildinfo_read()) plus its GNU
 * build-id in memory. Computed once on first use; no file I/O; one
 * allocation that lives as long as the process.
 * ------------------------------------------------------------------------ */

/* The attributes, sorted by key, keys unique; `*count` is set to their
 * number (0 only when out of memory). Never NULL. */
const buildinfo_otel_attribute* buildinfo_otel_attributes(size_t* count);
/* Number of attributes, and the key/value of attribute `index` in key order
 * (NULL when `index` is out of range). */
size_t buildinfo_otel_attribute_count(void);
const char* buildinfo_otel_attribute_key(size_t index);
const char* buildinfo_otel_attribute_value(size_t index);
/* The value of attribute `key`, or NULL when absent. */
const char* buildinfo_otel_get(const char* key);

/* The attributes in OTEL_RESOURCE_ATTRIBUTES form (`k=v,k=v`, percent-encoded
 * where needed). Never NULL. */
const char* buildinfo_otel_resource_attributes(void);

/* Hex of this module's GNU build-id note (NT_GNU_BUILD_ID), "" on non-ELF
 * platforms or when the module has none. Never NULL. */
const char* buildinfo_otel_gnu_build_id(void);

/* Adds the attributes to the OTEL_RESOURCE_ATTRIBUTES environment variable,
 * keeping every key it already defines (the user's settings win). Returns 0
 * or an errno value. setenv is not thread-safe against concurrent getenv:
 * call this at startup, before the OpenTelemetry SDK and other threads
 * start. */
int buildinfo_otel_merge_environment(void);

/* Every stamped module loaded now (buildinfo_for_each_module), as one value
 * for the attribute "buildinfo.modules": `<file name>@<vcs.revision>` per
 * module, with `+modified` when its tree was dirty, `@not-stamped` for an
 * empty slot, joined by `;` in load order. Returns the length of the whole
 * value like snprintf; writes at most `capacity` bytes, NUL-terminated when
 * `capacity` > 0. No file I/O. */
size_t buildinfo_otel_modules_value(char* out, size_t capacity);

/* ------------------------------------------------------------------------
 * Pure layer: no globals, no I/O, no allocation. The tool uses it on a
 * record read from a file, the process layer on its own record. Strings are
 * given as pointer and size.
 * ------------------------------------------------------------------------ */

/* Upper bound of the attributes buildinfo_otel_map_record produces from
 * `field_count` fields. */
size_t buildinfo_otel_attribute_count_max(size_t field_count);

/* Upper bound of the text buildinfo_otel_map_record writes (keys and values,
 * each with a NUL). */
size_t buildinfo_otel_text_size_max(const buildinfo_field* fields, size_t field_count, const char* gnu_build_id_hex,
                                    size_t gnu_build_id_size, const char* key_id_hex, size_t key_id_size);

/* Maps payload fields (sorted by key) to attributes (the table in
 * FORMAT.md), sorted by key. Keys and values are copied, NUL-terminated,
 * into `text`, so the output does not refer to the inputs. When `stamped` is
 * 0 the fields are ignored: the result is `buildinfo.stamped=false` and the
 * build-id (if any). The build-id and key id may be empty (absent). Returns
 * the number of attributes written (at least 1), or 0 when `capacity` or
 * `text_capacity` is smaller than the bounds above. */
size_t buildinfo_otel_map_record(const buildinfo_field* fields, size_t field_count, const char* gnu_build_id_hex,
                                 size_t gnu_build_id_size, const char* key_id_hex, size_t key_id_size, int stamped,
                                 buildinfo_otel_attribute* out, size_t capacity, char* text, size_t text_capacity);

/* Writes `k=v` pairs joined by `,` in the given order. Keys and values are
 * percent-encoded (uppercase hex) exactly where needed: `,` `=` `%`, space
 * and every byte below 0x20 or equal to 0x7f. Other bytes, non-ASCII UTF-8
 * included, are kept as they are, because opentelemetry-cpp up to v1.28.0
 * and other older SDKs do not percent-decode. Returns the length of the
 * whole string like snprintf does; writes at most `capacity` bytes,
 * NUL-terminated when `capacity` > 0 (truncated when short). */
size_t buildinfo_otel_encode(const buildinfo_otel_attribute* attrs, size_t count, char* out, size_t capacity);

/* `existing` (an OTEL_RESOURCE_ATTRIBUTES value) kept byte for byte,
 * followed by every attribute whose key `existing` does not already define
 * (buildinfo_otel_find). Returns and writes like buildinfo_otel_encode. */
size_t buildinfo_otel_merge(const char* existing, size_t existing_size, const buildinfo_otel_attribute* attrs,
                            size_t count, char* out, size_t capacity);

/* Whether the OTEL_RESOURCE_ATTRIBUTES value `list` defines `key`, read as
 * opentelemetry-cpp reads it (docs/OPENTELEMETRY.md): entries split on `,`,
 * each on its first `=`; the key as written, neither trimmed nor
 * percent-decoded (` k =1` and `k%2E=1` define other keys than `k`); the
 * last entry for a key wins; entries without `=` define nothing. Sets
 * `*raw_value` and `*raw_value_size` (either may be NULL) to the value as
 * written, not decoded. Returns 1 or 0. */
int buildinfo_otel_find(const char* list, size_t list_size, const char* key, size_t key_size, const char** raw_value,
                        size_t* raw_value_size);

/* Percent-decodes `in` (`%` and two hex digits, either case; a `%` not
 * followed by two hex digits is kept as is). Returns and writes like
 * buildinfo_otel_encode; the result is never longer than `in`. */
size_t buildinfo_otel_percent_decode(const char* in, size_t in_size, char* out, size_t capacity);

#ifdef __cplusplus
}
#endif

#endif /* BUILDINFO_OTEL_H */
