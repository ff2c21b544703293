# lz4 (a C-only project: build/cmake, the lz4 CLI and liblz4 shared) with
# buildinfo through find_package: its own CMake files unchanged, plus the
# integration a maintainer would append. Built, stamped and signed, run
# printing its record, re-stamped by a commit with nothing recompiled or
# relinked, installed and verified; no C++ runtime in any binary. Then the
# same project cross-built for aarch64 (run under qemu) and Windows (run
# under wine) through an installed target runtime.
source "$SOURCE_ROOT/tests/realworld/common.sh"

require_fixture "realworld/lz4-*.tar.xz"
require_tools "${realworld_tools[@]}"
install_buildinfo
make_keys
src="$WORK/lz4"
unpack_into_repo "$src"

# The integration: stamp the CLI and the shared library, and let the CLI
# print its record.
write_print_source "$src/build/cmake/print_buildinfo.c"
cat >> "$src/build/cmake/CMakeLists.txt" <<'CMAKE'

# buildinfo: a signed build record in every binary.
find_package(buildinfo 0.1 CONFIG REQUIRED)
set(LZ4_BUILDINFO_KEY "" CACHE FILEPATH "Private key that signs the build records")
buildinfo_stamp(lz4cli KEY "${LZ4_BUILDINFO_KEY}")
target_sources(lz4cli PRIVATE "${CMAKE_CURRENT_LIST_DIR}/print_buildinfo.c")
if(TARGET lz4_shared)
  buildinfo_stamp(lz4_shared KEY "${LZ4_BUILDINFO_KEY}")
endif()
CMAKE
commit_all "$src" "buildinfo integration"
revision=$(git -C "$src" rev-parse HEAD)

# Native build.
build="$WORK/build"
cmake -S "$src/build/cmake" -B "$build" -G Ninja -DCMAKE_PREFIX_PATH="$WORK/prefix" \
  -DLZ4_BUILDINFO_KEY="$WORK/keys/ed25519.key" "${consumer_flags[@]}" > "$WORK/configure.log" 2>&1 \
  || { cat "$WORK/configure.log" >&2; fail "lz4 does not configure with the integration"; }
ninja -C "$build" > "$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; fail "lz4 does not build"; }
library=$(readlink -f "$build/liblz4.so")
expect_verified_files "$build/lz4" "$library"
PRINT_BUILDINFO=1 "$build/lz4" > "$WORK/print.txt" || fail "lz4 cannot print its record: $(cat "$WORK/print.txt")"
expect_module_record "$WORK/print.txt" lz4 "$revision"
grep -qx "  project.name=LZ4" "$WORK/print.txt.lf" && grep -qx "  project.version=1.10.0" "$WORK/print.txt.lf" \
  || fail "the record does not name lz4's project and version"
grep -qx "  compiler.id=GNU" "$WORK/print.txt.lf" || fail "the record does not name the C compiler"
for binary in "$build/lz4" "$library"; do expect_no_cxx_runtime "$binary"; done

# A commit: only the git-state check and the stamp steps run, and a build
# after it runs no stamp at all.
commit_all "$src" "second"
revision=$(git -C "$src" rev-parse HEAD)
ninja -C "$build" -d explain > "$WORK/commit.log" 2>&1 || { cat "$WORK/commit.log" >&2; fail "build after a commit failed"; }
expect_only_state_and_stamps "$WORK/commit.log" lz4cli lz4_shared
ninja -C "$build" -d explain > "$WORK/noop.log" 2>&1 || fail "no-op build failed"
expect_only_state_and_stamps "$WORK/noop.log"
PRINT_BUILDINFO=1 "$build/lz4" > "$WORK/print2.txt" || fail "lz4 cannot print its record after the commit"
expect_module_record "$WORK/print2.txt" lz4 "$revision"
expect_verified_files "$build/lz4" "$library"

# One target built alone in a fresh tree is stamped too.
cmake -S "$src/build/cmake" -B "$WORK/alone" -G Ninja -DCMAKE_PREFIX_PATH="$WORK/prefix" \
  -DLZ4_BUILDINFO_KEY="$WORK/keys/ed25519.key" "${consumer_flags[@]}" > "$WORK/alone.log" 2>&1 \
  && ninja -C "$WORK/alone" lz4 >> "$WORK/alone.log" 2>&1 || { cat "$WORK/alone.log" >&2; fail "ninja lz4 failed"; }
expect_verified_files "$WORK/alone/lz4"

# Install, then a commit and a second install: the installed files verify
# and carry the newest record.
cmake --install "$build" --prefix "$WORK/lz4-prefix" > "$WORK/install.log" 2>&1 \
  || { cat "$WORK/install.log" >&2; fail "cmake --install failed"; }
expect_verified_files "$WORK/lz4-prefix/bin/lz4" "$(readlink -f "$WORK/lz4-prefix/lib/liblz4.so")"
commit_all "$src" "third"
revision=$(git -C "$src" rev-parse HEAD)
ninja -C "$build" > "$WORK/build3.log" 2>&1 || fail "build after the third commit failed"
cmake --install "$build" --prefix "$WORK/lz4-prefix" > "$WORK/install2.log" 2>&1 || fail "second install failed"
expect_verified_files "$WORK/lz4-prefix/bin/lz4" "$(readlink -f "$WORK/lz4-prefix/lib/liblz4.so")"
PRINT_BUILDINFO=1 "$WORK/lz4-prefix/bin/lz4" > "$WORK/installed.txt" || fail "the installed lz4 cannot print its record"
expect_module_record "$WORK/installed.txt" lz4 "$revision"
echo "ok: native"

# Cross builds through find_package of an installed target runtime.
read -ra arm64_args < <(cross_args aarch64-linux-gnu)
cmake -S "$src/build/cmake" -B "$WORK/build-arm64" -G Ninja "${arm64_args[@]}" \
  -DLZ4_BUILDINFO_KEY="$WORK/keys/ed25519.key" > "$WORK/arm64.log" 2>&1 \
  && ninja -C "$WORK/build-arm64" >> "$WORK/arm64.log" 2>&1 || { cat "$WORK/arm64.log" >&2; fail "aarch64 build failed"; }
expect_verified_files "$WORK/build-arm64/lz4" "$(readlink -f "$WORK/build-arm64/liblz4.so")"
expect_no_cxx_runtime "$WORK/build-arm64/lz4" "$AARCH64_READELF"
PRINT_BUILDINFO=1 run_aarch64 "$WORK/build-arm64/lz4" > "$WORK/arm64.txt" \
  || fail "the aarch64 lz4 cannot print its record under qemu: $(cat "$WORK/arm64.txt")"
expect_module_record "$WORK/arm64.txt" lz4 "$revision"
grep -qx "  target.arch=arm64" "$WORK/arm64.txt.lf" || fail "the aarch64 record does not say arm64"
echo "ok: aarch64"

read -ra windows_args < <(cross_args x86_64-w64-mingw32)
cmake -S "$src/build/cmake" -B "$WORK/build-windows" -G Ninja "${windows_args[@]}" \
  -DLZ4_BUILDINFO_KEY="$WORK/keys/ed25519.key" > "$WORK/windows.log" 2>&1 \
  && ninja -C "$WORK/build-windows" >> "$WORK/windows.log" 2>&1 || { cat "$WORK/windows.log" >&2; fail "Windows build failed"; }
expect_verified_files "$WORK/build-windows/lz4.exe" "$WORK/build-windows/liblz4.dll"
expect_no_cxx_dlls "$WORK/build-windows/lz4.exe"
expect_no_cxx_dlls "$WORK/build-windows/liblz4.dll"
wine_prepare || fail "could not prepare a wine prefix"
PRINT_BUILDINFO=1 expect_windows_run "$WORK/build-windows/lz4.exe" "$WORK/windows.txt"
expect_module_record "$WORK/windows.txt" lz4.exe "$revision"
grep -qx "  target.os=windows" "$WORK/windows.txt.lf" || fail "the Windows record does not say windows"
echo "ok: windows"
