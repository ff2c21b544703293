# buildinfo-vcs-check makes its system calls itself, one instruction set at
# a time (tool/vcs_check/linux_system_calls.h). Its aarch64 build, made from
# tool/vcs_check alone with the cross toolchain and run under qemu-user,
# must judge proofs written by this machine's tool exactly as the x86-64
# build beside the tool does, and start the program it is given the same
# way.
source "$SOURCE_ROOT/tests/e2e/common.sh"

triple=aarch64-linux-gnu
[ -x "$(command -v "$triple-g++")" ] || skip "$triple-g++ is not installed (Debian: g++-$triple)"
command -v qemu-aarch64 > /dev/null || skip "qemu-aarch64 is not installed (Debian: qemu-user)"
readelf=$(command -v "$triple-readelf") || skip "$triple-readelf is not installed (Debian: binutils-$triple)"

cmake -S "$SOURCE_ROOT/tool/vcs_check" -B "$WORK/arm64" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_TOOLCHAIN_FILE="$SOURCE_ROOT/toolchains/$triple.cmake" -DBUILDINFO_VERSION="$("$BUILDINFO" --version)" \
  > "$WORK/configure.log" 2>&1 || fail "cannot configure tool/vcs_check for $triple: $(tail -5 "$WORK/configure.log")"
cmake --build "$WORK/arm64" > "$WORK/build.log" 2>&1 || fail "cannot build it: $(tail -5 "$WORK/build.log")"
arm64="$WORK/arm64/buildinfo-vcs-check"
"$readelf" -h "$arm64" | matches "Machine:.*AArch64" || fail "the cross build is not an aarch64 program"
! "$readelf" -l "$arm64" | matches INTERP || fail "the aarch64 check asks for a dynamic loader"
host="$(dirname "$BUILDINFO")/buildinfo-vcs-check"
! readelf -l "$host" | matches INTERP || fail "the x86-64 check asks for a dynamic loader"

repo="$WORK/repo"
make_repo "$repo"
state="$WORK/state"
sleep 1.1  # the repository's files are old enough not to be racy
"$BUILDINFO" vcs-state --source-dir "$repo" --output "$state" || fail "vcs-state failed"
[ -f "$state.proof" ] || fail "no proof written"

# run_check NAME: runs the check built for NAME (host or arm64) on the state
# file; prints "skip" when it answered alone, "ran" when it started the program.
run_check() {
  local check=$host
  [ "$1" = arm64 ] && check="qemu-aarch64 $arm64"
  rm -f "$WORK/ran"
  $check "$state" -- sh -c 'echo ran > "$0"' "$WORK/ran" || fail "$1: the check failed"
  if [ -f "$WORK/ran" ]; then echo ran; else echo skip; fi
}

# expect LABEL skip|ran: both builds must do it.
expect() {
  local arch
  for arch in host arm64; do
    [ "$(run_check $arch)" = "$2" ] || fail "$1: the $arch check did not $2"
  done
}

expect "nothing changed" skip
HOME="$WORK/elsewhere" expect "another HOME" ran
sleep 0.02
touch "$repo/README"
expect "a touched tracked file" ran
"$BUILDINFO" vcs-state --source-dir "$repo" --output "$state" || fail "vcs-state failed"
expect "the proof renewed" skip
cp "$state" "$WORK/state.saved"
printf 'revision 0\n' > "$state"
expect "a state file that is not the proof's facts" ran
cp "$WORK/state.saved" "$state"
expect "the state file back" skip
cp "$state.proof" "$WORK/proof.saved"
sed -i '/^end$/d' "$state.proof"
expect "a proof without its end" ran
cp "$WORK/proof.saved" "$state.proof"

for arch in host arm64; do
  check=$host
  [ "$arch" = arm64 ] && check="qemu-aarch64 $arm64"
  rm -f "$state.proof"
  status=0
  $check "$state" -- "$WORK/no-such-program" 2> "$WORK/err" || status=$?
  [ "$status" = 2 ] || fail "$arch: a program that cannot run gave exit code $status, not 2"
  grep -qx "buildinfo-vcs-check: cannot run $WORK/no-such-program: No such file or directory" "$WORK/err" ||
    fail "$arch: unclear error: $(cat "$WORK/err")"
  status=0
  $check "$state" 2> "$WORK/err" || status=$?
  [ "$status" = 2 ] && grep -q "^usage: buildinfo-vcs-check STATE -- PROGRAM" "$WORK/err" ||
    fail "$arch: no usage for a missing program (exit $status)"
  cp "$WORK/proof.saved" "$state.proof"
done
echo ok
