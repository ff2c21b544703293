// Writing and reading the vcs-state file (see vcs_state.h).
#include "vcs/vcs_state.h"

#include <cstdlib>
#include <map>
#include <sstream>

#include "support/error.h"

namespace buildinfo {
namespace {

constexpr const char* kNoRepository = "no repository";
const char* const kKeys[] = {"revision", "time", "epoch", "ref", "modified", "describe", "url"};

}  // namespace

std::string format_vcs_state(const std::optional<GitFacts>& facts) {
  if (!facts) return std::string(kNoRepository) + "\n";
  return "revision " + facts->revision + "\ntime " + facts->commit_time + "\nepoch " +
         std::to_string(facts->commit_epoch) + "\nref " + facts->ref_type + " " + facts->ref_name + "\nmodified " +
         (facts->modified ? "true" : "false") + "\ndescribe " + facts->describe + "\nurl " + facts->repository_url +
         "\n";
}

std::optional<GitFacts> parse_vcs_state(const std::string& text, const std::string& source) {
  if (text == std::string(kNoRepository) + "\n") return std::nullopt;
  std::map<std::string, std::string> values;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    const size_t space = line.find(' ');
    values[line.substr(0, space)] = space == std::string::npos ? "" : line.substr(space + 1);
  }
  for (const char* key : kKeys)
    if (values.count(key) == 0)
      throw Error(ErrorKind::bad_input, source,
                  std::string("not a vcs-state file (no '") + key + "' line); rerun buildinfo vcs-state");

  GitFacts facts;
  facts.revision = values["revision"];
  facts.commit_time = values["time"];
  char* end = nullptr;
  facts.commit_epoch = std::strtoll(values["epoch"].c_str(), &end, 10);
  if (values["epoch"].empty() || *end != '\0')
    throw Error(ErrorKind::bad_input, source, "epoch '" + values["epoch"] + "' is not a number");
  // "ref <type> <name>": both empty when HEAD is detached and untagged.
  const std::string& ref = values["ref"];
  const size_t space = ref.find(' ');
  facts.ref_type = ref.substr(0, space);
  facts.ref_name = space == std::string::npos ? "" : ref.substr(space + 1);
  if (values["modified"] != "true" && values["modified"] != "false")
    throw Error(ErrorKind::bad_input, source, "modified '" + values["modified"] + "' is neither true nor false");
  facts.modified = values["modified"] == "true";
  facts.describe = values["describe"];
  facts.repository_url = values["url"];
  return facts;
}

}  // namespace buildinfo
