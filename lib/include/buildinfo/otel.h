/* The C API of the OpenTelemetry mapping: this module's build record as
 * resource attributes (docs/OPENTELEMETRY.md). All strings are NUL-terminated
 * and live as long as the process. Thread-safe except
 * buildinfo_otel_merge_environment (see there). */
#ifndef BUILDINFO_OTEL_H
#define BUILDINFO_OTEL_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

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

/* Hex of this module's GNU build-id, "" when absent. Never NULL. */
const char* buildinfo_otel_gnu_build_id(void);

/* Adds the attributes to the OTEL_RESOURCE_ATTRIBUTES environment variable,
 * keeping every key it already defines. Returns 0 or an errno value.
 * setenv is not thread-safe against concurrent getenv: call this at startup,
 * before the OpenTelemetry SDK and other threads start. */
int buildinfo_otel_merge_environment(void);

#ifdef __cplusplus
}
#endif

#endif /* BUILDINFO_OTEL_H */
