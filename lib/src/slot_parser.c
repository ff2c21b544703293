/* Parses slot bytes (FORMAT.md: the header, then a flat JSON object of
 * strings) into a record, without allocating: all output goes into the
 * caller's storage. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "buildinfo/buildinfo.h"
#include "buildinfo/slot_layout.h"

/* The smallest field, `"":""` plus a separator, takes 6 bytes of JSON. */
#define MIN_FIELD_BYTES 6u
#define KEY_ID_HEX_SIZE (2u * BUILDINFO_KEY_ID_SIZE)

static uint32_t load_le16(const unsigned char* p) { return (uint32_t)p[0] | ((uint32_t)p[1] << 8); }

static uint32_t load_le32(const unsigned char* p) { return load_le16(p) | (load_le16(p + 2) << 16); }

static size_t max_fields(size_t slot_size) { return slot_size / MIN_FIELD_BYTES + 1; }

/* Eight bytes at a time: a 4 KB slot's padding then takes about 0.3 us
 * instead of 2.5 us byte by byte (gcc -O2, x86_64). */
static int all_zero(const unsigned char* p, size_t n) {
  uint64_t any = 0, word;
  size_t i = 0;
  for (; i + sizeof word <= n; i += sizeof word) {
    memcpy(&word, p + i, sizeof word);
    any |= word;
  }
  for (; i < n; ++i) any |= p[i];
  return any == 0;
}

/* Whether the bytes of a stamped slot that neither the signature nor the
 * image digest binds are zero, as a stamp writes them (FORMAT.md, "Bound
 * bytes"): flags, reserved, header bytes past 64, the padding after the
 * signature; for an unsigned stamp also its signature length, key id and
 * signature bytes. The caller has checked that the lengths fit `capacity`. */
static int unbound_bytes_zero(const unsigned char* slot, uint32_t header_size, uint32_t payload_length,
                              uint32_t sig_length, uint32_t algorithm, uint32_t capacity) {
  const size_t payload_end = (size_t)header_size + payload_length;
  if (!all_zero(slot + BUILDINFO_OFF_FLAGS, header_size - BUILDINFO_OFF_FLAGS)) return 0;
  if (!all_zero(slot + payload_end + sig_length, capacity - payload_end - sig_length)) return 0;
  if (algorithm != BUILDINFO_SIG_NONE) return 1;
  return sig_length == 0 && all_zero(slot + BUILDINFO_OFF_KEY_ID, BUILDINFO_KEY_ID_SIZE);
}

/* The alignment the field array needs. */
struct field_alignment_probe {
  char c;
  buildinfo_field f;
};
#define FIELD_ALIGNMENT offsetof(struct field_alignment_probe, f)

/* Decoded JSON strings go into a bounded output buffer. */
typedef struct text_sink {
  char* out;
  size_t size;
  size_t used;
} text_sink;

static int put(text_sink* sink, unsigned int c) {
  if (sink->used == sink->size) return 0;
  sink->out[sink->used++] = (char)(unsigned char)c;
  return 1;
}

static int put_utf8(text_sink* sink, uint32_t cp) {
  if (cp < 0x80) return put(sink, cp);
  if (cp < 0x800) return put(sink, 0xc0 | (cp >> 6)) && put(sink, 0x80 | (cp & 0x3f));
  if (cp < 0x10000)
    return put(sink, 0xe0 | (cp >> 12)) && put(sink, 0x80 | ((cp >> 6) & 0x3f)) && put(sink, 0x80 | (cp & 0x3f));
  return put(sink, 0xf0 | (cp >> 18)) && put(sink, 0x80 | ((cp >> 12) & 0x3f)) &&
         put(sink, 0x80 | ((cp >> 6) & 0x3f)) && put(sink, 0x80 | (cp & 0x3f));
}

/* A strict reader of the payload grammar: {"k":"v",...} with JSON
 * whitespace allowed between tokens and JSON string escapes decoded. */
typedef struct payload_reader {
  const unsigned char* p;
  size_t n;
  size_t i;
  text_sink* sink;
} payload_reader;

static void skip_ws(payload_reader* r) {
  while (r->i < r->n && (r->p[r->i] == ' ' || r->p[r->i] == '\t' || r->p[r->i] == '\n' || r->p[r->i] == '\r')) ++r->i;
}

static int eat(payload_reader* r, unsigned char c) {
  if (r->i < r->n && r->p[r->i] == c) {
    ++r->i;
    return 1;
  }
  return 0;
}

static int at_end(payload_reader* r) {
  skip_ws(r);
  return r->i == r->n;
}

static int hex4(payload_reader* r, uint32_t* v) {
  int k;
  if (r->n - r->i < 4) return 0;
  *v = 0;
  for (k = 0; k < 4; ++k) {
    const unsigned char c = r->p[r->i++];
    uint32_t d;
    if (c >= '0' && c <= '9') d = (uint32_t)(c - '0');
    else if (c >= 'a' && c <= 'f') d = (uint32_t)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') d = (uint32_t)(c - 'A' + 10);
    else return 0;
    *v = (*v << 4) | d;
  }
  return 1;
}

static int escape(payload_reader* r) {
  uint32_t cp, low;
  unsigned char c;
  if (r->i == r->n) return 0;
  c = r->p[r->i++];
  switch (c) {
    case '"': return put(r->sink, '"');
    case '\\': return put(r->sink, '\\');
    case '/': return put(r->sink, '/');
    case 'b': return put(r->sink, '\b');
    case 'f': return put(r->sink, '\f');
    case 'n': return put(r->sink, '\n');
    case 'r': return put(r->sink, '\r');
    case 't': return put(r->sink, '\t');
    case 'u': break;
    default: return 0;
  }
  if (!hex4(r, &cp)) return 0;
  if (cp >= 0xdc00 && cp <= 0xdfff) return 0; /* lone low surrogate */
  if (cp >= 0xd800 && cp <= 0xdbff) {
    if (!eat(r, '\\') || !eat(r, 'u') || !hex4(r, &low) || low < 0xdc00 || low > 0xdfff) return 0;
    cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
  }
  return put_utf8(r->sink, cp);
}

static int read_string(payload_reader* r, const char** out, size_t* out_size) {
  const size_t start = r->sink->used;
  if (!eat(r, '"')) return 0;
  while (r->i < r->n) {
    const unsigned char c = r->p[r->i++];
    if (c == '"') {
      *out = r->sink->out + start;
      *out_size = r->sink->used - start;
      return put(r->sink, '\0'); /* so the C API can hand out the same bytes */
    }
    if (c < 0x20) return 0;
    if (c == '\\') {
      if (!escape(r)) return 0;
    } else if (!put(r->sink, c)) {
      return 0;
    }
  }
  return 0;
}

/* Bytewise order, shorter first on a common prefix (as std::string_view). */
static int key_less(const buildinfo_field* a, const char* key, size_t key_size) {
  const size_t common = a->key_size < key_size ? a->key_size : key_size;
  const int c = common == 0 ? 0 : memcmp(a->key, key, common);
  return c < 0 || (c == 0 && a->key_size < key_size);
}

static int parse_object(payload_reader* r, buildinfo_field* fields, size_t max, size_t* count) {
  *count = 0;
  skip_ws(r);
  if (!eat(r, '{')) return 0;
  skip_ws(r);
  if (eat(r, '}')) return at_end(r);
  for (;;) {
    buildinfo_field f;
    if (*count == max) return 0;
    skip_ws(r);
    if (!read_string(r, &f.key, &f.key_size)) return 0;
    skip_ws(r);
    if (!eat(r, ':')) return 0;
    skip_ws(r);
    if (!read_string(r, &f.value, &f.value_size)) return 0;
    /* Canonical payloads are sorted with unique keys; lookups rely on it. */
    if (*count > 0 && !key_less(&fields[*count - 1], f.key, f.key_size)) return 0;
    fields[(*count)++] = f;
    skip_ws(r);
    if (eat(r, '}')) return at_end(r);
    if (!eat(r, ',')) return 0;
  }
}

static int finish(buildinfo_record* out, int status) {
  out->status = status;
  return status;
}

size_t buildinfo_parse_storage_size(size_t slot_size) {
  return max_fields(slot_size) * sizeof(buildinfo_field) + slot_size + KEY_ID_HEX_SIZE + 1;
}

int buildinfo_parse_slot(const unsigned char* slot, size_t slot_size, void* storage, size_t storage_size,
                         buildinfo_record* out) {
  static const char kHex[] = "0123456789abcdef";
  uint32_t header_size, payload_length, sig_length;
  size_t field_capacity, k;
  buildinfo_field* fields;
  char* text;
  text_sink sink;
  payload_reader reader;

  if (out == NULL) return BUILDINFO_CORRUPT;
  memset(out, 0, sizeof *out);
  out->key_id = "";
  if (slot == NULL || slot_size < BUILDINFO_HEADER_SIZE) return finish(out, BUILDINFO_CORRUPT);
  if (memcmp(slot + BUILDINFO_OFF_MAGIC, BUILDINFO_MAGIC, BUILDINFO_MAGIC_SIZE) != 0)
    return finish(out, BUILDINFO_CORRUPT);

  out->format_version = load_le16(slot + BUILDINFO_OFF_VERSION);
  out->capacity = load_le32(slot + BUILDINFO_OFF_CAPACITY);
  out->signature_algorithm = load_le16(slot + BUILDINFO_OFF_SIG_ALGORITHM);
  header_size = load_le16(slot + BUILDINFO_OFF_HEADER_SIZE);
  payload_length = load_le32(slot + BUILDINFO_OFF_PAYLOAD_LENGTH);
  sig_length = load_le16(slot + BUILDINFO_OFF_SIG_LENGTH);

  /* Newer minor revisions keep the v1 header and may grow it (FORMAT.md). */
  if (out->format_version != BUILDINFO_FORMAT_VERSION) return finish(out, BUILDINFO_UNSUPPORTED);
  if (header_size < BUILDINFO_HEADER_SIZE || out->capacity > slot_size || header_size > out->capacity)
    return finish(out, BUILDINFO_CORRUPT);
  /* Not stamped is the slot as linked: zeros after the capacity field. */
  if (payload_length == 0)
    return finish(out, all_zero(slot + BUILDINFO_OFF_PAYLOAD_LENGTH, out->capacity - BUILDINFO_OFF_PAYLOAD_LENGTH)
                           ? BUILDINFO_NOT_STAMPED
                           : BUILDINFO_CORRUPT);
  if ((uint64_t)header_size + payload_length + sig_length > out->capacity) return finish(out, BUILDINFO_CORRUPT);
  if (!unbound_bytes_zero(slot, header_size, payload_length, sig_length, out->signature_algorithm, out->capacity))
    return finish(out, BUILDINFO_CORRUPT);
  if (storage == NULL || storage_size < buildinfo_parse_storage_size(payload_length) ||
      (uintptr_t)storage % FIELD_ALIGNMENT != 0)
    return finish(out, BUILDINFO_NO_MEMORY);

  /* Storage layout: the field array, then the decoded text, then the key id
   * in hex. Decoded strings with their NULs never outgrow the JSON text. */
  field_capacity = max_fields(payload_length);
  fields = (buildinfo_field*)storage;
  text = (char*)storage + field_capacity * sizeof(buildinfo_field);
  sink.out = text;
  sink.size = payload_length;
  sink.used = 0;
  reader.p = slot + header_size;
  reader.n = payload_length;
  reader.i = 0;
  reader.sink = &sink;
  if (!parse_object(&reader, fields, field_capacity, &out->field_count)) {
    out->field_count = 0;
    return finish(out, BUILDINFO_CORRUPT);
  }
  out->fields = fields;

  if (out->signature_algorithm != BUILDINFO_SIG_NONE) {
    char* hex = text + payload_length;
    for (k = 0; k < BUILDINFO_KEY_ID_SIZE; ++k) {
      hex[2 * k] = kHex[slot[BUILDINFO_OFF_KEY_ID + k] >> 4];
      hex[2 * k + 1] = kHex[slot[BUILDINFO_OFF_KEY_ID + k] & 0xf];
    }
    hex[KEY_ID_HEX_SIZE] = '\0';
    out->key_id = hex;
    out->key_id_size = KEY_ID_HEX_SIZE;
  }
  return finish(out, BUILDINFO_OK);
}
