// `buildinfo inspect BINARY`: show the record, the slot and the binary.
#include <iomanip>
#include <iostream>
#include <memory>

#include "buildinfo/slot_layout.h"
#include "commands.h"
#include "error.h"
#include "lief_description.h"
#include "loaded_binary.h"
#include "otel_export.h"
#include "payload.h"
#include "signing.h"
#include "slot_codec.h"

namespace buildinfo {
namespace {

struct InspectOptions {
  std::string binary;
  bool json = false;
  bool no_describe = false;
  bool dsse = false;
  bool otel_env = false;
};

struct SlotReport {
  SlotLocation location;
  SlotHeader header;
  Payload record;
  std::string payload;  // the exact signed bytes
  std::vector<uint8_t> signature;
  bool stamped() const { return header.payload_length > 0; }
};

std::string algorithm_text(uint32_t algorithm) {
  return algorithm_name(static_cast<SignatureAlgorithm>(algorithm));
}

std::string key_id_text(const SlotHeader& header) { return hex(header.key_id.data(), header.key_id.size()); }

std::vector<SlotReport> read_slots(const LoadedBinary& binary) {
  std::vector<SlotReport> reports;
  for (const SlotLocation& location : binary.facts.slots) {
    try {
      ByteView slot = binary.view().sub(location.slot_offset, location.capacity, "slot");
      SlotReport report{location, decode_slot_header(slot), {}, {}, {}};
      if (report.stamped()) {
        report.payload = slot_payload(slot, report.header);
        report.signature = slot_signature(slot, report.header);
        report.record = parse_payload(report.payload);
      }
      reports.push_back(report);
    } catch (const Error& e) {
      throw Error(e.code(), binary.path + ": " + location.section + ": " + e.what());
    }
  }
  return reports;
}

// The record as a DSSE envelope (github.com/secure-systems-lab/dsse,
// envelope.md): any DSSE implementation can verify it with the public key.
nlohmann::json dsse_envelope(const SlotReport& report) {
  nlohmann::json signatures = nlohmann::json::array();
  if (report.header.signature_algorithm != BUILDINFO_SIG_NONE)
    signatures.push_back({{"keyid", key_id_text(report.header)},
                          {"sig", base64(report.signature)}});
  return {{"payloadType", kPayloadType}, {"payload", base64(report.payload)}, {"signatures", signatures}};
}

nlohmann::json slot_json(const SlotReport& report) {
  nlohmann::json out = {
      {"section", report.location.section},
      {"section_offset", report.location.section_offset},
      {"slot_offset", report.location.slot_offset},
      {"capacity", report.location.capacity},
      {"used", report.stamped() ? report.header.header_size + report.header.payload_length + report.header.signature_length : 0},
      {"stamped", report.stamped()},
      {"format_version", report.header.version},
      {"signature_algorithm", algorithm_text(report.header.signature_algorithm)},
      {"target", {{"os", report.location.target.os}, {"arch", report.location.target.arch}, {"format", report.location.target.format}}},
      {"record", report.record},
  };
  if (report.header.signature_algorithm != BUILDINFO_SIG_NONE)
    out["key_id"] = key_id_text(report.header);
  return out;
}

nlohmann::json binary_json(const LoadedBinary& binary, const InspectOptions& options) {
  nlohmann::json out = options.no_describe ? nlohmann::json::object() : describe_with_lief(binary.path);
  out["container"] = binary.facts.format;
  nlohmann::json slices = nlohmann::json::array();
  for (const Slice& s : binary.facts.slices)
    slices.push_back({{"offset", s.offset}, {"size", s.size}, {"os", s.target.os}, {"arch", s.target.arch},
                      {"format", s.target.format}, {"code_signature", s.has_code_signature}});
  out["slices"] = slices;
  if (binary.facts.gnu_build_id) out["gnu_build_id"] = *binary.facts.gnu_build_id;
  if (!binary.facts.compiler_comments.empty()) out["comment"] = binary.facts.compiler_comments;
  return out;
}

void print_text(const LoadedBinary& binary, const std::vector<SlotReport>& reports, const nlohmann::json& description) {
  std::ostream& out = std::cout;
  const Slice& first = binary.facts.slices.front();
  out << binary.path << ": " << binary.facts.format << ", " << first.target.os << "/" << first.target.arch;
  for (size_t i = 1; i < binary.facts.slices.size(); ++i) out << " + " << binary.facts.slices[i].target.arch;
  out << "\n";
  for (const SlotReport& r : reports) {
    out << "\nslot " << r.location.section << " at file offset 0x" << std::hex << r.location.slot_offset << std::dec
        << " (" << r.location.target.arch << "): ";
    if (!r.stamped()) {
      out << "not stamped, capacity " << r.location.capacity << " bytes\n";
      continue;
    }
    out << r.header.header_size + r.header.payload_length + r.header.signature_length << " of "
        << r.location.capacity << " bytes used, format " << r.header.version << ", signature "
        << algorithm_text(r.header.signature_algorithm);
    if (r.header.signature_algorithm != BUILDINFO_SIG_NONE)
      out << " (key " << key_id_text(r.header) << ")";
    out << "\n";
    size_t width = 0;
    for (const auto& [key, value] : r.record) width = std::max(width, key.size());
    for (const auto& [key, value] : r.record) out << "  " << std::left << std::setw(static_cast<int>(width)) << key << "  " << value << "\n";
  }

  out << "\nbinary:\n";
  if (binary.facts.gnu_build_id) out << "  gnu build-id  " << *binary.facts.gnu_build_id << "\n";
  for (const std::string& comment : binary.facts.compiler_comments) out << "  .comment      " << comment << "\n";
  if (description.contains("error")) {
    out << "  (LIEF: " << description["error"].get<std::string>() << ")\n";
    return;
  }
  if (!description.contains("format")) return;
  out << "  format        " << description["format"].get<std::string>() << " " << description["bits"].get<int>()
      << "-bit " << description["architecture"].get<std::string>() << ", "
      << description["object_type"].get<std::string>() << ", " << description["endianness"].get<std::string>() << "\n";
  if (description.contains("os_abi")) out << "  os/abi        " << description["os_abi"].get<std::string>() << "\n";
  if (description.contains("interpreter")) out << "  interpreter   " << description["interpreter"].get<std::string>() << "\n";
  out << "  entry point   " << description["entrypoint"].get<std::string>() << ", PIE "
      << (description["pie"].get<bool>() ? "yes" : "no") << ", NX " << (description["nx"].get<bool>() ? "yes" : "no") << "\n";
  if (description.contains("code_signature"))
    out << "  code signature " << (description["code_signature"].get<bool>() ? "present" : "absent") << "\n";
  for (const auto& library : description["libraries"]) out << "  library       " << library.get<std::string>() << "\n";
  out << "  sections:\n";
  for (const auto& section : description["sections"]) {
    out << "    " << std::left << std::setw(28) << section["name"].get<std::string>() << " offset 0x" << std::hex
        << section["offset"].get<uint64_t>() << " size 0x" << section["size"].get<uint64_t>() << std::dec << "\n";
  }
}

int run_inspect(const InspectOptions& options) {
  const LoadedBinary binary = load_binary(options.binary);
  require_slot(binary);
  const std::vector<SlotReport> reports = read_slots(binary);

  const SlotReport* first_stamped = nullptr;
  bool all_stamped = true;
  for (const SlotReport& r : reports) {
    if (r.stamped() && first_stamped == nullptr) first_stamped = &r;
    all_stamped = all_stamped && r.stamped();
  }

  if (options.otel_env) {
    // What the program itself computes at run time (the first slot).
    const SlotReport& r = first_stamped ? *first_stamped : reports.front();
    const std::string key_id = r.header.signature_algorithm != BUILDINFO_SIG_NONE ? key_id_text(r.header) : "";
    std::cout << otel_resource_attributes_for(r.record, r.stamped(), binary.facts.gnu_build_id.value_or(""), key_id)
              << "\n";
  } else if (options.dsse) {
    // One envelope per stamped slot: a universal file has one per slice.
    nlohmann::json envelopes = nlohmann::json::array();
    for (const SlotReport& r : reports)
      if (r.stamped()) envelopes.push_back(dsse_envelope(r));
    if (envelopes.size() == 1) std::cout << envelopes[0].dump() << "\n";
    else if (!envelopes.empty()) std::cout << envelopes.dump() << "\n";
  } else if (options.json) {
    nlohmann::json out;
    out["file"] = binary.path;
    out["stamped"] = all_stamped;
    out["record"] = first_stamped ? nlohmann::json(first_stamped->record) : nlohmann::json::object();
    nlohmann::json slots = nlohmann::json::array();
    for (const SlotReport& r : reports) slots.push_back(slot_json(r));
    out["slots"] = slots;
    out["binary"] = binary_json(binary, options);
    std::cout << out.dump(2) << "\n";
  } else {
    print_text(binary, reports, options.no_describe ? nlohmann::json::object() : describe_with_lief(binary.path));
  }
  if (!all_stamped) {
    std::cerr << "buildinfo: " << binary.path
              << ": the slot is present but not stamped; run `buildinfo stamp " << binary.path << "`\n";
    return static_cast<int>(ExitCode::no_record);
  }
  return static_cast<int>(ExitCode::ok);
}

}  // namespace

Command add_inspect_command(CLI::App& parent) {
  auto options = std::make_shared<InspectOptions>();
  CLI::App* app = parent.add_subcommand("inspect", "Show the build record and a description of the binary");
  app->add_option("BINARY", options->binary, "Binary to inspect")->required();
  app->add_flag("--json", options->json, "Print JSON: the record, the slots and a binary object");
  app->add_flag("--no-describe", options->no_describe, "Skip the LIEF description of the binary (faster)");
  app->add_flag("--otel-env", options->otel_env,
                "Print the record as an OTEL_RESOURCE_ATTRIBUTES value (what the program itself computes)");
  app->add_flag("--dsse", options->dsse, "Print the record as a DSSE envelope (an array for universal files)");
  return Command{app, [options] { return run_inspect(*options); }};
}

}  // namespace buildinfo
