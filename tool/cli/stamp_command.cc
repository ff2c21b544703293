// `buildinfo stamp BINARY`: gather the build facts and write them into the slot.
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <future>
#include <iostream>
#include <memory>
#include <optional>

#include "buildinfo/slot_layout.h"
#include "cli/commands.h"
#include "formats/image_digest.h"
#include "formats/loaded_binary.h"
#include "formats/pe/pe_version_info.h"
#include "record/compiler_info.h"
#include "record/dependency_inventory.h"
#include "record/package_note.h"
#include "record/payload.h"
#include "record/record_writer.h"
#include "record/version_resource.h"
#include "signing/signer.h"
#include "support/error.h"
#include "support/file_io.h"
#include "support/terminal_text.h"
#include "support/time_format.h"
#include "vcs/git_info.h"
#include "vcs/state_proof.h"
#include "vcs/vcs_facts.h"
#include "vcs/vcs_state.h"

namespace buildinfo {
namespace {

struct StampOptions {
  std::string binary;
  std::string source_dir = ".";
  std::string vcs_state;  // read the git facts from this file instead of the repository
  std::string vcs_proof;  // use its facts while the proof holds (vcs/state_proof.h)
  bool untracked_dirty = false;
  bool require_vcs = false;
  std::string compiler;
  std::string compiler_id;
  std::string compiler_version;
  std::string project_name;
  std::string project_version;
  std::string builder_id;
  std::vector<std::string> sets;
  bool reproducible = false;
  bool quiet = false;
  bool keep_timestamp = false;
  bool force = false;
  bool no_package_note = false;       // leave package notes as they are
  bool replace_package_note = false;  // also overwrite a package note a linker wrote
  std::string package_type = kDefaultPackageType;
  std::vector<std::string> deps;  // --dep NAME=VERSION[,...]
  std::string deps_file;          // --deps-file FILE
  SignerOptions signing;
};

// Warnings quote paths and the repository's text: printable() keeps them
// to one line that cannot act on the terminal.
void warn(const std::string& message) { std::cerr << "buildinfo: warning: " << printable(message) << "\n"; }

// BUILDINFO_BUILDER_ID when set, else user@host.
std::string default_builder_id() {
  if (const char* id = std::getenv("BUILDINFO_BUILDER_ID"); id != nullptr && *id != '\0') return id;
  const char* user = std::getenv("USER");
  if (user == nullptr || *user == '\0') {
    const passwd* entry = ::getpwuid(::getuid());
    user = entry != nullptr ? entry->pw_name : nullptr;
  }
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) std::strcpy(host, "unknown-host");
  return std::string(user != nullptr && *user != '\0' ? user : "unknown") + "@" + host;
}

void put(Payload& payload, const std::string& key, const std::string& value) {
  if (value.empty()) return;
  validate_value(key, value);
  payload[key] = value;
}

// The payload keys shared by every slot of the binary (all but target.*).
Payload common_payload(const StampOptions& options) {
  Payload payload;
  payload["format"] = kPayloadFormat;

  std::string warning;
  std::optional<GitFacts> git;
  // With --vcs-proof, the facts of a proof that still holds spare libgit2.
  const std::optional<std::string> proven =
      options.vcs_proof.empty() ? std::nullopt
                                : proven_facts(options.vcs_proof, options.source_dir, options.untracked_dirty);
  if (!options.vcs_state.empty() || proven) {
    const std::string& source = proven ? options.vcs_proof : options.vcs_state;
    std::string why;
    git = parse_vcs_state(proven ? *proven : read_text_file(options.vcs_state), source, &why);
    if (!git) warning = why.empty() ? source + ": no git repository was found when it was written" : why;
  } else {
    git = read_vcs_facts(GitOptions{options.source_dir, options.untracked_dirty}, warning);
  }
  if (!git) {
    if (options.require_vcs) throw Error(ErrorKind::bad_input, warning + " (--require-vcs)");
    warn(warning);
  } else {
    put(payload, "vcs.revision", git->revision);
    put(payload, "vcs.time", git->commit_time);
    payload["vcs.modified"] = git->modified ? "true" : "false";
    put(payload, "vcs.ref.name", git->ref_name);
    put(payload, "vcs.ref.type", git->ref_type);
    put(payload, "vcs.describe", git->describe);
    put(payload, "vcs.repository.url", git->repository_url);
    put(payload, "vcs.source", git->source);
  }

  std::optional<int64_t> build_time = source_date_epoch();
  if (!build_time && options.reproducible) {
    if (!git)
      throw Error(ErrorKind::bad_input,
                  "--reproducible takes the build time from the commit, but there is no git repository");
    build_time = git->commit_epoch;
  }
  payload["build.time"] = iso8601_utc(build_time ? *build_time : now_epoch());
  put(payload, "builder.id", options.builder_id.empty() ? default_builder_id() : options.builder_id);

  CompilerFacts compiler;
  if (!options.compiler.empty()) compiler = detect_compiler(options.compiler);
  if (!options.compiler_id.empty()) compiler.id = options.compiler_id;
  if (!options.compiler_version.empty()) compiler.version = options.compiler_version;
  put(payload, "compiler.id", compiler.id);
  put(payload, "compiler.version", compiler.version);

  put(payload, "project.name", options.project_name);
  put(payload, "project.version", options.project_version);

  for (const std::string& assignment : options.sets) {
    const size_t equals = assignment.find('=');
    if (equals == std::string::npos || equals == 0)
      throw Error(ErrorKind::bad_input, "--set '" + assignment + "' is not KEY=VALUE");
    const std::string key = kCustomPrefix + assignment.substr(0, equals);
    validate_key(key);
    validate_value(key, assignment.substr(equals + 1));
    payload[key] = assignment.substr(equals + 1);
  }
  return payload;
}

// The package notes stamp fills (FORMAT.md, "The package note"): those
// buildinfo_stamp() reserved, and with --replace-package-note also those a
// linker wrote; it says which it keeps.
std::vector<const PackageNote*> notes_to_fill(const LoadedBinary& binary, const StampOptions& options) {
  std::vector<const PackageNote*> notes;
  if (options.no_package_note || binary.facts().slots.empty()) return notes;
  for (const PackageNote& note : binary.facts().package_notes) {
    if (options.replace_package_note || is_reserved_package_note(binary.view(), note)) {
      notes.push_back(&note);
    } else if (!options.quiet) {
      std::cerr << "buildinfo: note: " << printable(binary.path) << " keeps the package note in " << note.where
                << " that it was linked with; pass --replace-package-note to write buildinfo's\n";
    }
  }
  return notes;
}

// What stamp writes into `notes`: the facts of the first slot's target (ELF
// and PE files have one).
std::vector<PlainWrite> package_note_writes(const LoadedBinary& binary, const std::vector<const PackageNote*>& notes,
                                            const Payload& common, const StampOptions& options) {
  std::vector<PlainWrite> writes;
  if (notes.empty()) return writes;
  Payload facts = common;
  const Target& target = binary.facts().slots.front().target;
  facts["target.os"] = target.os;
  facts["target.arch"] = target.arch;
  validate_value("--package-type", options.package_type);
  const std::string json = package_note_json(facts, options.package_type);
  for (const PackageNote* note : notes)
    writes.push_back(PlainWrite{note->json.offset, encode_package_note(*note, json, binary.path),
                                "stamped " + printable(binary.path) + " (" + note->where + "): package note, " +
                                    std::to_string(json.size() + 1) + " of " + std::to_string(note->json.length) +
                                    " bytes used\n"});
  return writes;
}

// A version resource that stamp fills, parsed.
struct ReservedVersionResource {
  const VersionResource* resource;
  VersionInfo info;
};

// The version resources stamp fills (FORMAT.md, "The Windows version
// resource"): those buildinfo_stamp() generated; it says which it keeps.
std::vector<ReservedVersionResource> version_resources_to_fill(const LoadedBinary& binary,
                                                               const StampOptions& options) {
  std::vector<ReservedVersionResource> out;
  if (binary.facts().slots.empty()) return out;
  for (const VersionResource& resource : binary.facts().version_resources) {
    const ByteView bytes = binary.view().sub(resource.bytes.offset, resource.bytes.length, "version resource");
    VersionInfo info = parse_version_info(bytes, resource.bytes.offset);
    if (is_reserved_version_info(info)) {
      out.push_back(ReservedVersionResource{&resource, std::move(info)});
    } else if (!options.quiet) {
      std::cerr << "buildinfo: note: " << printable(binary.path) << " keeps its own version resource ("
                << resource.where << ")\n";
    }
  }
  return out;
}

// What stamp writes into the reserved version resources: the common facts
// (the project, the revision), which every slot shares.
std::vector<PlainWrite> version_writes(const LoadedBinary& binary,
                                       const std::vector<ReservedVersionResource>& resources, const Payload& common) {
  std::vector<PlainWrite> writes;
  for (const ReservedVersionResource& r : resources)
    for (PlainWrite& write : version_resource_writes(*r.resource, r.info, common, binary.path))
      writes.push_back(std::move(write));
  return writes;
}

// The inventory stamp writes (FORMAT.md, "The dependency inventory"), from
// --deps-file and --dep; nothing when neither is given.
std::optional<std::pair<std::string, size_t>> dependency_inventory(const StampOptions& options) {
  if (options.deps.empty() && options.deps_file.empty()) return std::nullopt;
  std::vector<Dependency> dependencies;
  if (!options.deps_file.empty()) dependencies = parse_inventory(read_text_file(options.deps_file), options.deps_file);
  for (const std::string& argument : options.deps) dependencies.push_back(parse_dep_argument(argument));
  const size_t count = dependencies.size();
  return std::make_pair(inventory_json(std::move(dependencies)), count);
}

// The writes into the binary's dependency spaces: the inventory, or, with
// none, "{}" so that no earlier stamp's list stays behind. Spaces that
// already hold those bytes are left alone.
std::vector<PlainWrite> inventory_writes(const LoadedBinary& binary,
                                         const std::optional<std::pair<std::string, size_t>>& inventory) {
  const std::vector<DependencySpace>& spaces = binary.facts().dependency_spaces;
  if (inventory && spaces.empty())
    throw Error(ErrorKind::bad_input, binary.path,
                std::string("has no dependency space for --dep/--deps-file (") + BUILDINFO_DEPS_ELF_SECTION + ", " +
                    BUILDINFO_DEPS_PE_SECTION + ", __DATA_CONST," + BUILDINFO_DEPS_MACHO_SECTION +
                    "); buildinfo_stamp() reserves one, or BUILDINFO_DEFINE_DEPENDENCIES(n)");
  std::vector<PlainWrite> writes;
  const std::string json = inventory ? inventory->first : "{}";
  for (const DependencySpace& space : spaces) {
    std::vector<uint8_t> bytes = encode_inventory(space, json, binary.path);
    const ByteView current = binary.view().sub(space.json.offset, space.json.length, space.where.c_str());
    if (std::equal(bytes.begin(), bytes.end(), current.data())) continue;
    writes.push_back(PlainWrite{space.json.offset, std::move(bytes),
                                inventory ? "stamped " + printable(binary.path) + " (" + space.where +
                                                "): dependency inventory, " + std::to_string(inventory->second) +
                                                " dependencies, " + std::to_string(json.size() + 1) + " of " +
                                                std::to_string(space.json.length) + " bytes used\n"
                                          : ""});
  }
  return writes;
}

int stamp(const StampOptions& options) {
  // Once the key and the binary are known to be good, three things run side
  // by side: the git facts are read on one thread (loading libgit2 and its
  // start-up take milliseconds), the original bytes are written to the
  // temporary file on another, and the image is hashed here. Then only the
  // slots and the format's fix-ups are written over the copy.
  const Signer signer(options.signing);  // key problems fail before the binary is read
  LoadedBinary binary = load_binary(options.binary);
  require_slot(binary);
  require_loaded_slots(binary);
  const std::optional<std::pair<std::string, size_t>> inventory = dependency_inventory(options);
  const std::vector<PlainWrite> inventory_plain = inventory_writes(binary, inventory);
  std::future<Payload> common_facts = std::async(std::launch::async, [&options] { return common_payload(options); });
  RecordWriter writer(binary);
  // The package notes and the version resource go in before the digest,
  // which covers them (FORMAT.md, "The package note", "The Windows version
  // resource"): a file that gets one is hashed once its facts are known,
  // with them filled; any other is hashed while git is read.
  // The digest counts the slot as zeros, so the original bytes give the
  // same digest as the stamped ones.
  // `fd`: the file that `bytes` maps, or -1 when they differ from it.
  const auto hash = [&binary](ByteView bytes, int fd) {
    std::vector<std::string> digests;
    for (const SlotLocation& slot : binary.facts().slots)
      digests.push_back(image_digest(bytes, binary.image.digest_plan(slot), fd));
    return digests;
  };
  const std::vector<const PackageNote*> filled_notes = notes_to_fill(binary, options);
  const std::vector<ReservedVersionResource> filled_versions = version_resources_to_fill(binary, options);
  const bool fills = !filled_notes.empty() || !filled_versions.empty() || !inventory_plain.empty();
  std::vector<std::string> digests;
  if (!fills) digests = hash(binary.view(), binary.file.descriptor());
  const Payload common = common_facts.get();
  std::vector<PlainWrite> plain = package_note_writes(binary, filled_notes, common, options);
  for (PlainWrite& write : version_writes(binary, filled_versions, common)) plain.push_back(std::move(write));
  plain.insert(plain.end(), inventory_plain.begin(), inventory_plain.end());
  if (fills) {
    PrivateCopy filled(binary.file);
    for (const PlainWrite& write : plain)
      std::memcpy(filled.data() + write.offset, write.bytes.data(), write.bytes.size());
    digests = hash(filled.view(), -1);
  }

  std::vector<Payload> payloads;
  for (size_t i = 0; i < binary.facts().slots.size(); ++i) {
    const SlotLocation& slot = binary.facts().slots[i];
    Payload payload = common;
    payload["target.os"] = slot.target.os;
    payload["target.arch"] = slot.target.arch;
    payload["target.format"] = format_name(slot.target.format);
    payload["image.sha256"] = digests[i];
    if (inventory) bind_inventory(payload, inventory->first, inventory->second);
    payloads.push_back(std::move(payload));
  }
  writer.write(payloads, signer, WriteOptions{options.quiet, options.keep_timestamp, options.force}, plain);
  return static_cast<int>(ExitCode::ok);
}

int run_stamp(const StampOptions& options) {
  try {
    return stamp(options);
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    // A library's own exception (out of memory, a thread that could not
    // start) is no defect of the input, but still names the file.
    throw Error(ErrorKind::internal, options.binary, e.what());
  }
}

}  // namespace

Command add_stamp_command(CLI::App& parent) {
  auto options = std::make_shared<StampOptions>();
  CLI::App* app = parent.add_subcommand("stamp", "Write the build record into the binary's slot");
  app->add_option("BINARY", options->binary, "Linked binary with a buildinfo slot (ELF, PE, Mach-O)")->required();
  app->add_option("--source-dir", options->source_dir, "Directory inside the git repository to describe")
      ->capture_default_str();
  app->add_flag("--untracked-dirty", options->untracked_dirty, "Count untracked files as modifications");
  app->add_option("--vcs-state", options->vcs_state,
                  "Take the git facts from this file (written by `buildinfo vcs-state`) instead of the repository");
  app->add_option("--vcs-proof", options->vcs_proof,
                  "Take the git facts from this proof (`buildinfo vcs-state --output F` writes F.proof) while it "
                  "provably holds for --source-dir; read the repository otherwise")
      ->excludes("--vcs-state");
  app->add_flag("--require-vcs", options->require_vcs, "Fail when there is no git repository");
  app->add_option("--compiler", options->compiler, "Compiler to ask for its id and version (runs PATH --version)");
  app->add_option("--compiler-id", options->compiler_id, "Compiler id, e.g. GNU or Clang (CMake's names)");
  app->add_option("--compiler-version", options->compiler_version, "Compiler version, e.g. 12.2.0");
  app->add_option("--project-name", options->project_name, "Project name");
  app->add_option("--project-version", options->project_version, "Project version");
  app->add_option("--builder-id", options->builder_id,
                  "Who or what built it (default: $BUILDINFO_BUILDER_ID, else user@host)");
  app->add_option("--set", options->sets, "Extra KEY=VALUE, stored as custom.KEY (repeatable)");
  app->add_flag("--reproducible", options->reproducible,
                "Use the commit time as build.time when SOURCE_DATE_EPOCH is not set");
  add_signer_options(*app, options->signing);
  app->add_flag("--no-package-note", options->no_package_note,
                "Leave the binary's package note (.note.package, .pkgnote) as it is");
  app->add_flag("--replace-package-note", options->replace_package_note,
                "Also overwrite a package note that the linker wrote (--package-metadata)");
  app->add_option("--package-type", options->package_type, "The package note's \"type\"")->capture_default_str();
  app->add_option("--dep", options->deps,
                  "A dependency the binary links, NAME=VERSION[,purl=P][,linkage=static|shared] (repeatable)");
  app->add_option("--deps-file", options->deps_file,
                  "The dependencies the binary links, as a JSON inventory (FORMAT.md, \"The dependency inventory\")");
  app->add_flag("-q,--quiet", options->quiet, "Print nothing on success");
  app->add_flag("--keep-timestamp", options->keep_timestamp,
                "Give the stamped file its old modification time minus 1 ns, so that build tools relink nothing "
                "that depends on it (what the CMake step uses when the git state changes)");
  app->add_flag("--force", options->force,
                "Stamp a file that carries an Authenticode or a Mach-O certificate (CMS) signature, which stamping "
                "invalidates (it is refused without this); sign it again afterwards");
  return Command{app, [options] { return run_stamp(*options); }};
}

}  // namespace buildinfo
