# Shared libraries and plugins: an executable, a shared library and a plugin
# stamped from three repositories at different revisions. Each module's own
# read() returns its own revision, for_each_module() lists the executable and
# the library with their paths, and the plugin once it is loaded: natively
# (linked by GNU ld, and by mold, which merges 8- and 4-aligned notes into
# one PT_NOTE segment), under qemu (aarch64) and under wine (two DLLs). Each
# .so and .dll verifies, and a flipped byte in a library's code fails
# verification; mold's executable without section headers verifies and
# lists itself. Mach-O: a stamped .dylib verifies and a flipped code byte
# fails (no macOS to run it).
source "$SOURCE_ROOT/tests/e2e/common.sh"
require_tools mold llvm-objcopy aarch64-g++ aarch64-binutils qemu-aarch64 mingw-g++ wine clang ld64.lld

make_keys
for name in app core plugin; do
  make_repo "$WORK/repo-$name"
  # Different histories, so different revisions.
  echo "$name" > "$WORK/repo-$name/$name.txt"
  git -C "$WORK/repo-$name" add "$name.txt"
  git -C "$WORK/repo-$name" commit -q -m "$name"
  declare "revision_$name=$(git -C "$WORK/repo-$name" rev-parse HEAD)"
done

# Configures and builds the project in $WORK/build-$1 with the remaining
# cmake arguments, then runs its test and keeps the program's output.
build_and_run() {
  local name=$1
  shift
  local dir="$WORK/build-$name"
  cmake -S "$SOURCE_ROOT/tests/programs/modules" -B "$dir" -G Ninja -DBUILDINFO_SOURCE_DIR="$SOURCE_ROOT" \
    -DAPP_REPO="$WORK/repo-app" -DCORE_REPO="$WORK/repo-core" -DPLUGIN_REPO="$WORK/repo-plugin" \
    -DMODULES_KEY="$WORK/keys/ed25519.key" -DBUILDINFO_TESTS=OFF -DBUILDINFO_BUILD_TOOL=OFF \
    -DBUILDINFO_TOOL="$BUILDINFO" "$@" > "$dir.configure.log" 2>&1 \
    || { cat "$dir.configure.log" >&2; fail "$name: configure failed"; }
  cmake --build "$dir" > "$dir.build.log" 2>&1 || { cat "$dir.build.log" >&2; fail "$name: build failed"; }
  (cd "$dir" && ctest -V > "$dir.ctest.log" 2>&1) || { cat "$dir.ctest.log" >&2; fail "$name: the program failed"; }
  # ctest -V prefixes each output line with "<test number>: ".
  tr -d '\r' < "$dir.ctest.log" | sed -nE 's/^[0-9]+: ((self|core|plugin|module|cmodule|otel) .*)$/\1/p' > "$dir.out"
}

# Checks the program output of build $1, whose files are named $2 (app),
# $3 (core) and $4 (plugin): each module's revision, and the modules listed
# before and after loading the plugin with their revisions and paths (the
# path as the loader reports it must end with the file's name in the build
# directory).
expect_modules() {
  local name=$1 app=$2 core=$3 plugin=$4 out="$WORK/build-$1.out"
  grep -qx "self $revision_app" "$out" || fail "$name: the executable's read() is not its own: $(cat "$out")"
  grep -qx "core $revision_core" "$out" || fail "$name: the library's read() is not its own: $(cat "$out")"
  grep -qx "plugin $revision_plugin" "$out" || fail "$name: the plugin's read() is not its own: $(cat "$out")"
  local expected phase file revision self path
  expected=$(printf 'module before %s %s 1\nmodule before %s %s 0\n' "$app" "$revision_app" "$core" "$revision_core" | sort)
  [ "$(grep '^module before ' "$out" | cut -d' ' -f1-5 | sort)" = "$expected" ] \
    || fail "$name: before loading the plugin, for_each_module listed: $(grep '^module before' "$out")"
  expected=$(printf 'module after %s %s 1\nmodule after %s %s 0\nmodule after %s %s 0\n' "$app" "$revision_app" \
    "$core" "$revision_core" "$plugin" "$revision_plugin" | sort)
  [ "$(grep '^module after ' "$out" | cut -d' ' -f1-5 | sort)" = "$expected" ] \
    || fail "$name: after loading the plugin, for_each_module listed: $(grep '^module after' "$out")"
  [ "$(grep '^cmodule ' "$out" | cut -d' ' -f2-4 | sort)" = "$(grep '^module after ' "$out" | cut -d' ' -f3-5 | sort)" ] \
    || fail "$name: the C API listed other modules: $(grep '^cmodule' "$out")"
  expected="otel $app@$revision_app;$core@$revision_core;$plugin@$revision_plugin"
  grep -qxF "$expected" "$out" || fail "$name: the buildinfo.modules value is $(grep '^otel ' "$out"), expected $expected"
  while read -r _ phase file revision self path; do
    case "$(echo "$path" | tr '\\' /)" in
      */build-$name/$file) ;;
      *) fail "$name: module $file is reported at '$path', not in build-$name" ;;
    esac
  done < <(grep '^module ' "$out")
}

# Checks that library $1 (os $2, arch $3, revision $4) verifies, and that a
# copy with the byte at file offset $5 (in its code) flipped does not.
expect_verify_and_tamper() {
  local file=$1 os=$2 arch=$3 revision=$4 offset=$5
  "$BUILDINFO" verify "$file" --key "$WORK/keys/ed25519.pub" --expect-os "$os" --expect-arch "$arch" \
    --expect-revision "$revision" > "$WORK/verify.txt" 2>&1 || fail "verify $file: $(cat "$WORK/verify.txt")"
  expect_tamper_detected "$file" "$offset" "$WORK/keys/ed25519.pub" image
}

build_and_run native
expect_modules native app libcore.so libplugin.so
for lib in libcore.so:core libplugin.so:plugin; do
  file="$WORK/build-native/${lib%%:*}"
  expect_verify_and_tamper "$file" linux amd64 "$(eval echo "\$revision_${lib##*:}")" \
    $(( $(elf_section_offset "$file" .text) + 16 ))
done

# mold 1.10 puts the 8-aligned .note.gnu.property and the 4-aligned notes
# (build-id, ABI tag, the slot) into one PT_NOTE segment with p_align 8:
# for_each_module() must still find every module's slot there, the
# executable's included, and the tool must find the same slots.
mold_flags=(-DCMAKE_EXE_LINKER_FLAGS=-fuse-ld=mold -DCMAKE_SHARED_LINKER_FLAGS=-fuse-ld=mold
  -DCMAKE_MODULE_LINKER_FLAGS=-fuse-ld=mold)
build_and_run mold "${mold_flags[@]}"
dir="$WORK/build-mold"
for file in app libcore.so libplugin.so; do
  readelf -p .comment "$dir/$file" | matches 'mold' || fail "mold: $file was not linked by mold"
done
# The executable's slot is in a PT_NOTE with p_align 8, after the 4-aligned
# 36-byte build-id note (so padding every note to 8 bytes would miss it).
readelf -lW "$dir/app" > "$WORK/mold-segments.txt"
awk '/^ Section to Segment/ { on = 0 }
  on && /^  [A-Z]/ { type[n] = $1; align[n] = $NF; n++ }
  /^  Type / { on = 1 }
  /^   [0-9][0-9] / { i = $1 + 0; if (type[i] == "NOTE" && align[i] == "0x8" && / \.note\.gnu\.build-id / &&
    / \.note\.buildinfo( |$)/) found = 1 }
  END { exit !found }' "$WORK/mold-segments.txt" \
  || fail "mold: no 8-aligned PT_NOTE holds the build-id note and the slot: $(cat "$WORK/mold-segments.txt")"
expect_modules mold app libcore.so libplugin.so
for lib in app:app libcore.so:core libplugin.so:plugin; do
  "$BUILDINFO" verify "$dir/${lib%%:*}" --key "$WORK/keys/ed25519.pub" \
    --expect-revision "$(eval echo "\$revision_${lib##*:}")" > "$WORK/verify.txt" 2>&1 \
    || fail "mold: verify ${lib%%:*}: $(cat "$WORK/verify.txt")"
done
# Without section headers ("$LLVM_OBJCOPY" --strip-sections) the tool finds the
# slot through the program headers, the stamp still verifies, and the
# program still lists itself.
"$LLVM_OBJCOPY" --strip-sections "$dir/app" "$dir/app-nosections"
[ "$(readelf -hW "$dir/app-nosections" | awk '/Number of section headers/ { print $NF }')" = 0 ] \
  || fail "mold: --strip-sections left section headers"
"$BUILDINFO" verify "$dir/app-nosections" --key "$WORK/keys/ed25519.pub" --expect-revision "$revision_app" \
  > "$WORK/verify.txt" 2>&1 || fail "mold: verify after --strip-sections: $(cat "$WORK/verify.txt")"
"$dir/app-nosections" "$dir/libplugin.so" > "$WORK/nosections.out" || fail "mold: app without sections failed"
grep -qx "module after app-nosections $revision_app 1 .*" "$WORK/nosections.out" \
  || fail "mold: the executable without sections does not list itself: $(grep '^module' "$WORK/nosections.out")"

toolchains="$SOURCE_ROOT/toolchains"
build_and_run aarch64 -DCMAKE_TOOLCHAIN_FILE="$toolchains/aarch64-linux-gnu.cmake"
expect_modules aarch64 app libcore.so libplugin.so
file="$WORK/build-aarch64/libcore.so"
expect_verify_and_tamper "$file" linux arm64 "$revision_core" \
  $(( $(elf_section_offset "$file" .text "$AARCH64_READELF") + 16 ))

build_and_run windows -DCMAKE_TOOLCHAIN_FILE="$toolchains/x86_64-w64-mingw32.cmake"
expect_modules windows app.exe libcore.dll libplugin.dll
for lib in libcore.dll:core libplugin.dll:plugin; do
  file="$WORK/build-windows/${lib%%:*}"
  expect_verify_and_tamper "$file" windows amd64 "$(eval echo "\$revision_${lib##*:}")" \
    $(( $(section_file_offset "$file" .text) + 16 ))
done
# Mach-O: a .dylib (freestanding: no macOS SDK here), unsigned and ad-hoc
# signed, stamped like any binary; verify passes, and fails once a byte of
# its code is flipped. Running it needs macOS, which this machine is not.
cat > "$WORK/dylib.c" <<'C'
#include "buildinfo/slot_layout.h"
BUILDINFO_DEFINE_SLOT(BUILDINFO_DEFAULT_CAPACITY);
int dylib_first_slot_byte(void) { return buildinfo_slot.slot[0]; }
C
"$CLANG" -target arm64-apple-macos11 -ffreestanding -I"$SOURCE_ROOT/lib/include" -c -o "$WORK/dylib.o" "$WORK/dylib.c"
for signing in "" -adhoc_codesign; do
  file="$WORK/libcore${signing}.dylib"
  "$LD64_LLD" -dylib -arch arm64 -platform_version macos 11.0 11.0 $signing -o "$file" "$WORK/dylib.o" \
    || fail "ld64.lld could not link a dylib"
  "$BUILDINFO" stamp "$file" --key "$WORK/keys/ed25519.key" --source-dir "$WORK/repo-core" -q
  offset=$(macho_section_offset "$file" __text) || fail "$file has no __text section"
  expect_verify_and_tamper "$file" darwin arm64 "$revision_core" $(( offset + 4 ))
  "$BUILDINFO" inspect "$file" --json | jq -e '.binary.format == "MACHO" and (.binary.sections | length) > 0' > /dev/null \
    || fail "inspect does not describe the dylib $file"
done

# A static library is not a module: buildinfo_stamp() says so at configure time.
mkdir -p "$WORK/static"
cat > "$WORK/static/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.16)
project(static_lib LANGUAGES C CXX)
add_subdirectory("$SOURCE_ROOT" buildinfo)
add_library(parts STATIC parts.c)
buildinfo_stamp(parts NO_SIGN)
CMAKE
echo 'int part(void) { return 1; }' > "$WORK/static/parts.c"
rc=0
cmake -S "$WORK/static" -B "$WORK/static/build" -G Ninja -DBUILDINFO_BUILD_TOOL=OFF -DBUILDINFO_TOOL="$BUILDINFO" \
  -DBUILDINFO_TESTS=OFF > "$WORK/static.log" 2>&1 || rc=$?
[ "$rc" != 0 ] && grep -q "buildinfo_stamp(parts): a STATIC_LIBRARY is not a linked module" "$WORK/static.log" \
  || fail "buildinfo_stamp() of a static library was not refused clearly: $(tail -5 "$WORK/static.log")"
echo ok
