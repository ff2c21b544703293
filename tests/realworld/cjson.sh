# cJSON (top-level CMakeLists: C89 with -Werror and strict warnings, the
# plain target_link_libraries signature, shared libcjson and libcjson_utils,
# test executables that link them) with buildinfo through find_package, its
# CMake files unchanged plus the integration a maintainer would append.
# Built, stamped and signed, run printing its records (the program's and the
# library's), re-stamped by a commit with none of the executables that link
# the library relinked, installed (which rewrites libcjson_utils' RPATH) and
# verified; an RPATH changed by anyone else fails verify. Then cross-built
# for aarch64 (qemu) and Windows (wine) through an installed target runtime.
source "$SOURCE_ROOT/tests/realworld/common.sh"

require_fixture "realworld/cJSON-*.tar.xz"
require_tools "${realworld_tools[@]}"
install_buildinfo
make_keys
src="$WORK/cJSON"
unpack_into_repo "$src"

write_print_source "$src/print_buildinfo.c"
cat >> "$src/CMakeLists.txt" <<'CMAKE'

# buildinfo: a signed build record in every binary.
find_package(buildinfo 0.1 CONFIG REQUIRED)
set(CJSON_BUILDINFO_KEY "" CACHE FILEPATH "Private key that signs the build records")
buildinfo_stamp("${CJSON_LIB}" KEY "${CJSON_BUILDINFO_KEY}")
if(ENABLE_CJSON_UTILS)
  buildinfo_stamp("${CJSON_UTILS_LIB}" KEY "${CJSON_BUILDINFO_KEY}")
endif()
if(ENABLE_CJSON_TEST)
  buildinfo_stamp("${TEST_CJSON}" KEY "${CJSON_BUILDINFO_KEY}")
  target_sources("${TEST_CJSON}" PRIVATE print_buildinfo.c)
endif()
CMAKE
commit_all "$src" "buildinfo integration"
revision=$(git -C "$src" rev-parse HEAD)

# cJSON computes absolute install directories at configure time, so the
# prefix is given then (cmake --install --prefix would not move them).
build="$WORK/build"
cmake -S "$src" -B "$build" -G Ninja -DCMAKE_PREFIX_PATH="$WORK/prefix" -DENABLE_CJSON_UTILS=ON \
  -DCMAKE_INSTALL_PREFIX="$WORK/cjson-prefix" -DCJSON_BUILDINFO_KEY="$WORK/keys/ed25519.key" \
  "${consumer_flags[@]}" > "$WORK/configure.log" 2>&1 \
  || { cat "$WORK/configure.log" >&2; fail "cJSON does not configure with the integration"; }
ninja -C "$build" > "$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; fail "cJSON does not build"; }
libcjson=$(readlink -f "$build/libcjson.so")
libutils=$(readlink -f "$build/libcjson_utils.so")
expect_verified_files "$build/cJSON_test" "$libcjson" "$libutils"
for binary in "$build/cJSON_test" "$libcjson" "$libutils"; do expect_no_cxx_runtime "$binary"; done
PRINT_BUILDINFO=1 "$build/cJSON_test" > "$WORK/print.txt" || fail "cJSON_test cannot print its records: $(cat "$WORK/print.txt")"
expect_module_record "$WORK/print.txt" cJSON_test "$revision"
expect_module_record "$WORK/print.txt" libcjson.so.1 "$revision"
grep -qx "  project.name=cJSON" "$WORK/print.txt.lf" && grep -qx "  project.version=1.7.19" "$WORK/print.txt.lf" \
  || fail "the records do not name cJSON's project and version"
# The project's own tests still pass.
(cd "$build" && ctest --output-on-failure > "$WORK/cjson-ctest.log" 2>&1) \
  || { cat "$WORK/cjson-ctest.log" >&2; fail "cJSON's own tests fail with the integration"; }

# A commit re-stamps the two libraries and cJSON_test; none of the
# executables that link libcjson relinks, then and at the next build.
linkers=$(grep -c "Linking C executable" "$WORK/build.log")
[ "$linkers" -ge 10 ] || fail "expected the many cJSON executables that link libcjson, found $linkers"
commit_all "$src" "second"
revision=$(git -C "$src" rev-parse HEAD)
ninja -C "$build" -d explain > "$WORK/commit.log" 2>&1 || { cat "$WORK/commit.log" >&2; fail "build after a commit failed"; }
expect_only_state_and_stamps "$WORK/commit.log" cjson cjson_utils cJSON_test
# One git-state step for the repository, not one per stamped target, shown
# with a short description.
[ "$(grep -c "buildinfo: git state of cJSON$" "$WORK/commit.log")" = 1 ] \
  || fail "the git state is not checked exactly once per build: $(grep -c "git state" "$WORK/commit.log") times"
ninja -C "$build" -d explain > "$WORK/noop.log" 2>&1 || fail "no-op build failed"
expect_only_state_and_stamps "$WORK/noop.log"
PRINT_BUILDINFO=1 "$build/cJSON_test" > "$WORK/print2.txt" || fail "cJSON_test cannot print its records after the commit"
expect_module_record "$WORK/print2.txt" libcjson.so.1 "$revision"

# Install: libcjson_utils links libcjson, so install rewrites its RPATH;
# every installed library verifies.
cmake --install "$build" > "$WORK/install.log" 2>&1 || { cat "$WORK/install.log" >&2; fail "cmake --install failed"; }
grep -q 'Set runtime path of ".*libcjson_utils' "$WORK/install.log" \
  || fail "install did not rewrite libcjson_utils' RPATH, so this test no longer covers it"
installed=("$(readlink -f "$WORK/cjson-prefix/lib/libcjson.so")" "$(readlink -f "$WORK/cjson-prefix/lib/libcjson_utils.so")")
expect_verified_files "${installed[@]}"

# Someone else's RPATH change fails verify (image).
cp "$build/cJSON_test" "$WORK/rpath-changed"
echo 'file(RPATH_CHANGE FILE "${FILE}" OLD_RPATH "${OLD}" NEW_RPATH "/opt/x")' > "$WORK/rpath.cmake"
cmake -DFILE="$WORK/rpath-changed" -DOLD="$build" -P "$WORK/rpath.cmake" > "$WORK/rpath.log" 2>&1 \
  || { cat "$WORK/rpath.log" >&2; fail "cannot change the RPATH"; }
rc=0
"$BUILDINFO" verify "$WORK/rpath-changed" --key "$WORK/keys/ed25519.pub" > "$WORK/rpath.txt" 2>&1 || rc=$?
[ "$rc" = 1 ] && grep -q "FAIL  image" "$WORK/rpath.txt" || fail "an RPATH change went unnoticed (exit $rc): $(cat "$WORK/rpath.txt")"
echo "ok: native"

# Cross builds: the library and cJSON_test are what runs.
read -ra arm64_args < <(cross_args aarch64-linux-gnu)
cmake -S "$src" -B "$WORK/build-arm64" -G Ninja "${arm64_args[@]}" -DCJSON_BUILDINFO_KEY="$WORK/keys/ed25519.key" \
  > "$WORK/arm64.log" 2>&1 && ninja -C "$WORK/build-arm64" >> "$WORK/arm64.log" 2>&1 \
  || { cat "$WORK/arm64.log" >&2; fail "aarch64 build failed"; }
expect_verified_files "$WORK/build-arm64/cJSON_test" "$(readlink -f "$WORK/build-arm64/libcjson.so")"
expect_no_cxx_runtime "$WORK/build-arm64/cJSON_test" "$AARCH64_READELF"
PRINT_BUILDINFO=1 run_aarch64 "$WORK/build-arm64/cJSON_test" > "$WORK/arm64.txt" \
  || fail "the aarch64 cJSON_test cannot print its records under qemu: $(cat "$WORK/arm64.txt")"
expect_module_record "$WORK/arm64.txt" cJSON_test "$revision"
expect_module_record "$WORK/arm64.txt" libcjson.so.1 "$revision"
echo "ok: aarch64"

# cJSON's own unity tests do not compile with MinGW under its -Werror flags
# ("ISO C90 does not support long long"), so only the library and
# cJSON_test are built, the one target a user would ask for.
read -ra windows_args < <(cross_args x86_64-w64-mingw32)
cmake -S "$src" -B "$WORK/build-windows" -G Ninja "${windows_args[@]}" -DCJSON_BUILDINFO_KEY="$WORK/keys/ed25519.key" \
  > "$WORK/windows.log" 2>&1 && ninja -C "$WORK/build-windows" cJSON_test >> "$WORK/windows.log" 2>&1 \
  || { cat "$WORK/windows.log" >&2; fail "Windows build failed"; }
expect_verified_files "$WORK/build-windows/cJSON_test.exe" "$WORK/build-windows/libcjson.dll"
expect_no_cxx_dlls "$WORK/build-windows/cJSON_test.exe"
expect_no_cxx_dlls "$WORK/build-windows/libcjson.dll"
wine_prepare || fail "could not prepare a wine prefix"
# cJSON builds with -fstack-protector-strong, which MinGW implements in
# libssp-0.dll: wine finds it in the compiler's folder.
ssp_dir=$(dirname "$("$MINGW_TRIPLE-gcc-posix" -print-file-name=libssp-0.dll)")
PRINT_BUILDINFO=1 WINEPATH="$ssp_dir" expect_windows_run "$WORK/build-windows/cJSON_test.exe" "$WORK/windows.txt"
expect_module_record "$WORK/windows.txt" cJSON_test.exe "$revision"
expect_module_record "$WORK/windows.txt" libcjson.dll "$revision"
echo "ok: windows"
