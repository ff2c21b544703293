# The Windows version resource (FORMAT.md, "The Windows version resource"),
# read by the tools people already have. A MinGW project whose targets use
# buildinfo_stamp() as they are: the program reads its own version resource
# under wine through GetFileVersionInfoW/VerQueryValueW and prints the
# stamped versions and revision; pefile reads the same values from the file;
# the PE CheckSum is right and verify passes. A commit re-stamps the
# resource; a flipped byte in it fails verify. A target with its own
# VERSIONINFO keeps it, a DLL gets VFT_DLL, and NO_VERSION_RESOURCE adds none.
source "$SOURCE_ROOT/tests/e2e/common.sh"
require_tools mingw-gcc wine
/usr/bin/python3 -c "import pefile" 2> /dev/null || skip "python3-pefile is not installed (Debian: python3-pefile)"

make_repo "$WORK/repo"
make_keys
project="$WORK/project"
mkdir -p "$project"
cat > "$project/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.19)
project(verdemo VERSION 2.7.1 LANGUAGES C)
add_subdirectory("$SOURCE_ROOT" buildinfo)
add_executable(show_version show_version.c)
target_link_libraries(show_version PRIVATE version)
buildinfo_stamp(show_version KEY "$WORK/keys/ed25519.key" SOURCE_DIR "$WORK/repo")
add_library(plug SHARED plug.c)
buildinfo_stamp(plug KEY "$WORK/keys/ed25519.key" SOURCE_DIR "$WORK/repo")
add_executable(own_rc plug.c own.rc)
buildinfo_stamp(own_rc KEY "$WORK/keys/ed25519.key" SOURCE_DIR "$WORK/repo")
add_executable(plain plug.c)
buildinfo_stamp(plain KEY "$WORK/keys/ed25519.key" SOURCE_DIR "$WORK/repo" NO_VERSION_RESOURCE)
CMAKE
cat > "$project/plug.c" <<'C'
int main(void) { return 0; }
C
cat > "$project/own.rc" <<'RC'
1 VERSIONINFO
FILEVERSION 9,8,7,6
PRODUCTVERSION 9,8,7,6
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "040904b0"
    BEGIN
      VALUE "ProductVersion", "9.8.7-own"
    END
  END
END
RC
# Prints the fixed versions and the strings of its own version resource as
# GetFileVersionInfoW and VerQueryValueW give them, as UTF-8.
cat > "$project/show_version.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <windows.h>

static void print_string(const void* info, const wchar_t* key) {
  wchar_t path[128];
  wchar_t* value = NULL;
  UINT length = 0;
  char utf8[1024];
  swprintf(path, 128, L"\\StringFileInfo\\040904b0\\%ls", key);
  if (!VerQueryValueW(info, path, (void**)&value, &length)) return;
  if (!WideCharToMultiByte(CP_UTF8, 0, value, -1, utf8, sizeof utf8, NULL, NULL)) utf8[0] = 0;
  printf("%ls=%s\n", key, utf8);
}

int main(void) {
  wchar_t self[MAX_PATH];
  DWORD ignored = 0, size;
  if (!GetModuleFileNameW(NULL, self, MAX_PATH)) return 2;
  size = GetFileVersionInfoSizeW(self, &ignored);
  if (size == 0) {
    printf("no version resource\n");
    return 3;
  }
  void* info = malloc(size);
  if (!info || !GetFileVersionInfoW(self, 0, size, info)) return 2;
  VS_FIXEDFILEINFO* fixed = NULL;
  UINT length = 0;
  if (VerQueryValueW(info, L"\\", (void**)&fixed, &length) && length >= sizeof *fixed)
    printf("fixed.file=%u.%u.%u.%u\nfixed.product=%u.%u.%u.%u\n", HIWORD(fixed->dwFileVersionMS),
           LOWORD(fixed->dwFileVersionMS), HIWORD(fixed->dwFileVersionLS), LOWORD(fixed->dwFileVersionLS),
           HIWORD(fixed->dwProductVersionMS), LOWORD(fixed->dwProductVersionMS), HIWORD(fixed->dwProductVersionLS),
           LOWORD(fixed->dwProductVersionLS));
  print_string(info, L"ProductVersion");
  print_string(info, L"FileVersion");
  print_string(info, L"ProductName");
  print_string(info, L"SourceRevision");
  print_string(info, L"FileDescription");
  return 0;
}
C

build="$WORK/build"
cmake -S "$project" -B "$build" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$SOURCE_ROOT/toolchains/$MINGW_TRIPLE.cmake" \
  -DBUILDINFO_BUILD_TOOL=OFF -DBUILDINFO_TOOL="$BUILDINFO" -DBUILDINFO_TESTS=OFF > "$WORK/configure.log" 2>&1 \
  || { cat "$WORK/configure.log" >&2; fail "the MinGW project does not configure"; }
grep -q 'buildinfo_stamp(own_rc): own.rc has its own VERSIONINFO; not adding one' "$WORK/configure.log" \
  || fail "configure does not say that own_rc keeps its own VERSIONINFO: $(grep buildinfo "$WORK/configure.log")"
cmake --build "$build" > "$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; fail "the MinGW project does not build"; }

# The values pefile reads from file $1, as key=value lines in the program's
# order (fixed versions first), then checksum=<stored> <computed> and
# filetype=<FILETYPE>; "no version resource" when there is none.
pefile_values() {
  /usr/bin/python3 - "$1" <<'PY'
import sys
import pefile
pe = pefile.PE(sys.argv[1])
if not hasattr(pe, "VS_FIXEDFILEINFO"):
    print("no version resource")
else:
    f = pe.VS_FIXEDFILEINFO[0]
    dotted = lambda ms, ls: "%d.%d.%d.%d" % (ms >> 16, ms & 0xFFFF, ls >> 16, ls & 0xFFFF)
    print("fixed.file=" + dotted(f.FileVersionMS, f.FileVersionLS))
    print("fixed.product=" + dotted(f.ProductVersionMS, f.ProductVersionLS))
    strings = {}
    for info in pe.FileInfo[0]:
        if info.Key == b"StringFileInfo":
            for table in info.StringTable:
                strings.update({k.decode(): v.decode() for k, v in table.entries.items()})
    for key in ("ProductVersion", "FileVersion", "ProductName", "SourceRevision", "FileDescription"):
        if key in strings:
            print("%s=%s" % (key, strings[key]))
    print("filetype=%d" % f.FileType)
print("checksum=%08x %08x" % (pe.OPTIONAL_HEADER.CheckSum, pe.generate_checksum()))
PY
}

# Runs show_version.exe under wine and checks its output, pefile's values
# and inspect's record against the expected version $1 and revision
# string $2; checks the CheckSum and that verify passes.
expect_version() {
  local exe="$build/show_version.exe" expected
  expected=$(printf '%s\n' "fixed.file=$1.0" "fixed.product=$1.0" "ProductVersion=$1" "FileVersion=$1" \
    "ProductName=verdemo" "SourceRevision=$2" "FileDescription=show_version")
  expect_windows_run "$exe" "$WORK/wine.txt"
  [ "$(cat "$WORK/wine.txt")" = "$expected" ] \
    || fail "GetFileVersionInfoW under wine reads:"$'\n'"$(cat "$WORK/wine.txt")"$'\n'"expected:"$'\n'"$expected"
  pefile_values "$exe" > "$WORK/pefile.txt" || fail "pefile cannot read $exe"
  [ "$(grep -v '^checksum=\|^filetype=' "$WORK/pefile.txt")" = "$expected" ] \
    || fail "pefile reads:"$'\n'"$(cat "$WORK/pefile.txt")"$'\n'"expected:"$'\n'"$expected"
  grep -qx 'filetype=1' "$WORK/pefile.txt" || fail "the program's FILETYPE is not VFT_APP: $(cat "$WORK/pefile.txt")"
  read -r stored computed < <(sed -n 's/^checksum=//p' "$WORK/pefile.txt")
  [ "$stored" = "$computed" ] || fail "after stamping the PE CheckSum is $stored, pefile computes $computed"
  "$BUILDINFO" verify "$exe" --key "$WORK/keys/ed25519.pub" > "$WORK/verify.txt" 2>&1 \
    || fail "verify of the stamped program failed: $(cat "$WORK/verify.txt")"
  "$BUILDINFO" inspect --json "$exe" > "$WORK/inspect.json" || fail "inspect of the stamped program failed"
  [ "$(jq -r '.records[] | select(.kind == "pe-version-info") | .data.strings["040904b0"].SourceRevision' \
    "$WORK/inspect.json")" = "$2" ] || fail "inspect's pe-version-info record lacks SourceRevision $2"
  echo "version resource: $(paste -sd' ' "$WORK/wine.txt"), CheckSum $stored"
}

revision=$(git -C "$WORK/repo" rev-parse HEAD)
expect_version 2.7.1 "$revision clean"

# A commit re-stamps at the next build: the resource holds the new revision.
echo "more" >> "$WORK/repo/README"
git -C "$WORK/repo" commit -qam "second"
revision=$(git -C "$WORK/repo" rev-parse HEAD)
cmake --build "$build" > "$WORK/build2.log" 2>&1 || { cat "$WORK/build2.log" >&2; fail "the rebuild failed"; }
expect_version 2.7.1 "$revision clean"
# And an edit of a tracked file is a dirty tree.
echo "edit" >> "$WORK/repo/README"
cmake --build "$build" > "$WORK/build3.log" 2>&1 || { cat "$WORK/build3.log" >&2; fail "the rebuild failed"; }
expect_version 2.7.1 "$revision dirty"

# A flipped byte in the resource (in the SourceRevision value) fails verify's
# image check.
copy="$WORK/tampered.exe"
cp "$build/show_version.exe" "$copy"
offset=$(/usr/bin/python3 -c 'import sys; print(open(sys.argv[1], "rb").read().index(sys.argv[2].encode("utf-16-le")))' \
  "$copy" "$revision dirty")
flip_byte "$copy" "$offset"
rc=0
"$BUILDINFO" verify "$copy" --key "$WORK/keys/ed25519.pub" > "$WORK/tampered.txt" 2>&1 || rc=$?
[ "$rc" = 1 ] && grep -q 'FAIL  image' "$WORK/tampered.txt" \
  || fail "verify of a changed version resource exited $rc: $(cat "$WORK/tampered.txt")"

# The DLL gets one too, as VFT_DLL, filled the same way.
dll=$(find "$build" -maxdepth 1 -name '*plug.dll')
pefile_values "$dll" > "$WORK/dll.txt" || fail "pefile cannot read $dll"
grep -qx 'filetype=2' "$WORK/dll.txt" && grep -qx "SourceRevision=$revision dirty" "$WORK/dll.txt" \
  || fail "the DLL's version resource: $(cat "$WORK/dll.txt")"
"$BUILDINFO" verify "$dll" --key "$WORK/keys/ed25519.pub" > /dev/null 2>&1 || fail "verify of the DLL failed"

# A target with its own VERSIONINFO keeps it, stamp says so, and it verifies.
pefile_values "$build/own_rc.exe" > "$WORK/own.txt" || fail "pefile cannot read own_rc.exe"
grep -qx 'fixed.product=9.8.7.6' "$WORK/own.txt" && grep -qx 'ProductVersion=9.8.7-own' "$WORK/own.txt" \
  || fail "own_rc.exe's own version resource changed: $(cat "$WORK/own.txt")"
"$BUILDINFO" stamp "$build/own_rc.exe" --key "$WORK/keys/ed25519.key" --source-dir "$WORK/repo" > "$WORK/own-stamp.txt" 2>&1 \
  || fail "stamp of own_rc.exe failed: $(cat "$WORK/own-stamp.txt")"
grep -q 'note: .*own_rc.exe keeps its own version resource (RT_VERSION 1, language 0409)' "$WORK/own-stamp.txt" \
  || fail "stamp does not say that it keeps own_rc.exe's version resource: $(cat "$WORK/own-stamp.txt")"
"$BUILDINFO" verify "$build/own_rc.exe" --key "$WORK/keys/ed25519.pub" > /dev/null 2>&1 || fail "verify of own_rc.exe failed"

# NO_VERSION_RESOURCE: none at all.
pefile_values "$build/plain.exe" > "$WORK/plain.txt" || fail "pefile cannot read plain.exe"
grep -qx 'no version resource' "$WORK/plain.txt" || fail "NO_VERSION_RESOURCE still adds one: $(cat "$WORK/plain.txt")"
echo "own VERSIONINFO kept, DLL VFT_DLL, NO_VERSION_RESOURCE adds none, a flipped byte fails verify"
