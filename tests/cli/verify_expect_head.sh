# verify --expect-revision HEAD says in one line what is wrong when there is
# no HEAD to compare with (no repository, a repository without a commit, a
# source directory that does not exist), exit code 2, and works in a
# repository.
source "$SOURCE_ROOT/tests/e2e/common.sh"

make_repo "$WORK/repo"
cat > "$WORK/main.c" <<'C'
#include "buildinfo/slot_layout.h"
BUILDINFO_DEFINE_SLOT(1024);
int main(void) { return 0; }
C
cc -I"$SOURCE_ROOT/lib/include" -o "$WORK/app" "$WORK/main.c"
"$BUILDINFO" stamp "$WORK/app" --no-sign --source-dir "$WORK/repo" -q

# The work tree lies inside this repository: directories outside any are
# made elsewhere.
outside=$(mktemp -d)
trap 'rm -rf "$outside"' EXIT
mkdir "$outside/plain"
git -C "$outside" init -q empty

# Runs verify in directory $1 with the remaining arguments; checks exit code
# 2 and that stderr is exactly the line $2.
expect_usage_error() {
  local dir=$1 line=$2 rc=0
  shift 2
  (cd "$dir" && "$BUILDINFO" verify "$@") > "$WORK/out.txt" 2> "$WORK/err.txt" || rc=$?
  [ "$rc" = 2 ] || fail "verify $* (in $dir): exit $rc, expected 2: $(cat "$WORK/out.txt" "$WORK/err.txt")"
  [ "$(cat "$WORK/err.txt")" = "$line" ] || fail "verify $* (in $dir): stderr is '$(cat "$WORK/err.txt")', expected '$line'"
  [ ! -s "$WORK/out.txt" ] || fail "verify $*: printed $(cat "$WORK/out.txt")"
}

hint="give a commit id or --source-dir DIR"
expect_usage_error "$outside/plain" \
  "buildinfo: --expect-revision HEAD: no git repository at or above '$outside/plain'; $hint" \
  "$WORK/app" --allow-unsigned --expect-revision HEAD
expect_usage_error "$WORK" \
  "buildinfo: --expect-revision HEAD: no git repository at or above '$outside/plain'; $hint" \
  "$WORK/app" --allow-unsigned --expect-revision HEAD --source-dir "$outside/plain"
expect_usage_error "$WORK" \
  "buildinfo: --expect-revision HEAD: git repository at '$outside/empty/' has no commit yet; $hint" \
  "$WORK/app" --allow-unsigned --expect-revision HEAD --source-dir "$outside/empty"
expect_usage_error "$WORK" \
  "buildinfo: --expect-revision HEAD: source directory '$outside/none' is not a directory" \
  "$WORK/app" --allow-unsigned --expect-revision HEAD --source-dir "$outside/none"
expect_usage_error "$WORK" \
  "buildinfo: --expect-revision 'main' is not a commit id (4 to 64 hex digits) or HEAD" \
  "$WORK/app" --allow-unsigned --expect-revision main

# Inside the repository, HEAD is its commit.
(cd "$WORK/repo" && "$BUILDINFO" verify "$WORK/app" --allow-unsigned --expect-revision HEAD) > "$WORK/out.txt" \
  || fail "verify --expect-revision HEAD in the repository: $(cat "$WORK/out.txt")"
grep -qE "^  ok    revision  $(git -C "$WORK/repo" rev-parse HEAD)$" "$WORK/out.txt" || fail "no revision check: $(cat "$WORK/out.txt")"
echo ok
