// read_git_facts: the git plug-in's typed result (plugin_abi.h) as GitFacts.
#include "vcs/git_info.h"

#include <memory>

#include "plugins/plugin_loader.h"
#include "support/error.h"

namespace buildinfo {
namespace {

std::string text(const char* value) { return value != nullptr ? value : ""; }

}  // namespace

GitReading read_git_state(const GitOptions& options, bool witnesses) {
  const buildinfo_git_plugin& plugin = git_plugin();
  const int32_t flags =
      (options.untracked_dirty ? BUILDINFO_GIT_UNTRACKED_DIRTY : 0) | (witnesses ? BUILDINFO_GIT_WITNESSES : 0);
  const std::unique_ptr<buildinfo_git_result, void (*)(buildinfo_git_result*)> result(
      plugin.read_facts(options.source_dir.c_str(), flags), plugin.release_facts);
  if (!result) throw Error(ErrorKind::internal, "git: out of memory");
  GitReading reading;
  if (witnesses) {
    reading.no_witnesses = text(result->no_witnesses);
    for (uint64_t i = 0; i < result->witness_count; ++i) {
      reading.witnesses.push_back(text(result->witnesses[i]));
      if (result->witness_blobs != nullptr && result->witness_blobs[i] != nullptr)
        reading.contents[reading.witnesses.back()] = {result->witness_blobs[i],
                                                      (result->witness_flags[i] & BUILDINFO_GIT_WITNESS_DIFFERS) != 0,
                                                      (result->witness_flags[i] & BUILDINFO_GIT_WITNESS_CRLF) != 0};
    }
    reading.modified_otherwise = result->modified_otherwise != 0;
    if (reading.witnesses.empty() && reading.no_witnesses.empty()) reading.no_witnesses = "the plug-in listed none";
  }
  switch (result->status) {
    case BUILDINFO_GIT_FACTS: break;
    case BUILDINFO_GIT_NO_REPOSITORY: reading.warning = text(result->message); return reading;
    case BUILDINFO_GIT_FAILED:
      throw Error(ErrorKind::bad_input, result->message != nullptr ? result->message : "git: unknown error");
    default:
      throw PluginRefused(std::string(BUILDINFO_GIT_PLUGIN " answered with an unknown status ") +
                          std::to_string(result->status) + "; reinstall buildinfo");
  }
  const buildinfo_git_facts& in = result->facts;
  GitFacts facts;
  facts.revision = text(in.revision);
  facts.commit_time = text(in.commit_time);
  facts.commit_epoch = in.commit_epoch;
  facts.modified = in.modified != 0;
  facts.ref_name = text(in.ref_name);
  facts.ref_type = text(in.ref_type);
  facts.describe = text(in.describe);
  facts.repository_url = text(in.repository_url);
  reading.facts = facts;
  return reading;
}

std::optional<GitFacts> read_git_facts(const GitOptions& options, std::string& warning) {
  GitReading reading = read_git_state(options, false);
  warning = reading.warning;
  return reading.facts;
}

}  // namespace buildinfo
