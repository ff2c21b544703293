// The dependency inventory (see dependency_inventory.h).
#include "record/dependency_inventory.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "formats/image_digest.h"
#include "support/error.h"
#include "support/percent_encode.h"
#include "support/terminal_text.h"

namespace buildinfo {
namespace {

using nlohmann::json;

Error defect(const std::string& source, const std::string& what) { return Error(ErrorKind::bad_input, source, what); }

// "pkg:" then a type of letters, digits, '.', '+', '-' starting with a
// letter, then '/' and more (purl-spec, "Rules for each purl component").
bool looks_like_purl(const std::string& purl) {
  if (purl.compare(0, 4, "pkg:") != 0) return false;
  size_t at = 4;
  if (at >= purl.size() || !std::isalpha(static_cast<unsigned char>(purl[at]))) return false;
  while (at < purl.size() &&
         (std::isalnum(static_cast<unsigned char>(purl[at])) || purl[at] == '.' || purl[at] == '+' || purl[at] == '-'))
    ++at;
  return at + 1 < purl.size() && purl[at] == '/';
}

void check(const Dependency& d, const std::string& source) {
  if (d.name.empty()) throw defect(source, "a dependency has no name");
  if (d.linkage != "" && d.linkage != "static" && d.linkage != "shared")
    throw defect(source, "dependency " + printable(d.name) + ": linkage '" + printable(d.linkage) +
                             "' is neither static nor shared");
  if (!d.purl.empty() && !looks_like_purl(d.purl))
    throw defect(source, "dependency " + printable(d.name) + ": purl '" + printable(d.purl) +
                             "' is not a package URL (pkg:TYPE/NAME...)");
  if (d.vcs_modified != "" && d.vcs_modified != "true" && d.vcs_modified != "false")
    throw defect(source, "dependency " + printable(d.name) + ": vcs.modified is '" + printable(d.vcs_modified) +
                             "', not true or false");
  if (d.vcs_modified != "" && d.vcs_revision.empty())
    throw defect(source, "dependency " + printable(d.name) + ": vcs.modified without vcs.revision");
}

// Fills generic purls, sorts by purl and checks that purls are unique and
// that every `depends` purl is listed.
void normalise(std::vector<Dependency>& dependencies, const std::string& source) {
  for (Dependency& d : dependencies) {
    check(d, source);
    if (d.purl.empty()) d.purl = generic_purl(d.name, d.version);
    std::sort(d.depends.begin(), d.depends.end());
    d.depends.erase(std::unique(d.depends.begin(), d.depends.end()), d.depends.end());
  }
  std::sort(dependencies.begin(), dependencies.end(),
            [](const Dependency& a, const Dependency& b) { return a.purl < b.purl; });
  std::set<std::string> purls;
  for (const Dependency& d : dependencies)
    if (!purls.insert(d.purl).second) throw defect(source, "purl " + printable(d.purl) + " is listed twice");
  for (const Dependency& d : dependencies)
    for (const std::string& purl : d.depends)
      if (purls.count(purl) == 0)
        throw defect(source, "dependency " + printable(d.name) + " depends on " + printable(purl) +
                                 ", which is not in the inventory");
}

std::string string_field(const json& object, const char* key, const std::string& source) {
  const auto it = object.find(key);
  if (it == object.end()) return "";
  if (!it->is_string()) throw defect(source, std::string("dependency field ") + key + " is not a string");
  return it->get<std::string>();
}

Dependency from_json(const json& object, const std::string& source) {
  if (!object.is_object()) throw defect(source, "a dependency is not a JSON object");
  static const std::set<std::string> known = {"name", "version", "purl", "linkage", "source", "vcs", "depends"};
  for (const auto& [key, value] : object.items())
    if (known.count(key) == 0) throw defect(source, "unknown dependency field '" + printable(key) + "'");
  Dependency d;
  d.name = string_field(object, "name", source);
  d.version = string_field(object, "version", source);
  d.purl = string_field(object, "purl", source);
  d.linkage = string_field(object, "linkage", source);
  d.source = string_field(object, "source", source);
  if (const auto vcs = object.find("vcs"); vcs != object.end()) {
    if (!vcs->is_object()) throw defect(source, "dependency field vcs is not an object");
    for (const auto& [key, value] : vcs->items())
      if (key != "revision" && key != "modified") throw defect(source, "unknown vcs field '" + printable(key) + "'");
    d.vcs_revision = string_field(*vcs, "revision", source);
    d.vcs_modified = string_field(*vcs, "modified", source);
  }
  if (const auto depends = object.find("depends"); depends != object.end()) {
    if (!depends->is_array()) throw defect(source, "dependency field depends is not a list");
    for (const json& purl : *depends) {
      if (!purl.is_string()) throw defect(source, "a depends entry is not a string");
      d.depends.push_back(purl.get<std::string>());
    }
  }
  return d;
}

json to_json(const Dependency& d) {
  json out = {{"name", d.name}, {"purl", d.purl}};
  if (!d.version.empty()) out["version"] = d.version;
  if (!d.linkage.empty()) out["linkage"] = d.linkage;
  if (!d.source.empty()) out["source"] = d.source;
  if (!d.vcs_revision.empty()) {
    out["vcs"] = {{"revision", d.vcs_revision}};
    if (!d.vcs_modified.empty()) out["vcs"]["modified"] = d.vcs_modified;
  }
  if (!d.depends.empty()) out["depends"] = d.depends;
  return out;
}

}  // namespace

std::string generic_purl(const std::string& name, const std::string& version) {
  return "pkg:generic/" + percent_encode(name, kPurlKeeps) +
         (version.empty() ? "" : "@" + percent_encode(version, kPurlKeeps));
}

Dependency parse_dep_argument(const std::string& argument) {
  const std::string source = "--dep '" + printable(argument) + "'";
  validate_value("--dep", argument);
  std::vector<std::string> parts;
  for (size_t at = 0;;) {
    const size_t comma = argument.find(',', at);
    parts.push_back(argument.substr(at, comma == std::string::npos ? std::string::npos : comma - at));
    if (comma == std::string::npos) break;
    at = comma + 1;
  }
  const size_t equals = parts[0].find('=');
  Dependency d;
  d.name = parts[0].substr(0, equals);
  if (equals != std::string::npos) d.version = parts[0].substr(equals + 1);
  d.source = "command-line";
  for (size_t i = 1; i < parts.size(); ++i) {
    const size_t eq = parts[i].find('=');
    const std::string key = parts[i].substr(0, eq);
    const std::string value = eq == std::string::npos ? "" : parts[i].substr(eq + 1);
    if (key == "purl") {
      d.purl = value;
    } else if (key == "linkage") {
      d.linkage = value;
    } else {
      throw Error(ErrorKind::bad_input,
                  source + ": unknown field '" + printable(key) + "' (NAME=VERSION[,purl=P][,linkage=static|shared])");
    }
  }
  check(d, source);
  return d;
}

std::vector<Dependency> parse_inventory(const std::string& text, const std::string& source) {
  json document;
  try {
    document = json::parse(text);
  } catch (const json::exception& e) {
    throw defect(source, std::string("not a JSON inventory: ") + e.what());
  }
  if (!document.is_object() || !document.contains("dependencies") || !document["dependencies"].is_array())
    throw defect(source, "not an inventory: no \"dependencies\" list");
  for (const auto& [key, value] : document.items())
    if (key != "dependencies" && key != "format") throw defect(source, "unknown field '" + printable(key) + "'");
  if (document.contains("format") && document["format"] != kInventoryFormat)
    throw defect(source, "inventory format " + printable(document["format"].dump()) + " is not " + kInventoryFormat);
  std::vector<Dependency> out;
  for (const json& entry : document["dependencies"]) out.push_back(from_json(entry, source));
  normalise(out, source);
  return out;
}

std::string inventory_json(std::vector<Dependency> dependencies) {
  normalise(dependencies, "the dependency inventory");
  const json list = dependencies_json(dependencies);
  // nlohmann's default object keeps keys sorted and dump() writes no
  // whitespace: the payload's canonical form (FORMAT.md, "The payload").
  return json{{"dependencies", list}, {"format", kInventoryFormat}}.dump();
}

json dependencies_json(const std::vector<Dependency>& dependencies) {
  json list = json::array();
  for (const Dependency& d : dependencies) list.push_back(to_json(d));
  return list;
}

void bind_inventory(Payload& payload, const std::string& json_text, size_t count) {
  payload["deps.sha256"] = sha256_hex(ByteView(reinterpret_cast<const uint8_t*>(json_text.data()), json_text.size()));
  payload["deps.count"] = std::to_string(count);
}

std::string space_text(ByteView file, const DependencySpace& space) {
  const ByteView bytes = file.sub(space.json.offset, space.json.length, space.where.c_str());
  const auto* begin = reinterpret_cast<const char*>(bytes.data());
  const auto* nul = static_cast<const char*>(std::memchr(begin, 0, bytes.size()));
  return std::string(begin, nul != nullptr ? nul : begin + bytes.size());
}

const DependencySpace* space_of_slice(const BinaryFacts& facts, uint64_t slice_offset) {
  for (const DependencySpace& space : facts.dependency_spaces)
    if (space.slice_offset == slice_offset) return &space;
  return nullptr;
}

std::vector<uint8_t> encode_inventory(const DependencySpace& space, const std::string& json_text,
                                      const std::string& file) {
  if (json_text.size() + 1 > space.json.length)
    throw Error(ErrorKind::bad_input, file,
                "the dependency inventory needs " + std::to_string(json_text.size() + 1) + " bytes but " + space.where +
                    " holds " + std::to_string(space.json.length) +
                    " (buildinfo_stamp(... DEPS_SIZE n), or BUILDINFO_DEFINE_DEPENDENCIES(n))");
  std::vector<uint8_t> out(json_text.begin(), json_text.end());
  out.resize(space.json.length, 0);
  return out;
}

InventoryReading read_inventory(ByteView file, const BinaryFacts& facts, uint64_t slice_offset, const Payload& record) {
  InventoryReading reading;
  const auto recorded = record.find("deps.sha256");
  if (recorded == record.end()) return reading;
  reading.bound = true;
  reading.recorded = recorded->second;
  const DependencySpace* space = space_of_slice(facts, slice_offset);
  if (space == nullptr) {
    reading.defect = "the record has deps.sha256 but the binary has no dependency space";
    return reading;
  }
  const std::string text = space_text(file, *space);
  reading.actual = sha256_hex(ByteView(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
  if (reading.actual != reading.recorded) {
    reading.defect = "the dependency inventory in " + space->where + " hashes to " + reading.actual +
                     ", deps.sha256 is " + reading.recorded;
    return reading;
  }
  try {
    reading.dependencies = parse_inventory(text, space->where);
  } catch (const Error& e) {
    reading.defect = e.defect();
    return reading;
  }
  const auto count = record.find("deps.count");
  if (count == record.end() || count->second != std::to_string(reading.dependencies.size())) {
    reading.defect = "the inventory lists " + std::to_string(reading.dependencies.size()) +
                     " dependencies, deps.count is " + (count == record.end() ? "absent" : count->second);
    reading.dependencies.clear();
    return reading;
  }
  reading.matches = true;
  return reading;
}

}  // namespace buildinfo
