# Stamps stay current without recompiling or relinking: a new commit, a dirty
# tree and a cleaned tree each re-stamp the linked binary at the next build;
# a build with nothing changed runs no stamp step.
source "$SOURCE_ROOT/tests/e2e/common.sh"

install_buildinfo
copy_into_repo "$SOURCE_ROOT/examples/hello" "$WORK/hello"
build="$WORK/hello/build"
cmake -S "$WORK/hello" -B "$build" -G Ninja -DCMAKE_PREFIX_PATH="$WORK/prefix" "${consumer_flags[@]}" > "$WORK/configure.log" 2>&1 \
  || { cat "$WORK/configure.log" >&2; fail "configure failed"; }

# Builds with ninja's explanations into $WORK/$1.log.
build_step() {
  ninja -C "$build" -d explain > "$WORK/$1.log" 2>&1 || { cat "$WORK/$1.log" >&2; fail "build '$1' failed"; }
}

# Checks that build log $1 compiled and linked nothing, and whether it
# stamped ($2: yes or no).
expect_only_stamp() {
  local log="$WORK/$1.log"
  ! grep -q "Building CXX object" "$log" || fail "$1: an object file was recompiled"
  ! grep -q "Linking CXX executable" "$log" || fail "$1: hello was relinked"
  if [ "$2" = yes ]; then
    grep -q "Stamping hello" "$log" || fail "$1: hello was not re-stamped"
  else
    ! grep -q "Stamping hello" "$log" || fail "$1: a stamp step ran although nothing changed"
  fi
}

build_step first
grep -q "Stamping hello" "$WORK/first.log" || fail "the first build did not stamp"
object=$(find "$build" -name 'main.cc.o' -print -quit)
[ -n "$object" ] || fail "no main.cc.o in $build"
object_time=$(stat -c %y "$object")

# Nothing changed: nothing to stamp.
build_step unchanged
expect_only_stamp unchanged no

# A new commit without any source change.
sleep 1
git -C "$WORK/hello" commit -q --allow-empty -m "second"
build_step commit
expect_only_stamp commit yes
"$build/hello" > "$WORK/hello.txt"
grep -qE "^revision +$(git -C "$WORK/hello" rev-parse HEAD)$" "$WORK/hello.txt" \
  || fail "after a commit, hello does not carry the new revision: $(cat "$WORK/hello.txt")"
grep -qE "^modified +false$" "$WORK/hello.txt" || fail "clean tree reported as modified"

# A dirty tree, then clean again.
echo "# local change" >> "$WORK/hello/.gitignore"
build_step dirty
expect_only_stamp dirty yes
"$build/hello" | matches -E "^modified +true$" || fail "a dirty tree is not marked vcs.modified=true"
build_step dirty-again
expect_only_stamp dirty-again no
git -C "$WORK/hello" checkout -q .gitignore
build_step cleaned
expect_only_stamp cleaned yes
"$build/hello" | matches -E "^modified +false$" || fail "a cleaned tree is still marked modified"

# An edit staged with git add: still modified; then committed.
echo "# staged change" >> "$WORK/hello/.gitignore"
git -C "$WORK/hello" add .gitignore
build_step staged
expect_only_stamp staged yes
"$build/hello" | matches -E "^modified +true$" || fail "a staged change is not marked vcs.modified=true"
git -C "$WORK/hello" commit -q -m "staged"
build_step staged-committed
expect_only_stamp staged-committed yes
"$build/hello" | matches -E "^modified +false$" || fail "after committing the staged change, still modified"

# A checkout of another branch, at another commit, and back.
git -C "$WORK/hello" checkout -q -b topic
git -C "$WORK/hello" commit -q --allow-empty -m "on topic"
build_step topic
expect_only_stamp topic yes
"$build/hello" > "$WORK/topic.txt"
grep -qE "^revision +$(git -C "$WORK/hello" rev-parse HEAD)$" "$WORK/topic.txt" || fail "topic's commit is not recorded"
grep -qE "^branch +topic$" "$WORK/topic.txt" || fail "the branch topic is not recorded: $(cat "$WORK/topic.txt")"
git -C "$WORK/hello" checkout -q main
build_step main-again
expect_only_stamp main-again yes
"$build/hello" | matches -E "^branch +main$" || fail "back on main, the record does not say so"

# A tracked file renamed without git, and back.
mv "$WORK/hello/.gitignore" "$WORK/hello/.gitignore-moved"
build_step renamed
expect_only_stamp renamed yes
"$build/hello" | matches -E "^modified +true$" || fail "a renamed tracked file is not marked vcs.modified=true"
mv "$WORK/hello/.gitignore-moved" "$WORK/hello/.gitignore"
build_step renamed-back
expect_only_stamp renamed-back yes
"$build/hello" | matches -E "^modified +false$" || fail "renamed back, still modified"
build_step settled
expect_only_stamp settled no

[ "$(stat -c %y "$object")" = "$object_time" ] || fail "main.cc.o was rewritten"

# With UNTRACKED_DIRTY, a new untracked file is a modification at the next
# build, and its removal undoes it; an ignored one is none.
copy_into_repo "$SOURCE_ROOT/examples/hello" "$WORK/untracked"
sed -i 's/buildinfo_stamp(hello NO_SIGN)/buildinfo_stamp(hello NO_SIGN UNTRACKED_DIRTY)/' "$WORK/untracked/CMakeLists.txt"
grep -q UNTRACKED_DIRTY "$WORK/untracked/CMakeLists.txt" || fail "examples/hello no longer calls buildinfo_stamp(hello NO_SIGN)"
git -C "$WORK/untracked" commit -q -am "untracked files count"
build="$WORK/untracked/build"
cmake -S "$WORK/untracked" -B "$build" -G Ninja -DCMAKE_PREFIX_PATH="$WORK/prefix" "${consumer_flags[@]}" \
  > "$WORK/configure-untracked.log" 2>&1 || { cat "$WORK/configure-untracked.log" >&2; fail "configure failed"; }
build_step untracked-first
"$build/hello" | matches -E "^modified +false$" || fail "UNTRACKED_DIRTY: a clean tree is modified"
echo new > "$WORK/untracked/notes.txt"
build_step untracked-new
expect_only_stamp untracked-new yes
"$build/hello" | matches -E "^modified +true$" || fail "UNTRACKED_DIRTY: a new untracked file is not a modification"
rm "$WORK/untracked/notes.txt"
build_step untracked-removed
expect_only_stamp untracked-removed yes
"$build/hello" | matches -E "^modified +false$" || fail "UNTRACKED_DIRTY: the untracked file removed, still modified"
echo log > "$build/ignored-by-build-star.txt"
build_step untracked-ignored
expect_only_stamp untracked-ignored no
echo ok
