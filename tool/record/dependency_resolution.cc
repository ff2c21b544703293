// The build description's dependencies (see dependency_resolution.h).
#include "record/dependency_resolution.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "support/error.h"
#include "support/percent_encode.h"
#include "support/process.h"
#include "support/terminal_text.h"

namespace buildinfo {
namespace {

using nlohmann::json;

// A purl component: Debian's versions keep their ':' and '+'.
std::string percent_encode_purl(const std::string& text) { return percent_encode(text, kPurlKeeps); }

// 1:1.2.13.dfsg-1 -> 1.2.13.dfsg: Debian's version without its epoch and
// revision, for a dependency the build system gave no version.
std::string upstream_version(const std::string& version) {
  std::string v = version;
  if (const size_t colon = v.find(':'); colon != std::string::npos) v = v.substr(colon + 1);
  if (const size_t dash = v.rfind('-'); dash != std::string::npos) v = v.substr(0, dash);
  return v;
}

std::string text(const json& object, const char* key, const std::string& source) {
  const auto it = object.find(key);
  if (it == object.end()) return "";
  if (!it->is_string()) throw Error(ErrorKind::bad_input, source, std::string("field ") + key + " is not a string");
  return it->get<std::string>();
}

std::vector<std::string> texts(const json& object, const char* key, const std::string& source) {
  std::vector<std::string> out;
  const auto it = object.find(key);
  if (it == object.end()) return out;
  if (!it->is_array()) throw Error(ErrorKind::bad_input, source, std::string("field ") + key + " is not a list");
  for (const json& item : *it) {
    if (!item.is_string())
      throw Error(ErrorKind::bad_input, source, std::string("an entry of ") + key + " is not a string");
    out.push_back(item.get<std::string>());
  }
  return out;
}

// The real path of a library file: the package database lists the file a
// symlink such as libz.so (a -dev package's) finally names (zlib1g's).
std::string real_path(const std::string& file) {
  std::error_code error;
  const std::filesystem::path path = std::filesystem::canonical(file, error);
  return error ? file : path.string();
}

// "pkg:arch: /path" lines of `dpkg-query -S`, for the paths asked.
std::map<std::string, std::string> dpkg_search(const std::vector<std::string>& paths) {
  std::map<std::string, std::string> owners;
  if (paths.empty()) return owners;
  std::vector<std::string> argv = {"dpkg-query", "-S"};
  argv.insert(argv.end(), paths.begin(), paths.end());
  ProcessResult result;
  try {
    result = run_process(argv, "", ChildStderr::discard);  // paths no package owns are its complaint
  } catch (const Error&) {
    return owners;  // no dpkg: no Debian packages
  }
  std::istringstream lines(result.output);
  for (std::string line; std::getline(lines, line);) {
    const size_t separator = line.find(": ");
    if (separator == std::string::npos) continue;
    std::string package = line.substr(0, separator);
    if (const size_t comma = package.find(','); comma != std::string::npos) package.resize(comma);  // shared paths
    owners[line.substr(separator + 2)] = package;
  }
  return owners;
}

}  // namespace

std::string debian_purl(const DebianPackage& package, const std::string& id, const std::string& version_id) {
  const std::string distro = id.empty() ? "debian" : id;
  std::string purl = "pkg:deb/" + percent_encode_purl(distro) + "/" + percent_encode_purl(package.name) + "@" +
                     percent_encode_purl(package.version);
  std::string qualifiers;
  if (!package.architecture.empty()) qualifiers += "arch=" + percent_encode_purl(package.architecture);
  if (!id.empty() && !version_id.empty())
    qualifiers += (qualifiers.empty() ? "" : "&") + std::string("distro=") + percent_encode_purl(id + "-" + version_id);
  return qualifiers.empty() ? purl : purl + "?" + qualifiers;
}

std::vector<Dependency> resolve_dependencies(const std::string& description, const std::string& source,
                                             const ResolutionSources& sources) {
  json document;
  try {
    document = json::parse(description);
  } catch (const json::exception& e) {
    throw Error(ErrorKind::bad_input, source, std::string("not a build description: ") + e.what());
  }
  if (!document.is_object() || !document.contains("dependencies") || !document["dependencies"].is_array())
    throw Error(ErrorKind::bad_input, source, "not a build description: no \"dependencies\" list");
  const json states = document.value("vcs_states", json::object());
  if (!states.is_object()) throw Error(ErrorKind::bad_input, source, "vcs_states is not an object");

  struct Entry {
    Dependency dependency;
    std::vector<std::string> files, depends_on_names;
  };
  std::vector<Entry> entries;
  std::vector<std::string> all_files;
  for (const json& object : document["dependencies"]) {
    if (!object.is_object()) throw Error(ErrorKind::bad_input, source, "a dependency is not an object");
    Entry e;
    e.dependency.name = text(object, "name", source);
    e.dependency.version = text(object, "version", source);
    e.dependency.source = text(object, "source", source);
    e.dependency.linkage = text(object, "linkage", source);
    for (const std::string& file : texts(object, "files", source)) e.files.push_back(real_path(file));
    e.depends_on_names = texts(object, "depends", source);
    const std::string repository = text(object, "repository", source);
    if (!repository.empty() && states.contains(repository) && states[repository].is_string() && sources.vcs_state) {
      if (const auto state = sources.vcs_state(states[repository].get<std::string>())) {
        e.dependency.vcs_revision = state->first;
        e.dependency.vcs_modified = state->second ? "true" : "false";
      }
    }
    all_files.insert(all_files.end(), e.files.begin(), e.files.end());
    entries.push_back(std::move(e));
  }

  const std::map<std::string, DebianPackage> owners =
      sources.owners ? sources.owners(all_files) : std::map<std::string, DebianPackage>{};
  std::map<std::string, std::string> purl_of_name;
  for (Entry& e : entries) {
    for (const std::string& file : e.files) {
      const auto owner = owners.find(file);
      if (owner == owners.end()) continue;
      e.dependency.purl = debian_purl(owner->second, sources.distribution_id, sources.distribution_version);
      if (e.dependency.version.empty()) e.dependency.version = upstream_version(owner->second.version);
      break;
    }
    if (e.dependency.purl.empty()) e.dependency.purl = generic_purl(e.dependency.name, e.dependency.version);
    purl_of_name[e.dependency.name] = e.dependency.purl;
  }
  // Two entries with one package (OpenSSL's libssl and libcrypto are both
  // in libssl3) are one dependency.
  std::vector<Dependency> out;
  std::map<std::string, size_t> index_of_purl;
  for (Entry& e : entries) {
    Dependency d = e.dependency;
    const std::string& key = d.purl;
    for (const std::string& name : e.depends_on_names) {
      const auto purl = purl_of_name.find(name);
      if (purl != purl_of_name.end() && purl->second != d.purl) d.depends.push_back(purl->second);
    }
    const auto seen = index_of_purl.find(key);
    if (seen == index_of_purl.end()) {
      index_of_purl[key] = out.size();
      out.push_back(std::move(d));
    } else {
      Dependency& first = out[seen->second];
      for (const std::string& purl : d.depends)
        if (purl != first.purl) first.depends.push_back(purl);
    }
  }
  return out;
}

ResolutionSources system_sources() {
  ResolutionSources sources;
  sources.owners = [](const std::vector<std::string>& files) {
    std::map<std::string, DebianPackage> out;
    // Debian 12 keeps some packages' files under /lib, which /usr/lib
    // points to: ask for both spellings.
    std::vector<std::string> paths;
    for (const std::string& file : files) {
      paths.push_back(file);
      if (file.compare(0, 9, "/usr/lib/") == 0) paths.push_back(file.substr(4));
    }
    std::sort(paths.begin(), paths.end());
    paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
    const std::map<std::string, std::string> found = dpkg_search(paths);
    std::set<std::string> packages;
    for (const auto& [path, package] : found) packages.insert(package);
    if (packages.empty()) return out;
    std::vector<std::string> argv = {"dpkg-query", "-W", "-f", "${binary:Package}\\t${Version}\\t${Architecture}\\n"};
    argv.insert(argv.end(), packages.begin(), packages.end());
    std::map<std::string, DebianPackage> by_name;
    std::istringstream lines(run_process(argv).output);
    for (std::string line; std::getline(lines, line);) {
      std::istringstream fields(line);
      DebianPackage p;
      std::string qualified;
      if (!std::getline(fields, qualified, '\t') || !std::getline(fields, p.version, '\t') ||
          !std::getline(fields, p.architecture))
        continue;
      p.name = qualified.substr(0, qualified.find(':'));
      by_name[qualified] = p;
      by_name[p.name] = p;
    }
    for (const std::string& file : files) {
      for (const std::string& path : {file, file.compare(0, 9, "/usr/lib/") == 0 ? file.substr(4) : file}) {
        const auto package = found.find(path);
        if (package == found.end()) continue;
        const auto p = by_name.find(package->second);
        if (p != by_name.end()) out[file] = p->second;
        break;
      }
    }
    return out;
  };
  std::ifstream release("/etc/os-release");
  for (std::string line; std::getline(release, line);) {
    const size_t equals = line.find('=');
    if (equals == std::string::npos) continue;
    std::string value = line.substr(equals + 1);
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    if (line.compare(0, equals, "ID") == 0) sources.distribution_id = value;
    if (line.compare(0, equals, "VERSION_ID") == 0) sources.distribution_version = value;
  }
  return sources;
}

}  // namespace buildinfo
