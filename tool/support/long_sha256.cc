// SHA-256 of long inputs (see LongSha256 in sha2.h).
#include <atomic>

#include "support/error.h"
#include "support/sha2.h"

namespace buildinfo {
namespace {

// Loading OpenSSL costs about 3 ms; from about 1.7 MB on, its speed here
// makes up for that. Twice that, for processors slower than this one.
constexpr uint64_t kLongInput = 4u << 20;

std::atomic<const Sha256Engine* (*)()> engine_source{nullptr};

}  // namespace

void set_long_input_sha256(const Sha256Engine* (*source)()) { engine_source = source; }

bool long_input_engine_applies(uint64_t size, bool processor_has_sha_extensions) {
  return size >= kLongInput && !processor_has_sha_extensions;
}

LongSha256::LongSha256(uint64_t expected_size, bool processor_has_sha_extensions) {
  const auto source = engine_source.load();
  if (source == nullptr || !long_input_engine_applies(expected_size, processor_has_sha_extensions)) return;
  engine_ = source();
  if (engine_ != nullptr) state_ = engine_->begin();
}

LongSha256::~LongSha256() {
  if (state_ != nullptr) {
    uint8_t unused[32];
    engine_->end(state_, unused);
  }
}

void LongSha256::update(const void* data, size_t size) {
  if (state_ == nullptr) return own_.update(data, size);
  if (engine_->update(state_, static_cast<const uint8_t*>(data), size) != 1)
    throw internal_error("the SHA-256 engine failed");
}

Sha256::Digest LongSha256::finish() {
  if (state_ == nullptr) return own_.finish();
  Sha256::Digest digest;
  void* state = state_;
  state_ = nullptr;
  if (engine_->end(state, digest.data()) != 1) throw internal_error("the SHA-256 engine failed");
  return digest;
}

}  // namespace buildinfo
