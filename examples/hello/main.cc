// hello: prints the build record this binary was stamped with, and exports
// it to OpenTelemetry through OTEL_RESOURCE_ATTRIBUTES before any SDK starts.
#include <cstdio>
#include <cstdlib>

#include <buildinfo/buildinfo.hpp>
#include <buildinfo/otel.hpp>

namespace {

void print(std::string_view label, std::string_view value) {
  std::printf("%-10s %.*s\n", label.data(), static_cast<int>(value.size()), value.data());
}

}  // namespace

int main() {
  // First thing, before threads or an OpenTelemetry SDK start: every span,
  // metric and log then carries this build (keys the user set are kept).
  buildinfo::otel::merge_into_environment();

  const buildinfo::record& build = buildinfo::read();
  if (!build.stamped()) {
    const std::string_view state = buildinfo::to_string(build.state());
    std::printf("hello, unknown build (%.*s)\n", static_cast<int>(state.size()), state.data());
    return 1;
  }
  std::printf("hello from %.*s %.*s\n", static_cast<int>(build.get("project.name").size()),
              build.get("project.name").data(), static_cast<int>(build.project_version().size()),
              build.project_version().data());
  print("revision", build.revision());
  print("modified", build.get("vcs.modified"));
  print("branch", build.get("vcs.ref.name"));
  print("built", build.get("build.time"));
  print("compiler", build.get("compiler.id"));
  print("target", build.get("target.os"));
  print("arch", build.get("target.arch"));
  std::printf("\nOpenTelemetry resource attributes:\n");
  for (const buildinfo::otel::attribute& a : buildinfo::resource_attributes())
    std::printf("  %.*s=%.*s\n", static_cast<int>(a.key.size()), a.key.data(), static_cast<int>(a.value.size()),
                a.value.data());
  const char* exported = std::getenv(buildinfo::otel::kEnvironmentVariable);
  std::printf("exported OTEL_RESOURCE_ATTRIBUTES=%s\n", exported != nullptr ? exported : "");
  return 0;
}
