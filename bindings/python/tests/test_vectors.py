"""The shared vectors (tests/vectors), through the same JSON boundary and comparison as the Rust runner."""

import json
import math
import pathlib

import pytest

from pucha import _pucha

ROOT = pathlib.Path(__file__).resolve().parents[3]
VECTORS = ROOT / "tests" / "vectors"
REPORT_SCHEMA = json.loads((ROOT / "docs" / "report.schema.json").read_text(encoding="utf-8"))
CASES = [
    pytest.param(f, case, id=f"{f['_name']} › {case['name']}")
    for f in (
        dict(json.loads(p.read_text(encoding="utf-8")), _name=str(p.relative_to(VECTORS)))
        for p in sorted(VECTORS.rglob("*.json"))
        # extract/ holds the page-reading vectors (pucha-extract), which Rust and Node run; Python has no page reader.
        # messages/ holds the message table, which test_messages.py runs.
        if p.relative_to(VECTORS).parts[0] not in ("extract", "messages")
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


def schema_errors(schema, v, path="$", root=REPORT_SCHEMA):
    """The same small JSON Schema checker as the Rust runner's (the subset docs/report.schema.json uses)."""
    if "$ref" in schema:
        return schema_errors(root["$defs"][schema["$ref"].rsplit("/", 1)[1]], v, path, root)
    for key in ("oneOf", "anyOf"):
        if key in schema and all(schema_errors(a, v, path, root) for a in schema[key]):
            return [f"{path}: matches no alternative"]
    if "const" in schema and schema["const"] != v:
        return [f"{path}: expected {schema['const']}"]
    if "enum" in schema and v not in schema["enum"]:
        return [f"{path}: {v!r} not in enum"]
    t = schema.get("type")
    if isinstance(t, list):
        if all(schema_errors(dict(schema, type=one), v, path, root) for one in t):
            return [f"{path}: not one of {t}"]
        return []
    is_num = isinstance(v, (int, float)) and not isinstance(v, bool)
    if t == "object":
        if not isinstance(v, dict):
            return [f"{path}: not an object"]
        props = schema.get("properties", {})
        for k, x in v.items():
            if k in props:
                errs = schema_errors(props[k], x, f"{path}.{k}", root)
                if errs:
                    return errs
            elif schema.get("additionalProperties") is False:
                return [f"{path}: `{k}` is not in the schema"]
        return [f"{path}: missing `{r}`" for r in schema.get("required", []) if r not in v]
    if t == "array":
        if not isinstance(v, list):
            return [f"{path}: not an array"]
        return [e for i, x in enumerate(v) for e in schema_errors(schema.get("items", {}), x, f"{path}[{i}]", root)]
    if t == "string" and not isinstance(v, str):
        return [f"{path}: not a string"]
    if t in ("number", "integer") and not is_num:
        return [f"{path}: not a number"]
    if t in ("number", "integer") and "minimum" in schema and v < schema["minimum"]:
        return [f"{path}: below the minimum"]
    if t == "boolean" and not isinstance(v, bool):
        return [f"{path}: not a boolean"]
    if t == "null" and v is not None:
        return [f"{path}: not null"]
    return []


@pytest.mark.parametrize("vector, case", CASES)
def test_vector(vector, case):
    params = dict(vector.get("params", {}))
    params.update(case.get("params", {}))
    request = {"pack": vector["pack"], "params": params, "observation": case["observation"]}
    answer = json.loads(_pucha.call_json(json.dumps(request, ensure_ascii=False)))
    check(case["expected"], answer)
    if answer["type"] == "success":
        assert schema_errors(REPORT_SCHEMA, answer["report"]) == []


def test_there_are_vectors():
    assert len(CASES) > 100


def test_the_schema_checker_sees_a_bad_report():
    answer = json.loads(_pucha.call_json(json.dumps({"observation": {"monitoring_point": "2015-06-30", "site": {"name": "x"}}})))
    report = answer["report"]
    assert schema_errors(REPORT_SCHEMA, report) == []
    assert schema_errors(REPORT_SCHEMA, dict(report, surprise=1))
    assert schema_errors(REPORT_SCHEMA, dict(report, verdict="maybe"))
    assert schema_errors(REPORT_SCHEMA, dict(report, total_deduction=-1))
