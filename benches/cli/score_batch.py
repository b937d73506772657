#!/usr/bin/env python3
"""`pucha score - --format F` on a stream of N counts-only observations (one JSON line each, the analyst record
examples/observations/counts-only.json with its site name numbered): wall time, sites/s and peak resident memory
of the pucha process (its VmHWM, read from /proc every 20 ms until it exits: a child's rusage would count the
memory of the Python process it was forked from), alternating `--jobs 1` and `--jobs 2` ROUNDS times, so that the ratio is
taken on the same host state. Output goes to /dev/null. Build first: `cargo build --release -p pucha-cli`.

    python3 benches/cli/score_batch.py [N=1000000] [ROUNDS=5] [FORMAT=summary] [--file]

With --file the lines are written to a temporary file first and pucha reads that file, so the Python feeding a pipe
takes no CPU from pucha during the runs; each round then also runs two `--jobs 1` processes at once, whose combined
rate against one's is what this host's two cores give right now (the ceiling for the `--jobs 2` ratio).
"""
import json
import os
import pathlib
import subprocess
import sys
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
PUCHA = ROOT / "target" / "release" / "pucha"


def lines(n):
    obs = json.loads((ROOT / "examples" / "observations" / "counts-only.json").read_text(encoding="utf-8"))
    head, tail = json.dumps(obs, ensure_ascii=False).split(obs["site"]["name"], 1)
    chunk = 10_000
    for start in range(0, n, chunk):
        yield "".join(f"{head}{i}{tail}\n" for i in range(start, min(n, start + chunk))).encode()


def run(n, jobs, fmt, path=None):
    p = subprocess.Popen([str(PUCHA), "score", path or "-", "--format", fmt, "--jobs", str(jobs)],
                         stdin=subprocess.DEVNULL if path else subprocess.PIPE, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE)

    def feed():
        if path:
            return
        try:
            for block in lines(n):
                p.stdin.write(block)
            p.stdin.close()
        except BrokenPipeError:
            pass

    t0 = time.perf_counter()
    writer = threading.Thread(target=feed)
    writer.start()
    hwm = 0
    status_file = pathlib.Path(f"/proc/{p.pid}/status")
    while p.poll() is None:
        try:
            for line in status_file.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    hwm = max(hwm, int(line.split()[1]))
        except (OSError, ValueError):
            pass
        time.sleep(0.02)
    elapsed = time.perf_counter() - t0
    writer.join()
    err = p.stderr.read().decode()
    if p.returncode not in (0, 1, 3):
        sys.exit(f"pucha exited {p.returncode}: {err}")
    return elapsed, hwm / 1024


def main():
    args = [a for a in sys.argv[1:] if a != "--file"]
    n = int(args[0]) if len(args) > 0 else 1_000_000
    rounds = int(args[1]) if len(args) > 1 else 5
    fmt = args[2] if len(args) > 2 else "summary"
    if not PUCHA.exists():
        sys.exit(f"{PUCHA} is missing: cargo build --release -p pucha-cli")
    path = None
    if "--file" in sys.argv:
        import tempfile
        fd, path = tempfile.mkstemp(suffix=".jsonl")
        with os.fdopen(fd, "wb") as f:
            for block in lines(n):
                f.write(block)
    try:
        measure(n, rounds, fmt, path)
    finally:
        if path:
            os.unlink(path)


def two_at_once(n, fmt, path):
    """Two `--jobs 1` processes over the whole input at the same time: the time until both end."""
    t0 = time.perf_counter()
    threads = [threading.Thread(target=run, args=(n, 1, fmt, path)) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - t0


def measure(n, rounds, fmt, path):
    rates = {1: [], 2: []}
    ceilings = []
    rss = []
    for r in range(rounds):
        for jobs in (1, 2):
            t, mb = run(n, jobs, fmt, path)
            rates[jobs].append(n / t)
            rss.append(mb)
            print(f"round {r + 1} --jobs {jobs}: {t:.2f} s, {n / t:,.0f} sites/s, peak RSS {mb:.0f} MB", flush=True)
        if path:
            # What the two cores give two independent copies of this very work right now: the host's own ceiling
            # for the ratio above (2.0 on two idle cores of their own).
            ceilings.append(2 * n / two_at_once(n, fmt, path) / rates[1][-1])
            print(f"round {r + 1} two --jobs 1 at once: {ceilings[-1]:.2f}× one", flush=True)
    ratios = [b / a for a, b in zip(rates[1], rates[2])]
    for jobs in (1, 2):
        print(f"--jobs {jobs}: {min(rates[jobs]):,.0f}–{max(rates[jobs]):,.0f} sites/s")
    print(f"--jobs 2 / --jobs 1 in the same round: {min(ratios):.2f}–{max(ratios):.2f}×; peak RSS ≤ {max(rss):.0f} MB")
    if ceilings:
        print(f"host ceiling (two --jobs 1 at once / one): {min(ceilings):.2f}–{max(ceilings):.2f}×")


if __name__ == "__main__":
    main()
