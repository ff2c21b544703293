# inspect's Mach-O records against llvm-objdump's reading of the same load
# commands: LC_BUILD_VERSION (platform, minimum OS, SDK, tools) of arm64 and
# x86_64 programs for macOS 11, LC_VERSION_MIN_MACOSX of an x86_64 program
# for 10.13 (where ld64.lld writes that instead), and LC_UUID, for thin
# files and for each slice of a universal one. llvm-objdump prints "11.0"
# where the record says "11.0.0"; the comparison drops a trailing ".0".
source "$SOURCE_ROOT/tests/e2e/common.sh"
require_tools clang ld64.lld llvm-objdump llvm-lipo

echo 'void start(void) { for (;;) { } }' > "$WORK/start.c"
build() {  # TARGET OUTPUT
  clang -target "$1" -fuse-ld=lld -Os -ffreestanding -nostdlib -Wl,-e,_start "$WORK/start.c" -o "$2" \
    || fail "clang -target $1 failed"
}
build arm64-apple-macos11 "$WORK/arm64"
build x86_64-apple-macos11 "$WORK/x86_64"
build x86_64-apple-macos10.13 "$WORK/x86_64-10.13"
"$LLVM_LIPO" -create "$WORK/arm64" "$WORK/x86_64-10.13" -output "$WORK/universal" || fail "llvm-lipo failed"

# llvm-objdump's load commands of $1 (architecture $2 of a universal file)
# as the records inspect gives, one JSON line each, sorted.
objdump_records() {
  local arch_args=()
  [ -n "${2:-}" ] && arch_args=(--arch "$2")
  "$LLVM_OBJDUMP" --macho --private-headers "${arch_args[@]}" "$1" | /usr/bin/python3 -c '
import json, sys
commands, current = [], None
for line in sys.stdin:
    words = line.split()
    if len(words) >= 2 and words[0] == "cmd":
        current = {"cmd": words[1]}
        commands.append(current)
    elif current is not None and len(words) >= 2:
        current.setdefault(words[0], []).append(" ".join(words[1:]))
def short(version):
    return version[:-2] if version.endswith(".0") else version
for c in commands:
    if c["cmd"] == "LC_UUID":
        print(json.dumps({"kind": "macho-uuid", "uuid": c["uuid"][0]}, sort_keys=True, separators=(",", ":")))
    elif c["cmd"] == "LC_BUILD_VERSION":
        tools = [{"tool": t, "version": short(v)} for t, v in zip(c.get("tool", []), c.get("version", []))]
        print(json.dumps({"kind": "macho-build-version", "platform": c["platform"][0], "minos": short(c["minos"][0]),
                          "sdk": short(c["sdk"][0]), "tools": tools}, sort_keys=True, separators=(",", ":")))
    elif c["cmd"].startswith("LC_VERSION_MIN_"):
        print(json.dumps({"kind": "macho-build-version", "platform": {"LC_VERSION_MIN_MACOSX": "macos"}.get(c["cmd"], c["cmd"]),
                          "minos": short(c["version"][0]), "sdk": short(c["sdk"][0]), "tools": []}, sort_keys=True, separators=(",", ":")))
' | sort
}

# inspect's records of $1 for architecture $2 (OpenTelemetry's name), in the same form.
inspect_records() {
  { "$BUILDINFO" inspect --json "$1" 2> /dev/null || true; } | jq -c --arg arch "$2" '
    def short: if endswith(".0") then .[:-2] else . end;
    .records[] | select(.kind | startswith("macho-")) | select(.data.arch == $arch)
    | if .kind == "macho-uuid" then {kind, uuid: .data.uuid}
      else {kind, platform: .data.platform, minos: (.data.minos | short | short), sdk: (.data.sdk | short | short),
            tools: [(.data.tools // [])[] | {tool, version: (.version | short)}]} end' | jq -cS . | sort
}

compare() {  # FILE ARCH [LIPO_ARCH]
  local ours theirs
  theirs=$(objdump_records "$1" "${3:-}")
  ours=$(inspect_records "$1" "$2")
  [ -n "$theirs" ] || fail "llvm-objdump shows no Mach-O version commands in $1"
  [ "$ours" = "$theirs" ] || fail "$1 ($2): inspect gives"$'\n'"$ours"$'\n'"llvm-objdump"$'\n'"$theirs"
  echo "$(basename "$1") $2: $(paste -sd' ' <<< "$ours")"
}
compare "$WORK/arm64" arm64
compare "$WORK/x86_64" amd64
compare "$WORK/x86_64-10.13" amd64
"$LLVM_OBJDUMP" --macho --private-headers "$WORK/x86_64-10.13" > "$WORK/10.13.txt"
grep -q 'cmd LC_VERSION_MIN_MACOSX' "$WORK/10.13.txt" \
  || fail "the 10.13 program has no LC_VERSION_MIN_MACOSX: the test does not cover it"
compare "$WORK/universal" arm64 arm64
compare "$WORK/universal" amd64 x86_64
