// Dependency constraints (see dependency_policy.h).
#include "record/dependency_policy.h"

#include <algorithm>
#include <cctype>

#include "support/error.h"
#include "support/terminal_text.h"

namespace buildinfo {
namespace {

// dpkg's order of one character of a non-digit run: '~' first, then the
// end of the run, then letters, then everything else.
int order(char c) {
  if (c == '~') return -1;
  if (std::isdigit(static_cast<unsigned char>(c))) return 0;
  if (c == '\0') return 0;
  if (std::isalpha(static_cast<unsigned char>(c))) return c;
  return c + 256;
}

int compare_part(const std::string& a, const std::string& b) {
  size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    int first_difference = 0;
    while ((i < a.size() && !std::isdigit(static_cast<unsigned char>(a[i]))) ||
           (j < b.size() && !std::isdigit(static_cast<unsigned char>(b[j])))) {
      const int ac = order(i < a.size() ? a[i] : '\0');
      const int bc = order(j < b.size() ? b[j] : '\0');
      if (ac != bc) return ac - bc;
      ++i;
      ++j;
    }
    while (i < a.size() && a[i] == '0') ++i;
    while (j < b.size() && b[j] == '0') ++j;
    while (i < a.size() && std::isdigit(static_cast<unsigned char>(a[i])) && j < b.size() &&
           std::isdigit(static_cast<unsigned char>(b[j]))) {
      if (first_difference == 0) first_difference = a[i] - b[j];
      ++i;
      ++j;
    }
    if (i < a.size() && std::isdigit(static_cast<unsigned char>(a[i]))) return 1;
    if (j < b.size() && std::isdigit(static_cast<unsigned char>(b[j]))) return -1;
    if (first_difference != 0) return first_difference;
  }
  return 0;
}

struct Parts {
  std::string epoch;  // digits without leading zeros: compared as a number of any size
  std::string upstream, revision;
};

Parts split(const std::string& version) {
  Parts p;
  std::string rest = version;
  const size_t colon = rest.find(':');
  if (colon != std::string::npos && colon > 0 && rest.find_first_not_of("0123456789") == colon) {
    p.epoch = rest.substr(0, colon);
    p.epoch.erase(0, std::min(p.epoch.find_first_not_of('0'), p.epoch.size()));
    rest = rest.substr(colon + 1);
  }
  const size_t dash = rest.rfind('-');
  p.upstream = dash == std::string::npos ? rest : rest.substr(0, dash);
  p.revision = dash == std::string::npos ? "" : rest.substr(dash + 1);
  return p;
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// The name and version of a purl: pkg:TYPE/NAMESPACE/NAME@VERSION?...
std::pair<std::string, std::string> purl_name_version(const std::string& purl) {
  std::string rest = purl.substr(0, purl.find_first_of("?#"));
  std::string version;
  if (const size_t at = rest.rfind('@'); at != std::string::npos) {
    version = rest.substr(at + 1);
    rest = rest.substr(0, at);
  }
  return {rest.substr(rest.rfind('/') + 1), version};
}

bool satisfies(const std::string& version, const DependencyConstraint& c) {
  if (c.op.empty()) return true;
  const int cmp = compare_versions(version, c.version);
  if (c.op == "=" || c.op == "==") return cmp == 0;
  if (c.op == "!=") return cmp != 0;
  if (c.op == "<") return cmp < 0;
  if (c.op == "<=") return cmp <= 0;
  if (c.op == ">") return cmp > 0;
  return cmp >= 0;  // >=
}

}  // namespace

int compare_versions(const std::string& a, const std::string& b) {
  const Parts pa = split(a), pb = split(b);
  if (pa.epoch.size() != pb.epoch.size()) return pa.epoch.size() < pb.epoch.size() ? -1 : 1;
  if (pa.epoch != pb.epoch) return pa.epoch < pb.epoch ? -1 : 1;
  if (const int upstream = compare_part(pa.upstream, pb.upstream); upstream != 0) return upstream;
  return compare_part(pa.revision, pb.revision);
}

DependencyConstraint parse_dependency_constraint(const std::string& text, const std::string& option) {
  DependencyConstraint c;
  c.text = text;
  const size_t op = text.find_first_of("=!<>");
  c.name = text.substr(0, op);
  if (op != std::string::npos) {
    const size_t version = text.find_first_not_of("=!<>", op);
    c.op = text.substr(op, version == std::string::npos ? std::string::npos : version - op);
    c.version = version == std::string::npos ? "" : text.substr(version);
  }
  static const char* ops[] = {"", "=", "==", "!=", "<", "<=", ">", ">="};
  bool known = false;
  for (const char* o : ops) known = known || c.op == o;
  if (c.name.empty() || !known || (!c.op.empty() && c.version.empty()))
    throw Error(ErrorKind::bad_input, option + " '" + printable(text) +
                                          "' is not NAME or NAME followed by =, !=, <, <=, >, >= and a version");
  return c;
}

std::vector<ConstraintMatch> match_constraint(const DependencyConstraint& constraint,
                                              const std::vector<Dependency>& dependencies) {
  std::vector<ConstraintMatch> out;
  const std::string name = lower(constraint.name);
  for (const Dependency& d : dependencies) {
    if (lower(d.name) == name) {
      out.push_back({&d, d.version, satisfies(d.version, constraint)});
      continue;
    }
    const auto [package, version] = purl_name_version(d.purl);
    if (lower(package) == name) out.push_back({&d, version, satisfies(version, constraint)});
  }
  return out;
}

}  // namespace buildinfo
