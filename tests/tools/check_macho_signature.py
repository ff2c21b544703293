#!/usr/bin/env python3
"""Independent check of Mach-O code-signature page hashes (thin or fat).

Written from the specification, not from the tool's C++ code: xnu
EXTERNAL_HEADERS/mach-o/loader.h and fat.h, osfmk/kern/cs_blobs.h
(https://github.com/apple-oss-distributions/xnu); the rules the tool
follows are in FORMAT.md.

For every slice with LC_CODE_SIGNATURE and every CodeDirectory in it, every
code page hash is recomputed and compared. Exit 0 when all match, 1 on any
mismatch, 2 on malformed or unsupported input.

usage: check_macho_signature.py FILE
"""
import hashlib
import struct
import sys

LC_CODE_SIGNATURE = 0x1D
CSMAGIC_EMBEDDED_SIGNATURE = 0xFADE0CC0
CSMAGIC_CODEDIRECTORY = 0xFADE0C02
CSSLOT_CODEDIRECTORY = 0
CSSLOT_ALTERNATE_FIRST, CSSLOT_ALTERNATE_END = 0x1000, 0x1005

ARCH_NAMES = {
    0x01000007: "x86_64", 7: "i386", 0x0100000C: "arm64", 0x0200000C: "arm64_32",
    12: "arm", 18: "ppc", 0x01000012: "ppc64",
}


class Malformed(Exception):
    pass


def digest(hash_type, data):
    """The page hash for a CodeDirectory hashType (cs_blobs.h CS_HASHTYPE_*)."""
    if hash_type == 1:
        return hashlib.sha1(data).digest()
    if hash_type == 2:
        return hashlib.sha256(data).digest()
    if hash_type == 3:
        return hashlib.sha256(data).digest()[:20]
    if hash_type == 4:
        return hashlib.sha384(data).digest()
    raise Malformed(f"unsupported hashType {hash_type}")


def unpack(fmt, data, offset, what):
    size = struct.calcsize(fmt)
    if offset < 0 or offset + size > len(data):
        raise Malformed(f"{what} is truncated")
    return struct.unpack_from(fmt, data, offset)


def slices(data):
    """(offset, size) of each thin Mach-O in the file."""
    (magic,) = unpack(">I", data, 0, "magic")
    if magic in (0xCAFEBABE, 0xCAFEBABF):
        (count,) = unpack(">I", data, 4, "nfat_arch")
        if count >= 43:
            raise Malformed("not a universal binary (Java class file?)")
        out = []
        for i in range(count):
            if magic == 0xCAFEBABE:
                _, _, off, size, _ = unpack(">iiIII", data, 8 + 20 * i, "fat_arch")
            else:
                _, _, off, size, _, _ = unpack(">iiQQII", data, 8 + 32 * i, "fat_arch_64")
            if off + size > len(data):
                raise Malformed(f"fat_arch {i} lies outside the file")
            out.append((off, size))
        return out
    return [(0, len(data))]


def code_signature(macho):
    """(arch name, dataoff, datasize or None) for one thin Mach-O."""
    (magic_le,) = unpack("<I", macho, 0, "Mach-O magic")
    if magic_le in (0xFEEDFACE, 0xFEEDFACF):
        end = "<"
    elif magic_le in (0xCEFAEDFE, 0xCFFAEDFE):
        end = ">"
    else:
        raise Malformed("slice is not a Mach-O file")
    (magic,) = unpack(end + "I", macho, 0, "magic")
    header_size = 32 if magic == 0xFEEDFACF else 28
    cputype, _, _, ncmds, sizeofcmds = unpack(end + "IIIII", macho, 4, "mach_header")
    arch = ARCH_NAMES.get(cputype, f"cputype-{cputype:#x}")
    at, limit = header_size, header_size + sizeofcmds
    if limit > len(macho):
        raise Malformed("sizeofcmds runs past the file")
    for i in range(ncmds):
        if at + 8 > limit:
            raise Malformed(f"load command {i} lies outside sizeofcmds")
        cmd, cmdsize = unpack(end + "II", macho, at, "load command")
        if cmdsize < 8 or at + cmdsize > limit:
            raise Malformed(f"load command {i} has a bad cmdsize {cmdsize}")
        if cmd == LC_CODE_SIGNATURE:
            dataoff, datasize = unpack(end + "II", macho, at + 8, "LC_CODE_SIGNATURE")
            if dataoff + datasize > len(macho):
                raise Malformed("code signature lies outside the slice")
            return arch, dataoff, datasize
        at += cmdsize
    return arch, None, None


def check_code_directory(macho, cd, label):
    """Returns (pages, mismatches) for one CodeDirectory blob `cd`."""
    (magic, length, version, _flags, hash_offset, _ident, _nspecial, ncode, code_limit,
     hash_size, hash_type, _platform, page_log2) = unpack(">9I4B", cd, 0, "CodeDirectory")
    if magic != CSMAGIC_CODEDIRECTORY:
        raise Malformed(f"{label}: bad CodeDirectory magic {magic:#x}")
    if version >= 0x20100 and len(cd) >= 48 and unpack(">I", cd, 44, "scatterOffset")[0]:
        raise Malformed(f"{label}: scatter vectors are not supported")
    if version >= 0x20300 and len(cd) >= 64:
        (limit64,) = unpack(">Q", cd, 56, "codeLimit64")
        if limit64:
            code_limit = limit64
    if code_limit > len(macho):
        raise Malformed(f"{label}: codeLimit beyond the slice")
    page = (1 << page_log2) if page_log2 else code_limit
    pages = (code_limit + page - 1) // page if page else 0
    if pages > ncode:
        raise Malformed(f"{label}: {ncode} code slots for {pages} pages")
    if hash_offset + ncode * hash_size > len(cd):
        raise Malformed(f"{label}: hash table lies outside the CodeDirectory")
    bad = []
    for i in range(pages):
        want = digest(hash_type, macho[i * page:min((i + 1) * page, code_limit)])
        if len(want) != hash_size:
            raise Malformed(f"{label}: hashSize {hash_size} does not fit hashType {hash_type}")
        stored = cd[hash_offset + i * hash_size:hash_offset + (i + 1) * hash_size]
        if stored != want:
            bad.append(i)
    return pages, bad


def check_slice(macho):
    """Prints one line per CodeDirectory; returns the number of bad pages."""
    arch, dataoff, datasize = code_signature(macho)
    if dataoff is None:
        print(f"slice {arch}: no code signature")
        return 0
    sig = macho[dataoff:dataoff + datasize]
    magic, length, count = unpack(">III", sig, 0, "SuperBlob")
    if magic != CSMAGIC_EMBEDDED_SIGNATURE:
        raise Malformed(f"slice {arch}: bad SuperBlob magic {magic:#x}")
    if length > len(sig):
        raise Malformed(f"slice {arch}: SuperBlob length runs past the signature")
    sig = sig[:length]
    failures, directories = 0, 0
    for i in range(count):
        slot_type, offset = unpack(">II", sig, 12 + 8 * i, "BlobIndex")
        if not (slot_type == CSSLOT_CODEDIRECTORY or CSSLOT_ALTERNATE_FIRST <= slot_type < CSSLOT_ALTERNATE_END):
            continue
        _, blob_length = unpack(">II", sig, offset, "blob header")
        if offset + blob_length > len(sig):
            raise Malformed(f"slice {arch}: CodeDirectory runs past the SuperBlob")
        label = f"slice {arch}: CodeDirectory {slot_type:#x}" if slot_type else f"slice {arch}: CodeDirectory 0"
        pages, bad = check_code_directory(macho, sig[offset:offset + blob_length], label)
        directories += 1
        if bad:
            print(f"{label}: {pages} pages, {len(bad)} hash mismatches (pages {', '.join(map(str, bad[:10]))})")
            failures += len(bad)
        else:
            print(f"{label}: {pages} pages, all hashes match")
    if directories == 0:
        raise Malformed(f"slice {arch}: code signature has no CodeDirectory")
    return failures


def main(argv):
    if len(argv) != 2:
        print("usage: check_macho_signature.py FILE", file=sys.stderr)
        return 2
    try:
        with open(argv[1], "rb") as f:
            data = f.read()
        failures = 0
        for off, size in slices(data):
            failures += check_slice(data[off:off + size])
    except (Malformed, OSError) as e:
        print(f"check_macho_signature: {argv[1]}: {e}", file=sys.stderr)
        return 2
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
