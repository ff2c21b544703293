# A plug-in of the tool (tool/plugins/plugin_abi.h) that is not of this build is
# refused before any of its functions runs: another version, another
# interface number, the other plug-in under its name, a shared object with
# no plug-in table (an older plug-in). Each refusal is one line naming the
# file (beside the executable, or installed in ../lib/buildinfo) and, for
# another build, both versions; exit code 2, and the input is unchanged.
# The plug-ins of this build, copied beside a copy of the tool, work.
source "$SOURCE_ROOT/tests/e2e/common.sh"

make_repo "$WORK/repo"
version=$("$BUILDINFO" --version)
[ -n "$version" ] || fail "buildinfo --version printed nothing"
plugins=$(dirname "$BUILDINFO")
[ -f "$plugins/buildinfo-git.so" ] && [ -f "$plugins/buildinfo-lief.so" ] || fail "no plug-ins beside $BUILDINFO"

cat > "$WORK/main.c" <<'C'
#include "buildinfo/slot_layout.h"
BUILDINFO_DEFINE_SLOT(BUILDINFO_DEFAULT_CAPACITY);
int main(void) { return buildinfo_slot.slot[0]; }
C
cc -I"$SOURCE_ROOT/lib/include" -o "$WORK/app" "$WORK/main.c"
"$BUILDINFO" stamp "$WORK/app" --no-sign --source-dir "$WORK/repo" -q
"$BUILDINFO" vcs-state --source-dir "$WORK/repo" --output "$WORK/state"

# A stand-in plug-in: kind GIT or LIEF, interface ABI, version VERSION. Its
# functions abort: the loader must refuse it before calling any.
cat > "$WORK/standin.c" <<'C'
#include <stdlib.h>
#include "plugin_abi.h"
#ifdef GIT
static buildinfo_git_result* read_facts(const char* dir, int32_t untracked) { (void)dir; (void)untracked; abort(); }
static void release_facts(buildinfo_git_result* result) { (void)result; abort(); }
const buildinfo_git_plugin buildinfo_plugin = {
    {ABI, BUILDINFO_PLUGIN_GIT, VERSION, sizeof(buildinfo_git_plugin)}, read_facts, release_facts};
#else
static buildinfo_lief_description* describe(const char* path) { (void)path; abort(); }
static void release(buildinfo_lief_description* description) { (void)description; abort(); }
const buildinfo_lief_plugin buildinfo_plugin = {
    {ABI, BUILDINFO_PLUGIN_LIEF, VERSION, sizeof(buildinfo_lief_plugin)}, describe, release};
#endif
C
# Builds stand-in $1 (a file path) of kind $2 (GIT or LIEF), version $3, interface $4.
standin() {
  mkdir -p "$(dirname "$1")"
  cc -shared -fPIC -I"$SOURCE_ROOT/tool/plugins" -D"$2" -DVERSION="\"$3\"" -DABI="$4" -o "$1" "$WORK/standin.c"
}

# A copy of the tool in directory $1, with this build's plug-ins beside it.
tool_copy() {
  rm -rf "$1"
  mkdir -p "$1"
  cp "$BUILDINFO" "$plugins/buildinfo-git.so" "$plugins/buildinfo-lief.so" "$1/"
}

# Runs tool $1 with the remaining arguments; checks exit code 2, nothing on
# stdout, and one line on stderr that is exactly $2.
expect_refused() {
  local tool=$1 line=$2 rc=0
  shift 2
  "$tool" "$@" > "$WORK/out.txt" 2> "$WORK/err.txt" || rc=$?
  [ "$rc" = 2 ] || fail "$tool $*: exit $rc, expected 2 (stderr: $(cat "$WORK/err.txt"))"
  [ ! -s "$WORK/out.txt" ] || fail "$tool $*: printed before refusing: $(cat "$WORK/out.txt")"
  [ "$(wc -l < "$WORK/err.txt")" = 1 ] || fail "$tool $*: the error is not one line: $(cat "$WORK/err.txt")"
  [ "$(cat "$WORK/err.txt")" = "$line" ] || fail "$tool $*: stderr
  $(cat "$WORK/err.txt")
expected
  $line"
}

abi=$(sed -n 's/^#define BUILDINFO_PLUGIN_ABI \([0-9]*\)u$/\1/p' "$SOURCE_ROOT/tool/plugins/plugin_abi.h")
[ -n "$abi" ] || fail "no BUILDINFO_PLUGIN_ABI in plugin_abi.h"
this_tool="this tool is $version (interface $abi)"

# The LIEF plug-in from another build: inspect refuses it (text and JSON);
# what needs no description still works.
other="$WORK/other-lief"
tool_copy "$other"
standin "$other/buildinfo-lief.so" LIEF 0.0.0-other "$abi"
refusal="buildinfo: $other/buildinfo-lief.so is from another build of buildinfo: the plug-in is 0.0.0-other (interface $abi), $this_tool; reinstall buildinfo"
expect_refused "$other/buildinfo" "$refusal" inspect "$WORK/app"
expect_refused "$other/buildinfo" "$refusal" inspect "$WORK/app" --json
expect_refused "$other/buildinfo" "$refusal" inspect "$WORK/app" "$WORK/app" --json
"$other/buildinfo" inspect "$WORK/app" --no-describe > /dev/null || fail "inspect --no-describe loads the LIEF plug-in"
"$other/buildinfo" inspect "$WORK/app" --dsse > /dev/null || fail "inspect --dsse loads the LIEF plug-in"
"$other/buildinfo" verify "$WORK/app" --allow-unsigned > /dev/null || fail "verify loads the LIEF plug-in"
"$other/buildinfo" stamp "$WORK/app" --no-sign --source-dir "$WORK/repo" -q || fail "stamp needs the git plug-in only"

# The git plug-in from another build: stamp and vcs-state refuse it and
# leave the file as it was; stamp --vcs-state needs no plug-in.
other="$WORK/other-git"
tool_copy "$other"
standin "$other/buildinfo-git.so" GIT 9.9.9 "$abi"
refusal="buildinfo: $other/buildinfo-git.so is from another build of buildinfo: the plug-in is 9.9.9 (interface $abi), $this_tool; reinstall buildinfo"
before=$(file_hash "$WORK/app")
expect_refused "$other/buildinfo" "$refusal" stamp "$WORK/app" --no-sign --source-dir "$WORK/repo" --set x=1
[ "$(file_hash "$WORK/app")" = "$before" ] || fail "a refused git plug-in changed the file"
expect_refused "$other/buildinfo" "$refusal" vcs-state --source-dir "$WORK/repo" --output "$WORK/other-state"
[ ! -e "$WORK/other-state" ] || fail "vcs-state wrote a state file with a refused plug-in"
"$other/buildinfo" stamp "$WORK/app" --no-sign --vcs-state "$WORK/state" -q || fail "stamp --vcs-state loads the git plug-in"
"$other/buildinfo" inspect "$WORK/app" | matches -E "^  format +ELF" || fail "inspect needs the LIEF plug-in only"

# The same version with another interface number.
other="$WORK/other-abi"
tool_copy "$other"
standin "$other/buildinfo-lief.so" LIEF "$version" 999
expect_refused "$other/buildinfo" \
  "buildinfo: $other/buildinfo-lief.so is from another build of buildinfo: the plug-in is $version (interface 999), $this_tool; reinstall buildinfo" \
  inspect "$WORK/app" --json

# Installed: bin/buildinfo finds the plug-ins in lib/buildinfo, and refuses
# one from another build there as well.
other="$WORK/prefix"
mkdir -p "$other/bin" "$other/lib/buildinfo"
cp "$BUILDINFO" "$other/bin/"
cp "$plugins/buildinfo-git.so" "$other/lib/buildinfo/"
standin "$other/lib/buildinfo/buildinfo-lief.so" LIEF 0.0.0-other "$abi"
"$other/bin/buildinfo" stamp "$WORK/app" --no-sign --source-dir "$WORK/repo" -q || fail "installed layout: stamp failed"
expect_refused "$other/bin/buildinfo" \
  "buildinfo: $other/bin/../lib/buildinfo/buildinfo-lief.so is from another build of buildinfo: the plug-in is 0.0.0-other (interface $abi), $this_tool; reinstall buildinfo" \
  inspect "$WORK/app"

# The other plug-in under the git plug-in's name.
other="$WORK/swapped"
tool_copy "$other"
cp "$plugins/buildinfo-lief.so" "$other/buildinfo-git.so"
expect_refused "$other/buildinfo" \
  "buildinfo: $other/buildinfo-git.so is the LIEF plug-in, not the git one; reinstall buildinfo" \
  stamp "$WORK/app" --no-sign --source-dir "$WORK/repo"

# A shared object without the table, as the plug-ins before it were.
other="$WORK/no-table"
tool_copy "$other"
cat > "$WORK/old.c" <<'C'
#include <stdlib.h>
#include <string.h>
char* buildinfo_module_describe(const char* path) { (void)path; return strdup("{}"); }
C
cc -shared -fPIC -o "$other/buildinfo-lief.so" "$WORK/old.c"
expect_refused "$other/buildinfo" \
  "buildinfo: $other/buildinfo-lief.so is not a plug-in of this build of buildinfo (it has no buildinfo_plugin table), $this_tool; reinstall buildinfo" \
  inspect "$WORK/app"

# This build's plug-ins, copied: accepted.
other="$WORK/same"
tool_copy "$other"
"$other/buildinfo" stamp "$WORK/app" --no-sign --source-dir "$WORK/repo" -q || fail "this build's git plug-in refused"
"$other/buildinfo" inspect "$WORK/app" --json | jq -e '.binary.format == "ELF" and (.binary | has("error") | not)' \
  > /dev/null || fail "this build's LIEF plug-in refused"
echo ok
