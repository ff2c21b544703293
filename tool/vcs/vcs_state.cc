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

bool is_full_commit_id(const std::string& text) {
  if (text.size() != 40 && text.size() != 64) return false;
  for (const char c : text)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

std::string format_vcs_state(const std::optional<GitFacts>& facts, const std::string& warning) {
  if (!facts) {
    std::string text = std::string(kNoRepository) + "\n";
    // One line: a warning never holds a newline that matters.
    if (!warning.empty()) text += "why " + warning.substr(0, warning.find('\n')) + "\n";
    return text;
  }
  return "revision " + facts->revision + "\ntime " + facts->commit_time + "\nepoch " +
         std::to_string(facts->commit_epoch) + "\nref " + facts->ref_type + " " + facts->ref_name + "\nmodified " +
         (facts->modified ? "true" : "false") + "\ndescribe " + facts->describe + "\nurl " + facts->repository_url +
         "\nsource " + facts->source + "\n";
}

std::optional<GitFacts> parse_vcs_state(const std::string& text, const std::string& source, std::string* why) {
  const std::string none = std::string(kNoRepository) + "\n";
  if (text.compare(0, none.size(), none) == 0) {
    if (why != nullptr && text.compare(none.size(), 4, "why ") == 0) {
      *why = text.substr(none.size() + 4);
      if (!why->empty() && why->back() == '\n') why->pop_back();
    }
    return std::nullopt;
  }
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
  if (values.count("source") != 0) {
    facts.source = values["source"];
    if (facts.source != "repository" && facts.source != "archive" && facts.source != "override")
      throw Error(ErrorKind::bad_input, source, "source '" + facts.source + "' is not repository, archive or override");
  }
  return facts;
}

}  // namespace buildinfo
