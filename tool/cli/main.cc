// The buildinfo command line: parse, dispatch, and the one place errors are caught.
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/exit_code.h"
#include "signing/openssl_sha256.h"
#include "support/mapped_file.h"
#include "support/terminal_text.h"

#ifndef BUILDINFO_VERSION
#define BUILDINFO_VERSION "unknown"
#endif

namespace {

static_assert(buildinfo::kExitWhenTruncated == static_cast<int>(buildinfo::ExitCode::bad_input),
              "a file truncated while mapped is bad input");

// Ends the process without the libraries' exit-time cleanup (LIEF's and
// OpenSSL's global tables: ~3 ms a run, measured in bench/), which matters
// for a step that runs after every link. Under AddressSanitizer the normal
// exit is kept, so that LeakSanitizer still checks for leaks.
int finish(int code) {
#if defined(__SANITIZE_ADDRESS__)
  return code;
#else
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  ::_exit(code);
#endif
}

// A repeatable option takes one value per occurrence (`--key A --key B`).
// CLI11 lets a vector option take every following word, so `verify --key
// k.pub app` would read `app` as a second key and then miss its binary;
// arguments may come in any order only if no option swallows a positional.
void one_value_per_occurrence(CLI::App& app) {
  for (CLI::App* command : app.get_subcommands([](CLI::App*) { return true; })) {
    for (CLI::Option* option : command->get_options())
      if (option->nonpositional() && option->get_items_expected_max() > 1) option->allow_extra_args(false);
    one_value_per_occurrence(*command);
  }
}

}  // namespace

int main(int argc, char** argv) {
  buildinfo::set_long_input_sha256(buildinfo::openssl_sha256_engine);
  CLI::App app{"buildinfo: stamp, inspect and verify build provenance records in binaries"};
  app.set_version_flag("--version", BUILDINFO_VERSION);
  app.require_subcommand(1);
  // Setting up every subcommand's options costs about as much as a small
  // stamp's hashing: when the first argument names one, only it is set up.
  const std::pair<const char*, buildinfo::Command (*)(CLI::App&)> all[] = {
      {"stamp", buildinfo::add_stamp_command},     {"restamp", buildinfo::add_restamp_command},
      {"inspect", buildinfo::add_inspect_command}, {"verify", buildinfo::add_verify_command},
      {"keygen", buildinfo::add_keygen_command},   {"vcs-state", buildinfo::add_vcs_state_command},
      {"deps", buildinfo::add_deps_command},
  };
  bool named = false;
  for (const auto& [name, add] : all) named = named || (argc > 1 && std::strcmp(argv[1], name) == 0);
  std::vector<buildinfo::Command> commands;
  for (const auto& [name, add] : all)
    if (!named || std::strcmp(argv[1], name) == 0) commands.push_back(add(app));
  one_value_per_occurrence(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version are "errors" with exit code 0 to CLI11.
    if (e.get_exit_code() == 0) return app.exit(e);
    // Names the subcommand whose arguments were wrong, and its own help.
    std::string command;
    for (const CLI::App* sub : app.get_subcommands()) command += sub->get_name() + " ";
    const std::string where = command.empty() ? "" : command.substr(0, command.size() - 1) + ": ";
    std::cerr << "buildinfo: " << where << buildinfo::printable(e.what()) << " (see buildinfo " << command
              << "--help)\n";
    return static_cast<int>(buildinfo::ExitCode::bad_input);
  }
  try {
    for (const buildinfo::Command& command : commands)
      if (command.app->parsed()) return finish(command.run());
  } catch (const buildinfo::Error& e) {
    // Messages may quote a file's bytes (a section name, a record value).
    std::cerr << "buildinfo: " << buildinfo::printable(e.what()) << "\n";
    return static_cast<int>(exit_code(e.kind()));
  } catch (const std::exception& e) {
    // Not the tool's Error: out of memory, a library's own failure.
    std::cerr << "buildinfo: internal error: " << buildinfo::printable(e.what()) << "\n";
    return static_cast<int>(buildinfo::ExitCode::internal);
  }
  return static_cast<int>(buildinfo::ExitCode::bad_input);
}
