# x86_64 Windows PE (MinGW-w64, run under wine64): build the sample with the
# cross toolchain, stamp it, and check inspect, objdump, the PE CheckSum, the
# bytes that changed, the LIEF oracle and the program's own output.
source "$SOURCE_ROOT/tests/e2e/common.sh"
# python3: the independent CheckSum computation.
require_tools mingw-g++ mingw-objdump wine python3

# The PE CheckSum, computed independently of the tool (Microsoft "PE Format",
# CheckSum; FORMAT.md, "PE"):
# prints "stored computed" in hex.
pe_checksums() {
  python3 - "$1" << 'EOF'
import struct, sys
data = open(sys.argv[1], "rb").read()
field = struct.unpack_from("<I", data, 0x3C)[0] + 24 + 64
stored = struct.unpack_from("<I", data, field)[0]
words = bytearray(data)
words[field:field + 4] = bytes(4)
if len(words) % 2:
    words.append(0)
total = sum(struct.unpack("<%dH" % (len(words) // 2), bytes(words)))
while total >> 16:
    total = (total & 0xFFFF) + (total >> 16)
print("%08x %08x" % (stored, (total + len(data)) & 0xFFFFFFFF))
EOF
}

dir="$WORK/mingw"
started=$(date +%s)
build_sample "$dir" -DCMAKE_TOOLCHAIN_FILE="$SOURCE_ROOT/toolchains/$MINGW_TRIPLE.cmake"
app="$dir/print_record.exe"
[ -f "$app" ] || fail "the build produced no $app"

# The linker laid out the slot section, and (mingw ld) wrote a CheckSum that
# the independent computation reproduces, which validates that computation.
"$MINGW_OBJDUMP" -h "$app" > "$WORK/sections.before.txt" || fail "objdump -h does not read the unstamped exe"
grep -q ' \.bldinfo ' "$WORK/sections.before.txt" || fail "objdump -h lists no .bldinfo section"
read -r stored computed < <(pe_checksums "$app")
[ "$stored" = "$computed" ] || fail "before stamping: linker CheckSum $stored, independent computation $computed"
echo "linker CheckSum: $stored"

# Before stamping the program reports an empty slot and exits 3. The first
# wine start in a new prefix creates it (about 10 s).
wine_prepare || fail "could not prepare a wine prefix"
rc=0
run_windows "$app" "$WORK/before.txt" || rc=$?
[ "$rc" = 3 ] || { cat "$WORK/before.txt.err" >&2; fail "unstamped program exited $rc under wine, expected 3"; }
grep -qx 'status=not stamped' "$WORK/before.txt" || fail "unstamped program did not say 'not stamped': $(head -3 "$WORK/before.txt")"

make_repo "$WORK/repo"
revision=$(git -C "$WORK/repo" rev-parse HEAD)
cp "$app" "$WORK/unstamped.exe"
"$BUILDINFO" stamp "$app" --no-sign --source-dir "$WORK/repo" --compiler-id GNU --compiler-version 12 \
  --project-name demo --project-version 1.0 > /dev/null
"$BUILDINFO" inspect "$app" --json > "$WORK/j.json"
expect_record "$WORK/j.json" target.os windows
expect_record "$WORK/j.json" target.arch amd64
expect_record "$WORK/j.json" target.format pe
expect_record "$WORK/j.json" vcs.revision "$revision"
expect_record "$WORK/j.json" vcs.modified false
expect_record "$WORK/j.json" compiler.id GNU
expect_record "$WORK/j.json" compiler.version 12
expect_record "$WORK/j.json" project.name demo
expect_record "$WORK/j.json" project.version 1.0
expect_record "$WORK/j.json" build.time 2023-11-14T22:13:20Z

# Still a valid PE for binutils, with the same sections.
"$MINGW_OBJDUMP" -h "$app" > "$WORK/sections.after.txt" || fail "objdump -h does not recognize the stamped exe"
diff <(tail -n +3 "$WORK/sections.before.txt") <(tail -n +3 "$WORK/sections.after.txt") > /dev/null \
  || fail "the section table changed when stamping"

# The CheckSum was recomputed (the slot changed, so the sum did).
read -r stored computed < <(pe_checksums "$app")
[ "$stored" = "$computed" ] || fail "after stamping: CheckSum $stored, independent computation $computed"
objdump_checksum=$("$MINGW_OBJDUMP" -p "$app" | awk '$1 == "CheckSum" {print $2}')
[ "$objdump_checksum" = "$stored" ] || fail "objdump -p shows CheckSum $objdump_checksum, expected $stored"
echo "stamped CheckSum: $stored"

# In place: only slot bytes and the CheckSum field differ from the unstamped file.
[ "$(stat -c %s "$app")" = "$(stat -c %s "$WORK/unstamped.exe")" ] || fail "stamping changed the file size"
slot_offset=$(jq -r '.slots[0].slot_offset' "$WORK/j.json")
capacity=$(jq -r '.slots[0].capacity' "$WORK/j.json")
[[ "$slot_offset" =~ ^[0-9]+$ && "$capacity" =~ ^[0-9]+$ ]] || fail "inspect --json shows no slot offset and capacity"
checksum_field=$(python3 -c 'import struct,sys; print(struct.unpack_from("<I", open(sys.argv[1],"rb").read(), 0x3C)[0] + 24 + 64)' "$app")
# cmp -l prints 1-based offsets; it exits 1 when the files differ.
cmp -l "$WORK/unstamped.exe" "$app" > "$WORK/changed.txt" || [ $? = 1 ] || fail "cmp failed"
[ -s "$WORK/changed.txt" ] || fail "stamping changed no bytes"
awk -v s="$slot_offset" -v c="$capacity" -v f="$checksum_field" '
  { at = $1 - 1; if (!((at >= s && at < s + c) || (at >= f && at < f + 4))) { print at; bad = 1 } }
  END { exit bad }' "$WORK/changed.txt" > "$WORK/outside.txt" || fail "bytes outside the slot and CheckSum changed, first at offset $(head -1 "$WORK/outside.txt")"

# Our locator agrees with LIEF.
"$LIEF_SLOT_ORACLE" "$app" > "$WORK/oracle.txt" 2>&1 || { cat "$WORK/oracle.txt" >&2; fail "locator and LIEF disagree"; }

# The program reads the same record from memory, under wine.
expect_windows_run "$app" "$WORK/after.txt"
expect_output_matches_record "$WORK/j.json" "$WORK/after.txt"

# The C API build too.
app_c="$dir/print_record_c.exe"
"$BUILDINFO" stamp "$app_c" --no-sign --source-dir "$WORK/repo" --compiler-id GNU --compiler-version 12 \
  --project-name demo --project-version 1.0 > /dev/null
"$BUILDINFO" inspect "$app_c" --json > "$WORK/c.json"
read -r stored computed < <(pe_checksums "$app_c")
[ "$stored" = "$computed" ] || fail "C program: CheckSum $stored, independent computation $computed"
expect_windows_run "$app_c" "$WORK/c-api.txt"
expect_output_matches_record "$WORK/c.json" "$WORK/c-api.txt"

# Signed round trip with both algorithms; the CheckSum stays right and the
# program still runs.
sign_and_verify "$app" windows amd64 "$revision"
expect_tamper_detected "$app" $(( $(section_file_offset "$app" .text) + 32 )) "$WORK/keys/ecdsa-p256.pub" image
expect_tamper_detected "$app" $(( $(section_file_offset "$app" .rdata) + 8 )) "$WORK/keys/ecdsa-p256.pub" image
read -r stored computed < <(pe_checksums "$app")
[ "$stored" = "$computed" ] || fail "signed: CheckSum $stored, independent computation $computed"
expect_windows_run "$app" "$WORK/signed.txt"
grep -qx "vcs.revision=$revision" "$WORK/signed.txt" || fail "signed program does not print its revision"

# OpenTelemetry attributes under wine.
OTEL_RESOURCE_ATTRIBUTES="service.version=user-set,team=a%2Cb" expect_windows_run "$app" "$WORK/otel.txt" otel
expect_otel_matches "$app" "$WORK/otel.txt"

echo "ok: windows_pe ($(($(date +%s) - started)) s, wine prefix $WINEPREFIX)"
