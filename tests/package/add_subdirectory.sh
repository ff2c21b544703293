# A consumer using add_subdirectory() (FetchContent for aarch64): natively it builds the tool too; with
# each cross toolchain it uses the host tool (BUILDINFO_TOOL). Every build
# stamps and signs; aarch64 and Windows programs run under their emulator
# through ctest and print the stamped revision; Mach-O outputs (a program
# and a .dylib) verify.
source "$SOURCE_ROOT/tests/e2e/common.sh"

make_keys
copy_into_repo "$SOURCE_ROOT/tests/package/consumer" "$WORK/consumer"
cp "$SOURCE_ROOT/examples/hello/main.cc" "$WORK/consumer/"
git -C "$WORK/consumer" add main.cc
git -C "$WORK/consumer" commit -q -m "hello"
revision=$(git -C "$WORK/consumer" rev-parse HEAD)

# Configures and builds the consumer in $WORK/consumer/build-$1 with the
# remaining cmake arguments.
build_consumer() {
  local name=$1
  shift
  local dir="$WORK/consumer/build-$name"
  cmake -S "$WORK/consumer" -B "$dir" -G Ninja -DBUILDINFO_SOURCE_DIR="$SOURCE_ROOT" \
    -DCONSUMER_KEY="$WORK/keys/ed25519.key" "$@" > "$WORK/$name.configure.log" 2>&1 \
    || { cat "$WORK/$name.configure.log" >&2; fail "$name: configure failed"; }
  cmake --build "$dir" > "$WORK/$name.build.log" 2>&1 || { cat "$WORK/$name.build.log" >&2; fail "$name: build failed"; }
  grep -q "Stamping app" "$WORK/$name.build.log" || fail "$name: the build did not stamp app"
}

# Runs the consumer's ctest in build dir $1 and checks the program printed
# the stamped revision.
expect_ctest_prints_revision() {
  local dir="$WORK/consumer/build-$1"
  (cd "$dir" && ctest -V > "$WORK/$1.ctest.log" 2>&1) || { cat "$WORK/$1.ctest.log" >&2; fail "$1: ctest failed"; }
  tr -d '\r' < "$WORK/$1.ctest.log" | matches -E "revision +$revision$" \
    || fail "$1: the program did not print revision $revision: $(cat "$WORK/$1.ctest.log")"
}

# Checks that the stamped output $1 verifies with os $2 and arch $3.
expect_verified() {
  "$BUILDINFO" verify "$1" --key "$WORK/keys/ed25519.pub" --expect-revision "$revision" \
    --expect-os "$2" --expect-arch "$3" > "$WORK/verify.txt" 2>&1 || fail "verify $1: $(cat "$WORK/verify.txt")"
}

build_consumer native
expect_ctest_prints_revision native
expect_verified "$WORK/consumer/build-native/app" linux amd64

toolchains="$SOURCE_ROOT/toolchains"
# The aarch64 build brings buildinfo in through FetchContent.
build_consumer aarch64 -DCMAKE_TOOLCHAIN_FILE="$toolchains/aarch64-linux-gnu.cmake" -DBUILDINFO_TOOL="$BUILDINFO" \
  -DCONSUMER_FETCHCONTENT=ON
expect_ctest_prints_revision aarch64
expect_verified "$WORK/consumer/build-aarch64/app" linux arm64

build_consumer windows -DCMAKE_TOOLCHAIN_FILE="$toolchains/x86_64-w64-mingw32.cmake" -DBUILDINFO_TOOL="$BUILDINFO"
expect_ctest_prints_revision windows
expect_verified "$WORK/consumer/build-windows/app.exe" windows amd64

for arch in arm64 x86_64; do
  build_consumer "macos-$arch" -DCMAKE_TOOLCHAIN_FILE="$toolchains/$arch-apple-darwin.cmake" -DBUILDINFO_TOOL="$BUILDINFO"
  expect_verified "$WORK/consumer/build-macos-$arch/app" darwin "$( [ $arch = arm64 ] && echo arm64 || echo amd64 )"
  expect_verified "$WORK/consumer/build-macos-$arch/libapplib.dylib" darwin "$( [ $arch = arm64 ] && echo arm64 || echo amd64 )"
done
python3 "$SOURCE_ROOT/tests/tools/check_macho_signature.py" "$WORK/consumer/build-macos-arm64/app" > "$WORK/macho.check.txt" \
  || fail "the stamped arm64 Mach-O has wrong page hashes: $(cat "$WORK/macho.check.txt")"

# A cross build without any tool says what to do.
rc=0
cmake -S "$WORK/consumer" -B "$WORK/consumer/build-notool" -G Ninja -DBUILDINFO_SOURCE_DIR="$SOURCE_ROOT" \
  -DCONSUMER_KEY="$WORK/keys/ed25519.key" -DCMAKE_TOOLCHAIN_FILE="$toolchains/aarch64-linux-gnu.cmake" \
  -DCMAKE_PROGRAM_PATH=/nonexistent > "$WORK/notool.log" 2>&1 || rc=$?
if ! command -v buildinfo > /dev/null; then
  [ "$rc" != 0 ] && grep -q "cannot find the buildinfo tool" "$WORK/notool.log" \
    || fail "a cross build without a tool did not explain what to do: $(tail -5 "$WORK/notool.log")"
fi
echo ok
