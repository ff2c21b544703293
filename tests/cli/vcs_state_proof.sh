# The git-state step's fast paths (vcs/state_proof.h): buildinfo-vcs-check
# answers alone only while nothing that libgit2's answer depends on
# changed, `buildinfo vcs-state` judges a changed proof without libgit2
# where it can (a touched file, by its contents), and libgit2 reads the
# repository otherwise. After each change below, the state the step leaves
# must equal what libgit2 reports read afresh, and the step must have gone
# exactly as far as expected: skip (the check alone), judge (vcs-state,
# without libgit2: the proof keeps its clock) or read (libgit2: a new
# proof, or none).
source "$SOURCE_ROOT/tests/e2e/common.sh"

check="$(dirname "$BUILDINFO")/buildinfo-vcs-check"
[ -x "$check" ] || fail "no buildinfo-vcs-check beside $BUILDINFO"
repo="$WORK/repo"
make_repo "$repo"
mkdir -p "$repo/src/deep" "$repo/ignored"
printf 'int main() { return 0; }\n' > "$repo/src/main.c"
printf 'one\n' > "$repo/src/deep/data.txt"
printf 'ignored/\n*.log\n' > "$repo/.gitignore"
git -C "$repo" add -A
git -C "$repo" commit -q -m "files"

# The step as CMake runs it, with the fallback logged: $1 is the state
# file, the rest are vcs-state's options.
step() {
  local state=$1
  shift
  "$check" "$state" -- sh -c 'echo read >> "$0.log"; exec "$@"' "$state" \
    "$BUILDINFO" vcs-state --source-dir "$repo" --output "$state" "$@" || fail "the git-state step failed"
}

# What libgit2 says now, read without any proof.
truth() {
  rm -f "$WORK/truth" "$WORK/truth.proof"
  "$BUILDINFO" vcs-state --source-dir "$repo" --output "$WORK/truth" "$@" || fail "vcs-state failed"
  cat "$WORK/truth"
}

# expect LABEL skip|judge|read [vcs-state options]: runs the step on the
# state file of those options and checks how far it went and that its
# state is libgit2's.
expect() {
  local label=$1 expected=$2
  shift 2
  local state="$WORK/state$*"
  state=${state// /}
  rm -f "$state.log"
  local clock_before
  clock_before=$(grep '^clock ' "$state.proof" 2> /dev/null || true)
  sleep 0.02  # the change before it lies in an earlier clock tick: not racy
  step "$state" "$@"
  local took=skip
  if [ -s "$state.log" ]; then
    took=read
    [ -n "$clock_before" ] && [ "$(grep '^clock ' "$state.proof" 2> /dev/null)" = "$clock_before" ] && took=judge
  fi
  [ "$took" = "$expected" ] || fail "$label: the step did '$took', expected '$expected'"
  [ "$(cat "$state")" = "$(truth "$@")" ] || fail "$label: the state differs from libgit2's:
$(cat "$state")
--- libgit2 now:
$(cat "$WORK/truth")"
}

field() { sed -n "s/^$1 //p" "$WORK/state"; }

# Rewrites $1 with $2 and sets its modification time back to the old one,
# so that only the change time (and maybe the size) tells.
edit_keeping_mtime() {
  touch -r "$1" "$WORK/reference"
  printf '%s' "$2" > "$1"
  touch -r "$WORK/reference" "$1"
}

sleep 1.1  # the files above are old enough not to be racy
expect "first run" read
[ -f "$WORK/state.proof" ] || fail "no proof written"
expect "nothing changed" skip
expect "nothing changed, again" skip
[ "$(field modified)" = false ] || fail "a clean tree is modified"

# What the check reads besides the witnesses: the state file must hold the
# proof's facts, the proof must be whole and well formed, and the
# environment its own.
printf 'revision 0000\n' > "$WORK/state"
expect "the state file changed by hand" judge
head -c -4 "$WORK/state.proof" > "$WORK/cut.proof"  # without its "end"
mv "$WORK/cut.proof" "$WORK/state.proof"
expect "a proof cut short" read
sed -i '0,/^fact /s/^\(fact .*\)$/\1%zz/' "$WORK/state.proof"
expect "a malformed escape in the proof" read
HOMEX=1 expect "a variable whose name begins with HOME" skip
BUILDINFO_VCS_REVISION=0123456789abcdef0123456789abcdef01234567 BUILDINFO_VCS_TIME=2026-12-01T10:00:00Z \
  expect "override variables set" read
expect "the override variables unset" read

printf 'two\n' >> "$repo/src/deep/data.txt"
expect "an edit of a tracked file" read
[ "$(field modified)" = true ] || fail "an edit is not a modification"
expect "nothing changed after the edit" skip

git -C "$repo" checkout -q src/deep/data.txt
expect "the edit undone" read
[ "$(field modified)" = false ] || fail "the undone edit is still a modification"

# A change of size with the old modification time, then one of the same
# size: the change time tells both.
sleep 1.1
edit_keeping_mtime "$repo/src/deep/data.txt" "other size"
expect "a size change with the old modification time" read
[ "$(field modified)" = true ] || fail "a size change with the old time was missed"
git -C "$repo" checkout -q src/deep/data.txt
sleep 1.1
expect "restored" read
edit_keeping_mtime "$repo/src/deep/data.txt" "owe
"
expect "a same-size edit with the old modification time" read
[ "$(field modified)" = true ] || fail "a same-size edit with the old time was missed"
git -C "$repo" checkout -q src/deep/data.txt
expect "restored again" read

# A file stamped in the future (or changed during the read) is racy: a
# read that sees it writes no proof, and every run reads the repository
# until it is in the past.
printf 'edited\n' >> "$repo/src/main.c"
touch -d '+1 hour' "$repo/src/main.c"
expect "a racy file" read
[ ! -f "$WORK/state.proof" ] || fail "a proof was written although src/main.c is racy"
expect "a racy file, again" read
touch -d '-1 hour' "$repo/src/main.c"
expect "no longer racy" read
expect "no longer racy, nothing changed" skip
git -C "$repo" checkout -q src/main.c
expect "the racy edit undone" read
[ "$(field modified)" = false ] || fail "the undone racy edit is still a modification"

# A tracked file is also judged by its contents, as git judges a file whose
# lstat() data changed: touched, or rewritten with the same bytes, it
# changes nothing, and the proof takes its new lstat() data.
data="$repo/src/deep/data.txt"
proof_line() { grep -F "w $1 " "$WORK/state.proof"; }
before=$(proof_line "$data")
touch "$data"
expect "a touched tracked file" judge
touched=$(proof_line "$data")
[ "$touched" != "$before" ] || fail "the proof was not renewed after a touch"
expect "touched, nothing changed" skip
cp -p "$data" "$data.new"
mv "$data.new" "$data"
expect "a tracked file replaced by a copy" judge
# In the future, it is still judged by its contents, but racy: the proof
# keeps the old data until the file's times are in the past.
touch -d '+1 hour' "$data"
renewed=$(proof_line "$data")
expect "a touched file, racy" judge
[ "$(proof_line "$data")" = "$renewed" ] || fail "the proof took the lstat() data of a racy file"
touch -d '-1 hour' "$data"
expect "a touched file, no longer racy" judge
[ "$(proof_line "$data")" != "$renewed" ] || fail "the proof was not renewed once the file was old"

# In a modified tree, edits that keep it modified change nothing; the
# edit that makes it clean again is noticed.
printf 'two\n' >> "$data"
expect "an edit in a clean tree" read
[ "$(field modified)" = true ] || fail "an edit is not a modification"
printf 'three\n' >> "$data"
expect "another edit of the modified file" judge
printf 'int x;\n' >> "$repo/src/main.c"
expect "an edit of a second file" judge
git -C "$repo" show HEAD:src/deep/data.txt > "$data"
expect "the first file restored, the second still edited" judge
[ "$(field modified)" = true ] || fail "a tree with an edited file is not modified"
git -C "$repo" show HEAD:src/main.c > "$repo/src/main.c"
expect "both files restored" read
[ "$(field modified)" = false ] || fail "the restored tree is still modified"

# The executable bit is git's business too (core.fileMode).
chmod +x "$data"
expect "an executable bit" read
[ "$(field modified)" = true ] || fail "a new executable bit is not a modification"
chmod -x "$data"
expect "the executable bit removed" read
[ "$(field modified)" = false ] || fail "the removed executable bit is still a modification"

printf 'staged\n' >> "$repo/src/main.c"
git -C "$repo" add src/main.c
expect "git add" read
[ "$(field modified)" = true ] || fail "a staged change is not a modification"
# A staged change keeps the tree modified whatever the files hold.
printf 'more\n' >> "$data"
expect "an edit beside a staged change" judge
git -C "$repo" show HEAD:src/deep/data.txt > "$data"
expect "that edit undone, the staged change left" judge
[ "$(field modified)" = true ] || fail "a staged change is not a modification"

git -C "$repo" -c user.name=t -c user.email=t@example.invalid commit -q -m "staged"
expect "a commit" read
[ "$(field revision)" = "$(git -C "$repo" rev-parse HEAD)" ] || fail "the commit is not the revision"
[ "$(field modified)" = false ] || fail "a committed tree is modified"

git -C "$repo" checkout -q -b feature
expect "a new branch" read
[ "$(field ref)" = "branch feature" ] || fail "the branch is not feature: $(field ref)"
git -C "$repo" checkout -q HEAD~1 2> /dev/null
expect "a detached checkout" read
[ "$(field revision)" = "$(git -C "$repo" rev-parse HEAD)" ] || fail "the checkout is not the revision"
git -C "$repo" checkout -q feature

git -C "$repo" tag v9.1
expect "a tag" read
[ "$(field describe)" = v9.1 ] || fail "the tag is not described: $(field describe)"

git -C "$repo" mv src/main.c src/renamed.c
expect "a rename" read
[ "$(field modified)" = true ] || fail "a rename is not a modification"
git -C "$repo" mv src/renamed.c src/main.c
expect "renamed back" read
[ "$(field modified)" = false ] || fail "renamed back, still modified"

mv "$repo/src/main.c" "$repo/src/moved.c"
expect "a file moved without git" read
[ "$(field modified)" = true ] || fail "a missing tracked file is not a modification"
mv "$repo/src/moved.c" "$repo/src/main.c"
expect "moved back" read

git -C "$repo" config core.fileMode false
expect "a configuration change" read
git -C "$repo" config --unset core.fileMode

printf 'main.c text eol=crlf\n' > "$repo/src/.gitattributes"
expect "a new .gitattributes" read
# Git's line-ending filter changes only a CR before a LF: a file without a
# CR is still judged by its contents, one with a CR is left to libgit2.
touch "$repo/src/main.c"
expect "a touched file with a line-ending attribute" judge
printf 'int y;\r\n' >> "$repo/src/main.c"
expect "a CR in a file with a line-ending attribute" read
[ "$(field modified)" = true ] || fail "an added line is not a modification"
touch "$repo/src/main.c"
expect "a touched file with a CR" read
git -C "$repo" show HEAD:src/main.c > "$repo/src/main.c"
expect "the CR removed" read
[ "$(field modified)" = false ] || fail "the restored file is still a modification"
git -C "$repo" config core.autocrlf true
expect "core.autocrlf set" read
touch "$data"
expect "a touched file under core.autocrlf" judge
git -C "$repo" config --unset core.autocrlf
expect "core.autocrlf unset" read
# Any other filter (here ident, which rewrites $Id$) is left to libgit2.
printf 'data.txt ident\n' > "$repo/src/deep/.gitattributes"
expect "an ident attribute" read
touch "$data"
expect "a touched file with the ident filter" read
rm "$repo/src/deep/.gitattributes"
expect "the ident attribute removed" read
rm "$repo/src/.gitattributes"
expect "the .gitattributes removed" read

HOME="$WORK/elsewhere" expect "another HOME" read
# ($HOME is back: its proof was just replaced by the other HOME's.)
expect "HOME back" read

# Untracked files: nothing without --untracked-dirty, a modification with it.
expect "untracked mode, first run" read --untracked-dirty
printf 'new\n' > "$repo/src/deep/new.txt"
expect "an untracked file, not counted" skip
expect "an untracked file, counted" read --untracked-dirty
[ "$(sed -n 's/^modified //p' "$WORK/state--untracked-dirty")" = true ] || fail "the untracked file was not counted"
rm "$repo/src/deep/new.txt"
expect "the untracked file removed" read --untracked-dirty
printf 'log\n' > "$repo/ignored/build.txt"
printf 'log\n' > "$repo/src/run.log"
expect "ignored files" read --untracked-dirty
[ "$(sed -n 's/^modified //p' "$WORK/state--untracked-dirty")" = false ] || fail "ignored files were counted"
expect "ignored files, nothing changed" skip --untracked-dirty
printf 'log\n' > "$repo/ignored/more.txt"
expect "a new file in an ignored directory" skip --untracked-dirty
sed -i '/\*\.log/d' "$repo/.gitignore"
git -C "$repo" -c user.name=t -c user.email=t@example.invalid commit -q -am "logs count"
expect "an ignore rule dropped" read --untracked-dirty
[ "$(sed -n 's/^modified //p' "$WORK/state--untracked-dirty")" = true ] || fail "src/run.log, no longer ignored, was not counted"
rm "$repo/src/run.log"

# A repository with a submodule is never proven: every run reads it.
sub="$WORK/sub"
make_repo "$sub"
git -C "$repo" -c protocol.file.allow=always submodule add -q "$sub" module 2> /dev/null
git -C "$repo" -c user.name=t -c user.email=t@example.invalid commit -q -m "submodule"
expect "with a submodule" read
[ ! -f "$WORK/state.proof" ] || fail "a proof was written for a repository with a submodule"
expect "with a submodule, again" read

# No repository at all (a release tarball): proven too, until one appears.
# Outside the work tree, which lies inside this project's checkout.
outside=$(mktemp -d)
trap 'rm -rf "$outside"' EXIT
plain="$outside/plain/project"
mkdir -p "$plain"
repo="$plain"
sleep 1.1
expect "no repository" read
grep -qx "no repository" "$WORK/state" || fail "no repository, but the state says: $(cat "$WORK/state")"
expect "no repository, nothing changed" skip
make_repo "$plain"
expect "a repository created" read
[ "$(field revision)" = "$(git -C "$plain" rev-parse HEAD)" ] || fail "the new repository is not described"
echo ok
