/* The slot's wire format, decoded in one place for the runtime and the tool
 * (FORMAT.md, "The slot" and "The payload"): the note that wraps a slot, the
 * slot header, the bytes that must be zero, and the payload grammar.
 * Internal. Plain C99: nothing is allocated, nothing is thrown, nothing is
 * read outside the bytes given. Each decoder says what is wrong as a defect
 * code, which the runtime turns into a status and the tool into a message. */
#ifndef BUILDINFO_SLOT_DECODE_H
#define BUILDINFO_SLOT_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "buildinfo/buildinfo.h"
#include "elf_note_walk.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- The note that wraps a slot: namesz 10, type "BINF", name "buildinfo". */

typedef enum buildinfo_note_defect {
  BUILDINFO_NOTE_VALID = 0,
  BUILDINFO_NOTE_TOO_SMALL,     /* fewer bytes than a note header */
  BUILDINFO_NOTE_NOT_BUILDINFO, /* another name, name size or type */
  BUILDINFO_NOTE_DESC_OVERRUN   /* descsz runs past the bytes given */
} buildinfo_note_defect;

/* Checks that `note` (size bytes, words in `order`) starts with a buildinfo
 * note and sets *slot_offset and *slot_size (descsz: the slot's capacity). */
buildinfo_note_defect buildinfo_decode_slot_note(const unsigned char* note, size_t size, buildinfo_byte_order order,
                                                 size_t* slot_offset, size_t* slot_size);

const char* buildinfo_note_defect_text(buildinfo_note_defect defect);

/* ---- The slot header (little-endian). */

typedef struct buildinfo_slot_header {
  uint32_t version;
  uint32_t header_size;
  uint32_t capacity;
  uint32_t payload_length; /* 0: not stamped */
  uint32_t signature_algorithm;
  uint32_t signature_length;
  const unsigned char* key_id; /* BUILDINFO_KEY_ID_SIZE bytes inside the slot */
} buildinfo_slot_header;

typedef enum buildinfo_slot_defect {
  BUILDINFO_SLOT_VALID = 0,
  BUILDINFO_SLOT_TOO_SMALL,             /* fewer bytes than the header */
  BUILDINFO_SLOT_BAD_MAGIC,             /* not "BLDINFO\0" */
  BUILDINFO_SLOT_UNSUPPORTED_VERSION,   /* a format version this reader does not know */
  BUILDINFO_SLOT_CAPACITY_OUT_OF_RANGE, /* below 256 bytes or above 1 MiB */
  BUILDINFO_SLOT_BAD_HEADER_SIZE,       /* below 64 or past the capacity */
  BUILDINFO_SLOT_CAPACITY_OVERRUN,      /* capacity past the bytes given */
  BUILDINFO_SLOT_CONTENTS_OVERRUN       /* header, payload and signature past the capacity */
} buildinfo_slot_defect;

/* Decodes the header of the slot at `slot` (size bytes available). The
 * header fields are filled as far as they could be read, even on a defect. */
buildinfo_slot_defect buildinfo_decode_slot_header(const unsigned char* slot, size_t size, buildinfo_slot_header* out);

const char* buildinfo_slot_defect_text(buildinfo_slot_defect defect);

/* ---- The bytes that nothing binds but their being zero (FORMAT.md, "Bound
 * bytes"), for a slot whose header decoded without defect. */

typedef enum buildinfo_unbound_field {
  BUILDINFO_UNBOUND_EMPTY_SLOT_TAIL, /* after the capacity field of a slot not stamped */
  BUILDINFO_UNBOUND_UNSIGNED_SIGNATURE_LENGTH,
  BUILDINFO_UNBOUND_UNSIGNED_KEY_ID,
  BUILDINFO_UNBOUND_FLAGS,
  BUILDINFO_UNBOUND_RESERVED,
  BUILDINFO_UNBOUND_HEADER_EXTENSION, /* header bytes past offset 64 */
  BUILDINFO_UNBOUND_UNSIGNED_SIGNATURE,
  BUILDINFO_UNBOUND_PADDING
} buildinfo_unbound_field;

typedef struct buildinfo_unbound_bytes {
  uint64_t checked;                    /* how many bytes must be zero */
  uint64_t nonzero;                    /* how many of them are not */
  uint64_t first;                      /* slot offset of the first that is not */
  buildinfo_unbound_field first_field; /* and what it belongs to */
} buildinfo_unbound_bytes;

/* Whether every such byte is zero; fast, for the runtime. */
int buildinfo_unbound_bytes_zero(const unsigned char* slot, const buildinfo_slot_header* header);

/* Counts them and names the first that is not zero, for the tool's report. */
void buildinfo_count_unbound_bytes(const unsigned char* slot, const buildinfo_slot_header* header,
                                   buildinfo_unbound_bytes* out);

const char* buildinfo_unbound_field_text(buildinfo_unbound_field field);

/* ---- The payload grammar: one JSON object (RFC 8259) whose values are all
 * strings, in canonical form: keys sorted bytewise and unique, no
 * whitespace, UTF-8 as is, and only the escapes that must be written (\" \\,
 * \b \t \n \f \r, else \u00xx in lowercase hex for the other controls).
 * The decoder reads the wider JSON grammar too, so that it can tell a
 * payload that is not a flat object of strings from one that is but is not
 * canonical; only a canonical payload is valid. */

typedef enum buildinfo_payload_defect {
  BUILDINFO_PAYLOAD_CANONICAL = 0,
  /* Not a flat JSON object of strings. */
  BUILDINFO_PAYLOAD_NOT_AN_OBJECT,   /* the text does not start with { */
  BUILDINFO_PAYLOAD_EXPECTED_STRING, /* a key or a value that is not a string */
  BUILDINFO_PAYLOAD_EXPECTED_COLON,
  BUILDINFO_PAYLOAD_EXPECTED_SEPARATOR, /* neither , nor } after a value */
  BUILDINFO_PAYLOAD_UNTERMINATED_STRING,
  BUILDINFO_PAYLOAD_CONTROL_CHARACTER, /* a raw byte below 0x20 in a string */
  BUILDINFO_PAYLOAD_BAD_ESCAPE,        /* an unknown escape, bad hex or a lone surrogate */
  BUILDINFO_PAYLOAD_INVALID_UTF8,
  BUILDINFO_PAYLOAD_TRAILING_BYTES, /* anything after the object */
  BUILDINFO_PAYLOAD_NO_SPACE,       /* the caller's storage is too small */
  /* A flat object of strings, but not in canonical form. */
  BUILDINFO_PAYLOAD_WHITESPACE,
  BUILDINFO_PAYLOAD_KEY_ORDER, /* a key not after the one before it: unsorted or repeated */
  BUILDINFO_PAYLOAD_NONCANONICAL_ESCAPE
} buildinfo_payload_defect;

/* Whether a defect only breaks canonical form (the text is still a flat
 * JSON object of strings). */
int buildinfo_payload_defect_is_canonical_only(buildinfo_payload_defect defect);

const char* buildinfo_payload_defect_text(buildinfo_payload_defect defect);

/* Where a payload's fields and their decoded text go. Keys and values are
 * NUL-terminated inside `text`, which never needs more than the payload's
 * length; buildinfo_payload_max_fields(length) fields always suffice. */
typedef struct buildinfo_payload_storage {
  buildinfo_field* fields;
  size_t field_capacity;
  char* text;
  size_t text_capacity;
} buildinfo_payload_storage;

size_t buildinfo_payload_max_fields(size_t payload_length);

typedef struct buildinfo_payload_result {
  buildinfo_payload_defect defect; /* the first grammar defect, else the first canonical one */
  size_t defect_offset;            /* its byte offset in the payload */
  size_t field_count;              /* fields decoded (all of them unless a grammar defect stopped it) */
} buildinfo_payload_result;

/* Decodes `payload` (length bytes). Returns result->defect. */
buildinfo_payload_defect buildinfo_decode_payload(const unsigned char* payload, size_t length,
                                                  const buildinfo_payload_storage* storage,
                                                  buildinfo_payload_result* result);

#ifdef __cplusplus
}
#endif

#endif /* BUILDINFO_SLOT_DECODE_H */
