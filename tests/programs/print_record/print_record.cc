// Prints this program's record as `key=value` lines, status first. With the
// argument `otel`: its OpenTelemetry resource attributes, the encoded
// OTEL_RESOURCE_ATTRIBUTES value, and the environment after merging it.
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "buildinfo/buildinfo.hpp"
#include "buildinfo/otel.hpp"

namespace {

void print_pair(std::string_view prefix, std::string_view key, std::string_view value) {
  std::printf("%.*s%.*s=%.*s\n", static_cast<int>(prefix.size()), prefix.data(), static_cast<int>(key.size()),
              key.data(), static_cast<int>(value.size()), value.data());
}

int print_otel() {
  for (const buildinfo::otel::attribute& a : buildinfo::resource_attributes()) print_pair("attribute ", a.key, a.value);
  print_pair("", "encoded", buildinfo::otel::encoded());
  const int merged = buildinfo::otel::merge_into_environment();
  const char* environment = std::getenv(buildinfo::otel::kEnvironmentVariable);
  print_pair("", "merged", environment != nullptr ? environment : "");
  return merged;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::string_view(argv[1]) == "otel") return print_otel();
  const buildinfo::record& r = buildinfo::read();
  print_pair("", "status", buildinfo::to_string(r.state()));
  for (const buildinfo::field& f : r) print_pair("", f.key, f.value);
  return r.stamped() ? 0 : 3;
}
