// The parts every export shares (see export_subject.h).
#include "exports/export_subject.h"

#include <set>

namespace buildinfo {

std::string subject_purl(const ExportSubject& subject) {
  const std::string name = fact(subject.record, "project.name");
  return generic_purl(name.empty() ? subject.name : name, fact(subject.record, "project.version"));
}

std::vector<std::string> direct_dependencies(const ExportSubject& subject) {
  std::set<std::string> linked;
  for (const Dependency& d : subject.dependencies) linked.insert(d.depends.begin(), d.depends.end());
  std::vector<std::string> out;
  for (const Dependency& d : subject.dependencies)
    if (linked.count(d.purl) == 0) out.push_back(d.purl);
  return out;
}

}  // namespace buildinfo
