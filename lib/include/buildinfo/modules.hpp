// The build records of every module loaded in the process: the executable,
// its shared libraries (.so, .dll, .dylib) and plugins loaded later, each
// stamped on its own (often from other repositories).
#ifndef BUILDINFO_MODULES_HPP
#define BUILDINFO_MODULES_HPP

#include <cstddef>
#include <memory>
#include <string_view>
#include <type_traits>

#include "buildinfo/buildinfo.hpp"

namespace buildinfo {

// One loaded module that carries a buildinfo slot.
struct loaded_module {
  // The loader's name for it: the path it was loaded from (as given to the
  // loader, so it may be relative); for a Linux executable, its path at exec.
  std::string_view path;
  // Its record; status not_stamped when the slot is empty.
  const record& build;
  // True for the module this call is linked into (whose record read() returns).
  bool self;
};

// Called once per module; `module` and everything it points to are valid
// only during the call. The visitor must not load or unload modules (on ELF
// the loader's lock is held) and must not throw.
using module_visitor = void (*)(const loaded_module& module, void* context);

// Visits every loaded module that carries a slot, in the loader's order, and
// returns how many it visited. The slots are read in memory (ELF:
// dl_iterate_phdr and the PT_NOTE segments; Windows: the loaded images'
// section tables; macOS: dyld's image list); no file is opened. Modules
// without a slot are skipped. Never throws; allocates one short-lived buffer
// per module for its record.
std::size_t for_each_module(module_visitor visit, void* context) noexcept;

// The same with any callable, e.g. a lambda that captures.
template <typename Visitor>
std::size_t for_each_module(Visitor&& visitor) noexcept {
  using callable = std::remove_reference_t<Visitor>;
  return for_each_module(
      [](const loaded_module& module, void* context) { (*static_cast<callable*>(context))(module); },
      const_cast<void*>(static_cast<const void*>(std::addressof(visitor))));
}

}  // namespace buildinfo

#endif  // BUILDINFO_MODULES_HPP
