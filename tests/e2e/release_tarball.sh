# Builds without a repository. A project exported with `git archive`
# (`.buildinfo-vcs` marked export-subst) and built from the tarball, with no
# .git anywhere above it, is stamped with the exported commit, its time and
# tag, and vcs.source=archive; BUILDINFO_VCS_* override that, and the record
# says so. The same tarball unpacked inside an unrelated checkout is not
# described by that checkout: without .buildinfo-vcs it gets no vcs.* at
# all and a warning naming the checkout (stamp --require-vcs fails).
source "$SOURCE_ROOT/tests/e2e/common.sh"

install_buildinfo
upstream="$WORK/upstream"
make_repo "$upstream"
cat > "$upstream/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.19)
project(tarred VERSION 2.0.1 LANGUAGES C)
find_package(buildinfo 0.1 CONFIG REQUIRED)
add_executable(tarred main.c)
buildinfo_stamp(tarred NO_SIGN)
CMAKE
printf 'int main(void) { return 0; }\n' > "$upstream/main.c"
cat > "$upstream/.buildinfo-vcs" <<'VCS'
# Filled in by git archive (export-subst in .gitattributes).
revision $Format:%H$
time $Format:%cI$
refs $Format:%D$
describe $Format:%(describe:tags)$
url https://example.com/tarred.git
VCS
printf '.buildinfo-vcs export-subst\n' > "$upstream/.gitattributes"
git -C "$upstream" add -A
GIT_COMMITTER_DATE="2026-03-04T05:06:07+02:00" GIT_AUTHOR_DATE="2026-03-04T05:06:07+02:00" \
  git -C "$upstream" commit -q -m "release 2.0.1"
git -C "$upstream" tag v2.0.1
revision=$(git -C "$upstream" rev-parse HEAD)

# Outside the work tree, which lies inside this project's checkout.
outside=$(mktemp -d)
trap 'rm -rf "$outside"' EXIT
git -C "$upstream" archive --format=tar --prefix=tarred-2.0.1/ v2.0.1 > "$WORK/tarred-2.0.1.tar"

# Builds the project in $1 (build tree $1/build) into log $2; extra
# environment as the remaining arguments.
build_project() {
  local dir=$1 log=$2
  shift 2
  env "$@" cmake -S "$dir" -B "$dir/build" -G Ninja -DCMAKE_PREFIX_PATH="$WORK/prefix" "${consumer_flags[@]}" \
    > "$log" 2>&1 || { cat "$log" >&2; fail "configure of $dir failed"; }
  env "$@" ninja -C "$dir/build" >> "$log" 2>&1 || { cat "$log" >&2; fail "build of $dir failed"; }
}

# The record field $2 of binary $1 ("" when absent).
field() { jq -r --arg k "$2" '.slots[0].record[$k] // ""' < <("$BUILDINFO" inspect "$1" --json --no-describe); }

tar -xf "$WORK/tarred-2.0.1.tar" -C "$outside"
project="$outside/tarred-2.0.1"
[ ! -e "$project/.git" ] || fail "the tarball holds a .git"
grep -qx "revision $revision" "$project/.buildinfo-vcs" || fail "git archive did not fill .buildinfo-vcs: $(cat "$project/.buildinfo-vcs")"
build_project "$project" "$WORK/archive.log"
binary="$project/build/tarred"
[ "$(field "$binary" vcs.revision)" = "$revision" ] || fail "the record's revision is not the exported commit"
[ "$(field "$binary" vcs.time)" = 2026-03-04T03:06:07Z ] || fail "the record's time is not the commit's: $(field "$binary" vcs.time)"
[ "$(field "$binary" vcs.source)" = archive ] || fail "vcs.source is not archive: $(field "$binary" vcs.source)"
[ "$(field "$binary" vcs.ref.name)" = v2.0.1 ] && [ "$(field "$binary" vcs.ref.type)" = tag ] \
  || fail "the exported tag is not recorded: $(field "$binary" vcs.ref.type) $(field "$binary" vcs.ref.name)"
[ "$(field "$binary" vcs.describe)" = v2.0.1 ] || fail "describe is not the tag: $(field "$binary" vcs.describe)"
[ "$(field "$binary" vcs.repository.url)" = https://example.com/tarred.git ] || fail "the url line is not recorded"
! grep -q "vcs.\* fields omitted" "$WORK/archive.log" || fail "the archive build warned: $(cat "$WORK/archive.log")"
"$BUILDINFO" verify "$binary" --allow-unsigned > /dev/null || fail "the archive build does not verify"

# An override: every fact from BUILDINFO_VCS_*, at the next build.
given=0123456789abcdef0123456789abcdef01234567
ninja -C "$project/build" > /dev/null
BUILDINFO_VCS_REVISION=$given BUILDINFO_VCS_TIME=2026-05-06T07:08:09Z BUILDINFO_VCS_BRANCH=debian/sid \
  ninja -C "$project/build" > "$WORK/override.log" 2>&1 || { cat "$WORK/override.log" >&2; fail "override build failed"; }
[ "$(field "$binary" vcs.revision)" = "$given" ] || fail "the override's revision is not recorded"
[ "$(field "$binary" vcs.source)" = override ] || fail "vcs.source is not override: $(field "$binary" vcs.source)"
[ "$(field "$binary" vcs.time)" = 2026-05-06T07:08:09Z ] || fail "the override's time is not recorded"
[ "$(field "$binary" vcs.ref.name)" = debian/sid ] && [ "$(field "$binary" vcs.ref.type)" = branch ] \
  || fail "the override's branch is not recorded"
[ -z "$(field "$binary" vcs.repository.url)" ] || fail "the archive's url leaked into the override"
# Without it again, the archive's facts come back.
ninja -C "$project/build" > /dev/null
[ "$(field "$binary" vcs.source)" = archive ] || fail "without the override, vcs.source is not archive again"

# An override wins over a repository too, and a partial one is refused.
cp "$project/build/tarred" "$WORK/app"
BUILDINFO_VCS_REVISION=$given BUILDINFO_VCS_TIME=1767323045 \
  "$BUILDINFO" stamp "$WORK/app" --no-sign --source-dir "$upstream" -q || fail "stamp with an override failed"
[ "$(field "$WORK/app" vcs.source)" = override ] && [ "$(field "$WORK/app" vcs.revision)" = "$given" ] \
  || fail "in a repository, the override did not win"
[ "$(field "$WORK/app" vcs.time)" = 2026-01-02T03:04:05Z ] || fail "an epoch BUILDINFO_VCS_TIME was misread"
rc=0
BUILDINFO_VCS_REVISION=$given "$BUILDINFO" stamp "$WORK/app" --no-sign --source-dir "$upstream" -q 2> "$WORK/partial.err" || rc=$?
[ "$rc" = 2 ] || fail "a partial override: exit $rc, expected 2"
grep -q "BUILDINFO_VCS_TIME" "$WORK/partial.err" || fail "the partial override's error does not name what is missing: $(cat "$WORK/partial.err")"

# Inside an unrelated checkout.
home="$outside/home"
make_repo "$home"
mkdir -p "$home/src"
tar -xf "$WORK/tarred-2.0.1.tar" -C "$home/src"
inside="$home/src/tarred-2.0.1"
build_project "$inside" "$WORK/inside-archive.log"
[ "$(field "$inside/build/tarred" vcs.source)" = archive ] && [ "$(field "$inside/build/tarred" vcs.revision)" = "$revision" ] \
  || fail "inside another checkout, the tarball's own .buildinfo-vcs was not used"
rm -rf "$inside/build" "$inside/.buildinfo-vcs"
build_project "$inside" "$WORK/inside.log"
binary="$inside/build/tarred"
home_revision=$(git -C "$home" rev-parse HEAD)
"$BUILDINFO" inspect "$binary" --json --no-describe > "$WORK/inside.json"
! grep -q "$home_revision" "$WORK/inside.json" || fail "the binary carries the unrelated checkout's revision"
jq -e '.slots[0].record | keys | map(select(startswith("vcs."))) | length == 0' "$WORK/inside.json" > /dev/null \
  || fail "inside an unrelated checkout, vcs.* keys were written: $(cat "$WORK/inside.json")"
grep -qF "is not tracked by the git repository at '$home/'" "$WORK/inside.log" \
  || fail "no warning names the unrelated checkout: $(cat "$WORK/inside.log")"
rc=0
"$BUILDINFO" stamp "$binary" --no-sign --source-dir "$inside" --require-vcs -q 2> "$WORK/require.err" || rc=$?
[ "$rc" = 2 ] || fail "stamp --require-vcs inside an unrelated checkout: exit $rc, expected 2"
grep -qF "$home/" "$WORK/require.err" || fail "the --require-vcs error does not name the checkout: $(cat "$WORK/require.err")"
echo ok
