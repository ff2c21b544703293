// The OpenTelemetry mapping: payload keys to attributes, the
// OTEL_RESOURCE_ATTRIBUTES encoding and merge, and the in-memory build-id.
#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "buildinfo/otel.h"
#include "buildinfo/otel.hpp"
#include "formats/loaded_binary.h"

namespace otel = buildinfo::otel;

namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

// A C view of an owned string pair.
buildinfo_field c_field(const std::string& key, const std::string& value) {
  return buildinfo_field{key.c_str(), key.size(), value.c_str(), value.size()};
}

// Runs the pure mapping over `fields` (given in any order; sorted here like a
// parsed record) and returns owned copies.
Pairs map(Pairs fields, bool stamped = true, const std::string& build_id = "", const std::string& key_id = "") {
  std::sort(fields.begin(), fields.end());
  std::vector<buildinfo_field> views;
  for (const auto& [k, v] : fields) views.push_back(c_field(k, v));
  std::vector<buildinfo_otel_attribute> attrs(buildinfo_otel_attribute_count_max(views.size()));
  std::string text(buildinfo_otel_text_size_max(views.data(), views.size(), build_id.data(), build_id.size(),
                                                key_id.data(), key_id.size()),
                   '\0');
  const std::size_t n =
      buildinfo_otel_map_record(views.data(), views.size(), build_id.data(), build_id.size(), key_id.data(),
                                key_id.size(), stamped, attrs.data(), attrs.size(), text.data(), text.size());
  REQUIRE(n > 0);
  Pairs out;
  for (std::size_t i = 0; i < n; ++i) {
    // Every string is NUL-terminated, for the C API.
    CHECK(attrs[i].key[attrs[i].key_size] == '\0');
    CHECK(attrs[i].value[attrs[i].value_size] == '\0');
    out.emplace_back(std::string(attrs[i].key, attrs[i].key_size), std::string(attrs[i].value, attrs[i].value_size));
  }
  return out;
}

std::vector<buildinfo_otel_attribute> views_of(const Pairs& pairs) {
  std::vector<buildinfo_otel_attribute> v;
  for (const auto& [k, val] : pairs) v.push_back(c_field(k, val));
  return v;
}

std::string encode(const Pairs& pairs) {
  const std::vector<buildinfo_otel_attribute> v = views_of(pairs);
  std::string out(buildinfo_otel_encode(v.data(), v.size(), nullptr, 0) + 1, '\0');
  out.resize(buildinfo_otel_encode(v.data(), v.size(), out.data(), out.size()));
  return out;
}

std::string merge(const std::string& existing, const Pairs& pairs) {
  const std::vector<buildinfo_otel_attribute> v = views_of(pairs);
  std::string out(buildinfo_otel_merge(existing.data(), existing.size(), v.data(), v.size(), nullptr, 0) + 1, '\0');
  out.resize(buildinfo_otel_merge(existing.data(), existing.size(), v.data(), v.size(), out.data(), out.size()));
  return out;
}

// A decoder written independently of the library, after how opentelemetry-cpp
// reads OTEL_RESOURCE_ATTRIBUTES (OTELResourceDetector::Detect): entries
// split on ',', key and value on the first '=', the key kept as written, the
// value percent-decoded (RFC 3986 pct-encoded), neither trimmed.
std::string spec_percent_decode(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

Pairs spec_decode(const std::string& list) {
  Pairs out;
  std::size_t pos = 0;
  while (pos <= list.size()) {
    std::size_t comma = list.find(',', pos);
    if (comma == std::string::npos) comma = list.size();
    const std::string member = list.substr(pos, comma - pos);
    const std::size_t eq = member.find('=');
    if (eq != std::string::npos) out.emplace_back(member.substr(0, eq), spec_percent_decode(member.substr(eq + 1)));
    pos = comma + 1;
  }
  return out;
}

const Pairs kFullRecord = {
    {"build.time", "2024-05-01T10:00:00Z"},
    {"builder.id", "ci@runner-7"},
    {"compiler.id", "GNU"},
    {"compiler.version", "12.2.0"},
    {"custom.team", "payments"},
    {"format", "1"},
    {"image.sha256", "ab12"},
    {"project.name", "hello"},
    {"project.version", "1.4.2"},
    {"target.arch", "amd64"},
    {"target.format", "elf"},
    {"target.os", "linux"},
    {"vcs.describe", "v1.4.2-3-gdeadbee-dirty"},
    {"vcs.modified", "true"},
    {"vcs.ref.name", "main"},
    {"vcs.ref.type", "branch"},
    {"vcs.repository.url", "https://github.com/acme/hello.git"},
    {"vcs.revision", "deadbeefdeadbeefdeadbeefdeadbeefdeadbeef"},
    {"vcs.time", "2024-04-30T09:00:00Z"},
};

}  // namespace

TEST_CASE("otel mapping of a full record uses semantic-convention names, sorted") {
  const Pairs got = map(kFullRecord, true, "0011aabb", "c0ffee");
  const Pairs expected = {
      {"buildinfo.build.time", "2024-05-01T10:00:00Z"},
      {"buildinfo.builder.id", "ci@runner-7"},
      {"buildinfo.compiler.id", "GNU"},
      {"buildinfo.compiler.version", "12.2.0"},
      {"buildinfo.custom.team", "payments"},
      {"buildinfo.format", "1"},
      {"buildinfo.image.sha256", "ab12"},
      {"buildinfo.project.name", "hello"},
      {"buildinfo.signing.key_id", "c0ffee"},
      {"buildinfo.stamped", "true"},
      {"buildinfo.target.format", "elf"},
      {"buildinfo.vcs.describe", "v1.4.2-3-gdeadbee-dirty"},
      {"buildinfo.vcs.modified", "true"},
      {"buildinfo.vcs.time", "2024-04-30T09:00:00Z"},
      {"host.arch", "amd64"},
      {"os.type", "linux"},
      {"process.executable.build_id.gnu", "0011aabb"},
      {"service.version", "1.4.2"},
      {"vcs.ref.head.name", "main"},
      {"vcs.ref.head.revision", "deadbeefdeadbeefdeadbeefdeadbeefdeadbeef"},
      {"vcs.ref.head.type", "branch"},
      {"vcs.repository.name", "hello"},
      {"vcs.repository.url.full", "https://github.com/acme/hello"},
  };
  CHECK(got == expected);
  // service.name is the user's (OTEL_SERVICE_NAME): never set from the stamp.
  for (const auto& [k, v] : got) CHECK(k != "service.name");
}

TEST_CASE("otel mapping of an unstamped record has no vcs attributes") {
  CHECK(map({}, false) == Pairs{{"buildinfo.stamped", "false"}});
  // Fields and key id are ignored when not stamped; the build-id is a fact
  // of the binary and stays.
  const Pairs got = map(kFullRecord, false, "0011aabb", "c0ffee");
  CHECK(got == Pairs{{"buildinfo.stamped", "false"}, {"process.executable.build_id.gnu", "0011aabb"}});
}

TEST_CASE("otel mapping trims .git from the repository URL and derives its name") {
  const auto url = [](const std::string& u) {
    Pairs out;
    for (const auto& [k, v] : map({{"vcs.repository.url", u}}))
      if (k.rfind("vcs.", 0) == 0) out.emplace_back(k, v);
    return out;
  };
  CHECK(url("https://github.com/acme/hello.git") ==
        Pairs{{"vcs.repository.name", "hello"}, {"vcs.repository.url.full", "https://github.com/acme/hello"}});
  CHECK(url("https://gitlab.com/group/sub/proj.git/") ==
        Pairs{{"vcs.repository.name", "proj"}, {"vcs.repository.url.full", "https://gitlab.com/group/sub/proj"}});
  CHECK(url("https://example.org/tool") ==
        Pairs{{"vcs.repository.name", "tool"}, {"vcs.repository.url.full", "https://example.org/tool"}});
  CHECK(url("git@host:repo.git") ==
        Pairs{{"vcs.repository.name", "repo"}, {"vcs.repository.url.full", "git@host:repo"}});
  CHECK(url("https://example.org/legit") ==
        Pairs{{"vcs.repository.name", "legit"}, {"vcs.repository.url.full", "https://example.org/legit"}});
}

TEST_CASE("otel mapping keeps derived attributes over clashing payload keys") {
  const Pairs got = map({{"stamped", "no"}, {"signing.key_id", "forged"}}, true, "", "c0ffee");
  CHECK(got == Pairs{{"buildinfo.signing.key_id", "c0ffee"}, {"buildinfo.stamped", "true"}});
}

TEST_CASE("otel mapping refuses buffers smaller than the bounds") {
  const std::string key = "vcs.revision", value = "abc";
  const buildinfo_field fields[] = {c_field(key, value)};
  std::vector<buildinfo_otel_attribute> attrs(buildinfo_otel_attribute_count_max(1));
  std::string text(buildinfo_otel_text_size_max(fields, 1, "", 0, "", 0), '\0');
  CHECK(buildinfo_otel_map_record(fields, 1, "", 0, "", 0, 1, attrs.data(), attrs.size() - 1, text.data(),
                                  text.size()) == 0);
  CHECK(buildinfo_otel_map_record(fields, 1, "", 0, "", 0, 1, attrs.data(), attrs.size(), text.data(),
                                  text.size() - 1) == 0);
  CHECK(buildinfo_otel_map_record(fields, 1, "", 0, "", 0, 1, attrs.data(), attrs.size(), text.data(), text.size()) ==
        2);
}

TEST_CASE("otel encoding percent-encodes exactly the required bytes") {
  CHECK(encode({}) == "");
  CHECK(encode({{"a", "1"}, {"b", "2"}}) == "a=1,b=2");
  CHECK(encode({{"k", "x,y=z%"}}) == "k=x%2Cy%3Dz%25");
  CHECK(encode({{"k", "a b\tc\nd\re"}}) == "k=a%20b%09c%0Ad%0De");
  CHECK(encode({{"k", std::string("\x01\x1f\x7f", 3)}}) == "k=%01%1F%7F");
  CHECK(encode({{"k", std::string("nul\0x", 5)}}) == "k=nul%00x");
  // Readable everywhere, also for SDKs that do not percent-decode.
  CHECK(encode({{"vcs.repository.url.full", "https://github.com/acme/hello"}}) ==
        "vcs.repository.url.full=https://github.com/acme/hello");
  CHECK(encode({{"service.version", "1.0.0-rc.1+build.5"}}) == "service.version=1.0.0-rc.1+build.5");
  CHECK(encode({{"k", "caf\xc3\xa9 \xf0\x9f\x9a\x80"}}) == "k=caf\xc3\xa9%20\xf0\x9f\x9a\x80");
  CHECK(encode({{"k", "\"quoted\";semi\\slash"}}) == "k=\"quoted\";semi\\slash");
  CHECK(encode({{"a,b", "v"}}) == "a%2Cb=v");
  CHECK(encode({{"empty", ""}}) == "empty=");
}

TEST_CASE("otel encoding returns the needed length like snprintf") {
  const Pairs pairs = {{"key", "a,b"}};
  const std::vector<buildinfo_otel_attribute> v = views_of(pairs);
  CHECK(buildinfo_otel_encode(v.data(), v.size(), nullptr, 0) == std::strlen("key=a%2Cb"));
  char small[5];
  std::memset(small, 'X', sizeof small);
  CHECK(buildinfo_otel_encode(v.data(), v.size(), small, sizeof small) == 9);
  CHECK(std::string(small) == "key=");
  char exact[10];
  CHECK(buildinfo_otel_encode(v.data(), v.size(), exact, sizeof exact) == 9);
  CHECK(std::string(exact) == "key=a%2Cb");
}

TEST_CASE("otel encoding round trip through a decoder written from the specification") {
  std::string all_bytes;
  for (int b = 1; b < 256; ++b) all_bytes += static_cast<char>(b);
  const Pairs pairs = {
      {"buildinfo.custom.csv", "a,b,,c"},
      {"buildinfo.custom.eq", "x=y==z"},
      {"buildinfo.custom.percent", "100% %41 %zz %"},
      {"buildinfo.custom.spaces", "  leading and trailing  "},
      {"buildinfo.custom.tabs", "\tcol1\tcol2\t"},
      {"buildinfo.custom.lines", "line1\nline2\r\n"},
      {"buildinfo.custom.utf8", "gr\xc3\xbc\xc3\x9f dich \xe4\xb8\x96\xe7\x95\x8c \xf0\x9f\x9a\x80"},
      {"buildinfo.custom.control", std::string("\x01\x02\x1b[0m\x7f\0end", 10)},
      {"buildinfo.custom.all", all_bytes},
      {"buildinfo.custom.empty", ""},
      {"vcs.repository.url.full", "https://user@example.org/a/b?x=1&y=2#frag"},
  };
  const std::string encoded = encode(pairs);
  // Nothing the decoder splits on, nor blanks it would trim, survives unencoded.
  CHECK(std::count(encoded.begin(), encoded.end(), ',') == static_cast<long>(pairs.size() - 1));
  CHECK(std::count(encoded.begin(), encoded.end(), '=') == static_cast<long>(pairs.size()));
  CHECK(encoded.find_first_of(std::string(" \t\n\r\0", 5)) == std::string::npos);
  CHECK(spec_decode(encoded) == pairs);
  // The library's own lookup and decoder agree.
  for (const auto& [k, v] : pairs) {
    std::string_view raw;
    REQUIRE(otel::find(encoded, k, &raw));
    std::string decoded(otel::percent_decode(raw, nullptr, 0) + 1, '\0');
    decoded.resize(otel::percent_decode(raw, decoded.data(), decoded.size()));
    CHECK(decoded == v);
  }
}

TEST_CASE("otel merge keeps every key the user set and adds the others") {
  const Pairs ours = {{"buildinfo.stamped", "true"}, {"service.version", "1.4.2"}, {"vcs.ref.head.name", "main"}};
  CHECK(merge("", ours) == "buildinfo.stamped=true,service.version=1.4.2,vcs.ref.head.name=main");
  CHECK(merge("service.version=9.9", ours) == "service.version=9.9,buildinfo.stamped=true,vcs.ref.head.name=main");
  // Keys count as the SDK reads them, as written: a percent-encoded key or
  // one with blanks around it is another key, so ours are still added. The
  // user's text is kept byte for byte.
  const std::string user = " service.version = 9.9 ,vcs.ref.head%2ename=feature%2Cx,deployment.environment.name=prod";
  const std::string merged = merge(user, ours);
  CHECK(merged == user + ",buildinfo.stamped=true,service.version=1.4.2,vcs.ref.head.name=main");
  const Pairs decoded = spec_decode(merged);
  CHECK(decoded == Pairs{{" service.version ", " 9.9 "},
                         {"vcs.ref.head%2ename", "feature,x"},
                         {"deployment.environment.name", "prod"},
                         {"buildinfo.stamped", "true"},
                         {"service.version", "1.4.2"},
                         {"vcs.ref.head.name", "main"}});
  // A trailing comma; blanks only (a comma keeps them out of our first key).
  CHECK(merge("a=1,", ours) == "a=1,buildinfo.stamped=true,service.version=1.4.2,vcs.ref.head.name=main");
  CHECK(merge("  ", ours) == "  ,buildinfo.stamped=true,service.version=1.4.2,vcs.ref.head.name=main");
  const std::string all = "vcs.ref.head.name=x,service.version=y,buildinfo.stamped=z";
  CHECK(merge(all, ours) == all);
  // An entry without '=' defines nothing; an empty key is not ours.
  CHECK(merge("service.version,=1", ours) ==
        "service.version,=1,buildinfo.stamped=true,service.version=1.4.2,vcs.ref.head.name=main");
}

TEST_CASE("otel find reads an OTEL_RESOURCE_ATTRIBUTES value as opentelemetry-cpp does") {
  std::string_view raw;
  CHECK(otel::find("a=1,b=2", "b", &raw));
  CHECK(raw == "2");
  CHECK(otel::find("a=b=c", "a", &raw));  // the first '=' splits
  CHECK(raw == "b=c");
  CHECK(otel::find("k= x%20y ", "k", &raw));  // the value as written
  CHECK(raw == " x%20y ");
  CHECK(otel::find("k=1,k=2", "k", &raw));
  CHECK(raw == "2");
  CHECK(otel::find("k=", "k", &raw));
  CHECK(raw.empty());
  CHECK(otel::find("=1", "", &raw));  // an empty key is a key
  CHECK_FALSE(otel::find("", "k", nullptr));
  CHECK_FALSE(otel::find("k", "k", nullptr));
  // Keys as written: neither trimmed nor decoded.
  CHECK_FALSE(otel::find(" k =1", "k", nullptr));
  CHECK(otel::find(" k =1", " k ", nullptr));
  CHECK_FALSE(otel::find("k%2E=1", "k.", nullptr));
  CHECK(otel::find("k%2E=1", "k%2E", nullptr));
  CHECK_FALSE(otel::find("kk=1,k%=1", "k", nullptr));
}

TEST_CASE("otel build-id in memory equals the one the ELF reader finds in the file") {
  const std::string_view in_memory = otel::gnu_build_id();
#if defined(__linux__)
  const buildinfo::LoadedBinary self = buildinfo::load_binary("/proc/self/exe");
  REQUIRE(self.facts().container == buildinfo::Container::elf);
  if (!self.facts().gnu_build_id) {
    CHECK(in_memory.empty());
  } else {
    CHECK(in_memory == *self.facts().gnu_build_id);
    CHECK(in_memory.size() >= 32);  // md5/uuid 16 bytes, sha1 20 bytes
  }
#else
  (void)in_memory;
#endif
  CHECK(std::string(buildinfo_otel_gnu_build_id()) == in_memory);
}

TEST_CASE("otel resource attributes of this process, C++ and C views agree") {
  const otel::attribute_list list = buildinfo::resource_attributes();
  const buildinfo::record r = buildinfo::read();
  REQUIRE(!list.empty());
  CHECK(list.get("buildinfo.stamped") == (r.stamped() ? "true" : "false"));
  CHECK(list.get("process.executable.build_id.gnu") == otel::gnu_build_id());
  if (!r.stamped())
    for (const otel::attribute a : list) CHECK(a.key.rfind("vcs.", 0) != 0);
  for (std::size_t i = 1; i < list.size(); ++i) CHECK(list[i - 1].key < list[i].key);

  REQUIRE(buildinfo_otel_attribute_count() == list.size());
  for (std::size_t i = 0; i < list.size(); ++i) {
    CHECK(std::string(buildinfo_otel_attribute_key(i)) == list[i].key);
    CHECK(std::string(buildinfo_otel_attribute_value(i)) == list[i].value);
    CHECK(std::string(buildinfo_otel_get(buildinfo_otel_attribute_key(i))) == list[i].value);
  }
  CHECK(buildinfo_otel_attribute_key(list.size()) == nullptr);
  CHECK(buildinfo_otel_get("no.such.key") == nullptr);

  Pairs pairs;
  for (const otel::attribute a : list) pairs.emplace_back(std::string(a.key), std::string(a.value));
  CHECK(otel::encoded() == encode(pairs));
  CHECK(std::string(buildinfo_otel_resource_attributes()) == otel::encoded());
  CHECK(spec_decode(std::string(otel::encoded())) == pairs);
}

#if !defined(_WIN32)
TEST_CASE("otel merge into the environment keeps the user's keys") {
  const char* saved = std::getenv("OTEL_RESOURCE_ATTRIBUTES");
  const std::optional<std::string> previous = saved ? std::optional<std::string>(saved) : std::nullopt;

  ::setenv("OTEL_RESOURCE_ATTRIBUTES", "buildinfo.stamped=mine,team=a%2Cb", 1);
  REQUIRE(buildinfo_otel_merge_environment() == 0);
  const std::string merged = std::getenv("OTEL_RESOURCE_ATTRIBUTES");
  CHECK(merged.rfind("buildinfo.stamped=mine,team=a%2Cb", 0) == 0);
  Pairs expected = {{"buildinfo.stamped", "mine"}, {"team", "a,b"}};
  for (const otel::attribute& a : buildinfo::resource_attributes())
    if (a.key != "buildinfo.stamped") expected.emplace_back(std::string(a.key), std::string(a.value));
  CHECK(spec_decode(merged) == expected);
  // Idempotent.
  REQUIRE(otel::merge_into_environment() == 0);
  CHECK(std::string(std::getenv("OTEL_RESOURCE_ATTRIBUTES")) == merged);

  ::unsetenv("OTEL_RESOURCE_ATTRIBUTES");
  REQUIRE(otel::merge_into_environment() == 0);
  CHECK(std::string(std::getenv("OTEL_RESOURCE_ATTRIBUTES")) == otel::encoded());

  if (previous)
    ::setenv("OTEL_RESOURCE_ATTRIBUTES", previous->c_str(), 1);
  else
    ::unsetenv("OTEL_RESOURCE_ATTRIBUTES");
}
#endif
