#!/usr/bin/env bash
# Runs Windows programs under wine64 for the tests, with a prepared prefix.
#
#   ci/wine.sh PROGRAM.exe [ARGS...]   run PROGRAM under wine64 (output is
#                                      passed on when it ends; usable as
#                                      CMAKE_CROSSCOMPILING_EMULATOR)
#   ci/wine.sh --launcher              print the wine64 launcher's path
#   ci/wine.sh --prepare               create the prefix (if needed) and exit
#   source ci/wine.sh                  define wine_launcher, wine_prepare, wine_run
#
# Debian installs the wine64 launcher in wine's lib folder (/usr/lib/wine/wine64),
# not on PATH. The first start in a new prefix takes about 12 s (wineboot);
# the prefix defaults to $WORK_ROOT/wine-prefix (or a per-user cache folder)
# so that only the first test of a build tree pays for it. WINEPREFIX, when
# set, wins. No display is needed: WINEDEBUG=-all keeps wine quiet.

# Prints the launcher's path, or nothing and status 1 when wine is missing.
wine_launcher() {
  local candidate
  for candidate in "${WINE64:-}" /usr/lib/wine/wine64 /usr/lib64/wine/wine64 \
      /usr/lib/x86_64-linux-gnu/wine/wine64 /opt/wine-stable/bin/wine64 \
      "$(command -v wine64 2>/dev/null || true)" "$(command -v wine 2>/dev/null || true)"; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

# Exports WINEPREFIX and WINEDEBUG and creates the prefix once. Concurrent
# callers (ctest -j) wait on a lock instead of booting the same prefix twice.
wine_prepare() {
  local launcher
  launcher=$(wine_launcher) || { echo "wine.sh: wine64 not found" >&2; return 1; }
  if [ -z "${WINEPREFIX:-}" ]; then
    if [ -n "${WORK_ROOT:-}" ]; then
      WINEPREFIX="$WORK_ROOT/wine-prefix"
    else
      WINEPREFIX="${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/buildinfo/wine-prefix"
    fi
  fi
  export WINEPREFIX
  export WINEDEBUG="${WINEDEBUG:--all}"
  # wine wants an absolute prefix owned by the current user.
  mkdir -p "$(dirname "$WINEPREFIX")"
  WINEPREFIX=$(cd "$(dirname "$WINEPREFIX")" && pwd)/$(basename "$WINEPREFIX")
  # Our own marker, written after wineboot returned: wineserver writes
  # system.reg lazily, so its presence says nothing about a finished boot.
  local ready="$WINEPREFIX/.buildinfo-prefix-ready"
  [ -f "$ready" ] && return 0
  (
    if command -v flock > /dev/null; then
      flock 9
    fi
    if [ ! -f "$ready" ]; then
      # No display and no Gecko/Mono installer dialogs. fd 9 is closed for
      # wine: the wineserver it starts outlives wineboot and would otherwise
      # hold the lock until it exits.
      WINEDLLOVERRIDES="mscoree,mshtml=" DISPLAY="" "$launcher" wineboot --init > /dev/null 2>&1 < /dev/null 9>&- || {
        echo "wine.sh: wineboot failed for prefix $WINEPREFIX" >&2
        exit 1
      }
      touch "$ready"
    fi
  ) 9> "$WINEPREFIX.lock"
}

# Runs a Windows program; its exit status is the program's.
# Wine hands the program's standard handles to wineserver, which outlives the
# program by a few seconds: a caller reading a pipe (ctest, `| grep`) waits
# that long for end-of-file. So wine gets files, passed on when it ends.
# With WINEDEBUG=-all wine also says nothing when it cannot start a program:
# a DLL it does not find ends the run with status 53 (STATUS_DLL_NOT_FOUND,
# 0xC0000135) and no output. A run that fails without a byte on either
# stream is therefore run once more with wine's error channel on, saying
# so; that run's output and status are the result, and what wine said
# shows why a start failed.
wine_run() {
  local launcher out err rc=0
  launcher=$(wine_launcher) || { echo "wine.sh: wine64 not found" >&2; return 1; }
  wine_prepare || return 1
  out=$(mktemp) && err=$(mktemp) || return 1
  "$launcher" "$@" > "$out" 2> "$err" < /dev/null || rc=$?
  if [ "$rc" != 0 ] && [ ! -s "$out" ] && [ ! -s "$err" ]; then
    echo "wine.sh: $1 exited $rc without output; running it again with WINEDEBUG=err+all" >&2
    rc=0
    WINEDEBUG=err+all "$launcher" "$@" > "$out" 2> "$err" < /dev/null || rc=$?
  fi
  cat "$out"
  cat "$err" >&2
  rm -f "$out" "$err"
  return "$rc"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  case "${1:-}" in
    --launcher) wine_launcher ;;
    --prepare) wine_prepare && echo "$WINEPREFIX" ;;
    "" | -h | --help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' ;;
    *) wine_run "$@" ;;
  esac
fi
