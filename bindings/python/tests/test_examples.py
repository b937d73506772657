"""examples/python runs as documented, and engines cross process boundaries (the Dask/Spark path)."""

import functools
import json
import multiprocessing
import pathlib
import runpy

import pucha

ROOT = pathlib.Path(__file__).resolve().parents[3]


def test_rescore_example(capsys):
    module = runpy.run_path(str(ROOT / "examples" / "python" / "rescore.py"))
    changes = module["main"]()
    out = capsys.readouterr().out
    assert "census-2015:" in out and "合格" in out
    # whole-percent proration never deducts more, so it can only turn fails into passes; a lower limit the reverse
    assert all(b == "fail" and a == "pass" for _, b, a in changes["proration=whole-percent"])
    assert all(b == "pass" and a == "fail" for _, b, a in changes["stricter limit (35 points)"])
    assert changes["stricter limit (35 points)"], "the synthetic table has sites between 35 and 40 points"


def _verdict(engine, obs):
    return engine.score(obs)["verdict"]


def test_engine_in_a_process_pool():
    sites = [json.loads(l) for l in (ROOT / "examples" / "python" / "sites.jsonl").read_text(encoding="utf-8").splitlines()]
    engine = pucha.Engine("census-2015", {"proration": "whole-percent"})
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        remote = pool.map(functools.partial(_verdict, engine), sites[:12])
    assert remote == [_verdict(engine, s) for s in sites[:12]]
