"""pucha.summarize: roll-ups of reports or summaries as a DataFrame, checked against a hand count."""

import pytest

import pucha


# Everything but availability observed and clean, so every verdict is decided.
CLEAN = {
    "links": {"homepage_broken": 0, "other_broken": 0},
    "homepage": {"updates_in_window": 12},
    "columns": [
        {"name": "要闻", "category": "other", "on_homepage": True, "item_count": 50},
        {"name": "工作动态", "category": "dynamics", "last_published": "2015-06-29"},
        {"name": "通知公告", "category": "notice", "last_published": "2015-06-20"},
    ],
    "interaction": {
        "consultation": {"exists": True, "valid_messages": 3, "overdue_messages": 0},
        "survey": {"exists": True, "activities": 8},
        "interview": {"exists": True, "activities": 8},
    },
    "services": {"missing_element_categories": 0, "attachments_not_offered": 0, "attachments_broken": 0,
                 "online_systems_unreachable": 0},
    "content_findings": [],
}


def sites(n=120):
    # Site i: 1000 visits, i % 60 failures (f / 2 points; a veto from 50), region by i % 3.
    return [
        {
            "monitoring_point": "2015-06-30",
            "site": {"name": f"站点{i}", "region": "甲乙丙"[i % 3], "kind": "portal" if i % 2 == 0 else "other"},
            "availability": {"visits": 1000, "failures": i % 60, "days": 7},
            **CLEAN,
        }
        for i in range(n)
    ]


def test_summaries_by_region_match_the_hand_count():
    engine = pucha.Engine()
    summaries = engine.score_many(sites(), workers=2, detail="summary")
    df = pucha.summarize(summaries, by="region")
    # Regions without a 行政区划代码 in pinyin order (bǐng, jiǎ, yǐ), then the whole.
    assert list(df["group"]) == ["丙", "甲", "乙", "*"]
    for key, k in (("甲", 0), ("乙", 1), ("丙", 2)):
        fails = [i % 60 for i in range(120) if i % 3 == k]
        vetoed = sum(f >= 50 for f in fails)
        kept = [f / 2 for f in fails if f < 50]
        row = df[df["group"] == key].iloc[0]
        assert row["sites"] == len(fails)
        assert row["fail"] == vetoed and row["vetoed"] == vetoed
        assert row["pass"] == len(fails) - vetoed and row["undetermined"] == 0
        assert row["mean_deduction"] == pytest.approx(sum(kept) / len(kept))
        assert row["vetoes"] == ({"site-unreachable": vetoed} if vetoed else {})
        assert row["deduction 0–10"] == sum(d < 10 for d in kept)
    total = df[df["group"] == "*"].iloc[0]
    assert (total["sites"], total["vetoed"]) == (120, 20)
    assert total["label"] == "全部网站"
    assert df.attrs["rollup"]["schema"] == "pucha.rollup/1"


def test_full_reports_and_summaries_agree():
    engine = pucha.Engine()
    obs = sites(60)
    a = pucha.summarize(engine.score_many(obs), by="kind")
    b = pucha.summarize(engine.score_many(obs, detail="summary"), by="kind")
    assert a.drop(columns=["vetoes", "problems"]).equals(b.drop(columns=["vetoes", "problems"]))
    assert list(a["problems"]) == list(b["problems"])
    assert list(a["label"]) == ["部门及其他网站", "政府门户网站", "全部网站"]


def test_bad_reports_raise_report_error():
    with pytest.raises(pucha.ReportError) as e:
        pucha.summarize([{"schema": "pucha.observation/1"}])
    assert e.value.code in ("unsupported_schema", "invalid_value")
    assert isinstance(e.value, ValueError)
    with pytest.raises(pucha.ReportError) as e:
        pucha.summarize(["{not json"])
    assert e.value.code == "json_syntax" and e.value.path == "reports[0]"
    with pytest.raises(pucha.ReportError):
        pucha.summarize([], by="province")
    empty = pucha.summarize([])
    assert list(empty["group"]) == ["*"] and empty["sites"][0] == 0
