# Mach-O arm64, x86_64 and universal: build freestanding programs with the
# toolchains/*-apple-darwin.cmake files (clang + ld64.lld, no SDK), stamp and
# inspect them, and check the code-signature page hashes with an independent
# checker (tests/tools/check_macho_signature.py). The binaries cannot run here.
source "$SOURCE_ROOT/tests/e2e/common.sh"

# -fuse-ld=lld (the toolchain files) runs the ld64.lld next to clang.
require_tools clang ld64.lld llvm-lipo llvm-objdump
have_tools python3 || fail "python3 is not installed (ci/install-deps.sh installs it)"

check_signature() {
  python3 "$SOURCE_ROOT/tests/tools/check_macho_signature.py" "$@"
}

# Builds tests/programs/freestanding into $WORK/$1 with toolchain $2; prints the binary path.
build_freestanding() {
  local name=$1 toolchain=$2
  shift 2
  local dir="$WORK/$name"
  cmake -S "$SOURCE_ROOT/tests/programs/freestanding" -B "$dir" -G Ninja \
    -DCMAKE_TOOLCHAIN_FILE="$SOURCE_ROOT/toolchains/$toolchain.cmake" \
    -DBUILDINFO_SOURCE_DIR="$SOURCE_ROOT" "$@" > "$dir.configure.log" 2>&1 \
    || { cat "$dir.configure.log" >&2; fail "configure of $name failed"; }
  cmake --build "$dir" > "$dir.build.log" 2>&1 || { cat "$dir.build.log" >&2; fail "build of $name failed"; }
  echo "$dir/freestanding"
}

has_load_command() {
  "$LLVM_OBJDUMP" --macho --private-headers "$1" | matches "cmd $2\$"
}

stamp() {
  "$BUILDINFO" stamp "$1" --no-sign --source-dir "$WORK/repo" --compiler-id Clang --compiler-version 14.0.6 \
    --project-name demo --project-version 1.2.3 > /dev/null
}

arm64=$(build_freestanding arm64 arm64-apple-darwin)
x86_64=$(build_freestanding x86_64 x86_64-apple-darwin)
x86_64_signed=$(build_freestanding x86_64-signed x86_64-apple-darwin -DFREESTANDING_ADHOC_SIGN=ON)
universal="$WORK/universal"
"$LLVM_LIPO" -create "$arm64" "$x86_64_signed" -output "$universal"

# lld signs arm64 ad hoc by default, x86_64 only when asked.
has_load_command "$arm64" LC_CODE_SIGNATURE || fail "arm64 binary has no LC_CODE_SIGNATURE"
has_load_command "$x86_64" LC_CODE_SIGNATURE && fail "x86_64 binary unexpectedly has LC_CODE_SIGNATURE"
has_load_command "$x86_64_signed" LC_CODE_SIGNATURE || fail "x86_64 -adhoc_codesign binary has no LC_CODE_SIGNATURE"
check_signature "$arm64" > "$WORK/arm64.before.txt" || { cat "$WORK/arm64.before.txt" >&2; fail "arm64: page hashes wrong before stamping"; }
grep -q 'slice arm64: CodeDirectory 0: .* pages, all hashes match' "$WORK/arm64.before.txt" \
  || fail "checker did not check the arm64 CodeDirectory: $(cat "$WORK/arm64.before.txt")"

make_repo "$WORK/repo"
revision=$(git -C "$WORK/repo" rev-parse HEAD)

# Thin binaries: the record carries the target read from the Mach-O header,
# and every page hash is right after stamping.
check_thin() {
  local name=$1 bin=$2 arch=$3 signed=$4
  stamp "$bin"
  "$BUILDINFO" inspect "$bin" --json > "$WORK/$name.json"
  expect_record "$WORK/$name.json" target.os darwin
  expect_record "$WORK/$name.json" target.arch "$arch"
  expect_record "$WORK/$name.json" target.format macho
  expect_record "$WORK/$name.json" project.version 1.2.3
  expect_record "$WORK/$name.json" vcs.revision "$revision"
  [ "$(jq -r '.binary.slices[0].code_signature' "$WORK/$name.json")" = "$signed" ] \
    || fail "$name: inspect reports code_signature $(jq -r '.binary.slices[0].code_signature' "$WORK/$name.json"), expected $signed"
  check_signature "$bin" > "$WORK/$name.after.txt" || { cat "$WORK/$name.after.txt" >&2; fail "$name: page hashes wrong after stamping"; }
  if [ -n "${LIEF_SLOT_ORACLE:-}" ] && [ -x "$LIEF_SLOT_ORACLE" ]; then
    "$LIEF_SLOT_ORACLE" "$bin" > "$WORK/$name.oracle.txt" 2>&1 \
      || { cat "$WORK/$name.oracle.txt" >&2; fail "$name: our slot locator and LIEF disagree"; }
  fi
  echo "ok: $name"
}
check_thin arm64 "$arm64" arm64 true
check_thin x86_64 "$x86_64" amd64 false
check_thin x86_64-signed "$x86_64_signed" amd64 true
grep -q 'all hashes match' "$WORK/arm64.after.txt" || fail "checker output lacks the arm64 CodeDirectory"

# The check is real: a byte flipped inside the slot, hashes left alone, fails.
slot_offset=$(jq -r '.slots[0].slot_offset' "$WORK/arm64.json")
cp "$arm64" "$WORK/arm64-tampered"
python3 -c '
import sys
path, at = sys.argv[1], int(sys.argv[2])
with open(path, "r+b") as f:
    f.seek(at)
    byte = f.read(1)[0]
    f.seek(at)
    f.write(bytes([byte ^ 0xFF]))
' "$WORK/arm64-tampered" $((slot_offset + 70))
rc=0
check_signature "$WORK/arm64-tampered" > "$WORK/arm64-tampered.txt" || rc=$?
[ "$rc" = 1 ] || fail "checker exited $rc on a tampered slot, expected 1"
grep -q 'hash mismatches' "$WORK/arm64-tampered.txt" || fail "checker did not report the mismatch"

# Re-stamping with the same inputs is byte-identical (SOURCE_DATE_EPOCH is
# set by common.sh): the page hashes are deterministic too.
before=$(file_hash "$arm64")
stamp "$arm64"
[ "$(file_hash "$arm64")" = "$before" ] || fail "arm64: a second identical stamp changed the file"
check_signature "$arm64" > /dev/null || fail "arm64: page hashes wrong after re-stamping"

# Universal: every slice has its own slot and record, and both signed slices
# (at non-zero slice offsets) keep correct page hashes.
stamp "$universal"
"$BUILDINFO" inspect "$universal" --json > "$WORK/universal.json"
[ "$(jq '.slots | length' "$WORK/universal.json")" = 2 ] || fail "universal: inspect shows $(jq '.slots | length' "$WORK/universal.json") slots, expected 2"
arches=$(jq -r '[.slots[].record["target.arch"]] | sort | join(",")' "$WORK/universal.json")
[ "$arches" = "amd64,arm64" ] || fail "universal: slice records have target.arch '$arches', expected amd64,arm64"
for i in 0 1; do
  for key in target.os target.format vcs.revision; do
    value=$(jq -r --arg k "$key" ".slots[$i].record[\$k] // empty" "$WORK/universal.json")
    case $key in
      target.os) want=darwin ;;
      target.format) want=macho ;;
      vcs.revision) want=$revision ;;
    esac
    [ "$value" = "$want" ] || fail "universal slot $i: $key is '$value', expected '$want'"
  done
done
jq -e '[.binary.slices[].code_signature] == [true, true]' "$WORK/universal.json" > /dev/null \
  || fail "universal: inspect does not report both slices as signed"
check_signature "$universal" > "$WORK/universal.after.txt" || { cat "$WORK/universal.after.txt" >&2; fail "universal: page hashes wrong after stamping"; }
[ "$(grep -c 'all hashes match' "$WORK/universal.after.txt")" = 2 ] \
  || fail "universal: expected two checked CodeDirectories: $(cat "$WORK/universal.after.txt")"
if [ -n "${LIEF_SLOT_ORACLE:-}" ] && [ -x "$LIEF_SLOT_ORACLE" ]; then
  "$LIEF_SLOT_ORACLE" "$universal" > "$WORK/universal.oracle.txt" 2>&1 \
    || { cat "$WORK/universal.oracle.txt" >&2; fail "universal: our slot locator and LIEF disagree"; }
fi
echo "ok: universal"

# Signed round trip with both algorithms; the page hashes stay right. The
# universal file verifies slice by slice.
sign_and_verify "$arm64" darwin arm64 "$revision"
expect_tamper_detected "$arm64" "$(section_file_offset "$arm64" __TEXT,__text)" "$WORK/keys/ecdsa-p256.pub" image
check_signature "$arm64" > "$WORK/signed.check.txt" || fail "signed arm64: page hashes wrong: $(cat "$WORK/signed.check.txt")"
"$BUILDINFO" stamp "$universal" --key "$WORK/keys/ed25519.key" --source-dir "$WORK/repo" -q
"$BUILDINFO" verify "$universal" --key "$WORK/keys/ed25519.pub" --expect-os darwin > "$WORK/universal.verify.txt" \
  || fail "signed universal file does not verify: $(cat "$WORK/universal.verify.txt")"
[ "$(grep -c 'ok    image' "$WORK/universal.verify.txt")" = 2 ] || fail "universal: expected two verified slices"
check_signature "$universal" > "$WORK/signed.universal.txt" || fail "signed universal: page hashes wrong"
echo "ok: signed"
