// Credential stripping of repository URLs.
#include <doctest/doctest.h>

#include "vcs/url.h"

using buildinfo::strip_url_credentials;

TEST_CASE("url: http(s) loses the whole user part") {
  CHECK(strip_url_credentials("https://user:pass@host/p") == "https://host/p");
  CHECK(strip_url_credentials("https://TOKEN@host/p") == "https://host/p");
  CHECK(strip_url_credentials("http://x-access-token:ghp_abc@github.com/org/repo.git") ==
        "http://github.com/org/repo.git");
  CHECK(strip_url_credentials("HTTPS://user@host") == "HTTPS://host");
  CHECK(strip_url_credentials("https://u:p@[::1]:8443/repo") == "https://[::1]:8443/repo");
}

TEST_CASE("url: ssh and other schemes keep the user and lose the password") {
  CHECK(strip_url_credentials("ssh://git:pw@host/p") == "ssh://git@host/p");
  CHECK(strip_url_credentials("ssh://git@host:2222/p.git") == "ssh://git@host:2222/p.git");
  CHECK(strip_url_credentials("git+ssh://me:secret@host/p") == "git+ssh://me@host/p");
  CHECK(strip_url_credentials("ssh://:pw@host/p") == "ssh://host/p");
  CHECK(strip_url_credentials("ftp://anon:mail@host/p") == "ftp://anon@host/p");
}

TEST_CASE("url: a password holding '@', '?' or '#' goes entirely") {
  CHECK(strip_url_credentials("https://user:p@ss@host/p") == "https://host/p");
  CHECK(strip_url_credentials("ssh://git:p@ss@host/p") == "ssh://git@host/p");
  CHECK(strip_url_credentials("https://user:pa#ss@host/p") == "https://host/p");
  CHECK(strip_url_credentials("https://user:pa?ss@host/p") == "https://host/p");
}

TEST_CASE("url: query and fragment are removed") {
  CHECK(strip_url_credentials("https://host/p.git?token=abc") == "https://host/p.git");
  CHECK(strip_url_credentials("https://host/p#frag") == "https://host/p");
  CHECK(strip_url_credentials("https://host?token=abc") == "https://host");
  CHECK(strip_url_credentials("https://host#x/y") == "https://host");
  CHECK(strip_url_credentials("https://u:p@host/p?token=abc#f") == "https://host/p");
}

TEST_CASE("url: scp-like addresses, file URLs and paths are unchanged") {
  CHECK(strip_url_credentials("git@github.com:org/repo.git") == "git@github.com:org/repo.git");
  CHECK(strip_url_credentials("file:///srv/git/repo.git") == "file:///srv/git/repo.git");
  CHECK(strip_url_credentials("/srv/git/repo.git") == "/srv/git/repo.git");
  CHECK(strip_url_credentials("../repo") == "../repo");
  CHECK(strip_url_credentials("C:\\src\\repo") == "C:\\src\\repo");
  CHECK(strip_url_credentials("") == "");
  CHECK(strip_url_credentials("git://host/p.git") == "git://host/p.git");
  // "://" after something that is not a scheme: a path, left alone.
  CHECK(strip_url_credentials("/odd/dir://x@y") == "/odd/dir://x@y");
}
