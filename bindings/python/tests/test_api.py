"""The public Python API: scoring, engines, packs, errors, pickling, threads and hostile input."""

import json
import math
import os
import pathlib
import pickle
import threading

import pytest

import pucha

ROOT = pathlib.Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples" / "observations"


def example(name):
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def rule(report, rid):
    return next(r for r in report["rules"] if r["id"] == rid)


def test_score_a_dict_and_json_text():
    obs = example("good-portal.json")
    report = pucha.score(obs)
    assert report["schema"] == "pucha.report/1"
    assert report["verdict"] == "pass"
    assert report["score"] == 93.8
    assert pucha.score(json.dumps(obs, ensure_ascii=False)) == report


def test_text_report_in_both_languages():
    obs = example("veto-unreachable.json")
    assert "不合格（单项否决）" in pucha.score(obs, lang="zh")
    assert "verdict: FAIL (veto)" in pucha.Engine().score_text(obs, "en")


def test_parameters_change_points():
    obs = example("counts-only.json")
    assert rule(pucha.score(obs), "homepage-availability")["points"] == 12.6
    assert rule(pucha.score(obs, params={"proration": "whole-percent"}), "homepage-availability")["points"] == 10


def test_packs_and_load_pack(tmp_path):
    assert pucha.packs() == ["census-2015", "checklist-2019"]
    p = pucha.load_pack("census-2015")
    assert p.id == "census-2015" and p.params["proration"] == "linear"
    assert [r["id"] for r in p.rules][:2] == ["site-unreachable", "site-not-updated"]
    f = tmp_path / "variant.toml"
    f.write_text(p.source.replace("fail_above = 40", "fail_above = 30"), encoding="utf-8")
    variant = pucha.load_pack(str(f))
    assert variant.id == "census-2015"
    obs = example("counts-only.json")  # 36.7 points: passes at 40, fails at 30
    assert pucha.score(obs)["verdict"] == "pass"
    assert pucha.score(obs, pack=variant)["verdict"] == "fail"
    assert pucha.Engine(pucha.load_pack(p.source)).score(obs)["verdict"] == "pass"


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_files_are_read_only_to_the_limit(tmp_path):
    # /dev/zero reports size 0 and never ends: read to one byte past the limit, then refused by name.
    with pytest.raises(pucha.PackError) as e:
        pucha.load_pack("/dev/zero")
    assert e.value.code == "too_large" and "/dev/zero" in str(e.value)
    big = tmp_path / "big.toml"
    big.write_bytes(b"#" * (pucha._pucha.MAX_PACK_BYTES + 1))
    with pytest.raises(pucha.PackError) as e:
        pucha.load_pack(big)
    assert e.value.code == "too_large"
    # A pack file with a byte-order mark reads as the pack.
    bom = tmp_path / "bom.toml"
    bom.write_bytes(b"\xef\xbb\xbf" + pucha.load_pack("census-2015").source.encode())
    assert pucha.load_pack(bom).id == "census-2015"
    with pytest.raises(pucha.ObservationError) as e:
        pucha.Engine().score_table("/dev/zero")
    assert e.value.code == "too_large"


_OUT_OF_MEMORY = """
import json, resource, sys
import pucha
obs = json.load(open(sys.argv[1]))
engine = pucha.Engine()
vm = int([l for l in open("/proc/self/status") if l.startswith("VmSize")][0].split()[1]) * 1024
room = vm + (48 << 20)  # what is mapped now and 48 MiB: not 20,000 reports, nor 63 more thread stacks
resource.setrlimit(resource.RLIMIT_AS, (room, room))
try:
    engine.score_many([obs] * 20000, workers=64)
    print("scored")
except Exception as e:
    print("caught", type(e).__name__)
print(len(engine.score_many([obs] * 10, workers=4)))
"""


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs Linux /proc")
def test_running_out_of_memory_raises_memory_error():
    # Not PanicException, which `except Exception` does not catch; and the interpreter scores on afterwards.
    import subprocess
    import sys

    obs = ROOT / "examples" / "observations" / "counts-only.json"
    r = subprocess.run([sys.executable, "-c", _OUT_OF_MEMORY, str(obs)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["caught", "MemoryError", "10"], (r.stdout, r.stderr)


def test_a_positional_list_is_not_an_observation():
    with pytest.raises(pucha.ObservationError) as e:
        pucha.score('["pucha.observation/1", "2015-06-30", {"name": "x"}]')
    assert e.value.code == "invalid_type" and (e.value.line, e.value.column) == (1, 1)


def test_observation_errors_carry_code_and_path():
    with pytest.raises(pucha.ObservationError) as e:
        pucha.score({"monitoring_point": "2015-02-30", "site": {"name": "x"}})
    assert e.value.code == "invalid_date" and e.value.path == "monitoring_point"
    assert isinstance(e.value, ValueError)
    with pytest.raises(pucha.ObservationError) as e:
        pucha.score({"monitoring_point": "2015-06-30", "site": {"name": "x"}, "colums": []})
    assert e.value.code == "unknown_field" and e.value.help == "did you mean `columns`?"


def test_pack_errors_carry_code_and_rule():
    with pytest.raises(pucha.PackError) as e:
        pucha.Engine("census-2016")
    assert e.value.code == "unknown_pack"
    with pytest.raises(pucha.PackError) as e:
        pucha.Engine(params={"proration": "quadratic"})
    assert e.value.code == "invalid_param"
    bad = pucha.load_pack("census-2015").source.replace('when = "failure_rate >= 5%"', 'when = "failure_rat >= 5%"')
    with pytest.raises(pucha.PackError) as e:
        pucha.load_pack(bad)
    assert (e.value.code, e.value.rule) == ("unknown_name", "site-unreachable")
    assert e.value.line == 77


@pytest.mark.parametrize(
    "garbage",
    [
        None, 3, 3.5, [], [1, 2], "not json", "{", b"\xff\xfe", "[]", {"monitoring_point": math.nan},
        {"monitoring_point": "2015-06-30", "site": {"name": "x"}, "links": {"other_broken": 10**40}},
        {"monitoring_point": "2015-06-30", "site": {"name": "x"}, "links": {"other_broken": -1}},
        {"monitoring_point": "2015-06-30", "site": {"name": "x"}, "availability": {"visits": math.inf, "failures": 0}},
        {"monitoring_point": object()}, {"monitoring_point": {1, 2}}, {1: 2}, "x" * 10_000,
    ],
)
def test_garbage_never_crashes(garbage):
    with pytest.raises(pucha.ObservationError):
        pucha.score(garbage)


def test_deep_nesting_is_an_error():
    deep = {"monitoring_point": "2015-06-30", "site": {"name": "x"}, "provenance": []}
    cur = deep["provenance"]
    for _ in range(5000):
        nxt = []
        cur.append(nxt)
        cur = nxt
    with pytest.raises(pucha.ObservationError):
        pucha.score(deep)


def test_engine_pickles():
    eng = pucha.Engine("census-2015", {"proration": "whole-percent"})
    again = pickle.loads(pickle.dumps(eng))
    obs = example("counts-only.json")
    assert again.score(obs) == eng.score(obs)
    assert again.pack.params["proration"] == "whole-percent"
    inline = pucha.Engine(pucha.load_pack(pucha.load_pack("checklist-2019").source))
    assert pickle.loads(pickle.dumps(inline)).pack.id == "checklist-2019"
    err = pucha.ObservationError("invalid_date", "m", "monitoring_point")
    assert pickle.loads(pickle.dumps(err)).path == "monitoring_point"


def test_score_many_matches_score_and_keeps_order():
    eng = pucha.Engine()
    obs = [example(n) for n in sorted(p.name for p in EXAMPLES.glob("*.json"))] * 20
    many = eng.score_many(obs, workers=2)
    assert [r["site"]["name"] for r in many] == [o["site"]["name"] for o in obs]
    assert many == [eng.score(o) for o in obs]


def test_score_many_errors():
    eng = pucha.Engine()
    good = example("good-portal.json")
    bad = {"monitoring_point": "2015-13-01", "site": {"name": "x"}}
    with pytest.raises(pucha.ObservationError) as e:
        eng.score_many([good, bad, good])
    assert e.value.index == 1 and e.value.code == "invalid_date"
    out = eng.score_many([good, bad, good], errors="return")
    assert out[1]["type"] == "failure" and out[1]["index"] == 1 and out[2]["verdict"] == "pass"


def test_threads_share_an_engine():
    eng = pucha.Engine()
    obs = example("raw-evidence.json")
    expected = eng.score(obs)
    results = []

    def work():
        for _ in range(20):
            results.append(eng.score(obs) == expected)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 80 and all(results)


def test_score_many_summary():
    eng = pucha.Engine()
    obs = [example("counts-only.json"), example("veto-unreachable.json")]
    full = eng.score_many(obs)
    summ = eng.score_many(obs, detail="summary")
    for f, s in zip(full, summ):
        assert s["schema"] == "pucha.summary/1"
        for key in ("verdict", "verdict_basis", "complete", "score", "total_deduction", "uncounted_deduction", "bonus"):
            assert s[key] == f[key]
        assert s["points"] == {r["id"]: r["points"] for r in f["rules"]}
        assert s["status"] == {r["id"]: r["status"] for r in f["rules"]}
        assert s["vetoes"] == [v["rule"] for v in f["vetoes"]]
    assert len(json.dumps(summ[0])) < len(json.dumps(full[0])) / 5
    with pytest.raises(ValueError):
        eng.score_many(obs, detail="everything")
