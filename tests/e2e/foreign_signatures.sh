# Signatures made by others are respected. A PE signed with Authenticode
# (osslsigncode, with a throwaway certificate made by openssl) and a Mach-O
# with a certificate (CMS) code signature: writing a record into them again
# is refused (exit 2, one line, the file unchanged, nothing beside it) by
# stamp and by restamp alike; a stamp or restamp that would not change the
# file succeeds and leaves the signature valid; --force writes, warns, and
# leaves a file that `buildinfo verify` accepts and the signature's own
# checker rejects; removing the signature, stamping, signing again gives a
# file both accept.
source "$SOURCE_ROOT/tests/e2e/common.sh"
require_tools mingw-gcc osslsigncode openssl

make_repo "$WORK/repo"
make_keys
key="$WORK/keys/ed25519.key"
pub="$WORK/keys/ed25519.pub"

openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/signer.key" -out "$WORK/signer.pem" -days 2 \
  -subj "/CN=buildinfo test signer" 2> "$WORK/openssl.err" || fail "openssl req failed: $(cat "$WORK/openssl.err")"

# Authenticode verification of $1 by osslsigncode (0: valid).
authenticode_valid() {
  osslsigncode verify -CAfile "$WORK/signer.pem" -in "$1" > "$WORK/osslsigncode.txt" 2>&1
}
buildinfo_verifies() {
  "$BUILDINFO" verify "$1" --key "$pub" > "$WORK/verify.txt" 2>&1 || fail "$2: verify failed: $(cat "$WORK/verify.txt")"
}
# Runs buildinfo with the remaining arguments, expecting exit 2 and the one
# line of standard error $1 (a grep -x pattern); the file named by the
# second argument must not change.
expect_refused() {
  local pattern=$1 file=$3 rc=0
  shift
  cp "$file" "$WORK/before"
  "$BUILDINFO" "$@" > "$WORK/refused.out" 2> "$WORK/refused.err" || rc=$?
  [ "$rc" = 2 ] || fail "buildinfo $* exited $rc, expected 2: $(cat "$WORK/refused.err")"
  [ "$(wc -l < "$WORK/refused.err")" = 1 ] && grep -qx "$pattern" "$WORK/refused.err" \
    || fail "buildinfo $*: unexpected error: $(cat "$WORK/refused.err")"
  [ -s "$WORK/refused.out" ] && fail "buildinfo $* printed on success's stream: $(cat "$WORK/refused.out")"
  cmp -s "$WORK/before" "$file" || fail "buildinfo $* changed $file"
  [ "$(ls -A "$(dirname "$file")" | grep -c 'buildinfo-')" = 0 ] || fail "buildinfo $* left a temporary file"
}
advice='write the record before signing (or remove the signature), or pass --force and sign again after'

# ---- PE, Authenticode ----
mkdir "$WORK/pe"
cat > "$WORK/app.c" <<'C'
#include "buildinfo/slot_layout.h"
BUILDINFO_DEFINE_SLOT(1024);
int main(void) { return buildinfo_slot.slot[0]; }
C
"$MINGW_GCC" -O2 -I"$SOURCE_ROOT/lib/include" -o "$WORK/pe/app.exe" "$WORK/app.c" || fail "$MINGW_TRIPLE-gcc failed"
"$BUILDINFO" stamp "$WORK/pe/app.exe" --key "$key" --source-dir "$WORK/repo" -q
signed="$WORK/pe/signed.exe"
osslsigncode sign -certs "$WORK/signer.pem" -key "$WORK/signer.key" -n "buildinfo test" \
  -in "$WORK/pe/app.exe" -out "$signed" > "$WORK/sign.txt" 2>&1 || fail "osslsigncode sign failed: $(cat "$WORK/sign.txt")"
authenticode_valid "$signed" || fail "osslsigncode does not accept its own signature: $(cat "$WORK/osslsigncode.txt")"
buildinfo_verifies "$signed" "the signed PE"  # signing keeps the image digest
# The clause of the messages about PE file $1's signature, with the size of
# its certificate table (data directory 4: opt + 128 in PE32, + 144 in PE32+).
pe_clause() {
  local size
  size=$(python3 -c 'import struct, sys
d = open(sys.argv[1], "rb").read()
opt = struct.unpack_from("<I", d, 0x3C)[0] + 24
print(struct.unpack_from("<I", d, opt + (148 if struct.unpack_from("<H", d, opt)[0] == 0x20B else 132))[0])' "$1")
  [ "$size" -gt 0 ] || fail "$1 has no certificate table"
  echo "has an Authenticode signature (a certificate table of $size bytes)"
}

# Stamping it again with new facts: refused.
expect_refused "buildinfo: $signed: $(pe_clause "$signed"), which writing the record would break; $advice" \
  stamp "$signed" --key "$key" --source-dir "$WORK/repo" --set again=1 -q
authenticode_valid "$signed" || fail "a refused stamp broke the signature"
# The same record again: nothing to write, so nothing is refused.
"$BUILDINFO" stamp "$signed" --key "$key" --source-dir "$WORK/repo" -q 2> "$WORK/same.err" \
  || fail "a stamp that changes nothing in a signed PE failed: $(cat "$WORK/same.err")"
authenticode_valid "$signed" || fail "a stamp that changes nothing broke the signature"
# --force: stamped, a warning, buildinfo accepts it, Authenticode does not.
cp "$signed" "$WORK/pe/forced.exe"
"$BUILDINFO" stamp "$WORK/pe/forced.exe" --key "$key" --source-dir "$WORK/repo" --set again=1 --force -q \
  2> "$WORK/forced.err" || fail "stamp --force of a signed PE failed: $(cat "$WORK/forced.err")"
grep -qx "buildinfo: warning: $WORK/pe/forced.exe: $(pe_clause "$signed") that no longer matches it (--force): sign it again" \
  "$WORK/forced.err" || fail "stamp --force gave no clear warning: $(cat "$WORK/forced.err")"
buildinfo_verifies "$WORK/pe/forced.exe" "stamp --force"
[ "$("$BUILDINFO" inspect "$WORK/pe/forced.exe" --json --no-describe | jq -r '.record["custom.again"]')" = 1 ] \
  || fail "stamp --force did not write the new record"
authenticode_valid "$WORK/pe/forced.exe" && fail "osslsigncode still accepts the signature after stamp --force"
grep -q 'MISMATCH' "$WORK/osslsigncode.txt" || fail "osslsigncode did not report a digest mismatch: $(cat "$WORK/osslsigncode.txt")"
# The documented way: remove the signature, stamp, sign again.
osslsigncode remove-signature -in "$signed" -out "$WORK/pe/unsigned.exe" > /dev/null 2>&1 \
  || fail "osslsigncode remove-signature failed"
"$BUILDINFO" stamp "$WORK/pe/unsigned.exe" --key "$key" --source-dir "$WORK/repo" --set again=2 -q \
  || fail "stamp of the PE whose signature was removed failed"
osslsigncode sign -certs "$WORK/signer.pem" -key "$WORK/signer.key" -in "$WORK/pe/unsigned.exe" \
  -out "$WORK/pe/resigned.exe" > /dev/null 2>&1 || fail "signing the stamped PE again failed"
authenticode_valid "$WORK/pe/resigned.exe" || fail "the PE stamped then signed again is not valid Authenticode"
buildinfo_verifies "$WORK/pe/resigned.exe" "stamped, then signed again"

# restamp follows the same rule. A file changed after its stamp (its COFF
# TimeDateStamp, a covered byte), then signed: its record is no longer
# bound, so restamp would rewrite it, and refuses to.
cp "$WORK/pe/app.exe" "$WORK/pe/changed.exe"
python3 -c 'import struct, sys
with open(sys.argv[1], "r+b") as f:
    d = f.read()
    at = struct.unpack_from("<I", d, 0x3C)[0] + 8
    f.seek(at)
    f.write(struct.pack("<I", struct.unpack_from("<I", d, at)[0] ^ 0x5A5A))' "$WORK/pe/changed.exe"
changed="$WORK/pe/changed-signed.exe"
osslsigncode sign -certs "$WORK/signer.pem" -key "$WORK/signer.key" -in "$WORK/pe/changed.exe" -out "$changed" \
  > /dev/null 2>&1 || fail "signing the changed PE failed"
expect_refused "buildinfo: $changed: $(pe_clause "$changed"), which writing the record would break; $advice" \
  restamp "$changed" --key "$key" -q
authenticode_valid "$changed" || fail "a refused restamp broke the signature"
# A signed file whose records are bound: nothing to write, success.
"$BUILDINFO" restamp "$signed" --key "$key" -q || fail "restamp of a signed PE with bound records failed"
authenticode_valid "$signed" || fail "a restamp that changes nothing broke the signature"
"$BUILDINFO" restamp "$changed" --key "$key" --force -q 2> "$WORK/restamp-forced.err" \
  || fail "restamp --force failed: $(cat "$WORK/restamp-forced.err")"
grep -qx "buildinfo: warning: $changed: $(pe_clause "$changed") that no longer matches it (--force): sign it again" \
  "$WORK/restamp-forced.err" || fail "restamp --force gave no clear warning: $(cat "$WORK/restamp-forced.err")"
buildinfo_verifies "$changed" "restamp --force"
authenticode_valid "$changed" && fail "osslsigncode still accepts the signature after restamp --force"

# ---- Mach-O, certificate (CMS) signature ----
require_tools clang ld64.lld
mkdir "$WORK/macho"
macho="$WORK/macho/arm64"
"$CLANG" -target arm64-apple-macos11 -ffreestanding -O2 -nostdlib -fuse-ld=lld -Wl,-e,_start \
  -I"$SOURCE_ROOT/lib/include" -o "$macho" "$SOURCE_ROOT/tests/programs/freestanding/freestanding.c" \
  || fail "arm64 Mach-O link failed"
"$BUILDINFO" stamp "$macho" --key "$key" --source-dir "$WORK/repo" -q  # ad hoc (lld): no obstacle
cms="$WORK/macho/cms"
cp "$macho" "$cms"
python3 "$SOURCE_ROOT/tests/tools/macho_codesign.py" cms "$cms" "$WORK/signer.pem" "$WORK/signer.key" \
  || fail "could not give the Mach-O a CMS signature"
check_pages() { python3 "$SOURCE_ROOT/tests/tools/check_macho_signature.py" "$1" > "$WORK/pages.txt" 2>&1; }
check_pages "$cms" || fail "the CMS-signed Mach-O has wrong page hashes: $(cat "$WORK/pages.txt")"
buildinfo_verifies "$cms" "the CMS-signed Mach-O"
macho_clause="has a certificate (CMS) code signature in its arm64 slice"
expect_refused "buildinfo: $cms: $macho_clause, which writing the record would break; $advice" \
  stamp "$cms" --key "$key" --source-dir "$WORK/repo" --set again=1 -q
"$BUILDINFO" stamp "$cms" --key "$key" --source-dir "$WORK/repo" -q || fail "a stamp that changes nothing failed (Mach-O)"
"$BUILDINFO" restamp "$cms" --key "$key" -q || fail "restamp of a CMS-signed Mach-O with bound records failed"
cmp -s "$cms" "$WORK/before" || fail "a stamp or restamp that changes nothing rewrote the CMS-signed Mach-O"
"$BUILDINFO" stamp "$cms" --key "$key" --source-dir "$WORK/repo" --set again=1 --force -q 2> "$WORK/macho-forced.err" \
  || fail "stamp --force of a CMS-signed Mach-O failed: $(cat "$WORK/macho-forced.err")"
grep -qx "buildinfo: warning: $cms: $macho_clause that no longer matches it (--force): sign it again" \
  "$WORK/macho-forced.err" || fail "stamp --force (Mach-O) gave no clear warning: $(cat "$WORK/macho-forced.err")"
buildinfo_verifies "$cms" "stamp --force (Mach-O)"
check_pages "$cms" || fail "stamp --force left wrong page hashes: $(cat "$WORK/pages.txt")"
echo ok
