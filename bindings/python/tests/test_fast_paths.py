"""The batch fast paths give exactly what the plain paths give: dicts written straight to JSON by the extension,
summaries built straight into dicts, and DataFrame columns passed as packed numbers."""

import collections
import copy
import json
import math
import pathlib

import pytest

import pucha

ROOT = pathlib.Path(__file__).resolve().parents[3]
VECTORS = ROOT / "tests" / "vectors"
SUMMARY_KEYS = [
    "schema", "pack", "site", "monitoring_point", "verdict", "verdict_basis", "complete", "score",
    "total_deduction", "total_deduction_max", "uncounted_deduction", "bonus", "vetoes", "undecided", "points",
    "points_max", "status", "warnings",
]


def vector_observations(pack):
    out = []
    for p in sorted(VECTORS.rglob("*.json")):
        if p.relative_to(VECTORS).parts[0] in ("extract", "messages"):  # page-reading vectors, the message table
            continue
        f = json.loads(p.read_text(encoding="utf-8"))
        if f["pack"] != pack or f.get("params"):
            continue
        out += [c["observation"] for c in f["cases"] if "error" not in c["expected"] and not c.get("params")]
    return out


def summary_of(report):
    """The pucha.summary/1 form of a full report, as the Rust core writes it."""
    return {
        "schema": "pucha.summary/1",
        "pack": report["pack"]["id"],
        "site": report["site"],
        "monitoring_point": report["monitoring_point"],
        "verdict": report["verdict"],
        "verdict_basis": report["verdict_basis"],
        "complete": report["complete"],
        "score": report["score"],
        "total_deduction": report["total_deduction"],
        "total_deduction_max": report["total_deduction_max"],
        "uncounted_deduction": report["uncounted_deduction"],
        "bonus": report["bonus"],
        "vetoes": [v["rule"] for v in report["vetoes"]],
        "undecided": report["undecided"],
        "points": {r["id"]: r["points"] for r in report["rules"]},
        "points_max": {r["id"]: r["points_max"] for r in report["rules"] if "points_max" in r},
        "status": {r["id"]: r["status"] for r in report["rules"]},
        "warnings": [w["code"] for w in report["warnings"]],
    }


@pytest.mark.parametrize("pack", ["census-2015", "checklist-2019"])
def test_summaries_are_the_reports_summaries_key_for_key(pack):
    obs = vector_observations(pack)
    assert len(obs) > 10
    eng = pucha.Engine(pack)
    summaries = eng.score_many(obs, workers=2, detail="summary")
    for o, s in zip(obs, summaries):
        want = summary_of(eng.score(o))
        assert s == want
        assert list(s) == SUMMARY_KEYS
        # numbers keep their JSON form: whole points are ints, the rest floats
        for k in ("total_deduction", "uncounted_deduction", "bonus"):
            assert type(s[k]) is type(want[k])
        assert [type(v) for v in s["points"].values()] == [type(v) for v in want["points"].values()]


def test_dicts_written_by_the_extension_read_as_json_does():
    base = json.loads((ROOT / "examples/observations/counts-only.json").read_text(encoding="utf-8"))
    odd = copy.deepcopy(base)
    odd["site"]["name"] = 'a "quoted"\\ name\twith\ncontrol\x01 chars 🚀 and 中文'
    odd["columns"] = tuple(odd["columns"])  # tuples are JSON arrays
    ordered = collections.OrderedDict(odd)  # dict subclasses are dicts
    eng = pucha.Engine()
    many = eng.score_many([base, odd, ordered, json.dumps(odd, ensure_ascii=False)], workers=2)
    assert many[1]["site"]["name"] == odd["site"]["name"]
    assert many[0] == eng.score(base)
    assert many[1] == many[2] == many[3] == eng.score(odd)


@pytest.mark.parametrize(
    "change, code",
    [
        (lambda o: o["availability"].__setitem__("visits", float("nan")), "invalid_value"),
        (lambda o: o["availability"].__setitem__("visits", 2**80), None),
        (lambda o: o["availability"].__setitem__("visits", -3), None),
        (lambda o: o["links"].__setitem__(7, 1), "unknown_field"),  # json.dumps writes the key as "7"
        (lambda o: o["site"].__setitem__("name", {1, 2}), "invalid_type"),
        (lambda o: o.__setitem__("availabilty", {}), "unknown_field"),
        (lambda o: o.__setitem__("monitoring_point", "2015-02-30"), "invalid_date"),
    ],
)
def test_bad_dicts_fail_as_a_single_score_does(change, code):
    o = json.loads((ROOT / "examples/observations/counts-only.json").read_text(encoding="utf-8"))
    change(o)
    eng = pucha.Engine()
    with pytest.raises(pucha.ObservationError) as single:
        eng.score(o)
    for detail in ("report", "summary"):
        [out] = eng.score_many([o], detail=detail, errors="return")
        [err] = out["errors"]
        got = (err["code"], err.get("path"), err.get("line"), err.get("column"))
        assert got == (single.value.code, single.value.path, single.value.line, single.value.column)
        assert err["message"] in single.value.message
        if code:
            assert err["code"] == code


def test_deep_nesting_fails_cleanly():
    o = {"monitoring_point": "2015-11-15", "site": {"name": "x"}}
    deep = o
    for _ in range(5000):
        deep["x"] = {}
        deep = deep["x"]
    [out] = pucha.Engine().score_many([o], errors="return")
    assert out["type"] == "failure" and out["errors"][0]["code"]


def test_large_batch_keeps_order_across_chunks():
    base = json.loads((ROOT / "examples/observations/counts-only.json").read_text(encoding="utf-8"))
    obs = []
    for i in range(3000):
        o = copy.deepcopy(base)
        o["site"]["name"] = f"站点{i}"
        o["links"]["other_broken"] = i % 200
        obs.append(o)
    eng = pucha.Engine()
    many = eng.score_many(obs, workers=3, detail="summary")
    assert [s["site"]["name"] for s in many] == [o["site"]["name"] for o in obs]
    for o, s in zip(obs[::97], many[::97]):
        assert s == summary_of(eng.score(o))


def test_numeric_dataframe_columns_score_as_lists_do():
    pd = pytest.importorskip("pandas")
    np = pytest.importorskip("numpy")
    from test_table import ROW

    rows = [dict(ROW, **{"site.name": f"站点{i}", "links.other_broken": 31 + 9 * i, "availability.failures": i})
            for i in range(40)]
    df = pd.DataFrame(rows)
    assert df["links.other_broken"].dtype == np.int64
    df["availability.visits"] = df["availability.visits"].astype("float64")  # whole floats count
    df["links.homepage_broken"] = df["links.homepage_broken"].astype("Int64")  # nullable ints
    df.loc[3, "links.homepage_broken"] = pd.NA  # → no data
    df["services.attachments_broken"] = df["services.attachments_broken"].astype("uint8")
    df["interaction.consultation.exists"] = True  # a bool column
    out = pucha.Engine().score_table(df).to_dict("records")
    rows_na = [dict(r) for r in rows]
    rows_na[3]["links.homepage_broken"] = None
    for r in rows_na:
        r["interaction.consultation.exists"] = True
    expected = pucha.Engine().score_table(rows_na)
    assert len(out) == len(expected) == 40
    for got, want in zip(out, expected):
        for key, value in want.items():
            g = got[key]
            if isinstance(value, float) or isinstance(g, float):
                assert (value is None and math.isnan(g)) or g == value, key
            else:
                assert g == value, key


def test_dataframe_errors_and_vetoes():
    pd = pytest.importorskip("pandas")
    from test_table import ROW

    rows = [dict(ROW), dict(ROW, **{"availability.failures": 200}), dict(ROW, **{"availability.failures": 900})]
    df = pd.DataFrame(rows)
    with pytest.raises(pucha.ObservationError) as e:
        pucha.Engine().score_table(df)
    assert e.value.index == 2
    out = pucha.Engine().score_table(df, errors="return")
    assert list(out["verdict"][:2]) == ["pass", "fail"] and pd.isna(out["verdict"][2])
    assert list(out["vetoes"][:2]) == ["", "site-unreachable"] and pd.isna(out["vetoes"][2])
    assert out["error"][2] and pd.isna(out["error"][0])
    assert list(out["complete"][:2]) == [True, True] and pd.isna(out["complete"][2])
    assert math.isnan(out["score"][1]) and out["score"][0] == 63.3


def _shared_column(o):
    o["columns"][1] = o["columns"][0]  # one dict object twice: marshal refers back to it


def _cycle(o):
    o["site"]["self"] = o


class _Str(str):
    pass


@pytest.mark.parametrize(
    "change",
    [
        lambda o: None,
        _shared_column,
        _cycle,
        lambda o: o["availability"].__setitem__("visits", 3_000_000_000),  # beyond 32 bits: marshal's long form
        lambda o: o["availability"].update(visits=2**63 - 1, failures=2**62),
        lambda o: o["availability"].__setitem__("visits", -(2**40)),
        lambda o: o["availability"].__setitem__("visits", 2**63),
        lambda o: o["availability"].__setitem__("visits", 672.0),
        lambda o: o["availability"].__setitem__("days", True),
        lambda o: o["site"].__setitem__("name", "bad \ud800 surrogate"),
        lambda o: o["site"].__setitem__("name", b"bytes"),
        lambda o: o["site"].__setitem__("name", _Str("a str subclass")),
        lambda o: o["site"].__setitem__("名称", "a non-ASCII key"),
        lambda o: o["site"].__setitem__("region", None),
        lambda o: o["links"].__setitem__(7, 1),
        lambda o: o.__setitem__("columns", tuple(o["columns"])),
        lambda o: o.__setitem__("columns", tuple(o["columns"][:1])),  # marshal's small tuple
        lambda o: o.__setitem__("content_findings", [{"kind": "serious_typo", "confirmed": True}] * 3),
        lambda o: o.__setitem__("homepage", {"updates_in_window": 14, **{"updates_in_window": 3}}),
        lambda o: o["columns"].append(collections.OrderedDict(name="x", category="plan", item_count=0)),
    ],
)
def test_marshalled_dicts_score_as_a_single_score_does(change):
    """Plain dicts reach the workers through `marshal`; whatever it writes (shared strings and dicts, ints of any
    size, tuples, cycles, surrogates …) scores or fails exactly as `score` does."""
    o = json.loads((ROOT / "examples/observations/counts-only.json").read_text(encoding="utf-8"))
    o["columns"][2]["name"] = o["columns"][3]["category"]  # a value string repeated: marshal refers back to it
    change(o)
    eng = pucha.Engine()
    try:
        want = eng.score(o)
    except pucha.ObservationError as e:
        want = (e.code, e.path, e.line, e.column)
    for detail in ("report", "summary"):
        [out] = eng.score_many([o], detail=detail, errors="return")
        if isinstance(want, tuple):
            [err] = out["errors"]
            assert (err["code"], err.get("path"), err.get("line"), err.get("column")) == want
        else:
            assert out == (want if detail == "report" else summary_of(want))


@pytest.mark.parametrize("workers", [1, 2, 5])
def test_any_number_of_workers_gives_the_same_answers_in_order(workers):
    """`workers` counts the calling thread: 1 scores on it alone, more add scoring threads; chunks scored by the
    calling thread (when the others fall behind) land in their place."""
    base = json.loads((ROOT / "examples/observations/counts-only.json").read_text(encoding="utf-8"))
    obs = []
    for i in range(1300):  # three chunks
        o = copy.deepcopy(base)
        o["site"]["name"] = f"站点{i}"
        o["availability"]["failures"] = i % 41
        obs.append(o)
    eng = pucha.Engine()
    many = eng.score_many(obs, workers=workers, detail="summary")
    assert [s["site"]["name"] for s in many] == [o["site"]["name"] for o in obs]
    for o, s in zip(obs[::53], many[::53]):
        assert s == summary_of(eng.score(o))
