/* The pure OpenTelemetry layer: payload keys to resource attributes, and the
 * OTEL_RESOURCE_ATTRIBUTES encoding, merge and lookup. No globals, no heap. */
#include <string.h>

#include "buildinfo/otel.h"

/* A byte string given as pointer and size. */
typedef struct text {
  const char* p;
  size_t n;
} text;

static text make_text(const char* p, size_t n) {
  text t;
  t.p = p;
  t.n = n;
  return t;
}

#define LITERAL(s) make_text(s, sizeof(s) - 1)

static int text_equal(text a, text b) { return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0); }

static int ends_with(text s, text suffix) {
  return s.n >= suffix.n && memcmp(s.p + s.n - suffix.n, suffix.p, suffix.n) == 0;
}

/* Bytewise order, shorter first on a common prefix. */
static int text_compare(text a, text b) {
  const size_t common = a.n < b.n ? a.n : b.n;
  const int c = common == 0 ? 0 : memcmp(a.p, b.p, common);
  if (c != 0) return c;
  return a.n < b.n ? -1 : a.n > b.n ? 1 : 0;
}

/* Payload keys that have a semantic-convention name (semconv v1.44.0:
 * model/service, model/vcs, model/os, model/host). Every other payload key
 * becomes "buildinfo." + key. */
typedef struct rename {
  const char* from;
  const char* to;
} rename;

static const rename kSemconvNames[] = {
    {"project.version", "service.version"},
    {"target.arch", "host.arch"},
    {"target.os", "os.type"},
    {"vcs.ref.name", "vcs.ref.head.name"},
    {"vcs.ref.type", "vcs.ref.head.type"},
    {"vcs.repository.url", "vcs.repository.url.full"},
    {"vcs.revision", "vcs.ref.head.revision"},
};

#define PREFIX "buildinfo."
#define STAMPED_KEY "buildinfo.stamped"
#define KEY_ID_KEY "buildinfo.signing.key_id"
#define BUILD_ID_KEY "process.executable.build_id.gnu"
#define REPOSITORY_URL_FIELD "vcs.repository.url"
#define REPOSITORY_NAME_KEY "vcs.repository.name"

/* Room for the longest fixed key (all of the above are shorter) and a NUL. */
#define FIXED_KEY_ROOM 40u
/* Derived attributes beyond one per field: stamped, key id, build-id, and
 * vcs.repository.name next to the URL. */
#define DERIVED_ATTRIBUTES 4u

/* Appends NUL-terminated strings to a bounded buffer; results point at them. */
typedef struct text_writer {
  char* out;
  size_t size;
  size_t used;
  int ok;
} text_writer;

static text writer_put(text_writer* w, text a, text b) {
  const size_t n = a.n + b.n;
  char* start;
  if (!w->ok || w->size - w->used < n + 1) {
    w->ok = 0;
    return make_text("", 0);
  }
  start = w->out + w->used;
  if (a.n > 0) memcpy(start, a.p, a.n);
  if (b.n > 0) memcpy(start + a.n, b.p, b.n);
  start[n] = '\0';
  w->used += n + 1;
  return make_text(start, n);
}

/* Writes bytes like snprintf: counts everything, stores what fits, leaves
 * room for the NUL. */
typedef struct bounded_output {
  char* out;
  size_t capacity;
  size_t length;
} bounded_output;

static void output_char(bounded_output* o, char c) {
  if (o->length + 1 < o->capacity) o->out[o->length] = c;
  ++o->length;
}

static void output_text(bounded_output* o, text s) {
  size_t i;
  for (i = 0; i < s.n; ++i) output_char(o, s.p[i]);
}

/* Percent-encodes what OTEL_RESOURCE_ATTRIBUTES needs encoded and nothing
 * more (see buildinfo_otel_encode in otel.h for why). */
static void output_encoded(bounded_output* o, text s) {
  static const char kHex[] = "0123456789ABCDEF";
  size_t i;
  for (i = 0; i < s.n; ++i) {
    const unsigned char b = (unsigned char)s.p[i];
    if (b <= 0x20 || b == 0x7f || b == ',' || b == '=' || b == '%') {
      output_char(o, '%');
      output_char(o, kHex[b >> 4]);
      output_char(o, kHex[b & 0xf]);
    } else {
      output_char(o, s.p[i]);
    }
  }
}

static size_t output_finish(bounded_output* o) {
  if (o->capacity > 0) o->out[o->length < o->capacity ? o->length : o->capacity - 1] = '\0';
  return o->length;
}

/* semconv vcs.repository.url.full: "SHOULD NOT include the .git extension". */
static text trim_git_suffix(text url) {
  if (ends_with(url, LITERAL(".git/")) && url.n > 5) return make_text(url.p, url.n - 5);
  if (ends_with(url, LITERAL(".git")) && url.n > 4) return make_text(url.p, url.n - 4);
  return url;
}

/* semconv vcs.repository.name: the repository's own name, without owner or
 * group: the last path segment of the URL (after '/' or, in scp-like
 * "host:name" URLs, ':'). */
static text repository_name(text url) {
  size_t i;
  while (url.n > 0 && url.p[url.n - 1] == '/') --url.n;
  for (i = url.n; i > 0; --i)
    if (url.p[i - 1] == '/' || url.p[i - 1] == ':') return make_text(url.p + i, url.n - i);
  return url;
}

static text semconv_name(text payload_key) {
  size_t i;
  for (i = 0; i < sizeof kSemconvNames / sizeof kSemconvNames[0]; ++i)
    if (text_equal(make_text(kSemconvNames[i].from, strlen(kSemconvNames[i].from)), payload_key))
      return make_text(kSemconvNames[i].to, strlen(kSemconvNames[i].to));
  return make_text(NULL, 0);
}

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Decodes one byte at s.p[*i], advancing *i past it. */
static char decode_at(text s, size_t* i) {
  if (s.p[*i] == '%' && s.n - *i >= 3) {
    const int hi = hex_value(s.p[*i + 1]);
    const int lo = hex_value(s.p[*i + 2]);
    if (hi >= 0 && lo >= 0) {
      *i += 3;
      return (char)((hi << 4) | lo);
    }
  }
  return s.p[(*i)++];
}

static text key_of(const buildinfo_otel_attribute* a) { return make_text(a->key, a->key_size); }

/* Stable insertion sort by key: the lists are a few dozen entries. */
static void sort_by_key(buildinfo_otel_attribute* a, size_t n) {
  size_t i, j;
  for (i = 1; i < n; ++i) {
    const buildinfo_otel_attribute item = a[i];
    for (j = i; j > 0 && text_compare(key_of(&item), key_of(&a[j - 1])) < 0; --j) a[j] = a[j - 1];
    a[j] = item;
  }
}

size_t buildinfo_otel_attribute_count_max(size_t field_count) { return field_count + DERIVED_ATTRIBUTES; }

size_t buildinfo_otel_text_size_max(const buildinfo_field* fields, size_t field_count, const char* gnu_build_id_hex,
                                    size_t gnu_build_id_size, const char* key_id_hex, size_t key_id_size) {
  size_t size = 3 * FIXED_KEY_ROOM + sizeof("false") + gnu_build_id_size + 1 + key_id_size + 1;
  size_t i;
  (void)gnu_build_id_hex;
  (void)key_id_hex;
  for (i = 0; i < field_count; ++i) {
    const buildinfo_field* f = &fields[i];
    size += sizeof(PREFIX) - 1 + f->key_size + FIXED_KEY_ROOM + f->value_size + 1;
    /* vcs.repository.name is a second copy of part of the URL. */
    if (text_equal(make_text(f->key, f->key_size), LITERAL(REPOSITORY_URL_FIELD)))
      size += FIXED_KEY_ROOM + f->value_size + 1;
  }
  return size;
}

typedef struct attribute_builder {
  text_writer writer;
  buildinfo_otel_attribute* out;
  size_t count;
} attribute_builder;

static void add(attribute_builder* b, text key_a, text key_b, text value) {
  const text key = writer_put(&b->writer, key_a, key_b);
  const text copied = writer_put(&b->writer, value, make_text(NULL, 0));
  buildinfo_otel_attribute* a = &b->out[b->count++];
  a->key = key.p;
  a->key_size = key.n;
  a->value = copied.p;
  a->value_size = copied.n;
}

size_t buildinfo_otel_map_record(const buildinfo_field* fields, size_t field_count, const char* gnu_build_id_hex,
                                 size_t gnu_build_id_size, const char* key_id_hex, size_t key_id_size, int stamped,
                                 buildinfo_otel_attribute* out, size_t capacity, char* text_out, size_t text_capacity) {
  const text none = make_text(NULL, 0);
  attribute_builder b;
  size_t i, unique;
  if (!stamped) {
    field_count = 0;
    key_id_size = 0;
  }
  if (out == NULL || capacity < buildinfo_otel_attribute_count_max(field_count) || text_out == NULL ||
      text_capacity < buildinfo_otel_text_size_max(fields, field_count, gnu_build_id_hex, gnu_build_id_size, key_id_hex,
                                                   key_id_size))
    return 0;
  b.writer.out = text_out;
  b.writer.size = text_capacity;
  b.writer.used = 0;
  b.writer.ok = 1;
  b.out = out;
  b.count = 0;

  /* Derived attributes first: on a key clash with a payload key they win. */
  add(&b, LITERAL(STAMPED_KEY), none, stamped ? LITERAL("true") : LITERAL("false"));
  if (gnu_build_id_size > 0) add(&b, LITERAL(BUILD_ID_KEY), none, make_text(gnu_build_id_hex, gnu_build_id_size));
  if (key_id_size > 0) add(&b, LITERAL(KEY_ID_KEY), none, make_text(key_id_hex, key_id_size));

  for (i = 0; i < field_count; ++i) {
    const text key = make_text(fields[i].key, fields[i].key_size);
    const text value = make_text(fields[i].value, fields[i].value_size);
    const text semconv = semconv_name(key);
    if (semconv.p == NULL) {
      add(&b, LITERAL(PREFIX), key, value);
    } else if (text_equal(key, LITERAL(REPOSITORY_URL_FIELD))) {
      const text url = trim_git_suffix(value);
      const text name = repository_name(url);
      add(&b, semconv, none, url);
      if (name.n > 0) add(&b, LITERAL(REPOSITORY_NAME_KEY), none, name);
    } else {
      add(&b, semconv, none, value);
    }
  }
  if (!b.writer.ok) return 0; /* unreachable: the text bound covers every write */

  /* Sorted, unique keys: deterministic output, and the first of equal keys
   * (a derived attribute) is kept. */
  sort_by_key(out, b.count);
  unique = 0;
  for (i = 0; i < b.count; ++i)
    if (unique == 0 || !text_equal(key_of(&out[unique - 1]), key_of(&out[i]))) out[unique++] = out[i];
  return unique;
}

size_t buildinfo_otel_encode(const buildinfo_otel_attribute* attrs, size_t count, char* out, size_t capacity) {
  return buildinfo_otel_merge("", 0, attrs, count, out, capacity);
}

size_t buildinfo_otel_merge(const char* existing, size_t existing_size, const buildinfo_otel_attribute* attrs,
                            size_t count, char* out, size_t capacity) {
  bounded_output o;
  const text given = make_text(existing, existing_size);
  /* A separator is needed after anything but a trailing comma: even after
   * blanks, which would otherwise become part of our first key. */
  int need_comma = given.n > 0 && given.p[given.n - 1] != ',';
  size_t i;
  o.out = out;
  o.capacity = out == NULL ? 0 : capacity;
  o.length = 0;
  output_text(&o, given);
  for (i = 0; i < count; ++i) {
    /* The user's setting wins. */
    if (existing_size > 0 && buildinfo_otel_find(existing, existing_size, attrs[i].key, attrs[i].key_size, NULL, NULL))
      continue;
    if (need_comma) output_char(&o, ',');
    need_comma = 1;
    output_encoded(&o, key_of(&attrs[i]));
    output_char(&o, '=');
    output_encoded(&o, make_text(attrs[i].value, attrs[i].value_size));
  }
  return output_finish(&o);
}

/* Reads the list as opentelemetry-cpp does (OTELResourceDetector::Detect in
 * its sdk/src/resource/resource_detector.cc): split on `,`, an entry without
 * `=` defines nothing, the key is what precedes the first `=` as written
 * (neither trimmed nor decoded), the value the rest, and a later entry
 * replaces an earlier one. */
int buildinfo_otel_find(const char* list, size_t list_size, const char* key, size_t key_size, const char** raw_value,
                        size_t* raw_value_size) {
  const text all = make_text(list, list_size);
  const text wanted = make_text(key, key_size);
  int found = 0;
  size_t pos = 0;
  if (list == NULL) return 0;
  for (;;) {
    size_t comma = pos, eq;
    text entry;
    while (comma < all.n && all.p[comma] != ',') ++comma;
    entry = make_text(all.p + pos, comma - pos);
    for (eq = 0; eq < entry.n && entry.p[eq] != '='; ++eq) {
    }
    if (eq < entry.n && text_equal(make_text(entry.p, eq), wanted)) {
      found = 1; /* keep going: the last entry for a key wins */
      if (raw_value != NULL) *raw_value = entry.p + eq + 1;
      if (raw_value_size != NULL) *raw_value_size = entry.n - eq - 1;
    }
    if (comma >= all.n) return found;
    pos = comma + 1;
  }
}

size_t buildinfo_otel_percent_decode(const char* in, size_t in_size, char* out, size_t capacity) {
  bounded_output o;
  const text s = make_text(in, in_size);
  size_t i = 0;
  o.out = out;
  o.capacity = out == NULL ? 0 : capacity;
  o.length = 0;
  while (i < s.n) output_char(&o, decode_at(s, &i));
  return output_finish(&o);
}
