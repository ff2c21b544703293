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
    "stamp_ratio": 1.2,        # stamp of 100 MB vs openssl dgst -sha256 (ext4 or whatever holds build-bench/)
    "verify_ratio": 1.3,       # verify of 100 MB vs openssl dgst -sha256
    "state_stamp_ratio": 2.0,  # stamp of 1 MB from a vcs-state file vs openssl dgst -sha256
    "reflink_ratio": 1.2,      # stamp of 100 MB on a file system with reflinks vs verify of it there
    "build_added_ms": 5.0,     # post-link step added to an incremental build
    "noop_added_ms": 3.0,      # git-state check added to a build with nothing changed
    "verify_jobs_speedup": 1.6,  # verify -j 1 time / verify -j 2 time, 200 files
    "first_read_us": 20.0,
    "repeated_read_ns": 50.0,
    "slot_overhead": 64,       # bytes beyond the configured capacity
}
# Writing a file anew on a virtual machine that hands free memory back to
# its host is slow now and then: 7 of 25 runs of the 100 MB stamp, and of
# `dd` beside it, took 100 to 400 ms instead of 61 to 76 (docs/PERFORMANCE.md),
# enough to move a median of 15. Three times the runs for the file rows.
FILE_RUNS_PER_REP = 3
INCREMENTAL_RUNS_PER_REP = 6  # runs of each build per --reps (time_builds)
NOOP_RUNS_PER_REP = 40
VERIFY_JOBS_FILES = 200
VERIFY_JOBS_SIZE_MB = 5
SHARED = os.path.join(os.path.dirname(ROOT), "shared")


def run(argv, **kwargs):
    return subprocess.run(argv, check=True, stdin=subprocess.DEVNULL, **kwargs)


def output(argv, **kwargs):
    return run(argv, stdout=subprocess.PIPE, text=True, **kwargs).stdout


def median_ms(samples):
    return statistics.median(samples) * 1000.0


def added_interval(with_samples, without_samples, resamples=2000):
    """A 90 % bootstrap interval of median(with) - median(without), in ms:
    how far the noise of the builds leaves the added time in doubt."""
    rng = random.Random(20261206)
    differences = sorted(
        statistics.median(rng.choices(with_samples, k=len(with_samples))) -
        statistics.median(rng.choices(without_samples, k=len(without_samples))) for _ in range(resamples))
    return (differences[int(0.05 * resamples)] * 1000.0, differences[int(0.95 * resamples) - 1] * 1000.0)


def time_interleaved(cases, reps, after=None):
    """cases: {name: (setup or None, argv)}. Returns {name: [seconds]}.

    Before each timed run: its setup (untimed), then sync(), so that no
    write-back of an earlier run's files competes with it; after it, untimed,
    `after(name)` when given."""
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
            if after:
                after(name)
    return samples


def last_edge_seconds(build_dir, output_suffix):
    """How long Ninja's last run of the edge whose output ends with
    `output_suffix` took, from its log (`.ninja_log`: start and end in ms,
    tab-separated, one line per output built)."""
    with open(os.path.join(build_dir, ".ninja_log"), "rb") as f:
        f.seek(0, os.SEEK_END)
        f.seek(max(0, f.tell() - 65536))
        lines = f.read().decode("utf-8", "replace").splitlines()
    for line in reversed(lines):
        fields = line.split("\t")
        if len(fields) >= 4 and fields[3].endswith(output_suffix):
            return (int(fields[1]) - int(fields[0])) / 1000.0
    raise SystemExit("bench: %s/.ninja_log has no edge for *%s" % (build_dir, output_suffix))


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
    # The facts as the CMake step hands them over (vcs-state once per build).
    state = os.path.join(work, "vcs-state")
    run([tool, "vcs-state", "--source-dir", repo, "--output", state])
    stamp_state = [tool, "stamp", None, "--key", keys + ".key", "--vcs-state", state, "-q"]

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
        copy_out = os.path.join(work, "copy-out")

        cases = {
            "openssl": (None, ["openssl", "dgst", "-sha256", original]),
            "stamp": (lambda: shutil.copyfile(original, target), [a if a is not None else target for a in stamp]),
            "stamp_state": (lambda: shutil.copyfile(original, target),
                            [a if a is not None else target for a in stamp_state]),
            "verify": (None, [tool, "verify", stamped, "--key", keys + ".pub"]),
            "objcopy": (lambda: os.path.exists(objcopy_out) and os.remove(objcopy_out),
                        ["objcopy", "--add-section", ".buildinfo=" + payload, original, objcopy_out]),
            "lief": (None, [lief_parse, original]),
            # What writing the image anew costs here: a stamp without
            # reflinks writes a whole new file and syncs it.
            "copy": (lambda: os.path.exists(copy_out) and os.remove(copy_out),
                     ["dd", "if=" + original, "of=" + copy_out, "bs=1M", "conv=fsync", "status=none"]),
        }
        samples = time_interleaved(cases, FILE_RUNS_PER_REP * args.reps)
        row = {"size_mb": size_mb, "bytes": os.path.getsize(original)}
        row.update({name: median_ms(s) for name, s in samples.items()})
        rows.append(row)
        print("  %3d MB: %s" % (size_mb, ", ".join("%s %.1f ms" % (n, row[n]) for n in cases)), file=sys.stderr)
        for path in (original, stamped, target, objcopy_out, copy_out):
            if os.path.exists(path):
                os.remove(path)
    return rows


# ---- the post-link step in a real build ------------------------------------

POST_LINK_PROCESS_INCLUDE = """# Runs after project(): at the end of the directory, give each target named in
# BENCH_POST_LINK_TARGETS a post-link step that only starts a program.
cmake_language(DEFER CALL _bench_post_link_process)
function(_bench_post_link_process)
  foreach(target IN LISTS BENCH_POST_LINK_TARGETS)
    if(TARGET ${target})
      add_custom_command(TARGET ${target} POST_BUILD COMMAND "${BENCH_POST_LINK_PROGRAM}" VERBATIM)
    endif()
  endforeach()
endfunction()
"""


def make_exit_program(work):
    """A statically linked C program that only exits: the least any
    post-link step can start."""
    source = os.path.join(work, "exit-at-once.c")
    with open(source, "w") as f:
        f.write("int main(void) { return 0; }\n")
    program = os.path.join(work, "exit-at-once")
    run(["cc", "-O2", "-static", source, "-o", program])
    return program


def configure_builds(source, cmake_source, work, name, prefix, stamped_targets, extra=()):
    """Configures and builds `cmake_source` three times: with the stamp step
    ("with"), without it ("without"), and without it but with a post-link
    step on the same targets that only starts a static program that exits
    ("process"), the reference for what one more process in the link step
    costs on this machine at the time."""
    include = os.path.join(work, "post-link-process.cmake")
    with open(include, "w") as f:
        f.write(POST_LINK_PROCESS_INCLUDE)
    reference = ["-DCMAKE_PROJECT_INCLUDE=" + include, "-DBENCH_POST_LINK_PROGRAM=" + make_exit_program(work),
                 "-DBENCH_POST_LINK_TARGETS=" + ";".join(stamped_targets)]
    dirs = {}
    for variant, stamp, more in (("with", "ON", []), ("without", "OFF", []), ("process", "OFF", reference)):
        d = os.path.join(work, "%s-%s" % (name, variant))
        shutil.rmtree(d, ignore_errors=True)
        run(["cmake", "-S", cmake_source, "-B", d, "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release",
             "-DCMAKE_PREFIX_PATH=" + prefix, "-DBUILDINFO_STAMP=" + stamp] + list(extra) + more,
            stdout=subprocess.DEVNULL)
        run(["cmake", "--build", d], stdout=subprocess.DEVNULL)
        dirs[variant] = d
    return dirs


def time_builds(args, dirs, touched):
    """Incremental builds (after touching `touched`) of every configuration
    in `dirs`, and no-op builds with and without the step, interleaved."""
    def touch():
        now = time.time()
        os.utime(touched, (now, now))

    # A difference of two builds is noisier than the file timings: a
    # compile of a few hundred ms varies by several ms from run to run, so
    # a median of 30 leaves about 2 ms of doubt on the difference. Six
    # times the runs for incremental builds. A no-op build of lz4 (two
    # `cmake -E` processes on two cores) spreads over 11 to 18 ms, so that
    # 120 runs of the same code gave 1.2 to 3.4 ms added and 600 runs 2.2 to
    # 3.2 ms (docs/PERFORMANCE.md): forty times the runs for no-op builds,
    # 15 to 20 ms each.
    # Both builds compile the touched file alike, ahead of the link and its
    # stamp, and that compile is where the spread is; the build less that
    # compile, from Ninja's log, is the figure the target is judged by
    # (docs/PERFORMANCE.md, "Method").
    compiled = "/%s.o" % os.path.basename(touched)
    compiles = {v: [] for v in dirs}
    incremental = time_interleaved({v: (touch, ["ninja", "-C", d]) for v, d in dirs.items()},
                                   INCREMENTAL_RUNS_PER_REP * args.reps,
                                   after=lambda v: compiles[v].append(last_edge_seconds(dirs[v], compiled)))
    # The reference's no-op build runs nothing more than "without" does.
    noop = time_interleaved({v: (None, ["ninja", "-C", dirs[v]]) for v in ("with", "without")},
                            NOOP_RUNS_PER_REP * args.reps)
    beyond_compile = {v: [wall - compile for wall, compile in zip(incremental[v], compiles[v])] for v in dirs}
    figures = {}
    for kind, samples in (("incremental", incremental), ("noop", noop), ("beyond_compile", beyond_compile),
                          ("compile", compiles)):
        figures[kind + "_with"] = median_ms(samples["with"])
        figures[kind + "_without"] = median_ms(samples["without"])
        figures[kind + "_added"] = figures[kind + "_with"] - figures[kind + "_without"]
        figures[kind + "_interval"] = added_interval(samples["with"], samples["without"])
    process = beyond_compile["process"]
    figures["process"] = median_ms(process)
    figures["process_added"] = figures["process"] - figures["beyond_compile_without"]
    figures["process_interval"] = added_interval(process, beyond_compile["without"])
    figures["beyond_process_added"] = figures["beyond_compile_with"] - figures["process"]
    figures["beyond_process_interval"] = added_interval(beyond_compile["with"], process)
    return figures


def expect_stamped(prefix, binary):
    record = json.loads(output([os.path.join(prefix, "bin", "buildinfo"), "inspect", binary, "--json",
                                "--no-describe"]))
    if not record.get("stamped"):
        raise SystemExit("bench: %s, built with the post-link step, is not stamped" % binary)


def bench_build(args, build_dir, work):
    prefix = os.path.join(work, "prefix")
    shutil.rmtree(prefix, ignore_errors=True)
    run(["cmake", "--install", build_dir, "--prefix", prefix], stdout=subprocess.DEVNULL)
    source = os.path.join(work, "hello-src")
    make_repo(source)
    shutil.copytree(os.path.join(ROOT, "examples", "hello"), source, dirs_exist_ok=True)
    commit_all(source, "hello")
    dirs = configure_builds(source, source, work, "hello", prefix, ["hello"])
    result = time_builds(args, dirs, os.path.join(source, "main.cc"))
    expect_stamped(prefix, os.path.join(dirs["with"], "hello"))
    return result


def commit_all(repo, message):
    run(["git", "-C", repo, "add", "-A"])
    run(["git", "-C", repo, "-c", "user.name=bench", "-c", "user.email=bench@example.invalid",
         "commit", "-q", "-m", message])


LZ4_INTEGRATION = """
find_package(buildinfo 0.1 CONFIG REQUIRED)
buildinfo_stamp(lz4cli NO_SIGN)
if(TARGET lz4_shared)
  buildinfo_stamp(lz4_shared NO_SIGN)
endif()
"""


def bench_lz4(args, work):
    """lz4 from ../shared/realworld (its CMake files unchanged, plus the
    integration a maintainer would append): None when the fixture is absent."""
    fixtures = sorted(f for f in os.listdir(os.path.join(SHARED, "realworld"))
                      if f.startswith("lz4-") and f.endswith(".tar.xz")) if os.path.isdir(
                          os.path.join(SHARED, "realworld")) else []
    if not fixtures:
        return None
    source = os.path.join(work, "lz4-src")
    shutil.rmtree(source, ignore_errors=True)
    os.makedirs(source)
    run(["tar", "-xJf", os.path.join(SHARED, "realworld", fixtures[-1]), "-C", source, "--strip-components=1"])
    with open(os.path.join(source, "build", "cmake", "CMakeLists.txt"), "a") as f:
        f.write(LZ4_INTEGRATION)
    run(["git", "init", "-q", source])
    commit_all(source, "lz4 with buildinfo")
    tracked = len(output(["git", "-C", source, "ls-files"]).splitlines())
    prefix = os.path.join(work, "prefix")
    dirs = configure_builds(source, os.path.join(source, "build", "cmake"), work, "lz4", prefix,
                            ["lz4cli", "lz4_shared"])
    result = time_builds(args, dirs, os.path.join(source, "programs", "lz4cli.c"))
    expect_stamped(prefix, os.path.join(dirs["with"], "lz4"))
    result["tracked_files"] = tracked
    result["fixture"] = fixtures[-1]
    return result


# ---- verify -j: many files on two cores ------------------------------------

def bench_verify_jobs(args, tool, work):
    """verify -j 1 against -j 2 over 200 signed copies of one binary, warm."""
    keys = os.path.join(work, "ed25519")
    original = make_binary(work, VERIFY_JOBS_SIZE_MB)
    run([tool, "stamp", original, "--key", keys + ".key", "--vcs-state", os.path.join(work, "vcs-state"), "-q"])
    tree = os.path.join(work, "verify-jobs")
    shutil.rmtree(tree, ignore_errors=True)
    os.makedirs(tree)
    files = []
    for i in range(VERIFY_JOBS_FILES):
        path = os.path.join(tree, "copy-%03d" % i)
        shutil.copyfile(original, path)
        files.append(path)
    os.remove(original)
    verify = [tool, "verify", "--key", keys + ".pub"]
    run(verify + ["-j", "1"] + files, stdout=subprocess.DEVNULL)  # warms the page cache
    reps = max(5, args.reps // 2)
    samples = time_interleaved({j: (None, verify + ["-j", j] + files) for j in ("1", "2")}, reps)
    shutil.rmtree(tree)
    return {"files": VERIFY_JOBS_FILES, "size_mb": VERIFY_JOBS_SIZE_MB, "reps": reps,
            "j1": median_ms(samples["1"]), "j2": median_ms(samples["2"])}


# ---- reflinks: a loop-mounted XFS ------------------------------------------

def bench_reflink(args, tool, work):
    """stamp against verify and openssl dgst of 100 MB on an XFS image with
    reflinks, loop-mounted. Returns the figures, or {"skipped": why}."""
    if os.geteuid() != 0:
        return {"skipped": "mounting a file system needs root"}
    if shutil.which("mkfs.xfs") is None:
        return {"skipped": "mkfs.xfs (xfsprogs) is not installed"}
    image = os.path.join(work, "xfs.img")
    mount = os.path.join(work, "xfs")
    os.makedirs(mount, exist_ok=True)
    with open(image, "wb") as f:
        f.truncate(1 << 30)
    run(["mkfs.xfs", "-q", "-f", "-m", "reflink=1", image])
    mounted = subprocess.run(["mount", "-o", "loop", image, mount], stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if mounted.returncode != 0:
        os.remove(image)
        return {"skipped": "the kernel refused a loop mount here: " + mounted.stdout.strip().splitlines()[-1]}
    try:
        original = make_binary(mount, 100)
        state = os.path.join(work, "vcs-state")
        keys = os.path.join(work, "ed25519")
        stamped = os.path.join(mount, "stamped")
        target = os.path.join(mount, "stamp-target")
        shutil.copyfile(original, stamped)
        stamp = [tool, "stamp", None, "--key", keys + ".key", "--vcs-state", state, "-q"]
        run([a if a is not None else stamped for a in stamp])
        cases = {
            "openssl": (None, ["openssl", "dgst", "-sha256", original]),
            "stamp": (lambda: shutil.copyfile(original, target), [a if a is not None else target for a in stamp]),
            "verify": (None, [tool, "verify", stamped, "--key", keys + ".pub"]),
        }
        samples = time_interleaved(cases, args.reps)
        return {name: median_ms(s) for name, s in samples.items()}
    finally:
        # A moment after a stamp has exited its child may still hold the
        # replaced original (README, "stamp"): the file system is then busy.
        for _ in range(50):
            if subprocess.run(["umount", mount], stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0:
                break
            time.sleep(0.02)
        else:
            print("bench: cannot unmount %s: it stays busy" % mount, file=sys.stderr)
        os.remove(image)


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


def build_table(title, build, touched):
    out = ["### %s (wall time, ms)" % title, ""]
    out.append("| build | with buildinfo_stamp() | with -DBUILDINFO_STAMP=OFF | added | 90 % interval of added |")
    out.append("|---|---:|---:|---:|---:|")
    for kind, label in (("incremental", "after touching %s (compile, link, stamp)" % touched),
                        ("compile", "of which the compile of %s (Ninja's log)" % touched),
                        ("beyond_compile", "the same build less that compile"),
                        ("noop", "nothing changed (the git-state check only)")):
        out.append("| %s | %.1f | %.1f | %.1f | %.1f to %.1f |" % (
            (label, build[kind + "_with"], build[kind + "_without"], build[kind + "_added"]) +
            build[kind + "_interval"]))
    out.append("")
    out.append("Reference, in the same rounds: with `-DBUILDINFO_STAMP=OFF` and a post-link step that only starts a "
               "static program that exits, the build less the compile took %.1f ms, %.1f ms more than without "
               "any step (90 %%: %.1f to %.1f); the stamp step added %.1f ms beyond that (90 %%: %.1f to %.1f)." % (
                   (build["process"], build["process_added"]) + build["process_interval"] +
                   (build["beyond_process_added"],) + build["beyond_process_interval"]))
    out.append("")
    return out


def report(args, files, build, lz4, jobs, reflink, runtime, machine):
    out = []
    out.append("Machine: %s. Medians of %d runs per command (%d for stamping and verifying files, %d for "
               "incremental builds, %d for no-op builds), interleaved." % (
                   machine, args.reps, FILE_RUNS_PER_REP * args.reps, INCREMENTAL_RUNS_PER_REP * args.reps,
                   NOOP_RUNS_PER_REP * args.reps))
    out.append("")
    out.append("### Stamping and verifying (wall time, ms; ratio to `openssl dgst -sha256` of the same file)")
    out.append("")
    out.append("`stamp` reads the repository itself (`--source-dir`); `stamp, state` takes the git facts from a "
               "vcs-state file, as the CMake step does. Both sign with Ed25519.")
    out.append("")
    out.append("| binary | openssl dgst | buildinfo stamp | ratio | stamp, state | ratio | buildinfo verify | ratio "
               "| objcopy --add-section | ratio | LIEF parse | ratio | copy + fsync (`dd`) | ratio |")
    out.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in files:
        base = r["openssl"]
        out.append("| %d MB | %.1f | %.1f | %.2f | %.1f | %.2f | %.1f | %.2f | %.1f | %.2f | %.1f | %.2f | %.1f | %.2f |" % (
            r["size_mb"], base, r["stamp"], r["stamp"] / base, r["stamp_state"], r["stamp_state"] / base,
            r["verify"], r["verify"] / base, r["objcopy"], r["objcopy"] / base, r["lief"], r["lief"] / base,
            r["copy"], r["copy"] / base))
    out.append("")
    if "skipped" in reflink:
        out.append("On a file system with reflinks: not measured (%s)." % reflink["skipped"])
    else:
        out.append("On a loop-mounted XFS with reflinks, 100 MB: openssl dgst %.1f ms, stamp (from a vcs-state "
                   "file) %.1f ms, verify %.1f ms: stamp/verify %.2f, stamp/openssl %.2f." % (
                       reflink["openssl"], reflink["stamp"], reflink["verify"], reflink["stamp"] / reflink["verify"],
                       reflink["stamp"] / reflink["openssl"]))
    out.append("")
    out.append("`verify -j` over %d signed copies of a %d MB binary, warm page cache (median of %d): "
               "-j 1 %.0f ms, -j 2 %.0f ms, speed-up %.2f×." % (
                   jobs["files"], jobs["size_mb"], jobs["reps"], jobs["j1"], jobs["j2"], jobs["j1"] / jobs["j2"]))
    out.append("")
    out += build_table("The post-link step in a CMake/Ninja build of examples/hello", build, "main.cc")
    if lz4:
        out += build_table("The same in lz4 (`%s`, %d tracked files, CLI and shared library stamped)" % (
            lz4["fixture"], lz4["tracked_files"]), lz4, "programs/lz4cli.c")
    else:
        out.append("lz4: not measured (../shared/realworld/lz4-*.tar.xz is absent).")
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
    big, small = files[-1], files[0]
    checks = [
        ("stamp of %d MB within %.1f× of openssl dgst" % (big["size_mb"], TARGETS["stamp_ratio"]),
         "%.2f×" % (big["stamp"] / big["openssl"]), big["stamp"] / big["openssl"] <= TARGETS["stamp_ratio"]),
        ("stamp of %d MB from a vcs-state file within %.1f× of openssl dgst" % (
            small["size_mb"], TARGETS["state_stamp_ratio"]), "%.2f×" % (small["stamp_state"] / small["openssl"]),
         small["stamp_state"] / small["openssl"] <= TARGETS["state_stamp_ratio"]),
        ("verify of %d MB within %.1f× of openssl dgst" % (big["size_mb"], TARGETS["verify_ratio"]),
         "%.2f×" % (big["verify"] / big["openssl"]), big["verify"] / big["openssl"] <= TARGETS["verify_ratio"]),
    ]
    if "skipped" not in reflink:
        checks.append(("with reflinks, stamp of 100 MB within %.1f× of verify" % TARGETS["reflink_ratio"],
                       "%.2f×" % (reflink["stamp"] / reflink["verify"]),
                       reflink["stamp"] / reflink["verify"] <= TARGETS["reflink_ratio"]))
    else:
        checks.append(("with reflinks, stamp of 100 MB within %.1f× of verify" % TARGETS["reflink_ratio"],
                       "not measured", False))
    checks.append(("verify -j 2 of %d files at least %.1f× faster than -j 1" % (
        jobs["files"], TARGETS["verify_jobs_speedup"]), "%.2f×" % (jobs["j1"] / jobs["j2"]),
        jobs["j1"] / jobs["j2"] >= TARGETS["verify_jobs_speedup"]))
    for name, figures in (("examples/hello", build), ("lz4", lz4)):
        label_inc = "at most %.0f ms added to an incremental build of %s" % (TARGETS["build_added_ms"], name)
        label_noop = "at most %.0f ms added to a no-op build of %s" % (TARGETS["noop_added_ms"], name)
        if not figures:
            checks += [(label_inc, "not measured", False), (label_noop, "not measured", False)]
            continue
        for label, kind, target in ((label_inc, "beyond_compile", TARGETS["build_added_ms"]),
                                    (label_noop, "noop", TARGETS["noop_added_ms"])):
            added = figures[kind + "_added"]
            measured = "%.1f ms (90 %%: %.1f to %.1f)" % ((added,) + figures[kind + "_interval"])
            if kind == "beyond_compile":
                measured += ", less the compile; whole builds %.1f ms (%.1f to %.1f); a static program that " \
                    "exits, in its place, %.1f ms" % ((figures["incremental_added"],) + figures["incremental_interval"] +
                                                     (figures["process_added"],))
            checks.append((label, measured, added <= target))
    checks += [
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
    print("bench: stamping on a file system with reflinks", file=sys.stderr)
    reflink = bench_reflink(args, tool, work)
    print("bench: verify -j 1 and -j 2", file=sys.stderr)
    jobs = bench_verify_jobs(args, tool, work)
    print("bench: the post-link step in a build of examples/hello", file=sys.stderr)
    build = bench_build(args, args.build_dir, work)
    print("bench: the post-link step in a build of lz4", file=sys.stderr)
    lz4 = bench_lz4(args, work)
    print("bench: the runtime library", file=sys.stderr)
    runtime = bench_runtime(args, args.build_dir)

    text = report(args, files, build, lz4, jobs, reflink, runtime, machine_description(work)) + "\n" + tree_report(tree)
    with open(os.path.join(args.build_dir, "results.md"), "w") as f:
        f.write(text)
    if args.update_docs:
        update_docs(text)
    print(text)


if __name__ == "__main__":
    main()
