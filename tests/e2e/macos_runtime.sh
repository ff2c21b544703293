# The runtime's macOS code compiles and links, for arm64-apple-macos11 and
# x86_64-apple-macos10.15, with clang and ld64.lld against minimal
# declarations of the dyld and C library functions it calls
# (tests/macos/include, no SDK). The dylib must import exactly the
# functions the sources call (llvm-nm), carry the slot where the tool finds
# it, and take a stamp that verifies. It cannot run here: nothing on Linux
# executes a Mach-O file.
source "$SOURCE_ROOT/tests/e2e/common.sh"

require_tools clang ld64.lld llvm-ar llvm-nm llvm-objdump

cat > "$WORK/module.c" <<'C'
#include "buildinfo/buildinfo.h"
#include "buildinfo/modules.h"
#include "buildinfo/slot_layout.h"

BUILDINFO_DEFINE_SLOT(1024);

static void count(const buildinfo_module* module, void* context) {
  (void)module;
  ++*(int*)context;
}

/* What a program would call: its own record, and every loaded module's. */
int module_records(void) {
  int modules = 0;
  buildinfo_for_each_module(count, &modules);
  return modules + (buildinfo_get("vcs.revision") != 0);
}
C

# What the dylib must import (the module list's dyld calls) and what else
# it may: the C library functions the sources call, the stack protector's
# two symbols and dyld's lazy-binding helper.
required_imports="_dladdr __dyld_get_image_header __dyld_get_image_name __dyld_image_count _getsectiondata"
allowed_imports="$required_imports ___error _free _getenv _malloc _memcmp _memcpy _memset _setenv _strlen
___stack_chk_fail ___stack_chk_guard dyld_stub_binder"

for target in arm64-apple-macos11 x86_64-apple-macos10.15; do
  out="$WORK/$target"
  mkdir -p "$out"
  objects=()
  for source in "$SOURCE_ROOT"/lib/src/*.c "$WORK/module.c"; do
    object="$out/$(basename "$source" .c).o"
    "$CLANG" --target="$target" -std=c99 -O2 -Wall -Wextra -Werror -ffreestanding -nostdlibinc \
      -isystem "$SOURCE_ROOT/tests/macos/include" -I"$SOURCE_ROOT/lib/include" -I"$SOURCE_ROOT/lib/src" \
      -c "$source" -o "$object" 2> "$out/compile.log" \
      || fail "$target: $(basename "$source") does not compile: $(cat "$out/compile.log")"
    objects+=("$object")
  done
  # The runtime as programs link it: a static library.
  rm -f "$out/libbuildinfo_runtime.a"
  "$LLVM_AR" rcs --format=darwin "$out/libbuildinfo_runtime.a" "${objects[@]:0:${#objects[@]}-1}"
  version=${target##*macos}
  dylib="$out/libmodule.dylib"
  "$CLANG" --target="$target" --ld-path="$LD64_LLD" -dynamiclib -nostdlib -undefined dynamic_lookup \
    -Wl,-platform_version,macos,"$version","$version" "$out/module.o" "$out/libbuildinfo_runtime.a" -o "$dylib" \
    2> "$out/link.log" \
    || fail "$target: the dylib does not link: $(cat "$out/link.log")"

  "$LLVM_OBJDUMP" --macho --private-header "$dylib" > "$out/header.txt"
  arch=${target%%-*}
  [ "$arch" = x86_64 ] && arch=X86_64
  [ "$arch" = arm64 ] && arch=ARM64
  grep -q "MH_MAGIC_64 *$arch .*DYLIB" "$out/header.txt" || fail "$target: not a $arch dylib: $(cat "$out/header.txt")"

  "$LLVM_NM" -u "$dylib" | awk '{print $NF}' | sort > "$out/imports.txt"
  for symbol in $required_imports; do
    grep -qx "$symbol" "$out/imports.txt" || fail "$target: the dylib does not import $symbol: $(cat "$out/imports.txt")"
  done
  while read -r symbol; do
    case " $(echo $allowed_imports) " in
      *" $symbol "*) ;;
      *) fail "$target: the dylib imports $symbol, which the runtime's sources do not call" ;;
    esac
  done < "$out/imports.txt"

  "$LLVM_OBJDUMP" --macho --section-headers "$dylib" > "$out/sections.txt"
  grep -q "__buildinfo .*DATA" "$out/sections.txt" || fail "$target: no __buildinfo section: $(cat "$out/sections.txt")"
  "$BUILDINFO" inspect "$dylib" --json --no-describe > "$out/inspect.json" 2> "$out/inspect.err" || [ $? = 3 ] \
    || fail "$target: inspect cannot read the dylib"
  jq -e '.slots | length == 1' "$out/inspect.json" > /dev/null || fail "$target: inspect finds no slot: $(cat "$out/inspect.json")"
  "$BUILDINFO" stamp "$dylib" --no-sign --source-dir "$SOURCE_ROOT" -q || fail "$target: the dylib cannot be stamped"
  "$BUILDINFO" verify "$dylib" --allow-unsigned > "$out/verify.txt" || fail "$target: the stamped dylib does not verify"
done
echo ok
