# Go's build info, read by inspect from Debian's own Go binary (golang-go):
# the Go version, the main package path and every build setting are those
# `go version -m` prints for the same file.
source "$SOURCE_ROOT/tests/e2e/common.sh"
require_tools go

binary=$(readlink -f "$GO")
expected=$("$GO" version -m "$binary")
rc=0
"$BUILDINFO" inspect "$binary" --json --no-describe > "$WORK/inspect.json" 2> "$WORK/err.txt" || rc=$?
[ "$rc" = 3 ] || fail "inspect $binary exited $rc (3: no buildinfo slot): $(cat "$WORK/err.txt")"
record=$(jq -c '[.records[] | select(.kind == "go-buildinfo")] | if length == 1 then .[0] else error("not one") end' \
  "$WORK/inspect.json") || fail "no single go-buildinfo record: $(jq -c .records "$WORK/inspect.json")"
[ "$(jq -r .data.go_version <<< "$record")" = "$(head -1 <<< "$expected" | sed 's/^.*: //')" ] \
  || fail "Go version: $(jq -r .data.go_version <<< "$record") vs $(head -1 <<< "$expected")"
[ "$(jq -r .data.path <<< "$record")" = "$(awk -F'\t' '$2 == "path" {print $3}' <<< "$expected")" ] \
  || fail "path: $(jq -r .data.path <<< "$record")"
settings_go=$(awk -F'\t' '$2 == "build" {print $3}' <<< "$expected" | sort)
settings_ours=$(jq -r '.data.settings | to_entries[] | "\(.key)=\(.value)"' <<< "$record" | sort)
[ -n "$settings_go" ] && [ "$settings_go" = "$settings_ours" ] \
  || fail "build settings differ: go version -m: $settings_go; inspect: $settings_ours"
deps_go=$(awk -F'\t' '$2 == "dep" {print $3 " " $4}' <<< "$expected" | sort)
deps_ours=$(jq -r '.data.deps[]? | "\(.path) \(.version)"' <<< "$record" | sort)
[ "$deps_go" = "$deps_ours" ] || fail "deps differ: go version -m: $deps_go; inspect: $deps_ours"
{ "$BUILDINFO" inspect "$binary" --no-describe 2> /dev/null || true; } | matches "^  go-buildinfo (" \
  || fail "the text view has no go-buildinfo block"
echo "ok: $(wc -l <<< "$settings_go") build settings of $binary match go version -m"
