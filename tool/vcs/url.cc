// Credential stripping for repository URLs (vcs.repository.url).
#include "vcs/url.h"

#include <cctype>

namespace buildinfo {
namespace {

// RFC 3986 section 3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
bool is_scheme(const std::string& text) {
  if (text.empty() || !std::isalpha(static_cast<unsigned char>(text[0]))) return false;
  for (const char c : text) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return false;
  }
  return true;
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Everything before the first '?' or '#': the query and fragment may hold tokens.
std::string without_query_and_fragment(const std::string& text) { return text.substr(0, text.find_first_of("?#")); }

}  // namespace

std::string strip_url_credentials(const std::string& url) {
  const size_t scheme_end = url.find("://");
  // No scheme: a plain path or scp-like `user@host:path`, whose user is not a
  // secret (git-clone(1) "GIT URLS"). Left as is.
  if (scheme_end == std::string::npos || !is_scheme(url.substr(0, scheme_end))) return url;

  const std::string scheme = url.substr(0, scheme_end);
  const size_t authority_begin = scheme_end + 3;
  // The authority ends at the first '/', not at '?' or '#' as RFC 3986 says:
  // a hand-written password may hold an unencoded '?' or '#', and cutting
  // there would leave the rest of it in the output.
  size_t authority_end = url.find('/', authority_begin);
  if (authority_end == std::string::npos) authority_end = url.size();
  std::string authority = url.substr(authority_begin, authority_end - authority_begin);

  // The last '@' ends the userinfo, so a password with an unencoded '@' goes too.
  std::string user;
  const size_t at = authority.rfind('@');
  if (at != std::string::npos) {
    const std::string userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    // http(s) user names are often access tokens (`https://TOKEN@host/`);
    // other schemes (ssh://git@host/) keep the user and lose the password.
    const std::string lowered = lower(scheme);
    if (lowered != "http" && lowered != "https") user = userinfo.substr(0, userinfo.find(':'));
  }

  std::string result = scheme + "://";
  if (!user.empty()) result += user + "@";
  result += without_query_and_fragment(authority);
  // A '?' or '#' in the authority already started the query or fragment.
  if (authority.find_first_of("?#") == std::string::npos)
    result += without_query_and_fragment(url.substr(authority_end));
  return result;
}

}  // namespace buildinfo
