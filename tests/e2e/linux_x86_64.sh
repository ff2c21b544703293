# x86_64 Linux, gcc and clang, -O2 and -O2 with LTO: build the sample, stamp
# it from a fresh repository, and check inspect, the program itself and readelf.
source "$SOURCE_ROOT/tests/e2e/common.sh"
require_tools clang ld.lld

make_repo "$WORK/repo"
revision=$(git -C "$WORK/repo" rev-parse HEAD)

check_variant() {
  local name=$1 cc=$2 cxx=$3 lto=$4
  shift 4
  local dir="$WORK/$name"
  build_sample "$dir" -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" \
    -DCMAKE_CXX_FLAGS_RELEASE="-O2" -DCMAKE_INTERPROCEDURAL_OPTIMIZATION="$lto" "$@"
  local app="$dir/print_record"

  # Before stamping the program reports an empty slot.
  local rc=0
  "$app" > "$dir.before.txt" || rc=$?
  [ "$rc" = 3 ] || fail "$name: unstamped program exited $rc, expected 3"
  grep -qx 'status=not stamped' "$dir.before.txt" || fail "$name: unstamped program did not say 'not stamped'"

  "$BUILDINFO" stamp "$app" --no-sign --source-dir "$WORK/repo" --compiler "$cxx" \
    --project-name sample --project-version 1.2.3 --set variant="$name" > /dev/null
  "$BUILDINFO" inspect "$app" --json > "$dir.json"
  expect_record "$dir.json" vcs.revision "$revision"
  expect_record "$dir.json" vcs.modified false
  expect_record "$dir.json" vcs.ref.name main
  expect_record "$dir.json" vcs.ref.type branch
  expect_record "$dir.json" target.arch amd64
  expect_record "$dir.json" target.os linux
  expect_record "$dir.json" target.format elf
  expect_record "$dir.json" project.version 1.2.3
  expect_record "$dir.json" custom.variant "$name"
  expect_record "$dir.json" build.time 2023-11-14T22:13:20Z
  local compiler_id
  compiler_id=$(json_record_value "$dir.json" compiler.id)
  case "$name" in
    gcc*) [ "$compiler_id" = GNU ] || fail "$name: compiler.id is '$compiler_id'" ;;
    clang*) [ "$compiler_id" = Clang ] || fail "$name: compiler.id is '$compiler_id'" ;;
  esac
  [ -n "$(json_record_value "$dir.json" compiler.version)" ] || fail "$name: no compiler.version"
  # The compiler the binary itself records (.comment) is shown too.
  jq -e '.binary.comment | length > 0' "$dir.json" > /dev/null || fail "$name: inspect shows no .comment"

  # The program reads the same record from memory.
  "$app" > "$dir.after.txt" || fail "$name: stamped program failed"
  expect_output_matches_record "$dir.json" "$dir.after.txt"

  # The C API reads the same record.
  "$BUILDINFO" stamp "$dir/print_record_c" --no-sign --source-dir "$WORK/repo" --compiler "$cxx" \
    --project-name sample --project-version 1.2.3 --set variant="$name" > /dev/null
  "$dir/print_record_c" > "$dir.c-api.txt" || fail "$name: stamped C program failed"
  "$BUILDINFO" inspect "$dir/print_record_c" --json --no-describe > "$dir.c.json"
  expect_output_matches_record "$dir.c.json" "$dir.c-api.txt"

  # readelf sees a real note.
  readelf -n "$app" > "$dir.notes.txt" || fail "$name: readelf -n failed"
  expect_buildinfo_note "$dir.notes.txt" || fail "$name: readelf -n does not list the buildinfo note"

  # Our locator agrees with LIEF.
  "$LIEF_SLOT_ORACLE" "$app" > "$dir.oracle.txt" || { cat "$dir.oracle.txt" >&2; fail "$name: locator and LIEF disagree"; }

  # A stripped copy still carries and reads its record.
  strip -o "$dir/stripped" "$app"
  "$dir/stripped" > "$dir.stripped.txt" || fail "$name: stripped program failed"
  expect_output_matches_record "$dir.json" "$dir.stripped.txt"
  echo "ok: $name"
}

check_variant gcc-O2 gcc g++ OFF
check_variant gcc-lto gcc g++ ON
check_variant clang-O2 clang clang++ OFF
check_variant clang-lto clang clang++ ON -DCMAKE_EXE_LINKER_FLAGS=-fuse-ld=lld

# Dirty tree: a tracked change makes vcs.modified true; re-stamping replaces.
app="$WORK/gcc-O2/print_record"
echo "change" >> "$WORK/repo/README"
"$BUILDINFO" stamp "$app" --no-sign --source-dir "$WORK/repo" --compiler-id GNU --compiler-version 12 > /dev/null
"$BUILDINFO" inspect "$app" --json > "$WORK/dirty.json"
expect_record "$WORK/dirty.json" vcs.modified true
expect_record "$WORK/dirty.json" compiler.version 12
[ -z "$(json_record_value "$WORK/dirty.json" custom.variant)" ] || fail "re-stamp kept a key of the old stamp"
"$app" > "$WORK/dirty.txt"
grep -qx 'vcs.modified=true' "$WORK/dirty.txt" || fail "program does not see the dirty flag"

# OpenTelemetry attributes, as the program computes them and as inspect does.
OTEL_RESOURCE_ATTRIBUTES="service.version=user-set,team=a%2Cb" "$app" otel > "$WORK/otel.txt" \
  || fail "print_record otel failed"
expect_otel_matches "$app" "$WORK/otel.txt"
