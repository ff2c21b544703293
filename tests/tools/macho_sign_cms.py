#!/usr/bin/env python3
"""Gives a thin 64-bit little-endian Mach-O a certificate-based code signature.

A stand-in for `codesign -s IDENTITY` with a Developer ID (which needs macOS):
the embedded signature is replaced by a SuperBlob holding a CodeDirectory
(version 0x20400, SHA-256 page hashes of 4 KiB pages, not ad hoc), an empty
requirements blob and a CMS blob: a detached CMS SignedData over the
CodeDirectory, made by `openssl cms -sign` with the certificate and key
given. Room for the signature is reserved first, since the load commands
that give its size lie in the first hashed page. Written from the
specification (xnu EXTERNAL_HEADERS/mach-o/loader.h, osfmk/kern/cs_blobs.h).

usage: macho_sign_cms.py FILE CERT.pem KEY.pem
"""
import hashlib
import os
import struct
import subprocess
import sys
import tempfile

LC_SEGMENT_64, LC_CODE_SIGNATURE = 0x19, 0x1D
CSMAGIC_EMBEDDED_SIGNATURE, CSMAGIC_CODEDIRECTORY = 0xFADE0CC0, 0xFADE0C02
CSMAGIC_REQUIREMENTS, CSMAGIC_BLOBWRAPPER = 0xFADE0C01, 0xFADE0B01
CSSLOT_CODEDIRECTORY, CSSLOT_REQUIREMENTS, CSSLOT_SIGNATURESLOT = 0, 2, 0x10000
PAGE, HASH_SIZE, CMS_ROOM = 4096, 32, 8192


def main(path, cert, key):
    d = bytearray(open(path, "rb").read())
    if struct.unpack_from("<I", d, 0)[0] != 0xFEEDFACF:
        sys.exit("not a thin 64-bit little-endian Mach-O")
    ncmds = struct.unpack_from("<I", d, 16)[0]
    at, signature_command, segments = 32, None, {}
    for _ in range(ncmds):
        cmd, size = struct.unpack_from("<II", d, at)
        if cmd == LC_CODE_SIGNATURE:
            signature_command = at
        elif cmd == LC_SEGMENT_64:
            segments[bytes(d[at + 8:at + 24]).rstrip(b"\0")] = at
        at += size
    if signature_command is None or b"__LINKEDIT" not in segments:
        sys.exit("no LC_CODE_SIGNATURE or __LINKEDIT to re-sign")
    dataoff = struct.unpack_from("<I", d, signature_command + 8)[0]
    del d[dataoff:]  # the signature is the file's tail
    code_limit = dataoff
    pages = (code_limit + PAGE - 1) // PAGE

    ident = b"org.buildinfo.test-cms\0"
    requirements = struct.pack(">III", CSMAGIC_REQUIREMENTS, 12, 0)
    special_slots = 2  # -1 Info.plist (none: zeros), -2 requirements
    ident_offset = 88  # the CodeDirectory header of version 0x20400
    hash_offset = ident_offset + len(ident) + special_slots * HASH_SIZE
    cd_length = hash_offset + pages * HASH_SIZE
    index_end = 12 + 3 * 8
    room = (index_end + cd_length + len(requirements) + 8 + CMS_ROOM + 15) // 16 * 16

    # Sizes first: they are in the first page, which is hashed.
    struct.pack_into("<I", d, signature_command + 12, room)
    linkedit = segments[b"__LINKEDIT"]
    linkedit_fileoff = struct.unpack_from("<Q", d, linkedit + 40)[0]
    filesize = dataoff + room - linkedit_fileoff
    struct.pack_into("<Q", d, linkedit + 48, filesize)
    struct.pack_into("<Q", d, linkedit + 32, (filesize + 16383) // 16384 * 16384)

    hashes = b"".join(hashlib.sha256(bytes(d[i * PAGE:min((i + 1) * PAGE, code_limit)])).digest()
                      for i in range(pages))
    text_fileoff, text_filesize = struct.unpack_from("<QQ", d, segments[b"__TEXT"] + 40)
    # magic, length, version, flags (none: not ad hoc), hashOffset,
    # identOffset, nSpecialSlots, nCodeSlots, codeLimit, hashSize, hashType
    # (2: SHA-256), platform, pageSize (log2), spare2, scatterOffset,
    # teamOffset, spare3, codeLimit64, execSegBase, execSegLimit, execSegFlags
    # (1: main binary).
    cd = struct.pack(">IIIIIIIIIBBBBIIIIQQQQ", CSMAGIC_CODEDIRECTORY, cd_length, 0x20400, 0, hash_offset,
                     ident_offset, special_slots, pages, code_limit, HASH_SIZE, 2, 0, 12, 0, 0, 0, 0, 0,
                     text_fileoff, text_filesize, 1)
    cd += ident + hashlib.sha256(requirements).digest() + bytes(HASH_SIZE) + hashes
    assert len(cd) == cd_length

    with tempfile.TemporaryDirectory() as tmp:
        cd_file, cms_file = os.path.join(tmp, "cd"), os.path.join(tmp, "cms")
        open(cd_file, "wb").write(cd)
        subprocess.run(["openssl", "cms", "-sign", "-binary", "-md", "sha256", "-nosmimecap", "-outform", "DER",
                        "-signer", cert, "-inkey", key, "-in", cd_file, "-out", cms_file], check=True)
        cms = open(cms_file, "rb").read()
    if len(cms) > CMS_ROOM:
        sys.exit(f"the CMS signature ({len(cms)} bytes) does not fit the {CMS_ROOM} bytes reserved")
    wrapper = struct.pack(">II", CSMAGIC_BLOBWRAPPER, 8 + len(cms)) + cms
    cd_at = index_end
    requirements_at = cd_at + len(cd)
    wrapper_at = requirements_at + len(requirements)
    total = wrapper_at + len(wrapper)
    blob = struct.pack(">III", CSMAGIC_EMBEDDED_SIGNATURE, total, 3)
    blob += struct.pack(">II", CSSLOT_CODEDIRECTORY, cd_at) + struct.pack(">II", CSSLOT_REQUIREMENTS, requirements_at)
    blob += struct.pack(">II", CSSLOT_SIGNATURESLOT, wrapper_at)
    blob += cd + requirements + wrapper
    d += blob + bytes(room - len(blob))
    open(path, "wb").write(d)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
