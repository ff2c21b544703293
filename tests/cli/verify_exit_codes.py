#!/usr/bin/env python3
"""verify's exit code for damaged files (README.md, "Exit codes").

A file that carries a buildinfo record and fails to parse has failed
verification: exit 1, with a failing `structure` check (or the check the
damage reaches first), never 2 or 3. Seeded random changes to covered header
bytes (ELF header and program headers, PE headers and section table, Mach-O
load commands, and the slot's note header) of signed stamps, ELF, PE and
Mach-O, must each exit 1; at least some of them must break parsing, or the
rule was not exercised. Files that carry no record keep their codes: the
same changes to unstamped files exit 2 (malformed) or 3 (no record), never
0 or 1; a file with no slot exits 3, a file cut inside its slot, a file that
is not a binary and a missing file exit 2.

Environment: BUILDINFO (the tool), SOURCE_ROOT, WORK_ROOT (ctest sets them).
"""
import json
import os
import random
import shutil
import struct
import subprocess
import sys

BUILDINFO = os.environ["BUILDINFO"]
CORPUS = os.path.join(os.environ["SOURCE_ROOT"], "tests", "fuzz", "corpus")
WORK = os.path.join(os.environ.get("WORK_ROOT", "/tmp"), "verify_exit_codes")
# BUILDINFO_MUTATIONS raises the count for a longer run by hand.
MUTATIONS_PER_FILE = int(os.environ.get("BUILDINFO_MUTATIONS", "50"))

failures = []


def run(*args):
    p = subprocess.run([BUILDINFO] + list(args), stdin=subprocess.DEVNULL, capture_output=True, text=True,
                       errors="replace", timeout=60)
    return p.returncode, p.stdout, p.stderr


def slots(path):
    code, out, err = run("inspect", path, "--json", "--no-describe")
    assert code == 0, err
    return [s["slot_offset"] for s in json.loads(out)["slots"]]


def covered_header_bytes(data, slot_offsets):
    """Offsets of header bytes that image.sha256 covers (FORMAT.md, "The image
    digest"): headers the readers parse, without the fields the rules zero or skip."""
    def span(begin, end):
        return set(range(begin, end))
    notes = set()
    for slot in slot_offsets:
        notes |= span(slot - 24, slot)
    if data[:4] == b"\x7fELF":
        is64, end = data[4] == 2, "<" if data[5] == 1 else ">"
        if is64:
            phoff, = struct.unpack_from(end + "Q", data, 32)
            phentsize, phnum = struct.unpack_from(end + "HH", data, 54)
            header = span(0, 64) - span(40, 48) - span(58, 64)
        else:
            phoff, = struct.unpack_from(end + "I", data, 28)
            phentsize, phnum = struct.unpack_from(end + "HH", data, 42)
            header = span(0, 52) - span(32, 36) - span(46, 52)
        return header | span(phoff, phoff + phentsize * phnum) | notes
    if data[:2] == b"MZ":
        pe, = struct.unpack_from("<I", data, 0x3c)
        nsections, optional_size = struct.unpack_from("<H", data, pe + 6)[0], struct.unpack_from("<H", data, pe + 20)[0]
        opt = pe + 24
        pe32plus = struct.unpack_from("<H", data, opt)[0] == 0x20b
        entry = opt + (144 if pe32plus else 128)
        table_end = opt + optional_size + 40 * nsections
        return span(0, table_end) - span(opt + 64, opt + 68) - span(entry, entry + 8) | notes
    magic, = struct.unpack_from(">I", data, 0)
    if magic == 0xcafebabe:  # universal: each slice's headers (the fat header is not covered)
        count, = struct.unpack_from(">I", data, 4)
        result = set()
        for i in range(count):
            offset, size = struct.unpack_from(">II", data, 8 + 20 * i + 8)
            inner = [s - offset for s in slot_offsets if offset <= s < offset + size]
            result |= {offset + b for b in covered_header_bytes(data[offset:offset + size], inner)}
        return result
    ncmds, sizeofcmds = struct.unpack_from("<II", data, 16)
    result = span(0, 32 + sizeofcmds)
    at = 32
    for _ in range(ncmds):
        cmd, size = struct.unpack_from("<II", data, at)
        if cmd == 0x1d:  # LC_CODE_SIGNATURE dataoff, datasize
            result -= span(at + 8, at + 16)
        if cmd == 0x19 and data[at + 8:at + 24].rstrip(b"\0") == b"__LINKEDIT":
            result -= span(at + 32, at + 40) | span(at + 48, at + 56)
        at += size
    return result | notes


def expect(label, path, allowed, *extra):
    code, out, err = run("verify", path, *extra)
    if code not in allowed:
        failures.append("%s: verify exited %d, expected %s; %s %s" % (label, code, allowed, out.strip()[:200],
                                                                      err.strip()[:200]))
    return code, out, err


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    repo = os.path.join(WORK, "repo")
    subprocess.run(["git", "init", "-q", repo], check=True)
    subprocess.run(["git", "-C", repo, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q",
                    "--allow-empty", "-m", "seed"], check=True)
    key = os.path.join(WORK, "key")
    subprocess.run([BUILDINFO, "keygen", "--out", key], check=True, capture_output=True)
    pub = key + ".pub"
    rng = random.Random(20261202)

    structure = mutants = 0
    for seed in ("elf_fuzz/x86_64", "elf_fuzz/i386", "elf_fuzz/powerpc64", "pe_fuzz/x86_64.exe",
                 "pe_fuzz/i686.exe", "macho_fuzz/arm64", "macho_fuzz/x86_64-signed", "macho_fuzz/universal"):
        name = seed.replace("/", "-")
        unstamped = os.path.join(WORK, name + "-unstamped")
        shutil.copy(os.path.join(CORPUS, seed), unstamped)
        stamped = os.path.join(WORK, name)
        shutil.copy(unstamped, stamped)
        code, _, err = run("stamp", stamped, "--key", key + ".key", "--source-dir", repo, "-q")
        assert code == 0, err
        code, out, err = run("verify", stamped, "--key", pub)
        if code != 0:
            failures.append("%s: the signed stamp does not verify: %s %s" % (name, out, err))
            continue
        expect(name + " unstamped", unstamped, (3,), "--key", pub)

        data = open(stamped, "rb").read()
        plain = open(unstamped, "rb").read()
        slot_offsets = slots(stamped)
        positions = sorted(covered_header_bytes(data, slot_offsets))
        for i in range(MUTATIONS_PER_FILE):
            at = rng.choice(positions)
            value = rng.choice([0, 0xff, rng.randrange(256)])
            if value == data[at]:
                value ^= 0x80
            # A signed stamp whose covered header byte changed: exit 1.
            path = os.path.join(WORK, "%s.%02d" % (name, i))
            d = bytearray(data)
            d[at] = value
            open(path, "wb").write(d)
            label = "%s, byte %d set to 0x%02x" % (name, at, value)
            code, out, err = expect(label, path, (1,), "--key", pub)
            mutants += 1
            if code == 1 and "FAIL  structure " in out:
                structure += 1
            # A file that could not be read names its defect in one line;
            # a slice without a slot, like any other failed check, in none.
            if code == 1 and err and not (out.startswith(path + ": FAILED (structure)\n")
                                          and len(err.splitlines()) == 1
                                          and err.startswith("buildinfo: " + path + ": ")):
                failures.append("%s: a structure failure is not reported as documented: %s | %s"
                                % (label, out.strip(), err.strip()))
            os.remove(path)
            # The same change to the unstamped file: no record, so 2 or 3.
            if at < len(plain):
                d = bytearray(plain)
                d[at] = value
                open(path, "wb").write(d)
                expect("unstamped " + label, path, (2, 3), "--key", pub)
                os.remove(path)

        # Cut inside the first slot: no whole record is left, malformed (2).
        cut = os.path.join(WORK, name + "-cut")
        open(cut, "wb").write(data[:slot_offsets[0] + 100])
        expect(name + " cut inside its slot", cut, (2,), "--key", pub)

    print("%d changed signed stamps exited 1, %d of them failing the structure check" % (mutants, structure))
    if structure < mutants // 10:
        failures.append("only %d of %d changes broke parsing: the rule for damaged files was hardly exercised"
                        % (structure, mutants))

    # JSON: the structure failure is one failing check in a slot entry without section.
    d = bytearray(open(os.path.join(WORK, "elf_fuzz-x86_64"), "rb").read())
    note = slots(os.path.join(WORK, "elf_fuzz-x86_64"))[0] - 24
    d[note + 8] ^= 0xff  # the note type
    damaged = os.path.join(WORK, "damaged-note")
    open(damaged, "wb").write(d)
    code, out, err = expect("damaged note (json)", damaged, (1,), "--key", pub, "--json")
    if code == 1:
        v = json.loads(out)
        c = v["slots"][0]["checks"]
        if not (v["result"] == "failed" and v["exit_code"] == 1 and "note" in v["error"] and len(v["slots"]) == 1
                and v["slots"][0]["section"] is None and len(c) == 1 and c[0]["check"] == "structure"
                and not c[0]["ok"]):
            failures.append("damaged note: JSON is not as documented: " + out)

    # No record at all.
    expect("no slot", os.path.join(CORPUS, "elf_fuzz", "fuzz-noslot"), (3,), "--key", pub)
    text = os.path.join(WORK, "text")
    open(text, "w").write("BLDINFO\0 is not a binary\n" * 20)
    expect("a text file", text, (2,), "--key", pub)
    expect("a missing file", os.path.join(WORK, "missing"), (2,), "--key", pub)
    expect("a directory", WORK, (2,), "--key", pub)

    for failure in failures:
        print("FAIL", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
