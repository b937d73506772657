#!/usr/bin/env python3
"""Python-side throughput of pucha against the pure-Python baseline (run on demand; figures go to
docs/performance.md). Build the extension in release first: in bindings/python, `maturin develop --release`.

    python3 benches/python/bench.py [rows]
"""
import gc
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import baseline  # noqa: E402
import pucha  # noqa: E402


def timed(f, runs=3):
    """The result and the best of `runs` wall-clock times (this shared machine varies ±30 % between runs)."""
    best = None
    r = None
    for _ in range(runs):
        # The previous run's answer is freed (and the collector run) before the clock starts, not inside the timing.
        r = None
        gc.collect()
        t = time.perf_counter()
        r = f()
        dt = time.perf_counter() - t
        best = dt if best is None else min(best, dt)
    return r, best


def main(n=100_000):
    rows = baseline.rows(n)
    engine = pucha.Engine()
    base, t_base = timed(lambda: [baseline.score_row(r) for r in rows])
    print(f"pure-Python baseline:          {n / t_base:>10,.0f} rows/s  ({t_base:.2f} s)")
    try:
        import pandas as pd

        df = pd.DataFrame(rows)
        table, t_table = timed(lambda: engine.score_table(df, workers=2))
        print(f"score_table (DataFrame, 2 thr): {n / t_table:>10,.0f} rows/s  ({t_table:.2f} s)  ×{t_base / t_table:.1f} vs baseline")
        assert list(table["verdict"]) == [b[0] for b in base]
    except ImportError:
        pass
    listed, t_list = timed(lambda: engine.score_table(rows, workers=2))
    print(f"score_table (list of dicts):    {n / t_list:>10,.0f} rows/s  ({t_list:.2f} s)")
    with open(os.path.join(os.path.dirname(__file__), "../../examples/observations/counts-only.json"), encoding="utf-8") as f:
        text = f.read()
    # Distinct dicts, as read from a file of JSON lines (not one dict repeated), with varied faults.
    batch = varied(text, n)
    _, t_many = timed(lambda: engine.score_many(batch, workers=2, detail="summary"))
    print(f"score_many (summary, 2 thr):    {n / t_many:>10,.0f} sites/s ({t_many:.2f} s)  ×{t_base / t_many:.1f} vs baseline")


def varied(text, n, seed=2015):
    """n distinct counts-only observations read with `json.loads` from the example, each with its own name and
    spread of faults (failures, broken links, homepage updates, column dates, messages, services), so that sites
    score differently, as in a census table."""
    import random

    rng = random.Random(seed)
    out = []
    for i in range(n):
        o = json.loads(text)
        o["site"]["name"] = f"示例县{i}人民政府门户网站"
        o["site"]["id"] = f"{5101230000 + i}"
        o["site"]["kind"] = "portal" if i % 3 == 0 else "other"
        o["availability"]["failures"] = rng.choice([0, 3, 7, 12, 17, 20, 25, 30, 40])
        o["links"] = {"homepage_broken": rng.randint(0, 6), "other_broken": rng.randint(0, 80)}
        o["homepage"]["updates_in_window"] = rng.choice([0, 3, 9, 10, 25])
        for c in o["columns"]:
            if "last_published" in c:
                c["last_published"] = f"2015-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}"
        cons = o["interaction"]["consultation"]
        cons["valid_messages"] = rng.randint(1, 40)
        cons["overdue_messages"] = rng.choice([0, 0, 0, 1])
        o["interaction"]["survey"]["activities"] = rng.randint(0, 9)
        o["services"]["missing_element_categories"] = rng.randint(0, 9)
        o["services"]["attachments_broken"] = rng.randint(0, 2)
        out.append(o)
    return out


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
