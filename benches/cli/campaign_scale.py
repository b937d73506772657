#!/usr/bin/env python3
"""A campaign the size of the 2015 census: N sites (84,094) in a site list, every homepage on 127.0.0.1 port 9 (the
private-address guard refuses them, so nothing is fetched and nothing leaves the machine), a plan in the past (every
slot is recorded as missed, through the same writer a real run uses, and every probe runs at once). Reports the
peak resident memory of `campaign init`, `campaign run` and `campaign status` (first, again with its verdict cache,
and as text; VmHWM from /proc), their wall time
(one run each: a figure for scale, not a speed claim) and the stored bytes per sample (SQLite's dbstat).
Build first: `cargo build --release -p pucha-cli`. `KEEP=1` keeps the campaign folder (its path is printed).

    python3 benches/cli/campaign_scale.py [N=84094] [PER_DAY=20] [DAYS=1]
"""
import os
import pathlib
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
PUCHA = ROOT / "target" / "release" / "pucha"
HEADER = ("地区,网站名称,ICP备案编号,首页网址,网站主管单位,办公地址,网站类型,网站标识码,负责人姓名,负责人职务,负责人办公电话,"
          "负责人手机,负责人电子邮箱,联系人姓名,联系人办公电话,联系人手机,联系人电子邮箱")


def measure(args):
    p = subprocess.Popen([str(PUCHA), *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    hwm, t0 = 0, time.perf_counter()
    status = pathlib.Path(f"/proc/{p.pid}/status")
    while p.poll() is None:
        try:
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    hwm = max(hwm, int(line.split()[1]))
        except (OSError, ValueError):
            pass
        time.sleep(0.02)
    if p.returncode != 0:
        sys.exit(f"`pucha {' '.join(args)}` exited {p.returncode}: {p.stderr.read().decode()}")
    return time.perf_counter() - t0, hwm / 1024


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 84_094
    per_day = sys.argv[2] if len(sys.argv) > 2 else "20"
    days = sys.argv[3] if len(sys.argv) > 3 else "1"
    if not PUCHA.exists():
        sys.exit(f"{PUCHA} is missing: cargo build --release -p pucha-cli")
    work = pathlib.Path(tempfile.mkdtemp())
    try:
        lst = work / "sites.csv"
        with lst.open("w", encoding="utf-8") as f:
            f.write(HEADER + "\n")
            for i in range(n):
                f.write(f"示例省{i % 3000}县,网站{i},蜀ICP备{i:08d}号,http://127.0.0.1:9/s{i}/,办公室,人民路 1 号,其他,"
                        f"{5100000000 + i},张三,主任,028-12345678,13800138000,zs@a.gov.cn,李四,028-87654321,"
                        "13900139000,ls@a.gov.cn\n")
        c = str(work / "c")
        for name, args in [("init", ["campaign", "init", c, "--sites", str(lst), "--from", "2015-06-24", "--days", days,
                                     "--per-day", per_day]),
                           ("run", ["campaign", "run", c, "-q"]),
                           ("status (first: the whole campaign read)", ["campaign", "status", c, "--format", "json"]),
                           ("status (again: tallies and the verdict cache)", ["campaign", "status", c, "--format",
                                                                            "json"]),
                           ("status as text", ["campaign", "status", c])]:
            t, mb = measure(args)
            print(f"{name}: {t:.1f} s, peak RSS {mb:.0f} MB", flush=True)
        db = sqlite3.connect(str(work / "c" / "campaign.sqlite"))
        size = db.execute("SELECT SUM(pgsize) FROM dbstat WHERE name = 'samples'").fetchone()[0]
        count = db.execute("SELECT COUNT(*) FROM samples").fetchone()[0]
        print(f"samples: {count:,} in {size / 1e6:.1f} MB, {size / count:.1f} bytes each (index included)")
    finally:
        if os.environ.get("KEEP"):
            print(f"kept: {work}")
        else:
            shutil.rmtree(work)


if __name__ == "__main__":
    main()
