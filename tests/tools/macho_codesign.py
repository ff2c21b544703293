#!/usr/bin/env python3
"""Gives a thin 64-bit little-endian Mach-O a new embedded code signature.

The tests' one builder of Mach-O code signatures in Python (the unit tests
have theirs in tests/unit/macho_builder.h), written from the specification
(xnu EXTERNAL_HEADERS/mach-o/loader.h, osfmk/kern/cs_blobs.h): the old
signature, the file's tail, is replaced by a SuperBlob holding a
CodeDirectory (version 0x20400, SHA-256 hashes of 4 KiB pages, the
requirements special slot), an empty requirements blob and a CMS blob
wrapper; LC_CODE_SIGNATURE datasize and __LINKEDIT filesize and vmsize are
updated first, since the load commands lie in the first hashed page.

  macho_codesign.py adhoc FILE
      as `codesign -f -s -` re-signs: flags ADHOC, the identifier
      "resigned." + the old one, an empty CMS wrapper, a signature of
      another size than the old one (room to spare, as codesign leaves).
      Prints "OLD_SIZE NEW_SIZE".
  macho_codesign.py cms FILE CERT.pem KEY.pem
      a stand-in for `codesign -s IDENTITY` with a Developer ID (which
      needs macOS): not ad hoc, and the CMS blob a detached CMS SignedData
      over the CodeDirectory, made by `openssl cms -sign` with the
      certificate and key given, in room reserved beforehand.
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
CS_ADHOC = 0x2
CS_HASHTYPE_SHA256, HASH_SIZE = 2, 32
PAGE_SHIFT = 12
PAGE = 1 << PAGE_SHIFT
CODE_DIRECTORY_HEADER = 88  # the CodeDirectory header of version 0x20400
SPECIAL_SLOTS = 2  # -1 Info.plist (none: zeros), -2 requirements
CMS_ROOM = 8192


class LoadCommands:
    """The load commands of a thin 64-bit little-endian Mach-O that signing rewrites."""

    def __init__(self, d):
        if struct.unpack_from("<I", d, 0)[0] != 0xFEEDFACF:
            sys.exit("not a thin 64-bit little-endian Mach-O")
        ncmds = struct.unpack_from("<I", d, 16)[0]
        at, self.signature, self.segments = 32, None, {}
        for _ in range(ncmds):
            cmd, size = struct.unpack_from("<II", d, at)
            if cmd == LC_CODE_SIGNATURE:
                self.signature = at
            elif cmd == LC_SEGMENT_64:
                self.segments[bytes(d[at + 8:at + 24]).rstrip(b"\0")] = at
            at += size
        if self.signature is None or b"__LINKEDIT" not in self.segments or b"__TEXT" not in self.segments:
            sys.exit("no LC_CODE_SIGNATURE, __TEXT or __LINKEDIT to re-sign")
        self.dataoff, self.datasize = struct.unpack_from("<II", d, self.signature + 8)


def identifier_of(d, commands):
    """The identifier of the signature's first CodeDirectory, without its NUL."""
    old = bytes(d[commands.dataoff:commands.dataoff + commands.datasize])
    cd_at = struct.unpack_from(">I", old, 16)[0]  # first BlobIndex: the CodeDirectory
    ident_at = cd_at + struct.unpack_from(">I", old, cd_at + 20)[0]
    return old[ident_at:old.index(b"\0", ident_at)]


def code_directory(d, commands, identifier, flags):
    """The CodeDirectory blob over d[0, dataoff) (sizes already set)."""
    code_limit = commands.dataoff
    pages = (code_limit + PAGE - 1) // PAGE
    ident = identifier + b"\0"
    requirements = struct.pack(">III", CSMAGIC_REQUIREMENTS, 12, 0)
    hash_offset = CODE_DIRECTORY_HEADER + len(ident) + SPECIAL_SLOTS * HASH_SIZE
    cd_length = hash_offset + pages * HASH_SIZE
    hashes = b"".join(hashlib.sha256(bytes(d[i * PAGE:min((i + 1) * PAGE, code_limit)])).digest()
                      for i in range(pages))
    text_fileoff, text_filesize = struct.unpack_from("<QQ", d, commands.segments[b"__TEXT"] + 40)
    # magic, length, version, flags, hashOffset, identOffset, nSpecialSlots,
    # nCodeSlots, codeLimit, hashSize, hashType, platform, pageSize (log2),
    # spare2, scatterOffset, teamOffset, spare3, codeLimit64, execSegBase,
    # execSegLimit, execSegFlags (1: main binary).
    cd = struct.pack(">IIIIIIIIIBBBBIIIIQQQQ", CSMAGIC_CODEDIRECTORY, cd_length, 0x20400, flags, hash_offset,
                     CODE_DIRECTORY_HEADER, SPECIAL_SLOTS, pages, code_limit, HASH_SIZE, CS_HASHTYPE_SHA256, 0,
                     PAGE_SHIFT, 0, 0, 0, 0, 0, text_fileoff, text_filesize, 1)
    cd += ident + hashlib.sha256(requirements).digest() + bytes(HASH_SIZE) + hashes  # special slots -2, -1
    assert len(cd) == cd_length
    return cd


def code_directory_length(pages, identifier):
    return CODE_DIRECTORY_HEADER + len(identifier) + 1 + SPECIAL_SLOTS * HASH_SIZE + pages * HASH_SIZE


def resign(d, identifier, flags, cms_room, spare, sign_cms=None, other_size_than=None):
    """Replaces the signature of Mach-O `d` (a bytearray) in place.

    The new signature is the SuperBlob (CodeDirectory, requirements, CMS
    wrapper of up to `cms_room` content bytes) rounded up to 16 bytes, plus
    `spare` zero bytes, plus 16 more when that equals `other_size_than`.
    `sign_cms(cd)` returns the CMS content (none: an empty wrapper).
    Returns (old datasize, new datasize)."""
    commands = LoadCommands(d)
    old_size = commands.datasize
    pages = (commands.dataoff + PAGE - 1) // PAGE
    index_end = 12 + 3 * 8
    requirements = struct.pack(">III", CSMAGIC_REQUIREMENTS, 12, 0)
    room = (index_end + code_directory_length(pages, identifier) + len(requirements) + 8 + cms_room + 15) // 16 * 16
    room += spare
    if room == other_size_than:
        room += 16

    # Sizes first: they are in the first page, which is hashed.
    struct.pack_into("<I", d, commands.signature + 12, room)
    linkedit = commands.segments[b"__LINKEDIT"]
    filesize = commands.dataoff + room - struct.unpack_from("<Q", d, linkedit + 40)[0]
    struct.pack_into("<Q", d, linkedit + 48, filesize)
    struct.pack_into("<Q", d, linkedit + 32, (filesize + 16383) // 16384 * 16384)
    del d[commands.dataoff:]  # the signature is the file's tail

    cd = code_directory(d, commands, identifier, flags)
    cms = sign_cms(cd) if sign_cms else b""
    if len(cms) > cms_room:
        sys.exit(f"the CMS signature ({len(cms)} bytes) does not fit the {cms_room} bytes reserved")
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
    return old_size, room


def openssl_cms_signer(cert, key):
    """sign_cms for resign(): a detached CMS SignedData made by openssl."""
    def sign(cd):
        with tempfile.TemporaryDirectory() as tmp:
            cd_file, cms_file = os.path.join(tmp, "cd"), os.path.join(tmp, "cms")
            with open(cd_file, "wb") as f:
                f.write(cd)
            subprocess.run(["openssl", "cms", "-sign", "-binary", "-md", "sha256", "-nosmimecap", "-outform", "DER",
                            "-signer", cert, "-inkey", key, "-in", cd_file, "-out", cms_file], check=True)
            with open(cms_file, "rb") as f:
                return f.read()
    return sign


def main(argv):
    if len(argv) == 3 and argv[1] == "adhoc":
        path = argv[2]
        d = bytearray(open(path, "rb").read())
        commands = LoadCommands(d)
        identifier = b"resigned." + identifier_of(d, commands)
        old_size, new_size = resign(d, identifier, CS_ADHOC, 0, 512, other_size_than=commands.datasize)
        print(old_size, new_size)
    elif len(argv) == 5 and argv[1] == "cms":
        path, cert, key = argv[2:]
        d = bytearray(open(path, "rb").read())
        resign(d, b"org.buildinfo.test-cms", 0, CMS_ROOM, 0, sign_cms=openssl_cms_signer(cert, key))
    else:
        sys.exit(__doc__)
    with open(path, "wb") as f:
        f.write(d)


if __name__ == "__main__":
    main(sys.argv)
