#!/usr/bin/env python3
"""Re-score a table of census records under census-2015, then under variants, and list the sites whose verdict
changes.

    python3 examples/python/rescore.py [sites.jsonl]
"""
import json
import pathlib
import sys

import pucha

HERE = pathlib.Path(__file__).resolve().parent


def verdicts(engine, observations):
    return [s["verdict"] for s in engine.score_many(observations, detail="summary")]


def main(path=HERE / "sites.jsonl"):
    observations = [json.loads(line) for line in pathlib.Path(path).read_text(encoding="utf-8").splitlines() if line]
    names = [o["site"]["name"] for o in observations]

    base = pucha.Engine("census-2015")
    summaries = base.score_many(observations, detail="summary")
    passed = sum(s["verdict"] == "pass" for s in summaries)
    print(f"census-2015: {passed}/{len(summaries)} 合格")

    census = pucha.load_pack("census-2015")
    variants = {
        "proration=whole-percent": pucha.Engine(census, {"proration": "whole-percent"}),
        "stricter limit (35 points)": pucha.Engine(census, {"fail_above": "35"}),
    }
    before = [s["verdict"] for s in summaries]
    changes = {}
    for label, engine in variants.items():
        after = verdicts(engine, observations)
        changed = [(n, b, a) for n, b, a in zip(names, before, after) if a != b]
        changes[label] = changed
        print(f"\n{label}: {len(changed)} site(s) change verdict")
        for name, b, a in changed:
            print(f"  {name}: {b} → {a}")
    return changes


if __name__ == "__main__":
    main(*sys.argv[1:])
