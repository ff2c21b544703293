// Prints this program's record as `key=value` lines, status first.
#include <cstdio>

#include "buildinfo/buildinfo.hpp"

int main() {
  const buildinfo::record& r = buildinfo::read();
  const std::string_view status = buildinfo::to_string(r.state());
  std::printf("status=%.*s\n", static_cast<int>(status.size()), status.data());
  for (const buildinfo::field& f : r)
    std::printf("%.*s=%.*s\n", static_cast<int>(f.key.size()), f.key.data(), static_cast<int>(f.value.size()),
                f.value.data());
  return r.stamped() ? 0 : 3;
}
