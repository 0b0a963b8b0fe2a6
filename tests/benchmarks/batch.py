#!/usr/bin/env python3
"""Batch mode (--from) benchmark: throughput against modelarts-emulator on loopback, and memory.

    python3 tests/benchmarks/batch.py [BUILD_DIR] [--lines 10000] [--rounds 7] [--memory-lines 1000000] [--smoke]

Throughput: starts modelarts-emulator on a free loopback port, writes LINES JSON lines, and runs
modelarts-update-job-description --from over them with --concurrency 1 and --concurrency 64 in
interleaved rounds (each round runs both, back to back); with two CPUs or more, the emulator is
pinned to CPU 1 and the command to CPU 0 (as end_to_end.py pins nginx and its clients). Prints the
medians, and the median of the rounds' ratios with their spread, next to the target: c64 takes at
most 1/2.5 of c1's time.

Memory: runs MEMORY_LINES lines (0 skips it) against the emulator in the command's own process
(no endpoint), and prints the command's peak resident set size next to the 50 MB target.
Every run must exit 0 and print one line per input line; otherwise the script fails.
--smoke: one short round of each, to check that everything runs, not how fast.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

TARGET = 1 / 2.5  # c64 takes at most 1/2.5 of c1's time


def write_lines(path, n):
    with open(path, "w") as f:
        for i in range(n):
            f.write('{"job_id":"182626","description":"batch run %d"}\n' % i)


PIN = (os.cpu_count() or 1) >= 2 and shutil.which("taskset") is not None


def pinned(cpu, argv):
    return (["taskset", "-c", str(cpu)] if PIN else []) + argv


def run(command, args, env, lines_in):
    """Runs the command; returns (seconds, peak RSS in KiB). Fails unless it exits 0 with one line per input line."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        p = subprocess.Popen(pinned(0, [command] + args), stdout=out, stderr=subprocess.PIPE, env=env)
        _, status, usage = os.wait4(p.pid, 0)
        seconds = time.perf_counter() - start
        err = p.stderr.read().decode(errors="replace")
        out.seek(0)
        lines = sum(1 for _ in out)
    if os.waitstatus_to_exitcode(status) != 0 or lines != lines_in:
        sys.exit(f"batch.py: {' '.join(args)}: exit {os.waitstatus_to_exitcode(status)}, {lines} of {lines_in} lines\n{err}")
    return seconds, usage.ru_maxrss


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("build", nargs="?", default="build")
    ap.add_argument("--lines", type=int, default=10000)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--memory-lines", type=int, default=1000000)
    ap.add_argument("--smoke", action="store_true")
    a = ap.parse_args()
    if a.smoke:
        a.lines, a.rounds, a.memory_lines = 500, 1, 20000
    command = os.path.join(a.build, "examples", "modelarts-update-job-description")
    emulator = os.path.join(a.build, "examples", "modelarts-emulator")

    with tempfile.TemporaryDirectory() as tmp:
        server = subprocess.Popen(pinned(1, [emulator, "--port", "0"]), stdout=subprocess.PIPE, text=True)
        try:
            m = re.search(r"listening on (\S+)", server.stdout.readline())
            if not m:
                sys.exit("batch.py: modelarts-emulator did not start")
            env = {"PATH": "/usr/bin:/bin", "MODELARTS_ENDPOINT": m.group(1),
                   "HUAWEICLOUD_SDK_PROJECT_ID": "0123456789abcdef0123456789abcdef"}
            path = os.path.join(tmp, "lines.jsonl")
            write_lines(path, a.lines)
            times = {1: [], 64: []}
            for _ in range(a.rounds):
                for c in (1, 64):
                    times[c].append(run(command, ["--from", path, "--concurrency", str(c), "--quiet"], env, a.lines)[0])
        finally:
            server.terminate()
            server.wait()
        # Each round runs c1 and c64 back to back, so a round's ratio is taken under the same load;
        # the verdict is the median of the rounds' ratios, and their spread is printed beside it.
        c1, c64 = statistics.median(times[1]), statistics.median(times[64])
        ratios = sorted(many / one for one, many in zip(times[1], times[64]))
        ratio = statistics.median(ratios)
        print(f"throughput, {a.lines} updates against modelarts-emulator on loopback ({a.rounds} interleaved rounds; "
              f"{'pinned: emulator on CPU 1, command on CPU 0' if PIN else 'not pinned'}):")
        print(f"  --concurrency 1   {c1:8.3f} s  {a.lines / c1:9.0f} updates/s  (median)")
        print(f"  --concurrency 64  {c64:8.3f} s  {a.lines / c64:9.0f} updates/s  (median)")
        print(f"  c64 / c1 = {ratio:.3f}, median of the rounds' ratios ({ratios[0]:.3f} to {ratios[-1]:.3f}; "
              f"{sum(r <= TARGET for r in ratios)} of {len(ratios)} rounds within the target)  "
              f"(target <= {TARGET:.3f}: {'met' if ratio <= TARGET else 'MISSED'})")

        if a.memory_lines:
            path = os.path.join(tmp, "memory.jsonl")
            write_lines(path, a.memory_lines)
            seconds, kib = run(command, ["--from", path, "--concurrency", "64", "--quiet"], {"PATH": "/usr/bin:/bin"},
                               a.memory_lines)
            mb = kib * 1024 / 1e6
            print(f"memory, {a.memory_lines} lines, in-process emulator, --concurrency 64: {seconds:.1f} s, "
                  f"peak RSS {mb:.1f} MB  (target <= 50 MB: {'met' if mb <= 50 else 'MISSED'})")


if __name__ == "__main__":
    main()
