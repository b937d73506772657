"""The shared vectors (tests/vectors), through the same JSON boundary and comparison as the Rust runner."""

import json
import math
import pathlib

import pytest

from pucha import _pucha

VECTORS = pathlib.Path(__file__).resolve().parents[3] / "tests" / "vectors"
CASES = [
    pytest.param(f, case, id=f"{f['_name']} › {case['name']}")
    for f in (
        dict(json.loads(p.read_text(encoding="utf-8")), _name=str(p.relative_to(VECTORS)))
        for p in sorted(VECTORS.rglob("*.json"))
    )
    for case in f["cases"]
]


def num_eq(a, b):
    if isinstance(a, bool) or isinstance(b, bool) or a is None or b is None:
        return a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, abs_tol=1e-9)
    return a == b


def check(expected, answer):
    bad = []
    if "error" in expected:
        assert answer["type"] == "failure", f"expected an error {expected['error']}, got a report"
        first = answer["errors"][0]
        for key in ("code", "path", "rule"):
            if key in expected["error"]:
                assert first.get(key) == expected["error"][key], f"error {key}: {first}"
        return
    assert answer["type"] == "success", answer
    report = answer["report"]
    for key, want in expected.items():
        if key in ("verdict", "verdict_basis", "complete", "score", "total_deduction", "total_deduction_max",
                   "uncounted_deduction", "bonus"):
            if not num_eq(report.get(key), want):
                bad.append(f"{key}: expected {want}, got {report.get(key)}")
        elif key == "vetoes":
            got = sorted(v["rule"] for v in report["vetoes"])
            if got != sorted(want):
                bad.append(f"vetoes: expected {sorted(want)}, got {got}")
        elif key == "undecided":
            if sorted(report["undecided"]) != sorted(want):
                bad.append(f"undecided: expected {sorted(want)}, got {sorted(report['undecided'])}")
        elif key == "warnings":
            got = {w["code"] for w in report["warnings"]}
            bad += [f"warning {w} missing from {sorted(got)}" for w in want if w not in got]
        elif key == "rules":
            rules = {r["id"]: r for r in report["rules"]}
            for rid, fields in want.items():
                rule = rules.get(rid)
                if rule is None:
                    bad.append(f"rule {rid} missing")
                    continue
                for f, w in fields.items():
                    if f == "observed":
                        for m, wv in w.items():
                            if not num_eq(rule["observed"].get(m), wv):
                                bad.append(f"rule {rid} observed {m}: expected {wv}, got {rule['observed'].get(m)}")
                    else:
                        # `points_max` is absent where it equals `points`.
                        default = 0 if f == "review" else rule["points"] if f == "points_max" else None
                        got = rule.get(f, default)
                        if not num_eq(got, w):
                            bad.append(f"rule {rid} {f}: expected {w}, got {got}")
        else:
            bad.append(f"unknown expectation {key}")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("vector, case", CASES)
def test_vector(vector, case):
    params = dict(vector.get("params", {}))
    params.update(case.get("params", {}))
    request = {"pack": vector["pack"], "params": params, "observation": case["observation"]}
    answer = json.loads(_pucha.call_json(json.dumps(request, ensure_ascii=False)))
    check(case["expected"], answer)


def test_there_are_vectors():
    assert len(CASES) > 100
