#include "embedded/macho_build_version.h"

#include <cstdio>

namespace buildinfo {
namespace {

// Load command numbers (<mach-o/loader.h>).
constexpr uint32_t kLcUuid = 0x1b;
constexpr uint32_t kLcVersionMinMacosx = 0x24;
constexpr uint32_t kLcVersionMinIphoneos = 0x25;
constexpr uint32_t kLcVersionMinTvos = 0x2f;
constexpr uint32_t kLcVersionMinWatchos = 0x30;
constexpr uint32_t kLcBuildVersion = 0x32;

// build_version_command: cmd, cmdsize, platform, minos, sdk, ntools, then
// ntools build_tool_version {tool, version}.
constexpr uint64_t kBuildVersionSize = 24;
constexpr uint64_t kToolSize = 8;
// version_min_command: cmd, cmdsize, version, sdk.
constexpr uint64_t kVersionMinSize = 16;
// uuid_command: cmd, cmdsize, uuid[16].
constexpr uint64_t kUuidSize = 24;

// PLATFORM_* of <mach-o/loader.h>, lowercased.
std::string platform_name(uint32_t platform) {
  static const char* const kNames[] = {nullptr,
                                       "macos",
                                       "ios",
                                       "tvos",
                                       "watchos",
                                       "bridgeos",
                                       "maccatalyst",
                                       "iossimulator",
                                       "tvossimulator",
                                       "watchossimulator",
                                       "driverkit",
                                       "visionos",
                                       "visionossimulator",
                                       "firmware",
                                       "sepos"};
  if (platform < sizeof kNames / sizeof kNames[0] && kNames[platform] != nullptr) return kNames[platform];
  return "platform " + std::to_string(platform);
}

// TOOL_* of <mach-o/loader.h>, lowercased.
std::string tool_name(uint32_t tool) {
  switch (tool) {
    case 1: return "clang";
    case 2: return "swift";
    case 3: return "ld";
    case 4: return "lld";
    case 1024: return "metal";
    default: return "tool " + std::to_string(tool);
  }
}

const char* command_name(uint32_t cmd) {
  switch (cmd) {
    case kLcUuid: return "LC_UUID";
    case kLcVersionMinMacosx: return "LC_VERSION_MIN_MACOSX";
    case kLcVersionMinIphoneos: return "LC_VERSION_MIN_IPHONEOS";
    case kLcVersionMinTvos: return "LC_VERSION_MIN_TVOS";
    case kLcVersionMinWatchos: return "LC_VERSION_MIN_WATCHOS";
    case kLcBuildVersion: return "LC_BUILD_VERSION";
    default: return nullptr;
  }
}

const char* version_min_platform(uint32_t cmd) {
  switch (cmd) {
    case kLcVersionMinMacosx: return "macos";
    case kLcVersionMinIphoneos: return "ios";
    case kLcVersionMinTvos: return "tvos";
    default: return "watchos";
  }
}

// Fails the record when the command's cmdsize is shorter than its layout.
void require_size(ByteView command, uint64_t size, const char* name) {
  if (command.size() < size)
    throw command.malformed(std::string(name) + " is truncated (" + std::to_string(command.size()) + " of " +
                            std::to_string(size) + " bytes)");
}

void read_build_version(ByteView command, Endian endian, EmbeddedRecord& record) {
  require_size(command, kBuildVersionSize, "LC_BUILD_VERSION");
  const uint32_t platform = command.read<uint32_t>(8, endian, "platform");
  const uint32_t minos = command.read<uint32_t>(12, endian, "minos");
  const uint32_t sdk = command.read<uint32_t>(16, endian, "sdk");
  const uint32_t ntools = command.read<uint32_t>(20, endian, "ntools");
  if (ntools > (command.size() - kBuildVersionSize) / kToolSize)
    throw command.malformed("LC_BUILD_VERSION's " + std::to_string(ntools) + " tools overrun the command");
  nlohmann::json tools = nlohmann::json::array();
  for (uint32_t i = 0; i < ntools; ++i) {
    const uint64_t at = kBuildVersionSize + kToolSize * i;
    tools.push_back({{"tool", tool_name(command.read<uint32_t>(at, endian, "tool"))},
                     {"version", macho_version(command.read<uint32_t>(at + 4, endian, "tool version"))}});
  }
  record.data = {{"platform", platform_name(platform)},
                 {"minos", macho_version(minos)},
                 {"sdk", macho_version(sdk)},
                 {"tools", tools}};
}

void read_version_min(ByteView command, uint32_t cmd, Endian endian, EmbeddedRecord& record) {
  require_size(command, kVersionMinSize, command_name(cmd));
  record.data = {{"platform", version_min_platform(cmd)},
                 {"minos", macho_version(command.read<uint32_t>(8, endian, "version"))},
                 {"sdk", macho_version(command.read<uint32_t>(12, endian, "sdk"))}};
}

// The canonical 8-4-4-4-12 form, uppercase, as dwarfdump and otool print it.
void read_uuid(ByteView command, EmbeddedRecord& record) {
  require_size(command, kUuidSize, "LC_UUID");
  const ByteView uuid = command.sub(8, 16, "uuid");
  std::string text;
  for (uint64_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text += '-';
    char digits[3];
    std::snprintf(digits, sizeof digits, "%02X", uuid.data()[i]);
    text += digits;
  }
  record.data = {{"uuid", text}};
}

std::vector<std::pair<std::string, std::string>> text_lines(const nlohmann::json& data) {
  std::vector<std::pair<std::string, std::string>> lines;
  if (data.contains("uuid")) return {{"uuid", data["uuid"].get<std::string>()}};
  lines.emplace_back("platform", data["platform"].get<std::string>());
  lines.emplace_back("minos", data["minos"].get<std::string>());
  lines.emplace_back("sdk", data["sdk"].get<std::string>());
  if (data.contains("tools"))
    for (const nlohmann::json& tool : data["tools"])
      lines.emplace_back("tool", tool["tool"].get<std::string>() + " " + tool["version"].get<std::string>());
  return lines;
}

}  // namespace

std::string macho_version(uint32_t encoded) {
  return std::to_string(encoded >> 16) + "." + std::to_string((encoded >> 8) & 0xff) + "." +
         std::to_string(encoded & 0xff);
}

std::optional<EmbeddedRecord> read_macho_build_command(ByteView command, bool big_endian, const std::string& arch) {
  const Endian endian = big_endian ? Endian::big : Endian::little;
  if (command.size() < 4) return std::nullopt;
  const uint32_t cmd = command.read<uint32_t>(0, endian, "cmd");
  const char* name = command_name(cmd);
  if (name == nullptr) return std::nullopt;
  EmbeddedRecord record{cmd == kLcUuid ? "macho-uuid" : "macho-build-version",
                        arch.empty() ? std::string(name) : std::string(name) + " (" + arch + ")",
                        nullptr,
                        "",
                        {}};
  try {
    if (cmd == kLcUuid)
      read_uuid(command, record);
    else if (cmd == kLcBuildVersion)
      read_build_version(command, endian, record);
    else
      read_version_min(command, cmd, endian, record);
    record.data["arch"] = arch;
    record.lines = text_lines(record.data);
  } catch (const Error& e) {
    record.data = nullptr;
    record.error = e.defect();
  }
  return record;
}

void add_macho_build_versions(ByteView file, const BinaryFacts& facts, std::vector<EmbeddedRecord>& out) {
  for (const LoadCommandInfo& command : facts.load_commands) {
    const std::string arch = command.slice < facts.slices.size() ? facts.slices[command.slice].target.arch : "";
    std::optional<EmbeddedRecord> record = read_macho_build_command(
        file.sub(command.bytes.offset, command.bytes.length, "load command"), command.big_endian, arch);
    if (record) out.push_back(std::move(*record));
  }
}

}  // namespace buildinfo
