// The C API of buildinfo/modules.h over for_each_module(): the opaque
// buildinfo_module is the C++ loaded_module.
#include "buildinfo/modules.h"

#include "buildinfo/modules.hpp"

struct buildinfo_module {
  const buildinfo::loaded_module& module;
};

namespace {

struct c_visit {
  buildinfo_module_visitor visit;
  void* context;
};

}  // namespace

extern "C" {

size_t buildinfo_for_each_module(buildinfo_module_visitor visit, void* context) {
  if (visit == nullptr) return 0;
  c_visit state{visit, context};
  return buildinfo::for_each_module(
      [](const buildinfo::loaded_module& m, void* data) {
        const c_visit& c = *static_cast<const c_visit*>(data);
        const buildinfo_module handle{m};
        c.visit(&handle, c.context);
      },
      &state);
}

// Paths come from the loader as NUL-terminated strings.
const char* buildinfo_module_path(const buildinfo_module* module) {
  return module == nullptr || module->module.path.empty() ? "" : module->module.path.data();
}

int buildinfo_module_is_self(const buildinfo_module* module) { return module != nullptr && module->module.self; }

int buildinfo_module_status(const buildinfo_module* module) {
  return static_cast<int>(module == nullptr ? buildinfo::status::corrupt : module->module.build.state());
}

const char* buildinfo_module_get(const buildinfo_module* module, const char* key) {
  if (module == nullptr || key == nullptr || !module->module.build.contains(key)) return nullptr;
  return module->module.build.get(key).data();  // values are NUL-terminated in storage
}

}  // extern "C"
