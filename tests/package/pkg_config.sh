# pkg-config from any prefix: buildinfo.pc is relocatable (${pcfiledir}),
# so an install tree moved elsewhere still works; a plain `cc main.c
# $(pkg-config --cflags --libs buildinfo)` links a C program that reads its
# record with nothing but libc, and the same flags compile the C++ headers.
source "$SOURCE_ROOT/tests/e2e/common.sh"

require_tools pkg-config
install_buildinfo
cp -r "$WORK/prefix" "$WORK/moved"
rm -rf "$WORK/prefix"
export PKG_CONFIG_PATH="$WORK/moved/lib/pkgconfig"
! grep -q "$WORK/prefix" "$WORK/moved/lib/pkgconfig/buildinfo.pc" || fail "buildinfo.pc holds the install prefix"
[ "$(pkg-config --variable=buildinfo_tool buildinfo)" -ef "$WORK/moved/bin/buildinfo" ] \
  || fail "buildinfo.pc's tool is $(pkg-config --variable=buildinfo_tool buildinfo)"
make_repo "$WORK/repo"

cat > "$WORK/main.c" <<'C'
#include <stdio.h>
#include "buildinfo/buildinfo.h"
int main(void) {
  printf("%s\n", buildinfo_status_text(buildinfo_status()));
  return 0;
}
C
# The flags are words. This build's own flags come first (the sanitizers',
# under the sanitize preset: its runtime archive needs them at link time).
# shellcheck disable=SC2046,SC2086
cc ${CONSUMER_C_FLAGS:-} -o "$WORK/c-app" "$WORK/main.c" $(pkg-config --cflags --libs buildinfo) \
  ${CONSUMER_LINKER_FLAGS:-} || fail "cc cannot link with pkg-config's flags"
"$WORK/moved/bin/buildinfo" stamp "$WORK/c-app" --no-sign --source-dir "$WORK/repo" -q || fail "the moved tool cannot stamp"
[ "$("$WORK/c-app")" = ok ] || fail "the C program does not read its record"
! readelf -d "$WORK/c-app" | matches 'libstdc++' || fail "the C program needs libstdc++"

cat > "$WORK/main.cc" <<'CXX'
#include <cstdio>
#include "buildinfo/buildinfo.hpp"
#include "buildinfo/modules.hpp"
#include "buildinfo/otel.hpp"
int main() {
  std::printf("%zu\n", buildinfo::resource_attributes().size());
  return buildinfo::read().stamped() ? 1 : 0;
}
CXX
# shellcheck disable=SC2046,SC2086
c++ ${CONSUMER_CXX_FLAGS:-} -o "$WORK/cxx-app" "$WORK/main.cc" $(pkg-config --cflags --libs buildinfo) \
  ${CONSUMER_LINKER_FLAGS:-} || fail "c++ cannot build with pkg-config's flags"
"$WORK/cxx-app" > /dev/null || fail "the unstamped C++ program reads a stamped record"
echo ok
