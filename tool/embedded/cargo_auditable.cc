#include "embedded/cargo_auditable.h"

#include <zlib.h>

#include <algorithm>

namespace buildinfo {
namespace {

// The zlib stream at the start of `compressed`, inflated up to the cap
// (what follows the stream's end, such as a section's padding, is left).
std::string inflate_capped(ByteView compressed) {
  z_stream stream{};
  if (inflateInit(&stream) != Z_OK) throw Error(ErrorKind::bad_input, "zlib cannot start inflating");
  std::string out;
  uint64_t consumed = 0;
  int status = Z_OK;
  unsigned char chunk[64 * 1024];
  while (status != Z_STREAM_END) {
    if (stream.avail_in == 0 && consumed < compressed.size()) {
      const uint64_t length = std::min<uint64_t>(compressed.size() - consumed, 1u << 30);
      stream.next_in = const_cast<Bytef*>(compressed.data() + consumed);  // zlib does not write it
      stream.avail_in = static_cast<uInt>(length);
      consumed += length;
    }
    stream.next_out = chunk;
    stream.avail_out = sizeof chunk;
    status = inflate(&stream, Z_NO_FLUSH);
    out.append(reinterpret_cast<const char*>(chunk), sizeof chunk - stream.avail_out);
    if (out.size() > kCargoAuditableMaxJson) {
      inflateEnd(&stream);
      throw Error(ErrorKind::bad_input, "the decompressed data exceeds " +
                                            std::to_string(kCargoAuditableMaxJson >> 20) + " MiB (PARSING.md's cap)");
    }
    if (status == Z_BUF_ERROR && stream.avail_in == 0 && consumed == compressed.size()) {
      inflateEnd(&stream);
      throw Error(ErrorKind::bad_input, "the zlib data is truncated");
    }
    if (status != Z_OK && status != Z_STREAM_END && status != Z_BUF_ERROR) {
      const std::string reason = stream.msg != nullptr ? stream.msg : "error " + std::to_string(status);
      inflateEnd(&stream);
      throw Error(ErrorKind::bad_input, "the section is not zlib data: " + reason);
    }
  }
  inflateEnd(&stream);
  return out;
}

std::string string_field(const nlohmann::json& package, const char* key, size_t index) {
  const auto it = package.find(key);
  if (it == package.end() || !it->is_string())
    throw Error(ErrorKind::bad_input, "package " + std::to_string(index) + " has no string '" + key + "'");
  return it->get<std::string>();
}

// "crates.io", "git", "local", "registry" or another string; the schema
// also allows {"Other": "..."}.
std::string source_field(const nlohmann::json& package, size_t index) {
  const auto it = package.find("source");
  if (it != package.end() && it->is_object() && it->size() == 1 && it->contains("Other") && (*it)["Other"].is_string())
    return (*it)["Other"].get<std::string>();
  return string_field(package, "source", index);
}

// One package in the schema's form, defaults left out as cargo-auditable
// leaves them out: kind "runtime", root false, no dependencies.
nlohmann::json normalised_package(const nlohmann::json& package, size_t index, size_t count) {
  if (!package.is_object()) throw Error(ErrorKind::bad_input, "package " + std::to_string(index) + " is not an object");
  nlohmann::json out = {{"name", string_field(package, "name", index)},
                        {"version", string_field(package, "version", index)},
                        {"source", source_field(package, index)}};
  if (package.contains("kind")) {
    const nlohmann::json& kind = package["kind"];
    if (kind != "build" && kind != "runtime")
      throw Error(ErrorKind::bad_input,
                  "package " + std::to_string(index) + ": kind is neither \"build\" nor \"runtime\"");
    if (kind == "build") out["kind"] = "build";
  }
  if (package.contains("root")) {
    if (!package["root"].is_boolean())
      throw Error(ErrorKind::bad_input, "package " + std::to_string(index) + ": root is not a boolean");
    if (package["root"].get<bool>()) out["root"] = true;
  }
  if (package.contains("dependencies")) {
    const nlohmann::json& dependencies = package["dependencies"];
    if (!dependencies.is_array())
      throw Error(ErrorKind::bad_input, "package " + std::to_string(index) + ": dependencies is not an array");
    for (const nlohmann::json& dependency : dependencies) {
      if (!dependency.is_number_unsigned() || dependency.get<uint64_t>() >= count)
        throw Error(ErrorKind::bad_input,
                    "package " + std::to_string(index) + " depends on a package that is not in the list");
      out["dependencies"].push_back(dependency);
    }
  }
  return out;
}

// PARSING.md, "Reconstructing the dependency tree": the graph must have no
// cycle. Depth-first, with an explicit stack (the input sets the depth).
bool has_cycle(const nlohmann::json& packages) {
  enum State : uint8_t { unvisited, on_path, done };
  std::vector<State> state(packages.size(), unvisited);
  std::vector<std::pair<size_t, size_t>> stack;  // package, next dependency to follow
  for (size_t start = 0; start < packages.size(); ++start) {
    if (state[start] != unvisited) continue;
    state[start] = on_path;
    stack.emplace_back(start, 0);
    while (!stack.empty()) {
      auto& [package, next] = stack.back();
      const nlohmann::json& entry = packages[package];
      const auto dependencies = entry.find("dependencies");
      if (dependencies == entry.end() || next >= dependencies->size()) {
        state[package] = done;
        stack.pop_back();
        continue;
      }
      const size_t dependency = (*dependencies)[next++].get<size_t>();
      if (state[dependency] == on_path) return true;
      if (state[dependency] == unvisited) {
        state[dependency] = on_path;
        stack.emplace_back(dependency, 0);
      }
    }
  }
  return false;
}

nlohmann::json normalised(const std::string& text) {
  const nlohmann::json info = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (info.is_discarded()) throw Error(ErrorKind::bad_input, "the decompressed data is not JSON");
  if (!info.is_object() || !info.contains("packages") || !info["packages"].is_array())
    throw Error(ErrorKind::bad_input, "the JSON has no \"packages\" array");
  nlohmann::json out = {{"format", 0}, {"packages", nlohmann::json::array()}};
  if (info.contains("format")) {
    if (!info["format"].is_number_unsigned()) throw Error(ErrorKind::bad_input, "format is not an unsigned integer");
    out["format"] = info["format"];
  }
  const nlohmann::json& packages = info["packages"];
  size_t roots = 0;
  for (size_t i = 0; i < packages.size(); ++i) {
    out["packages"].push_back(normalised_package(packages[i], i, packages.size()));
    if (out["packages"].back().contains("root")) ++roots;
  }
  if (roots > 1) throw Error(ErrorKind::bad_input, "more than one root package");
  if (has_cycle(out["packages"])) throw Error(ErrorKind::bad_input, "the dependency graph has a cycle");
  return out;
}

}  // namespace

EmbeddedRecord read_cargo_auditable(ByteView section, const std::string& source) {
  EmbeddedRecord record{"cargo-auditable", source, nullptr, "", {}};
  try {
    record.data = normalised(inflate_capped(section));
    for (const nlohmann::json& package : record.data["packages"])
      record.lines.emplace_back("package", package["name"].get<std::string>() + " " +
                                               package["version"].get<std::string>() + " (" +
                                               package["source"].get<std::string>() + ")");
  } catch (const Error& e) {
    record.error = e.defect();
  }
  return record;
}

void add_cargo_auditable(ByteView file, const BinaryFacts& facts, std::vector<EmbeddedRecord>& out) {
  for (const SectionInfo& section : facts.sections) {
    if (section.name != ".dep-v0" && section.name != "__DATA,.dep-v0") continue;
    if (section.bytes.length == 0) {
      out.push_back(EmbeddedRecord{
          "cargo-auditable", section_source(facts, section), nullptr, "the section has no file bytes", {}});
      continue;
    }
    out.push_back(read_cargo_auditable(file.sub(section.bytes.offset, section.bytes.length, ".dep-v0"),
                                       section_source(facts, section)));
  }
}

}  // namespace buildinfo
