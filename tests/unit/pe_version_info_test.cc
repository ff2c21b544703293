// VS_VERSIONINFO, built by hand from Microsoft's layouts (see
// formats/pe/pe_version_info.h): the parser's view of a good tree, each
// defect it refuses, and stamp's in-place fill of a reserved one.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "formats/pe/pe_version_info.h"
#include "record/version_resource.h"
#include "support/error.h"
#include "support/utf16.h"

namespace {

using Bytes = std::vector<uint8_t>;
using buildinfo::ByteView;

void put16(Bytes& out, uint16_t value) {
  out.push_back(static_cast<uint8_t>(value));
  out.push_back(static_cast<uint8_t>(value >> 8));
}

void put32(Bytes& out, uint32_t value) {
  put16(out, static_cast<uint16_t>(value));
  put16(out, static_cast<uint16_t>(value >> 16));
}

void align(Bytes& out) {
  while (out.size() % 4) out.push_back(0);
}

Bytes utf16z(const std::string& text) {
  Bytes out;
  for (const uint16_t unit : buildinfo::utf8_to_utf16(text)) put16(out, unit);
  put16(out, 0);
  return out;
}

// One structure: wLength, wValueLength, wType, key, padding, value,
// padding, children (each already aligned).
Bytes node(const std::string& key, uint16_t type, const Bytes& value, uint16_t value_length,
           const std::vector<Bytes>& children) {
  Bytes out(6, 0);
  const Bytes k = utf16z(key);
  out.insert(out.end(), k.begin(), k.end());
  align(out);
  out.insert(out.end(), value.begin(), value.end());
  for (const Bytes& child : children) {
    align(out);
    out.insert(out.end(), child.begin(), child.end());
  }
  const auto length = static_cast<uint16_t>(out.size());
  out[0] = static_cast<uint8_t>(length);
  out[1] = static_cast<uint8_t>(length >> 8);
  out[2] = static_cast<uint8_t>(value_length);
  out[3] = static_cast<uint8_t>(value_length >> 8);
  out[4] = static_cast<uint8_t>(type);
  return out;
}

// A String whose value is `value`, NUL-terminated, in `room` units.
Bytes string_node(const std::string& key, const std::string& value, size_t room) {
  Bytes v = utf16z(value);
  const auto units = static_cast<uint16_t>(v.size() / 2);
  v.resize(room * 2, 0);
  return node(key, 1, v, units, {});
}

Bytes fixed_info(uint32_t signature = 0xfeef04bd) {
  Bytes out;
  for (const uint32_t word : {signature, 0x00010000u, 0x00010002u, 0x00030004u, 0x00050006u, 0x00070008u, 0x3fu, 0u,
                              0x40004u, 1u, 0u, 0u, 0u})
    put32(out, word);
  return out;
}

Bytes version_info(const std::vector<Bytes>& strings, uint32_t signature = 0xfeef04bd,
                   const std::string& root_key = "VS_VERSION_INFO") {
  const Bytes table = node("040904b0", 1, {}, 0, strings);
  const Bytes string_file_info = node("StringFileInfo", 1, {}, 0, {table});
  Bytes translation;
  put16(translation, 0x0409);
  put16(translation, 1200);
  const Bytes var = node("Translation", 0, translation, 4, {});
  const Bytes var_file_info = node("VarFileInfo", 1, {}, 0, {var});
  return node(root_key, 0, fixed_info(signature), 52, {string_file_info, var_file_info});
}

buildinfo::VersionInfo parse(const Bytes& bytes, uint64_t file_offset = 0) {
  return buildinfo::parse_version_info(ByteView(bytes.data(), bytes.size()), file_offset);
}

std::string defect(const Bytes& bytes) {
  try {
    parse(bytes);
  } catch (const buildinfo::Error& e) {
    return e.defect();
  }
  return "";
}

void set16(Bytes& bytes, size_t at, uint16_t value) {
  bytes[at] = static_cast<uint8_t>(value);
  bytes[at + 1] = static_cast<uint8_t>(value >> 8);
}

}  // namespace

TEST_CASE("a version resource's fixed versions and strings, with where they are") {
  const Bytes bytes = version_info({string_node("ProductName", "démo", 8), string_node("FileVersion", "1.2", 4)});
  const buildinfo::VersionInfo info = parse(bytes, 0x1000);
  REQUIRE(info.fixed);
  CHECK(info.fixed->offset == 0x1000 + 40);  // after the 6-byte head, 32 bytes of key, 2 of padding
  CHECK(info.fixed->file_version_ms == 0x00010002);
  CHECK(info.fixed->file_version_ls == 0x00030004);
  CHECK(info.fixed->product_version_ms == 0x00050006);
  CHECK(info.fixed->product_version_ls == 0x00070008);
  CHECK(info.fixed->file_os == 0x40004);
  CHECK(info.fixed->file_type == 1);
  REQUIRE(info.tables.size() == 1);  // VarFileInfo is skipped
  CHECK(info.tables[0].key == "040904b0");
  REQUIRE(info.tables[0].strings.size() == 2);
  const buildinfo::VersionString& name = info.tables[0].strings[0];
  CHECK(name.key == "ProductName");
  CHECK(name.value == "démo");
  CHECK(name.capacity == 8);
  // The offsets point at the value and at its wValueLength.
  const size_t value_at = name.value_offset - 0x1000;
  CHECK(buildinfo::utf16le_to_utf8(ByteView(bytes.data() + value_at, 8)) == "démo");
  CHECK((bytes[name.value_length_offset - 0x1000] | bytes[name.value_length_offset - 0x1000 + 1] << 8) == 5);
  CHECK(info.tables[0].strings[1].value == "1.2");
  CHECK_FALSE(buildinfo::is_reserved_version_info(info));
}

TEST_CASE("a version resource with no fixed part has only strings") {
  const Bytes table = node("040904b0", 1, {}, 0, {string_node("Comments", "x", 2)});
  const Bytes bytes = node("VS_VERSION_INFO", 0, {}, 0, {node("StringFileInfo", 1, {}, 0, {table})});
  const buildinfo::VersionInfo info = parse(bytes);
  CHECK_FALSE(info.fixed);
  REQUIRE(info.tables.size() == 1);
  CHECK(info.tables[0].strings.at(0).value == "x");
}

TEST_CASE("each defect of a version resource is named") {
  const Bytes good = version_info({string_node("FileVersion", "1", 4)});
  Bytes bytes = good;
  set16(bytes, 0, static_cast<uint16_t>(good.size() + 2));
  CHECK(defect(bytes).find("VS_VERSIONINFO wLength") != std::string::npos);
  CHECK(defect(bytes).find("runs past its parent") != std::string::npos);
  bytes = good;
  set16(bytes, 0, 4);
  CHECK(defect(bytes).find("is shorter than its header") != std::string::npos);
  CHECK(defect(Bytes(good.begin(), good.begin() + 3)) != "");
  CHECK(defect(version_info({}, 0x12345678)) == "VS_FIXEDFILEINFO dwSignature is not 0xfeef04bd");
  CHECK(defect(version_info({}, 0xfeef04bd, "VS_VERSION")) ==
        "version resource key is \"VS_VERSION\", not \"VS_VERSION_INFO\"");
  // A child that claims more than its parent holds.
  bytes = good;
  const size_t string_file_info = 92;  // root head, key, fixed part
  REQUIRE(bytes[string_file_info + 6] == 'S');
  set16(bytes, string_file_info, 0xfff0);
  CHECK(defect(bytes).find("runs past its parent") != std::string::npos);
  // A key with no NUL in its structure.
  Bytes keyless(6, 0);
  for (int i = 0; i < 8; ++i) put16(keyless, 'V');
  set16(keyless, 0, static_cast<uint16_t>(keyless.size()));
  CHECK(defect(keyless).find("key has no NUL") != std::string::npos);
}

TEST_CASE("numeric versions for the fixed fields") {
  using V = std::vector<uint16_t>;
  CHECK(buildinfo::numeric_version("1.2.3") == V{1, 2, 3, 0});
  CHECK(buildinfo::numeric_version("1.2.3.4.5") == V{1, 2, 3, 4});
  CHECK(buildinfo::numeric_version("2.7.1-rc1") == V{2, 7, 1, 0});
  CHECK(buildinfo::numeric_version("v1.2") == V{0, 0, 0, 0});
  CHECK(buildinfo::numeric_version("") == V{0, 0, 0, 0});
  CHECK(buildinfo::numeric_version("1.70000") == V{0, 0, 0, 0});
  CHECK(buildinfo::numeric_version("65535.0") == V{65535, 0, 0, 0});
}

TEST_CASE("stamp fills a reserved version resource in place") {
  const std::string reserved(40, '.');
  Bytes bytes =
      version_info({string_node("Buildinfo", "ours", 5), string_node("FileDescription", "app", 4),
                    string_node("ProductName", reserved, 41), string_node("FileVersion", reserved, 41),
                    string_node("ProductVersion", reserved, 41), string_node("SourceRevision", reserved, 60)});
  const buildinfo::VersionInfo info = parse(bytes);
  REQUIRE(buildinfo::is_reserved_version_info(info));
  const buildinfo::VersionResource resource{"RT_VERSION 1, language 0409", {0, bytes.size()}};
  buildinfo::Payload facts{{"project.name", "app"},
                           {"project.version", "3.4.5-beta"},
                           {"vcs.revision", "0123456789abcdef0123456789abcdef01234567"},
                           {"vcs.modified", "true"}};
  for (const buildinfo::PlainWrite& write : buildinfo::version_resource_writes(resource, info, facts, "app.exe")) {
    REQUIRE(write.offset + write.bytes.size() <= bytes.size());
    std::memcpy(bytes.data() + write.offset, write.bytes.data(), write.bytes.size());
  }
  const buildinfo::VersionInfo filled = parse(bytes);
  REQUIRE(filled.fixed);
  CHECK(filled.fixed->file_version_ms == 0x00030004);
  CHECK(filled.fixed->file_version_ls == 0x00050000);
  CHECK(filled.fixed->product_version_ms == 0x00030004);
  CHECK(filled.fixed->product_version_ls == 0x00050000);
  std::vector<std::string> values;
  for (const buildinfo::VersionString& s : filled.tables.at(0).strings) values.push_back(s.key + "=" + s.value);
  CHECK(values == std::vector<std::string>{"Buildinfo=ours", "FileDescription=app", "ProductName=app",
                                           "FileVersion=3.4.5-beta", "ProductVersion=3.4.5-beta",
                                           "SourceRevision=0123456789abcdef0123456789abcdef01234567 dirty"});
  // Still ours: a second stamp fills it again.
  CHECK(buildinfo::is_reserved_version_info(filled));

  // A value longer than its room is refused, naming the file and the string.
  facts["project.name"] = std::string(41, 'n');
  try {
    buildinfo::version_resource_writes(resource, filled, facts, "app.exe");
    FAIL("a name longer than its room was accepted");
  } catch (const buildinfo::Error& e) {
    CHECK(e.file() == "app.exe");
    CHECK(e.defect().find("version resource string ProductName needs 42 UTF-16 units") != std::string::npos);
  }
}
