// Prints this program's record as `key=value` lines, status first. With the
// argument `otel`: its OpenTelemetry resource attributes, the encoded
// OTEL_RESOURCE_ATTRIBUTES value, and the environment after merging it. With
// `markers`: writes "buildinfo-begin", makes every first call of the runtime
// (read, resource_attributes, encoded), then writes "buildinfo-end", so that
// a system-call trace shows what those calls do.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
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

void write_marker(const char* text) {
  const ssize_t ignored = ::write(STDOUT_FILENO, text, std::strlen(text));
  (void)ignored;
}

int first_calls_between_markers() {
  write_marker("buildinfo-begin\n");
  const bool stamped = buildinfo::read().stamped();
  const std::size_t attributes = buildinfo::resource_attributes().size();
  const std::size_t encoded = buildinfo::otel::encoded().size();
  write_marker("buildinfo-end\n");
  return stamped && attributes > 0 && encoded > 0 ? 0 : 3;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::string_view(argv[1]) == "otel") return print_otel();
  if (argc > 1 && std::string_view(argv[1]) == "markers") return first_calls_between_markers();
  const buildinfo::record& r = buildinfo::read();
  print_pair("", "status", buildinfo::to_string(r.state()));
  for (const buildinfo::field& f : r) print_pair("", f.key, f.value);
  return r.stamped() ? 0 : 3;
}
