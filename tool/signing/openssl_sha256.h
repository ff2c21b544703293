// OpenSSL's SHA-256, from the OpenSSL plug-in, as the engine for long inputs
// on processors without SHA extensions (support/sha2.h).
#pragma once

#include "support/sha2.h"

namespace buildinfo {

// The plug-in's SHA-256, loading the plug-in on first use; null when it is
// missing or refused (the tool's own SHA-256 then hashes, to the same digest).
const Sha256Engine* openssl_sha256_engine();

}  // namespace buildinfo
