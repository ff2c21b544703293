// The id git gives a file's contents: the SHA-1 of "blob <size>", a zero
// byte and the bytes themselves, in hex
// (https://git-scm.com/book/en/v2/Git-Internals-Git-Objects, "Object
// Storage"). What the index holds for a tracked file that no filter
// changes, so the git-state check can tell a file touched from one edited.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace buildinfo {

// The blob id of the `size` bytes read from `fd`; nullopt when they cannot
// all be read, there are more, or `without_cr` and one of them is a CR.
std::optional<std::string> git_blob_id(int fd, int64_t size, bool without_cr = false);

}  // namespace buildinfo
