// Mach-O LC_BUILD_VERSION, LC_VERSION_MIN_* and LC_UUID, built from
// <mach-o/loader.h>'s layouts, in both byte orders; truncated commands are
// the record's error.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "embedded/macho_build_version.h"

namespace {

using Bytes = std::vector<uint8_t>;

void put32(Bytes& out, uint32_t value, bool big_endian) {
  for (unsigned i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(value >> (8 * (big_endian ? 3 - i : i))));
}

// A command of `cmd` with the given 32-bit words after cmd and cmdsize.
Bytes command(uint32_t cmd, const std::vector<uint32_t>& words, bool big_endian = false) {
  Bytes out;
  put32(out, cmd, big_endian);
  put32(out, static_cast<uint32_t>(8 + 4 * words.size()), big_endian);
  for (const uint32_t word : words) put32(out, word, big_endian);
  return out;
}

std::optional<buildinfo::EmbeddedRecord> read(const Bytes& bytes, bool big_endian = false) {
  return buildinfo::read_macho_build_command(buildinfo::ByteView(bytes.data(), bytes.size()), big_endian, "arm64");
}

}  // namespace

TEST_CASE("Mach-O versions are xxxx.yy.zz in nibbles") {
  CHECK(buildinfo::macho_version(0x000b0000) == "11.0.0");
  CHECK(buildinfo::macho_version(0x000d0100) == "13.1.0");
  CHECK(buildinfo::macho_version(0x000a0d02) == "10.13.2");
  CHECK(buildinfo::macho_version(0xffffffff) == "65535.255.255");
}

TEST_CASE("LC_BUILD_VERSION: platform, minos, sdk and tools, in either byte order") {
  for (const bool big_endian : {false, true}) {
    // macos 11.0 sdk 13.1, ld 14.0.6 and a tool of no known name
    const auto record =
        read(command(0x32, {1, 0x000b0000, 0x000d0100, 2, 3, 0x000e0006, 77, 0x00010203}, big_endian), big_endian);
    REQUIRE(record);
    CHECK(record->error == "");
    CHECK(record->kind == "macho-build-version");
    CHECK(record->source == "LC_BUILD_VERSION (arm64)");
    CHECK(record->data ==
          nlohmann::json{
              {"platform", "macos"},
              {"minos", "11.0.0"},
              {"sdk", "13.1.0"},
              {"arch", "arm64"},
              {"tools", {{{"tool", "ld"}, {"version", "14.0.6"}}, {{"tool", "tool 77"}, {"version", "1.2.3"}}}}});
    CHECK(record->lines.front() == std::pair<std::string, std::string>("platform", "macos"));
    CHECK(record->lines.back() == std::pair<std::string, std::string>("tool", "tool 77 1.2.3"));
  }
  const std::pair<uint32_t, const char*> platforms[] = {{2, "ios"},        {6, "maccatalyst"}, {7, "iossimulator"},
                                                        {10, "driverkit"}, {11, "visionos"},   {99, "platform 99"}};
  for (const auto& [number, name] : platforms) CHECK(read(command(0x32, {number, 0, 0, 0}))->data["platform"] == name);
}

TEST_CASE("LC_VERSION_MIN_* and LC_UUID") {
  const std::pair<uint32_t, const char*> commands[] = {
      {0x24, "macos"}, {0x25, "ios"}, {0x2f, "tvos"}, {0x30, "watchos"}};
  for (const auto& [cmd, platform] : commands) {
    const auto record = read(command(cmd, {0x000a0d00, 0x000d0100}));
    REQUIRE(record);
    CHECK(record->kind == "macho-build-version");
    CHECK(record->data ==
          nlohmann::json{{"platform", platform}, {"minos", "10.13.0"}, {"sdk", "13.1.0"}, {"arch", "arm64"}});
  }
  CHECK(read(command(0x24, {0x000a0d00, 0x000d0100}))->source == "LC_VERSION_MIN_MACOSX (arm64)");

  Bytes uuid = command(0x1b, {});
  for (uint8_t i = 0; i < 16; ++i) uuid.push_back(static_cast<uint8_t>(0xa0 + i * 3));
  uuid[4] = 24;
  const auto record = read(uuid);
  REQUIRE(record);
  CHECK(record->kind == "macho-uuid");
  CHECK(record->source == "LC_UUID (arm64)");
  CHECK(record->data["uuid"] == "A0A3A6A9-ACAF-B2B5-B8BB-BEC1C4C7CACD");
  CHECK(record->lines ==
        std::vector<std::pair<std::string, std::string>>{{"uuid", "A0A3A6A9-ACAF-B2B5-B8BB-BEC1C4C7CACD"}});

  CHECK_FALSE(read(command(0x19, {1, 2, 3})));  // LC_SEGMENT_64: not ours
  CHECK_FALSE(read(Bytes{0x32, 0}));            // too short to hold cmd
}

TEST_CASE("truncated build commands are the record's error") {
  Bytes short_build = command(0x32, {1, 0x000b0000});
  CHECK(read(short_build)->error == "LC_BUILD_VERSION is truncated (16 of 24 bytes)");
  CHECK(read(short_build)->data.is_null());
  CHECK(read(command(0x32, {1, 0, 0, 3, 3, 0}))->error.find("3 tools overrun the command") != std::string::npos);
  CHECK(read(command(0x32, {1, 0, 0, 0xffffffff}))->error.find("tools overrun") != std::string::npos);
  CHECK(read(command(0x24, {1}))->error == "LC_VERSION_MIN_MACOSX is truncated (12 of 16 bytes)");
  CHECK(read(command(0x1b, {1, 2}))->error == "LC_UUID is truncated (16 of 24 bytes)");
}

TEST_CASE("Mach-O build records in a binary: one per command and slice") {
  Bytes file(16, 0);
  const Bytes build = command(0x32, {1, 0x000b0000, 0x000d0100, 0}, true);
  const Bytes segment = command(0x19, {0, 0});
  file.insert(file.end(), build.begin(), build.end());
  file.insert(file.end(), segment.begin(), segment.end());
  buildinfo::BinaryFacts facts;
  facts.slices = {buildinfo::Slice{0, 0, {"darwin", "arm64"}}, buildinfo::Slice{0, 0, {"darwin", "powerpc"}}};
  facts.load_commands = {buildinfo::LoadCommandInfo{0x32, {16, build.size()}, 1, true},
                         buildinfo::LoadCommandInfo{0x19, {16 + build.size(), segment.size()}, 0, false}};
  std::vector<buildinfo::EmbeddedRecord> out;
  buildinfo::add_macho_build_versions(buildinfo::ByteView(file.data(), file.size()), facts, out);
  REQUIRE(out.size() == 1);
  CHECK(out[0].source == "LC_BUILD_VERSION (powerpc)");
  CHECK(out[0].data["minos"] == "11.0.0");
}
