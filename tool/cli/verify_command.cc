// `buildinfo verify BINARY...`: check signatures, image binding and
// policies; files are verified in parallel and reported in argument order.
#include <algorithm>
#include <atomic>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <memory>
#include <thread>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/file_tree.h"
#include "cli/json_output.h"
#include "cli/parallel.h"
#include "record/dependency_policy.h"
#include "record/verification.h"
#include "support/terminal_text.h"
#include "vcs/git_info.h"

namespace buildinfo {
namespace {

// The version of the JSON lines below; README.md documents the fields.
constexpr const char* kVerifySchema = "buildinfo.verify/1";

// -j: files verified at once (cli/parallel.h). Verifying is CPU-bound on a
// warm page cache (one SHA-256 pass over each image) and threads beyond the
// cores gain nothing there; more help only on storage that answers several
// reads at once (docs/PERFORMANCE.md).

struct VerifyOptions {
  std::vector<std::string> binaries;
  std::vector<std::string> key_files;
  bool allow_unsigned = false;
  std::string expect_revision;
  std::string source_dir = ".";
  bool require_clean = false;
  std::string expect_os;
  std::string expect_arch;
  std::vector<std::string> require_deps;
  std::vector<std::string> deny_deps;
  bool json = false;
  bool recursive = false;
  unsigned jobs = 0;  // 0: not given, one per core
};

bool is_hex(const std::string& s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

// The commit HEAD of the repository around `source_dir` names, for
// --expect-revision HEAD; every failure is a usage error that says so.
std::string head_revision(const std::string& source_dir) {
  const std::string what = "--expect-revision HEAD: ";
  // Absolute, so that the message names the directory even for the default ".".
  std::error_code ignored;
  std::string dir = std::filesystem::absolute(source_dir, ignored).lexically_normal().string();
  if (dir.empty()) dir = source_dir;
  if (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  std::string warning;
  std::optional<GitFacts> git;
  try {
    git = read_git_facts(GitOptions{dir, false}, warning);
  } catch (const Error& e) {
    throw Error(e.kind(), what + e.what());  // which option asked for git
  }
  if (!git) {
    // The warning ends with what stamp does without git facts; verify does not stamp.
    const std::string note = kNoVcsFieldsNote;
    if (warning.size() >= note.size() && warning.compare(warning.size() - note.size(), note.size(), note) == 0)
      warning.resize(warning.size() - note.size());
    throw Error(ErrorKind::bad_input, what + warning + "; give a commit id or --source-dir DIR");
  }
  return git->revision;
}

VerifyPolicy make_policy(const VerifyOptions& options) {
  VerifyPolicy policy;
  for (const std::string& file : options.key_files) policy.keyring.push_back(PublicKey::from_file(file));
  policy.allow_unsigned = options.allow_unsigned;
  policy.require_clean = options.require_clean;
  policy.expect_os = options.expect_os;
  policy.expect_arch = options.expect_arch;
  policy.require_deps = options.require_deps;
  policy.deny_deps = options.deny_deps;
  // Malformed constraints are a usage error before any file is read.
  for (const std::string& text : options.require_deps) parse_dependency_constraint(text, "--require-dep");
  for (const std::string& text : options.deny_deps) parse_dependency_constraint(text, "--deny-dep");
  policy.expect_revision = options.expect_revision;
  if (policy.expect_revision == "HEAD") {
    policy.expect_revision = head_revision(options.source_dir);
  } else if (!policy.expect_revision.empty()) {
    std::transform(policy.expect_revision.begin(), policy.expect_revision.end(), policy.expect_revision.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (!is_hex(policy.expect_revision) || policy.expect_revision.size() < 4)
      throw Error(ErrorKind::bad_input, "--expect-revision '" + options.expect_revision +
                                            "' is not a commit id (4 to 64 hex digits) or HEAD");
  }
  return policy;
}

std::vector<FileVerdict> verify_all(const std::vector<std::string>& files, const VerifyPolicy& policy, unsigned jobs) {
  std::vector<FileVerdict> verdicts(files.size());
  for_each_index(files.size(), jobs, [&](size_t i) { verdicts[i] = verify_file(files[i], policy); });
  return verdicts;
}

std::string failed_checks(const FileVerdict& verdict) {
  std::string names;
  for (const SlotVerdict& slot : verdict.slots)
    for (const Check& check : slot.checks)
      if (!check.ok && names.find(check.name) == std::string::npos) names += (names.empty() ? "" : ", ") + check.name;
  return names;
}

// The error line of a file that could not be verified, on standard error.
void print_error(const FileVerdict& verdict) {
  if (verdict.error.empty()) return;
  std::cout.flush();
  std::cerr << "buildinfo: " << printable(verdict.error) << "\n";
}

void print_text(const FileVerdict& verdict) {
  if (!verdict.error.empty() && verdict.outcome != FileVerdict::Outcome::failed) {
    const char* why = verdict.outcome == FileVerdict::Outcome::no_record ? "no record"
                      : verdict.error_kind == ErrorKind::internal        ? "internal error"
                                                                         : "unreadable or malformed";
    std::cout << printable(verdict.path) << ": not verified (" << why << ")\n";
    print_error(verdict);
    return;
  }
  if (verdict.outcome == FileVerdict::Outcome::verified)
    std::cout << printable(verdict.path) << ": verified\n";
  else
    std::cout << printable(verdict.path) << ": FAILED (" << failed_checks(verdict) << ")\n";
  for (const SlotVerdict& slot : verdict.slots) {
    if (verdict.slots.size() > 1)
      std::cout << "  [" << slot.arch << " " << (slot.section.empty() ? "slice without a slot" : slot.section) << "]\n";
    for (const Check& check : slot.checks)
      std::cout << "  " << std::left << std::setw(6) << (check.ok ? "ok" : "FAIL") << std::setw(10) << check.name + " "
                << printable(check.detail) << "\n";  // details quote the record's values
  }
  print_error(verdict);  // a damaged record's defect
}

nlohmann::json slot_json(const SlotVerdict& slot) {
  nlohmann::json checks = nlohmann::json::array();
  for (const Check& check : slot.checks)
    checks.push_back({{"check", check.name},
                      {"ok", check.ok},
                      {"expected", check.expected},
                      {"actual", check.actual},
                      {"detail", check.detail}});
  // A "structure" failure belongs to no slot the file's headers lead to
  // (a slice without a slot still has its architecture).
  const bool located = !slot.section.empty();
  nlohmann::json out = {
      {"section", located ? nlohmann::json(slot.section) : nlohmann::json(nullptr)},
      {"arch", located || !slot.arch.empty() ? nlohmann::json(slot.arch) : nlohmann::json(nullptr)},
      {"signature_algorithm", located ? nlohmann::json(slot.signature_algorithm) : nlohmann::json(nullptr)},
      {"record", slot.record ? nlohmann::json(*slot.record) : nlohmann::json(nullptr)},
      {"checks", checks}};
  if (!slot.key_id.empty()) out["key_id"] = slot.key_id;
  if (!slot.key_file.empty()) out["key_file"] = slot.key_file;
  return out;
}

const char* result_name(FileVerdict::Outcome outcome) {
  switch (outcome) {
    case FileVerdict::Outcome::verified: return "verified";
    case FileVerdict::Outcome::failed: return "failed";
    case FileVerdict::Outcome::error: return "error";
    case FileVerdict::Outcome::no_record: return "no_record";
  }
  return "error";
}

ExitCode verdict_exit_code(const FileVerdict& verdict) {
  switch (verdict.outcome) {
    case FileVerdict::Outcome::verified: return ExitCode::ok;
    case FileVerdict::Outcome::failed: return ExitCode::verification_failed;
    case FileVerdict::Outcome::error: return exit_code(verdict.error_kind);
    case FileVerdict::Outcome::no_record: return ExitCode::no_record;
  }
  return ExitCode::internal;
}

nlohmann::json verdict_json(const FileVerdict& verdict) {
  nlohmann::json out = {{"schema", kVerifySchema},
                        {"file", verdict.path},
                        {"result", result_name(verdict.outcome)},
                        {"exit_code", static_cast<int>(verdict_exit_code(verdict))}};
  if (!verdict.error.empty()) out["error"] = verdict.error;
  nlohmann::json slots = nlohmann::json::array();
  for (const SlotVerdict& slot : verdict.slots) slots.push_back(slot_json(slot));
  out["slots"] = slots;
  return out;
}

int run_verify(const VerifyOptions& options) {
  const VerifyPolicy policy = make_policy(options);
  const FileList list = expand_paths(options.binaries, options.recursive);
  const std::vector<FileVerdict> verdicts = verify_all(list.files, policy, options.jobs);
  ExitCode result = ExitCode::ok;
  size_t counts[4] = {};  // by outcome
  for (const FileVerdict& verdict : verdicts) {
    if (options.json) {
      std::cout << json_line(verdict_json(verdict)) << "\n";
      print_error(verdict);
    } else if (options.recursive && verdict.outcome == FileVerdict::Outcome::verified) {
      std::cout << printable(verdict.path) << ": verified\n";  // a tree's good files, one line each
    } else {
      print_text(verdict);
    }
    ++counts[static_cast<int>(verdict.outcome)];
    // The exit code is that of the first file that did not verify.
    if (result == ExitCode::ok) result = verdict_exit_code(verdict);
  }
  report_walk_errors(list, result);
  if (options.recursive && !options.json)
    std::cout << list.files.size() << " binaries: " << counts[0] << " verified, " << counts[1] << " failed, "
              << counts[3] << " without a record, " << counts[2] << " unreadable; " << list.skipped
              << " other files and " << list.symlinks << " symbolic links skipped\n";
  return static_cast<int>(result);
}

}  // namespace

Command add_verify_command(CLI::App& parent) {
  auto options = std::make_shared<VerifyOptions>();
  CLI::App* app = parent.add_subcommand("verify", "Check signatures, image binding and policies of stamped binaries");
  app->add_option("BINARY", options->binaries, "Stamped binaries, or directories with --recursive")->required();
  app->add_option("--key", options->key_files, "Trusted public key (PEM); repeat for a keyring");
  app->add_flag("--allow-unsigned", options->allow_unsigned, "Accept unsigned stamps");
  app->add_option("--expect-revision", options->expect_revision,
                  "Required vcs.revision: a full or abbreviated commit id, or HEAD (of --source-dir)");
  app->add_option("--source-dir", options->source_dir, "Repository for --expect-revision HEAD")->capture_default_str();
  app->add_flag("--require-clean", options->require_clean, "Require vcs.modified=false");
  app->add_option("--expect-os", options->expect_os, "Required target.os (linux, windows, darwin...)");
  app->add_option("--expect-arch", options->expect_arch, "Required target.arch (amd64, arm64...)");
  app->add_option("--require-dep", options->require_deps,
                  "A dependency the inventory must list, NAME or NAME{=,!=,<,<=,>,>=}VERSION (repeatable)");
  app->add_option("--deny-dep", options->deny_deps,
                  "A dependency the inventory must not list, NAME or NAME{=,!=,<,<=,>,>=}VERSION (repeatable)");
  app->add_flag("--json", options->json, "Print one JSON object per file, one per line");
  app->add_flag(
      "-r,--recursive", options->recursive,
      "Verify the binaries under each DIRECTORY given (by their magic bytes; symbolic links are not followed)");
  app->add_option("-j,--jobs", options->jobs,
                  "Files verified at once, 1 to " + std::to_string(kMaxJobs) + " (default: one per core)")
      ->check([](const std::string& value) -> std::string {
        // Digits only: CLI11 would read "0x10" or "1e2" as numbers.
        const bool digits = !value.empty() && value.size() <= 9 &&
                            std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (digits && std::stoul(value) >= 1 && std::stoul(value) <= kMaxJobs) return "";
        return "must be a whole number from 1 to " + std::to_string(kMaxJobs) + ", not '" + value + "'";
      });
  return Command{app, [options] { return run_verify(*options); }};
}

}  // namespace buildinfo
