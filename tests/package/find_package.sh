# A consumer using find_package(buildinfo CONFIG) against an installed tree:
# examples/hello builds, is stamped and signed after linking, prints its
# revision, and verifies.
source "$SOURCE_ROOT/tests/e2e/common.sh"

install_buildinfo
make_keys
copy_into_repo "$SOURCE_ROOT/examples/hello" "$WORK/hello"
revision=$(git -C "$WORK/hello" rev-parse HEAD)

cmake -S "$WORK/hello" -B "$WORK/hello/build" -G Ninja -DCMAKE_PREFIX_PATH="$WORK/prefix" "${consumer_flags[@]}" \
  -DHELLO_SIGNING_KEY="$WORK/keys/ed25519.key" > "$WORK/configure.log" 2>&1 \
  || { cat "$WORK/configure.log" >&2; fail "configure against the installed package failed"; }
cmake --build "$WORK/hello/build" > "$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; fail "build failed"; }
grep -q "Stamping hello" "$WORK/build.log" || fail "the build did not stamp hello"

"$WORK/hello/build/hello" > "$WORK/hello.txt" || fail "hello failed: $(cat "$WORK/hello.txt")"
grep -qE "^revision +$revision$" "$WORK/hello.txt" || fail "hello prints the wrong revision: $(cat "$WORK/hello.txt")"
grep -qE "^hello from hello 1.0.0$" "$WORK/hello.txt" || fail "hello lacks its project name and version"
grep -qx "  vcs.ref.head.revision=$revision" "$WORK/hello.txt" || fail "hello does not print its OpenTelemetry attributes"
grep -q "^exported OTEL_RESOURCE_ATTRIBUTES=.*vcs.ref.head.revision=$revision" "$WORK/hello.txt" \
  || fail "hello does not export its attributes to OTEL_RESOURCE_ATTRIBUTES"
"$BUILDINFO" verify "$WORK/hello/build/hello" --key "$WORK/keys/ed25519.pub" --expect-revision "$revision" \
  --require-clean > "$WORK/verify.txt" || fail "verify of the build output failed: $(cat "$WORK/verify.txt")"

# buildinfo_stamp() reserved the UAPI.8 package note and stamp filled it.
readelf -n "$WORK/hello/build/hello" | grep -A1 FDO_PACKAGING_METADATA | grep -F '"name":"hello"' | grep -F '"version":"1.0.0"' \
  | matches -F "\"commit\":\"$revision\"" || fail "hello has no package note with its name, version and commit: $(readelf -n "$WORK/hello/build/hello")"

# The installed pkg-config file names the library and headers.
PKG_CONFIG_PATH="$WORK/prefix/lib/pkgconfig" pkg-config --libs buildinfo | matches -- '-lbuildinfo_runtime' \
  || fail "buildinfo.pc does not name the runtime library"
echo ok
