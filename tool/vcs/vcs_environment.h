// The environment variables the git facts depend on: the user's git
// configuration is found through HOME and XDG_CONFIG_HOME, and
// BUILDINFO_VCS_* give the facts instead of any repository
// (vcs_override.h). A proof records them all (state_proof.h).
#pragma once

#include <cstdlib>
#include <optional>
#include <string>

namespace buildinfo {

// The value of environment variable `name`; nullopt when it is unset.
inline std::optional<std::string> environment_value(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

inline constexpr const char* kGitConfigVariables[] = {"HOME", "XDG_CONFIG_HOME"};

inline constexpr const char* kVcsOverrideVariables[] = {
    "BUILDINFO_VCS_REVISION", "BUILDINFO_VCS_TIME",     "BUILDINFO_VCS_BRANCH", "BUILDINFO_VCS_TAG",
    "BUILDINFO_VCS_DESCRIBE", "BUILDINFO_VCS_MODIFIED", "BUILDINFO_VCS_URL",
};

}  // namespace buildinfo
