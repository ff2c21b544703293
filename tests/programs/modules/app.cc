// Prints the revision each module's own read() returns, then the modules
// for_each_module() lists before and after loading the plugin (argv[1]):
//   self <revision>
//   core <revision>
//   module before <file name> <revision> <1 if self> <path>
//   plugin <revision>
//   module after <file name> <revision> <1 if self> <path>
//   cmodule <file name> <revision> <1 if self>   (the same through the C API)
//   otel <the buildinfo.modules attribute value>
#include <cstdio>
#include <string_view>

#include "buildinfo/buildinfo.hpp"
#include "buildinfo/modules.hpp"
#include "buildinfo/otel.hpp"

#if defined(_WIN32)
#include <windows.h>
#else
#include <dlfcn.h>
#endif

extern "C" const char* core_revision();
extern "C" void list_modules_c();

namespace {

std::string_view file_name(std::string_view path) {
  const std::size_t slash = path.find_last_of("/\\");
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

void list_modules(const char* phase) {
  buildinfo::for_each_module([phase](const buildinfo::loaded_module& m) {
    const std::string_view name = file_name(m.path);
    const std::string_view revision = m.build.stamped() ? m.build.revision() : std::string_view("not-stamped");
    std::printf("module %s %.*s %.*s %d %.*s\n", phase, static_cast<int>(name.size()), name.data(),
                static_cast<int>(revision.size()), revision.data(), m.self ? 1 : 0, static_cast<int>(m.path.size()),
                m.path.data());
  });
}

using revision_fn = const char* (*)();

revision_fn load_plugin(const char* path) {
#if defined(_WIN32)
  HMODULE plugin = LoadLibraryA(path);
  return plugin == nullptr ? nullptr : reinterpret_cast<revision_fn>(GetProcAddress(plugin, "plugin_revision"));
#else
  void* plugin = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  return plugin == nullptr ? nullptr : reinterpret_cast<revision_fn>(dlsym(plugin, "plugin_revision"));
#endif
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: app PLUGIN\n");
    return 2;
  }
  const std::string_view self = buildinfo::read().revision();
  std::printf("self %.*s\n", static_cast<int>(self.size()), self.data());
  std::printf("core %s\n", core_revision());
  list_modules("before");
  const revision_fn plugin_revision = load_plugin(argv[1]);
  if (plugin_revision == nullptr) {
    std::fprintf(stderr, "app: cannot load the plugin %s\n", argv[1]);
    return 1;
  }
  std::printf("plugin %s\n", plugin_revision());
  list_modules("after");
  list_modules_c();
  char value[1024];
  if (buildinfo::otel::modules_value(value, sizeof value) >= sizeof value) {
    std::fprintf(stderr, "app: the buildinfo.modules value does not fit %zu bytes\n", sizeof value);
    return 1;
  }
  std::printf("otel %s\n", value);
  return 0;
}
