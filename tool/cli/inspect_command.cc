// `buildinfo inspect BINARY...`: show the record, the slot and the binary of
// each file, in argument order.
#include <exception>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>

#include "buildinfo/slot_layout.h"
#include "cli/commands.h"
#include "cli/file_tree.h"
#include "cli/json_output.h"
#include "cli/parallel.h"
#include "describe/lief_description.h"
#include "embedded/embedded_records.h"
#include "exports/cyclonedx.h"
#include "exports/in_toto.h"
#include "exports/spdx.h"
#include "formats/image_digest.h"
#include "formats/loaded_binary.h"
#include "formats/slot_codec.h"
#include "plugins/plugin_loader.h"
#include "record/dependency_inventory.h"
#include "record/otel_export.h"
#include "record/package_note.h"
#include "record/payload.h"
#include "signing/signing.h"
#include "support/error.h"
#include "support/terminal_text.h"

namespace buildinfo {
namespace {

// The version of the JSON lines below; README.md documents the fields.
constexpr const char* kInspectSchema = "buildinfo.inspect/1";

struct InspectOptions {
  std::vector<std::string> binaries;
  bool json = false;
  bool no_describe = false;
  bool dsse = false;
  bool otel_env = false;
  std::string format;  // cyclonedx, spdx, in-toto: one document for all files
  std::string key;     // signs the in-toto statement
  bool recursive = false;
  unsigned jobs = 0;  // 0: one per core
};

struct SlotReport {
  SlotLocation location;
  SlotHeader header;
  Payload record;
  std::string payload;  // the exact signed bytes
  std::vector<uint8_t> signature;
  bool stamped() const { return header.payload_length > 0; }
};

// What inspecting one file found. `result` names the outcome for scripts:
// stamped, not_stamped (a slot is empty), no_slot, or error (the file could
// not be read or is malformed); `error` is the one-line message otherwise.
struct Inspection {
  std::string path;
  std::optional<LoadedBinary> binary;  // absent for an error
  std::vector<SlotReport> reports;
  std::vector<EmbeddedRecord> embedded;  // other tools' records, read when the file scanned
  const char* result = "stamped";
  ExitCode code = ExitCode::ok;
  std::string error;
};

std::string algorithm_text(uint32_t algorithm) { return algorithm_name(static_cast<SignatureAlgorithm>(algorithm)); }

std::string key_id_text(const SlotHeader& header) { return hex(header.key_id.data(), header.key_id.size()); }

uint64_t used_bytes(const SlotReport& r) {
  return r.stamped() ? r.header.header_size + r.header.payload_length + r.header.signature_length : 0;
}

std::vector<SlotReport> read_slots(const LoadedBinary& binary) {
  std::vector<SlotReport> reports;
  for (const SlotLocation& location : binary.facts().slots) {
    try {
      ByteView slot = binary.view().sub(location.slot_offset, location.capacity, "slot");
      SlotReport report{location, decode_slot_header(slot), {}, {}, {}};
      if (report.stamped()) {
        report.payload = slot_payload(slot, report.header);
        report.signature = slot_signature(slot, report.header);
        report.record = parse_payload(report.payload, binary.path);
      }
      reports.push_back(report);
    } catch (const Error& e) {
      throw Error(e.kind(), e.file(), location.section + ": " + e.defect());  // which slot
    }
  }
  return reports;
}

// Never throws: every problem becomes the inspection's result. Other
// tools' records are read only for the views that show them.
Inspection inspect_file(const std::string& path, bool read_records) {
  Inspection out;
  out.path = path;
  try {
    out.binary.emplace(load_binary(path, /*whole=*/false));
    if (read_records) out.embedded = read_embedded_records(out.binary->view(), out.binary->facts());
    require_slot(*out.binary);
    out.reports = read_slots(*out.binary);
  } catch (const Error& e) {
    const bool no_slot = exit_code(e.kind()) == ExitCode::no_record && out.binary && out.binary->facts().slots.empty();
    out.result = no_slot ? "no_slot" : "error";
    out.code = exit_code(e.kind());
    out.error = e.what();
    out.reports.clear();
    if (!no_slot) {
      out.binary.reset();
      out.embedded.clear();
    }
    return out;
  } catch (const std::exception& e) {  // not the tool's Error: out of memory, a library's failure
    out.result = "error";
    out.code = ExitCode::internal;
    out.error = path + ": " + e.what();
    out.reports.clear();
    out.binary.reset();
    out.embedded.clear();
    return out;
  }
  for (const SlotReport& r : out.reports) {
    if (r.stamped()) continue;
    out.result = "not_stamped";
    out.code = ExitCode::no_record;
    out.error = r.location.not_loaded.empty()
                    ? path + ": the slot is present but not stamped; run `buildinfo stamp " + path + "`"
                    : path + ": the slot is not stamped, and not loaded (" + r.location.not_loaded +
                          "): the program can never read it, and stamp refuses it";
    break;
  }
  return out;
}

const SlotReport* first_stamped(const Inspection& inspection) {
  for (const SlotReport& r : inspection.reports)
    if (r.stamped()) return &r;
  return nullptr;
}

// The record as a DSSE envelope (github.com/secure-systems-lab/dsse,
// envelope.md): any DSSE implementation can verify it with the public key.
nlohmann::json dsse_envelope(const SlotReport& report) {
  nlohmann::json signatures = nlohmann::json::array();
  if (report.header.signature_algorithm != BUILDINFO_SIG_NONE)
    signatures.push_back({{"keyid", key_id_text(report.header)}, {"sig", base64(report.signature)}});
  return {{"payloadType", kPayloadType}, {"payload", base64(report.payload)}, {"signatures", signatures}};
}

nlohmann::json slot_json(const SlotReport& report) {
  nlohmann::json out = {
      {"section", report.location.section},
      {"section_offset", report.location.section_offset},
      {"slot_offset", report.location.slot_offset},
      {"capacity", report.location.capacity},
      {"used", used_bytes(report)},
      {"stamped", report.stamped()},
      {"format_version", report.header.version},
      {"signature_algorithm", algorithm_text(report.header.signature_algorithm)},
      {"target",
       {{"os", report.location.target.os},
        {"arch", report.location.target.arch},
        {"format", format_name(report.location.target.format)}}},
      {"record", report.record},
      {"loaded", report.location.not_loaded.empty()},
  };
  if (report.header.signature_algorithm != BUILDINFO_SIG_NONE) out["key_id"] = key_id_text(report.header);
  if (!report.location.not_loaded.empty()) out["not_loaded"] = report.location.not_loaded;
  return out;
}

std::string hex_number(uint64_t value) {
  std::ostringstream out;
  out << "0x" << std::hex << value;
  return out.str();
}

// LIEF's description in inspect --json (README.md lists the fields).
nlohmann::json description_json(const LiefDescription& description) {
  if (description.error) return {{"error", *description.error}};
  const nlohmann::json entrypoint =
      description.entrypoint ? nlohmann::json(hex_number(*description.entrypoint)) : nlohmann::json(nullptr);
  nlohmann::json out = {
      {"format", description.format},
      {"architecture", description.architecture},
      {"bits", description.bits},
      {"object_type", description.object_type},
      {"endianness", description.endianness},
      {"entrypoint", entrypoint},
      {"pie", description.pie},
      {"nx", description.nx},
      {"libraries", description.libraries},
  };
  if (description.os_abi) out["os_abi"] = *description.os_abi;
  if (description.interpreter) out["interpreter"] = *description.interpreter;
  if (description.code_signature) out["code_signature"] = *description.code_signature;
  if (description.install_name) out["install_name"] = *description.install_name;
  nlohmann::json sections = nlohmann::json::array();
  for (const LiefSection& section : description.sections)
    sections.push_back({{"name", section.name},
                        {"offset", section.offset},
                        {"size", section.size},
                        {"address", hex_number(section.address)}});
  out["sections"] = sections;
  return out;
}

// `description` is absent when the file was not described.
nlohmann::json binary_json(const LoadedBinary& binary, const std::optional<LiefDescription>& description) {
  nlohmann::json out = description ? description_json(*description) : nlohmann::json::object();
  const BinaryFacts& facts = binary.facts();
  out["container"] = container_name(facts.container);
  nlohmann::json slices = nlohmann::json::array();
  for (const Slice& s : facts.slices)
    slices.push_back({{"offset", s.offset},
                      {"size", s.size},
                      {"os", s.target.os},
                      {"arch", s.target.arch},
                      {"format", format_name(s.target.format)},
                      {"code_signature", s.has_code_signature}});
  out["slices"] = slices;
  if (facts.gnu_build_id) out["gnu_build_id"] = *facts.gnu_build_id;
  if (!facts.compiler_comments.empty()) out["comment"] = facts.compiler_comments;
  // UAPI.8 package notes, whoever wrote them: the object when the text is
  // one (else null), and the text itself.
  nlohmann::json notes = nlohmann::json::array();
  for (const PackageNote& note : facts.package_notes) {
    const std::string text = package_note_text(binary.view(), note);
    notes.push_back({{"section", note.where},
                     {"offset", note.json.offset},
                     {"size", note.json.length},
                     {"metadata", package_note_metadata(text)},
                     {"text", text}});
  }
  out["package_notes"] = notes;
  return out;
}

// Our slots, then every other record the binary carries, in one shape
// (README.md, "records"): what wrote it, where it is, its fields.
nlohmann::json records_json(const Inspection& inspection) {
  nlohmann::json out = nlohmann::json::array();
  for (const SlotReport& r : inspection.reports) {
    nlohmann::json entry = {{"kind", "buildinfo"},
                            {"source", r.location.section},
                            {"data", r.stamped() ? nlohmann::json(r.record) : nlohmann::json(nullptr)}};
    if (!r.stamped()) entry["error"] = "the slot is not stamped";
    out.push_back(entry);
  }
  for (const EmbeddedRecord& record : inspection.embedded) {
    nlohmann::json entry = {{"kind", record.kind}, {"source", record.source}, {"data", record.data}};
    if (!record.error.empty()) entry["error"] = record.error;
    out.push_back(entry);
  }
  return out;
}

// The same fields for every result, so that a script can read any line.
nlohmann::json inspection_json(const Inspection& inspection, const std::optional<LiefDescription>& description) {
  const SlotReport* stamped = first_stamped(inspection);
  nlohmann::json slots = nlohmann::json::array();
  for (const SlotReport& r : inspection.reports) slots.push_back(slot_json(r));
  nlohmann::json out = {
      {"schema", kInspectSchema},
      {"file", inspection.path},
      {"result", inspection.result},
      {"exit_code", static_cast<int>(inspection.code)},
      {"stamped", inspection.code == ExitCode::ok},
      {"record", stamped ? nlohmann::json(stamped->record) : nlohmann::json::object()},
      {"slots", slots},
      {"binary", inspection.binary ? binary_json(*inspection.binary, description) : nlohmann::json(nullptr)},
      {"records", records_json(inspection)},
      {"dependencies", nullptr},
  };
  // The inventory the first stamped slot binds (FORMAT.md, "The dependency
  // inventory"): null when it binds none.
  if (stamped) {
    const InventoryReading deps = read_inventory(inspection.binary->view(), inspection.binary->facts(),
                                                 stamped->location.slice_offset, stamped->record);
    if (deps.matches) out["dependencies"] = dependencies_json(deps.dependencies);
    if (deps.bound && !deps.matches) out["dependencies_error"] = deps.defect;
  }
  if (!inspection.error.empty()) out["error"] = inspection.error;
  return out;
}

// Strings from the file, or `absent` for an empty one.
std::string shown(const std::string& text, const char* absent) { return text.empty() ? absent : printable(text); }

void print_description(std::ostream& out, const LiefDescription& description) {
  if (description.error) {
    out << "  (LIEF: " << shown(*description.error, "unknown error") << ")\n";
    return;
  }
  out << "  format        " << shown(description.format, "unknown")
      << (description.bits == 0 ? "" : " " + std::to_string(description.bits) + "-bit") << " "
      << shown(description.architecture, "unknown architecture") << ", "
      << shown(description.object_type, "unknown type") << ", " << shown(description.endianness, "unknown byte order")
      << "\n";
  if (description.os_abi) out << "  os/abi        " << printable(*description.os_abi) << "\n";
  if (description.interpreter) out << "  interpreter   " << printable(*description.interpreter) << "\n";
  out << "  entry point   " << (description.entrypoint ? hex_number(*description.entrypoint) : "none") << ", PIE "
      << (description.pie ? "yes" : "no") << ", NX " << (description.nx ? "yes" : "no") << "\n";
  if (description.install_name) out << "  install name  " << printable(*description.install_name) << "\n";
  if (description.code_signature)
    out << "  code signature " << (*description.code_signature ? "present" : "absent") << "\n";
  for (const std::string& library : description.libraries) out << "  library       " << printable(library) << "\n";
  out << "  sections:\n";
  for (const LiefSection& section : description.sections) {
    out << "    " << std::left << std::setw(28) << printable(section.name) << " offset " << hex_number(section.offset)
        << " size " << hex_number(section.size) << "\n";
  }
}

// The inventory the first stamped slot binds: one line per dependency
// (name, version, linkage, purl), or why it does not match the record.
void print_dependencies(std::ostream& out, const Inspection& inspection) {
  const SlotReport* stamped = first_stamped(inspection);
  if (!stamped) return;
  const InventoryReading deps = read_inventory(inspection.binary->view(), inspection.binary->facts(),
                                               stamped->location.slice_offset, stamped->record);
  if (!deps.bound) return;
  if (!deps.matches) {
    out << "\ndependencies: " << printable(deps.defect) << "\n";
    return;
  }
  out << "\ndependencies (" << deps.dependencies.size() << "):\n";
  size_t name_width = 0, version_width = 0;
  for (const Dependency& d : deps.dependencies) {
    name_width = std::max(name_width, printable(d.name).size());
    version_width = std::max(version_width, printable(d.version).size());
  }
  for (const Dependency& d : deps.dependencies)
    out << "  " << std::left << std::setw(static_cast<int>(name_width)) << printable(d.name) << "  "
        << std::setw(static_cast<int>(version_width)) << printable(d.version) << "  " << std::setw(6)
        << (d.linkage.empty() ? "-" : d.linkage) << "  " << printable(d.purl) << "\n";
}

// Other tools' records, one block each: its kind and source, then its
// lines, aligned per block.
void print_records(std::ostream& out, const std::vector<EmbeddedRecord>& records) {
  if (records.empty()) return;
  out << "\nrecords:\n";
  for (const EmbeddedRecord& record : records) {
    out << "  " << record.kind << (record.source.empty() ? "" : " (" + printable(record.source) + ")") << "\n";
    if (!record.error.empty()) out << "    error: " << printable(record.error) << "\n";
    size_t width = 0;
    for (const auto& line : record.lines) width = std::max(width, printable(line.first).size());
    for (const auto& [label, value] : record.lines)
      out << "    " << std::left << std::setw(static_cast<int>(width)) << printable(label) << "  " << printable(value)
          << "\n";
  }
}

void print_text(std::ostream& out, const Inspection& inspection, const std::optional<LiefDescription>& description) {
  if (!inspection.binary) return;
  const LoadedBinary& binary = *inspection.binary;
  const BinaryFacts& facts = binary.facts();
  out << printable(binary.path) << ": " << container_name(facts.container);
  if (!facts.slices.empty()) {
    out << ", " << facts.slices.front().target.os << "/" << facts.slices.front().target.arch;
    for (size_t i = 1; i < facts.slices.size(); ++i) out << " + " << facts.slices[i].target.arch;
  }
  out << "\n";
  for (const SlotReport& r : inspection.reports) {
    out << "\nslot " << r.location.section << " at file offset 0x" << std::hex << r.location.slot_offset << std::dec
        << " (" << r.location.target.arch << "): ";
    if (!r.location.not_loaded.empty()) out << "not loaded (" << r.location.not_loaded << "), ";
    if (!r.stamped()) {
      out << "not stamped, capacity " << r.location.capacity << " bytes\n";
      continue;
    }
    out << used_bytes(r) << " of " << r.location.capacity << " bytes used, format " << r.header.version
        << ", signature " << algorithm_text(r.header.signature_algorithm);
    if (r.header.signature_algorithm != BUILDINFO_SIG_NONE) out << " (key " << key_id_text(r.header) << ")";
    out << "\n";
    // Keys and values are the file's: printable() keeps them to one line each.
    std::vector<std::pair<std::string, std::string>> lines;
    size_t width = 0;
    for (const auto& [key, value] : r.record) {
      lines.emplace_back(printable(key), printable(value));
      width = std::max(width, lines.back().first.size());
    }
    for (const auto& [key, value] : lines)
      out << "  " << std::left << std::setw(static_cast<int>(width)) << key << "  " << value << "\n";
  }

  if (inspection.reports.empty()) out << "\nno buildinfo slot\n";
  print_dependencies(out, inspection);
  print_records(out, inspection.embedded);
  if (!description) return;
  out << "\nbinary:\n";
  print_description(out, *description);
}

void print_otel_env(const Inspection& inspection) {
  // What the program itself computes at run time (the first slot).
  const SlotReport* stamped = first_stamped(inspection);
  const SlotReport& r = stamped ? *stamped : inspection.reports.front();
  const std::string key_id = r.header.signature_algorithm != BUILDINFO_SIG_NONE ? key_id_text(r.header) : "";
  std::cout << otel_resource_attributes_for(r.record, r.stamped(), inspection.binary->facts().gnu_build_id.value_or(""),
                                            key_id)
            << "\n";
}

void print_dsse(const Inspection& inspection) {
  // One envelope per stamped slot: a universal file has one per slice.
  nlohmann::json envelopes = nlohmann::json::array();
  for (const SlotReport& r : inspection.reports)
    if (r.stamped()) envelopes.push_back(dsse_envelope(r));
  if (envelopes.size() == 1)
    std::cout << json_line(envelopes[0]) << "\n";
  else if (!envelopes.empty())
    std::cout << json_line(envelopes) << "\n";
}

// LIEF's description, one file at a time: files are inspected in parallel,
// and nothing says LIEF's parsers may run side by side.
LiefDescription describe_one_at_a_time(const std::string& path) {
  static std::mutex lief;
  const std::lock_guard<std::mutex> lock(lief);
  return describe_with_lief(path);
}

// File `index` of `count`, in the form the options ask for.
void print_inspection(std::ostream& os, const Inspection& inspection, const InspectOptions& options, size_t index,
                      size_t count) {
  const bool has_slots = !inspection.reports.empty();
  if (options.otel_env) {
    if (has_slots) print_otel_env(inspection);
    return;
  }
  if (options.dsse) {
    if (has_slots) print_dsse(inspection);
    return;
  }
  const bool describe = !options.no_describe && inspection.binary && (options.json || has_slots);
  const std::optional<LiefDescription> description =
      describe ? std::optional<LiefDescription>(describe_one_at_a_time(inspection.path)) : std::nullopt;
  if (options.json) {
    os << json_line(inspection_json(inspection, description)) << "\n";
    return;
  }
  // With several files each block starts with a header line, as head(1) does.
  const bool several = count > 1;
  if (several) os << (index > 0 ? "\n" : "") << "==> " << printable(inspection.path) << " <==\n";
  if (inspection.binary)
    print_text(os, inspection, description);
  else if (several)
    os << printable(inspection.path) << ": not inspected ("
       << (inspection.code == ExitCode::no_record ? "no buildinfo slot" : "unreadable or malformed") << ")\n";
}

// inspect --format: one document describing every file given, each
// stamped, with the inventory its record binds. A file that is not stamped,
// or whose inventory does not match its record, stops it with that file's
// error and exit code: a document must not describe what it cannot vouch for.
int run_export(const InspectOptions& options, const FileList& list) {
  if (!options.key.empty() && options.format != "in-toto")
    throw Error(ErrorKind::bad_input, "inspect --key signs the in-toto statement: it needs --format in-toto");
  std::optional<SigningKey> key;
  if (!options.key.empty()) key = SigningKey::from_file(options.key);
  std::vector<ExportSubject> subjects;
  size_t left_out = 0;
  for (const std::string& path : list.files) {
    const Inspection inspection = inspect_file(path, false);
    // In a tree, binaries without a record are no part of what was built.
    if (options.recursive &&
        (std::string(inspection.result) == "no_slot" || std::string(inspection.result) == "not_stamped")) {
      ++left_out;
      continue;
    }
    if (inspection.code != ExitCode::ok) {
      std::cerr << "buildinfo: " << printable(inspection.error) << "\n";
      return static_cast<int>(inspection.code);
    }
    const SlotReport& stamped = *first_stamped(inspection);
    const InventoryReading deps = read_inventory(inspection.binary->view(), inspection.binary->facts(),
                                                 stamped.location.slice_offset, stamped.record);
    if (deps.bound && !deps.matches) {
      std::cerr << "buildinfo: " << printable(path) << ": " << printable(deps.defect) << "\n";
      return static_cast<int>(ExitCode::verification_failed);
    }
    subjects.push_back(ExportSubject{path, sha256_hex(inspection.binary->view()), stamped.record, deps.dependencies});
  }
  if (subjects.empty()) {
    std::cerr << "buildinfo: no stamped binary to describe (" << left_out << " without a record)\n";
    return static_cast<int>(ExitCode::no_record);
  }
  if (left_out > 0) std::cerr << "buildinfo: note: " << left_out << " binaries without a record are left out\n";
  const std::string name =
      subjects.size() == 1 && !options.recursive
          ? subjects[0].name
          : (options.recursive ? printable(options.binaries.front()) : std::to_string(subjects.size()) + " files");
  nlohmann::json document;
  if (options.format == "cyclonedx") document = cyclonedx_bom(subjects, name);
  if (options.format == "spdx") document = spdx_document(subjects, name);
  if (options.format == "in-toto") {
    document = in_toto_statement(subjects);
    if (key) document = dsse_signed(document, *key);
  }
  std::cout << document.dump(2) << "\n";
  ExitCode result = ExitCode::ok;
  report_walk_errors(list, result);
  return static_cast<int>(result);
}

// One line of the table inspect --recursive prints: the file, its result,
// and for a stamped one its project, version and revision.
std::string table_line(const Inspection& inspection) {
  std::string line = printable(inspection.path) + "  " + inspection.result;
  const SlotReport* stamped = first_stamped(inspection);
  if (stamped) {
    for (const char* key : {"project.name", "project.version", "vcs.revision"}) {
      const auto it = stamped->record.find(key);
      line += "  " + (it == stamped->record.end() ? std::string("-") : printable(it->second));
    }
    const auto modified = stamped->record.find("vcs.modified");
    if (modified != stamped->record.end() && modified->second == "true") line += " (modified)";
  }
  return line + "\n";
}

int run_inspect(const InspectOptions& options) {
  const FileList list = expand_paths(options.binaries, options.recursive);
  if (!options.format.empty()) return run_export(options, list);
  // Their output names no file, so one line per file could not be told apart.
  for (const auto& [flag, set] : {std::pair{"--dsse", options.dsse}, std::pair{"--otel-env", options.otel_env}})
    if (set && (list.files.size() > 1 || options.recursive))
      throw Error(ErrorKind::bad_input, std::string("inspect ") + flag + " takes one BINARY (" +
                                            std::to_string(list.files.size()) + " given); run it once per file");

  // Each file's output is made in parallel and printed in order.
  struct Output {
    std::string text, error;
    ExitCode code = ExitCode::ok;
    std::string result;
  };
  std::vector<Output> outputs(list.files.size());
  std::exception_ptr refused;
  std::mutex refused_lock;
  for_each_index(list.files.size(), options.jobs, [&](size_t i) {
    Inspection inspection = inspect_file(list.files[i], !options.dsse && !options.otel_env);
    std::ostringstream os;
    try {
      if (options.recursive && !options.json)
        os << table_line(inspection);
      else
        print_inspection(os, inspection, options, i, list.files.size());
    } catch (const PluginRefused&) {
      const std::lock_guard<std::mutex> lock(refused_lock);
      refused = std::current_exception();  // a plug-in of another build stops the run: one line, exit code 2
    } catch (const std::exception& e) {
      // Whatever a library throws while printing (out of memory) is this
      // file's error, with its name: the JSON line is then the error's.
      const std::string path = inspection.path;
      inspection = Inspection{};
      inspection.path = path;
      inspection.result = "error";
      const Error* error = dynamic_cast<const Error*>(&e);
      inspection.code = error != nullptr ? exit_code(error->kind()) : ExitCode::internal;
      inspection.error = error != nullptr && !error->file().empty() ? std::string(e.what()) : path + ": " + e.what();
      os.str("");
      if (options.json) os << json_line(inspection_json(inspection, std::nullopt)) << "\n";
    }
    outputs[i] = Output{os.str(), inspection.error, inspection.code, inspection.result};
  });
  if (refused) std::rethrow_exception(refused);

  ExitCode result = ExitCode::ok;
  std::map<std::string, size_t> counts;
  for (const Output& output : outputs) {
    std::cout << output.text;
    // In a tree, a binary without a slot is expected: the table says so.
    const bool quiet = options.recursive && output.result == "no_slot";
    if (output.code != ExitCode::ok && !quiet) {
      std::cout.flush();
      std::cerr << "buildinfo: " << printable(output.error) << "\n";
    }
    ++counts[output.result];
    // The exit code is that of the first file that failed, as verify's.
    if (result == ExitCode::ok) result = output.code;
  }
  report_walk_errors(list, result);
  if (options.recursive && !options.json)
    std::cout << list.files.size() << " binaries: " << counts["stamped"] << " stamped, " << counts["not_stamped"]
              << " not stamped, " << counts["no_slot"] << " without a slot, " << counts["error"] << " unreadable; "
              << list.skipped << " other files and " << list.symlinks << " symbolic links skipped\n";
  return static_cast<int>(result);
}

}  // namespace

Command add_inspect_command(CLI::App& parent) {
  auto options = std::make_shared<InspectOptions>();
  CLI::App* app = parent.add_subcommand("inspect", "Show the build record and a description of each binary");
  app->add_option("BINARY", options->binaries, "Binaries to inspect, or directories with --recursive")->required();
  CLI::Option* json = app->add_flag("--json", options->json,
                                    "Print one JSON object per file, one per line: the record, the slots, the binary");
  app->add_flag("--no-describe", options->no_describe, "Skip the LIEF description of the binary (faster)");
  CLI::Option* otel_env = app->add_flag("--otel-env", options->otel_env,
                                        "Print the record as an OTEL_RESOURCE_ATTRIBUTES value (one BINARY)");
  CLI::Option* dsse = app->add_flag("--dsse", options->dsse,
                                    "Print the record as a DSSE envelope, an array for universal files (one BINARY)");
  app->add_flag("-r,--recursive", options->recursive,
                "Inspect the binaries under each DIRECTORY given (by their magic bytes; symbolic links are not "
                "followed); the text view is then one line per binary and a count");
  app->add_option("-j,--jobs", options->jobs, "Files inspected at once (default: one per core)")
      ->check(CLI::Range(1u, kMaxJobs));
  CLI::Option* format =
      app->add_option("--format", options->format,
                      "Print one document for all files: a CycloneDX 1.6 BOM, an SPDX 2.3 document, or an in-toto "
                      "Statement with SLSA Provenance v1")
          ->check(CLI::IsMember({"cyclonedx", "spdx", "in-toto"}));
  app->add_option("--key", options->key, "With --format in-toto: sign it as a DSSE envelope with this private key");
  format->excludes(json)->excludes(otel_env)->excludes(dsse);
  json->excludes(otel_env)->excludes(dsse);
  otel_env->excludes(dsse);
  return Command{app, [options] { return run_inspect(*options); }};
}

}  // namespace buildinfo
