/* The on-disk layout of the buildinfo slot (FORMAT.md), shared by the runtime,
 * the stamper and freestanding programs. Plain C, no includes beyond <stdint.h>. */
#ifndef BUILDINFO_SLOT_LAYOUT_H
#define BUILDINFO_SLOT_LAYOUT_H

#include <stdint.h>

/* The section that holds the slot, per object format. */
#define BUILDINFO_ELF_SECTION ".note.buildinfo"
#define BUILDINFO_PE_SECTION ".bldinfo"
#define BUILDINFO_MACHO_SEGMENT "__DATA_CONST"
#define BUILDINFO_MACHO_SECTION "__buildinfo"

/* Every format stores the slot as one ELF note record, so that `readelf -n`
 * lists it and one locator rule fits all formats. */
#define BUILDINFO_NOTE_NAME "buildinfo"
#define BUILDINFO_NOTE_NAME_SIZE 10u    /* "buildinfo" and its NUL */
#define BUILDINFO_NOTE_NAME_PADDED 12u  /* padded to 4 bytes */
#define BUILDINFO_NOTE_TYPE 0x464e4942u /* "BINF" in little-endian ASCII; type 1 would read as NT_VERSION */
#define BUILDINFO_NOTE_HEADER_SIZE 24u  /* namesz, descsz, type, name */

/* The slot (the note's desc): a fixed header, then payload, then signature,
 * then zeros up to the capacity. Header fields are little-endian. */
#define BUILDINFO_MAGIC "BLDINFO" /* 8 bytes with its NUL */
#define BUILDINFO_MAGIC_SIZE 8u
#define BUILDINFO_FORMAT_VERSION 1u
#define BUILDINFO_HEADER_SIZE 64u
#define BUILDINFO_DEFAULT_CAPACITY 4096u
#define BUILDINFO_MIN_CAPACITY 256u
#define BUILDINFO_MAX_CAPACITY (1u << 20)
/* Whether a slot capacity is one FORMAT.md allows. */
#define BUILDINFO_CAPACITY_IN_RANGE(capacity) \
  ((capacity) >= BUILDINFO_MIN_CAPACITY && (capacity) <= BUILDINFO_MAX_CAPACITY)

/* Byte offsets of the header fields inside the slot. */
#define BUILDINFO_OFF_MAGIC 0u           /* u8[8]  "BLDINFO\0" */
#define BUILDINFO_OFF_VERSION 8u         /* u16    format version */
#define BUILDINFO_OFF_HEADER_SIZE 10u    /* u16    header size, 64 */
#define BUILDINFO_OFF_CAPACITY 12u       /* u32    whole slot size in bytes */
#define BUILDINFO_OFF_PAYLOAD_LENGTH 16u /* u32    0 = not stamped */
#define BUILDINFO_OFF_SIG_ALGORITHM 20u  /* u16    0 none, 1 Ed25519, 2 ECDSA P-256 */
#define BUILDINFO_OFF_SIG_LENGTH 22u     /* u16    signature bytes after the payload */
#define BUILDINFO_OFF_KEY_ID 24u         /* u8[32] SHA-256 of the DER public key */
#define BUILDINFO_OFF_FLAGS 56u          /* u32    reserved, 0 */
#define BUILDINFO_OFF_RESERVED 60u       /* u32    reserved, 0 */
#define BUILDINFO_KEY_ID_SIZE 32u

#define BUILDINFO_SIG_NONE 0u
#define BUILDINFO_SIG_ED25519 1u
#define BUILDINFO_SIG_ECDSA_P256_SHA256 2u

/* The whole section: note header plus slot. */
#define BUILDINFO_SLOT_STRUCT(capacity)    \
  struct {                                 \
    uint32_t namesz;                       \
    uint32_t descsz;                       \
    uint32_t type;                         \
    char name[BUILDINFO_NOTE_NAME_PADDED]; \
    unsigned char slot[(capacity)];        \
  }

#define BUILDINFO_LE32_BYTES(v)                                                                          \
  (unsigned char)((v)&0xffu), (unsigned char)(((v) >> 8) & 0xffu), (unsigned char)(((v) >> 16) & 0xffu), \
      (unsigned char)(((v) >> 24) & 0xffu)

/* The initializer of an empty slot: a valid header with payload length 0. */
#define BUILDINFO_SLOT_INITIALIZER(capacity)                                                                           \
  {                                                                                                                    \
    BUILDINFO_NOTE_NAME_SIZE, (capacity), BUILDINFO_NOTE_TYPE, {'b', 'u', 'i', 'l', 'd', 'i', 'n', 'f', 'o', 0, 0, 0}, \
    {                                                                                                                  \
      'B', 'L', 'D', 'I', 'N', 'F', 'O', 0, BUILDINFO_FORMAT_VERSION, 0, BUILDINFO_HEADER_SIZE, 0,                     \
          BUILDINFO_LE32_BYTES(capacity)                                                                               \
    }                                                                                                                  \
  }

/* Section placement and "keep me" attributes for each object format. */
#if defined(__APPLE__) || defined(__MACH__)
#define BUILDINFO_SLOT_ATTRIBUTES \
  __attribute__((section(BUILDINFO_MACHO_SEGMENT "," BUILDINFO_MACHO_SECTION), used, aligned(4), visibility("hidden")))
#elif defined(_WIN32)
#define BUILDINFO_SLOT_ATTRIBUTES __attribute__((section(BUILDINFO_PE_SECTION), used, aligned(4)))
#else
/* `retain` sets SHF_GNU_RETAIN so that --gc-sections keeps the note. (The
 * two tests are nested: a preprocessor without __has_attribute, or one run
 * with -Wundef, must not see it used.) */
#if defined(__has_attribute)
#if __has_attribute(retain)
#define BUILDINFO_SLOT_RETAIN retain,
#endif
#endif
#ifndef BUILDINFO_SLOT_RETAIN
#define BUILDINFO_SLOT_RETAIN
#endif
#define BUILDINFO_SLOT_ATTRIBUTES \
  __attribute__((section(BUILDINFO_ELF_SECTION), used, BUILDINFO_SLOT_RETAIN aligned(4), visibility("hidden")))
#endif

/* C linkage for definitions (BUILDINFO_EXTERN_C) and for declarations of
 * objects defined elsewhere (BUILDINFO_EXTERN_DECLARATION). */
#ifdef __cplusplus
#define BUILDINFO_EXTERN_C extern "C"
#define BUILDINFO_EXTERN_DECLARATION extern "C"
#else
#define BUILDINFO_EXTERN_C
#define BUILDINFO_EXTERN_DECLARATION extern
#endif

#if defined(_WIN32)
#define BUILDINFO_LOCAL_FUNCTION
#else
#define BUILDINFO_LOCAL_FUNCTION __attribute__((visibility("hidden")))
#endif

/* Defines the slot object `buildinfo_slot` with the given capacity, and the
 * accessor the runtime reads it through. Use it in exactly one source file of
 * a module; the runtime library ships a default. Each is declared before it
 * is defined, so that projects building with -Wmissing-prototypes,
 * -Wmissing-variable-declarations and -Werror (C89 included) compile it.
 * A capacity outside 256 bytes to 1 MiB does not compile: the array type at
 * the end gets a negative size (static_assert is not in C89), and the
 * compiler's error names it. */
#define BUILDINFO_DEFINE_SLOT(capacity)                                                                            \
  typedef BUILDINFO_SLOT_STRUCT(capacity) buildinfo_slot_type;                                                     \
  BUILDINFO_EXTERN_DECLARATION const buildinfo_slot_type buildinfo_slot;                                           \
  BUILDINFO_EXTERN_C BUILDINFO_SLOT_ATTRIBUTES const buildinfo_slot_type buildinfo_slot =                          \
      BUILDINFO_SLOT_INITIALIZER(capacity);                                                                        \
  BUILDINFO_EXTERN_C BUILDINFO_LOCAL_FUNCTION const unsigned char* buildinfo_slot_bytes(uint32_t* slot_capacity);  \
  BUILDINFO_EXTERN_C BUILDINFO_LOCAL_FUNCTION const unsigned char* buildinfo_slot_bytes(uint32_t* slot_capacity) { \
    *slot_capacity = (capacity);                                                                                   \
    return buildinfo_slot.slot;                                                                                    \
  }                                                                                                                \
  typedef char buildinfo_slot_capacity_must_be_256_to_1048576_bytes[BUILDINFO_CAPACITY_IN_RANGE(capacity) ? 1 : -1]

/* The package note of UAPI.8, "Package Metadata for Executable Files"
 * (https://uapi-group.org/specifications/specs/package_metadata_for_executable_files/):
 * one JSON object, NUL-terminated and zero-padded, in an ELF note of owner
 * "FDO" and type 0xcafe1a7e in the section .note.package, or in the PE
 * section .pkgnote with no note header. buildinfo reserves it empty at
 * link time and `stamp` fills it in place (FORMAT.md, "The package note"). */
#define BUILDINFO_PACKAGE_NOTE_ELF_SECTION ".note.package"
#define BUILDINFO_PACKAGE_NOTE_PE_SECTION ".pkgnote"
#define BUILDINFO_PACKAGE_NOTE_OWNER "FDO"
#define BUILDINFO_PACKAGE_NOTE_OWNER_SIZE 4u /* "FDO" and its NUL */
#define BUILDINFO_PACKAGE_NOTE_TYPE 0xcafe1a7eu
#define BUILDINFO_PACKAGE_NOTE_DEFAULT_CAPACITY 512u
/* A reserved note keeps at least this many zero bytes after its JSON's
 * NUL: what tells it from a note a linker wrote to fit its JSON exactly. */
#define BUILDINFO_PACKAGE_NOTE_SLACK 4u

/* Defines the empty package note of a module (ELF and PE; Mach-O has none),
 * `capacity` bytes of JSON space holding "{}". Use it in one source file of a
 * module; buildinfo_stamp() does. */
#if defined(_WIN32)
#define BUILDINFO_DEFINE_PACKAGE_NOTE(capacity)                                                    \
  BUILDINFO_EXTERN_DECLARATION const char buildinfo_package_note[(capacity)];                      \
  BUILDINFO_EXTERN_C __attribute__((section(BUILDINFO_PACKAGE_NOTE_PE_SECTION), used, aligned(4))) \
  const char buildinfo_package_note[(capacity)] = "{}";                                            \
  typedef char                                                                                     \
      buildinfo_package_note_capacity_must_be_16_to_65536_bytes[(capacity) >= 16 && (capacity) <= 65536 ? 1 : -1]
#elif defined(__APPLE__) || defined(__MACH__)
#define BUILDINFO_DEFINE_PACKAGE_NOTE(capacity) typedef int buildinfo_no_package_note_in_macho
#else
#define BUILDINFO_DEFINE_PACKAGE_NOTE(capacity)                                                              \
  typedef struct {                                                                                           \
    uint32_t namesz;                                                                                         \
    uint32_t descsz;                                                                                         \
    uint32_t type;                                                                                           \
    char name[BUILDINFO_PACKAGE_NOTE_OWNER_SIZE];                                                            \
    char desc[(capacity)];                                                                                   \
  } buildinfo_package_note_type;                                                                             \
  BUILDINFO_EXTERN_DECLARATION const buildinfo_package_note_type buildinfo_package_note;                     \
  BUILDINFO_EXTERN_C __attribute__((section(BUILDINFO_PACKAGE_NOTE_ELF_SECTION), used,                       \
                                    BUILDINFO_SLOT_RETAIN aligned(4), visibility("hidden")))                 \
  const buildinfo_package_note_type buildinfo_package_note = {BUILDINFO_PACKAGE_NOTE_OWNER_SIZE, (capacity), \
                                                              BUILDINFO_PACKAGE_NOTE_TYPE, "FDO", "{}"};     \
  typedef char buildinfo_package_note_capacity_must_be_16_to_65536_bytes                                     \
      [(capacity) >= 16 && (capacity) <= 65536 && (capacity) % 4 == 0 ? 1 : -1]
#endif

/* The dependency inventory (FORMAT.md, "The dependency inventory"): one
 * JSON object listing what the module links, NUL-terminated and
 * zero-padded, which `stamp` writes in place and the record binds by its
 * SHA-256 (deps.sha256). ELF: a note of owner "buildinfo" and its own type
 * in the section .note.buildinfo.deps, so that it is found through PT_NOTE
 * like the slot; PE: the section .bideps; Mach-O: __DATA_CONST,__bideps.
 * The runtime never reads it. As linked it holds "{}". */
#define BUILDINFO_DEPS_ELF_SECTION ".note.buildinfo.deps"
#define BUILDINFO_DEPS_PE_SECTION ".bideps"
#define BUILDINFO_DEPS_MACHO_SECTION "__bideps"
#define BUILDINFO_DEPS_NOTE_TYPE 0x50454442u /* "BDEP" in little-endian ASCII */
#define BUILDINFO_DEPS_MIN_CAPACITY 16u
#define BUILDINFO_DEPS_MAX_CAPACITY (1u << 20)
#define BUILDINFO_DEPS_CAPACITY_IN_RANGE(capacity) \
  ((capacity) >= BUILDINFO_DEPS_MIN_CAPACITY && (capacity) <= BUILDINFO_DEPS_MAX_CAPACITY && (capacity) % 4 == 0)

/* Defines the empty dependency inventory of a module, `capacity` bytes (a
 * multiple of 4 from 16 to 1 MiB) of JSON space. Use it in one source file
 * of a module; buildinfo_stamp() does, sized from what the target links. */
#if defined(_WIN32) || defined(__APPLE__) || defined(__MACH__)
#if defined(_WIN32)
#define BUILDINFO_DEPS_SECTION_NAME BUILDINFO_DEPS_PE_SECTION
#else
#define BUILDINFO_DEPS_SECTION_NAME BUILDINFO_MACHO_SEGMENT "," BUILDINFO_DEPS_MACHO_SECTION
#endif
#define BUILDINFO_DEFINE_DEPENDENCIES(capacity)                                                 \
  BUILDINFO_EXTERN_DECLARATION const char buildinfo_dependencies[(capacity)];                   \
  BUILDINFO_EXTERN_C __attribute__((section(BUILDINFO_DEPS_SECTION_NAME), used, aligned(4)))    \
  const char buildinfo_dependencies[(capacity)] = "{}";                                         \
  typedef char buildinfo_dependencies_capacity_must_be_a_multiple_of_4_from_16_to_1048576_bytes \
      [BUILDINFO_DEPS_CAPACITY_IN_RANGE(capacity) ? 1 : -1]
#else
#define BUILDINFO_DEFINE_DEPENDENCIES(capacity)                                                                     \
  typedef struct {                                                                                                  \
    uint32_t namesz;                                                                                                \
    uint32_t descsz;                                                                                                \
    uint32_t type;                                                                                                  \
    char name[BUILDINFO_NOTE_NAME_PADDED];                                                                          \
    char desc[(capacity)];                                                                                          \
  } buildinfo_dependencies_type;                                                                                    \
  BUILDINFO_EXTERN_DECLARATION const buildinfo_dependencies_type buildinfo_dependencies;                            \
  BUILDINFO_EXTERN_C __attribute__((section(BUILDINFO_DEPS_ELF_SECTION), used, BUILDINFO_SLOT_RETAIN aligned(4),    \
                                    visibility("hidden")))                                                          \
  const buildinfo_dependencies_type buildinfo_dependencies = {BUILDINFO_NOTE_NAME_SIZE, (capacity),                 \
                                                              BUILDINFO_DEPS_NOTE_TYPE, BUILDINFO_NOTE_NAME, "{}"}; \
  typedef char buildinfo_dependencies_capacity_must_be_a_multiple_of_4_from_16_to_1048576_bytes                     \
      [BUILDINFO_DEPS_CAPACITY_IN_RANGE(capacity) ? 1 : -1]
#endif

#endif /* BUILDINFO_SLOT_LAYOUT_H */
