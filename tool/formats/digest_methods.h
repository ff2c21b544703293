// OpenSSL's digest implementations, fetched once per process. A fetched
// method skips the legacy look-ups that EVP_sha256() and friends go through
// on every initialisation (ENGINE tables, name lists), which cost more than
// hashing a small binary.
#pragma once

#include <openssl/evp.h>

namespace buildinfo {

const EVP_MD* sha1_method();
const EVP_MD* sha256_method();
const EVP_MD* sha384_method();

// For a run that touches no key: starts OpenSSL without its configuration
// file (openssl.cnf chooses providers and policies for key operations) and
// without the legacy tables of every cipher and digest name, about 1.5 ms
// of start-up (docs/PERFORMANCE.md). Digests then come from the default
// provider. Must run before any other OpenSSL call; later key operations in
// the same process would not see openssl.cnf, so call it only where no key
// is used.
void start_openssl_for_digests_only();

}  // namespace buildinfo
