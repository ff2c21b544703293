# The dependency inventory (FORMAT.md, "The dependency inventory") from
# stamp --dep and --deps-file, in ELF, PE and Mach-O (thin and universal)
# binaries with BUILDINFO_DEFINE_DEPENDENCIES: inspect lists it (text and
# --json), verify checks it against deps.sha256; a changed byte in it fails
# verify (exit 1); a binary without a dependency space, a list larger than
# its space and a bad --deps-file are refused (exit 2) with the file left as
# it was; a stamp without dependencies empties the space.
source "$SOURCE_ROOT/tests/e2e/common.sh"
require_tools mingw-gcc clang ld64.lld llvm-lipo

make_repo "$WORK/repo"
include="$SOURCE_ROOT/lib/include"
cat > "$WORK/prog.c" <<'C'
#include "buildinfo/slot_layout.h"
BUILDINFO_DEFINE_DEPENDENCIES(2048);
BUILDINFO_DEFINE_SLOT(1024);
volatile unsigned char sink;
void start(void) {
  uint32_t capacity = 0;
  sink = buildinfo_slot_bytes(&capacity)[0];
  for (;;) {
  }
}
C
flags=(-Os -I"$include" -ffreestanding -nostdlib -static -fno-asynchronous-unwind-tables)
cc "${flags[@]}" -Wl,-e,start "$WORK/prog.c" -o "$WORK/app.elf" || fail "cannot build the ELF program"
"$MINGW_GCC" "${flags[@]}" -Wl,-e,start "$WORK/prog.c" -o "$WORK/app.exe" || fail "cannot build the PE program"
for arch in arm64 x86_64; do
  clang -target "$arch-apple-macos11" -fuse-ld=lld -Os -I"$include" -ffreestanding -nostdlib -Wl,-e,_start \
    "$WORK/prog.c" -o "$WORK/app-$arch.macho" || fail "cannot build the $arch Mach-O program"
done

"$LLVM_LIPO" -create "$WORK/app-arm64.macho" "$WORK/app-x86_64.macho" -output "$WORK/app.universal"

cat > "$WORK/deps.json" <<'JSON'
{"dependencies": [
  {"name": "zlib", "version": "1.2.13", "purl": "pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64&distro=debian-12",
   "linkage": "shared", "source": "find_package"},
  {"name": "fmt", "version": "10.1.0", "linkage": "static", "source": "subproject",
   "vcs": {"revision": "0123456789abcdef0123456789abcdef01234567", "modified": "false"},
   "depends": ["pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64&distro=debian-12"]}
]}
JSON
expected='[{"name":"zlib","version":"1.2.13","purl":"pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64&distro=debian-12","linkage":"shared"},{"name":"fmt","version":"10.1.0","purl":"pkg:generic/fmt@10.1.0","linkage":"static"},{"name":"sqlite","version":"3.40.1","purl":"pkg:generic/sqlite@3.40.1","linkage":null}]'
for file in app.elf app.exe app.universal; do
  bin="$WORK/$file"
  "$BUILDINFO" stamp "$bin" --no-sign --source-dir "$WORK/repo" --deps-file "$WORK/deps.json" --dep sqlite=3.40.1 \
    > "$WORK/stamp.txt" 2>&1 || fail "stamp --deps-file of $file failed: $(cat "$WORK/stamp.txt")"
  grep -q "dependency inventory, 3 dependencies, [0-9]* of 2048 bytes used" "$WORK/stamp.txt" \
    || fail "stamp does not report the inventory of $file: $(cat "$WORK/stamp.txt")"
  "$BUILDINFO" inspect --json "$bin" > "$WORK/inspect.json" || fail "inspect of $file failed"
  got=$(jq -c '[.dependencies[] | {name, version, purl, linkage}]' "$WORK/inspect.json")
  [ "$got" = "$expected" ] || fail "inspect --json of $file lists $got"
  [ "$(jq -r '.dependencies[] | select(.name == "fmt") | .depends[0]' "$WORK/inspect.json")" = \
    "pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64&distro=debian-12" ] || fail "$file: fmt's depends is lost"
  [ "$(jq -r '.record["deps.count"]' "$WORK/inspect.json")" = 3 ] || fail "$file: deps.count is not 3"
  # The stored document validates against docs/dependencies-v1.schema.json
  # and hashes to deps.sha256.
  /usr/bin/python3 - "$bin" "$SOURCE_ROOT/docs/dependencies-v1.schema.json" "$(jq -r '.record["deps.sha256"]' "$WORK/inspect.json")" <<'PY' \
    || fail "the inventory stored in $file does not validate or does not hash to deps.sha256"
import hashlib, json, sys
import jsonschema
data = open(sys.argv[1], "rb").read()
start = data.index(b'{"dependencies":')
text = data[start:data.index(b"\0", start)]
jsonschema.validate(json.loads(text), json.load(open(sys.argv[2])))
assert hashlib.sha256(text).hexdigest() == sys.argv[3], "sha256"
PY
  "$BUILDINFO" inspect "$bin" > "$WORK/inspect.txt" || fail "inspect (text) of $file failed"
  grep -qE '^  zlib +1\.2\.13 +shared +pkg:deb/debian/zlib1g@1:1\.2\.13\.dfsg-1\?arch=amd64&distro=debian-12$' \
    "$WORK/inspect.txt" || fail "inspect's text view of $file: $(cat "$WORK/inspect.txt")"
  "$BUILDINFO" verify "$bin" --allow-unsigned > "$WORK/verify.txt" 2>&1 \
    || fail "verify of $file failed: $(cat "$WORK/verify.txt")"
  grep -q '^  ok    dependencies 3 dependencies, sha256 ' "$WORK/verify.txt" \
    || fail "verify does not check the inventory of $file: $(cat "$WORK/verify.txt")"

  # A changed byte in the inventory fails verify's dependencies and image checks.
  cp "$bin" "$WORK/tampered"
  offset=$(/usr/bin/python3 -c 'import sys; print(open(sys.argv[1], "rb").read().index(b"10.1.0"))' "$WORK/tampered")
  printf '2' | dd of="$WORK/tampered" bs=1 seek="$offset" conv=notrunc 2> /dev/null
  rc=0
  "$BUILDINFO" verify "$WORK/tampered" --allow-unsigned > "$WORK/tampered.txt" 2>&1 || rc=$?
  [ "$rc" = 1 ] && grep -q 'FAIL  dependencies the dependency inventory in .* hashes to' "$WORK/tampered.txt" \
    || fail "verify of $file with a changed inventory exited $rc: $(cat "$WORK/tampered.txt")"
  "$BUILDINFO" inspect --json "$WORK/tampered" | jq -e '.dependencies == null and (.dependencies_error | test("hashes to"))' \
    > /dev/null || fail "inspect shows a changed inventory of $file as if it were bound"

  # A stamp without dependencies empties the space.
  "$BUILDINFO" stamp "$bin" --no-sign --source-dir "$WORK/repo" -q || fail "stamp of $file without deps failed"
  "$BUILDINFO" inspect --json "$bin" | jq -e '.dependencies == null and (.record | has("deps.sha256") | not)' \
    > /dev/null || fail "a stamp without dependencies kept the inventory of $file"
  ! grep -q 'sqlite' "$bin" || fail "the old inventory is still in $file"
  "$BUILDINFO" verify "$bin" --allow-unsigned > /dev/null 2>&1 || fail "verify of $file without deps failed"
done

# verify --require-dep and --deny-dep over the inventory: by name with the
# build system's version, by the purl's package with Debian's version.
bin="$WORK/app.elf"
"$BUILDINFO" stamp "$bin" --no-sign --source-dir "$WORK/repo" --deps-file "$WORK/deps.json" -q || fail "restamp failed"
"$BUILDINFO" verify "$bin" --allow-unsigned --require-dep 'zlib>=1.2.12' --require-dep 'zlib1g>=1:1.2.13.dfsg-1' \
  --deny-dep 'fmt<10.0' --deny-dep 'zlib1g<1:1.2.13.dfsg-1' --deny-dep openssl > "$WORK/policy.txt" 2>&1 \
  || fail "policies that hold failed: $(cat "$WORK/policy.txt")"
[ "$(grep -c '^  ok    \(require\|deny\)-dep' "$WORK/policy.txt")" = 5 ] || fail "not five policy checks: $(cat "$WORK/policy.txt")"
rc=0
"$BUILDINFO" verify "$bin" --allow-unsigned --deny-dep 'fmt<11' --json > "$WORK/policy.json" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "--deny-dep 'fmt<11' exited $rc: $(cat "$WORK/policy.json")"
jq -e '.slots[0].checks[] | select(.check == "deny-dep") | .ok == false and .expected == "fmt<11" and .actual == ["fmt 10.1.0"]' \
  "$WORK/policy.json" > /dev/null || fail "the deny-dep check in --json: $(cat "$WORK/policy.json")"
rc=0
"$BUILDINFO" verify "$WORK/app.exe" --allow-unsigned --require-dep zlib > "$WORK/policy.txt" 2>&1 || rc=$?
[ "$rc" = 1 ] && grep -q 'FAIL  require-dep the record binds no dependency inventory' "$WORK/policy.txt" \
  || fail "--require-dep without an inventory exited $rc: $(cat "$WORK/policy.txt")"
rc=0
"$BUILDINFO" verify "$bin" --allow-unsigned --deny-dep 'zlib<' > "$WORK/policy.txt" 2>&1 || rc=$?
[ "$rc" = 2 ] && grep -q "deny-dep 'zlib<' is not NAME" "$WORK/policy.txt" || fail "a malformed constraint exited $rc"

# Refusals: each exit 2, one line naming the file, the binary unchanged.
expect_refused() {  # BINARY WHAT ARGS...
  local bin=$1 what=$2 before rc=0
  shift 2
  before=$(sha256sum < "$bin")
  "$BUILDINFO" stamp "$bin" --no-sign --source-dir "$WORK/repo" "$@" > "$WORK/refused.txt" 2>&1 || rc=$?
  [ "$rc" = 2 ] || fail "$what: stamp exited $rc, expected 2: $(cat "$WORK/refused.txt")"
  [ "$(wc -l < "$WORK/refused.txt")" = 1 ] || fail "$what: not one line: $(cat "$WORK/refused.txt")"
  [ "$(sha256sum < "$bin")" = "$before" ] || fail "$what: the binary changed"
  echo "$what: $(cat "$WORK/refused.txt")"
}
cat > "$WORK/plain.c" <<'C'
#include "buildinfo/slot_layout.h"
BUILDINFO_DEFINE_SLOT(1024);
int main(void) { return 0; }
C
cc -I"$include" "$WORK/plain.c" -o "$WORK/plain" || fail "cannot build the program without a dependency space"
expect_refused "$WORK/plain" "no dependency space" --dep zlib=1
grep -q "plain: has no dependency space for --dep/--deps-file" "$WORK/refused.txt" || fail "the message does not say why"
many=()
for i in $(seq 1 40); do many+=(--dep "library-with-a-long-name-$i=1.2.3.4.5.6.7.8"); done
expect_refused "$WORK/app.elf" "an inventory larger than its space" "${many[@]}"
grep -q "app.elf: the dependency inventory needs [0-9]* bytes but .note.buildinfo.deps holds 2048" "$WORK/refused.txt" \
  || fail "the message does not give both sizes"
echo '{"dependencies": [{"name": "a", "depends": ["pkg:generic/b"]}]}' > "$WORK/bad.json"
expect_refused "$WORK/app.elf" "a --deps-file with a dangling depends" --deps-file "$WORK/bad.json"
grep -q "bad.json: dependency a depends on pkg:generic/b, which is not in the inventory" "$WORK/refused.txt" \
  || fail "the message does not name the dangling purl"
echo "inventory in ELF, PE and universal Mach-O: listed, verified, tamper fails, refusals exit 2"
