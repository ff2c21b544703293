// `buildinfo restamp BINARY...`: bind the records a binary already carries
// to the file as it is now. Install steps legitimately change a linked file
// (cmake --install rewrites the RPATH of binaries that link the project's
// own libraries); the record's facts stay, only image.sha256 is computed
// again and the record signed again, with the key that signed it.
#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "formats/image_digest.h"
#include "formats/loaded_binary.h"
#include "formats/slot_codec.h"
#include "record/payload.h"
#include "record/record_writer.h"
#include "signing/signer.h"
#include "support/error.h"
#include "support/terminal_text.h"

namespace buildinfo {
namespace {

struct RestampOptions {
  std::vector<std::string> binaries;
  std::string installed_from;
  bool quiet = false;
  bool force = false;
  SignerOptions signing;
};

// cmake --install copies a file only when its time differs from the
// installed copy's by more than a second, and a re-stamp in the build tree
// keeps the build file's time (stamp --keep-timestamp). An installed copy
// whose time is set two seconds before the build file's is therefore
// replaced by every install, which then binds the newest record again.
void mark_as_installed_copy(const std::string& path, const std::string& build_file) {
  struct stat st {};
  if (::stat(build_file.c_str(), &st) != 0) throw io_error(build_file, "cannot stat", errno);
  struct timespec times[2];
  times[0].tv_sec = 0;
  times[0].tv_nsec = UTIME_OMIT;
  times[1] = st.st_mtim;
  times[1].tv_sec -= 2;
  if (::utimensat(AT_FDCWD, path.c_str(), times, 0) != 0)
    throw io_error(path, "cannot set the modification time", errno);
}

// One slot's record as the file holds it, and its image digest now.
struct BoundRecord {
  SlotHeader header;
  std::string payload_bytes;
  std::vector<uint8_t> signature;
  Payload payload;
  std::string digest;
  bool bound() const {
    const auto it = payload.find("image.sha256");
    return it != payload.end() && it->second == digest;
  }
};

BoundRecord read_record(const LoadedBinary& binary, const SlotLocation& location) {
  try {
    BoundRecord r;
    const ByteView slot = binary.view().sub(location.slot_offset, location.capacity, "slot");
    r.header = decode_slot_header(slot);
    if (r.header.payload_length == 0)
      throw Error(ErrorKind::no_record,
                  "the slot is not stamped; restamp only re-binds a record that `buildinfo stamp` wrote");
    r.payload_bytes = slot_payload(slot, r.header);
    r.signature = slot_signature(slot, r.header);
    r.payload = parse_payload(r.payload_bytes, binary.path);
    r.digest = image_digest(binary.view(), binary.image.digest_plan(location), binary.file.descriptor());
    return r;
  } catch (const Error& e) {
    throw Error(e.kind(), binary.path, location.section + ": " + e.defect());  // which slot
  }
}

// Re-signing must not launder a record: it must carry a valid signature of
// the key that signs it again (or be unsigned, and stay so).
void check_same_signer(const LoadedBinary& binary, const BoundRecord& r, const Signer& signer) {
  const std::optional<PublicKey> key = signer.public_key();
  if (r.header.signature_algorithm == 0) {
    if (key)
      throw Error(ErrorKind::bad_input, binary.path,
                  "the record is unsigned; restamp keeps it so (--no-sign), "
                  "it does not sign a record it cannot check");
    return;
  }
  if (!key)
    throw Error(ErrorKind::bad_input, binary.path,
                "the record is signed; restamp needs the key that signed it, "
                "not --no-sign");
  if (key->key_id() != KeyId(r.header.key_id))
    throw Error(ErrorKind::bad_input, binary.path,
                "the record is signed by key " + hex(r.header.key_id.data(), r.header.key_id.size()) + ", not by " +
                    hex(key->key_id().data(), key->key_id().size()));
  if (!key->verify(dsse_pae(kPayloadType, r.payload_bytes), r.signature))
    throw Error(ErrorKind::bad_input, binary.path, "the record's signature does not verify; it is not re-signed");
}

// Returns true when the file was rewritten.
bool restamp(const std::string& path, const RestampOptions& options, std::unique_ptr<Signer>& signer) {
  const LoadedBinary binary = load_binary(path);
  require_slot(binary);
  require_loaded_slots(binary);
  std::vector<BoundRecord> records;
  bool all_bound = true;
  for (const SlotLocation& location : binary.facts().slots) {
    records.push_back(read_record(binary, location));
    all_bound = all_bound && records.back().bound();
  }
  if (all_bound) {
    if (!options.quiet) std::cout << printable(path) << ": records already bound to the file as it is\n";
    return false;
  }
  // Only a file that changed needs the key.
  if (!signer) signer = std::make_unique<Signer>(options.signing);
  std::vector<Payload> payloads;
  for (BoundRecord& r : records) {
    check_same_signer(binary, r, *signer);
    r.payload["image.sha256"] = r.digest;
    payloads.push_back(r.payload);
  }
  RecordWriter writer(binary);
  const bool rewritten = writer.write(payloads, *signer, WriteOptions{true, false, options.force});
  if (!options.quiet)
    std::cout << printable(path) << ": records bound again to the file as it is now ("
              << (signer->signs() ? "signed " + algorithm_name(signer->algorithm()) : "unsigned") << ")\n";
  return rewritten;
}

int run_restamp(const RestampOptions& options) {
  if (!options.installed_from.empty() && options.binaries.size() != 1)
    throw Error(ErrorKind::bad_input, "--installed-from names the build file of one installed file");
  std::unique_ptr<Signer> signer;
  for (const std::string& path : options.binaries) {
    try {
      restamp(path, options, signer);
    } catch (const Error&) {
      throw;
    } catch (const std::exception& e) {  // a library's own exception still names the file
      throw Error(ErrorKind::internal, path, e.what());
    }
    if (!options.installed_from.empty()) mark_as_installed_copy(path, options.installed_from);
  }
  return static_cast<int>(ExitCode::ok);
}

}  // namespace

Command add_restamp_command(CLI::App& parent) {
  auto options = std::make_shared<RestampOptions>();
  CLI::App* app = parent.add_subcommand(
      "restamp", "Bind the records a binary carries to the file as it is now (after an install step changed it)");
  app->add_option("binaries", options->binaries, "Stamped binaries")->required();
  add_signer_options(*app, options->signing);
  app->add_option("--installed-from", options->installed_from,
                  "The build file this installed file was copied from: afterwards the installed file's time is set "
                  "2 s before it, so that the next cmake --install copies the newest stamp again");
  app->add_flag("--force", options->force,
                "Rewrite a file that carries an Authenticode or a Mach-O certificate (CMS) signature, which "
                "rewriting invalidates (it is refused without this); sign it again afterwards");
  app->add_flag("-q,--quiet", options->quiet, "Print nothing on success");
  return Command{app, [options] { return run_restamp(*options); }};
}

}  // namespace buildinfo
