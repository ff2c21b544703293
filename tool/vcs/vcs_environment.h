// Reading the environment variables the git facts depend on
// (vcs_variables.h).
#pragma once

#include <cstdlib>
#include <optional>
#include <string>

#include "vcs/vcs_variables.h"

namespace buildinfo {

// The value of environment variable `name`; nullopt when it is unset.
inline std::optional<std::string> environment_value(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

}  // namespace buildinfo
