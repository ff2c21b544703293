# image.sha256 survives what legitimately comes after stamping a PE file, an
# Authenticode-style certificate table appended (with the CheckSum
# rewritten), and catches a flipped .text byte. Rules: FORMAT.md, "Image
# digest", "PE". (ELF and Mach-O: digest_survives_elf.sh,
# digest_survives_macho.sh.)
source "$SOURCE_ROOT/tests/e2e/common.sh"
require_tools mingw-gcc mingw-objdump
start_digest_test

exe="$WORK/app.exe"
"$MINGW_GCC" -O2 -I"$include" -o "$exe" "$WORK/main.c" || fail "$MINGW_TRIPLE-gcc failed"
want=$(stamp_and_digest "$exe")

# Appends a certificate table as Authenticode signing does (Microsoft PE
# format, "The Attribute Certificate Table"): pad the file with zeros to 8
# bytes, append WIN_CERTIFICATE {dwLength, wRevision 0x0200,
# wCertificateType 0x0002 (PKCS#7), bCertificate} padded to 8 bytes, point
# data directory 4 at it (a file offset) and rewrite the CheckSum.
append_certificate() {
  python3 - "$1" <<'PY'
import struct, sys
path = sys.argv[1]
data = bytearray(open(path, "rb").read())
opt = struct.unpack_from("<I", data, 0x3C)[0] + 24
entry = opt + (144 if struct.unpack_from("<H", data, opt)[0] == 0x20B else 128)
if struct.unpack_from("<II", data, entry) != (0, 0):
    sys.exit("already has a certificate table")
data += bytes(-len(data) % 8)
table_offset = len(data)
body = bytes((i * 37 + 11) & 0xFF for i in range(1001))  # stands in for the PKCS#7 SignedData
certificate = struct.pack("<IHH", 8 + len(body), 0x0200, 0x0002) + body
certificate += bytes(-len(certificate) % 8)
data += certificate
struct.pack_into("<II", data, entry, table_offset, len(certificate))
checksum = opt + 64
struct.pack_into("<I", data, checksum, 0)
words = data + bytes(len(data) % 2)
total = sum(struct.unpack("<%dH" % (len(words) // 2), words))
while total >> 16:
    total = (total & 0xFFFF) + (total >> 16)
struct.pack_into("<I", data, checksum, (total + len(data)) & 0xFFFFFFFF)
open(path, "wb").write(data)
print(table_offset, len(certificate))
PY
}
cp "$exe" "$exe.signed"
read -r cert_offset cert_size < <(append_certificate "$exe.signed")
(( $(stat -c %s "$exe") % 8 != 0 )) && echo "note: unsigned exe size $(stat -c %s "$exe") is not 8-aligned; padding checked"
"$MINGW_OBJDUMP" -p "$exe.signed" > "$WORK/pe-headers.txt" || fail "objdump -p does not read the exe with a certificate table"
grep -Eiq "Entry 4 0*$(printf '%x' "$cert_offset") 0*$(printf '%x' "$cert_size") Security Directory" "$WORK/pe-headers.txt" \
  || fail "objdump -p does not show the certificate table: $(grep -i 'Entry 4' "$WORK/pe-headers.txt")"
expect_survives "$want" "$exe.signed" "PE: an appended certificate table"
at=$("$MINGW_OBJDUMP" -h "$exe" | awk '$2 == ".text" { print $6; exit }')
at=$((16#$at))
flip_copy "$exe.signed" "$exe.flip-text" $((at + 16))
expect_caught "$want" "$exe.flip-text" "PE: a .text byte"
echo ok
