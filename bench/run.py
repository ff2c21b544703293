#!/usr/bin/env python3
"""Measures buildinfo against the references users compare it with.

Runs everything in one go and prints a Markdown report: every timing is the
median of --reps runs, the commands of one table row are run interleaved in
a random order each round (so drift in the machine's speed hits them alike),
and every ratio divides by a reference measured in the same run. Called by
bench/run.sh after it has built build-bench/ (tool, read_benchmark,
lief_parse); see docs/PERFORMANCE.md for the method.
"""
import argparse
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIZES_MB = (1, 10, 100)
SLOT_CAPACITY = 4096  # buildinfo_stamp()'s default, used by the generated binaries

TARGETS = {
    "stamp_ratio": 1.3,       # stamp of 100 MB vs openssl dgst -sha256
    "verify_ratio": 1.3,      # verify of 100 MB vs openssl dgst -sha256
    "build_added_ms": 15.0,   # post-link step added to an incremental build of examples/hello
    "first_read_us": 20.0,
    "repeated_read_ns": 50.0,
    "slot_overhead": 64,      # bytes beyond the configured capacity
}


def run(argv, **kwargs):
    return subprocess.run(argv, check=True, stdin=subprocess.DEVNULL, **kwargs)


def output(argv, **kwargs):
    return run(argv, stdout=subprocess.PIPE, text=True, **kwargs).stdout


def median_ms(samples):
    return statistics.median(samples) * 1000.0


def time_interleaved(cases, reps):
    """cases: {name: (setup or None, argv)}. Returns {name: [seconds]}.

    Before each timed run: its setup (untimed), then sync(), so that no
    write-back of an earlier run's files competes with it."""
    samples = {name: [] for name in cases}
    names = list(cases)
    rng = random.Random(20261123)
    for _ in range(reps):
        rng.shuffle(names)
        for name in names:
            setup, argv = cases[name]
            if setup:
                setup()
            os.sync()
            start = time.perf_counter()
            subprocess.run(argv, check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
            samples[name].append(time.perf_counter() - start)
    return samples


# ---- inputs ----------------------------------------------------------------

def make_binary(work, size_mb):
    """A program with a slot and size_mb of random read-only data."""
    blob = os.path.join(work, "blob-%dMB" % size_mb)
    with open(blob, "wb") as f:
        f.write(random.Random(size_mb).randbytes(size_mb * 1000 * 1000))
    source = os.path.join(work, "big-%dMB.c" % size_mb)
    with open(source, "w") as f:
        f.write('#include "buildinfo/slot_layout.h"\n'
                "BUILDINFO_DEFINE_SLOT(%d);\n"
                '__asm__(".section .rodata.blob,\\"a\\"\\n.globl blob\\nblob:\\n.incbin \\"%s\\"\\n.previous\\n");\n'
                "extern const unsigned char blob[];\n"
                "int main(void) { return blob[12345] + buildinfo_slot.slot[0]; }\n" % (SLOT_CAPACITY, blob))
    binary = os.path.join(work, "big-%dMB" % size_mb)
    run(["cc", "-O2", "-I" + os.path.join(ROOT, "lib", "include"), source, "-o", binary])
    os.remove(blob)
    return binary


def make_repo(path):
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    run(["git", "init", "-q", path])
    run(["git", "-C", path, "-c", "user.name=bench", "-c", "user.email=bench@example.invalid",
         "commit", "-q", "--allow-empty", "-m", "bench"])


# ---- stamping and verifying large binaries ---------------------------------

def bench_files(args, tool, lief_parse, work):
    repo = os.path.join(work, "repo")
    make_repo(repo)
    keys = os.path.join(work, "ed25519")
    for suffix in (".key", ".pub"):
        if os.path.exists(keys + suffix):
            os.remove(keys + suffix)
    run([tool, "keygen", "--out", keys, "--alg", "ed25519"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stamp = [tool, "stamp", None, "--key", keys + ".key", "--source-dir", repo, "-q"]

    rows = []
    for size_mb in SIZES_MB:
        original = make_binary(work, size_mb)
        target = os.path.join(work, "stamp-target")
        stamped = os.path.join(work, "stamped-%dMB" % size_mb)
        shutil.copyfile(original, stamped)
        run([a if a is not None else stamped for a in stamp])
        payload = os.path.join(work, "payload.json")
        with open(payload, "w") as f:
            f.write(output([tool, "inspect", stamped, "--json", "--no-describe"]))
        objcopy_out = os.path.join(work, "objcopy-out")

        cases = {
            "openssl": (None, ["openssl", "dgst", "-sha256", original]),
            "stamp": (lambda: shutil.copyfile(original, target), [a if a is not None else target for a in stamp]),
            "verify": (None, [tool, "verify", stamped, "--key", keys + ".pub"]),
            "objcopy": (lambda: os.path.exists(objcopy_out) and os.remove(objcopy_out),
                        ["objcopy", "--add-section", ".buildinfo=" + payload, original, objcopy_out]),
            "lief": (None, [lief_parse, original]),
        }
        samples = time_interleaved(cases, args.reps)
        row = {"size_mb": size_mb, "bytes": os.path.getsize(original)}
        row.update({name: median_ms(s) for name, s in samples.items()})
        rows.append(row)
        print("  %3d MB: %s" % (size_mb, ", ".join("%s %.1f ms" % (n, row[n]) for n in cases)), file=sys.stderr)
        for path in (original, stamped, target, objcopy_out):
            if os.path.exists(path):
                os.remove(path)
    return rows


# ---- the post-link step in a real build ------------------------------------

def bench_build(args, build_dir, work):
    prefix = os.path.join(work, "prefix")
    run(["cmake", "--install", build_dir, "--prefix", prefix], stdout=subprocess.DEVNULL)
    source = os.path.join(work, "hello-src")
    make_repo(source)
    shutil.copytree(os.path.join(ROOT, "examples", "hello"), source, dirs_exist_ok=True)
    run(["git", "-C", source, "add", "-A"])
    run(["git", "-C", source, "-c", "user.name=bench", "-c", "user.email=bench@example.invalid",
         "commit", "-q", "-m", "hello"])

    dirs = {}
    for variant, stamp in (("with", "ON"), ("without", "OFF")):
        d = os.path.join(work, "hello-" + variant)
        shutil.rmtree(d, ignore_errors=True)
        run(["cmake", "-S", source, "-B", d, "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release",
             "-DCMAKE_PREFIX_PATH=" + prefix, "-DBUILDINFO_STAMP=" + stamp], stdout=subprocess.DEVNULL)
        run(["cmake", "--build", d], stdout=subprocess.DEVNULL)
        dirs[variant] = d
    main_cc = os.path.join(source, "main.cc")

    def touch():
        now = time.time()
        os.utime(main_cc, (now, now))

    # A difference of two ~200 ms builds is noisier than the file timings:
    # twice the runs.
    incremental = time_interleaved({v: (touch, ["ninja", "-C", d]) for v, d in dirs.items()}, 2 * args.reps)
    noop = time_interleaved({v: (None, ["ninja", "-C", d]) for v, d in dirs.items()}, 2 * args.reps)
    # The stamped build must really have stamped (and the other not).
    record = json.loads(output([os.path.join(prefix, "bin", "buildinfo"), "inspect",
                                os.path.join(dirs["with"], "hello"), "--json", "--no-describe"]))
    if not record.get("stamped"):
        raise SystemExit("bench: the hello build with the post-link step is not stamped")
    return {
        "incremental_with": median_ms(incremental["with"]),
        "incremental_without": median_ms(incremental["without"]),
        "noop_with": median_ms(noop["with"]),
        "noop_without": median_ms(noop["without"]),
    }


# ---- the runtime reader ----------------------------------------------------

def bench_runtime(args, build_dir):
    program = os.path.join(build_dir, "bench", "read_benchmark")
    first_calls = [int(output([program, "--first-call"])) for _ in range(args.reps * 2 + 1)]
    report = json.loads(output([program, "--benchmark_format=json", "--benchmark_repetitions=5",
                                "--benchmark_report_aggregates_only=true"]))
    medians = {}
    for b in report["benchmarks"]:
        if b.get("aggregate_name") == "median":
            medians[b["run_name"]] = b["real_time"] * {"ns": 1, "us": 1e3, "ms": 1e6}[b["time_unit"]]

    # System calls between the markers, i.e. made by read() and the
    # OpenTelemetry calls (all of them on their first use).
    trace = os.path.join(os.path.dirname(program), "syscalls.txt")
    run(["strace", "-f", "-qq", "-o", trace, program, "--syscall-check"], stdout=subprocess.DEVNULL)
    with open(trace) as f:
        lines = f.read().splitlines()
    begin = next(i for i, line in enumerate(lines) if "buildinfo-begin" in line)
    end = next(i for i, line in enumerate(lines) if "buildinfo-end" in line)
    calls = [re.sub(r"^\d+\s+", "", line).split("(")[0] for line in lines[begin + 1:end]]
    file_calls = [c for c in calls if c in ("open", "openat", "openat2", "creat", "read", "pread64", "readv",
                                            "preadv", "preadv2", "stat", "lstat", "fstat", "newfstatat",
                                            "statx", "access", "faccessat", "faccessat2", "readlink")]

    # readelf -SW rows: "[Nr] Name Type Address Off Size ..."; the index
    # column may contain a space, so cut it off first.
    size_hex = None
    for line in output(["readelf", "-SW", program]).splitlines():
        fields = re.sub(r"^\s*\[\s*\d+\]\s*", "", line).split()
        if fields and fields[0] == ".note.buildinfo":
            size_hex = fields[4]
    if size_hex is None:
        raise SystemExit("bench: %s has no .note.buildinfo section" % program)
    return {
        "first_call_us": statistics.median(first_calls) / 1000.0,
        "benchmarks": medians,
        "syscalls": calls,
        "file_syscalls": file_calls,
        "slot_section_bytes": int(size_hex, 16),
    }


# ---- report ----------------------------------------------------------------

TREE = "/usr/lib/x86_64-linux-gnu"


def bench_tree(args, tool, work):
    """inspect --recursive --json over Debian's libraries, in files per second,
    against readelf -n over the same binaries through xargs -P (one per core)."""
    # Its exit code is 3: Debian's libraries carry no buildinfo slot.
    listing = subprocess.run([tool, "inspect", "--recursive", "--json", "--no-describe", TREE], stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout
    files = [json.loads(line)["file"] for line in listing.splitlines()]
    list_path = os.path.join(work, "tree-binaries.txt")
    with open(list_path, "w") as f:
        f.write("\n".join(files) + "\n")
    cores = str(os.cpu_count() or 1)
    reps = max(3, args.reps // 5)
    cases = {
        "inspect": (None, ["sh", "-c", '"$0" inspect --recursive --json "$1" > /dev/null; [ $? -le 3 ]', tool, TREE]),
        "inspect_no_describe": (None, ["sh", "-c", '"$0" inspect --recursive --json --no-describe "$1" > /dev/null; '
                                       '[ $? -le 3 ]', tool, TREE]),
        "readelf": (None, ["sh", "-c", 'xargs -P "$1" -n 64 readelf -n < "$0" > /dev/null 2>&1; true', list_path,
                           cores]),
    }
    samples = time_interleaved(cases, reps)
    seconds = {name: statistics.median(times) for name, times in samples.items()}
    return {"files": len(files), "reps": reps, "cores": cores,
            **{name: len(files) / value for name, value in seconds.items()}}


def tree_report(tree):
    out = ["### Many files: `inspect --recursive --json %s` (%d binaries; files per second, median of %d runs)" % (
        TREE, tree["files"], tree["reps"]), ""]
    out.append("| command | files/s | ratio to readelf -n |")
    out.append("|---|---:|---:|")
    base = tree["readelf"]
    for label, name in [("`readelf -n` via `xargs -P %s -n 64` (reference)" % tree["cores"], "readelf"),
                        ("`buildinfo inspect --recursive --json` (with LIEF's description)", "inspect"),
                        ("`buildinfo inspect --recursive --json --no-describe`", "inspect_no_describe")]:
        out.append("| %s | %.0f | %.2f |" % (label, tree[name], tree[name] / base))
    return "\n".join(out) + "\n"


def machine_description(work):
    cpu = "unknown CPU"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    fs = output(["df", "-T", work]).splitlines()[-1].split()[1]
    compiler = output(["cc", "--version"]).splitlines()[0]
    openssl = output(["openssl", "version"]).strip()
    return "%s, %d cores, Linux %s, %s file system for the files, %s, %s" % (
        cpu, os.cpu_count(), platform.release(), fs, compiler, openssl)


def verdict(ok):
    return "met" if ok else "**missed**"


def report(args, files, build, runtime, machine):
    out = []
    out.append("Machine: %s. Medians of %d runs per command (%d for the builds), interleaved." % (
        machine, args.reps, 2 * args.reps))
    out.append("")
    out.append("### Stamping and verifying (wall time, ms; ratio to `openssl dgst -sha256` of the same file)")
    out.append("")
    out.append("| binary | openssl dgst | buildinfo stamp | ratio | buildinfo verify | ratio "
               "| objcopy --add-section | ratio | LIEF parse | ratio |")
    out.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in files:
        base = r["openssl"]
        out.append("| %d MB | %.1f | %.1f | %.2f | %.1f | %.2f | %.1f | %.2f | %.1f | %.2f |" % (
            r["size_mb"], base, r["stamp"], r["stamp"] / base, r["verify"], r["verify"] / base,
            r["objcopy"], r["objcopy"] / base, r["lief"], r["lief"] / base))
    out.append("")
    added_incremental = build["incremental_with"] - build["incremental_without"]
    added_noop = build["noop_with"] - build["noop_without"]
    out.append("### The post-link step in a CMake/Ninja build of examples/hello (wall time, ms)")
    out.append("")
    out.append("| build | with buildinfo_stamp() | with -DBUILDINFO_STAMP=OFF | added |")
    out.append("|---|---:|---:|---:|")
    out.append("| after touching main.cc (compile, link, stamp) | %.1f | %.1f | %.1f |" % (
        build["incremental_with"], build["incremental_without"], added_incremental))
    out.append("| nothing changed (the git-state check only) | %.1f | %.1f | %.1f |" % (
        build["noop_with"], build["noop_without"], added_noop))
    out.append("")
    b = runtime["benchmarks"]
    out.append("### The runtime library")
    out.append("")
    out.append("| measure | time |")
    out.append("|---|---:|")
    out.append("| first `buildinfo::read()` in a fresh process (median of %d processes) | %.2f µs |" % (
        args.reps * 2 + 1, runtime["first_call_us"]))
    rows = [("parsing the slot (what the first call does), Google Benchmark", "BM_parse_own_slot"),
            ("repeated `buildinfo::read()`", "BM_read_repeated"),
            ("`buildinfo::read().revision()`", "BM_read_get_revision"),
            ("repeated `buildinfo::resource_attributes()`", "BM_resource_attributes_repeated"),
            ("encoding the attributes as `OTEL_RESOURCE_ATTRIBUTES`", "BM_otel_encode"),
            ("merging them into an existing `OTEL_RESOURCE_ATTRIBUTES` value", "BM_otel_merge")]
    for label, name in rows:
        out.append("| %s | %.1f ns |" % (label, b[name]))
    out.append("")
    out.append("System calls made by `read()`, `resource_attributes()` and `otel::encoded()` on first use "
               "(strace): %s; of them, file access: %s." % (
                   ", ".join(sorted(set(runtime["syscalls"]))) or "none",
                   ", ".join(sorted(set(runtime["file_syscalls"]))) or "none"))
    overhead = runtime["slot_section_bytes"] - SLOT_CAPACITY
    out.append("Slot in the binary: section `.note.buildinfo` of %d bytes for a %d-byte capacity "
               "(%d bytes of overhead: the ELF note header)." % (runtime["slot_section_bytes"], SLOT_CAPACITY, overhead))
    out.append("")
    big = files[-1]
    checks = [
        ("stamp of %d MB within %.1f× of openssl dgst" % (big["size_mb"], TARGETS["stamp_ratio"]),
         "%.2f×" % (big["stamp"] / big["openssl"]), big["stamp"] / big["openssl"] <= TARGETS["stamp_ratio"]),
        ("verify of %d MB within %.1f× of openssl dgst" % (big["size_mb"], TARGETS["verify_ratio"]),
         "%.2f×" % (big["verify"] / big["openssl"]), big["verify"] / big["openssl"] <= TARGETS["verify_ratio"]),
        ("at most %.0f ms added to a build of examples/hello" % TARGETS["build_added_ms"],
         "%.1f ms" % added_incremental, added_incremental <= TARGETS["build_added_ms"]),
        ("first read() under %.0f µs" % TARGETS["first_read_us"], "%.2f µs" % runtime["first_call_us"],
         runtime["first_call_us"] < TARGETS["first_read_us"]),
        ("repeated read() under %.0f ns" % TARGETS["repeated_read_ns"], "%.1f ns" % b["BM_read_repeated"],
         b["BM_read_repeated"] < TARGETS["repeated_read_ns"]),
        ("slot overhead at most capacity + %d bytes" % TARGETS["slot_overhead"], "%d bytes" % overhead,
         overhead <= TARGETS["slot_overhead"]),
        ("no file access by read()", ", ".join(runtime["file_syscalls"]) or "none", not runtime["file_syscalls"]),
    ]
    out.append("### Targets")
    out.append("")
    out.append("| target | measured | |")
    out.append("|---|---:|---|")
    for label, value, ok in checks:
        out.append("| %s | %s | %s |" % (label, value, verdict(ok)))
    return "\n".join(out) + "\n"


def update_docs(text):
    path = os.path.join(ROOT, "docs", "PERFORMANCE.md")
    with open(path) as f:
        doc = f.read()
    begin, end = "<!-- bench/run.py results: begin -->\n", "<!-- bench/run.py results: end -->"
    if begin not in doc or end not in doc:
        raise SystemExit("bench: %s lacks the results markers" % path)
    head, rest = doc.split(begin, 1)
    _, tail = rest.split(end, 1)
    with open(path, "w") as f:
        f.write(head + begin + text + end + tail)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build-dir", default=os.path.join(ROOT, "build-bench"))
    parser.add_argument("--reps", type=int, default=15, help="runs per command (default 15)")
    parser.add_argument("--update-docs", action="store_true", help="write the results into docs/PERFORMANCE.md")
    parser.add_argument("--only-tree", action="store_true",
                        help="measure only inspect --recursive over %s (prints its table)" % TREE)
    args = parser.parse_args()
    args.build_dir = os.path.abspath(args.build_dir)

    tool = os.path.join(args.build_dir, "tool", "buildinfo")
    lief_parse = os.path.join(args.build_dir, "bench", "lief_parse")
    work = os.path.join(args.build_dir, "work")
    os.makedirs(work, exist_ok=True)

    print("bench: inspect --recursive over %s" % TREE, file=sys.stderr)
    tree = bench_tree(args, tool, work)
    if args.only_tree:
        sys.stdout.write(tree_report(tree))
        return
    print("bench: stamping and verifying", file=sys.stderr)
    files = bench_files(args, tool, lief_parse, work)
    print("bench: the post-link step in a build of examples/hello", file=sys.stderr)
    build = bench_build(args, args.build_dir, work)
    print("bench: the runtime library", file=sys.stderr)
    runtime = bench_runtime(args, args.build_dir)

    text = report(args, files, build, runtime, machine_description(work)) + "\n" + tree_report(tree)
    with open(os.path.join(args.build_dir, "results.md"), "w") as f:
        f.write(text)
    if args.update_docs:
        update_docs(text)
    print(text)


if __name__ == "__main__":
    main()
