// The runtime API: read the build record stamped into this module.
#ifndef BUILDINFO_BUILDINFO_HPP
#define BUILDINFO_BUILDINFO_HPP

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace buildinfo {

enum class status : int {
  ok = 0,           // stamped, record parsed
  not_stamped = 1,  // the slot is present but empty (the stamper has not run)
  corrupt = 2,      // header or payload malformed
  unsupported = 3,  // a newer format version than this runtime reads
  no_memory = 4,    // the record could not be stored
};

// Fixed text for a status, e.g. "not stamped".
std::string_view to_string(status s) noexcept;

struct field {
  std::string_view key;
  std::string_view value;
};

// The parsed record. Views stay valid for the life of the process.
class record {
 public:
  status state() const noexcept { return state_; }
  bool stamped() const noexcept { return state_ == status::ok; }

  // The value of `key`, or an empty view when absent.
  std::string_view get(std::string_view key) const noexcept;
  bool contains(std::string_view key) const noexcept;

  // All fields, sorted by key.
  const field* begin() const noexcept { return fields_; }
  const field* end() const noexcept { return fields_ + count_; }
  std::size_t size() const noexcept { return count_; }

  // Slot header facts.
  std::uint32_t format_version() const noexcept { return format_version_; }
  std::uint32_t capacity() const noexcept { return capacity_; }
  std::uint32_t signature_algorithm() const noexcept { return signature_algorithm_; }
  // Hex SHA-256 of the signing public key, empty when unsigned.
  std::string_view key_id() const noexcept { return key_id_; }

  // Convenience accessors for the common keys.
  std::string_view revision() const noexcept { return get("vcs.revision"); }
  std::string_view project_version() const noexcept { return get("project.version"); }

 private:
  friend struct record_builder;
  status state_ = status::not_stamped;
  const field* fields_ = nullptr;
  std::size_t count_ = 0;
  std::uint32_t format_version_ = 0;
  std::uint32_t capacity_ = 0;
  std::uint32_t signature_algorithm_ = 0;
  std::string_view key_id_;
};

// The record of the module (executable or library) this call is linked into.
// Parsed once on first use; thread-safe; never throws; no file I/O.
const record& read() noexcept;

// Parses slot bytes (header + payload) into `out`. Exposed for tests and
// tools: `storage` must have room for `slot_size` bytes plus field entries
// (see parse_storage_size). Returns the resulting status.
std::size_t parse_storage_size(std::size_t slot_size) noexcept;
status parse_slot(const unsigned char* slot, std::size_t slot_size, void* storage,
                  std::size_t storage_size, record& out) noexcept;

}  // namespace buildinfo

#endif  // BUILDINFO_BUILDINFO_HPP
