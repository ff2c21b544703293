#!/usr/bin/env python3
"""Hostile binaries: every reader must refuse damaged input cleanly.

Starts from the stamped seed binaries of tests/fuzz/corpus (ELF 64/32-bit,
little and big endian; PE32+ and PE32; Mach-O thin, ad-hoc signed and
universal) and derives, for each, files truncated at every header boundary,
headers with absurd counts and offsets, and slots whose lengths point outside
themselves. `inspect` and `stamp` must each exit 2 within the time limit
with a one-line error that names the file, and a refused stamp must leave the
file byte-identical. `verify` must print the same one line, and exit 1 when
the file still holds the seed's whole first slot (a file that carries a
record and cannot be read fails verification, README.md "Exit codes"), 2
when it was truncated before the end of that slot.

Environment: BUILDINFO (the tool), SOURCE_ROOT, WORK_ROOT (ctest sets them).
"""
import hashlib
import os
import shutil
import struct
import subprocess
import sys

BUILDINFO = os.environ["BUILDINFO"]
SOURCE_ROOT = os.environ["SOURCE_ROOT"]
WORK = os.path.join(os.environ.get("WORK_ROOT", "/tmp"), "hostile_input")
CORPUS = os.path.join(SOURCE_ROOT, "tests", "fuzz", "corpus")
TIMEOUT_SECONDS = 20

failures = []
checked = 0


def u(data, at, size, big):
    return int.from_bytes(data[at:at + size], "big" if big else "little")


def put(data, at, value, size, big):
    data[at:at + size] = value.to_bytes(size, "big" if big else "little")


def slot_offset(data):
    at = data.find(b"BLDINFO\0")
    assert at >= 0, "seed has no slot"
    return at


# ---- per-format header boundaries and absurd values -------------------------

def elf_fields(data):
    is64 = data[4] == 2
    big = data[5] == 2
    if is64:
        f = dict(phoff=(32, 8), shoff=(40, 8), ehsize=(52, 2), phentsize=(54, 2), phnum=(56, 2),
                 shentsize=(58, 2), shnum=(60, 2), shstrndx=(62, 2))
        ph = dict(offset=(8, 8), filesz=(32, 8))
        sh = dict(offset=(24, 8), size=(32, 8))
    else:
        f = dict(phoff=(28, 4), shoff=(32, 4), ehsize=(40, 2), phentsize=(42, 2), phnum=(44, 2),
                 shentsize=(46, 2), shnum=(48, 2), shstrndx=(50, 2))
        ph = dict(offset=(4, 4), filesz=(16, 4))
        sh = dict(offset=(16, 4), size=(20, 4))
    get = {k: u(data, at, size, big) for k, (at, size) in f.items()}
    return is64, big, f, ph, sh, get


def elf_boundaries(data):
    _, _, _, ph, sh, h = elf_fields(data)
    cuts = {0, 4, 16, h["ehsize"] - 1, h["ehsize"]}
    for i in range(h["phnum"] + 1):
        cuts.add(h["phoff"] + i * h["phentsize"])
    for i in range(h["shnum"] + 1):
        cuts.add(h["shoff"] + i * h["shentsize"])
    for i in range(h["shnum"]):
        entry = h["shoff"] + i * h["shentsize"]
        cuts.add(u(data, entry + sh["offset"][0], sh["offset"][1], data[5] == 2))
    slot = slot_offset(data)
    cuts.update({slot - 24, slot, slot + 64})
    return cuts


def elf_mutations(data):
    is64, big, f, ph, sh, h = elf_fields(data)
    out = {}

    def with_field(name, value):
        d = bytearray(data)
        at, size = f[name]
        put(d, at, value, size, big)
        return d

    out["e_phnum=65535"] = with_field("phnum", 0xffff)
    out["e_shnum=65535"] = with_field("shnum", 0xffff)
    out["e_phoff past EOF"] = with_field("phoff", len(data) + 4096)
    out["e_phoff near 2^64"] = with_field("phoff", (1 << (64 if is64 else 32)) - 8)
    out["e_shoff past EOF"] = with_field("shoff", len(data) + 4096)
    out["e_shstrndx out of range"] = with_field("shstrndx", h["shnum"] + 7)
    out["e_phentsize=1"] = with_field("phentsize", 1)
    out["e_shentsize=1"] = with_field("shentsize", 1)

    # The slot's section: its offset past EOF, its size huge, overlapping the
    # ELF header, and overlapping the section header table.
    slot = slot_offset(data)
    for i in range(h["shnum"]):
        entry = h["shoff"] + i * h["shentsize"]
        if u(data, entry + sh["offset"][0], sh["offset"][1], big) == slot - 24:
            def with_section(value_offset=None, value_size=None):
                d = bytearray(data)
                if value_offset is not None:
                    put(d, entry + sh["offset"][0], value_offset, sh["offset"][1], big)
                if value_size is not None:
                    put(d, entry + sh["size"][0], value_size, sh["size"][1], big)
                return d
            out["slot section offset past EOF"] = with_section(value_offset=len(data) + 64)
            out["slot section size huge"] = with_section(value_size=(1 << (63 if is64 else 31)))
            out["slot section overlaps the ELF header"] = with_section(value_offset=0)
            out["slot section overlaps the section headers"] = with_section(value_offset=h["shoff"])
    # A PT_LOAD whose file bytes lie past EOF.
    for i in range(h["phnum"]):
        entry = h["phoff"] + i * h["phentsize"]
        if u(data, entry, 4, big) == 1 and u(data, entry + ph["filesz"][0], ph["filesz"][1], big) > 0:
            d = bytearray(data)
            put(d, entry + ph["offset"][0], len(data) + 4096, ph["offset"][1], big)
            out["PT_LOAD offset past EOF"] = d
            break
    return out


def pe_fields(data):
    pe = u(data, 0x3c, 4, False)
    coff = pe + 4
    nsections = u(data, coff + 2, 2, False)
    optional_size = u(data, coff + 16, 2, False)
    optional = coff + 20
    sections = optional + optional_size
    return pe, coff, nsections, optional_size, optional, sections


def pe_boundaries(data):
    pe, coff, nsections, optional_size, optional, sections = pe_fields(data)
    cuts = {0, 2, 0x3c, 0x40, pe, pe + 4, coff + 20, optional + 2, optional + optional_size}
    for i in range(nsections + 1):
        cuts.add(sections + 40 * i)
    for i in range(nsections):
        cuts.add(u(data, sections + 40 * i + 20, 4, False))  # PointerToRawData
    slot = slot_offset(data)
    cuts.update({slot - 24, slot, slot + 64})
    return cuts


def pe_mutations(data):
    pe, coff, nsections, optional_size, optional, sections = pe_fields(data)
    magic = u(data, optional, 2, False)
    rva_count_at = optional + (108 if magic == 0x20b else 92)
    directories = rva_count_at + 4
    out = {}

    def patched(at, value, size):
        d = bytearray(data)
        put(d, at, value, size, False)
        return d

    out["e_lfanew past EOF"] = patched(0x3c, len(data) + 16, 4)
    out["e_lfanew=0xffffffff"] = patched(0x3c, 0xffffffff, 4)
    out["NumberOfSections=65535"] = patched(coff + 2, 0xffff, 2)
    out["SizeOfOptionalHeader=65535"] = patched(coff + 16, 0xffff, 2)
    out["SizeOfOptionalHeader=0"] = patched(coff + 16, 0, 2)
    out["NumberOfRvaAndSizes=0xffffffff"] = patched(rva_count_at, 0xffffffff, 4)
    # Directory entry 4 (certificate table): a file offset and size past EOF.
    d = patched(directories + 4 * 8, len(data) + 8, 4)
    put(d, directories + 4 * 8 + 4, 0x1000, 4, False)
    out["certificate table past EOF"] = d
    out["certificate table size 0xffffffff"] = patched(directories + 4 * 8 + 4, 0xffffffff, 4)
    slot = slot_offset(data) - 24
    for i in range(nsections):
        entry = sections + 40 * i
        raw = u(data, entry + 20, 4, False)
        if raw <= slot < raw + u(data, entry + 16, 4, False):
            out["slot section raw data past EOF"] = patched(entry + 20, len(data) + 512, 4)
            out["slot section SizeOfRawData=0xffffffff"] = patched(entry + 16, 0xffffffff, 4)
            out["slot section overlaps the headers"] = patched(entry + 20, 0, 4)
    return out


MH_MAGIC_64 = 0xfeedfacf
FAT_MAGIC = 0xcafebabe


def macho_commands(data, base=0):
    ncmds = u(data, base + 16, 4, False)
    at = base + 32
    cmds = []
    for _ in range(ncmds):
        cmd, size = u(data, at, 4, False), u(data, at + 4, 4, False)
        cmds.append((at, cmd, size))
        at += size
    return cmds


def macho_boundaries(data):
    if u(data, 0, 4, True) == FAT_MAGIC:
        count = u(data, 4, 4, True)
        cuts = {0, 4, 8}
        for i in range(count + 1):
            cuts.add(8 + 20 * i)
        for i in range(count):
            offset = u(data, 8 + 20 * i + 8, 4, True)
            cuts.update(offset + c for c in macho_boundaries_thin(data, offset))
        return cuts
    return macho_boundaries_thin(data, 0)


def macho_boundaries_thin(data, base):
    cuts = {0, 4, 16, 31, 32}
    for at, cmd, size in macho_commands(data, base):
        cuts.update({at - base, at - base + 8, at - base + size})
        if cmd == 0x19:  # LC_SEGMENT_64: where its file bytes start
            cuts.add(u(data, at + 40, 8, False))
        if cmd == 0x1d:  # LC_CODE_SIGNATURE: the signature blob
            cuts.add(u(data, at + 8, 4, False))
    slot = slot_offset(data[base:])
    cuts.update({slot - 24, slot, slot + 64})
    return cuts


def macho_mutations(data):
    out = {}
    if u(data, 0, 4, True) == FAT_MAGIC:
        def patched(at, value):
            d = bytearray(data)
            put(d, at, value, 4, True)
            return d
        out["nfat_arch=2^32-1"] = patched(4, 0xffffffff)
        out["fat_arch offset past EOF"] = patched(8 + 8, len(data) + 4096)
        out["fat_arch size past EOF"] = patched(8 + 12, len(data))
        second = u(data, 8 + 20 + 8, 4, True)
        out["fat slices overlap"] = patched(8 + 8, second)
        out["fat slice overlaps the fat header"] = patched(8 + 8, 0)
        return out

    def patched(at, value, size=4):
        d = bytearray(data)
        put(d, at, value, size, False)
        return d

    out["ncmds=2^32-1"] = patched(16, 0xffffffff)
    out["sizeofcmds=2^32-1"] = patched(20, 0xffffffff)
    cmds = macho_commands(data)
    out["first cmdsize=0"] = patched(cmds[0][0] + 4, 0)
    out["first cmdsize=2^32-1"] = patched(cmds[0][0] + 4, 0xffffffff)
    out["last cmdsize=3"] = patched(cmds[-1][0] + 4, 3)
    for at, cmd, size in cmds:
        if cmd == 0x19:
            nsects = u(data, at + 64, 4, False)
            name = data[at + 8:at + 24].rstrip(b"\0").decode()
            if u(data, at + 48, 8, False) > 0:  # __PAGEZERO has no file bytes to lose
                out[f"segment {name} fileoff past EOF"] = patched(at + 40, len(data) + 4096, 8)
            out[f"segment {name} nsects=2^32-1"] = patched(at + 64, 0xffffffff)
            for s in range(nsects):
                sect = at + 72 + 80 * s
                sectname = data[sect:sect + 16].rstrip(b"\0").decode()
                if sectname == "__buildinfo":
                    out["slot section offset past EOF"] = patched(sect + 48, len(data) + 64)
                    out["slot section overlaps the header"] = patched(sect + 48, 0)
                    out["slot section size huge"] = patched(sect + 40, 1 << 62, 8)
        if cmd == 0x1d:
            out["code signature past EOF"] = patched(at + 8, len(data) + 16)
            out["code signature size 2^32-1"] = patched(at + 12, 0xffffffff)
            blob = u(data, at + 8, 4, False)
            d = bytearray(data)
            put(d, blob + 8, 0xffffffff, 4, True)  # SuperBlob count
            out["code signature blob count 2^32-1"] = d
    return out


# ---- the slot itself --------------------------------------------------------

def slot_mutations(data):
    slot = slot_offset(data)
    capacity = u(data, slot + 12, 4, False)

    def patched(offset, value, size):
        d = bytearray(data)
        put(d, slot + offset, value, size, False)
        return d

    return {
        "slot payload_length past capacity": patched(16, capacity, 4),
        "slot payload_length 2^32-1": patched(16, 0xffffffff, 4),
        "slot signature_length past capacity": patched(22, 0xffff, 2),
        "slot header_size 0xffff": patched(10, 0xffff, 2),
        "slot header_size 8": patched(10, 8, 2),
        "slot capacity 2^32-1": patched(12, 0xffffffff, 4),
        "slot capacity 16": patched(12, 16, 4),
        "slot version 0xffff": patched(8, 0xffff, 2),
    }


# ---- running the tool -------------------------------------------------------

def run(args):
    try:
        p = subprocess.run([BUILDINFO] + args, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=TIMEOUT_SECONDS, text=True, errors="replace")
    except subprocess.TimeoutExpired:
        return None, "timed out"
    return p.returncode, p.stderr


def file_hash(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def check(label, path, seed_dir, carries_record):
    """Each command refuses `path` with a one-line error naming it: exit 2,
    or for verify exit 1 when `carries_record`."""
    global checked
    checked += 1
    before = file_hash(path)
    for args in (["inspect", path], ["verify", path, "--allow-unsigned"],
                 ["stamp", path, "--no-sign", "--source-dir", seed_dir, "--project-name", "hostile"]):
        code, err = run(args)
        expected = 1 if args[0] == "verify" and carries_record else 2
        lines = [line for line in err.splitlines() if not line.startswith("buildinfo: warning: ")]
        problem = None
        if code is None:
            problem = "did not finish within %d s" % TIMEOUT_SECONDS
        elif code != expected:
            problem = "exit %s, expected %d" % (code, expected)
        elif len(lines) != 1:
            problem = "%d error lines, expected 1" % len(lines)
        elif not lines[0].startswith("buildinfo: " + path + ": ") and \
                not lines[0].startswith("FAIL " + path + ": "):
            problem = "the error does not start with the file name"
        if args[0] == "stamp" and file_hash(path) != before:
            problem = "a refused stamp changed the file"
        if problem:
            failures.append("%s [%s] %s: %s; stderr: %s" % (label, args[0], os.path.basename(path), problem,
                                                             err.strip()[:300]))


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    repo = os.path.join(WORK, "repo")
    subprocess.run(["git", "init", "-q", repo], check=True)
    subprocess.run(["git", "-C", repo, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit",
                    "-q", "--allow-empty", "-m", "seed"], check=True)

    seeds = [
        ("elf_fuzz", "x86_64-stamped", elf_boundaries, elf_mutations),
        ("elf_fuzz", "i386-stamped", elf_boundaries, elf_mutations),
        ("elf_fuzz", "powerpc-stamped", elf_boundaries, elf_mutations),
        ("elf_fuzz", "powerpc64-stamped", elf_boundaries, elf_mutations),
        ("pe_fuzz", "x86_64.exe-stamped", pe_boundaries, pe_mutations),
        ("pe_fuzz", "i686.exe-stamped", pe_boundaries, pe_mutations),
        ("macho_fuzz", "arm64-stamped", macho_boundaries, macho_mutations),
        ("macho_fuzz", "x86_64-signed-stamped", macho_boundaries, macho_mutations),
        ("macho_fuzz", "universal-stamped", macho_boundaries, macho_mutations),
    ]
    for target, name, boundaries, mutations in seeds:
        with open(os.path.join(CORPUS, target, name), "rb") as f:
            data = f.read()
        # The seed itself must be fine, or the mutants prove nothing.
        seed_path = os.path.join(WORK, name)
        with open(seed_path, "wb") as f:
            f.write(data)
        code, err = run(["verify", seed_path, "--allow-unsigned"])
        if code != 0:
            failures.append("seed %s does not verify: exit %s %s" % (name, code, err.strip()))
            continue

        # Where the first slot ends: a file cut before it carries no whole record.
        first_slot = slot_offset(data)
        first_slot_end = first_slot + u(data, first_slot + 12, 4, False)
        variants = {}
        for cut in sorted(c for c in boundaries(data) if 0 <= c < len(data)):
            variants["truncated at %d" % cut] = data[:cut]
        variants.update(mutations(data))
        variants.update(slot_mutations(data))
        for i, (label, content) in enumerate(sorted(variants.items())):
            path = os.path.join(WORK, "%s.%03d" % (name, i))
            with open(path, "wb") as f:
                f.write(content)
            check("%s: %s" % (name, label), path, repo, len(content) >= first_slot_end)

    # The input size limit: a sparse file just over it is refused before reading.
    big = os.path.join(WORK, "over-the-limit")
    with open(big, "wb") as f:
        f.write(open(os.path.join(CORPUS, "elf_fuzz", "x86_64-stamped"), "rb").read())
        f.truncate((4 << 30) + 1)
    code, err = run(["inspect", big])
    if code != 2 or "limit" not in err or big not in err:
        failures.append("a file over the size limit: exit %s, stderr %s" % (code, err.strip()))
    os.remove(big)

    for failure in failures:
        print("FAIL", failure)
    print("%d hostile files checked with inspect, verify and stamp; %d failures" % (checked, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
