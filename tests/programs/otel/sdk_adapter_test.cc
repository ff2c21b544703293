// The opentelemetry-cpp adapter (buildinfo/opentelemetry_sdk.hpp) against the
// real SDK: make_resource() carries the record's attributes and the schema
// URL, and every key the user's OTEL_RESOURCE_ATTRIBUTES sets wins under
// exactly the name the SDK gives it. The program is stamped (tests/otel).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <functional>
#include <map>
#include <string>
#include <utility>

#include "buildinfo/opentelemetry_sdk.hpp"
#include "buildinfo/otel.hpp"
#include "opentelemetry/nostd/variant.h"
#include "opentelemetry/sdk/resource/resource_detector.h"

namespace otel = buildinfo::otel;
namespace resource = opentelemetry::sdk::resource;

namespace {

using Attributes = std::map<std::string, std::string>;

struct Reading {
  Attributes attributes;
  std::string schema_url;
};

void append(std::string& out, const std::string& s) { out += std::to_string(s.size()) + ':' + s; }

std::string take(const std::string& in, std::size_t& at) {
  const std::size_t colon = in.find(':', at);
  REQUIRE(colon != std::string::npos);
  const std::size_t size = std::stoul(in.substr(at, colon - at));
  REQUIRE(colon + 1 + size <= in.size());
  at = colon + 1 + size;
  return in.substr(colon + 1, size);
}

// The resource `make` returns in a new process whose OTEL_RESOURCE_ATTRIBUTES
// is `env` (unset when null). The SDK reads the variable once per process (a
// static in Resource::Create), so each reading needs a process of its own;
// this one never creates a resource itself. `make` runs in the child, where a
// failure is an exit status (no doctest assertions there).
Reading in_child(const char* env, const std::function<resource::Resource()>& make) {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::close(fds[0]);
    if (env != nullptr)
      ::setenv(otel::kEnvironmentVariable, env, 1);
    else
      ::unsetenv(otel::kEnvironmentVariable);
    ::unsetenv("OTEL_SERVICE_NAME");
    const resource::Resource r = make();
    std::string out;
    append(out, r.GetSchemaURL());
    for (const auto& [key, value] : r.GetAttributes()) {
      append(out, key);
      const std::string* s = opentelemetry::nostd::get_if<std::string>(&value);
      append(out, s != nullptr ? *s : std::string("<not a string>"));
    }
    for (std::size_t at = 0; at < out.size();) {
      const ssize_t n = ::write(fds[1], out.data() + at, out.size() - at);
      if (n <= 0) ::_exit(2);
      at += static_cast<std::size_t>(n);
    }
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string in;
  char chunk[4096];
  for (ssize_t n; (n = ::read(fds[0], chunk, sizeof chunk)) > 0;) in.append(chunk, static_cast<std::size_t>(n));
  ::close(fds[0]);
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  REQUIRE((WIFEXITED(status) && WEXITSTATUS(status) == 0));
  Reading reading;
  std::size_t at = 0;
  reading.schema_url = take(in, at);
  while (at < in.size()) {
    std::string key = take(in, at);
    reading.attributes[key] = take(in, at);
  }
  return reading;
}

Attributes adapter(const char* env) {
  return in_child(env, [] { return otel::make_resource(); }).attributes;
}

// What the SDK alone makes of `env`: Resource::Create without attributes
// (defaults, then the environment), and the environment's part by itself.
Attributes sdk_create(const char* env) {
  return in_child(env, [] { return resource::Resource::Create({}); }).attributes;
}
Attributes sdk_detect(const char* env) {
  return in_child(env, [] { return resource::OTELResourceDetector().Detect(); }).attributes;
}

Attributes ours() {
  Attributes out;
  for (const otel::attribute& a : buildinfo::resource_attributes()) out[std::string(a.key)] = std::string(a.value);
  return out;
}

std::string get(const Attributes& a, const std::string& key) {
  const auto it = a.find(key);
  return it == a.end() ? "<absent>" : it->second;
}

const std::string kVersion = "3.1.4";  // project(VERSION) of tests/programs/otel

}  // namespace

namespace doctest {
template <>
struct StringMaker<Attributes> {
  static String convert(const Attributes& attributes) {
    std::string out = "{";
    for (const auto& [key, value] : attributes) out += "\n  [" + key + "]=[" + value + "]";
    return (out + "}").c_str();
  }
};
}  // namespace doctest

TEST_CASE("the test program is stamped and some of its values need percent-encoding") {
  REQUIRE(buildinfo::read().stamped());
  const Attributes a = ours();
  CHECK(get(a, "service.version") == kVersion);
  CHECK(get(a, "vcs.ref.head.name") == "main");
  CHECK(get(a, "buildinfo.custom.note") == "a, b=c 100%");
  CHECK(get(a, "vcs.ref.head.revision").size() == 40);
}

TEST_CASE("make_resource carries the record's attributes, the SDK's defaults and the schema URL") {
  const Reading r = in_child(nullptr, [] { return otel::make_resource(); });
  Attributes expected = ours();
  for (const auto& [key, value] : sdk_create(nullptr)) expected.emplace(key, value);  // telemetry.sdk.*, service.name
  CHECK(r.attributes == expected);
  CHECK(get(r.attributes, "telemetry.sdk.language") == "cpp");
  CHECK(get(r.attributes, "service.name") == "unknown_service");  // never set from the stamp (FORMAT.md)
  CHECK(r.schema_url == otel::kSchemaUrl);
  CHECK(in_child(nullptr, [] { return otel::make_resource({}, "https://example.invalid/s"); }).schema_url ==
        "https://example.invalid/s");
}

TEST_CASE("user keys in OTEL_RESOURCE_ATTRIBUTES win, under exactly the key the SDK ends up with") {
  // Each expectation below is what opentelemetry-cpp itself reads (checked
  // against OTELResourceDetector for every case further down).
  SUBCASE("a key as written wins") {
    const Attributes a = adapter("service.version=9.9,deployment.environment.name=ci");
    CHECK(get(a, "service.version") == "9.9");
    CHECK(get(a, "deployment.environment.name") == "ci");
    CHECK(get(a, "vcs.ref.head.name") == "main");
  }
  SUBCASE("blanks around a key are part of it: the user's key is another one, ours stays") {
    const Attributes a = adapter(" service.version = 9.9 ,\tvcs.ref.head.name=x");
    CHECK(get(a, " service.version ") == " 9.9 ");  // neither key nor value trimmed
    CHECK(get(a, "\tvcs.ref.head.name") == "x");
    CHECK(get(a, "service.version") == kVersion);
    CHECK(get(a, "vcs.ref.head.name") == "main");
  }
  SUBCASE("a percent-encoded key is not decoded: the user's key is another one, ours stays") {
    const Attributes a = adapter("service%2Eversion=9.9");
    CHECK(get(a, "service%2Eversion") == "9.9");
    CHECK(get(a, "service.version") == kVersion);
  }
  SUBCASE("values are percent-decoded; a malformed escape stays as written") {
    const Attributes a = adapter("service.version=9%2C9%20x,vcs.ref.head.name=50%,buildinfo.custom.note=%zz%4");
    CHECK(get(a, "service.version") == "9,9 x");
    CHECK(get(a, "vcs.ref.head.name") == "50%");
    CHECK(get(a, "buildinfo.custom.note") == "%zz%4");
  }
  SUBCASE("the last entry for a key wins; an entry splits at its first '='") {
    const Attributes a = adapter("service.version=1,service.version=2=3");
    CHECK(get(a, "service.version") == "2=3");
  }
  SUBCASE("an entry without '=' defines nothing; an empty key is a key") {
    const Attributes a = adapter("service.version,,=x,");
    CHECK(get(a, "service.version") == kVersion);
    CHECK(get(a, "") == "x");
  }
  SUBCASE("a key set to our own value (merge_into_environment) gives our value, decoded") {
    const Attributes a = in_child("user.key=1", [] {
                           if (otel::merge_into_environment() != 0) ::_exit(3);
                           return otel::make_resource();
                         }).attributes;
    Attributes expected = ours();
    expected["user.key"] = "1";
    for (const auto& [key, value] : sdk_create(nullptr)) expected.emplace(key, value);
    CHECK(a == expected);
    CHECK(get(a, "buildinfo.custom.note") == "a, b=c 100%");
  }
  SUBCASE("attributes the program passes win over both") {
    const Attributes a = in_child("service.version=9.9", [] {
                           resource::ResourceAttributes user;
                           user.SetAttribute("service.version", "from-code");
                           user.SetAttribute("service.name", "checkout");
                           return otel::make_resource(user);
                         }).attributes;
    CHECK(get(a, "service.version") == "from-code");
    CHECK(get(a, "service.name") == "checkout");
  }
}

TEST_CASE("make_resource is the SDK's reading of the environment plus every attribute of ours it lacks") {
  // The rule itself, for awkward inputs: whatever the SDK makes of the
  // variable stays as it is, and each of our attributes whose key the SDK did
  // not read from it is added.
  const char* const cases[] = {
      "service.version=9.9",
      " service.version=9.9",
      "service.version =9.9",
      "service%2Eversion=9.9,vcs.ref.head.name%3Dx=1",
      "vcs.ref.head.name=a%2Cb, buildinfo.stamped = no,=,,service.version",
      "service.version=1,service.version=",
      "vcs.ref.head.revision=%GG,vcs.ref.head.revision=%41",
      "",
  };
  for (const char* env : cases) {
    CAPTURE(env);
    const Attributes detected = sdk_detect(env);
    Attributes expected = sdk_create(env);
    for (const auto& [key, value] : ours())
      if (detected.count(key) == 0) expected[key] = value;
    CHECK(adapter(env) == expected);
  }
}

TEST_CASE("resource_attributes_for_sdk holds all of our attributes") {
  Attributes got;
  for (const auto& [key, value] : otel::resource_attributes_for_sdk())
    got[key] = opentelemetry::nostd::get<std::string>(value);
  CHECK(got == ours());
}

// merge_into_environment() alone, the SDK reading the variable afterwards:
// the runtime decides which keys the user set with otel::find, which trims
// blanks around keys and percent-decodes them; opentelemetry-cpp does
// neither. These checks wait for otel::find to read keys as the SDK does.
TEST_CASE("merge_into_environment, then the SDK alone: our keys are added unless the SDK reads them as set") {
  const char* env = " service.version=9.9,vcs%2Eref%2Ehead%2Ename=x";
  const Attributes a = in_child(env, [] {
                         if (otel::merge_into_environment() != 0) ::_exit(3);
                         return resource::Resource::Create({});
                       }).attributes;
  CHECK(get(a, " service.version") == "9.9");
  CHECK(get(a, "vcs%2Eref%2Ehead%2Ename") == "x");
  CHECK(get(a, "vcs.ref.head.revision") == get(ours(), "vcs.ref.head.revision"));
  INFO("waits for the runtime: merge_into_environment() skips our key when otel::find, trimming and ",
       "percent-decoding keys, finds it, though opentelemetry-cpp reads another key");
  CHECK(get(a, "service.version") == kVersion);  // find trims " service.version"
  CHECK(get(a, "vcs.ref.head.name") == "main");  // find decodes "vcs%2Eref%2Ehead%2Ename"
}
