// printable(): what reaches the terminal from a file.
#include <doctest/doctest.h>

#include "support/terminal_text.h"

using buildinfo::printable;

TEST_CASE("printable: ASCII and well-formed UTF-8 are kept") {
  CHECK(printable("vcs.revision 0123abcd") == "vcs.revision 0123abcd");
  CHECK(printable("J\xc3\xbcrgen \xe2\x82\xac \xf0\x9f\x93\xa6") == "J\xc3\xbcrgen \xe2\x82\xac \xf0\x9f\x93\xa6");
  CHECK(printable("") == "");
}

TEST_CASE("printable: control bytes become \\xNN") {
  CHECK(printable("a\x1b[2Jb") == "a\\x1b[2Jb");
  CHECK(printable("line\nnext\r\t") == "line\\x0anext\\x0d\\x09");
  CHECK(printable(std::string("nul\0end", 7)) == "nul\\x00end");
  CHECK(printable("del\x7f") == "del\\x7f");
}

TEST_CASE("printable: bytes that are not UTF-8 become \\xNN one by one") {
  CHECK(printable("\xff\xfe") == "\\xff\\xfe");
  CHECK(printable("\xc3") == "\\xc3");                             // truncated
  CHECK(printable("\xc0\xaf") == "\\xc0\\xaf");                    // overlong '/'
  CHECK(printable("\xe0\x80\xaf") == "\\xe0\\x80\\xaf");           // overlong, 3 bytes
  CHECK(printable("\xed\xa0\x80") == "\\xed\\xa0\\x80");           // a surrogate
  CHECK(printable("\xf4\x90\x80\x80") == "\\xf4\\x90\\x80\\x80");  // above U+10FFFF
  CHECK(printable("\xe2\x82") == "\\xe2\\x82");
}

TEST_CASE("printable: C1 controls and bidirectional overrides become \\uNNNN") {
  CHECK(printable("\xc2\x9b"
                  "31m") == "\\u009b31m");  // CSI
  CHECK(printable("abc\xe2\x80\xae"
                  "fed") == "abc\\u202efed");
  CHECK(printable("\xe2\x81\xa6x\xe2\x81\xa9") == "\\u2066x\\u2069");
  CHECK(printable("\xc2\xa0") == "\xc2\xa0");  // no-break space is printable
}
