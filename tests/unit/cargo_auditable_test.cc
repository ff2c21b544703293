// cargo-auditable's .dep-v0: zlib-compressed JSON of the build's packages,
// normalised; every defect is the record's error.
#include <doctest/doctest.h>
#include <zlib.h>

#include <string>
#include <vector>

#include "embedded/cargo_auditable.h"

namespace {

std::vector<uint8_t> compressed(const std::string& text) {
  uLongf size = compressBound(text.size());
  std::vector<uint8_t> out(size);
  REQUIRE(compress2(out.data(), &size, reinterpret_cast<const Bytef*>(text.data()), text.size(), 9) == Z_OK);
  out.resize(size);
  return out;
}

buildinfo::EmbeddedRecord read_bytes(const std::vector<uint8_t>& bytes) {
  return buildinfo::read_cargo_auditable(buildinfo::ByteView(bytes.data(), bytes.size()), ".dep-v0");
}

buildinfo::EmbeddedRecord read(const std::string& json) { return read_bytes(compressed(json)); }

const char kAuditData[] = R"({"format":1,"packages":[
  {"name":"hello","version":"0.1.0","source":"local","dependencies":[1,2],"root":true},
  {"name":"libc","version":"0.2.150","source":"crates.io","kind":"runtime"},
  {"name":"cc","version":"1.0.83","source":"registry","kind":"build","dependencies":[1]},
  {"name":"forked","version":"2.0.0","source":{"Other":"sparse+https://example.org"}}]})";

}  // namespace

TEST_CASE("cargo-auditable: the packages, their dependencies and the root") {
  std::vector<uint8_t> bytes = compressed(kAuditData);
  bytes.resize(bytes.size() + 13, 0);  // a section's padding after the stream
  const buildinfo::EmbeddedRecord record = read_bytes(bytes);
  REQUIRE(record.error == "");
  CHECK(record.kind == "cargo-auditable");
  CHECK(record.data["format"] == 1);
  const nlohmann::json& packages = record.data["packages"];
  REQUIRE(packages.size() == 4);
  CHECK(packages[0] ==
        nlohmann::json{
            {"name", "hello"}, {"version", "0.1.0"}, {"source", "local"}, {"dependencies", {1, 2}}, {"root", true}});
  CHECK(packages[1] == nlohmann::json{{"name", "libc"}, {"version", "0.2.150"}, {"source", "crates.io"}});
  CHECK(packages[2]["kind"] == "build");
  CHECK(packages[3]["source"] == "sparse+https://example.org");
  REQUIRE(record.lines.size() == 4);
  CHECK(record.lines[1] == std::pair<std::string, std::string>("package", "libc 0.2.150 (crates.io)"));
  CHECK(read(R"({"packages":[]})").data["format"] == 0);
}

TEST_CASE("cargo-auditable: each defect is the record's error") {
  // Over the 8 MiB cap: a valid JSON document that inflates past it.
  const std::string big = R"({"packages":[],"pad":")" + std::string(buildinfo::kCargoAuditableMaxJson, 'x') + "\"}";
  CHECK(read(big).error.find("exceeds 8 MiB") != std::string::npos);
  // Just under the cap is read.
  const std::string fits =
      R"({"packages":[],"pad":")" + std::string(buildinfo::kCargoAuditableMaxJson - 30, 'x') + "\"}";
  CHECK(read(fits).error == "");

  std::vector<uint8_t> truncated = compressed(kAuditData);
  truncated.resize(truncated.size() / 2);
  CHECK(read_bytes(truncated).error == "the zlib data is truncated");
  CHECK(read_bytes({}).error == "the zlib data is truncated");
  CHECK(read_bytes({'{', '}', 0, 0}).error.find("not zlib data") != std::string::npos);

  const std::pair<const char*, const char*> cases[] = {
      {R"({"packages":[)", "not JSON"},
      {R"([1,2])", "no \"packages\" array"},
      {R"({"packages":{}})", "no \"packages\" array"},
      {R"({"format":-1,"packages":[]})", "format"},
      {R"({"packages":[1]})", "package 0 is not an object"},
      {R"({"packages":[{"version":"1","source":"local"}]})", "package 0 has no string 'name'"},
      {R"({"packages":[{"name":"a","version":1,"source":"local"}]})", "no string 'version'"},
      {R"({"packages":[{"name":"a","version":"1","source":{"Git":"x"}}]})", "no string 'source'"},
      {R"({"packages":[{"name":"a","version":"1","source":"local","kind":"dev"}]})", "kind"},
      {R"({"packages":[{"name":"a","version":"1","source":"local","root":1}]})", "root is not a boolean"},
      {R"({"packages":[{"name":"a","version":"1","source":"local","dependencies":[1]}]})", "not in the list"},
      {R"({"packages":[{"name":"a","version":"1","source":"local","dependencies":[-1]}]})", "not in the list"},
      {R"({"packages":[{"name":"a","version":"1","source":"local","root":true},
                       {"name":"b","version":"1","source":"local","root":true}]})",
       "more than one root"},
      {R"({"packages":[{"name":"a","version":"1","source":"local","dependencies":[1]},
                       {"name":"b","version":"1","source":"local","dependencies":[0]}]})",
       "cycle"},
      {R"({"packages":[{"name":"a","version":"1","source":"local","dependencies":[0]}]})", "cycle"},
  };
  for (const auto& [json, defect] : cases) {
    const buildinfo::EmbeddedRecord record = read(json);
    INFO(json);
    CHECK(record.error.find(defect) != std::string::npos);
    CHECK(record.data.is_null());
  }
}

TEST_CASE("cargo-auditable in a binary: every .dep-v0 section, per slice") {
  const std::vector<uint8_t> data = compressed(kAuditData);
  std::vector<uint8_t> file(100, 0);
  file.insert(file.end(), data.begin(), data.end());
  buildinfo::BinaryFacts facts;
  facts.slices = {buildinfo::Slice{0, 0, {"darwin", "arm64"}}, buildinfo::Slice{0, 0, {"darwin", "amd64"}}};
  facts.sections = {buildinfo::SectionInfo{"__DATA,.dep-v0", {100, data.size()}, 0, 1},
                    buildinfo::SectionInfo{"__DATA,.dep-v0", {0, 0}, 0, 0},
                    buildinfo::SectionInfo{".data", {100, data.size()}, 0, 0}};
  std::vector<buildinfo::EmbeddedRecord> out;
  buildinfo::add_cargo_auditable(buildinfo::ByteView(file.data(), file.size()), facts, out);
  REQUIRE(out.size() == 2);
  CHECK(out[0].source == "__DATA,.dep-v0 (amd64)");
  CHECK(out[0].data["packages"].size() == 4);
  CHECK(out[1].source == "__DATA,.dep-v0 (arm64)");
  CHECK(out[1].error == "the section has no file bytes");
}
