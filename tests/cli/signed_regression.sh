# Stamps made by earlier versions of the tool keep verifying: the signed set
# in tests/testdata/signed-v1 (ELF, PE and Mach-O, Ed25519 and ECDSA P-256;
# tests/testdata/make_signed_set.sh made it) and the stamped real binaries of
# the fuzz seed corpora (unsigned). A change of the image digest rule or of
# the record format that existing binaries would not survive fails here.
source "$SOURCE_ROOT/tests/e2e/common.sh"

set_dir="$SOURCE_ROOT/tests/testdata/signed-v1"
count=0
for file in "$set_dir"/*.ed25519 "$set_dir"/*.ecdsa-p256; do
  alg=${file##*.}
  "$BUILDINFO" verify "$file" --key "$set_dir/$alg.pub" > "$WORK/verify.txt" 2>&1 \
    || fail "$(basename "$file") no longer verifies: $(cat "$WORK/verify.txt")"
  count=$((count + 1))
done
[ "$count" -ge 22 ] || fail "the signed set has $count files, expected 22"

seeds=0
for file in "$SOURCE_ROOT"/tests/fuzz/corpus/{elf,pe,macho}_fuzz/*-stamped; do
  case "$(basename "$file")" in fuzz-*) continue ;; esac  # synthetic seeds, not binaries
  "$BUILDINFO" verify "$file" --allow-unsigned > "$WORK/verify.txt" 2>&1 \
    || fail "the stamped seed $file no longer verifies: $(cat "$WORK/verify.txt")"
  seeds=$((seeds + 1))
done
[ "$seeds" -ge 11 ] || fail "found $seeds stamped seeds, expected 11"
echo "ok: $count signed files, $seeds stamped seeds"
