# A `LANGUAGES C` project and a `LANGUAGES CXX` project, each bringing
# buildinfo in with add_subdirectory() and with find_package(): they
# configure, build, stamp and print their record, the C program with no C++
# runtime. The C project links with the plain target_link_libraries()
# signature, the C++ one with the keyword signature.
source "$SOURCE_ROOT/tests/e2e/common.sh"

install_buildinfo
make_repo "$WORK/repo"
revision=$(git -C "$WORK/repo" rev-parse HEAD)

# Writes project $1 (C or CXX) into $WORK/$1-project, using buildinfo by
# $2 (add_subdirectory or find_package).
write_project() {
  local language=$1 way=$2 dir="$WORK/$1-$2"
  mkdir -p "$dir"
  local bring
  if [ "$way" = add_subdirectory ]; then
    bring="add_subdirectory(\"$SOURCE_ROOT\" buildinfo)"
  else
    bring="find_package(buildinfo 0.1 CONFIG REQUIRED)"
  fi
  if [ "$language" = C ]; then
    cat > "$dir/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.16)
project(only_c VERSION 3.2.1 LANGUAGES C)
$bring
add_library(helper STATIC helper.c)
add_executable(app main.c)
target_link_libraries(app helper)
buildinfo_stamp(app NO_SIGN SOURCE_DIR "$WORK/repo")
CMAKE
    echo 'int helper(void) { return 0; }' > "$dir/helper.c"
    cat > "$dir/main.c" <<'C'
#include <stdio.h>
#include "buildinfo/buildinfo.h"
int helper(void);
int main(void) {
  const char* revision = buildinfo_get("vcs.revision");
  printf("status=%s\nrevision=%s\nproject=%s %s\n", buildinfo_status_text(buildinfo_status()),
         revision ? revision : "", buildinfo_get("project.name"), buildinfo_get("project.version"));
  return helper();
}
C
  else
    cat > "$dir/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.16)
project(only_cxx VERSION 4.5.6 LANGUAGES CXX)
$bring
add_executable(app main.cc)
target_link_libraries(app PRIVATE)
buildinfo_stamp(app NO_SIGN SOURCE_DIR "$WORK/repo" PROJECT_NAME renamed PROJECT_VERSION 9.9.9)
CMAKE
    cat > "$dir/main.cc" <<'CXX'
#include <cstdio>
#include "buildinfo/buildinfo.hpp"
int main() {
  const buildinfo::record r = buildinfo::read();
  std::printf("status=%s\nrevision=%.*s\nproject=%.*s %.*s\n", buildinfo::to_string(r.state()).data(),
              int(r.revision().size()), r.revision().data(), int(r.get("project.name").size()),
              r.get("project.name").data(), int(r.project_version().size()), r.project_version().data());
}
CXX
  fi
  echo "$dir"
}

for way in add_subdirectory find_package; do
  # With add_subdirectory, the tool this build made stamps (instead of a
  # second build of it): the runtime is what the project builds.
  extra=(-DCMAKE_PREFIX_PATH="$WORK/prefix")
  [ "$way" = add_subdirectory ] && extra=(-DBUILDINFO_BUILD_TOOL=OFF -DBUILDINFO_TOOL="$BUILDINFO")
  for language in C CXX; do
    dir=$(write_project "$language" "$way")
    cmake -S "$dir" -B "$dir/build" -G Ninja "${extra[@]}" "${consumer_flags[@]}" \
      > "$dir.configure.log" 2>&1 || { cat "$dir.configure.log" >&2; fail "$language project with $way: configure failed"; }
    cmake --build "$dir/build" > "$dir.build.log" 2>&1 || { cat "$dir.build.log" >&2; fail "$language project with $way: build failed"; }
    "$dir/build/app" > "$dir.out" || fail "$language project with $way: the program failed"
    grep -qx "status=ok" "$dir.out" && grep -qx "revision=$revision" "$dir.out" \
      || fail "$language project with $way: the program does not print its record: $(cat "$dir.out")"
    if [ "$language" = C ]; then
      grep -qx "project=only_c 3.2.1" "$dir.out" || fail "C project: wrong project facts: $(cat "$dir.out")"
      ! readelf -d "$dir/build/app" | matches 'libstdc++' || fail "the C program with $way needs libstdc++"
      grep -q "Linking C executable" "$dir.build.log" || fail "the C program with $way was not linked as C"
    else
      grep -qx "project=renamed 9.9.9" "$dir.out" || fail "PROJECT_NAME/PROJECT_VERSION do not override: $(cat "$dir.out")"
    fi
    echo "ok: $language with $way"
  done
done
