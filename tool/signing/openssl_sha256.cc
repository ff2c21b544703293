// The OpenSSL plug-in's SHA-256 as a Sha256Engine (see openssl_sha256.h).
#include "signing/openssl_sha256.h"

#include "plugins/plugin_loader.h"

namespace buildinfo {

const Sha256Engine* openssl_sha256_engine() {
  try {
    const buildinfo_openssl_plugin& plugin = openssl_plugin();
    static const Sha256Engine engine{plugin.sha256_begin, plugin.sha256_update, plugin.sha256_end};
    return &engine;
  } catch (const Error&) {
    return nullptr;
  }
}

}  // namespace buildinfo
