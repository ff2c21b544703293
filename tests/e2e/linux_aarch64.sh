# aarch64 Linux ELF (Debian's cross gcc, run under qemu-user), at -O2 and
# -O2 with LTO: build the sample with the cross toolchain, stamp it, and check
# inspect, readelf, the LIEF oracle, the program's output and a stripped copy.
source "$SOURCE_ROOT/tests/e2e/common.sh"

require_tools aarch64-g++ aarch64-binutils qemu-aarch64 aarch64-sysroot
readelf=$AARCH64_READELF
strip=$AARCH64_STRIP

make_repo "$WORK/repo"
revision=$(git -C "$WORK/repo" rev-parse HEAD)

check_variant() {
  local name=$1 lto=$2
  local dir="$WORK/$name"
  build_sample "$dir" -DCMAKE_TOOLCHAIN_FILE="$SOURCE_ROOT/toolchains/$AARCH64_TRIPLE.cmake" \
    -DCMAKE_CXX_FLAGS_RELEASE="-O2" -DCMAKE_C_FLAGS_RELEASE="-O2" \
    -DCMAKE_INTERPROCEDURAL_OPTIMIZATION="$lto" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON
  local app="$dir/print_record"
  file -b "$app" | grep -q 'ARM aarch64' || fail "$name: $app is not an aarch64 ELF: $(file -b "$app")"
  if [ "$lto" = ON ]; then
    # Prove that the LTO variant really is one.
    grep -q -- '-flto' "$dir/compile_commands.json" || fail "$name: sources were not compiled with -flto"
  fi

  # Before stamping the program reports an empty slot and exits 3.
  local rc=0
  run_aarch64 "$app" > "$dir.before.txt" || rc=$?
  [ "$rc" = 3 ] || fail "$name: unstamped program exited $rc under qemu, expected 3"
  grep -qx 'status=not stamped' "$dir.before.txt" || fail "$name: unstamped program did not say 'not stamped'"

  "$BUILDINFO" stamp "$app" --no-sign --source-dir "$WORK/repo" --compiler-id GNU --compiler-version 12 \
    --project-name demo --project-version 1.0 --set variant="$name" > /dev/null
  "$BUILDINFO" inspect "$app" --json > "$dir.json"
  expect_record "$dir.json" target.os linux
  expect_record "$dir.json" target.arch arm64
  expect_record "$dir.json" target.format elf
  expect_record "$dir.json" vcs.revision "$revision"
  expect_record "$dir.json" vcs.modified false
  expect_record "$dir.json" project.name demo
  expect_record "$dir.json" project.version 1.0
  expect_record "$dir.json" custom.variant "$name"
  expect_record "$dir.json" build.time 2023-11-14T22:13:20Z

  # readelf sees a real note in .note.buildinfo owned by "buildinfo".
  "$readelf" -n "$app" > "$dir.notes.txt" || fail "$name: readelf -n failed on the stamped program"
  expect_buildinfo_note "$dir.notes.txt" || fail "$name: readelf -n does not list the buildinfo note"

  # Our locator agrees with LIEF.
  "$LIEF_SLOT_ORACLE" "$app" > "$dir.oracle.txt" 2>&1 || { cat "$dir.oracle.txt" >&2; fail "$name: locator and LIEF disagree"; }

  # The program reads the same record from memory: the optimizer did not
  # fold the slot's initializer (zeros) into the reads.
  run_aarch64 "$app" > "$dir.after.txt" || fail "$name: stamped program failed under qemu"
  expect_output_matches_record "$dir.json" "$dir.after.txt"

  # The C API reads the same record.
  "$BUILDINFO" stamp "$dir/print_record_c" --no-sign --source-dir "$WORK/repo" --compiler-id GNU --compiler-version 12 \
    --project-name demo --project-version 1.0 --set variant="$name" > /dev/null
  run_aarch64 "$dir/print_record_c" > "$dir.c-api.txt" || fail "$name: stamped C program failed under qemu"
  "$BUILDINFO" inspect "$dir/print_record_c" --json --no-describe > "$dir.c.json"
  expect_output_matches_record "$dir.c.json" "$dir.c-api.txt"

  # A stripped copy still carries and reads its record.
  "$strip" -o "$dir/stripped" "$app"
  run_aarch64 "$dir/stripped" > "$dir.stripped.txt" || fail "$name: stripped program failed under qemu"
  expect_output_matches_record "$dir.json" "$dir.stripped.txt"
  "$BUILDINFO" inspect "$dir/stripped" --json > "$dir.stripped.json"
  expect_record "$dir.stripped.json" vcs.revision "$revision"
  echo "ok: $name"
}

check_variant aarch64-O2 OFF
check_variant aarch64-lto ON

# Signed round trip with both algorithms; the program still runs and reads it.
sign_and_verify "$WORK/aarch64-lto/print_record" linux arm64 "$revision"
run_aarch64 "$WORK/aarch64-lto/print_record" > "$WORK/signed.txt" || fail "signed program failed under qemu"
grep -qx "vcs.revision=$revision" "$WORK/signed.txt" || fail "signed program does not print its revision"

# OpenTelemetry attributes under qemu.
OTEL_RESOURCE_ATTRIBUTES="service.version=user-set,team=a%2Cb" run_aarch64 "$WORK/aarch64-lto/print_record" otel \
  > "$WORK/otel.txt" || fail "print_record otel failed under qemu"
expect_otel_matches "$WORK/aarch64-lto/print_record" "$WORK/otel.txt"
