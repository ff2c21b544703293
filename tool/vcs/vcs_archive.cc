// Reading `.buildinfo-vcs` (see vcs_archive.h). The file:
//
//   revision $Format:%H$
//   time $Format:%cI$
//   refs $Format:%D$
//   describe $Format:%(describe:tags)$
//   url https://example.com/project.git      (optional, written as is)
//
// `refs` is the decoration git prints for the commit ("HEAD -> main, tag:
// v1.2, origin/main"): the first tag, else the branch HEAD named.
#include "vcs/vcs_archive.h"

#include <fstream>
#include <map>
#include <sstream>

#include "support/error.h"
#include "support/path.h"
#include "support/time_format.h"
#include "vcs/state_proof.h"
#include "vcs/url.h"
#include "vcs/vcs_state.h"

namespace buildinfo {
namespace {

std::string trim(const std::string& text) {
  const size_t begin = text.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return "";
  return text.substr(begin, text.find_last_not_of(" \t\r") - begin + 1);
}

// Sets the tag or branch from git's decoration of the commit: a release
// archive is made from a tag, so a tag comes first; else the branch HEAD
// named when the archive was made.
void take_refs(const std::string& refs, GitFacts& facts) {
  std::istringstream items(refs);
  std::string branch;
  for (std::string item; std::getline(items, item, ',');) {
    item = trim(item);
    if (item.rfind("tag: ", 0) == 0) {
      facts.ref_type = "tag";
      facts.ref_name = item.substr(5);
      return;
    }
    if (item.rfind("HEAD -> ", 0) == 0) branch = item.substr(8);
  }
  if (!branch.empty()) {
    facts.ref_type = "branch";
    facts.ref_name = branch;
  }
}

}  // namespace

std::vector<std::string> archive_fact_files(const std::string& source_dir) {
  std::vector<std::string> files;
  for (std::string dir = source_dir;; dir = parent_directory(dir)) {
    files.push_back(join_path(dir, kArchiveFactsFile));
    if (observe(join_path(dir, ".git")).present || dir == "/") break;
  }
  return files;
}

std::optional<GitFacts> parse_archive_facts(const std::string& text, const std::string& source) {
  if (text.find("$Format:") != std::string::npos) return std::nullopt;  // a checkout's copy
  std::map<std::string, std::string> values;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    const size_t space = line.find(' ');
    values[line.substr(0, space)] = space == std::string::npos ? "" : trim(line.substr(space + 1));
  }
  GitFacts facts;
  facts.source = "archive";
  facts.revision = values["revision"];
  if (!is_full_commit_id(facts.revision))
    throw Error(ErrorKind::bad_input, source,
                "revision '" + facts.revision + "' is not a full commit id (40 or 64 lowercase hex digits)");
  const std::optional<int64_t> epoch = parse_iso8601(values["time"]);
  if (!epoch)
    throw Error(ErrorKind::bad_input, source,
                "time '" + values["time"] + "' is not an ISO 8601 time with a zone (what %cI gives)");
  facts.commit_epoch = *epoch;
  facts.commit_time = iso8601_utc(*epoch);
  take_refs(values["refs"], facts);
  facts.describe = values["describe"].empty() ? facts.revision.substr(0, 7) : values["describe"];
  facts.repository_url = strip_url_credentials(values["url"]);
  facts.modified = false;  // what was exported; edits after unpacking cannot be seen
  return facts;
}

std::optional<GitFacts> read_archive_facts(const std::vector<std::string>& files, std::string& used) {
  for (const std::string& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) continue;
    std::ostringstream text;
    text << in.rdbuf();
    std::optional<GitFacts> facts = parse_archive_facts(text.str(), file);
    if (facts) {
      used = file;
      return facts;
    }
  }
  return std::nullopt;
}

}  // namespace buildinfo
