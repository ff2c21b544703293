// Reading BUILDINFO_VCS_* (see vcs_override.h).
#include "vcs/vcs_override.h"

#include <cstdlib>
#include <string>

#include "support/error.h"
#include "support/time_format.h"
#include "vcs/url.h"
#include "vcs/vcs_environment.h"
#include "vcs/vcs_state.h"

namespace buildinfo {
namespace {

[[noreturn]] void refuse(const std::string& name, const std::string& why) {
  throw Error(ErrorKind::bad_input, name + ": " + why);
}

}  // namespace

std::optional<GitFacts> override_facts() {
  std::string any;
  for (const char* name : kVcsOverrideVariables)
    if (environment_value(name) && any.empty()) any = name;
  if (any.empty()) return std::nullopt;

  const std::optional<std::string> revision = environment_value("BUILDINFO_VCS_REVISION");
  const std::optional<std::string> time = environment_value("BUILDINFO_VCS_TIME");
  if (!revision || !time)
    refuse(any, std::string("is set, but not ") + (!revision ? "BUILDINFO_VCS_REVISION" : "BUILDINFO_VCS_TIME") +
                    ": an override gives every git fact, it is never mixed with a repository's");
  GitFacts facts;
  facts.source = "override";
  if (!is_full_commit_id(*revision))
    refuse("BUILDINFO_VCS_REVISION", "'" + *revision + "' is not a full commit id (40 or 64 lowercase hex digits)");
  facts.revision = *revision;
  // ISO 8601 with a zone, or seconds since the epoch.
  std::optional<int64_t> epoch = parse_iso8601(*time);
  if (!epoch && !time->empty() && time->find_first_not_of("0123456789") == std::string::npos)
    epoch = std::strtoll(time->c_str(), nullptr, 10);
  if (!epoch)
    refuse("BUILDINFO_VCS_TIME", "'" + *time + "' is neither an ISO 8601 time with a zone nor seconds since the epoch");
  facts.commit_epoch = *epoch;
  facts.commit_time = iso8601_utc(*epoch);

  const std::optional<std::string> branch = environment_value("BUILDINFO_VCS_BRANCH");
  const std::optional<std::string> tag = environment_value("BUILDINFO_VCS_TAG");
  if (branch && tag) refuse("BUILDINFO_VCS_TAG", "is set with BUILDINFO_VCS_BRANCH; give one of the two");
  if (branch && !branch->empty()) {
    facts.ref_type = "branch";
    facts.ref_name = *branch;
  } else if (tag && !tag->empty()) {
    facts.ref_type = "tag";
    facts.ref_name = *tag;
  }
  const std::string modified = environment_value("BUILDINFO_VCS_MODIFIED").value_or("false");
  if (modified != "true" && modified != "false")
    refuse("BUILDINFO_VCS_MODIFIED", "'" + modified + "' is neither true nor false");
  facts.modified = modified == "true";
  const std::optional<std::string> describe = environment_value("BUILDINFO_VCS_DESCRIBE");
  facts.describe = describe && !describe->empty() ? *describe : facts.revision.substr(0, 7);
  if (facts.modified && facts.describe.find("-dirty") == std::string::npos) facts.describe += "-dirty";
  facts.repository_url = strip_url_credentials(environment_value("BUILDINFO_VCS_URL").value_or(""));
  return facts;
}

}  // namespace buildinfo
