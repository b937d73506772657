"""The pure-Python baseline of benches/python implements the same table: it must agree with pucha row for row."""

import pathlib
import sys

import pucha

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / "benches" / "python"))
import baseline  # noqa: E402


def test_baseline_agrees_with_pucha():
    rows = baseline.rows(400, seed=7)
    for proration in ("linear", "whole-percent"):
        out = pucha.Engine(params={"proration": proration}).score_table(rows, workers=2)
        for row, got in zip(rows, out):
            verdict, score, total, points = baseline.score_row(row, proration)
            assert (got["verdict"], got["score"]) == (verdict, score), row["site.name"]
            if score is not None:
                assert got["total_deduction"] == total
            for rule, p in points.items():
                assert got[rule] == p, (row["site.name"], rule)
