# The dependency inventory buildinfo_stamp() collects (FORMAT.md, "The
# dependency inventory"), for a consumer project as projects are written:
# it links Debian's ZLIB::ZLIB and OpenSSL::Crypto (find_package), a
# pkg-config module (expat, IMPORTED_TARGET) and a FetchContent sub-project
# from a repository the test creates. inspect --json lists all four, with
# the versions CMake found, the Debian packages dpkg-query names for their
# files (as purls), pkg-config's version, and the sub-project's HEAD; an
# edit in the sub-project makes it modified at the next build; a build
# with nothing changed collects nothing again; a changed byte in the
# inventory fails verify.
source "$SOURCE_ROOT/tests/e2e/common.sh"
require_tools pkg-config
command -v dpkg-query > /dev/null || skip "dpkg-query is missing: the Debian purls cannot be checked"
"$PKG_CONFIG" --exists expat || skip "expat's pkg-config module is missing (Debian: libexpat1-dev)"

make_keys
dep="$WORK/tinydep"
make_repo "$dep"
cat > "$dep/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.19)
project(tinydep VERSION 0.4.2 LANGUAGES C)
add_library(tinydep STATIC tinydep.c)
target_include_directories(tinydep PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
CMAKE
echo 'int tinydep_answer(void) { return 42; }' > "$dep/tinydep.c"
echo 'int tinydep_answer(void);' > "$dep/tinydep.h"
git -C "$dep" add -A
git -C "$dep" commit -qm "tinydep 0.4.2"
dep_head=$(git -C "$dep" rev-parse HEAD)

project="$WORK/consumer"
make_repo "$project"
cat > "$project/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.19)
project(consumer VERSION 1.0.0 LANGUAGES C)
add_subdirectory("$SOURCE_ROOT" buildinfo)
find_package(ZLIB REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(EXPAT REQUIRED IMPORTED_TARGET expat)
include(FetchContent)
FetchContent_Declare(tinydep GIT_REPOSITORY "file://$dep" GIT_TAG main)
FetchContent_MakeAvailable(tinydep)
add_executable(app main.c)
target_link_libraries(app ZLIB::ZLIB OpenSSL::Crypto PkgConfig::EXPAT tinydep)
buildinfo_stamp(app KEY "$WORK/keys/ed25519.key")
CMAKE
cat > "$project/main.c" <<'C'
#include <expat.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <zlib.h>
#include "tinydep.h"
int main(void) {
  printf("%s %s %s %d\n", zlibVersion(), OpenSSL_version(OPENSSL_VERSION), XML_ExpatVersion(), tinydep_answer());
  return 0;
}
C
build="$WORK/build"
cmake -S "$project" -B "$build" -G Ninja -DBUILDINFO_BUILD_TOOL=OFF -DBUILDINFO_TOOL="$BUILDINFO" -DBUILDINFO_TESTS=OFF \
  > "$WORK/configure.log" 2>&1 || { cat "$WORK/configure.log" >&2; fail "the consumer does not configure"; }
cmake --build "$build" > "$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; fail "the consumer does not build"; }
"$build/app" > /dev/null || fail "the consumer does not run"

# The Debian package that owns the library a file links, as dpkg-query says.
owner() {
  local file found
  file=$(readlink -f "$1")
  found=$(dpkg-query -S "$file" 2> /dev/null || dpkg-query -S "${file#/usr}" 2> /dev/null) || fail "no package owns $file"
  sed -n '1s/:.*//p' <<< "$found"
}
debian_purl() {  # PACKAGE
  local version arch
  version=$(dpkg-query -W -f '${Version}' "$1")
  arch=$(dpkg-query -W -f '${Architecture}' "$1")
  . /etc/os-release
  echo "pkg:deb/$ID/$1@$version?arch=$arch&distro=$ID-$VERSION_ID"
}
libdir=$(dirname "$("$PKG_CONFIG" --variable=libdir zlib)/x")
zlib_purl=$(debian_purl "$(owner "$libdir/libz.so")")
ssl_purl=$(debian_purl "$(owner "$libdir/libcrypto.so")")
expat_purl=$(debian_purl "$(owner "$("$PKG_CONFIG" --variable=libdir expat)/libexpat.so")")
# What find_package reports equals the modules' own versions.
zlib_version=$("$PKG_CONFIG" --modversion zlib)
ssl_version=$("$PKG_CONFIG" --modversion libcrypto)
expat_version=$("$PKG_CONFIG" --modversion expat)

expect_dependency() {  # JSON NAME FIELD VALUE
  local got
  got=$(jq -r --arg n "$2" --arg f "$3" '.dependencies[] | select(.name == $n) | getpath($f | split("."))' "$1")
  [ "$got" = "$4" ] || fail "inventory: $2's $3 is '$got', expected '$4'"
}
expect_inventory() {  # MODIFIED
  "$BUILDINFO" inspect --json "$build/app" > "$WORK/inspect.json" || fail "inspect of the consumer failed"
  expect_dependency "$WORK/inspect.json" ZLIB purl "$zlib_purl"
  expect_dependency "$WORK/inspect.json" ZLIB version "$zlib_version"
  expect_dependency "$WORK/inspect.json" ZLIB linkage shared
  expect_dependency "$WORK/inspect.json" ZLIB source find_package
  expect_dependency "$WORK/inspect.json" OpenSSL purl "$ssl_purl"
  expect_dependency "$WORK/inspect.json" OpenSSL version "$ssl_version"
  expect_dependency "$WORK/inspect.json" EXPAT purl "$expat_purl"
  expect_dependency "$WORK/inspect.json" EXPAT version "$expat_version"
  expect_dependency "$WORK/inspect.json" EXPAT source pkg-config
  expect_dependency "$WORK/inspect.json" tinydep version 0.4.2
  expect_dependency "$WORK/inspect.json" tinydep purl pkg:generic/tinydep@0.4.2
  expect_dependency "$WORK/inspect.json" tinydep linkage static
  expect_dependency "$WORK/inspect.json" tinydep source subproject
  expect_dependency "$WORK/inspect.json" tinydep vcs.revision "$dep_head"
  expect_dependency "$WORK/inspect.json" tinydep vcs.modified "$1"
  "$BUILDINFO" verify "$build/app" --key "$WORK/keys/ed25519.pub" > "$WORK/verify.txt" 2>&1 \
    || fail "verify of the consumer failed: $(cat "$WORK/verify.txt")"
  grep -q '^  ok    dependencies ' "$WORK/verify.txt" || fail "verify does not check the inventory: $(cat "$WORK/verify.txt")"
}
expect_inventory false
echo "inventory: $(jq -c '[.dependencies[] | "\(.name) \(.version // "") \(.purl)"]' "$WORK/inspect.json")"

# Nothing changed: the inventory is not collected again.
cmake --build "$build" > "$WORK/noop.log" 2>&1 || fail "the second build failed"
! grep -q 'dependencies of app' "$WORK/noop.log" || fail "a build with nothing changed collected the dependencies again"

# An edit in the sub-project's checkout: modified at the next build.
echo '/* local change */' >> "$build/_deps/tinydep-src/tinydep.c"
cmake --build "$build" > "$WORK/edit.log" 2>&1 || { cat "$WORK/edit.log" >&2; fail "the build after the edit failed"; }
expect_inventory true

# A changed byte in the inventory fails verify.
cp "$build/app" "$WORK/tampered"
offset=$(/usr/bin/python3 -c 'import sys; print(open(sys.argv[1], "rb").read().index(b"tinydep@0.4.2"))' "$WORK/tampered")
printf '9' | dd of="$WORK/tampered" bs=1 seek=$((offset + 10)) conv=notrunc 2> /dev/null
rc=0
"$BUILDINFO" verify "$WORK/tampered" --key "$WORK/keys/ed25519.pub" > "$WORK/tampered.txt" 2>&1 || rc=$?
[ "$rc" = 1 ] && grep -q 'FAIL  dependencies' "$WORK/tampered.txt" \
  || fail "verify of a changed inventory exited $rc: $(cat "$WORK/tampered.txt")"
# 200 imported packages, each linking the one before it: the space sized at
# configure time holds them, with every edge.
many="$WORK/many"
make_repo "$many"
{
  echo 'cmake_minimum_required(VERSION 3.19)'
  echo 'project(many VERSION 1.0 LANGUAGES C)'
  echo "add_subdirectory(\"$SOURCE_ROOT\" buildinfo)"
  for i in $(seq 1 200); do
    echo "add_library(package-with-a-long-name-$i::core INTERFACE IMPORTED)"
    echo "set(package-with-a-long-name-${i}_VERSION 1.$i.0-debian-revision-$i)"
    [ "$i" = 1 ] || echo "target_link_libraries(package-with-a-long-name-$i::core INTERFACE package-with-a-long-name-$((i - 1))::core)"
  done
  echo 'add_executable(app main.c)'
  echo 'target_link_libraries(app package-with-a-long-name-200::core)'
  echo 'buildinfo_stamp(app NO_SIGN)'
} > "$many/CMakeLists.txt"
echo 'int main(void) { return 0; }' > "$many/main.c"
cmake -S "$many" -B "$WORK/many-build" -G Ninja -DBUILDINFO_BUILD_TOOL=OFF -DBUILDINFO_TOOL="$BUILDINFO" \
  -DBUILDINFO_TESTS=OFF > "$WORK/many-configure.log" 2>&1 || { cat "$WORK/many-configure.log" >&2; fail "200 packages: configure failed"; }
cmake --build "$WORK/many-build" > "$WORK/many-build.log" 2>&1 || { cat "$WORK/many-build.log" >&2; fail "200 packages: build failed"; }
"$BUILDINFO" inspect --json "$WORK/many-build/app" > "$WORK/many.json" || fail "200 packages: inspect failed"
[ "$(jq '[.dependencies[] | select(.name | startswith("package-with-a-long-name-"))] | length' "$WORK/many.json")" = 200 ] \
  || fail "200 packages: the inventory lists $(jq '.dependencies | length' "$WORK/many.json")"
[ "$(jq -r '.dependencies[] | select(.name == "package-with-a-long-name-2") | .depends[0]' "$WORK/many.json")" = \
  "pkg:generic/package-with-a-long-name-1@1.1.0-debian-revision-1" ] || fail "200 packages: an edge is lost"
"$BUILDINFO" verify "$WORK/many-build/app" --allow-unsigned > /dev/null 2>&1 || fail "200 packages: verify failed"
echo "200 packages: $(grep -o 'BUILDINFO_DEFINE_DEPENDENCIES([0-9]*)' "$WORK/many-build/buildinfo/app-deps.c"), $(jq -c .record[\"deps.count\"] "$WORK/many.json") listed"
echo "ZLIB, OpenSSL, expat (pkg-config) and tinydep (FetchContent) with Debian purls and the sub-project's git state"
