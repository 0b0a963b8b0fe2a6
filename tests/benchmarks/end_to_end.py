#!/usr/bin/env python3
"""End-to-end benchmark: every shipped transport against the two floors, over loopback, to nginx.

    python3 tests/benchmarks/end_to_end.py [BUILD_DIR] [--rounds R] [--n 1000,10000] [--smoke]

Starts nginx (Debian `nginx-light`) on a free loopback port with a generated configuration
answering `{"is_success": true}`, pins it and the client to different CPUs when there are two or
more, runs each client in interleaved rounds and prints medians, and the ratio of each to the
bare-libcurl floor (the median of the rounds' ratios, each against the same round's floor). Stops
nginx by its pid. --smoke runs one short round: it checks that everything runs, not how fast.
"""
import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

# (client, auth): the floors first, then the library through each transport.
CLIENTS = [("raw", "token"), ("libcurl", "token"),
           ("curl", "token"), ("curl", "aksk"),
           ("httplib", "token"), ("httplib", "aksk"),
           ("beast", "token"), ("beast", "aksk"),
           ("beast64", "token"),
           ("curl8separate", "token"), ("curl8shared", "token"),
           ("httplib8separate", "token"), ("httplib8shared", "token")]

NGINX_CONF = """\
worker_processes 1;
master_process off;
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body;
    keepalive_requests 10000000;
    keepalive_timeout 120s;
    server {{
        listen 127.0.0.1:{port} reuseport;
        location / {{
            default_type application/json;
            return 200 '{{"is_success": true}}';
        }}
    }}
}}
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port, proc):
    for _ in range(200):
        if proc.poll() is not None:
            sys.exit("end_to_end: nginx exited at start")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return
        except OSError:
            time.sleep(0.025)
    sys.exit("end_to_end: nginx did not start")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("build", nargs="?", default="build")
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--n", default="1000,10000")
    ap.add_argument("--smoke", action="store_true")
    args = ap.parse_args()
    if args.smoke:
        args.rounds, args.n = 1, "50"
    counts = [int(n) for n in args.n.split(",")]

    client = os.path.join(args.build, "tests", "benchmarks", "bench_end_to_end")
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.access(client, os.X_OK):
        sys.exit(f"end_to_end: no {client} (build with libcurl, cpp-httplib and OpenSSL)")
    if not os.access(nginx, os.X_OK):
        sys.exit("end_to_end: no nginx (apt-get install nginx-light)")

    pin = (os.cpu_count() or 1) >= 2 and shutil.which("taskset")
    server_pin = ["taskset", "-c", "1"] if pin else []
    client_pin = ["taskset", "-c", "0"] if pin else []

    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        conf = os.path.join(tmp, "nginx.conf")
        with open(conf, "w") as f:
            f.write(NGINX_CONF.format(dir=tmp, port=port))
        server = subprocess.Popen(server_pin + [nginx, "-p", tmp, "-c", conf], stderr=subprocess.DEVNULL)
        try:
            wait_for(port, server)
            times = {}  # (client, auth, n) -> [microseconds per call]
            for _ in range(args.rounds):
                for n in counts:
                    for name, auth in CLIENTS:
                        out = subprocess.run(client_pin + [client, "--port", str(port), "--client", name,
                                                           "--auth", auth, "--n", str(n)],
                                             capture_output=True, text=True)
                        if out.returncode != 0:
                            sys.exit(f"end_to_end: {name} {auth} failed: {out.stderr.strip()}")
                        times.setdefault((name, auth, n), []).append(float(out.stdout.split()[4]))
        finally:
            os.kill(server.pid, signal.SIGTERM)
            server.wait()

    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    print(f"# {os.cpu_count()} CPUs ({cpu}); {'pinned: nginx on CPU 1, client on CPU 0' if pin else 'not pinned'};"
          f" median of {args.rounds} interleaved round(s)")
    print(f"{'client':<16} {'auth':<6} {'updates':>8} {'us/call':>9} {'x libcurl':>10}")
    # A client's ratio is the median of its rounds' ratios, each taken against the floor of the same
    # round: the floor itself drifts by a quarter over minutes here, and a round runs every client
    # within seconds.
    for n in counts:
        floor = times[("libcurl", "token", n)]
        for name, auth in CLIENTS:
            t = times[(name, auth, n)]
            ratio = statistics.median(mine / base for mine, base in zip(t, floor))
            note = "  (64 in flight: throughput is %.2fx the floor's)" % (1 / ratio) if name == "beast64" else ""
            print(f"{name:<16} {auth:<6} {n:>8} {statistics.median(t):>9.2f} {ratio:>10.2f}{note}")
        # The goal of issue 25: 8 threads sharing one session reach at least 0.9x the throughput of
        # 8 separate sessions (each round's pair compared, as above).
        for transport in ("curl", "httplib"):
            shared, separate = times[(transport + "8shared", "token", n)], times[(transport + "8separate", "token", n)]
            ratio = statistics.median(b / a for a, b in zip(shared, separate))
            print(f"# {transport}, 8 threads, {n} updates: one shared session has {ratio:.2f}x the throughput of"
                  f" 8 separate sessions (goal: at least 0.90)")


if __name__ == "__main__":
    main()
