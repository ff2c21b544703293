# The independent check (issue 3, must-show 4): for both algorithms, rebuild
# the DSSE pre-authentication bytes from `inspect --dsse` by hand and verify
# the signature with the openssl command line, not with buildinfo's code.
source "$SOURCE_ROOT/tests/e2e/common.sh"
export LC_ALL=C  # ${#var} and printf count bytes

command -v openssl > /dev/null || fail "the openssl command line is missing"

# Runs an openssl verification ($@) and checks that it succeeds.
expect_verified() {
  "$@" > "$WORK/openssl.out" 2>&1 || fail "openssl rejected a good signature: $* ($(cat "$WORK/openssl.out"))"
}

# Runs an openssl verification ($@) and checks that it fails.
expect_rejected() {
  if "$@" > "$WORK/openssl.out" 2>&1; then
    fail "openssl accepted a tampered input: $*"
  fi
}

# Writes a copy of file $1 with the byte at offset $2 XOR 0x01 to file $3.
flip_byte() {
  local byte
  cp "$1" "$3"
  byte=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
  printf %b "\\0$(printf %03o $((byte ^ 1)))" | dd of="$3" bs=1 seek="$2" conv=notrunc status=none
  ! cmp -s "$1" "$3" || fail "flip_byte did not change $1 at offset $2"
}

cat > "$WORK/slot.c" <<'C'
#include "buildinfo/slot_layout.h"
BUILDINFO_DEFINE_SLOT(BUILDINFO_DEFAULT_CAPACITY);
C
cat > "$WORK/main.c" <<'C'
int main(void) { return 0; }
C
cc -I"$SOURCE_ROOT/lib/include" -o "$WORK/app" "$WORK/main.c" "$WORK/slot.c"
make_repo "$WORK/repo"

for alg in ed25519 ecdsa-p256; do
  dir="$WORK/$alg"
  mkdir "$dir"
  key_id=$("$BUILDINFO" keygen --out "$dir/signer" --alg "$alg")
  [[ "$key_id" =~ ^[0-9a-f]{64}$ ]] || fail "$alg: keygen printed '$key_id', expected a 64-digit hex key id"
  # The public key file is the PEM openssl writes for the private key's public half.
  openssl pkey -in "$dir/signer.key" -pubout | cmp -s - "$dir/signer.pub" \
    || fail "$alg: keygen's public key PEM is not the one openssl writes for its private key"

  cp "$WORK/app" "$dir/app"
  "$BUILDINFO" stamp "$dir/app" --key "$dir/signer.key" --source-dir "$WORK/repo" -q
  "$BUILDINFO" inspect "$dir/app" --dsse > "$dir/envelope.json"

  # The envelope, read with jq and base64 only.
  type=$(jq -r .payloadType "$dir/envelope.json")
  [ "$type" = "application/vnd.buildinfo.v1+json" ] || fail "$alg: payloadType is '$type'"
  [ "$(jq '.signatures | length' "$dir/envelope.json")" = 1 ] || fail "$alg: expected one signature"
  jq -r .payload "$dir/envelope.json" | base64 -d > "$dir/payload.bin"
  jq -r '.signatures[0].sig' "$dir/envelope.json" | base64 -d > "$dir/sig.bin"
  jq -e . "$dir/payload.bin" > /dev/null || fail "$alg: the payload is not JSON"

  # The key id: as keygen printed it, and as openssl computes it (SHA-256 of
  # the DER SubjectPublicKeyInfo).
  envelope_key_id=$(jq -r '.signatures[0].keyid' "$dir/envelope.json")
  openssl_key_id=$(openssl pkey -pubin -in "$dir/signer.pub" -outform DER | sha256sum | cut -d' ' -f1)
  [ "$envelope_key_id" = "$key_id" ] || fail "$alg: envelope keyid $envelope_key_id, keygen printed $key_id"
  [ "$openssl_key_id" = "$key_id" ] || fail "$alg: openssl computes key id $openssl_key_id, keygen printed $key_id"

  # PAE = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body (DSSE protocol.md).
  printf 'DSSEv1 %d %s %d ' "${#type}" "$type" "$(stat -c %s "$dir/payload.bin")" > "$dir/pae.bin"
  cat "$dir/payload.bin" >> "$dir/pae.bin"

  # Tampered copies: the last payload byte; the last signature byte (inside
  # S for both algorithms, so the DER of an ECDSA signature stays well-formed).
  flip_byte "$dir/pae.bin" $(( $(stat -c %s "$dir/pae.bin") - 1 )) "$dir/pae-flipped.bin"
  flip_byte "$dir/sig.bin" $(( $(stat -c %s "$dir/sig.bin") - 1 )) "$dir/sig-flipped.bin"

  # The openssl command lines: pkeyutl for both algorithms (ECDSA hashes with
  # -digest sha256), plus dgst for ECDSA.
  pkeyutl=(openssl pkeyutl -verify -pubin -inkey "$dir/signer.pub" -rawin)
  [ "$alg" = ecdsa-p256 ] && pkeyutl+=(-digest sha256)
  expect_verified "${pkeyutl[@]}" -in "$dir/pae.bin" -sigfile "$dir/sig.bin"
  expect_rejected "${pkeyutl[@]}" -in "$dir/pae-flipped.bin" -sigfile "$dir/sig.bin"
  expect_rejected "${pkeyutl[@]}" -in "$dir/pae.bin" -sigfile "$dir/sig-flipped.bin"
  if [ "$alg" = ecdsa-p256 ]; then
    expect_verified openssl dgst -sha256 -verify "$dir/signer.pub" -signature "$dir/sig.bin" "$dir/pae.bin"
    expect_rejected openssl dgst -sha256 -verify "$dir/signer.pub" -signature "$dir/sig.bin" "$dir/pae-flipped.bin"
  else
    [ "$(stat -c %s "$dir/sig.bin")" = 64 ] || fail "$alg: the signature is not 64 bytes"
  fi
done

echo ok
