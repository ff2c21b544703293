#include "embedded/go_buildinfo.h"

#include <algorithm>
#include <cstring>
#include <string_view>

namespace buildinfo {
namespace {

// The header (src/debug/buildinfo/buildinfo.go): the 14-byte magic, the
// pointer size, the flags, then pointers or padding up to 32 bytes. Flag
// bit 2 (Go 1.18+) means the two strings follow the header inline, each a
// uvarint length and its bytes.
constexpr char kMagic[] = "\xff Go buildinf:";
constexpr uint64_t kMagicSize = 14;
constexpr uint64_t kHeaderSize = 32;
constexpr uint64_t kAlignment = 16;
constexpr uint8_t kInlineStrings = 2;
// The module info starts and ends with a 16-byte sentinel; the line before
// the end sentinel ends in a newline (src/debug/buildinfo/buildinfo.go).
constexpr uint64_t kSentinelSize = 16;
// Go's reader looks at this much of the data section for the header.
constexpr uint64_t kDataSearchLimit = 64 * 1024;

// A defect of the build info: the message becomes the record's error.

// A uvarint (encoding/binary) at `at`; advances `at`. At most ten bytes,
// the tenth holding the 64th bit only.
uint64_t read_uvarint(ByteView data, uint64_t& at, const char* what) {
  uint64_t value = 0;
  for (unsigned i = 0; i < 10; ++i) {
    if (at >= data.size()) throw Error(ErrorKind::bad_input, std::string(what) + "'s length is truncated");
    const uint8_t byte = data.data()[at++];
    if (i == 9 && byte > 1) throw Error(ErrorKind::bad_input, std::string(what) + "'s length is an oversized varint");
    value |= static_cast<uint64_t>(byte & 0x7f) << (7 * i);
    if ((byte & 0x80) == 0) return value;
  }
  throw Error(ErrorKind::bad_input, std::string(what) + "'s length is an oversized varint");
}

std::string read_inline_string(ByteView data, uint64_t& at, const char* what) {
  const uint64_t length = read_uvarint(data, at, what);
  if (length > data.size() - at)
    throw Error(ErrorKind::bad_input,
                std::string(what) + " (" + std::to_string(length) + " bytes) overruns the section");
  const ByteView bytes = data.sub(at, length, what);
  at += length;
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_utf8(std::string& out, uint32_t rune) {
  if (rune < 0x80) {
    out += static_cast<char>(rune);
  } else if (rune < 0x800) {
    out += static_cast<char>(0xc0 | (rune >> 6));
    out += static_cast<char>(0x80 | (rune & 0x3f));
  } else if (rune < 0x10000) {
    out += static_cast<char>(0xe0 | (rune >> 12));
    out += static_cast<char>(0x80 | ((rune >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (rune & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (rune >> 18));
    out += static_cast<char>(0x80 | ((rune >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((rune >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (rune & 0x3f));
  }
}

// The value of the Go string literal at the start of `text` (a "..." with
// Go's escapes, as strconv.Quote writes keys and values that need it, or a
// `...` raw string); returns how many bytes it spans, or 0 when it is not
// a valid literal.
size_t go_quoted_prefix(std::string_view text, std::string& value) {
  value.clear();
  if (text.empty()) return 0;
  if (text[0] == '`') {
    const size_t end = text.find('`', 1);
    if (end == std::string_view::npos) return 0;
    for (const char c : text.substr(1, end - 1))
      if (c != '\r') value += c;  // Go drops carriage returns from raw strings
    return end + 1;
  }
  if (text[0] != '"') return 0;
  size_t i = 1;
  while (i < text.size()) {
    const char c = text[i++];
    if (c == '"') return i;
    if (c == '\n') return 0;
    if (c != '\\') {
      value += c;
      continue;
    }
    if (i >= text.size()) return 0;
    const char escape = text[i++];
    switch (escape) {
      case 'a': value += '\a'; break;
      case 'b': value += '\b'; break;
      case 'f': value += '\f'; break;
      case 'n': value += '\n'; break;
      case 'r': value += '\r'; break;
      case 't': value += '\t'; break;
      case 'v': value += '\v'; break;
      case '\\': value += '\\'; break;
      case '"': value += '"'; break;
      case 'x':
      case 'u':
      case 'U': {
        const size_t digits = escape == 'x' ? 2 : escape == 'u' ? 4 : 8;
        if (text.size() - i < digits) return 0;
        uint32_t code = 0;
        for (size_t d = 0; d < digits; ++d) {
          const int digit = hex_digit(text[i + d]);
          if (digit < 0) return 0;
          code = code << 4 | static_cast<uint32_t>(digit);
        }
        i += digits;
        if (escape == 'x') {
          value += static_cast<char>(code);  // a byte, not a character
        } else {
          if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return 0;
          append_utf8(value, code);
        }
        break;
      }
      default: {
        // Three octal digits: a byte up to \377.
        if (escape < '0' || escape > '7' || text.size() - i < 2) return 0;
        uint32_t code = static_cast<uint32_t>(escape - '0');
        for (size_t d = 0; d < 2; ++d) {
          const char digit = text[i + d];
          if (digit < '0' || digit > '7') return 0;
          code = code << 3 | static_cast<uint32_t>(digit - '0');
        }
        if (code > 0xff) return 0;
        i += 2;
        value += static_cast<char>(code);
      }
    }
  }
  return 0;
}

std::vector<std::string_view> split_tabs(std::string_view text) {
  std::vector<std::string_view> columns;
  size_t start = 0;
  for (;;) {
    const size_t tab = text.find('\t', start);
    columns.push_back(text.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start));
    if (tab == std::string_view::npos) return columns;
    start = tab + 1;
  }
}

nlohmann::json module_json(const std::vector<std::string_view>& columns) {
  return {{"path", std::string(columns[0])},
          {"version", std::string(columns[1])},
          {"sum", columns.size() > 2 ? std::string(columns[2]) : std::string()}};
}

std::string module_text(const nlohmann::json& module) {
  std::string text = module["path"].get<std::string>() + " " + module["version"].get<std::string>();
  if (!module["sum"].get<std::string>().empty()) text += " " + module["sum"].get<std::string>();
  if (module.contains("replace")) text += " => " + module_text(module["replace"]);
  return text;
}

// The characters that make Go quote a key or a value (runtime/debug's
// quoteKey, quoteValue): an unquoted one holding them is malformed.
bool needs_quotes(std::string_view text, bool is_key) {
  if (is_key && text.empty()) return true;
  return text.find_first_of(is_key ? "= \t\r\n\"`" : " \t\r\n\"`") != std::string_view::npos;
}

// One "build" line's key and value.
std::pair<std::string, std::string> parse_setting(std::string_view line) {
  if (line.empty()) throw Error(ErrorKind::bad_input, "build line missing '='");
  std::string key;
  std::string_view raw_value;
  if (line[0] == '=') throw Error(ErrorKind::bad_input, "build line with missing key");
  if (line[0] == '"' || line[0] == '`') {
    const size_t length = go_quoted_prefix(line, key);
    if (length == 0) throw Error(ErrorKind::bad_input, "invalid quoted key in build line");
    if (length == line.size() || line[length] != '=')
      throw Error(ErrorKind::bad_input, "build line missing '=' after quoted key");
    raw_value = line.substr(length + 1);
  } else {
    const size_t equals = line.find('=');
    if (equals == std::string_view::npos) throw Error(ErrorKind::bad_input, "build line missing '=' after key");
    key = std::string(line.substr(0, equals));
    if (needs_quotes(key, true)) throw Error(ErrorKind::bad_input, "unquoted key must be quoted");
    raw_value = line.substr(equals + 1);
  }
  std::string value;
  if (!raw_value.empty() && (raw_value[0] == '"' || raw_value[0] == '`')) {
    if (go_quoted_prefix(raw_value, value) != raw_value.size())
      throw Error(ErrorKind::bad_input, "invalid quoted value in build line");
  } else {
    if (needs_quotes(raw_value, false)) throw Error(ErrorKind::bad_input, "unquoted value must be quoted");
    value = std::string(raw_value);
  }
  return {key, value};
}

// The module info's lines (runtime/debug's ParseBuildInfo reads the same):
// path, mod (the main module), dep, => (the replacement of the module on
// the line before), build (key=value). Other lines, and text after the last
// newline, are not Go's and are skipped as Go skips them.
void parse_module_info(std::string_view info, nlohmann::json& data) {
  // The module a "=>" line replaces: the one on the line before.
  std::optional<nlohmann::json::json_pointer> last_module;
  size_t line_number = 0;
  while (!info.empty()) {
    const size_t newline = info.find('\n');
    if (newline == std::string_view::npos) break;
    const std::string_view line = info.substr(0, newline);
    info.remove_prefix(newline + 1);
    ++line_number;
    try {
      auto rest = [&](std::string_view prefix) -> std::optional<std::string_view> {
        if (line.substr(0, prefix.size()) != prefix) return std::nullopt;
        return line.substr(prefix.size());
      };
      if (auto path = rest("path\t")) {
        data["path"] = std::string(*path);
      } else if (auto main_module = rest("mod\t")) {
        const auto columns = split_tabs(*main_module);
        if (columns.size() != 2 && columns.size() != 3) throw Error(ErrorKind::bad_input, "expected 2 or 3 columns");
        data["main"] = module_json(columns);
        last_module = nlohmann::json::json_pointer("/main");
      } else if (auto dep = rest("dep\t")) {
        const auto columns = split_tabs(*dep);
        if (columns.size() != 2 && columns.size() != 3) throw Error(ErrorKind::bad_input, "expected 2 or 3 columns");
        data["deps"].push_back(module_json(columns));
        last_module = nlohmann::json::json_pointer("/deps/" + std::to_string(data["deps"].size() - 1));
      } else if (auto replacement = rest("=>\t")) {
        const auto columns = split_tabs(*replacement);
        if (columns.size() != 3) throw Error(ErrorKind::bad_input, "expected 3 columns for a replacement");
        if (!last_module) throw Error(ErrorKind::bad_input, "replacement with no module on the line before");
        data[*last_module]["replace"] = module_json(columns);
        last_module.reset();
      } else if (auto setting = rest("build\t")) {
        auto [key, value] = parse_setting(*setting);
        data["settings"][key] = value;
      }
    } catch (const Error& e) {
      throw Error(ErrorKind::bad_input, "module info line " + std::to_string(line_number) + ": " + e.defect());
    }
  }
}

std::vector<std::pair<std::string, std::string>> text_lines(const nlohmann::json& data) {
  std::vector<std::pair<std::string, std::string>> lines{{"go version", data["go_version"].get<std::string>()}};
  if (data.contains("path")) lines.emplace_back("path", data["path"].get<std::string>());
  if (data.contains("main")) lines.emplace_back("main module", module_text(data["main"]));
  for (const nlohmann::json& dep : data["deps"]) lines.emplace_back("dep", module_text(dep));
  for (const auto& [key, value] : data["settings"].items())
    lines.emplace_back("setting", key + "=" + value.get<std::string>());
  return lines;
}

nlohmann::json decode(ByteView data) {
  const std::optional<uint64_t> header = find_go_buildinfo_header(data);
  if (!header)
    throw Error(ErrorKind::bad_input, "no Go build info header (\"\\xff Go buildinf:\" at a 16-byte boundary)");
  if (data.size() - *header < kHeaderSize)
    throw Error(ErrorKind::bad_input,
                "the build info header is truncated (" + std::to_string(data.size() - *header) + " of 32 bytes)");
  const uint8_t flags = data.read<uint8_t>(*header + 15, Endian::little, "build info flags");
  if ((flags & kInlineStrings) == 0)
    throw Error(ErrorKind::bad_input, "Go build info from before Go 1.18 (strings behind pointers) is not decoded");
  uint64_t at = *header + kHeaderSize;
  const std::string version = read_inline_string(data, at, "the Go version");
  if (version.empty()) throw Error(ErrorKind::bad_input, "the Go version is empty");
  const std::string module_info = read_inline_string(data, at, "the module info");

  nlohmann::json decoded = {
      {"go_version", version}, {"deps", nlohmann::json::array()}, {"settings", nlohmann::json::object()}};
  if (module_info.empty()) return decoded;  // built outside a module
  if (module_info.size() < 2 * kSentinelSize + 1 || module_info[module_info.size() - kSentinelSize - 1] != '\n')
    throw Error(ErrorKind::bad_input, "the module info lacks its 16-byte sentinels");
  parse_module_info(std::string_view(module_info).substr(kSentinelSize, module_info.size() - 2 * kSentinelSize),
                    decoded);
  return decoded;
}

bool is_buildinfo_section(const std::string& name) {
  if (name == ".go.buildinfo") return true;
  const size_t comma = name.find(',');
  return comma != std::string::npos && name.substr(comma + 1) == "__go_buildinfo";
}

bool is_data_section(const std::string& name) { return name == ".data" || name == "__DATA,__data"; }

}  // namespace

std::optional<uint64_t> find_go_buildinfo_header(ByteView data) {
  for (uint64_t at = 0; data.size() >= kMagicSize && at <= data.size() - kMagicSize; at += kAlignment)
    if (std::memcmp(data.data() + at, kMagic, kMagicSize) == 0) return at;
  return std::nullopt;
}

EmbeddedRecord read_go_buildinfo(ByteView data, const std::string& source) {
  EmbeddedRecord record{"go-buildinfo", source, nullptr, "", {}};
  try {
    // Go writes UTF-8, but the bytes are the file's.
    record.data = valid_text(decode(data));
    record.lines = text_lines(record.data);
  } catch (const Error& e) {
    record.error = e.defect();
  }
  return record;
}

void add_go_buildinfo(ByteView file, const BinaryFacts& facts, std::vector<EmbeddedRecord>& out) {
  for (size_t slice = 0; slice < std::max<size_t>(facts.slices.size(), 1); ++slice) {
    const SectionInfo* named = nullptr;
    const SectionInfo* data_section = nullptr;
    for (const SectionInfo& section : facts.sections) {
      if (section.slice != slice) continue;
      if (!named && is_buildinfo_section(section.name)) named = &section;
      if (!data_section && is_data_section(section.name)) data_section = &section;
    }
    if (named) {
      EmbeddedRecord record{"go-buildinfo", section_source(facts, *named), nullptr, "", {}};
      if (named->bytes.length == 0)
        record.error = "the section has no file bytes";
      else
        record =
            read_go_buildinfo(file.sub(named->bytes.offset, named->bytes.length, named->name.c_str()), record.source);
      out.push_back(std::move(record));
    } else if (data_section && data_section->bytes.length != 0) {
      const uint64_t searched = std::min(data_section->bytes.length, kDataSearchLimit);
      const ByteView data = file.sub(data_section->bytes.offset, searched, data_section->name.c_str());
      if (find_go_buildinfo_header(data)) out.push_back(read_go_buildinfo(data, section_source(facts, *data_section)));
    }
  }
}

}  // namespace buildinfo
