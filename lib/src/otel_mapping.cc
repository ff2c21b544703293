// The pure OpenTelemetry layer: payload keys to resource attributes, and the
// OTEL_RESOURCE_ATTRIBUTES encoding, merge and lookup. No globals, no heap.
#include <cstring>

#include "buildinfo/otel.hpp"

namespace buildinfo {
namespace otel {
namespace {

// Payload keys that have a semantic-convention name (semconv v1.44.0:
// model/service, model/vcs, model/os, model/host). Every other payload key
// becomes "buildinfo." + key.
struct rename {
  std::string_view from;
  std::string_view to;
};
constexpr rename kSemconvNames[] = {
    {"project.version", "service.version"},
    {"target.arch", "host.arch"},
    {"target.os", "os.type"},
    {"vcs.ref.name", "vcs.ref.head.name"},
    {"vcs.ref.type", "vcs.ref.head.type"},
    {"vcs.repository.url", "vcs.repository.url.full"},
    {"vcs.revision", "vcs.ref.head.revision"},
};

constexpr std::string_view kPrefix = "buildinfo.";
constexpr std::string_view kStamped = "buildinfo.stamped";
constexpr std::string_view kKeyId = "buildinfo.signing.key_id";
constexpr std::string_view kBuildId = "process.executable.build_id.gnu";
constexpr std::string_view kRepositoryUrlSource = "vcs.repository.url";
constexpr std::string_view kRepositoryName = "vcs.repository.name";

// Room for the longest fixed key (all of the above are shorter) and a NUL.
constexpr std::size_t kFixedKeyRoom = 40;
// Derived attributes beyond one per field: stamped, key id, build-id, and
// vcs.repository.name next to the URL.
constexpr std::size_t kDerivedAttributes = 4;

// Appends NUL-terminated strings to a bounded buffer; views point at them.
class text_writer {
 public:
  text_writer(char* out, std::size_t size) noexcept : out_(out), size_(size) {}
  bool ok() const noexcept { return ok_; }
  std::string_view put(std::string_view a, std::string_view b = {}) noexcept {
    const std::size_t n = a.size() + b.size();
    if (!ok_ || size_ - used_ < n + 1) {
      ok_ = false;
      return {};
    }
    char* start = out_ + used_;
    if (!a.empty()) std::memcpy(start, a.data(), a.size());
    if (!b.empty()) std::memcpy(start + a.size(), b.data(), b.size());
    start[n] = '\0';
    used_ += n + 1;
    return std::string_view(start, n);
  }

 private:
  char* out_;
  std::size_t size_;
  std::size_t used_ = 0;
  bool ok_ = true;
};

// Writes bytes like snprintf: counts everything, stores what fits, leaves
// room for the NUL.
class bounded_output {
 public:
  bounded_output(char* out, std::size_t capacity) noexcept : out_(out), capacity_(capacity) {}
  void put(char c) noexcept {
    if (length_ + 1 < capacity_) out_[length_] = c;
    ++length_;
  }
  void put(std::string_view s) noexcept {
    for (char c : s) put(c);
  }
  // Percent-encodes what OTEL_RESOURCE_ATTRIBUTES needs encoded and nothing
  // more (see encode() in otel.hpp for why).
  void put_encoded(std::string_view s) noexcept {
    static const char kHex[] = "0123456789ABCDEF";
    for (char c : s) {
      const unsigned char b = static_cast<unsigned char>(c);
      if (b <= 0x20 || b == 0x7f || c == ',' || c == '=' || c == '%') {
        put('%');
        put(kHex[b >> 4]);
        put(kHex[b & 0xf]);
      } else {
        put(c);
      }
    }
  }
  std::size_t finish() noexcept {
    if (capacity_ > 0) out_[length_ < capacity_ ? length_ : capacity_ - 1] = '\0';
    return length_;
  }

 private:
  char* out_;
  std::size_t capacity_;
  std::size_t length_ = 0;
};

bool ends_with(std::string_view s, std::string_view suffix) noexcept {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// semconv vcs.repository.url.full: "SHOULD NOT include the .git extension".
std::string_view trim_git_suffix(std::string_view url) noexcept {
  if (ends_with(url, ".git/") && url.size() > 5) return url.substr(0, url.size() - 5);
  if (ends_with(url, ".git") && url.size() > 4) return url.substr(0, url.size() - 4);
  return url;
}

// semconv vcs.repository.name: the repository's own name, without owner or
// group: the last path segment of the URL (after '/' or, in scp-like
// "host:name" URLs, ':').
std::string_view repository_name(std::string_view trimmed_url) noexcept {
  while (!trimmed_url.empty() && trimmed_url.back() == '/') trimmed_url.remove_suffix(1);
  const std::size_t slash = trimmed_url.find_last_of("/:");
  return slash == std::string_view::npos ? trimmed_url : trimmed_url.substr(slash + 1);
}

std::string_view semconv_name(std::string_view payload_key) noexcept {
  for (const rename& r : kSemconvNames)
    if (r.from == payload_key) return r.to;
  return {};
}

bool is_blank(char c) noexcept { return c == ' ' || c == '\t'; }

// OWS around keys and values (W3C Baggage) is not part of them.
std::string_view trim_blanks(std::string_view s) noexcept {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes one byte at s[i], advancing i past it.
char decode_at(std::string_view s, std::size_t& i) noexcept {
  if (s[i] == '%' && s.size() - i >= 3) {
    const int hi = hex_value(s[i + 1]);
    const int lo = hex_value(s[i + 2]);
    if (hi >= 0 && lo >= 0) {
      i += 3;
      return static_cast<char>((hi << 4) | lo);
    }
  }
  return s[i++];
}

bool decoded_equals(std::string_view encoded, std::string_view plain) noexcept {
  std::size_t i = 0, j = 0;
  while (i < encoded.size()) {
    if (j == plain.size() || decode_at(encoded, i) != plain[j]) return false;
    ++j;
  }
  return j == plain.size();
}

// Stable insertion sort by key: the lists are a few dozen entries.
void sort_by_key(attribute* a, std::size_t n) noexcept {
  for (std::size_t i = 1; i < n; ++i) {
    const attribute item = a[i];
    std::size_t j = i;
    for (; j > 0 && item.key < a[j - 1].key; --j) a[j] = a[j - 1];
    a[j] = item;
  }
}

}  // namespace

std::string_view attribute_list::get(std::string_view key) const noexcept {
  for (const attribute& a : *this)
    if (a.key == key) return a.value;
  return {};
}

bool attribute_list::contains(std::string_view key) const noexcept {
  for (const attribute& a : *this)
    if (a.key == key) return true;
  return false;
}

std::size_t attribute_count_max(std::size_t field_count) noexcept { return field_count + kDerivedAttributes; }

std::size_t text_size_max(const field* fields, std::size_t field_count, std::string_view gnu_build_id_hex,
                          std::string_view key_id_hex) noexcept {
  std::size_t size = 3 * kFixedKeyRoom + sizeof("false") + gnu_build_id_hex.size() + 1 + key_id_hex.size() + 1;
  for (std::size_t i = 0; i < field_count; ++i) {
    const field& f = fields[i];
    size += kPrefix.size() + f.key.size() + kFixedKeyRoom + f.value.size() + 1;
    // vcs.repository.name is a second copy of part of the URL.
    if (f.key == kRepositoryUrlSource) size += kFixedKeyRoom + f.value.size() + 1;
  }
  return size;
}

std::size_t text_size_max(const record& r, std::string_view gnu_build_id_hex) noexcept {
  return text_size_max(r.begin(), r.size(), gnu_build_id_hex, r.key_id());
}

std::size_t map_record(const field* fields, std::size_t field_count, std::string_view gnu_build_id_hex,
                       std::string_view key_id_hex, bool stamped, attribute* out, std::size_t capacity,
                       char* text, std::size_t text_capacity) noexcept {
  if (!stamped) field_count = 0;
  if (out == nullptr || capacity < attribute_count_max(field_count) || text == nullptr ||
      text_capacity < text_size_max(fields, field_count, gnu_build_id_hex, stamped ? key_id_hex : std::string_view()))
    return 0;

  text_writer w(text, text_capacity);
  std::size_t n = 0;
  const auto add = [&](std::string_view key_a, std::string_view key_b, std::string_view value) noexcept {
    const std::string_view key = w.put(key_a, key_b);
    out[n++] = attribute{key, w.put(value)};
  };

  // Derived attributes first: on a key clash with a payload key they win.
  add(kStamped, {}, stamped ? "true" : "false");
  if (!gnu_build_id_hex.empty()) add(kBuildId, {}, gnu_build_id_hex);
  if (stamped && !key_id_hex.empty()) add(kKeyId, {}, key_id_hex);

  for (std::size_t i = 0; i < field_count; ++i) {
    const field& f = fields[i];
    const std::string_view semconv = semconv_name(f.key);
    if (semconv.empty()) {
      add(kPrefix, f.key, f.value);
    } else if (f.key == kRepositoryUrlSource) {
      const std::string_view url = trim_git_suffix(f.value);
      add(semconv, {}, url);
      const std::string_view name = repository_name(url);
      if (!name.empty()) add(kRepositoryName, {}, name);
    } else {
      add(semconv, {}, f.value);
    }
  }
  if (!w.ok()) return 0;  // unreachable: text_size_max bounds every write

  // Sorted, unique keys: deterministic output, and the first of equal keys
  // (a derived attribute) is kept.
  sort_by_key(out, n);
  std::size_t unique = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (unique == 0 || out[unique - 1].key != out[i].key) out[unique++] = out[i];
  return unique;
}

std::size_t map_record(const record& r, std::string_view gnu_build_id_hex, attribute* out, std::size_t capacity,
                       char* text, std::size_t text_capacity) noexcept {
  return map_record(r.begin(), r.size(), gnu_build_id_hex, r.key_id(), r.stamped(), out, capacity, text,
                    text_capacity);
}

std::size_t encode(const attribute* attrs, std::size_t count, char* out, std::size_t capacity) noexcept {
  return merge({}, attrs, count, out, capacity);
}

std::size_t merge(std::string_view existing, const attribute* attrs, std::size_t count, char* out,
                  std::size_t capacity) noexcept {
  bounded_output o(out, capacity);
  o.put(existing);
  // A separator is needed after anything but blanks or a trailing comma.
  const std::string_view trimmed = trim_blanks(existing);
  bool need_comma = !trimmed.empty() && trimmed.back() != ',';
  for (std::size_t i = 0; i < count; ++i) {
    if (!existing.empty() && find(existing, attrs[i].key, nullptr)) continue;  // the user's setting wins
    if (need_comma) o.put(',');
    need_comma = true;
    o.put_encoded(attrs[i].key);
    o.put('=');
    o.put_encoded(attrs[i].value);
  }
  return o.finish();
}

bool find(std::string_view encoded_list, std::string_view key, std::string_view* raw_value) noexcept {
  bool found = false;
  std::size_t pos = 0;
  for (;;) {
    std::size_t comma = encoded_list.find(',', pos);
    if (comma == std::string_view::npos) comma = encoded_list.size();
    const std::string_view entry = encoded_list.substr(pos, comma - pos);
    const std::size_t eq = entry.find('=');
    if (eq != std::string_view::npos && decoded_equals(trim_blanks(entry.substr(0, eq)), key)) {
      found = true;  // keep going: the last entry for a key wins
      if (raw_value != nullptr) *raw_value = trim_blanks(entry.substr(eq + 1));
    }
    if (comma == encoded_list.size()) return found;
    pos = comma + 1;
  }
}

std::size_t percent_decode(std::string_view in, char* out, std::size_t capacity) noexcept {
  bounded_output o(out, capacity);
  for (std::size_t i = 0; i < in.size();) o.put(decode_at(in, i));
  return o.finish();
}

}  // namespace otel
}  // namespace buildinfo
