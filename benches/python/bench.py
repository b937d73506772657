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
    # Distinct dicts, as read from a file of JSON lines (not one dict repeated).
    batch = [json.loads(text) for _ in range(n)]
    _, t_many = timed(lambda: engine.score_many(batch, workers=2, detail="summary"))
    print(f"score_many (summary, 2 thr):    {n / t_many:>10,.0f} sites/s ({t_many:.2f} s)")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
