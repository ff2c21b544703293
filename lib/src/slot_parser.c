/* buildinfo_parse_slot: slot bytes (FORMAT.md) into a record, through the
 * decoders the tool uses too (slot_decode.h), without allocating: all
 * output goes into the caller's storage. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "buildinfo/buildinfo.h"
#include "buildinfo/slot_layout.h"
#include "slot_decode.h"

#define KEY_ID_HEX_SIZE (2u * BUILDINFO_KEY_ID_SIZE)

/* The alignment the field array needs. */
struct field_alignment_probe {
  char c;
  buildinfo_field f;
};
#define FIELD_ALIGNMENT offsetof(struct field_alignment_probe, f)

static int finish(buildinfo_record* out, int status) {
  out->status = status;
  return status;
}

size_t buildinfo_parse_storage_size(size_t slot_size) {
  return buildinfo_payload_max_fields(slot_size) * sizeof(buildinfo_field) + slot_size + KEY_ID_HEX_SIZE + 1;
}

int buildinfo_parse_slot(const unsigned char* slot, size_t slot_size, void* storage, size_t storage_size,
                         buildinfo_record* out) {
  static const char kHex[] = "0123456789abcdef";
  buildinfo_slot_header header;
  buildinfo_slot_defect slot_defect;
  buildinfo_payload_storage payload_storage;
  buildinfo_payload_result payload;
  size_t k;

  if (out == NULL) return BUILDINFO_CORRUPT;
  memset(out, 0, sizeof *out);
  out->key_id = "";
  if (slot == NULL) return finish(out, BUILDINFO_CORRUPT);
  slot_defect = buildinfo_decode_slot_header(slot, slot_size, &header);
  if (slot_defect == BUILDINFO_SLOT_TOO_SMALL || slot_defect == BUILDINFO_SLOT_BAD_MAGIC)
    return finish(out, BUILDINFO_CORRUPT);
  out->format_version = header.version;
  out->capacity = header.capacity;
  out->signature_algorithm = header.signature_algorithm;
  if (slot_defect == BUILDINFO_SLOT_UNSUPPORTED_VERSION) return finish(out, BUILDINFO_UNSUPPORTED);
  if (slot_defect != BUILDINFO_SLOT_VALID || !buildinfo_unbound_bytes_zero(slot, &header))
    return finish(out, BUILDINFO_CORRUPT);
  /* Not stamped is the slot as linked: zeros after the capacity field. */
  if (header.payload_length == 0) return finish(out, BUILDINFO_NOT_STAMPED);
  if (storage == NULL || storage_size < buildinfo_parse_storage_size(header.payload_length) ||
      (uintptr_t)storage % FIELD_ALIGNMENT != 0)
    return finish(out, BUILDINFO_NO_MEMORY);

  /* Storage layout: the field array, then the decoded text, then the key id
   * in hex. Decoded strings with their NULs never outgrow the JSON text. */
  payload_storage.fields = (buildinfo_field*)storage;
  payload_storage.field_capacity = buildinfo_payload_max_fields(header.payload_length);
  payload_storage.text = (char*)storage + payload_storage.field_capacity * sizeof(buildinfo_field);
  payload_storage.text_capacity = header.payload_length;
  /* Only the canonical form is valid: a payload another reader could read
   * differently is not a record. */
  if (buildinfo_decode_payload(slot + header.header_size, header.payload_length, &payload_storage, &payload) !=
      BUILDINFO_PAYLOAD_CANONICAL)
    return finish(out, BUILDINFO_CORRUPT);
  out->fields = payload_storage.fields;
  out->field_count = payload.field_count;

  if (header.signature_algorithm != BUILDINFO_SIG_NONE) {
    char* hex = payload_storage.text + header.payload_length;
    for (k = 0; k < BUILDINFO_KEY_ID_SIZE; ++k) {
      hex[2 * k] = kHex[header.key_id[k] >> 4];
      hex[2 * k + 1] = kHex[header.key_id[k] & 0xf];
    }
    hex[KEY_ID_HEX_SIZE] = '\0';
    out->key_id = hex;
    out->key_id_size = KEY_ID_HEX_SIZE;
  }
  return finish(out, BUILDINFO_OK);
}
