# The UAPI.8 package note (FORMAT.md, "The package note"), read by the tools
# people already have. A program and a shared library it links, each with
# the note BUILDINFO_DEFINE_PACKAGE_NOTE reserves (as buildinfo_stamp()
# does), are stamped: `readelf -n` prints FDO_PACKAGING_METADATA with the
# stamped name, version and commit; `systemd-analyze inspect-elf` prints
# them for each file, and for a core dump of the program after abort() it
# lists both modules with theirs. A flipped byte in the note fails verify's
# image check. A note the linker wrote (--package-metadata) is kept unless
# --replace-package-note; --no-package-note leaves a reserved note empty. A
# mingw executable's .pkgnote section carries the same JSON (read by
# pefile) and verifies.
source "$SOURCE_ROOT/tests/e2e/common.sh"
require_tools systemd-analyze python3 mingw-gcc
/usr/bin/python3 -c "import pefile" 2> /dev/null || skip "python3-pefile is not installed (Debian: python3-pefile)"

make_repo "$WORK/repo"
revision=$(git -C "$WORK/repo" rev-parse HEAD)
include="$SOURCE_ROOT/lib/include"

cat > "$WORK/plug.c" <<'C'
#include "buildinfo/slot_layout.h"
BUILDINFO_DEFINE_PACKAGE_NOTE(512);
BUILDINFO_DEFINE_SLOT(1024);
int plug_answer(void);
int plug_answer(void) { return 42; }
C
cat > "$WORK/app.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "buildinfo/slot_layout.h"
BUILDINFO_DEFINE_PACKAGE_NOTE(512);
BUILDINFO_DEFINE_SLOT(1024);
int plug_answer(void);
int main(int argc, char** argv) {
  printf("answer %d\n", plug_answer());
  if (argc > 1 && strcmp(argv[1], "crash") == 0) abort();
  return 0;
}
C
cc -O2 -fPIC -shared -I"$include" -o "$WORK/libplug.so" "$WORK/plug.c" || fail "cannot build libplug.so"
cc -O2 -I"$include" -o "$WORK/app" "$WORK/app.c" -L"$WORK" -lplug -Wl,-rpath,"$WORK" || fail "cannot build app"
"$BUILDINFO" stamp "$WORK/app" --no-sign --source-dir "$WORK/repo" --project-name hello --project-version 1.2.3 \
  > "$WORK/stamp.txt" || fail "stamp of app failed"
grep -q '^stamped .*app (.note.package): package note, [0-9]* of 512 bytes used$' "$WORK/stamp.txt" \
  || fail "stamp does not report the package note: $(cat "$WORK/stamp.txt")"
"$BUILDINFO" stamp "$WORK/libplug.so" --no-sign --source-dir "$WORK/repo" --project-name plug \
  --project-version 0.9 --package-type example -q || fail "stamp of libplug.so failed"

# readelf -n (binutils 2.39+ names the note and prints its JSON).
readelf -n "$WORK/app" > "$WORK/notes.txt"
line=$(grep -A1 'FDO_PACKAGING_METADATA' "$WORK/notes.txt" | grep 'Packaging Metadata:') \
  || fail "readelf -n shows no FDO_PACKAGING_METADATA: $(cat "$WORK/notes.txt")"
for fact in '"type":"buildinfo"' '"name":"hello"' '"version":"1.2.3"' "\"commit\":\"$revision\"" \
  '"architecture":"amd64"' '"os":"linux"'; do
  grep -qF "$fact" <<< "$line" || fail "readelf -n: the package note lacks $fact: $line"
done
echo "readelf -n: $line"

# systemd-analyze inspect-elf on each file, then on a core dump.
expect_inspect() {  # FILE NAME VERSION TYPE
  "$SYSTEMD_ANALYZE" inspect-elf "$1" > "$WORK/inspect.txt" 2>&1 || fail "inspect-elf $1: $(cat "$WORK/inspect.txt")"
  grep -qE "^ +name: $2$" "$WORK/inspect.txt" && grep -qE "^ +version: $3$" "$WORK/inspect.txt" \
    && grep -qE "^ +commit: $revision$" "$WORK/inspect.txt" && grep -qE "^ +type: $4$" "$WORK/inspect.txt" \
    || fail "systemd-analyze inspect-elf $1 does not show $2 $3 $revision: $(cat "$WORK/inspect.txt")"
}
expect_inspect "$WORK/app" hello 1.2.3 buildinfo
expect_inspect "$WORK/libplug.so" plug 0.9 example

pattern=$(cat /proc/sys/kernel/core_pattern)
case $pattern in
  '|'*) skip "core dumps go to a program ($pattern), not to a file in the working directory" ;;
esac
mkdir -p "$WORK/cores"
(cd "$WORK/cores" && ulimit -c unlimited && "$WORK/app" crash > /dev/null 2>&1) && fail "app crash did not abort"
core=$(find "$WORK/cores" -maxdepth 1 -name 'core*' -type f -print -quit)
[ -n "$core" ] || fail "no core file was written (core_pattern $pattern)"
"$SYSTEMD_ANALYZE" inspect-elf "$core" > "$WORK/core.txt" 2>&1 || fail "inspect-elf of the core: $(cat "$WORK/core.txt")"
python3 - "$WORK/core.txt" "$WORK/app" "$WORK/libplug.so" "$revision" <<'PY' || fail "$(cat "$WORK/core.txt")"
import re, sys
text, app, lib, revision = open(sys.argv[1]).read(), sys.argv[2], sys.argv[3], sys.argv[4]
modules = {}
current = None
for line in text.splitlines():
    m = re.match(r"\s*([A-Za-z ]+?):\s(.*)$", line)
    if not m:
        continue
    key, value = m.group(1).strip(), m.group(2).strip()
    if key == "module name":
        current = modules.setdefault(value, {})
    elif current is not None:
        current[key] = value
for path, name, version in ((app, "hello", "1.2.3"), (lib, "plug", "0.9")):
    # systemd names a library by its soname, the executable by its path.
    facts = modules.get(path, modules.get(path.rsplit("/", 1)[-1]))
    if facts is None or facts.get("name") != name or facts.get("version") != version or facts.get("commit") != revision:
        sys.exit(f"the core dump's module {path} does not carry {name} {version} {revision}: {facts}")
print(f"core dump: {len(modules)} modules, app and libplug.so with their package notes")
PY

# inspect reads package notes too, its own and the linker's (below).
"$BUILDINFO" inspect "$WORK/app" --json --no-describe > "$WORK/inspect.json" || fail "inspect --json app failed"
jq -e --arg r "$revision" '.binary.package_notes | length == 1 and .[0].section == ".note.package" and
  .[0].metadata.name == "hello" and .[0].metadata.version == "1.2.3" and .[0].metadata.commit == $r' \
  "$WORK/inspect.json" > /dev/null || fail "inspect --json: $(jq -c .binary.package_notes "$WORK/inspect.json")"
jq -e --arg r "$revision" '[.records[] | select(.kind == "package-note")] | length == 1 and
  .[0].source == ".note.package" and .[0].data.name == "hello" and .[0].data.commit == $r' \
  "$WORK/inspect.json" > /dev/null || fail "inspect --json records: $(jq -c .records "$WORK/inspect.json")"
jq -e '[.records[].kind] | index("buildinfo") == 0 and index("gnu-build-id") != null' "$WORK/inspect.json" > /dev/null \
  || fail "inspect --json records lack our slot first or the build-id: $(jq -c '[.records[].kind]' "$WORK/inspect.json")"
"$BUILDINFO" inspect "$WORK/app" --no-describe | matches -E '^    name +hello$' \
  || fail "inspect shows no package note line"

# Covered by image.sha256.
python3 - "$WORK/app" "$WORK/app-flipped" <<'PY'
import sys
data = bytearray(open(sys.argv[1], "rb").read())
at = data.find(b'"name":"hello"')
assert at > 0
data[at + 8] ^= 0x01
open(sys.argv[2], "wb").write(data)
PY
rc=0
"$BUILDINFO" verify "$WORK/app-flipped" --allow-unsigned > "$WORK/verify.txt" 2>&1 || rc=$?
[ "$rc" = 1 ] && grep -q '^  FAIL  image ' "$WORK/verify.txt" \
  || fail "a flipped package-note byte: verify exited $rc: $(cat "$WORK/verify.txt")"
"$BUILDINFO" verify "$WORK/app" --allow-unsigned > /dev/null || fail "the stamped app does not verify"

# A note the linker wrote is kept; replacing it needs room.
printf '#include "buildinfo/slot_layout.h"\nBUILDINFO_DEFINE_SLOT(1024);\nint main(void) { return 0; }\n' > "$WORK/linked.c"
cc -O2 -I"$include" -Xlinker '--package-metadata={"type":"deb","name":"from-the-linker"}' -o "$WORK/linked" \
  "$WORK/linked.c" || fail "the linker does not take --package-metadata"
"$BUILDINFO" stamp "$WORK/linked" --no-sign --source-dir "$WORK/repo" --project-name hello > "$WORK/out.txt" 2> "$WORK/err.txt" \
  || fail "stamp of a file with a linker's package note failed: $(cat "$WORK/err.txt")"
grep -q "keeps the package note in .note.package that it was linked with" "$WORK/err.txt" \
  || fail "stamp does not say it keeps the linker's note: $(cat "$WORK/err.txt")"
readelf -n "$WORK/linked" | matches -F '"name":"from-the-linker"' || fail "the linker's package note was changed"
"$BUILDINFO" inspect "$WORK/linked" --json --no-describe | jq -e '.binary.package_notes[0].metadata ==
  {"type": "deb", "name": "from-the-linker"}' > /dev/null || fail "inspect does not read the linker's package note"
"$BUILDINFO" inspect "$WORK/linked" --json --no-describe | jq -e '[.records[] | select(.kind == "package-note")][0].data ==
  {"type": "deb", "name": "from-the-linker"}' > /dev/null || fail "inspect records lack the linker's package note"
# A binary with no slot at all: inspect still shows the linker's note.
printf 'int main(void) { return 0; }\n' > "$WORK/linker-only.c"
cc -O2 -Xlinker '--package-metadata={"type":"rpm","name":"plain","version":"4.5"}' -o "$WORK/linker-only" \
  "$WORK/linker-only.c"
rc=0
"$BUILDINFO" inspect "$WORK/linker-only" --json --no-describe > "$WORK/plain.json" 2> /dev/null || rc=$?
[ "$rc" = 3 ] && jq -e '.result == "no_slot" and ([.records[] | select(.kind == "package-note")][0].data ==
  {"type": "rpm", "name": "plain", "version": "4.5"})' "$WORK/plain.json" > /dev/null \
  || fail "inspect of a binary with only a linker's package note: exit $rc, $(cat "$WORK/plain.json")"
{ "$BUILDINFO" inspect "$WORK/linker-only" --no-describe 2> /dev/null || true; } | matches -E '^    version +4\.5$' \
  || fail "inspect's text view of a binary without a slot lacks its package note"
cp "$WORK/linked" "$WORK/linked.before"
rc=0
"$BUILDINFO" stamp "$WORK/linked" --no-sign --source-dir "$WORK/repo" --replace-package-note 2> "$WORK/err.txt" || rc=$?
[ "$rc" = 2 ] && grep -q "package note needs [0-9]* bytes but .note.package holds [0-9]*" "$WORK/err.txt" \
  || fail "--replace-package-note into a note too small: exit $rc: $(cat "$WORK/err.txt")"
cmp -s "$WORK/linked" "$WORK/linked.before" || fail "a failed stamp changed the file"

# --no-package-note leaves the reserved note as linked.
cc -O2 -I"$include" -o "$WORK/plain" "$WORK/app.c" -L"$WORK" -lplug || fail "cannot build plain"
"$BUILDINFO" stamp "$WORK/plain" --no-sign --source-dir "$WORK/repo" --no-package-note -q || fail "stamp --no-package-note failed"
readelf -n "$WORK/plain" | matches -x '    Packaging Metadata: {}' || fail "--no-package-note filled the note: $(readelf -n "$WORK/plain" | grep -A1 FDO)"

# PE: the .pkgnote section.
"$MINGW_GCC" -O2 -I"$include" -o "$WORK/app.exe" "$WORK/plug.c" -x c - <<'C' || fail "cannot build app.exe"
int plug_answer(void);
int main(void) { return plug_answer() == 42 ? 0 : 1; }
C
"$BUILDINFO" stamp "$WORK/app.exe" --no-sign --source-dir "$WORK/repo" --project-name hello --project-version 1.2.3 -q \
  || fail "stamp of app.exe failed"
# Debian's python3-pefile, for Debian's python3.
/usr/bin/python3 - "$WORK/app.exe" "$revision" <<'PY' || fail "the .pkgnote section does not hold the stamped facts"
import json, sys
import pefile
pe = pefile.PE(sys.argv[1])
[section] = [s for s in pe.sections if s.Name.rstrip(b"\0") == b".pkgnote"]
data = section.get_data()
note = json.loads(data[:data.index(b"\0")])
expected = {"type": "buildinfo", "name": "hello", "version": "1.2.3", "commit": sys.argv[2], "os": "windows",
            "architecture": "amd64"}
assert all(note.get(k) == v for k, v in expected.items()), note
assert pe.OPTIONAL_HEADER.CheckSum == pe.generate_checksum(), "the PE CheckSum is wrong"
print("pefile: .pkgnote", json.dumps(note, sort_keys=True))
PY
"$BUILDINFO" verify "$WORK/app.exe" --allow-unsigned > "$WORK/verify.txt" || fail "app.exe: $(cat "$WORK/verify.txt")"
"$BUILDINFO" inspect "$WORK/app.exe" --json --no-describe | jq -e --arg r "$revision" '[.records[] |
  select(.kind == "package-note")] | length == 1 and .[0].source == ".pkgnote" and .[0].data.commit == $r' > /dev/null \
  || fail "inspect --json records lack the .pkgnote of app.exe"

# A Debian binary built with a package note (systemd's, by its packaging):
# inspect reads the same object that readelf prints, and the version dpkg has.
debian=/usr/bin/systemctl
metadata=$(readelf -n "$debian" | sed -n 's/^ *Packaging Metadata: //p')
[ -n "$metadata" ] || fail "$debian carries no package note: $(readelf -n "$debian")"
rc=0
"$BUILDINFO" inspect "$debian" --json --no-describe > "$WORK/debian.json" 2> /dev/null || rc=$?
[ "$rc" = 3 ] || fail "inspect $debian exited $rc (3: no buildinfo slot)"
jq -e --argjson m "$metadata" --arg v "$(dpkg-query -W -f '${Version}' systemd)" \
  '[.records[] | select(.kind == "package-note")][0].data | . == $m and .version == $v' "$WORK/debian.json" > /dev/null \
  || fail "inspect $debian: $(jq -c .records "$WORK/debian.json"), readelf: $metadata"
echo "ok"
