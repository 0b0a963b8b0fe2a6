#!/usr/bin/env python3
"""Compile cost: what including the library costs next to what including Boost alone costs.

    python3 tests/benchmarks/compile_cost.py [BUILD_DIR] [--smoke]

Prints compile time and peak memory, at -O0 with g++ and clang++ (when installed):
  core:  a unit including modelarts.hpp and making one call, against <boost/json.hpp> and one parse;
  beast: a unit including the Beast transport and making one co_await update, against the same
         Boost headers alone;
each header-only and again compiled once (MODELARTS_SEPARATE_COMPILATION: the unit reads
declarations only, as the floor reads Boost.JSON's, whose definitions are in libboost_json), with
the one unit that then compiles the definitions (examples/programs/modelarts_src.cpp, beast_transport.cpp).
These are CPU seconds, medians of rounds that compile the floor then the library, so that a
machine slowing down for a while slows both. Then the command's units
(modelarts-update-job-description, with the core and Beast transport it links) with the build's
own flags, from BUILD_DIR/compile_commands.json, and again at -O0: each alone, then all of them as
a build runs them, one per CPU, in wall seconds, best of three. --smoke checks each unit's syntax once, with g++ only:
it checks that the script and its units work, not how fast.
"""
import argparse
import concurrent.futures
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


SMOKE = False  # --smoke: syntax only, once, g++ only (that the script and its units work)


def compile_once(cmd, cwd):
    """Compiles once: (wall seconds, CPU seconds, peak RSS in MB) of the compiler and its children."""
    if SMOKE:
        cmd = cmd + ["-fsyntax-only"]
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    took = time.monotonic() - start
    if status != 0:
        sys.exit(f"compile_cost: failed: {shlex.join(cmd)}\n{proc.stderr.read().decode()}")
    return took, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024  # g++'s peak is cc1plus's


def measure(cmd, cwd, repeats):
    """Best wall time (s) and its peak RSS (MB) of `cmd` over `repeats` runs."""
    runs = [compile_once(cmd, cwd) for _ in range(repeats)]
    best = min(runs)
    return best[0], best[2]


def measure_pair(floor_cmd, lib_cmd, cwd, rounds):
    """The floor and the library compiled in turn, `rounds` times: a machine that slows down for a
    while slows both. Returns each one's median CPU seconds and peak MB, and the median of the
    rounds' time ratios."""
    floors, libs = [], []
    for _ in range(rounds):
        floors.append(compile_once(floor_cmd, cwd))
        libs.append(compile_once(lib_cmd, cwd))
    ratio = statistics.median(lib[1] / floor[1] for floor, lib in zip(floors, libs))
    def summary(runs):
        return statistics.median(r[1] for r in runs), max(r[2] for r in runs)
    return summary(floors), summary(libs), ratio


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("build", nargs="?", default="build")
    ap.add_argument("--smoke", action="store_true")
    args = ap.parse_args()
    global SMOKE
    SMOKE = args.smoke
    repeats = 1 if args.smoke else 3
    rounds = 1 if args.smoke else 7
    build = os.path.abspath(args.build)

    compilers = [c for c in (("g++",) if args.smoke else ("g++", "clang++")) if shutil.which(c)]
    print(f"# {os.cpu_count()} CPUs; -std=c++20 -O0; CPU seconds, medians of {rounds} rounds, each compiling the floor")
    print("# then the library; the time ratio is the median of the rounds' ratios; MB: the compiler's peak")
    print(f"{'unit':<44} {'compiler':<8} {'seconds':>8} {'MB':>6} {'ratio s':>8} {'ratio MB':>9}")
    with tempfile.TemporaryDirectory() as out:
        # (row, unit, flags, the unit compiling the definitions once): each header-only, then compiled once.
        once = ["-DMODELARTS_SEPARATE_COMPILATION"]
        rows = [("core", "core", [], None), ("core, compiled once", "core", once, "modelarts_src.cpp"),
                ("beast", "beast", [], None), ("beast, compiled once", "beast", once, "beast_transport.cpp")]
        def command(cxx, source, extra=()):
            return [cxx, "-std=c++20", "-O0", "-pthread", "-I", os.path.join(ROOT, "include"), *extra, "-c",
                    source, "-o", os.path.join(out, os.path.basename(source) + ".o")]
        for row, name, flags, once_unit in rows:
            for cxx in compilers:
                floor, lib, ratio = measure_pair(command(cxx, os.path.join(HERE, "compile", name + "_floor.cpp")),
                                                 command(cxx, os.path.join(HERE, "compile", name + ".cpp"), flags),
                                                 ROOT, rounds)
                print(f"{row + ' (library)':<44} {cxx:<8} {lib[0]:>8.2f} {lib[1]:>6.0f} {ratio:>8.2f} {lib[1] / floor[1]:>9.2f}")
                print(f"{row + ' (floor: Boost alone)':<44} {cxx:<8} {floor[0]:>8.2f} {floor[1]:>6.0f}")
                if once_unit:
                    alone = compile_once(command(cxx, os.path.join(ROOT, "examples", "programs", once_unit), flags), ROOT)
                    print(f"{row + ' (the unit compiling it)':<44} {cxx:<8} {alone[1]:>8.2f} {alone[2]:>6.0f}")

    commands = os.path.join(build, "compile_commands.json")
    if not os.path.exists(commands):
        sys.exit(f"compile_cost: no {commands}")
    units = []
    for entry in json.load(open(commands)):
        cmd = shlex.split(entry["command"])
        output = cmd[cmd.index("-o") + 1]  # the command's own units, and the core and Beast transport it links
        if not any(part in output for part in ("modelarts-update-job-description.p", "modelarts_beast_transport", "modelarts_core",
                                                     "libmodelarts_emulator.a.p")):
            continue
        cmd[cmd.index("-o") + 1] = os.path.join(tempfile.gettempdir(), f"compile_cost_command_{len(units)}.o")
        cmd = [c for c in cmd if c != "-MD"]
        for flag in ("-MF", "-MQ"):
            if flag in cmd:
                i = cmd.index(flag)
                del cmd[i:i + 2]
        units.append((os.path.basename(entry["file"]), cmd, entry["directory"]))
    if not units:
        sys.exit("compile_cost: the command is not in the build")
    # With the build's flags, then at -O0 as the rows above (the figures were at -O0).
    at_o0 = [(name, [c for c in cmd if c not in ("-O1", "-O2", "-O3", "-g")] + ["-O0"], cwd) for name, cmd, cwd in units]
    for group in (units, at_o0):
        flags = " ".join(c for c in group[0][1] if c.startswith("-O") or c == "-g")
        for name, cmd, cwd in group:
            took, mb = measure(cmd, cwd, repeats)
            print(f"{'command: ' + name + ' ' + flags:<44} {cmd[0]:<8} {took:>8.2f} {mb:>6.0f}")
        # The command as a build makes it: its units side by side, as many at once as there are CPUs.
        print(f"{'command: all, ' + str(os.cpu_count() or 1) + ' at once ' + flags:<44} {group[0][1][0]:<8} {in_parallel(group, repeats):>8.2f}")


def in_parallel(units, repeats):
    """Best wall seconds of compiling `units` side by side, one per CPU."""
    def compile_unit(unit):
        _, cmd, cwd = unit
        return subprocess.run(cmd + (["-fsyntax-only"] if SMOKE else []), cwd=cwd,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    best = None
    for _ in range(repeats):
        start = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            if any(pool.map(compile_unit, units)):
                sys.exit("compile_cost: a command unit failed")
        took = time.monotonic() - start
        best = took if best is None or took < best else best
    return best

if __name__ == "__main__":
    main()
