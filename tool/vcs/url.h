// Repository URLs without secrets.
#pragma once

#include <string>

namespace buildinfo {

// Removes credentials from a repository URL: the password of any URL, the
// whole user part of http(s) URLs (it is often a token), and the query and
// fragment. scp-like `git@host:path` keeps its user, which is not a secret.
std::string strip_url_credentials(const std::string& url);

}  // namespace buildinfo
