// Parses slot bytes (header, then a flat JSON object of strings) into a record
// without exceptions and without allocating: all output goes into `storage`.
#include <cstring>
#include <new>

#include "buildinfo/buildinfo.hpp"
#include "buildinfo/slot_layout.h"

namespace buildinfo {

// Friend of record: the only place that fills one in.
struct record_builder {
  static void set(record& r, status s, const field* fields, std::size_t count,
                  std::uint32_t version, std::uint32_t capacity, std::uint32_t algorithm,
                  std::string_view key_id) noexcept {
    r.state_ = s;
    r.fields_ = fields;
    r.count_ = count;
    r.format_version_ = version;
    r.capacity_ = capacity;
    r.signature_algorithm_ = algorithm;
    r.key_id_ = key_id;
  }
};

namespace {

// The smallest field, `"":""` plus a separator, takes 6 bytes of JSON.
constexpr std::size_t kMinFieldBytes = 6;
constexpr std::size_t kKeyIdHexSize = 2 * BUILDINFO_KEY_ID_SIZE;

std::uint32_t load_le16(const unsigned char* p) noexcept {
  return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8);
}

std::uint32_t load_le32(const unsigned char* p) noexcept {
  return load_le16(p) | (load_le16(p + 2) << 16);
}

std::size_t max_fields(std::size_t slot_size) noexcept { return slot_size / kMinFieldBytes + 1; }

// Writes decoded JSON strings into a bounded output buffer.
class text_sink {
 public:
  text_sink(char* out, std::size_t size) noexcept : out_(out), size_(size) {}
  bool put(char c) noexcept {
    if (used_ == size_) return false;
    out_[used_++] = c;
    return true;
  }
  bool put_utf8(std::uint32_t cp) noexcept {
    if (cp < 0x80) return put(static_cast<char>(cp));
    if (cp < 0x800) return put(static_cast<char>(0xc0 | (cp >> 6))) && put(static_cast<char>(0x80 | (cp & 0x3f)));
    if (cp < 0x10000)
      return put(static_cast<char>(0xe0 | (cp >> 12))) && put(static_cast<char>(0x80 | ((cp >> 6) & 0x3f))) &&
             put(static_cast<char>(0x80 | (cp & 0x3f)));
    return put(static_cast<char>(0xf0 | (cp >> 18))) && put(static_cast<char>(0x80 | ((cp >> 12) & 0x3f))) &&
           put(static_cast<char>(0x80 | ((cp >> 6) & 0x3f))) && put(static_cast<char>(0x80 | (cp & 0x3f)));
  }
  char* position() noexcept { return out_ + used_; }

 private:
  char* out_;
  std::size_t size_;
  std::size_t used_ = 0;
};

// A strict reader for the payload grammar: {"k":"v",...} with JSON whitespace
// allowed between tokens and JSON string escapes decoded.
class payload_reader {
 public:
  payload_reader(const unsigned char* p, std::size_t n, text_sink& sink) noexcept
      : p_(p), n_(n), sink_(sink) {}

  bool parse(field* fields, std::size_t max, std::size_t& count) noexcept {
    count = 0;
    skip_ws();
    if (!eat('{')) return false;
    skip_ws();
    if (eat('}')) return at_end();
    for (;;) {
      if (count == max) return false;
      std::string_view key, value;
      skip_ws();
      if (!string(key)) return false;
      skip_ws();
      if (!eat(':')) return false;
      skip_ws();
      if (!string(value)) return false;
      // Canonical payloads are sorted with unique keys; get() relies on it.
      if (count > 0 && !(fields[count - 1].key < key)) return false;
      fields[count++] = field{key, value};
      skip_ws();
      if (eat('}')) return at_end();
      if (!eat(',')) return false;
    }
  }

 private:
  bool at_end() noexcept {
    skip_ws();
    return i_ == n_;
  }
  void skip_ws() noexcept {
    while (i_ < n_ && (p_[i_] == ' ' || p_[i_] == '\t' || p_[i_] == '\n' || p_[i_] == '\r')) ++i_;
  }
  bool eat(unsigned char c) noexcept {
    if (i_ < n_ && p_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  bool hex4(std::uint32_t& v) noexcept {
    if (n_ - i_ < 4) return false;
    v = 0;
    for (int k = 0; k < 4; ++k) {
      unsigned char c = p_[i_++];
      std::uint32_t d;
      if (c >= '0' && c <= '9') d = c - '0';
      else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
      else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
      else return false;
      v = (v << 4) | d;
    }
    return true;
  }
  bool escape() noexcept {
    if (i_ == n_) return false;
    unsigned char c = p_[i_++];
    switch (c) {
      case '"': return sink_.put('"');
      case '\\': return sink_.put('\\');
      case '/': return sink_.put('/');
      case 'b': return sink_.put('\b');
      case 'f': return sink_.put('\f');
      case 'n': return sink_.put('\n');
      case 'r': return sink_.put('\r');
      case 't': return sink_.put('\t');
      case 'u': break;
      default: return false;
    }
    std::uint32_t cp;
    if (!hex4(cp)) return false;
    if (cp >= 0xdc00 && cp <= 0xdfff) return false;  // lone low surrogate
    if (cp >= 0xd800 && cp <= 0xdbff) {
      std::uint32_t low;
      if (!eat('\\') || !eat('u') || !hex4(low) || low < 0xdc00 || low > 0xdfff) return false;
      cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
    }
    return sink_.put_utf8(cp);
  }
  bool string(std::string_view& out) noexcept {
    if (!eat('"')) return false;
    char* start = sink_.position();
    while (i_ < n_) {
      unsigned char c = p_[i_++];
      if (c == '"') {
        out = std::string_view(start, static_cast<std::size_t>(sink_.position() - start));
        return sink_.put('\0');  // so the C API can hand out the same bytes
      }
      if (c < 0x20) return false;
      if (c == '\\') {
        if (!escape()) return false;
      } else if (!sink_.put(static_cast<char>(c))) {
        return false;
      }
    }
    return false;
  }

  const unsigned char* p_;
  std::size_t n_;
  std::size_t i_ = 0;
  text_sink& sink_;
};

}  // namespace

std::string_view to_string(status s) noexcept {
  switch (s) {
    case status::ok: return "ok";
    case status::not_stamped: return "not stamped";
    case status::corrupt: return "corrupt record";
    case status::unsupported: return "unsupported format version";
    case status::no_memory: return "out of memory";
  }
  return "unknown status";
}

std::string_view record::get(std::string_view key) const noexcept {
  // Fields are sorted (checked when parsed): binary search.
  std::size_t lo = 0, hi = count_;
  while (lo < hi) {
    std::size_t mid = lo + (hi - lo) / 2;
    int c = fields_[mid].key.compare(key);
    if (c == 0) return fields_[mid].value;
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return {};
}

bool record::contains(std::string_view key) const noexcept {
  for (const field& f : *this)
    if (f.key == key) return true;
  return false;
}

std::size_t parse_storage_size(std::size_t slot_size) noexcept {
  return max_fields(slot_size) * sizeof(field) + slot_size + kKeyIdHexSize + 1;
}

status parse_slot(const unsigned char* slot, std::size_t slot_size, void* storage,
                  std::size_t storage_size, record& out) noexcept {
  record_builder::set(out, status::corrupt, nullptr, 0, 0, 0, 0, {});
  if (slot == nullptr || slot_size < BUILDINFO_HEADER_SIZE) return status::corrupt;
  if (std::memcmp(slot + BUILDINFO_OFF_MAGIC, BUILDINFO_MAGIC, BUILDINFO_MAGIC_SIZE) != 0) return status::corrupt;

  const std::uint32_t version = load_le16(slot + BUILDINFO_OFF_VERSION);
  const std::uint32_t header_size = load_le16(slot + BUILDINFO_OFF_HEADER_SIZE);
  const std::uint32_t capacity = load_le32(slot + BUILDINFO_OFF_CAPACITY);
  const std::uint32_t payload_length = load_le32(slot + BUILDINFO_OFF_PAYLOAD_LENGTH);
  const std::uint32_t algorithm = load_le16(slot + BUILDINFO_OFF_SIG_ALGORITHM);
  const std::uint32_t sig_length = load_le16(slot + BUILDINFO_OFF_SIG_LENGTH);

  // Newer minor revisions keep the v1 header and may grow it (FORMAT.md).
  if (version != BUILDINFO_FORMAT_VERSION) {
    record_builder::set(out, status::unsupported, nullptr, 0, version, capacity, algorithm, {});
    return status::unsupported;
  }
  if (header_size < BUILDINFO_HEADER_SIZE || capacity > slot_size || header_size > capacity)
    return status::corrupt;
  if (payload_length == 0) {
    record_builder::set(out, status::not_stamped, nullptr, 0, version, capacity, algorithm, {});
    return status::not_stamped;
  }
  if (static_cast<std::uint64_t>(header_size) + payload_length + sig_length > capacity) return status::corrupt;
  if (storage == nullptr || storage_size < parse_storage_size(payload_length)) return status::no_memory;

  // Storage layout: field array, then decoded text, then the key id in hex.
  const std::size_t field_capacity = max_fields(payload_length);
  field* fields = new (storage) field[field_capacity];
  char* text = static_cast<char*>(storage) + field_capacity * sizeof(field);
  text_sink sink(text, payload_length);
  std::size_t count = 0;
  payload_reader reader(slot + header_size, payload_length, sink);
  if (!reader.parse(fields, field_capacity, count)) return status::corrupt;

  std::string_view key_id;
  if (algorithm != BUILDINFO_SIG_NONE) {
    static const char kHex[] = "0123456789abcdef";
    char* hex = text + payload_length;
    for (std::size_t k = 0; k < BUILDINFO_KEY_ID_SIZE; ++k) {
      hex[2 * k] = kHex[slot[BUILDINFO_OFF_KEY_ID + k] >> 4];
      hex[2 * k + 1] = kHex[slot[BUILDINFO_OFF_KEY_ID + k] & 0xf];
    }
    hex[kKeyIdHexSize] = '\0';
    key_id = std::string_view(hex, kKeyIdHexSize);
  }
  record_builder::set(out, status::ok, fields, count, version, capacity, algorithm, key_id);
  return status::ok;
}

}  // namespace buildinfo
