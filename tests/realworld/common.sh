# Shared by the real-project tests (tests/realworld/*.sh): open-source CMake
# projects nobody here wrote, from the source snapshots in
# ../shared/realworld (fixtures beside the repository, never copied into it).
# Each test unpacks one into its work folder, makes it a git repository,
# applies the integration a maintainer would write, and checks what
# buildinfo does to the project as it is.
source "$SOURCE_ROOT/tests/e2e/common.sh"
# The cross toolchains each test needs, asked for after its fixture.
realworld_tools=(aarch64-gcc aarch64-binutils qemu-aarch64 mingw-gcc mingw-objdump wine)

# Unpacks fixture $FIXTURE into the new git repository $1 with one commit.
unpack_into_repo() {
  mkdir -p "$1"
  tar -xJf "$FIXTURE" -C "$1" --strip-components=1
  git -C "$1" init -q -b main
  git -C "$1" config user.email test@example.invalid
  git -C "$1" config user.name "buildinfo test"
  git -C "$1" add -A
  git -C "$1" commit -q -m "import $(basename "$FIXTURE")"
}

# Commits everything in repository $1 with message $2.
commit_all() {
  git -C "$1" add -A
  git -C "$1" commit -q --allow-empty -m "$2"
}

# The C source a maintainer adds to print the records of every loaded
# module (the program itself and the project's shared libraries) when
# PRINT_BUILDINFO is set, before main() runs. C89, warning-free under
# strict flags (cJSON builds with -std=c89 -pedantic -Werror).
write_print_source() {
  cat > "$1" <<'C'
/* With PRINT_BUILDINFO set, print the build record of every loaded module
 * (this program and the libraries it loaded) and exit before main(). */
#include <stdio.h>
#include <stdlib.h>

#include "buildinfo/buildinfo.h"
#include "buildinfo/modules.h"

static void print_module(const buildinfo_module* module, void* context) {
  const buildinfo_record* record = buildinfo_module_record(module);
  size_t i;
  (void)context;
  printf("module %s%s: %s\n", buildinfo_module_path(module), buildinfo_module_is_self(module) ? " (self)" : "",
         buildinfo_status_text(record->status));
  for (i = 0; i < record->field_count; ++i) printf("  %s=%s\n", record->fields[i].key, record->fields[i].value);
}

__attribute__((constructor)) static void print_buildinfo(void) {
  if (getenv("PRINT_BUILDINFO") == NULL) return;
  buildinfo_for_each_module(print_module, NULL);
  fflush(stdout);
  exit(buildinfo_status() == BUILDINFO_OK ? 0 : 3);
}
C
}

# Checks that output file $1 of a PRINT_BUILDINFO run lists module $2 (a
# file name) stamped with revision $3.
expect_module_record() {
  local output=$1 module=$2 revision=$3
  tr -d '\r' < "$output" > "$output.lf"
  awk -v m="$module" -v r="  vcs.revision=$revision" '
    /^module / { name = $2; sub(/:$/, "", name); n = split(name, parts, /[\/\\]/); current = (parts[n] == m) }
    current && $0 == r { found = 1 }
    END { exit !found }' "$output.lf" \
    || fail "$output: module $module does not carry revision $revision: $(cat "$output.lf")"
}

# Checks build log $1 (ninja -d explain) ran no compile, link or library
# symlink step; `stamps` (a list of target names) must each have been
# stamped, or none when the list is empty.
expect_only_state_and_stamps() {
  local log=$1
  shift
  ! grep -E "Building (C|CXX) object|Linking |Creating library symlink" "$log" \
    || fail "$log: something was recompiled or relinked (above)"
  local target
  for target in "$@"; do
    grep -q "Stamping $target with its build record" "$log" || fail "$log: $target was not re-stamped"
  done
  if [ $# -eq 0 ]; then
    ! grep "Stamping " "$log" || fail "$log: a stamp step ran although nothing changed"
  fi
}

# DT_NEEDED entries of ELF file $1 (readelf $2), one line.
needed_libraries() {
  "${2:-readelf}" -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' '
}

# Fails when ELF file $1 needs a C++ runtime.
expect_no_cxx_runtime() {
  local needed
  needed=$(needed_libraries "$1" "${2:-readelf}")
  ! grep -qE 'libstdc\+\+|libc\+\+' <<< "$needed" || fail "$1 needs a C++ runtime: $needed"
}

# DLL imports of PE file $1, lowercase, one line.
pe_imports() {
  "$MINGW_OBJDUMP" -p "$1" | sed -n 's/^\tDLL Name: //p' | tr 'A-Z' 'a-z' | sort | tr '\n' ' '
}

# Fails when PE file $1 imports a C++ runtime or libgcc DLL.
expect_no_cxx_dlls() {
  local imports
  imports=$(pe_imports "$1")
  ! grep -qE 'libstdc\+\+|libgcc' <<< "$imports" || fail "$1 imports a C++ runtime or libgcc DLL: $imports"
}

# Verifies every file given with the Ed25519 key of make_keys.
expect_verified_files() {
  local file
  for file in "$@"; do
    "$BUILDINFO" verify "$file" --key "$WORK/keys/ed25519.pub" > "$WORK/verify.txt" 2>&1 \
      || fail "verify $file: $(cat "$WORK/verify.txt")"
  done
}

