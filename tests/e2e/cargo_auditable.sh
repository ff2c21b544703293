# inspect reads cargo-auditable's dependency list: a Rust program (Debian's
# rustc) carrying a .dep-v0 section made to cargo-auditable's PARSING.md
# (zlib-compressed JSON of the packages, the root and the dependency edges
# by index) lists in its cargo-auditable record every package with its
# version, source and dependencies. A byte changed in the compressed data
# gives a record with an error, not a crash; the program still runs.
source "$SOURCE_ROOT/tests/e2e/common.sh"
require_tools rustc

cat > "$WORK/audit.json" <<'JSON'
{"packages":[{"name":"demo","version":"0.3.1","source":"local","dependencies":[1,2],"root":true},{"name":"itoa","version":"1.0.10","source":"crates.io"},{"name":"serde","version":"1.0.197","source":"crates.io","dependencies":[1]},{"name":"cc","version":"1.0.83","source":"crates.io","kind":"build"}]}
JSON
# The section as cargo-auditable writes it: the JSON, zlib-compressed.
/usr/bin/python3 - "$WORK/audit.json" "$WORK/main.rs" <<'PY'
import sys, zlib
data = zlib.compress(open(sys.argv[1], "rb").read().strip(), 9)
body = ", ".join(str(b) for b in data)
open(sys.argv[2], "w").write(
    "#[used]\n#[link_section = \".dep-v0\"]\n"
    "static DEP_V0: [u8; %d] = [%s];\n\n"
    "fn main() {\n"
    "    // A read the optimiser keeps, so that the linker keeps the section.\n"
    "    let first = unsafe { std::ptr::read_volatile(&DEP_V0[0]) };\n"
    "    println!(\"demo {} {}\", DEP_V0.len(), first);\n}\n" % (len(data), body))
PY
"$RUSTC" -O -o "$WORK/demo" "$WORK/main.rs" > "$WORK/rustc.log" 2>&1 || { cat "$WORK/rustc.log" >&2; fail "rustc failed"; }
"$WORK/demo" | matches '^demo [0-9]' || fail "the Rust program does not run"
# (readelf's output is kept whole: grep -q stopping early would make it die of SIGPIPE.)
readelf -SW "$WORK/demo" > "$WORK/sections.txt"
grep -q ' \.dep-v0 ' "$WORK/sections.txt" || fail "the Rust program has no .dep-v0 section: $(cat "$WORK/sections.txt")"

# No buildinfo slot: inspect exits 3 and still reads the other records.
rc=0
"$BUILDINFO" inspect --json "$WORK/demo" > "$WORK/inspect.json" || rc=$?
[ "$rc" = 3 ] || fail "inspect of a Rust program without a slot exited $rc, expected 3"
jq -e '.result == "no_slot"' "$WORK/inspect.json" > /dev/null || fail "the result is not no_slot"
record=$(jq -c '[.records[] | select(.kind == "cargo-auditable")]' "$WORK/inspect.json")
[ "$(jq length <<< "$record")" = 1 ] || fail "inspect found $(jq length <<< "$record") cargo-auditable records: $record"
[ "$(jq -r '.[0].source' <<< "$record")" = .dep-v0 ] || fail "the record's source: $record"
got=$(jq -c '[.[0].data.packages[] | [.name, .version, .source, (.dependencies // []), (.root // false), (.kind // "runtime")]]' <<< "$record")
expected='[["demo","0.3.1","local",[1,2],true,"runtime"],["itoa","1.0.10","crates.io",[],false,"runtime"],["serde","1.0.197","crates.io",[1],false,"runtime"],["cc","1.0.83","crates.io",[],false,"build"]]'
[ "$got" = "$expected" ] || fail "the cargo-auditable packages: $got"
{ "$BUILDINFO" inspect "$WORK/demo" 2> /dev/null || true; } | matches 'cargo-auditable (.dep-v0)' \
  || fail "inspect's text view shows no cargo-auditable record"

# A changed byte inside the compressed data: the record says why, no crash.
offset=$(elf_section_offset "$WORK/demo" .dep-v0)
cp "$WORK/demo" "$WORK/damaged"
flip_byte "$WORK/damaged" $((offset + 8))
"$WORK/damaged" > /dev/null || fail "the damaged copy does not run"
rc=0
"$BUILDINFO" inspect --json "$WORK/damaged" > "$WORK/damaged.json" || rc=$?
[ "$rc" = 3 ] || fail "inspect of the damaged copy exited $rc"
error=$(jq -r '.records[] | select(.kind == "cargo-auditable") | .error // empty' "$WORK/damaged.json")
[ -n "$error" ] || fail "a damaged .dep-v0 gave no error: $(jq -c .records "$WORK/damaged.json")"
echo "cargo-auditable: 4 packages read from a rustc $("$RUSTC" --version | cut -d' ' -f2) binary; damaged: $error"
