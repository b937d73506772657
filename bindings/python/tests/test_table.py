"""score_table: flat tables of counts (pandas, lists of dicts, CSV) give the same results as full observations."""

import json
import pathlib

import pytest

import pucha

ROOT = pathlib.Path(__file__).resolve().parents[3]

ROW = {
    "monitoring_point": "2015-11-15", "site.name": "示例县", "site.kind": "portal", "site.region": "甲市",
    "availability.visits": 672, "availability.failures": 17, "availability.days": 7,
    "links.homepage_broken": 2, "links.other_broken": 31, "homepage.updates_in_window": 14,
    "columns.stale.dynamics": 0, "columns.stale.notice": 0, "columns.stale.policy": 1, "columns.stale.plan": 1,
    "columns.stale.personnel": 0, "columns.blank": 0, "columns.overdue": 0, "columns.inaccurate": 0,
    "interaction.consultation.valid_messages": 41, "interaction.consultation.overdue_messages": 0,
    "interaction.survey.activities": 4, "interaction.interview.activities": 2,
    "services.missing_element_categories": 1, "services.attachments_not_offered": 2,
    "services.attachments_broken": 0, "services.online_systems_unreachable": 0,
    "content.confirmed": 0, "content.unconfirmed": 0, "备注": "ignored",
}


def test_flat_row_scores_like_the_counts_example():
    # examples/observations/counts-only.json says the same in observation form: 36.7 points, pass
    expected = pucha.score(json.loads((ROOT / "examples/observations/counts-only.json").read_text(encoding="utf-8")))
    [row] = pucha.Engine().score_table([ROW])
    assert row["verdict"] == "pass" and row["score"] == expected["score"] == 63.3
    for r in expected["rules"]:
        assert row[r["id"]] == r["points"], r["id"]
    assert row["site.name"] == "示例县" and "备注" not in row


def test_dataframe_and_csv(tmp_path):
    pd = pytest.importorskip("pandas")
    rows = [dict(ROW, **{"site.name": f"站点{i}", "links.other_broken": 31 + 40 * i}) for i in range(3)]
    df = pd.DataFrame(rows)
    df["monitoring_point"] = pd.to_datetime(df["monitoring_point"])
    out = pucha.Engine().score_table(df)
    assert list(out["verdict"]) == ["pass", "fail", "fail"]
    assert list(out["link-availability"]) == [5.1, 9.1, 13.1]
    assert out.loc[1, "total_deduction"] == pytest.approx(40.7)
    path = tmp_path / "sites.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    again = pucha.Engine().score_table(str(path))
    assert list(again["score"]) == list(out["score"])


def test_mapping_renames_columns():
    row = {"监测时间点": "2015-11-15", "首页错链": 3, "名称": "x"}
    [out] = pucha.Engine().score_table([row], mapping={"监测时间点": "monitoring_point", "首页错链": "links.homepage_broken",
                                                       "名称": "site.name"})
    # 3 homepage links at 1 point; other pages not given, so the rule is applied but the row is incomplete
    assert (out["link-availability"], out["complete"], out["site.name"]) == (3.0, False, "x")


def test_bad_rows():
    bad = dict(ROW, **{"availability.failures": 2.5})
    with pytest.raises(pucha.ObservationError) as e:
        pucha.Engine().score_table([ROW, bad])
    assert (e.value.index, e.value.code, e.value.path) == (1, "invalid_type", "availability.failures")
    out = pucha.Engine().score_table([ROW, bad], errors="return")
    assert out[0]["error"] is None and out[1]["verdict"] is None and "应为非负整数，实为数 2.5" in out[1]["error"]
    with pytest.raises(pucha.ObservationError) as e:
        pucha.Engine().score_table([dict(ROW, **{"links.other_brokn": 1})])
    assert e.value.code == "unknown_field" and e.value.help == "did you mean `links.other_broken`?"
    with pytest.raises(pucha.ObservationError):
        pucha.Engine().score_table([1, 2])


def test_flat_columns_are_documented():
    doc = (ROOT / "docs" / "python.md").read_text(encoding="utf-8")
    for name in pucha.flat_columns():
        assert f"`{name}`" in doc, name


def test_a_moment_with_its_zone_is_dated_in_china_standard_time():
    # 2015-11-14 20:00 UTC is 2015-11-15 04:00 in China: the monitoring point is the 15th, as score() reads a
    # timestamp, whatever the analyst's machine's zone.
    import datetime as dt

    utc = dt.datetime(2015, 11, 14, 20, 0, tzinfo=dt.timezone.utc)
    [row] = pucha.Engine().score_table([dict(ROW, monitoring_point=utc)])
    assert row["monitoring_point"] == "2015-11-15"
    naive = dt.datetime(2015, 11, 14, 20, 0)
    [row] = pucha.Engine().score_table([dict(ROW, monitoring_point=naive)])
    assert row["monitoring_point"] == "2015-11-14"
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame([ROW, ROW])
    df["monitoring_point"] = pd.to_datetime(["2015-11-14T20:00:00Z", "2015-11-15T15:59:00Z"])
    out = pucha.Engine().score_table(df)
    assert list(out["monitoring_point"]) == ["2015-11-15", "2015-11-15"]
