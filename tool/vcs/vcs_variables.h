// The environment variables the git facts depend on: the user's git
// configuration is found through HOME and XDG_CONFIG_HOME, and
// BUILDINFO_VCS_* give the facts instead of any repository
// (vcs_override.h). A proof records them all, in this order
// (state_proof.h). Names only, so that the check without the C library
// (vcs_check/) shares them.
#pragma once

namespace buildinfo {

inline constexpr const char* kGitConfigVariables[] = {"HOME", "XDG_CONFIG_HOME"};

inline constexpr const char* kVcsOverrideVariables[] = {
    "BUILDINFO_VCS_REVISION", "BUILDINFO_VCS_TIME",     "BUILDINFO_VCS_BRANCH", "BUILDINFO_VCS_TAG",
    "BUILDINFO_VCS_DESCRIBE", "BUILDINFO_VCS_MODIFIED", "BUILDINFO_VCS_URL",
};

}  // namespace buildinfo
