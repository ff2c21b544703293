// URL credential stripping (placeholder until implemented).
#include "url.h"
namespace buildinfo {
std::string strip_url_credentials(const std::string& url) { return url; }
}  // namespace buildinfo
