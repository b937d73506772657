#!/usr/bin/env python3
"""A national campaign on loopback, on the simulation build: the fixture farm (`pucha sim-farm`, site n at
s{n}.farm.test, every name resolved to 127.0.0.1 inside the prober, so per-host limits are real) and a compressed
clock. Nothing leaves the machine. Build first (its own target folder, so the release binary stays a release one):

    CARGO_TARGET_DIR=target/sim cargo build --release -p pucha-cli --features simulation

Two measurements:

    python3 benches/cli/campaign_sim.py lateness [N=84094] [SPEED=11] [MINUTES=10]
        The availability scheduler alone (a two-day plan: the full probes fall due only in its last 30 hours, after
        the measured minutes). 20 visits a day per site at SPEED× the clock is N × 20 / 86,400 × SPEED visits a
        second (84,094 sites at 11× = 214/s, above the 195/s of 10× the national rate). After MINUTES of real time
        the run is stopped (SIGINT) and the database read: lateness of every visit (its start minus its due time,
        in real seconds) as p50/p99/max, visits a second, slots missed, peak RSS and bytes per stored sample.

    python3 benches/cli/campaign_sim.py probes [N=400] [PROBES=32] [MINUTES=5] [PAGES=0]
        Full probes alone: a plan whose samples are all in the past (recorded as missed at once), so every probe is
        due; PROBES at once at the polite per-host defaults (4 in flight, 10 requests/s per host). With PAGES the
        farm grows every site to that many pages and ten times as many link targets (`sim-farm --pages`). Reports
        sites probed a minute, the link targets a probe checks and the crawls a budget capped.

    python3 benches/cli/campaign_sim.py both [N=84094] [SPEED=11] [SITES=600] [PROBES=220] [PAGES=190] [MINUTES=10]
        Both at once, as two runs each with its own farm: the scheduler's lateness while full probes of grown sites
        run beside it on the same cores, and the probes' rate beside the visits.
"""
import datetime
import json
import os
import pathlib
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
PUCHA = ROOT / "target" / "sim" / "release" / "pucha"
CST = datetime.timezone(datetime.timedelta(hours=8))


def farm(crawl, pages=0):
    p = subprocess.Popen([str(PUCHA), "sim-farm", "--crawl", crawl, "--pages", str(pages)], stdout=subprocess.PIPE,
                         text=True)
    port = int(p.stdout.readline().strip())
    return p, port


def site_list(path, n, port, crawl, full):
    """JSON Lines of profiles: the farm's portals (with their columns when `full`)."""
    with path.open("w", encoding="utf-8") as f:
        for i in range(1, n + 1):
            home = f"http://s{i}.farm.test:{port}"
            p = {"site": {"region": f"示例省{i % 3000}县", "name": f"网站{i}", "icp": f"蜀ICP备{i:08d}号",
                          "homepage": home + "/", "authority": "办公室", "address": "人民路 1 号", "kind": "portal",
                          "id": f"{5100000000 + i}"},
                 "head": {"name": "张三", "title": "主任", "office_phone": "028-12345678", "mobile": "13800138000",
                          "email": "zs@a.gov.cn"},
                 "contact": {"name": "李四", "office_phone": "028-87654321", "mobile": "13900139000",
                             "email": "ls@a.gov.cn"},
                 "columns": []}
            if full:
                # The fixture portal's columns, as its profile lists them.
                p["columns"] = [{"category": c, "name": nm, "url": home + path_, "on_homepage": on}
                                for c, nm, path_, on in [
                                    ("dynamics", "工作动态", "/gzdt/", True), ("notice", "通知公告", "/tzgg/", True),
                                    ("policy", "政策文件", "/zcwj/", False), ("personnel", "人事信息", "/rsxx/", False),
                                    ("plan", "规划计划", "/ghjh/", False), ("dynamics", "基层动态", "/jcdt/", False),
                                    ("consultation", "县长信箱", "/xzxx/", False), ("survey", "民意征集", "/myzj/", False),
                                    ("interview", "在线访谈", "/zxft/", False), ("guide", "办事指南", "/bszn/", False)]]
            f.write(json.dumps(p, ensure_ascii=False) + "\n")


def run(args, minutes):
    """Run `pucha args` for `minutes` (then SIGINT), sampling its peak RSS; returns (seconds, MB)."""
    p = subprocess.Popen([str(PUCHA), *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    hwm, t0 = 0, time.perf_counter()
    status = pathlib.Path(f"/proc/{p.pid}/status")
    while p.poll() is None and time.perf_counter() - t0 < minutes * 60:
        try:
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    hwm = max(hwm, int(line.split()[1]))
        except (OSError, ValueError):
            pass
        time.sleep(0.2)
    if p.poll() is None:
        p.send_signal(signal.SIGINT)
        p.wait()
    if p.returncode not in (0, 130):
        sys.exit(f"`pucha {' '.join(args)}` exited {p.returncode}: {p.stderr.read().decode()}")
    return time.perf_counter() - t0, hwm / 1024


STAMP = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?([+-]\d\d:\d\d)$")


def parse(at):
    m = STAMP.match(at)
    frac = (m.group(2) or "0")[:6].ljust(6, "0")
    return datetime.datetime.fromisoformat(f"{m.group(1)}.{frac}{m.group(3)}")


def lateness(n, speed, minutes):
    work = pathlib.Path(tempfile.mkdtemp())
    f, port = farm("2015-06-25")
    try:
        lst = work / "sites.jsonl"
        site_list(lst, n, port, "2015-06-25", full=False)
        c = str(work / "c")
        subprocess.run([str(PUCHA), "campaign", "init", c, "--sites", str(lst), "--from", "2015-06-24", "--days", "2",
                        "--per-day", "20"], check=True, stderr=subprocess.DEVNULL)
        secs, mb = run(["campaign", "run", c, "-q", "--allow-private", "--sim-hosts", "--sim-speed", str(speed),
                        "--concurrency", "256"], minutes)
        db = sqlite3.connect(str(work / "c" / "campaign.sqlite"))
        start = datetime.datetime(2015, 6, 24, tzinfo=CST)
        step = 86_400_000 // 20
        late, missed, failed = [], 0, 0
        for site, slot, at, ok, fault, err in db.execute(
                "SELECT site, slot, at, ok, probe_fault, error FROM samples"):
            if err == "prober down":
                missed += 1
                continue
            failed += 0 if ok else 1
            due = start + datetime.timedelta(milliseconds=slot * step + step * (site - 1) // n)
            late.append(max(0.0, (parse(at) - due).total_seconds()) / speed)
        late.sort()
        q = lambda p: late[min(len(late) - 1, int(p * len(late)))] if late else float("nan")
        size = db.execute("SELECT SUM(pgsize) FROM dbstat WHERE name = 'samples'").fetchone()[0]
        count = db.execute("SELECT COUNT(*) FROM samples").fetchone()[0]
        rate = n * 20 / 86_400 * speed
        print(f"{n:,} sites at {speed}x: planned {rate:.0f} visits/s; ran {secs:.0f} s, {len(late):,} visits "
              f"({len(late) / secs:.0f}/s), {missed:,} slots missed, {failed:,} failed; lateness p50 {q(0.5):.3f} s, "
              f"p99 {q(0.99):.3f} s, max {late[-1] if late else float('nan'):.3f} s; peak RSS {mb:.0f} MB; "
              f"{size / max(count, 1):.1f} bytes a sample ({count:,})", flush=True)
    finally:
        f.send_signal(signal.SIGINT)
        f.wait()
        if os.environ.get("KEEP"):
            print(f"kept: {work}")
        else:
            shutil.rmtree(work)


def probes(n, jobs, minutes, pages=0):
    work = pathlib.Path(tempfile.mkdtemp())
    f, port = farm("2015-06-24", pages)
    try:
        lst = work / "sites.jsonl"
        site_list(lst, n, port, "2015-06-24", full=True)
        c = str(work / "c")
        subprocess.run([str(PUCHA), "campaign", "init", c, "--sites", str(lst), "--from", "2015-06-24", "--days", "1",
                        "--per-day", "20"], check=True, stderr=subprocess.DEVNULL)
        secs, mb = run(["campaign", "run", c, "-q", "--allow-private", "--sim-hosts", "--probes", str(jobs)], minutes)
        db = sqlite3.connect(str(work / "c" / "campaign.sqlite"))
        done = db.execute("SELECT COUNT(*) FROM probes").fetchone()[0]
        took, checked, ends, capped = [], [], [], 0
        for (text,) in db.execute("SELECT observation FROM probes"):
            o = json.loads(text)
            p = o.get("provenance", {})
            if "started" in p and "finished" in p:
                ends.append(parse(p["finished"][:26] + "+00:00"))
                took.append((ends[-1] - parse(p["started"][:26] + "+00:00")).total_seconds())
            checked.append(o.get("links", {}).get("checked", 0))
            capped += o.get("links", {}).get("complete") is False
        took.sort()
        checked.sort()
        mid = lambda xs: xs[len(xs) // 2] if xs else float("nan")
        # The rate once the first probes have ended (they all start together, so the first minutes end none).
        ends.sort()
        late = [e for e in ends if ends and (e - ends[0]).total_seconds() > 0]
        span = (ends[-1] - ends[0]).total_seconds() if len(ends) > 1 else float("nan")
        print(f"{done} of {n} sites probed in {secs:.0f} s: {done / secs * 60:.1f} sites/min with {jobs} at once "
              f"({len(late) / span * 60 if span == span and span > 0 else float('nan'):.1f}/min from the first end); "
              f"a probe takes {mid(took):.1f} s (median) and checks {mid(checked)} link targets; {capped} crawls "
              f"capped by a budget; peak RSS {mb:.0f} MB", flush=True)
    finally:
        f.send_signal(signal.SIGINT)
        f.wait()
        shutil.rmtree(work)


def main():
    if not PUCHA.exists():
        sys.exit(f"{PUCHA} is missing: CARGO_TARGET_DIR=target/sim cargo build --release -p pucha-cli "
                 "--features simulation")
    mode = sys.argv[1] if len(sys.argv) > 1 else "lateness"
    a = [int(x) for x in sys.argv[2:]]
    if mode == "lateness":
        lateness(*(a + [84_094, 11, 10][len(a):]))
    elif mode == "probes":
        probes(*(a + [400, 32, 5, 0][len(a):]))
    elif mode == "both":
        # The two at once, each against its own farm, so the probes' figure is taken beside the visits'.
        import threading
        n, speed, sites, jobs, pages, minutes = a + [84094, 11, 600, 220, 190, 10][len(a):]
        runs = [threading.Thread(target=lateness, args=(n, speed, minutes)),
                threading.Thread(target=probes, args=(sites, jobs, minutes, pages))]
        for t in runs:
            t.start()
        for t in runs:
            t.join()
    else:
        sys.exit("usage: campaign_sim.py lateness|probes|both [...]")


if __name__ == "__main__":
    main()
