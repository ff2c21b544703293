// The build records of every module loaded in the process: the executable,
// its shared libraries (.so, .dll, .dylib) and plugins loaded later, each
// stamped on its own (often from other repositories). Header-only over the
// C API (modules.h).
#ifndef BUILDINFO_MODULES_HPP
#define BUILDINFO_MODULES_HPP

#include "buildinfo/buildinfo.hpp"  // first: it checks the language version

#include <cstddef>
#include <memory>
#include <string_view>
#include <type_traits>

#include "buildinfo/modules.h"

#if defined(__GNUC__) && !defined(_WIN32)
#pragma GCC visibility push(hidden)  // see buildinfo.hpp
#endif

namespace buildinfo {

// One loaded module that carries a buildinfo slot.
struct loaded_module {
  // The loader's name for it: the path it was loaded from (as given to the
  // loader, so it may be relative); for a Linux executable, its path at exec.
  std::string_view path;
  // Its record; status not_stamped when the slot is empty.
  record build;
  // True for the module this call is linked into (whose record read() returns).
  bool self;
};

// Called once per module; `module` and everything it points to are valid
// only during the call. The visitor must not load or unload modules (on ELF
// the loader's lock is held) and must not throw.
using module_visitor = void (*)(const loaded_module& module, void* context);

namespace detail {
struct module_visit {
  module_visitor visit;
  void* context;
};
inline void visit_c_module(const buildinfo_module* module, void* context) noexcept {
  const module_visit& v = *static_cast<const module_visit*>(context);
  const loaded_module m{buildinfo_module_path(module), record(*buildinfo_module_record(module)),
                        buildinfo_module_is_self(module) != 0};
  v.visit(m, v.context);
}
}  // namespace detail

// Visits every loaded module that carries a slot, in the loader's order, and
// returns how many it visited (buildinfo_for_each_module: read in memory, no
// file opened, modules without a slot skipped). Never throws.
inline std::size_t for_each_module(module_visitor visit, void* context) noexcept {
  if (visit == nullptr) return 0;
  detail::module_visit v{visit, context};
  return buildinfo_for_each_module(detail::visit_c_module, &v);
}

// The same with any callable, e.g. a lambda that captures.
template <typename Visitor>
std::size_t for_each_module(Visitor&& visitor) noexcept {
  using callable = std::remove_reference_t<Visitor>;
  return for_each_module([](const loaded_module& module, void* context) { (*static_cast<callable*>(context))(module); },
                         const_cast<void*>(static_cast<const void*>(std::addressof(visitor))));
}

}  // namespace buildinfo

#if defined(__GNUC__) && !defined(_WIN32)
#pragma GCC visibility pop
#endif

#endif  // BUILDINFO_MODULES_HPP
