// dlopen() of the tool's modules, next to the executable or where they are
// installed relative to it.
#include "module_loader.h"

#include <dlfcn.h>
#include <unistd.h>

#include <climits>
#include <map>
#include <mutex>

#include "error.h"

#ifndef BUILDINFO_MODULE_DIR
#define BUILDINFO_MODULE_DIR "../lib/buildinfo"
#endif

namespace buildinfo {
namespace {

std::string executable_directory() {
  char path[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", path, sizeof path - 1);
  if (n <= 0) return ".";
  const std::string exe(path, static_cast<size_t>(n));
  return exe.substr(0, exe.rfind('/'));
}

void* load_module(const std::string& module) {
  const std::string directory = executable_directory();
  std::string errors;
  for (const std::string& candidate : {directory + "/" + module, directory + "/" BUILDINFO_MODULE_DIR "/" + module}) {
    if (::access(candidate.c_str(), F_OK) != 0) continue;
    if (void* handle = ::dlopen(candidate.c_str(), RTLD_NOW | RTLD_LOCAL)) return handle;
    errors += std::string("; ") + ::dlerror();
  }
  throw Error(ExitCode::bad_input, "cannot load the module " + module + " (looked in " + directory + " and " +
                                       directory + "/" BUILDINFO_MODULE_DIR + errors + "); reinstall buildinfo");
}

}  // namespace

void* module_symbol(const std::string& module, const char* symbol) {
  static std::mutex mutex;  // stamp reads the git facts on a thread of its own
  static std::map<std::string, void*> loaded;
  const std::lock_guard<std::mutex> lock(mutex);
  void*& handle = loaded[module];
  if (handle == nullptr) handle = load_module(module);
  void* address = ::dlsym(handle, symbol);
  if (address == nullptr) throw Error(ExitCode::bad_input, module + " lacks " + symbol + "; reinstall buildinfo");
  return address;
}

}  // namespace buildinfo
