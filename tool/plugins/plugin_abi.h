/* The interface between the `buildinfo` executable and its three plug-ins.
 * libgit2, LIEF and OpenSSL, with their dependencies, cost milliseconds to
 * load and initialise; most runs need none of them (an unsigned stamp
 * --vcs-proof, verify without keys, inspect --no-describe), so the
 * executable dlopen()s them only when asked:
 *   buildinfo-git.so      reads the git facts             (git_plugin.cc)
 *   buildinfo-lief.so     describes a binary              (lief_plugin.cc)
 *   buildinfo-openssl.so  loads keys, signs and verifies  (openssl_plugin.cc)
 * They are the only code that links libgit2, LIEF and OpenSSL. The tool,
 * the unit tests and the test tools reach them through one loader
 * (plugin_loader.h) and the typed wrappers read_git_facts() (git_info.h),
 * describe_with_lief() (lief_description.h) and the key classes
 * (signing.h).
 *
 * Each plug-in exports one symbol, BUILDINFO_PLUGIN_SYMBOL: a constant table
 * that starts with a buildinfo_plugin_header. The loader refuses the
 * plug-in unless the header names this build's version (BUILDINFO_VERSION),
 * this interface number (BUILDINFO_PLUGIN_ABI), the expected kind and the
 * table's size. Bump BUILDINFO_PLUGIN_ABI with every change below the
 * header; the header itself never changes.
 *
 * Results are C structures the plug-in allocates and its release function
 * frees; their strings are NUL-terminated UTF-8 (the plug-in replaces each
 * byte sequence that is not UTF-8 with U+FFFD) and stay valid until then.
 * Nothing throws across this boundary. Plain C, so that a test can build a
 * stand-in plug-in from it (tests/cli/inspect_robust.sh, plugin_refused.sh). */
#ifndef BUILDINFO_TOOL_PLUGIN_ABI_H
#define BUILDINFO_TOOL_PLUGIN_ABI_H

#include <stddef.h>
#include <stdint.h>

#define BUILDINFO_PLUGIN_ABI 4u

#define BUILDINFO_GIT_PLUGIN "buildinfo-git.so"
#define BUILDINFO_LIEF_PLUGIN "buildinfo-lief.so"
#define BUILDINFO_OPENSSL_PLUGIN "buildinfo-openssl.so"

#define BUILDINFO_PLUGIN_SYMBOL "buildinfo_plugin"

enum buildinfo_plugin_kind { BUILDINFO_PLUGIN_GIT = 1, BUILDINFO_PLUGIN_LIEF = 2, BUILDINFO_PLUGIN_OPENSSL = 3 };

/* The same in every interface number: the loader reads it first. */
typedef struct buildinfo_plugin_header {
  uint32_t abi;        /* BUILDINFO_PLUGIN_ABI of the plug-in's build */
  uint32_t kind;       /* enum buildinfo_plugin_kind */
  const char* version; /* BUILDINFO_VERSION of the plug-in's build */
  uint64_t size;       /* sizeof the whole table */
} buildinfo_plugin_header;

/* ---- buildinfo-git.so ---------------------------------------------- */

enum buildinfo_git_status {
  BUILDINFO_GIT_FACTS = 0,         /* `facts` holds HEAD's facts */
  BUILDINFO_GIT_NO_REPOSITORY = 1, /* no repository, a bare one or no commit: `message` is the warning */
  BUILDINFO_GIT_FAILED = 2         /* a libgit2 failure or a bad directory: `message` is the error */
};

typedef struct buildinfo_git_facts {
  const char* revision;       /* full hex object id of HEAD's commit */
  const char* commit_time;    /* ISO 8601 UTC */
  int64_t commit_epoch;       /* seconds since the epoch */
  int32_t modified;           /* 1: tracked changes (and untracked, if asked) */
  const char* ref_name;       /* branch or tag name; "" when detached and untagged */
  const char* ref_type;       /* "branch", "tag" or "" */
  const char* describe;       /* `git describe --tags --always`, "-dirty" when modified */
  const char* repository_url; /* origin URL without credentials; may be "" */
} buildinfo_git_facts;

typedef struct buildinfo_git_result {
  int32_t status; /* enum buildinfo_git_status */
  const char* message;
  buildinfo_git_facts facts;
  /* With BUILDINFO_GIT_WITNESSES: the absolute paths whose lstat() data
   * proves that the answer still holds (vcs/state_proof.h), for FACTS and
   * NO_REPOSITORY; or none, and `no_witnesses` says why (for example a
   * repository with submodules). */
  const char* const* witnesses;
  uint64_t witness_count;
  const char* no_witnesses;
  /* With witnesses and FACTS, `witness_count` entries each: NULL, or the
   * index's blob id (hex) when the witness is a tracked file that can be
   * judged by its contents (a regular file in stage 0 whose mode matches
   * its entry and that no filter converts, but for line endings); and
   * BUILDINFO_GIT_WITNESS_* flags. */
  const char* const* witness_blobs;
  const int32_t* witness_flags;
  /* 1 when the tree is modified whatever those files hold: staged changes,
   * conflicts, untracked files (when they count), or a changed tracked
   * file without a blob. */
  int32_t modified_otherwise;
  void* owner; /* the plug-in's */
} buildinfo_git_result;

/* The flags of read_facts. */
#define BUILDINFO_GIT_UNTRACKED_DIRTY 1 /* untracked files count as modifications */
#define BUILDINFO_GIT_WITNESSES 2       /* also list the witnesses */

/* The flags of a witness with a blob. */
#define BUILDINFO_GIT_WITNESS_DIFFERS 1 /* the file differs from its index entry */
#define BUILDINFO_GIT_WITNESS_CRLF 2    /* the line-ending filter applies: a CR would be converted */

typedef struct buildinfo_git_plugin {
  buildinfo_plugin_header header; /* kind BUILDINFO_PLUGIN_GIT */
  /* The facts of the repository that contains `source_dir`; NULL when out
   * of memory. */
  buildinfo_git_result* (*read_facts)(const char* source_dir, int32_t flags);
  void (*release_facts)(buildinfo_git_result* result);
} buildinfo_git_plugin;

/* ---- buildinfo-lief.so --------------------------------------------- */

typedef struct buildinfo_lief_section {
  const char* name;      /* Mach-O: "segment,section" */
  uint64_t offset;       /* file offset */
  uint64_t size;         /* LIEF's size (PE: SizeOfRawData) */
  uint64_t address;      /* virtual address */
  uint64_t virtual_size; /* PE: VirtualSize; 0 for the other formats */
} buildinfo_lief_section;

/* LIEF's view of a binary (a universal Mach-O file: its first slice). With
 * `error` set, nothing else is. A NULL string is read as absent (the
 * optional fields) or empty (the others); a NULL array as empty. */
typedef struct buildinfo_lief_description {
  const char* error; /* LIEF could not describe the file */
  const char* format;
  const char* architecture;
  uint32_t bits; /* 64, 32 or 0 (unknown) */
  const char* object_type;
  const char* endianness;
  int32_t has_entrypoint; /* 0: none (LIEF 0.9 gives none for a Mach-O dylib) */
  uint64_t entrypoint;
  int32_t pie;              /* 0 or 1 */
  int32_t nx;               /* 0 or 1 */
  const char* os_abi;       /* ELF only */
  const char* interpreter;  /* ELF with an interpreter only */
  int32_t code_signature;   /* Mach-O: 0 or 1; -1 for the other formats */
  const char* install_name; /* Mach-O with LC_ID_DYLIB only */
  const buildinfo_lief_section* sections;
  uint64_t section_count;
  const char* const* libraries; /* imported; a Mach-O dylib's own name is install_name */
  uint64_t library_count;
  void* owner; /* the plug-in's */
} buildinfo_lief_description;

typedef struct buildinfo_lief_plugin {
  buildinfo_plugin_header header; /* kind BUILDINFO_PLUGIN_LIEF */
  /* The description of the binary at `path`, or `error`; NULL when out of
   * memory. */
  buildinfo_lief_description* (*describe)(const char* path);
  void (*release_description)(buildinfo_lief_description* description);
} buildinfo_lief_plugin;

/* ---- buildinfo-openssl.so ------------------------------------------ */

enum buildinfo_openssl_status {
  BUILDINFO_OPENSSL_OK = 0,
  BUILDINFO_OPENSSL_BAD_INPUT = 1, /* `message`: what is wrong with the key */
  BUILDINFO_OPENSSL_FAILED = 2     /* `message`: OpenSSL failed on input it had accepted */
};

/* Algorithms by the numbers of the slot header (signing.h). */
#define BUILDINFO_OPENSSL_ED25519 1
#define BUILDINFO_OPENSSL_ECDSA_P256 2

/* One result type for every call; each fills what its comment names. */
typedef struct buildinfo_openssl_result {
  int32_t status;      /* enum buildinfo_openssl_status */
  const char* message; /* the defect, without the key's file name */
  int32_t algorithm;   /* load_key, generate_key */
  const void* key;     /* load_key: what sign and verify take */
  /* load_key, generate_key: the DER SubjectPublicKeyInfo. */
  const uint8_t* public_der;
  uint64_t public_der_size;
  /* generate_key: the PKCS#8 PEM, wiped when released. */
  const char* private_pem;
  uint64_t private_pem_size;
  /* sign: Ed25519's 64 bytes, or ECDSA's DER ECDSA-Sig-Value over SHA-256. */
  const uint8_t* signature;
  uint64_t signature_size;
  void* owner; /* the plug-in's */
} buildinfo_openssl_result;

typedef struct buildinfo_openssl_plugin {
  buildinfo_plugin_header header; /* kind BUILDINFO_PLUGIN_OPENSSL */
  /* A key from PEM text: with `private_only`, a PKCS#8 private key (never
   * prompting for a passphrase); otherwise a public key, or the public half
   * of a private one. Ed25519 or P-256 only. */
  buildinfo_openssl_result* (*load_key)(const char* pem, uint64_t size, int32_t private_only);
  buildinfo_openssl_result* (*generate_key)(int32_t algorithm);
  /* `key` is a load_key result with a private key. */
  buildinfo_openssl_result* (*sign)(const buildinfo_openssl_result* key, const uint8_t* message, uint64_t size);
  /* 1 when `signature` is valid for `message` under `key`, else 0. */
  int32_t (*verify)(const buildinfo_openssl_result* key, const uint8_t* message, uint64_t size,
                    const uint8_t* signature, uint64_t signature_size);
  void (*release)(buildinfo_openssl_result* result);
  /* SHA-256 of a stream, for long inputs on processors without SHA
   * extensions (support/sha2.h): begin gives a state (NULL when it cannot),
   * update adds bytes, end writes the 32-byte digest and frees the state;
   * update and end return 1 on success. */
  void* (*sha256_begin)(void);
  int32_t (*sha256_update)(void* state, const uint8_t* data, uint64_t size);
  int32_t (*sha256_end)(void* state, uint8_t* digest);
} buildinfo_openssl_plugin;

#endif
