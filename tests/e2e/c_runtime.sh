# The runtime is plain C: its archive references no C++ runtime symbol, and
# a C program links it with the C compiler driver alone, natively, for
# aarch64 and for Windows, importing nothing but the C library (and kernel32
# on Windows). Each program is stamped and prints its record.
source "$SOURCE_ROOT/tests/e2e/common.sh"

make_repo "$WORK/repo"
include="$SOURCE_ROOT/lib/include"
cat > "$WORK/main.c" <<'C'
#include <stdio.h>
#include "buildinfo/buildinfo.h"
#include "buildinfo/modules.h"
#include "buildinfo/otel.h"

static void count_module(const buildinfo_module* module, void* context) {
  (void)module;
  ++*(int*)context;
}

int main(void) {
  int modules = 0;
  const char* revision = buildinfo_get("vcs.revision");
  buildinfo_for_each_module(count_module, &modules);
  printf("status=%s\n", buildinfo_status_text(buildinfo_status()));
  printf("revision=%s\n", revision ? revision : "");
  printf("modules=%d\n", modules);
  printf("otel=%s\n", buildinfo_otel_get("vcs.ref.head.revision") ? "yes" : "no");
  return buildinfo_status() == BUILDINFO_OK ? 0 : 3;
}
C

# Builds the runtime archive for toolchain file $2 (empty: native) into
# $WORK/$1 and prints its path.
build_runtime() {
  local dir="$WORK/$1" toolchain=()
  [ -n "$2" ] && toolchain=(-DCMAKE_TOOLCHAIN_FILE="$SOURCE_ROOT/toolchains/$2.cmake")
  cmake -S "$SOURCE_ROOT/tests/programs/print_record" -B "$dir" -G Ninja -DBUILDINFO_SOURCE_DIR="$SOURCE_ROOT" \
    -DCMAKE_BUILD_TYPE=Release "${toolchain[@]}" > "$dir.configure.log" 2>&1 \
    || { cat "$dir.configure.log" >&2; fail "$1: configure failed"; }
  cmake --build "$dir" --target buildinfo_runtime > "$dir.build.log" 2>&1 \
    || { cat "$dir.build.log" >&2; fail "$1: the runtime does not build"; }
  find "$dir" -name libbuildinfo_runtime.a -print -quit
}

# Fails when archive $1 references anything of a C++ runtime (libstdc++,
# libsupc++, libc++abi: mangled names, __cxa_*, __gxx_*, _Unwind_*), as `nm`
# $2 lists it.
expect_no_cxx_symbols() {
  local undefined
  undefined=$("$2" -u "$1" | awk 'NF == 2 && $1 == "U" { print $2 }' | sort -u)
  [ -n "$undefined" ] || fail "$1: nm lists no undefined symbol at all (malloc is expected)"
  if grep -E '^(_Z|__cxa_|__gxx_|_Unwind_|__gcc_personality)' <<< "$undefined"; then
    fail "$1 references C++ runtime symbols (above)"
  fi
}

# Stamps program $1 and checks the output file $2 of running it.
expect_prints_record() {
  tr -d '\r' < "$2" > "$2.lf"
  grep -qx "status=ok" "$2.lf" || fail "$1 does not read its record: $(cat "$2.lf")"
  grep -qx "revision=$(git -C "$WORK/repo" rev-parse HEAD)" "$2.lf" || fail "$1 prints the wrong revision"
  grep -qx "modules=1" "$2.lf" || fail "$1 does not list itself as a module"
  grep -qx "otel=yes" "$2.lf" || fail "$1 has no OpenTelemetry attributes"
}

stamp() {
  "$BUILDINFO" stamp "$1" --no-sign --source-dir "$WORK/repo" -q || fail "stamp of $1 failed"
}

# Native: cc alone; DT_NEEDED holds only the C library.
archive=$(build_runtime native "")
expect_no_cxx_symbols "$archive" nm
cc -O2 -o "$WORK/native.out" "$WORK/main.c" -I"$include" "$archive" || fail "cc cannot link a C program with the runtime"
needed=$(readelf -d "$WORK/native.out" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort | tr '\n' ' ')
[ "$needed" = "libc.so.6 " ] || fail "native: DT_NEEDED is '$needed', expected only libc.so.6"
stamp "$WORK/native.out"
"$WORK/native.out" > "$WORK/native.txt" || fail "native program failed"
expect_prints_record native "$WORK/native.txt"

# aarch64, run under qemu.
require_tools aarch64-gcc aarch64-binutils qemu-aarch64
archive=$(build_runtime aarch64 "$AARCH64_TRIPLE")
expect_no_cxx_symbols "$archive" "$AARCH64_NM"
"$AARCH64_GCC" -O2 -o "$WORK/aarch64.out" "$WORK/main.c" -I"$include" "$archive" \
  || fail "$AARCH64_TRIPLE-gcc cannot link a C program with the runtime"
needed=$("$AARCH64_READELF" -d "$WORK/aarch64.out" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort | tr '\n' ' ')
[ "$needed" = "libc.so.6 " ] || fail "aarch64: DT_NEEDED is '$needed', expected only libc.so.6"
stamp "$WORK/aarch64.out"
run_aarch64 "$WORK/aarch64.out" > "$WORK/aarch64.txt" || fail "aarch64 program failed under qemu"
expect_prints_record aarch64 "$WORK/aarch64.txt"

# Windows, run under wine: imports only the C library (msvcrt) and kernel32.
require_tools mingw-gcc mingw-objdump wine
archive=$(build_runtime mingw "$MINGW_TRIPLE")
expect_no_cxx_symbols "$archive" "$MINGW_NM"
"$MINGW_GCC" -O2 -o "$WORK/mingw.exe" "$WORK/main.c" -I"$include" "$archive" \
  || fail "$MINGW_TRIPLE-gcc cannot link a C program with the runtime"
imports=$("$MINGW_OBJDUMP" -p "$WORK/mingw.exe" | sed -n 's/^\tDLL Name: //p' | tr 'A-Z' 'a-z' | sort | tr '\n' ' ')
[ "$imports" = "kernel32.dll msvcrt.dll " ] || fail "Windows: imports '$imports', expected only kernel32.dll msvcrt.dll"
stamp "$WORK/mingw.exe"
wine_prepare || fail "could not prepare a wine prefix"
expect_windows_run "$WORK/mingw.exe" "$WORK/mingw.txt"
expect_prints_record windows "$WORK/mingw.txt"
echo ok
