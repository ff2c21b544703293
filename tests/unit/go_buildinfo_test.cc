// Go's build info: the inline-string header of Go 1.18+, the module info
// lines `go version -m` prints, and every defect as the record's error.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "embedded/go_buildinfo.h"

namespace {

using Bytes = std::vector<uint8_t>;

void append(Bytes& out, const std::string& text) { out.insert(out.end(), text.begin(), text.end()); }

void append_uvarint(Bytes& out, uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<uint8_t>(value | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<uint8_t>(value));
}

// The 32-byte header: magic, pointer size 8, flags.
Bytes header(uint8_t flags) {
  Bytes out;
  append(out, std::string("\xff Go buildinf:", 14));
  out.push_back(8);
  out.push_back(flags);
  out.resize(32, 0);
  return out;
}

const std::string kStartSentinel(16, 'S');
const std::string kEndSentinel(16, 'E');

// Go 1.18+ build info: the header, then the version and the module info
// (between the sentinels), each with its uvarint length.
Bytes build_info(const std::string& version, const std::string& module_lines, bool sentinels = true) {
  Bytes out = header(2);
  append_uvarint(out, version.size());
  append(out, version);
  const std::string info = sentinels ? kStartSentinel + module_lines + kEndSentinel : module_lines;
  append_uvarint(out, info.size());
  append(out, info);
  out.resize(out.size() + 7, 0);  // the section's padding
  return out;
}

buildinfo::EmbeddedRecord read(const Bytes& bytes) {
  return buildinfo::read_go_buildinfo(buildinfo::ByteView(bytes.data(), bytes.size()), ".go.buildinfo");
}

const char kModuleLines[] =
    "path\texample.com/hello\n"
    "mod\texample.com/hello\t(devel)\t\n"
    "dep\texample.com/lib\tv1.2.3\th1:abc=\n"
    "dep\texample.com/local\tv0.0.0\n"
    "=>\t../local\t(devel)\t\n"
    "build\t-compiler=gc\n"
    "build\t-ldflags=\"-s -w \\\"q\\\" \\u00e9\\x41\\101\"\n"
    "build\t\"key with space\"=`raw value`\n"
    "build\tCGO_CFLAGS=\n"
    "build\tvcs.revision=0123abcd\n";

}  // namespace

TEST_CASE("Go build info: version, path, modules, replacements and settings") {
  const buildinfo::EmbeddedRecord record = read(build_info("go1.21.4", kModuleLines));
  REQUIRE(record.error == "");
  CHECK(record.kind == "go-buildinfo");
  CHECK(record.source == ".go.buildinfo");
  const nlohmann::json& data = record.data;
  CHECK(data["go_version"] == "go1.21.4");
  CHECK(data["path"] == "example.com/hello");
  CHECK(data["main"] == nlohmann::json{{"path", "example.com/hello"}, {"version", "(devel)"}, {"sum", ""}});
  REQUIRE(data["deps"].size() == 2);
  CHECK(data["deps"][0] == nlohmann::json{{"path", "example.com/lib"}, {"version", "v1.2.3"}, {"sum", "h1:abc="}});
  CHECK_FALSE(data["deps"][0].contains("replace"));
  CHECK(data["deps"][1]["sum"] == "");
  CHECK(data["deps"][1]["replace"] == nlohmann::json{{"path", "../local"}, {"version", "(devel)"}, {"sum", ""}});
  CHECK(data["settings"]["-compiler"] == "gc");
  CHECK(data["settings"]["-ldflags"] ==
        "-s -w \"q\" \xc3\xa9"
        "AA");
  CHECK(data["settings"]["key with space"] == "raw value");
  CHECK(data["settings"]["CGO_CFLAGS"] == "");
  CHECK(data["settings"]["vcs.revision"] == "0123abcd");

  const auto has_line = [&](const std::string& label, const std::string& value) {
    for (const auto& line : record.lines)
      if (line.first == label && line.second == value) return true;
    return false;
  };
  CHECK(has_line("go version", "go1.21.4"));
  CHECK(has_line("path", "example.com/hello"));
  CHECK(has_line("main module", "example.com/hello (devel)"));
  CHECK(has_line("dep", "example.com/lib v1.2.3 h1:abc="));
  CHECK(has_line("dep", "example.com/local v0.0.0 => ../local (devel)"));
  CHECK(has_line("setting", "vcs.revision=0123abcd"));
}

TEST_CASE("Go build info: the header is found at a 16-byte boundary only") {
  Bytes bytes(16, 0);
  const Bytes info = build_info("go1.22.0", "", false);
  bytes.insert(bytes.end(), info.begin(), info.end());
  CHECK(buildinfo::find_go_buildinfo_header(buildinfo::ByteView(bytes.data(), bytes.size())) == 16u);
  const buildinfo::EmbeddedRecord record = read(bytes);
  CHECK(record.error == "");
  CHECK(record.data["go_version"] == "go1.22.0");
  CHECK(record.data["deps"].empty());  // no module info: built outside a module

  Bytes misaligned(8, 0);
  misaligned.insert(misaligned.end(), info.begin(), info.end());
  CHECK_FALSE(buildinfo::find_go_buildinfo_header(buildinfo::ByteView(misaligned.data(), misaligned.size())));
  CHECK(read(misaligned).error.find("no Go build info header") != std::string::npos);
  CHECK(read(misaligned).data.is_null());
}

TEST_CASE("Go build info: each defect is the record's error") {
  Bytes truncated = header(2);
  truncated.resize(20);
  CHECK(read(truncated).error.find("truncated (20 of 32 bytes)") != std::string::npos);

  Bytes oversized = header(2);
  oversized.insert(oversized.end(), 10, 0xff);
  oversized.push_back(0x01);
  CHECK(read(oversized).error.find("oversized varint") != std::string::npos);

  Bytes unterminated = header(2);
  unterminated.push_back(0x80);  // a varint whose continuation is missing
  CHECK(read(unterminated).error.find("the Go version's length is truncated") != std::string::npos);

  Bytes overrun = header(2);
  append_uvarint(overrun, 1000);
  append(overrun, "go1.21");
  CHECK(read(overrun).error.find("overruns the section") != std::string::npos);

  CHECK(read(build_info("go1.21.4", "path\tx\n", false)).error.find("sentinels") != std::string::npos);
  CHECK(read(build_info("", "")).error == "the Go version is empty");
  CHECK(read(header(0)).error.find("before Go 1.18") != std::string::npos);

  const std::string bad_lines[] = {
      "dep\tonly-a-path\n", "=>\ta\tb\tc\n",  "=>\ta\tb\n",      "build\tnoequals\n",
      "build\t=v\n",        "build\ta=b c\n", "build\t\"k\"v\n", "build\tk=\"unterminated\n"};
  for (const std::string& lines : bad_lines) {
    const buildinfo::EmbeddedRecord record = read(build_info("go1.21.4", "path\tp\n" + lines));
    INFO(lines);
    CHECK(record.error.find("module info line 2: ") == 0);
    CHECK(record.data.is_null());
  }
}

TEST_CASE("Go build info in a binary: the named section, else the data section") {
  const Bytes info = build_info("go1.21.4", "path\tcmd/x\n");
  Bytes file(64, 0);
  file.insert(file.end(), info.begin(), info.end());
  const buildinfo::ByteView view(file.data(), file.size());

  buildinfo::BinaryFacts facts;
  facts.slices.push_back(buildinfo::Slice{0, file.size(), {}});
  facts.sections.push_back(buildinfo::SectionInfo{".data", {64, info.size()}, 0x1000});
  std::vector<buildinfo::EmbeddedRecord> out;
  buildinfo::add_go_buildinfo(view, facts, out);
  REQUIRE(out.size() == 1);  // found by searching .data
  CHECK(out[0].source == ".data");
  CHECK(out[0].data["path"] == "cmd/x");

  facts.sections.push_back(buildinfo::SectionInfo{"__DATA,__go_buildinfo", {0, 32}, 0x2000});
  out.clear();
  buildinfo::add_go_buildinfo(view, facts, out);
  REQUIRE(out.size() == 1);  // the named section wins, and has no header
  CHECK(out[0].source == "__DATA,__go_buildinfo");
  CHECK(out[0].error.find("no Go build info header") != std::string::npos);

  facts.sections = {buildinfo::SectionInfo{".text", {64, info.size()}, 0x1000}};
  out.clear();
  buildinfo::add_go_buildinfo(view, facts, out);
  CHECK(out.empty());  // not a Go binary
}
