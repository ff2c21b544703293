/* The slot's wire format, decoded once (see slot_decode.h). */
#include "slot_decode.h"

#include <string.h>

#include "buildinfo/slot_layout.h"

static uint32_t load_le16(const unsigned char* p) { return (uint32_t)p[0] | ((uint32_t)p[1] << 8); }

static uint32_t load_le32(const unsigned char* p) { return load_le16(p) | (load_le16(p + 2) << 16); }

static uint32_t load_word(const unsigned char* p, buildinfo_byte_order order) {
  if (order == BUILDINFO_LITTLE_ENDIAN) return load_le32(p);
  return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

/* ---- The note. */

buildinfo_note_defect buildinfo_decode_slot_note(const unsigned char* note, size_t size, buildinfo_byte_order order,
                                                 size_t* slot_offset, size_t* slot_size) {
  uint32_t descsz;
  if (size < BUILDINFO_NOTE_HEADER_SIZE) return BUILDINFO_NOTE_TOO_SMALL;
  /* The name's two bytes of padding are not looked at: readers of notes
   * skip padding (ELF gABI, "Note Section"). */
  if (load_word(note, order) != BUILDINFO_NOTE_NAME_SIZE || load_word(note + 8, order) != BUILDINFO_NOTE_TYPE ||
      memcmp(note + 12, BUILDINFO_NOTE_NAME, BUILDINFO_NOTE_NAME_SIZE) != 0)
    return BUILDINFO_NOTE_NOT_BUILDINFO;
  descsz = load_word(note + 4, order);
  if (descsz > size - BUILDINFO_NOTE_HEADER_SIZE) return BUILDINFO_NOTE_DESC_OVERRUN;
  *slot_offset = BUILDINFO_NOTE_HEADER_SIZE;
  *slot_size = descsz;
  return BUILDINFO_NOTE_VALID;
}

const char* buildinfo_note_defect_text(buildinfo_note_defect defect) {
  switch (defect) {
    case BUILDINFO_NOTE_VALID: return "a buildinfo note";
    case BUILDINFO_NOTE_TOO_SMALL: return "too small to hold a note header";
    case BUILDINFO_NOTE_NOT_BUILDINFO: return "does not start with a buildinfo note";
    case BUILDINFO_NOTE_DESC_OVERRUN: return "note size runs past the section";
  }
  return "unknown note defect";
}

/* ---- The header. */

buildinfo_slot_defect buildinfo_decode_slot_header(const unsigned char* slot, size_t size, buildinfo_slot_header* out) {
  memset(out, 0, sizeof *out);
  if (size < BUILDINFO_HEADER_SIZE) return BUILDINFO_SLOT_TOO_SMALL;
  out->version = load_le16(slot + BUILDINFO_OFF_VERSION);
  out->header_size = load_le16(slot + BUILDINFO_OFF_HEADER_SIZE);
  out->capacity = load_le32(slot + BUILDINFO_OFF_CAPACITY);
  out->payload_length = load_le32(slot + BUILDINFO_OFF_PAYLOAD_LENGTH);
  out->signature_algorithm = load_le16(slot + BUILDINFO_OFF_SIG_ALGORITHM);
  out->signature_length = load_le16(slot + BUILDINFO_OFF_SIG_LENGTH);
  out->key_id = slot + BUILDINFO_OFF_KEY_ID;
  if (memcmp(slot + BUILDINFO_OFF_MAGIC, BUILDINFO_MAGIC, BUILDINFO_MAGIC_SIZE) != 0) return BUILDINFO_SLOT_BAD_MAGIC;
  /* Newer minor revisions keep the v1 header and may grow it (FORMAT.md). */
  if (out->version != BUILDINFO_FORMAT_VERSION) return BUILDINFO_SLOT_UNSUPPORTED_VERSION;
  if (!BUILDINFO_CAPACITY_IN_RANGE(out->capacity)) return BUILDINFO_SLOT_CAPACITY_OUT_OF_RANGE;
  if (out->header_size < BUILDINFO_HEADER_SIZE || out->header_size > out->capacity)
    return BUILDINFO_SLOT_BAD_HEADER_SIZE;
  if (out->capacity > size) return BUILDINFO_SLOT_CAPACITY_OVERRUN;
  if ((uint64_t)out->header_size + out->payload_length + out->signature_length > out->capacity)
    return BUILDINFO_SLOT_CONTENTS_OVERRUN;
  return BUILDINFO_SLOT_VALID;
}

const char* buildinfo_slot_defect_text(buildinfo_slot_defect defect) {
  switch (defect) {
    case BUILDINFO_SLOT_VALID: return "a valid slot header";
    case BUILDINFO_SLOT_TOO_SMALL: return "slot is smaller than its header";
    case BUILDINFO_SLOT_BAD_MAGIC: return "slot header magic is not BLDINFO";
    case BUILDINFO_SLOT_UNSUPPORTED_VERSION: return "slot format version is not supported (this reader reads 1)";
    case BUILDINFO_SLOT_CAPACITY_OUT_OF_RANGE: return "slot capacity is below 256 bytes or above 1 MiB";
    case BUILDINFO_SLOT_BAD_HEADER_SIZE: return "slot header size is below 64 or past the capacity";
    case BUILDINFO_SLOT_CAPACITY_OVERRUN: return "slot capacity exceeds its section";
    case BUILDINFO_SLOT_CONTENTS_OVERRUN: return "slot payload and signature overrun the slot capacity";
  }
  return "unknown slot defect";
}

/* ---- The bytes that must be zero. */

typedef struct unbound_range {
  uint64_t begin;
  uint64_t end;
  buildinfo_unbound_field field;
} unbound_range;

/* The ranges, in slot order; returns how many (at most 7). */
static size_t unbound_ranges(const buildinfo_slot_header* h, unbound_range* out) {
  const uint64_t payload_end = (uint64_t)h->header_size + h->payload_length;
  const uint64_t signature_end = payload_end + h->signature_length;
  const int is_unsigned = h->signature_algorithm == BUILDINFO_SIG_NONE;
  size_t n = 0;
  if (h->payload_length == 0) {
    /* An empty slot is the magic, version, header size and capacity, then zeros. */
    out[n].begin = BUILDINFO_OFF_PAYLOAD_LENGTH;
    out[n].end = h->capacity;
    out[n++].field = BUILDINFO_UNBOUND_EMPTY_SLOT_TAIL;
    return n;
  }
  if (is_unsigned) {
    out[n].begin = BUILDINFO_OFF_SIG_LENGTH;
    out[n].end = BUILDINFO_OFF_KEY_ID;
    out[n++].field = BUILDINFO_UNBOUND_UNSIGNED_SIGNATURE_LENGTH;
    out[n].begin = BUILDINFO_OFF_KEY_ID;
    out[n].end = BUILDINFO_OFF_FLAGS;
    out[n++].field = BUILDINFO_UNBOUND_UNSIGNED_KEY_ID;
  }
  out[n].begin = BUILDINFO_OFF_FLAGS;
  out[n].end = BUILDINFO_OFF_RESERVED;
  out[n++].field = BUILDINFO_UNBOUND_FLAGS;
  out[n].begin = BUILDINFO_OFF_RESERVED;
  out[n].end = BUILDINFO_HEADER_SIZE;
  out[n++].field = BUILDINFO_UNBOUND_RESERVED;
  out[n].begin = BUILDINFO_HEADER_SIZE;
  out[n].end = h->header_size;
  out[n++].field = BUILDINFO_UNBOUND_HEADER_EXTENSION;
  if (is_unsigned) {
    out[n].begin = payload_end;
    out[n].end = signature_end;
    out[n++].field = BUILDINFO_UNBOUND_UNSIGNED_SIGNATURE;
  }
  out[n].begin = signature_end;
  out[n].end = h->capacity;
  out[n++].field = BUILDINFO_UNBOUND_PADDING;
  return n;
}

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

int buildinfo_unbound_bytes_zero(const unsigned char* slot, const buildinfo_slot_header* header) {
  unbound_range ranges[7];
  const size_t n = unbound_ranges(header, ranges);
  size_t i;
  for (i = 0; i < n; ++i)
    if (ranges[i].end > ranges[i].begin && !all_zero(slot + ranges[i].begin, (size_t)(ranges[i].end - ranges[i].begin)))
      return 0;
  return 1;
}

void buildinfo_count_unbound_bytes(const unsigned char* slot, const buildinfo_slot_header* header,
                                   buildinfo_unbound_bytes* out) {
  unbound_range ranges[7];
  const size_t n = unbound_ranges(header, ranges);
  size_t i;
  uint64_t at;
  memset(out, 0, sizeof *out);
  for (i = 0; i < n; ++i) {
    if (ranges[i].end <= ranges[i].begin) continue;
    out->checked += ranges[i].end - ranges[i].begin;
    for (at = ranges[i].begin; at < ranges[i].end; ++at) {
      if (slot[at] == 0) continue;
      if (out->nonzero++ == 0) {
        out->first = at;
        out->first_field = ranges[i].field;
      }
    }
  }
}

const char* buildinfo_unbound_field_text(buildinfo_unbound_field field) {
  switch (field) {
    case BUILDINFO_UNBOUND_EMPTY_SLOT_TAIL: return "a slot whose payload_length is 0";
    case BUILDINFO_UNBOUND_UNSIGNED_SIGNATURE_LENGTH: return "signature_length of an unsigned stamp";
    case BUILDINFO_UNBOUND_UNSIGNED_KEY_ID: return "key_id of an unsigned stamp";
    case BUILDINFO_UNBOUND_FLAGS: return "flags";
    case BUILDINFO_UNBOUND_RESERVED: return "reserved";
    case BUILDINFO_UNBOUND_HEADER_EXTENSION: return "header bytes past offset 64";
    case BUILDINFO_UNBOUND_UNSIGNED_SIGNATURE: return "signature bytes of an unsigned stamp";
    case BUILDINFO_UNBOUND_PADDING: return "padding";
  }
  return "unknown field";
}

/* ---- The payload. */

/* The smallest field, `"":""` plus a separator, takes 6 bytes of JSON. */
#define MIN_FIELD_BYTES 6u

size_t buildinfo_payload_max_fields(size_t payload_length) { return payload_length / MIN_FIELD_BYTES + 1; }

int buildinfo_payload_defect_is_canonical_only(buildinfo_payload_defect defect) {
  return defect == BUILDINFO_PAYLOAD_WHITESPACE || defect == BUILDINFO_PAYLOAD_KEY_ORDER ||
         defect == BUILDINFO_PAYLOAD_NONCANONICAL_ESCAPE;
}

const char* buildinfo_payload_defect_text(buildinfo_payload_defect defect) {
  switch (defect) {
    case BUILDINFO_PAYLOAD_CANONICAL: return "canonical";
    case BUILDINFO_PAYLOAD_NOT_AN_OBJECT: return "not a JSON object";
    case BUILDINFO_PAYLOAD_EXPECTED_STRING: return "a key or value that is not a string";
    case BUILDINFO_PAYLOAD_EXPECTED_COLON: return "no ':' after a key";
    case BUILDINFO_PAYLOAD_EXPECTED_SEPARATOR: return "neither ',' nor '}' after a value";
    case BUILDINFO_PAYLOAD_UNTERMINATED_STRING: return "a string without its closing quote";
    case BUILDINFO_PAYLOAD_CONTROL_CHARACTER: return "a control character that is not escaped";
    case BUILDINFO_PAYLOAD_BAD_ESCAPE: return "an invalid escape";
    case BUILDINFO_PAYLOAD_INVALID_UTF8: return "bytes that are not UTF-8";
    case BUILDINFO_PAYLOAD_TRAILING_BYTES: return "bytes after the object";
    case BUILDINFO_PAYLOAD_NO_SPACE: return "more text than the storage given";
    case BUILDINFO_PAYLOAD_WHITESPACE: return "whitespace between tokens";
    case BUILDINFO_PAYLOAD_KEY_ORDER: return "a key that is not after the one before it (unsorted or repeated)";
    case BUILDINFO_PAYLOAD_NONCANONICAL_ESCAPE: return "an escape that canonical form does not write";
  }
  return "unknown payload defect";
}

typedef struct payload_reader {
  const unsigned char* p;
  size_t n;
  size_t i;
  char* text;
  size_t text_capacity;
  size_t text_used;
  buildinfo_payload_defect defect; /* a grammar defect: reading stops */
  size_t defect_offset;
  buildinfo_payload_defect noncanonical; /* the first canonical-only defect */
  size_t noncanonical_offset;
} payload_reader;

/* Both return 0, so that callers can `return fail(...)`. */
static int fail(payload_reader* r, buildinfo_payload_defect defect, size_t offset) {
  r->defect = defect;
  r->defect_offset = offset;
  return 0;
}

static void not_canonical(payload_reader* r, buildinfo_payload_defect defect, size_t offset) {
  if (r->noncanonical != BUILDINFO_PAYLOAD_CANONICAL) return;
  r->noncanonical = defect;
  r->noncanonical_offset = offset;
}

static int put(payload_reader* r, uint32_t byte) {
  if (r->text_used == r->text_capacity) return fail(r, BUILDINFO_PAYLOAD_NO_SPACE, r->i);
  r->text[r->text_used++] = (char)(unsigned char)byte;
  return 1;
}

static int put_utf8(payload_reader* r, uint32_t cp) {
  if (cp < 0x80) return put(r, cp);
  if (cp < 0x800) return put(r, 0xc0 | (cp >> 6)) && put(r, 0x80 | (cp & 0x3f));
  if (cp < 0x10000) return put(r, 0xe0 | (cp >> 12)) && put(r, 0x80 | ((cp >> 6) & 0x3f)) && put(r, 0x80 | (cp & 0x3f));
  return put(r, 0xf0 | (cp >> 18)) && put(r, 0x80 | ((cp >> 12) & 0x3f)) && put(r, 0x80 | ((cp >> 6) & 0x3f)) &&
         put(r, 0x80 | (cp & 0x3f));
}

/* JSON whitespace (RFC 8259, section 2), which canonical form leaves out. */
static void skip_whitespace(payload_reader* r) {
  const size_t start = r->i;
  while (r->i < r->n && (r->p[r->i] == ' ' || r->p[r->i] == '\t' || r->p[r->i] == '\n' || r->p[r->i] == '\r')) ++r->i;
  if (r->i != start) not_canonical(r, BUILDINFO_PAYLOAD_WHITESPACE, start);
}

static int eat(payload_reader* r, unsigned char c) {
  if (r->i < r->n && r->p[r->i] == c) {
    ++r->i;
    return 1;
  }
  return 0;
}

/* Four hex digits; *lowercase says whether no digit was an uppercase letter. */
static int hex4(payload_reader* r, uint32_t* value, int* lowercase) {
  int k;
  if (r->n - r->i < 4) return 0;
  *value = 0;
  *lowercase = 1;
  for (k = 0; k < 4; ++k) {
    const unsigned char c = r->p[r->i++];
    uint32_t digit;
    if (c >= '0' && c <= '9')
      digit = (uint32_t)(c - '0');
    else if (c >= 'a' && c <= 'f')
      digit = (uint32_t)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') {
      digit = (uint32_t)(c - 'A' + 10);
      *lowercase = 0;
    } else
      return 0;
    *value = (*value << 4) | digit;
  }
  return 1;
}

/* The escape after a backslash at `start`. Canonical form writes \" \\ and
 * the short forms of the five controls that have one; every other control
 * as \u00xx in lowercase, and nothing else escaped. */
static int escape(payload_reader* r, size_t start) {
  uint32_t cp, low;
  int lowercase, low_lowercase;
  unsigned char c;
  if (r->i == r->n) return fail(r, BUILDINFO_PAYLOAD_UNTERMINATED_STRING, start);
  c = r->p[r->i++];
  switch (c) {
    case '"': return put(r, '"');
    case '\\': return put(r, '\\');
    case 'b': return put(r, '\b');
    case 'f': return put(r, '\f');
    case 'n': return put(r, '\n');
    case 'r': return put(r, '\r');
    case 't': return put(r, '\t');
    case '/': not_canonical(r, BUILDINFO_PAYLOAD_NONCANONICAL_ESCAPE, start); return put(r, '/');
    case 'u': break;
    default: return fail(r, BUILDINFO_PAYLOAD_BAD_ESCAPE, start);
  }
  if (!hex4(r, &cp, &lowercase)) return fail(r, BUILDINFO_PAYLOAD_BAD_ESCAPE, start);
  if (cp >= 0xdc00 && cp <= 0xdfff) return fail(r, BUILDINFO_PAYLOAD_BAD_ESCAPE, start); /* lone low surrogate */
  if (cp >= 0xd800 && cp <= 0xdbff) {
    if (!eat(r, '\\') || !eat(r, 'u') || !hex4(r, &low, &low_lowercase) || low < 0xdc00 || low > 0xdfff)
      return fail(r, BUILDINFO_PAYLOAD_BAD_ESCAPE, start);
    cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
  }
  if (cp > 0x1f || cp == '\b' || cp == '\f' || cp == '\n' || cp == '\r' || cp == '\t' || !lowercase)
    not_canonical(r, BUILDINFO_PAYLOAD_NONCANONICAL_ESCAPE, start);
  return put_utf8(r, cp);
}

/* One UTF-8 sequence whose lead byte `lead` was just read (RFC 3629,
 * section 4: no overlong forms, no surrogates, nothing past U+10FFFF). */
static int utf8_sequence(payload_reader* r, unsigned char lead) {
  static const uint32_t kMinimum[] = {0, 0x80, 0x800, 0x10000};
  const size_t start = r->i - 1;
  size_t extra, k;
  uint32_t cp;
  if ((lead & 0xe0) == 0xc0) {
    extra = 1;
    cp = lead & 0x1fu;
  } else if ((lead & 0xf0) == 0xe0) {
    extra = 2;
    cp = lead & 0x0fu;
  } else if ((lead & 0xf8) == 0xf0) {
    extra = 3;
    cp = lead & 0x07u;
  } else {
    return fail(r, BUILDINFO_PAYLOAD_INVALID_UTF8, start);
  }
  if (r->n - r->i < extra) return fail(r, BUILDINFO_PAYLOAD_INVALID_UTF8, start);
  for (k = 0; k < extra; ++k) {
    const unsigned char c = r->p[r->i + k];
    if ((c & 0xc0) != 0x80) return fail(r, BUILDINFO_PAYLOAD_INVALID_UTF8, start);
    cp = (cp << 6) | (c & 0x3fu);
  }
  if (cp < kMinimum[extra] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
    return fail(r, BUILDINFO_PAYLOAD_INVALID_UTF8, start);
  if (!put(r, lead)) return 0;
  for (k = 0; k < extra; ++k)
    if (!put(r, r->p[r->i++])) return 0;
  return 1;
}

static int read_string(payload_reader* r, const char** out, size_t* out_size) {
  const size_t start = r->text_used;
  const size_t quote = r->i;
  if (!eat(r, '"')) return fail(r, BUILDINFO_PAYLOAD_EXPECTED_STRING, r->i);
  while (r->i < r->n) {
    const size_t at = r->i;
    const unsigned char c = r->p[r->i++];
    if (c == '"') {
      *out = r->text + start;
      *out_size = r->text_used - start;
      return put(r, '\0'); /* so that the C API hands out C strings */
    }
    if (c < 0x20) return fail(r, BUILDINFO_PAYLOAD_CONTROL_CHARACTER, at);
    if (c == '\\') {
      if (!escape(r, at)) return 0;
    } else if (c >= 0x80) {
      if (!utf8_sequence(r, c)) return 0;
    } else if (!put(r, c)) {
      return 0;
    }
  }
  return fail(r, BUILDINFO_PAYLOAD_UNTERMINATED_STRING, quote);
}

/* Bytewise order, shorter first on a common prefix. */
static int key_less(const buildinfo_field* a, const char* key, size_t key_size) {
  const size_t common = a->key_size < key_size ? a->key_size : key_size;
  const int c = common == 0 ? 0 : memcmp(a->key, key, common);
  return c < 0 || (c == 0 && a->key_size < key_size);
}

static int read_object(payload_reader* r, const buildinfo_payload_storage* storage, size_t* count) {
  *count = 0;
  skip_whitespace(r);
  if (!eat(r, '{')) return fail(r, BUILDINFO_PAYLOAD_NOT_AN_OBJECT, r->i);
  skip_whitespace(r);
  if (!eat(r, '}')) {
    for (;;) {
      buildinfo_field f;
      size_t key_at;
      if (*count == storage->field_capacity) return fail(r, BUILDINFO_PAYLOAD_NO_SPACE, r->i);
      skip_whitespace(r);
      key_at = r->i;
      if (!read_string(r, &f.key, &f.key_size)) return 0;
      skip_whitespace(r);
      if (!eat(r, ':')) return fail(r, BUILDINFO_PAYLOAD_EXPECTED_COLON, r->i);
      skip_whitespace(r);
      if (!read_string(r, &f.value, &f.value_size)) return 0;
      /* Sorted, unique keys: what readers look fields up by. */
      if (*count > 0 && !key_less(&storage->fields[*count - 1], f.key, f.key_size))
        not_canonical(r, BUILDINFO_PAYLOAD_KEY_ORDER, key_at);
      storage->fields[(*count)++] = f;
      skip_whitespace(r);
      if (eat(r, '}')) break;
      if (!eat(r, ',')) return fail(r, BUILDINFO_PAYLOAD_EXPECTED_SEPARATOR, r->i);
    }
  }
  skip_whitespace(r);
  if (r->i != r->n) return fail(r, BUILDINFO_PAYLOAD_TRAILING_BYTES, r->i);
  return 1;
}

buildinfo_payload_defect buildinfo_decode_payload(const unsigned char* payload, size_t length,
                                                  const buildinfo_payload_storage* storage,
                                                  buildinfo_payload_result* result) {
  payload_reader r;
  memset(&r, 0, sizeof r);
  r.p = payload;
  r.n = length;
  r.text = storage->text;
  r.text_capacity = storage->text_capacity;
  result->field_count = 0;
  if (read_object(&r, storage, &result->field_count)) {
    result->defect = r.noncanonical;
    result->defect_offset = r.noncanonical_offset;
  } else {
    result->defect = r.defect;
    result->defect_offset = r.defect_offset;
  }
  return result->defect;
}
