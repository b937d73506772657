"""Ctrl-C stops a long batch: `score_many` and `score_table` check for signals between chunks instead of finishing
the batch first, and leave the interpreter as they found it."""

import gc
import json
import pathlib
import signal
import threading
import time

import pytest

import pucha

ROOT = pathlib.Path(__file__).resolve().parents[3]
COUNTS = json.loads((ROOT / "examples" / "observations" / "counts-only.json").read_text(encoding="utf-8"))


def interrupted_after(seconds, call):
    """Run `call` with a real signal `seconds` in that raises KeyboardInterrupt, as Ctrl-C's SIGINT does (an
    interval timer's SIGALRM: the process's own SIGINT would also stop the test runner); the time it took to stop."""
    previous = signal.signal(signal.SIGALRM, signal.default_int_handler)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    t0 = time.perf_counter()
    try:
        with pytest.raises(KeyboardInterrupt):
            call()
        return time.perf_counter() - t0
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_other_python_threads_run_during_a_batch():
    engine = pucha.Engine()
    # About a second of scoring, however fast this machine is.
    batch = [COUNTS] * sized(lambda b: engine.score_many(b, workers=2, detail="summary"), [COUNTS] * 20_000, 1.0)
    ticks = []
    stop = threading.Event()

    def ticker():
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.01)

    t = threading.Thread(target=ticker)
    t.start()
    try:
        t0 = time.perf_counter()
        engine.score_many(batch, workers=2, detail="summary")
        t1 = time.perf_counter()
    finally:
        stop.set()
        t.join()
    # The ticker needs the GIL to add a tick. Were it held for the whole batch, a tick could land only just after
    # the call starts or just before it returns, so the middle 80 % would have none. How many it does have depends
    # on how much CPU the ticker gets beside two scoring threads on a busy machine (a CI run counted 6 in 0.5 s
    # where 50 were possible), so the test asks for a few, not for a rate.
    margin = 0.1 * (t1 - t0)
    middle = [x for x in ticks if t0 + margin < x < t1 - margin]
    assert len(middle) >= 3, (len(middle), t1 - t0, [round(x - t0, 3) for x in ticks if t0 < x < t1])


def sized(call, sample, seconds):
    """How many items would keep `call` busy for about `seconds` on this machine, from its time for `sample` (a
    batch built beforehand, so only the scoring is timed)."""
    t0 = time.perf_counter()
    call(sample)
    return int(seconds * len(sample) / (time.perf_counter() - t0))


def test_ctrl_c_stops_score_many_between_chunks():
    engine = pucha.Engine()
    n = sized(lambda b: engine.score_many(b, workers=2, detail="summary"), [COUNTS] * 20_000, 10.0)
    batch = [COUNTS] * n
    elapsed = interrupted_after(0.3, lambda: engine.score_many(batch, workers=2, detail="summary"))
    # Stopped soon after the signal, not at the end of the batch.
    assert elapsed < 5.0, elapsed
    # The collector, paused while answers are built, is back on; the engine still works.
    assert gc.isenabled()
    assert engine.score_many([COUNTS], detail="summary")[0]["verdict"] in ("pass", "fail")


def test_ctrl_c_stops_score_table_between_blocks():
    pd = pytest.importorskip("pandas")
    from test_table import ROW

    engine = pucha.Engine()
    numeric = {k: v for k, v in ROW.items() if isinstance(v, int) and not isinstance(v, bool)}

    def frame(k):
        df = pd.DataFrame({name: [value] * k for name, value in numeric.items()})
        return df.assign(**{"monitoring_point": ROW["monitoring_point"], "site.name": ROW["site.name"]})

    # 4 s of rows (a DataFrame of ≈ 600,000 rows here) rather than 10: the frame itself takes memory. The sample
    # frame is built before the clock starts: timing its construction too made the batch smaller than intended.
    n = sized(lambda df: engine.score_table(df, workers=2), frame(50_000), 4.0)
    df = frame(n)
    elapsed = interrupted_after(0.3, lambda: engine.score_table(df, workers=2))
    assert elapsed < 2.0, elapsed
    assert len(engine.score_table(frame(3))) == 3
