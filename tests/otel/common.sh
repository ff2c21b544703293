# Shared by the tests/otel scripts, which run programs built against the real
# opentelemetry-cpp: the SDK's install tree from ../shared/opentelemetry-cpp
# beside the repository, unpacked into the build tree, and the project
# tests/programs/otel, configured against it and this build's installed
# buildinfo and stamped from a small repository. All of that lives in
# $WORK_ROOT/otel, is made once and reused by every otel test (ctest -j runs
# them at once: a lock serialises the builds).
source "$SOURCE_ROOT/tests/e2e/common.sh"

OTEL_ROOT="$WORK_ROOT/otel"
OTEL_BUILD="$OTEL_ROOT/build"
OTEL_REPO="$OTEL_ROOT/repo"  # the repository every program's stamp describes
OTEL_SCHEMA_URL=https://opentelemetry.io/schemas/1.44.0

# Builds targets $@ of tests/programs/otel (and their stamps), after
# unpacking the SDK, installing buildinfo and configuring when needed.
otel_build() {
  require_fixture "opentelemetry-cpp/opentelemetry-cpp-*.tar.xz"
  local tarball=$FIXTURE
  require_tools flock
  mkdir -p "$OTEL_ROOT"
  exec 9> "$OTEL_ROOT/lock"
  flock 9

  local stamp
  stamp="$(basename "$tarball") $(stat -c '%s %Y' "$tarball")"
  if [ "$(cat "$OTEL_ROOT/sdk.unpacked" 2> /dev/null)" != "$stamp" ]; then
    rm -rf "$OTEL_ROOT/sdk" "$OTEL_BUILD" "$OTEL_ROOT/sdk.unpacked"
    mkdir -p "$OTEL_ROOT/sdk"
    tar -xJf "$tarball" -C "$OTEL_ROOT/sdk" || fail "cannot unpack $tarball"
    echo "$stamp" > "$OTEL_ROOT/sdk.unpacked"
  fi
  [ -f "$OTEL_ROOT/sdk/lib/cmake/opentelemetry-cpp/opentelemetry-cpp-config.cmake" ] \
    || fail "$tarball holds no lib/cmake/opentelemetry-cpp"

  # Unchanged files keep their time stamps: nothing relinks unless the runtime changed.
  cmake --install "$BUILD_ROOT" --prefix "$OTEL_ROOT/prefix" > "$OTEL_ROOT/install.log" 2>&1 \
    || { cat "$OTEL_ROOT/install.log" >&2; fail "cmake --install of buildinfo failed"; }
  if [ ! -d "$OTEL_REPO/.git" ]; then
    rm -rf "$OTEL_REPO"
    make_repo "$OTEL_REPO"
    git -C "$OTEL_REPO" remote add origin https://github.com/acme/otel-app.git
  fi
  if [ ! -f "$OTEL_ROOT/keys/ed25519.pub" ]; then
    mkdir -p "$OTEL_ROOT/keys"
    "$BUILDINFO" keygen --out "$OTEL_ROOT/keys/ed25519" --alg ed25519 > /dev/null 2>&1 || fail "keygen failed"
  fi
  if [ ! -f "$OTEL_BUILD/build.ninja" ]; then
    cmake -S "$SOURCE_ROOT/tests/programs/otel" -B "$OTEL_BUILD" -G Ninja \
      -DCMAKE_PREFIX_PATH="$OTEL_ROOT/prefix;$OTEL_ROOT/sdk" -DBUILDINFO_SOURCE_DIR="$SOURCE_ROOT" \
      -DOTEL_STAMP_SOURCE_DIR="$OTEL_REPO" -DOTEL_STAMP_KEY="$OTEL_ROOT/keys/ed25519.key" "${consumer_flags[@]}" \
      > "$WORK/configure.log" 2>&1 || { cat "$WORK/configure.log" >&2; fail "configure of tests/programs/otel failed"; }
  fi
  local targets=() target
  for target in "$@"; do targets+=("$target" "${target}_buildinfo"); done
  cmake --build "$OTEL_BUILD" --target "${targets[@]}" > "$WORK/build.log" 2>&1 \
    || { cat "$WORK/build.log" >&2; fail "build of ${*} failed"; }
  exec 9>&-
}

receiver_pids=()
trap '[ ${#receiver_pids[@]} -eq 0 ] || kill "${receiver_pids[@]}" 2> /dev/null || true' EXIT

# Starts tests/otel/otlp_receiver.py for URL path $2 (e.g. /v1/traces); it
# saves the one request it takes in $WORK/$1.json. Sets ${1}_url to its URL.
start_receiver() {
  local name=$1 path=$2 i
  rm -f "$WORK/$name.port" "$WORK/$name.json"
  python3 "$SOURCE_ROOT/tests/otel/otlp_receiver.py" --path "$path" --port-file "$WORK/$name.port" \
    --output "$WORK/$name.json" --timeout 60 2> "$WORK/$name.receiver.log" &
  receiver_pids+=($!)
  for i in $(seq 100); do
    [ -s "$WORK/$name.port" ] && break
    kill -0 "$!" 2> /dev/null || fail "the $name receiver did not start: $(cat "$WORK/$name.receiver.log")"
    sleep 0.1
  done
  [ -s "$WORK/$name.port" ] || fail "the $name receiver did not start within 10 s"
  printf -v "${name}_url" 'http://127.0.0.1:%s%s' "$(cat "$WORK/$name.port")" "$path"
}

# Waits for every receiver started so far; each must have taken its request.
wait_receivers() {
  local pid
  for pid in "${receiver_pids[@]}"; do
    wait "$pid" || fail "a receiver got no request (exit $?): $(cat "$WORK"/*.receiver.log)"
  done
  receiver_pids=()
}
