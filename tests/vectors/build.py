#!/usr/bin/env python3
"""Writes the shared test vectors (tests/vectors/<area>/*.json).

Every `expected` value below is worked out by hand from ../shared/spec (the arithmetic is in the comments), never
taken from the engine's output. Run `python3 tests/vectors/build.py` after editing; commit the JSON.
"""
import json
import os
from datetime import date, timedelta

HERE = os.path.dirname(os.path.abspath(__file__))


def site(kind="portal", **kw):
    return {"name": "测试网站", "kind": kind, **kw}


def obs(point, kind="portal", site_extra=None, **facts):
    o = {"schema": "pucha.observation/1", "monitoring_point": point, "site": site(kind, **(site_extra or {}))}
    o.update(facts)
    return o


def d(s):
    return date.fromisoformat(s)


def items(prefix, dates, url=True):
    out = []
    for i, x in enumerate(dates):
        it = {"title": f"{prefix}{i}", "published": x}
        if url:
            it["url"] = f"http://t.gov.cn/{prefix}/{i}.html"
        out.append(it)
    return out


def days_back(point, n, step=1):
    p = d(point)
    return [(p - timedelta(days=i * step)).isoformat() for i in range(n)]


def case(name, observation, expected, params=None):
    c = {"name": name, "observation": observation, "expected": expected}
    if params:
        c["params"] = params
    return c


def write(area, name, description, cases, pack="census-2015", params=None):
    os.makedirs(os.path.join(HERE, area), exist_ok=True)
    v = {"description": description, "pack": pack, "cases": cases}
    if params:
        v["params"] = params
    with open(os.path.join(HERE, area, name + ".json"), "w", encoding="utf-8") as f:
        json.dump(v, f, ensure_ascii=False, indent=1)
        f.write("\n")


P = "2015-06-30"

# ------------------------------------------------------------------ availability
write("census-2015", "availability", "站点无法访问 / 首页可用性: the 5 % boundary, proration, the 15 s limit, CST dates, probe faults", [
    case("4.9 % is under the veto: 5 × 4.9 = 24.5 points; the other vetoes lack data, so the verdict is undetermined",
         obs(P, availability={"visits": 1000, "failures": 49, "days": 7}),
         {"vetoes": [], "verdict": "undetermined", "verdict_basis": "missing_data", "total_deduction": 24.5, "score": 75.5,
          "complete": False,
          "rules": {"site-unreachable": {"status": "passed"}, "homepage-availability": {"status": "applied", "points": 24.5, "counted": True}}}),
    case("exactly 5 % vetoes (超过（含）5%); homepage availability is 'veto instead': not_applicable, no points",
         obs(P, availability={"visits": 1000, "failures": 50, "days": 7}),
         {"vetoes": ["site-unreachable"], "verdict": "fail", "verdict_basis": "veto", "score": None, "total_deduction": 0,
          "uncounted_deduction": 0,
          "rules": {"site-unreachable": {"status": "applied"},
                    "homepage-availability": {"status": "not_applicable", "points": 0, "points_max": 0, "counted": False}}}),
    case("2.5 % linear: 12.5 points",
         obs(P, availability={"visits": 200, "failures": 5}),
         {"rules": {"homepage-availability": {"points": 12.5}}}),
    case("2.5 % whole-percent: floor(2.5) × 5 = 10 points",
         obs(P, availability={"visits": 200, "failures": 5}),
         {"rules": {"homepage-availability": {"points": 10}}}, params={"proration": "whole-percent"}),
    case("17/672 = 2.5298 %: 12.649 rounds half-up to 12.6",
         obs(P, availability={"visits": 672, "failures": 17, "days": 7}),
         {"rules": {"homepage-availability": {"points": 12.6}}}),
    case("3/800 = 0.375 %: 5 × 0.375 = 1.875 rounds half-up to 1.9",
         obs(P, availability={"visits": 800, "failures": 3}),
         {"rules": {"homepage-availability": {"points": 1.9}}}),
    case("1/40 000 = 0.0025 %: 5 × 0.0025 = 0.0125 rounds half-up to 0.0, which deducts nothing: passed, not applied",
         obs(P, availability={"visits": 40000, "failures": 1, "days": 7}),
         {"total_deduction": 0, "rules": {"homepage-availability": {"status": "passed", "points": 0, "counted": False}}}),
    case("1/20 000 = 0.005 %: 5 × 0.005 = 0.025 rounds half-up to 0.0: passed",
         obs(P, availability={"visits": 20000, "failures": 1, "days": 7}),
         {"rules": {"homepage-availability": {"status": "passed", "points": 0}}}),
    case("1/10 000 = 0.01 %: 5 × 0.01 = 0.05 rounds half-up to 0.1: applied",
         obs(P, availability={"visits": 10000, "failures": 1, "days": 7}),
         {"total_deduction": 0.1, "rules": {"homepage-availability": {"status": "applied", "points": 0.1, "counted": True}}}),
    case("raw samples: 14 999 ms opens, 15 000 ms fails, a 503 fails, a probe fault and an out-of-window sample are excluded; UTC converted to CST",
         obs(P, availability={"samples": [
             {"at": "2015-06-22T16:30:00Z", "ok": True, "elapsed_ms": 14999, "status": 200},   # 2015-06-23 00:30 CST: in the 1-week window
             {"at": "2015-06-22T15:59:00Z", "ok": False, "error": "timeout"},                 # 2015-06-22 23:59 CST: outside
             {"at": "2015-06-30T10:00:00+08:00", "ok": True, "elapsed_ms": 15000, "status": 200},
             {"at": "2015-06-30T10:15:00+08:00", "ok": False, "elapsed_ms": 300, "status": 503},
             {"at": "2015-06-30T10:30:00+08:00", "ok": False, "error": "prober offline", "probe_fault": True},
         ]}),
         {"vetoes": ["site-unreachable"], "warnings": ["probe_faults_excluded", "samples_outside_window", "sampling_below_standard"],
          "rules": {"site-unreachable": {"status": "applied", "observed": {"visits": 3, "failures": 2}}}}),
    case("no visits at all: no data, never a pass",
         obs(P, availability={"samples": []}),
         {"complete": False, "rules": {"site-unreachable": {"status": "no_data"}, "homepage-availability": {"status": "no_data", "points": 0}}}),
    case("counted days below 7: sampling warning",
         obs(P, availability={"visits": 100, "failures": 0, "days": 3}),
         {"warnings": ["sampling_below_standard"], "rules": {"homepage-availability": {"status": "passed", "points": 0}}}),
])

# ------------------------------------------------------------------ links
HOME = "http://t.gov.cn/"
BROKEN = [
    {"url": "http://t.gov.cn/a", "found_on": HOME, "depth": 0, "kind": "page", "status": 404},
    {"url": "http://t.gov.cn/a", "found_on": ["http://t.gov.cn/p1"], "depth": 2, "kind": "page", "status": 404},
    {"url": "http://t.gov.cn/b.jpg", "found_on": ["http://t.gov.cn/p1", "http://t.gov.cn/p2", "http://t.gov.cn/p3"], "depth": 2, "kind": "image", "status": 404},
    {"url": "http://t.gov.cn/c", "found_on": ["http://t.gov.cn/nav"], "depth": 1, "kind": "page", "error": "connection reset"},
]
write("census-2015", "links", "链接可用性: distinct targets vs occurrences, navigation-only homepage, exact tenths", [
    case("distinct-url: a (homepage, also elsewhere) once at 1; b and c at 0.1 each → 1.2",
         obs(P, links={"broken": BROKEN}),
         {"rules": {"link-availability": {"status": "applied", "points": 1.2, "observed": {"homepage_broken": 1, "other_broken": 2}}}}),
    case("occurrence: a on the homepage 1 + a on p1 0.1 + b on 3 pages 0.3 + c 0.1 → 1.5",
         obs(P, links={"broken": BROKEN}),
         {"rules": {"link-availability": {"points": 1.5, "observed": {"homepage_broken": 1, "other_broken": 5}}}},
         params={"link_count": "occurrence"}),
    case("navigation-only homepage: second-level links count at 1 point → a, c = 2; b = 0.1 → 2.1",
         obs(P, site_extra={"homepage_navigation_only": True}, links={"broken": BROKEN}),
         {"rules": {"link-availability": {"points": 2.1}}}),
    case("0.1 × 27 is exactly 2.7",
         obs(P, links={"homepage_broken": 0, "other_broken": 27}),
         {"rules": {"link-availability": {"points": 2.7}}}),
    case("raw and counts disagree: raw wins, warning",
         obs(P, links={"broken": BROKEN, "homepage_broken": 5, "other_broken": 2}),
         {"warnings": ["counts_mismatch"], "rules": {"link-availability": {"points": 1.2}}}),
    case("no link data: no_data",
         obs(P),
         {"rules": {"link-availability": {"status": "no_data"}}}),
])

# ------------------------------------------------------------------ homepage updates (point 2015-03-01; 2w = 2015-02-15..2015-03-01)
Q = "2015-03-01"
IN9 = days_back(Q, 9)  # 03-01 .. 02-21
write("census-2015", "homepage-updates", "网站不更新 / 首页栏目: 10 items, window ends, duplicates, undated and future items, navigation-only homepage", [
    case("9 new items: 5 points",
         obs(Q, columns=[{"name": "要闻", "category": "dynamics", "on_homepage": True, "items": items("y", IN9)}]),
         {"rules": {"homepage-updates": {"status": "applied", "points": 5}, "site-not-updated": {"status": "passed"}}}),
    case("window start 2015-02-15 is included: 9 + 1 = 10 items, no deduction",
         obs(Q, columns=[{"name": "要闻", "category": "dynamics", "on_homepage": True, "items": items("y", IN9 + ["2015-02-15"])}]),
         {"rules": {"homepage-updates": {"status": "passed", "points": 0, "observed": {"updates": 10}}}}),
    case("2015-02-14 is outside: 9 items, 5 points",
         obs(Q, columns=[{"name": "要闻", "category": "dynamics", "on_homepage": True, "items": items("y", IN9 + ["2015-02-14"])}]),
         {"rules": {"homepage-updates": {"points": 5, "observed": {"updates": 9}}}}),
    case("nothing new in 2 weeks: veto 网站不更新",
         obs(Q, columns=[{"name": "要闻", "category": "dynamics", "on_homepage": True, "items": items("y", ["2015-02-14", "2015-01-20"])}]),
         {"vetoes": ["site-not-updated"], "verdict": "fail", "rules": {"site-not-updated": {"status": "applied"}}}),
    case("an item shown in two homepage columns counts once: 10 listings, 9 items",
         obs(Q, columns=[
             {"name": "要闻", "category": "dynamics", "on_homepage": True, "items": items("y", IN9)},
             {"name": "图片新闻", "category": "dynamics", "on_homepage": True, "items": items("y", IN9[:1])},
         ]),
         {"rules": {"homepage-updates": {"points": 5, "observed": {"updates": 9}}}}),
    case("undated items are not updates: 8 dated + 2 undated = 8",
         obs(Q, columns=[{"name": "要闻", "category": "dynamics", "on_homepage": True,
                          "items": items("y", IN9[:8]) + [{"title": "无日期1", "published": None}, {"title": "无日期2"}]}]),
         {"rules": {"homepage-updates": {"points": 5, "observed": {"updates": 8}}}}),
    case("an item dated after the point is not an update and is reported",
         obs(Q, columns=[{"name": "要闻", "category": "dynamics", "on_homepage": True, "items": items("y", IN9 + ["2015-03-05"])}]),
         {"warnings": ["future_dated"], "rules": {"homepage-updates": {"points": 5, "observed": {"updates": 9}}}}),
    case("navigation-only homepage: second-level columns stand in (12 items, no deduction)",
         obs(Q, site_extra={"homepage_navigation_only": True},
             columns=[{"name": "政务动态", "category": "dynamics", "level": 1, "items": items("z", days_back(Q, 12))}]),
         {"rules": {"homepage-updates": {"status": "passed", "observed": {"updates": 12}}, "site-not-updated": {"status": "passed"}}}),
    case("counted: 9 updates in the window, 5 points",
         obs(Q, homepage={"updates_in_window": 9}),
         {"rules": {"homepage-updates": {"points": 5}}}),
    case("counted: 0 updates, veto",
         obs(Q, homepage={"updates_in_window": 0}),
         {"vetoes": ["site-not-updated"]}),
])

# ------------------------------------------------------------------ column vetoes (point 2015-08-31: 2w from 08-17, 6mo from 02-28 clamped)
R = "2015-08-31"


def col(name, cat, last=None, **kw):
    c = {"name": name, "category": cat, **kw}
    if last:
        c["last_published"] = last
    return c


NEWS3 = [col(f"动态{i}", "dynamics", "2015-08-01") for i in range(3)]
write("census-2015", "columns", "栏目不更新: (a) 5 news+notice/policy, (b) 10 should-update, (c) 5 blank; month-end clamping; blank vs undated", [
    case("(a) 3 news stale + 2 notice/policy stale = 5: veto",
         obs(R, columns=NEWS3 + [col("通知公告", "notice", "2015-01-10"), col("政策文件", "policy", "2014-12-01")]),
         {"vetoes": ["columns-not-updated"], "rules": {"columns-not-updated": {"observed": {"news_stale": 3, "notice_stale": 2}}}}),
    case("(a) 3 + 1 = 4: no veto; basic-info 3×3 + 4 = 13",
         obs(R, columns=NEWS3 + [col("通知公告", "notice", "2015-01-10"), col("政策文件", "policy", "2015-05-01")]),
         {"vetoes": [], "rules": {"columns-not-updated": {"status": "passed"}, "basic-info": {"points": 13}}}),
    case("6 months back from 08-31 clamps to 02-28: a notice of 02-28 is fresh, one of 02-27 is stale → 3 + 1 = 4",
         obs(R, columns=NEWS3 + [col("通知公告", "notice", "2015-02-28"), col("政策文件", "policy", "2015-02-27")]),
         {"vetoes": [], "rules": {"columns-not-updated": {"observed": {"notice_stale": 1}}, "basic-info": {"points": 13}}}),
    case("(b) 10 should-update columns past a 1-month cycle: veto",
         obs(R, columns=[col(f"专栏{i}", "other", "2015-07-01", should_update=True, update_cycle="1mo") for i in range(10)]),
         {"vetoes": ["columns-not-updated"], "rules": {"columns-not-updated": {"observed": {"long_stale": 10}}}}),
    case("(b) 9: no veto; a column on 07-31 (= 08-31 − 1 month) is within its cycle",
         obs(R, columns=[col(f"专栏{i}", "other", "2015-07-01", should_update=True, update_cycle="1个月") for i in range(9)]
             + [col("专栏x", "other", "2015-07-31", should_update=True, update_cycle="1mo")]),
         {"vetoes": [], "rules": {"columns-not-updated": {"observed": {"long_stale": 9}}}}),
    case("(b) default cycle 1 year: 2014-08-30 is overdue, 2014-08-31 is not",
         obs(R, columns=[col("甲", "other", "2014-08-30", should_update=True), col("乙", "other", "2014-08-31", should_update=True)]),
         {"rules": {"columns-not-updated": {"observed": {"long_stale": 1}}}}),
    case("(b) parameter should_update_cycle = 2y: neither is overdue",
         obs(R, columns=[col("甲", "other", "2014-08-30", should_update=True), col("乙", "other", "2014-08-31", should_update=True)]),
         {"rules": {"columns-not-updated": {"observed": {"long_stale": 0}}}}, params={"should_update_cycle": "2y"}),
    case("(c) 5 blank columns: veto",
         obs(R, columns=[{"name": f"空{i}", "category": "other", "items": []} for i in range(4)] + [col("空4", "other", blank=True)]),
         {"vetoes": ["columns-not-updated"], "rules": {"columns-not-updated": {"observed": {"blank": 5}}}}),
    case("(c) 4 blank + 1 with only undated items (not blank, but not updated): no veto",
         obs(R, columns=[{"name": f"空{i}", "category": "other", "items": []} for i in range(4)]
             + [{"name": "无日期", "category": "other", "items": [{"title": "x", "published": None}]}]),
         {"vetoes": [], "rules": {"columns-not-updated": {"observed": {"blank": 4}}}}),
    case("a column that says nothing about its content: one column cannot reach 5 or 10, so the veto is passed; its 4 points are open",
         obs(R, columns=[{"name": "未知", "category": "notice"}]),
         {"complete": False, "rules": {"columns-not-updated": {"status": "passed"},
                                       "basic-info": {"status": "no_data", "points": 0, "points_max": 4}}}),
])

# ------------------------------------------------------------------ basic info (point 2015-06-30: 2w from 06-16, 6mo from 12-30, 1y from 2014-06-30)
write("census-2015", "basic-info", "基本信息: 3/4/5 points per stale column by category, 1 per inaccurate item, undated columns", [
    case("news 06-15 stale (3), notice 01-01 fresh, policy 2014-12-29 stale (4), personnel blank (5), plan 2014-06-30 fresh, 2 inaccurate (2) → 14",
         obs(P, columns=[
             col("工作动态", "dynamics", "2015-06-15"),
             col("通知公告", "notice", "2015-01-01"),
             col("政策文件", "policy", "2014-12-29"),
             {"name": "人事信息", "category": "人事信息", "items": []},
             col("规划计划", "plan", "2014-06-30"),
             col("机构职能", "organization", "2015-01-01", inaccurate=2),
         ]),
         {"rules": {"basic-info": {"status": "applied", "points": 14,
                                   "observed": {"news_stale": 1, "notice_stale": 1, "plan_stale": 1, "inaccurate": 2}}}}),
    case("a news column with only undated items is stale: 3",
         obs(P, columns=[{"name": "要闻", "category": "要闻", "items": [{"title": "无日期", "published": None}]}]),
         {"rules": {"basic-info": {"points": 3}}}),
    case("everything fresh: passed",
         obs(P, columns=[col("工作动态", "dynamics", "2015-06-16"), col("通知公告", "notice", "2014-12-30"), col("人事", "personnel", "2015-06-30")]),
         {"rules": {"basic-info": {"status": "passed", "points": 0}}}),
])

# ------------------------------------------------------------------ interaction (point 2015-06-30; 1y from 2014-06-30)
def consult(*msgs, **kw):
    return {"consultation": {"exists": True, "messages": list(msgs), **kw}}


def msg(asked, answered=None, valid=True):
    m = {"asked": asked, "answered": answered}
    if not valid:
        m["valid"] = False
    return m


write("census-2015", "interaction", "互动回应差 / 政务咨询 / 调查征集 / 互动访谈: 3-month waits, month ends, valid letters, site-kind thresholds", [
    case("no consultation column: 5 points",
         obs(P, interaction={"consultation": {"exists": False}}),
         {"rules": {"consultation": {"status": "applied", "points": 5}, "poor-response": {"status": "passed"}}}),
    case("column but no valid message in the year (one invalid, one before the window): 5 points",
         obs(P, interaction=consult(msg("2015-03-01", "2015-03-02", valid=False), msg("2014-06-29", "2014-07-01"))),
         {"rules": {"consultation": {"points": 5, "observed": {"valid": 0}}}}),
    case("answered exactly 3 months later (03-01 → 06-01) is not overdue",
         obs(P, interaction=consult(msg("2015-03-01", "2015-06-01"))),
         {"vetoes": [], "rules": {"poor-response": {"status": "passed"}, "consultation": {"status": "passed"}}}),
    case("answered 3 months and a day later (03-01 → 06-02): veto",
         obs(P, interaction=consult(msg("2015-03-01", "2015-06-02"))),
         {"vetoes": ["poor-response"], "rules": {"poor-response": {"status": "applied", "observed": {"overdue": 1}}}}),
    case("unanswered, asked 03-30: waits until the point 06-30 = exactly 3 months, not overdue",
         obs(P, interaction=consult(msg("2015-03-30"))),
         {"vetoes": []}),
    case("unanswered, asked 03-29: overdue at the point, veto",
         obs(P, interaction=consult(msg("2015-03-29"))),
         {"vetoes": ["poor-response"]}),
    case("month end: asked 2014-11-30, limit clamps to 2015-02-28; answered 02-28 is in time",
         obs(P, interaction=consult(msg("2014-11-30", "2015-02-28"))),
         {"vetoes": []}),
    case("month end: asked 2014-11-30, answered 2015-03-01 is overdue",
         obs(P, interaction=consult(msg("2014-11-30", "2015-03-01"))),
         {"vetoes": ["poor-response"]}),
    case("an invalid (spam/test) message left unanswered does not veto",
         obs(P, interaction=consult(msg("2015-06-01", "2015-06-02"), msg("2015-01-01", None, valid=False))),
         {"vetoes": []}),
    case("window: asked 2014-06-29 unanswered is outside; 2014-06-30 is inside and overdue",
         obs(P, interaction=consult(msg("2014-06-29"), msg("2014-06-30"))),
         {"vetoes": ["poor-response"], "rules": {"poor-response": {"observed": {"overdue": 1}}}}),
    case("counted: valid messages 0 → 5 points",
         obs(P, interaction={"consultation": {"exists": True, "valid_messages": 0, "overdue_messages": 0}}),
         {"vetoes": [], "rules": {"consultation": {"points": 5}}}),
    case("counted: 2 of 5 valid messages overdue → veto",
         obs(P, interaction={"consultation": {"exists": True, "valid_messages": 5, "overdue_messages": 2}}),
         {"vetoes": ["poor-response"], "rules": {"consultation": {"status": "passed"}}}),
    case("columns listed but none marked on the homepage: homepage updates are no_data, not a veto",
         obs(P, columns=[col("工作动态", "dynamics", "2015-06-29")]),
         {"vetoes": [], "warnings": ["no_homepage_columns"], "rules": {"site-not-updated": {"status": "no_data"}, "homepage-updates": {"status": "no_data"}}}),
    case("survey: portal with 5 activities (< 6) → 3",
         obs(P, interaction={"survey": {"exists": True, "activities": 5}}),
         {"rules": {"survey": {"status": "applied", "points": 3}}}),
    case("survey: portal with 6 → passed",
         obs(P, interaction={"survey": {"exists": True, "activities": 6}}),
         {"rules": {"survey": {"status": "passed", "points": 0}}}),
    case("survey: other site with 5 (≥ 3) → passed; with dated list only in-window ones count",
         obs(P, kind="other", interaction={"survey": {"exists": True, "activities": [
             {"date": d_} for d_ in ["2015-06-01", "2015-03-01", "2014-12-01", "2014-09-01", "2014-06-30", "2014-06-29"]]}}),
         {"rules": {"survey": {"status": "passed", "observed": {"activities": 5}}}}),
    case("survey: other site with 2 → 3",
         obs(P, kind="other", interaction={"survey": {"exists": True, "activities": 2}}),
         {"rules": {"survey": {"points": 3}}}),
    case("survey: no column → 5; unusable → 5; none held → 5",
         obs(P, interaction={"survey": {"exists": False}}),
         {"rules": {"survey": {"points": 5}}}),
    case("survey: unusable column → 5",
         obs(P, interaction={"survey": {"exists": True, "usable": False, "activities": 9}}),
         {"rules": {"survey": {"points": 5}}}),
    case("survey: parameter portal_min_activities = 4 → 5 activities pass",
         obs(P, interaction={"survey": {"exists": True, "activities": 5}}),
         {"rules": {"survey": {"status": "passed"}}}, params={"portal_min_activities": "4"}),
    case("survey: site kind unknown and 5 activities → cannot decide: no_data",
         {"monitoring_point": P, "site": {"name": "x"}, "interaction": {"survey": {"exists": True, "activities": 5}}},
         {"rules": {"survey": {"status": "no_data"}}, "complete": False}),
    case("interview: no column → not applicable (no item for a missing column)",
         obs(P, interaction={"interview": {"exists": False}}),
         {"rules": {"interview": {"status": "not_applicable", "points": 0}}}),
    case("interview: unusable → 5; portal with 2 → 3",
         obs(P, interaction={"interview": {"exists": True, "usable": False}}),
         {"rules": {"interview": {"points": 5}}}),
    case("interview: portal with 2 interviews → 3",
         obs(P, interaction={"interview": {"exists": True, "activities": 2}}),
         {"rules": {"interview": {"points": 3}}}),
])

# ------------------------------------------------------------------ services
write("census-2015", "services", "办事指南 / 附件下载 / 在线系统: categories once, cap 16, review-only findings", [
    case("phone missing twice counts once: phone, hours, process = 3 categories × 2 = 6",
         obs(P, services={"guides": [
             {"name": "甲", "missing_elements": ["联系电话", "办理时间"]},
             {"name": "乙", "missing_elements": ["phone", "process"]}]}),
         {"rules": {"service-guides": {"status": "applied", "points": 6, "observed": {"missing": 3}}}}),
    case("all 8 categories missing: 16 (the cap)",
         obs(P, services={"guides": [{"name": "甲", "missing_elements": ["name", "basis", "conditions", "materials", "location", "hours", "phone", "process"]}]}),
         {"rules": {"service-guides": {"points": 16}}}),
    case("counted 9 categories (bad data) still caps at 16",
         obs(P, services={"missing_element_categories": 9}),
         {"rules": {"service-guides": {"points": 16}}}),
    case("inaccurate elements only: needs review, 0 points",
         obs(P, services={"guides": [{"name": "甲", "inaccurate_elements": ["办理地点"]}]}),
         {"rules": {"service-guides": {"status": "needs_review", "points": 0, "review": 1}}}),
    case("downloads: 2 not offered + 1 broken = 3",
         obs(P, services={"guides": [{"name": "甲", "attachments_not_offered": 2, "attachments_broken": ["表.doc"]}]}),
         {"rules": {"downloads": {"points": 3}}}),
    case("online systems: 2 unreachable × 3 = 6",
         obs(P, services={"online_systems": [
             {"name": "a", "url": "http://a", "reachable": False}, {"name": "b", "url": "http://b", "reachable": False},
             {"name": "c", "url": "http://c", "reachable": True}]}),
         {"rules": {"online-systems": {"points": 6}}}),
])

# ------------------------------------------------------------------ serious errors
F = {"kind": "serious_typo", "url": "http://t.gov.cn/x", "excerpt": "深化改格", "expected": "深化改革"}
write("census-2015", "serious-error", "严重错误: confirmed vetoes, unconfirmed asks for review, none passes, unscreened is no data", [
    case("confirmed finding: veto", obs(P, content_findings=[{**F, "confirmed": True}]),
         {"vetoes": ["serious-error"], "verdict": "fail"}),
    case("unconfirmed only: needs_review, no veto", obs(P, content_findings=[F]),
         {"vetoes": [], "rules": {"serious-error": {"status": "needs_review", "review": 1}}}),
    case("screened, nothing found: passed", obs(P, content_findings=[]),
         {"rules": {"serious-error": {"status": "passed"}}}),
    case("not screened: no_data", obs(P),
         {"rules": {"serious-error": {"status": "no_data"}}, "complete": False}),
])

# ------------------------------------------------------------------ verdict
FULL = dict(
    availability={"visits": 700, "failures": 0, "days": 7},
    links={"homepage_broken": 0, "other_broken": 0},
    homepage={"updates_in_window": 30},
    columns=[col("工作动态", "dynamics", "2015-06-29"), col("通知公告", "notice", "2015-06-01"), col("政策文件", "policy", "2015-05-01"),
             col("人事信息", "personnel", "2015-03-01"), col("规划计划", "plan", "2015-01-01")],
    interaction={"consultation": {"exists": True, "valid_messages": 12, "overdue_messages": 0},
                 "survey": {"exists": True, "activities": 8}, "interview": {"exists": True, "activities": 7}},
    services={"missing_element_categories": 0, "inaccurate_elements": 0, "attachments_not_offered": 0, "attachments_broken": 0,
              "online_systems_unreachable": 0},
    content_findings=[],
)
write("census-2015", "verdict", "The 40-point rule (40.0 passes, 40.1 fails), veto short-circuit, complete data", [
    case("complete and clean: 100, pass, complete",
         obs(P, **FULL),
         {"verdict": "pass", "verdict_basis": "deductions", "score": 100, "total_deduction": 0, "complete": True, "vetoes": [],
          "rules": {r: {"status": "passed", "points": 0} for r in ["site-unreachable", "homepage-availability", "link-availability", "basic-info", "survey", "interview"]}}),
    case("exactly 40.0 passes (400 other-page links × 0.1)",
         obs(P, **{**FULL, "links": {"homepage_broken": 0, "other_broken": 400}}),
         {"verdict": "pass", "verdict_basis": "deductions", "total_deduction": 40, "score": 60, "complete": True}),
    case("40.1 fails (超过40分)",
         obs(P, **{**FULL, "links": {"homepage_broken": 0, "other_broken": 401}}),
         {"verdict": "fail", "verdict_basis": "threshold", "total_deduction": 40.1, "score": 59.9}),
    case("36 + 4.1 = 40.1 across rules fails",
         obs(P, **{**FULL, "links": {"homepage_broken": 36, "other_broken": 41}}),
         {"verdict": "fail", "total_deduction": 40.1}),
    case("veto short-circuits: deductions computed but not counted",
         obs(P, **{**FULL, "links": {"homepage_broken": 3, "other_broken": 0}, "content_findings": [{**F, "confirmed": True}]}),
         {"verdict": "fail", "verdict_basis": "veto", "score": None, "total_deduction": 0, "uncounted_deduction": 3,
          "vetoes": ["serious-error"], "rules": {"link-availability": {"status": "applied", "points": 3, "counted": False}}}),
    case("two vetoes both listed",
         obs(P, **{**FULL, "availability": {"visits": 100, "failures": 9}, "content_findings": [{**F, "confirmed": True}]}),
         {"vetoes": ["serious-error", "site-unreachable"]}),
])


# ------------------------------------------------------------------ partial data (spec report.md "Verdicts on partial data")
REPROS = os.path.join(HERE, "..", "repros", "census-2015")


def repro(name):
    with open(os.path.join(REPROS, name + ".json"), encoding="utf-8") as f:
        return json.load(f)


CLEAN = {"availability": {"visits": 168, "failures": 0, "days": 7}, "links": {"homepage_broken": 0, "other_broken": 0},
         "interaction": {"consultation": {"exists": True, "valid_messages": 3, "overdue_messages": 0},
                         "survey": {"exists": True, "activities": 8}, "interview": {"exists": True, "activities": 8}},
         "services": {"missing_element_categories": 0, "attachments_not_offered": 0, "attachments_broken": 0,
                      "online_systems_unreachable": 0},
         "content_findings": []}
FRESH = [{"name": "首页要闻", "category": "dynamics", "on_homepage": True, "items": items("yw", days_back(P, 12))},
         col("通知公告", "notice", "2015-06-20"), col("政策文件", "policy", "2015-06-01"),
         col("人事信息", "personnel", "2015-05-01"), col("规划计划", "plan", "2015-04-01")]
write("census-2015", "partial-data", "Verdicts on partial data: measures are intervals, a verdict holds for every completion of the missing data", [
    case("E1a: five columns known blank fire 'blank ≥ 5' whatever a sixth column holds",
         repro("E1a-blank-veto-masked-by-unknown-column"),
         {"verdict": "fail", "verdict_basis": "veto", "total_deduction": 0, "vetoes": ["columns-not-updated"],
          "rules": {"columns-not-updated": {"status": "applied"}}}),
    case("E1b: five news columns stale, 5 + [0, 1] ≥ 5 vetoes; basic-info charges the 5 certain columns (15) and leaves the 6th open (18)",
         repro("E1b-stale-veto-masked-by-unknown-column"),
         {"verdict": "fail", "verdict_basis": "veto", "total_deduction": 0, "vetoes": ["columns-not-updated"],
          "rules": {"columns-not-updated": {"status": "applied"},
                    "basic-info": {"status": "no_data", "points": 15, "points_max": 18, "counted": False}}}),
    case("E1c: ten should-update columns overdue, 10 + [0, 1] ≥ 10 vetoes",
         repro("E1c-overdue-veto-masked-by-unknown-column"),
         {"verdict": "fail", "verdict_basis": "veto", "vetoes": ["columns-not-updated"],
          "rules": {"columns-not-updated": {"status": "applied"}}}),
    case("E2: 35 for links + 6 certain for two stale news columns = 41 > 40 fails, though a third column is open (max 9)",
         repro("E2-basic-info-drops-certain-points"),
         {"verdict": "fail", "verdict_basis": "threshold", "total_deduction": 41,
          "rules": {"link-availability": {"status": "applied", "points": 35},
                    "basic-info": {"status": "no_data", "points": 6, "points_max": 9}}}),
    case("E3: a raw homepage item in the window contradicts the count 0 (raw wins): ≥ 1 item, no veto; 5 points open",
         repro("E3-counted-zero-overrides-raw-homepage-items"),
         {"verdict": "pass", "verdict_basis": "deductions", "complete": False, "total_deduction": 0, "total_deduction_max": 5,
          "undecided": ["homepage-updates"], "warnings": ["counts_mismatch"],
          "rules": {"site-not-updated": {"status": "passed"},
                    "homepage-updates": {"status": "no_data", "points": 0, "points_max": 5}}}),
    case("E4a: site kind unknown, 2 surveys are below both thresholds (6 and 3): 3 points either way",
         repro("E4a-kind-absent-survey-points-dropped"),
         {"verdict": "pass", "total_deduction": 3, "rules": {"survey": {"status": "applied", "points": 3}}}),
    case("E4b: site kind unknown, 8 surveys and 7 interviews clear both thresholds",
         repro("E4b-kind-absent-interview-enough"),
         {"verdict": "pass", "total_deduction": 0, "rules": {"survey": {"status": "passed"}, "interview": {"status": "passed"}}}),
    case("E5: one column without content facts adds at most one stale or blank column: no count reaches 5 or 10",
         repro("E5-columns-veto-unreachable-still-no-data"),
         {"verdict": "pass", "total_deduction": 0, "rules": {"columns-not-updated": {"status": "passed"}}}),
    case("E6: 12 raw new items, and a column known only by a date in the window can only add: ≥ 12",
         repro("E6-homepage-lower-bound-ignored"),
         {"verdict": "pass", "total_deduction": 0,
          "rules": {"site-not-updated": {"status": "passed"}, "homepage-updates": {"status": "passed", "points": 0}}}),
    case("E7: navigation-only homepage, the only level-1 column has nothing new: veto; homepage-updates is veto instead",
         repro("E7-navigation-level0-column"),
         {"verdict": "fail", "verdict_basis": "veto", "vetoes": ["site-not-updated"],
          "rules": {"site-not-updated": {"status": "applied"},
                    "homepage-updates": {"status": "not_applicable", "points": 0},
                    "basic-info": {"status": "applied", "points": 3, "counted": False}}}),
    case("E8: 7 / 140 = 5 % vetoes; homepage-availability is veto instead with no points",
         repro("E8-info-points-after-veto"),
         {"verdict": "fail", "verdict_basis": "veto", "vetoes": ["site-unreachable"], "uncounted_deduction": 0,
          "rules": {"site-unreachable": {"status": "applied"},
                    "homepage-availability": {"status": "not_applicable", "points": 0}}}),
    case("availability missing: the unreachable veto could still fire, so nothing else decides: undetermined",
         obs(P, **{**{k: v for k, v in CLEAN.items() if k != "availability"}, "columns": FRESH}),
         {"verdict": "undetermined", "verdict_basis": "missing_data", "complete": False, "total_deduction": 0, "score": 100,
          "undecided": ["site-unreachable", "homepage-availability"],
          "rules": {"site-unreachable": {"status": "no_data"},
                    # below 5 % (the veto instead at 5 %), 5 × 5 = 25 at most
                    "homepage-availability": {"status": "no_data", "points": 0, "points_max": 25}}}),
    case("certain deductions above 40 fail even while a veto is open: 45 homepage links, availability missing",
         obs(P, **{**{k: v for k, v in CLEAN.items() if k != "availability"}, "columns": FRESH,
                   "links": {"homepage_broken": 45, "other_broken": 0}}),
         {"verdict": "fail", "verdict_basis": "threshold", "total_deduction": 45}),
    case("everything known and clean: pass, complete, nothing undecided",
         obs(P, **CLEAN, columns=FRESH),
         {"verdict": "pass", "verdict_basis": "deductions", "complete": True, "total_deduction": 0,
          "total_deduction_max": 0, "undecided": []}),
    case("links missing: 0 certain, no bound above (each broken link costs 1 or 0.1): undetermined",
         obs(P, **{**{k: v for k, v in CLEAN.items() if k != "links"}, "columns": FRESH}),
         {"verdict": "undetermined", "total_deduction": 0, "total_deduction_max": None,
          "rules": {"link-availability": {"status": "no_data", "points": 0, "points_max": None}}}),
    case("a column last published after the point, without items: what it held in the window is unknown (not stale)",
         obs(P, **CLEAN, columns=FRESH[:1] + [col("通知公告", "notice", "2015-07-05")] + FRESH[2:]),
         {"warnings": ["future_dated"], "verdict": "pass",
          "rules": {"basic-info": {"status": "no_data", "points": 0, "points_max": 4}}}),
    case("… unless that later item is its only one (item_count 1): then it is stale, 4 points",
         obs(P, **CLEAN, columns=FRESH[:1] + [{**col("通知公告", "notice", "2015-07-05"), "item_count": 1}] + FRESH[2:]),
         {"rules": {"basic-info": {"status": "applied", "points": 4}}}),
    case("counted consultation: 0 valid messages bound the overdue ones to 0: poor-response passed, consultation 5",
         obs(P, **{**CLEAN, "interaction": {**CLEAN["interaction"], "consultation": {"exists": True, "valid_messages": 0}}},
             columns=FRESH),
         {"verdict": "pass", "total_deduction": 5,
          "rules": {"poor-response": {"status": "passed"}, "consultation": {"status": "applied", "points": 5}}}),
    case("counted consultation: 2 overdue messages are valid ones, so a valid message exists: consultation passed, veto",
         obs(P, **{**CLEAN, "interaction": {**CLEAN["interaction"], "consultation": {"exists": True, "overdue_messages": 2}}},
             columns=FRESH),
         {"verdict": "fail", "vetoes": ["poor-response"], "rules": {"consultation": {"status": "passed", "points": 0}}}),
    case("level 0 is the homepage: a level-0 column not marked on_homepage still counts (with level_conflict)",
         obs(P, **CLEAN, columns=[{**FRESH[0], "on_homepage": False, "level": 0}] + FRESH[1:]),
         {"verdict": "pass", "warnings": ["level_conflict"],
          "rules": {"site-not-updated": {"status": "passed"}, "homepage-updates": {"status": "passed"}}}),
    case("a count that fits what the columns show fixes the number: a column known by name + count 12",
         obs(P, **CLEAN, homepage={"updates_in_window": 12},
             columns=[{"name": "首页要闻", "category": "other", "on_homepage": True}] + FRESH[1:]),
         {"verdict": "pass", "rules": {"homepage-updates": {"status": "passed", "observed": {"updates": 12}}}}),
])

# ------------------------------------------------------------------ errors
write("census-2015", "errors", "Bad observations: each a clear error with a stable code and the JSON path", [
    case("impossible date", {"monitoring_point": "2015-02-30", "site": {"name": "x"}},
         {"error": {"code": "invalid_date", "path": "monitoring_point"}}),
    case("unknown field suggests the closest", {"monitoring_point": P, "site": {"name": "x"}, "availabilty": {}},
         {"error": {"code": "unknown_field", "path": "availabilty"}}),
    case("negative count", {"monitoring_point": P, "site": {"name": "x"}, "links": {"other_broken": -1}},
         {"error": {"code": "invalid_value", "path": "links.other_broken"}}),
    case("wrong type", {"monitoring_point": P, "site": {"name": "x"}, "availability": {"visits": "10", "failures": 0}},
         {"error": {"code": "invalid_type", "path": "availability.visits"}}),
    case("unknown category", {"monitoring_point": P, "site": {"name": "x"}, "columns": [{"name": "a", "category": "新闻"}]},
         {"error": {"code": "invalid_value", "path": "columns[0].category"}}),
    case("bad 网站标识码", {"monitoring_point": P, "site": {"name": "x", "id": "123"}},
         {"error": {"code": "invalid_value", "path": "site.id"}}),
    case("more failures than visits", {"monitoring_point": P, "site": {"name": "x"}, "availability": {"visits": 3, "failures": 4}},
         {"error": {"code": "inconsistent", "path": "availability.failures"}}),
    case("answer before question", obs(P, interaction=consult(msg("2015-03-01", "2015-02-01"))),
         {"error": {"code": "inconsistent", "path": "interaction.consultation.messages[0].answered"}}),
    case("a column that does not exist cannot have messages",
         obs(P, interaction={"consultation": {"exists": False, "valid_messages": 3, "overdue_messages": 1}}),
         {"error": {"code": "inconsistent", "path": "interaction.consultation.exists"}}),
    case("a column that does not exist cannot hold activities",
         obs(P, interaction={"survey": {"exists": False, "activities": 2}}),
         {"error": {"code": "inconsistent", "path": "interaction.survey.exists"}}),
    case("missing monitoring point", {"site": {"name": "x"}},
         {"error": {"code": "missing_field"}}),
    case("unsupported schema", {"schema": "pucha.observation/9", "monitoring_point": P, "site": {"name": "x"}},
         {"error": {"code": "unsupported_schema", "path": "schema"}}),
    case("unknown parameter", obs(P), {"error": {"code": "unknown_param"}}, params={"prorate": "linear"}),
    case("parameter value not allowed", obs(P), {"error": {"code": "invalid_param"}}, params={"proration": "quadratic"}),
])

# ------------------------------------------------------------------ checklist-2019
FULL19 = dict(FULL, site_extra=None)
del FULL19["site_extra"]
ok19 = dict(FULL, interaction={**FULL["interaction"], "consultation": {"exists": True, "messages": [msg("2015-06-01", "2015-06-03")]}},
            services={"guide_count": 5, "online_system_count": 1})
write("checklist-2019", "checklist", "The partial 2019 pack: fail-below-60 gate, bonus gate for portals, 4/3 rescale, first-level columns", [
    case("clean portal: Part 2 is 100, above 80, bonus gate opens (no bonus rules known): 100",
         obs(P, **ok19),
         {"verdict": "pass", "score": 100, "bonus": 0, "vetoes": []}),
    case("department without services: 办事服务 not checked; (75 − 5 − 3) × 4/3 = 89.33 → 89.3",
         obs(P, site_extra={"offers_services": False}, **{**ok19,
             "columns": ok19["columns"] + [col("政策法规", "policy", "2014-11-01", level=1)],
             "interaction": {**ok19["interaction"], "consultation": {"exists": True, "messages": [msg("2015-03-01", "2015-03-05")]}}}),
         {"verdict": "pass", "score": 89.3, "total_deduction": 8,
          "rules": {"service-statistics": {"status": "not_applicable"}, "services-impractical": {"status": "not_applicable"},
                    "policy-columns": {"points": 5}, "reply-updates": {"points": 3}}}),
    case("no services at all: veto 服务不实用",
         obs(P, **{**ok19, "services": {"guide_count": 0, "online_system_count": 0}}),
         {"vetoes": ["services-impractical"]}),
    case("no effective consultation channel: veto 互动回应差 (a)",
         obs(P, **{**ok19, "interaction": {**ok19["interaction"], "consultation": {"exists": False}}}),
         {"vetoes": ["poor-response"]}),
    case("only first-level notice/policy columns count: 3 news + 2 level-2 policy = 3, no veto",
         obs(P, **{**ok19, "columns": [col(f"动态{i}", "dynamics", "2015-05-01") for i in range(3)]
                   + [col(f"子栏目{i}", "policy", "2014-01-01", level=2) for i in range(2)]}),
         {"rules": {"columns-not-updated": {"status": "passed", "observed": {"news_stale": 3, "notice_stale": 0}}}}),
    case("confirmed serious content problem: veto 严重问题; unconfirmed only: review",
         obs(P, **{**ok19, "content_findings": [{**F, "confirmed": True}]}),
         {"vetoes": ["serious-incident"], "score": None}),
    case("unconfirmed content finding only: needs review, no veto",
         obs(P, **{**ok19, "content_findings": [F]}),
         {"vetoes": [], "rules": {"serious-incident": {"status": "needs_review", "review": 1}}}),
    case("5 % failed visits: veto 站点无法访问 (as in 2015)",
         obs(P, **{**ok19, "availability": {"visits": 200, "failures": 10, "days": 7}}),
         {"vetoes": ["site-unreachable"]}),
    case("4.99 % does not veto, and Part 2 has no availability deduction in the known table",
         obs(P, **{**ok19, "availability": {"visits": 10000, "failures": 499, "days": 7}}),
         {"vetoes": [], "score": 100}),
    case("no new homepage item in 2 weeks: veto 首页不更新",
         obs(P, **{**ok19, "homepage": {"updates_in_window": 0}}),
         {"vetoes": ["homepage-not-updated"]}),
    case("one new homepage item is enough in 2019 (no 10-item deduction known)",
         obs(P, **{**ok19, "homepage": {"updates_in_window": 1}}),
         {"vetoes": [], "score": 100}),
    case("services unknown: the 服务不实用 veto could still fire: undetermined (fail_below gate and veto both weighed)",
         obs(P, **{k: v for k, v in ok19.items() if k != "services"}),
         {"verdict": "undetermined", "verdict_basis": "missing_data", "undecided": ["services-impractical"],
          "rules": {"services-impractical": {"status": "no_data"}}}),
    case("service statistics column found by name, stale 3 months: 2 points",
         obs(P, **{**ok19, "columns": ok19["columns"] + [col("办事统计", "other", "2015-03-01")]}),
         {"rules": {"service-statistics": {"status": "applied", "points": 2}}, "score": 98}),
], pack="checklist-2019")

# ------------------------------------------------------------------ custom packs (the rule language)
PROVINCIAL = """
schema = "pucha.pack/1"
[pack]
id = "province-x"
version = "0.1.0"
title = { zh = "某省政府网站考评（示例）", en = "Province X website review (example)" }
[scoring]
base = 100
fail_above = 30
[[indicators]]
id = "veto"
title = { zh = "单项否决", en = "Vetoes" }
[[indicators]]
id = "main"
title = { zh = "扣分", en = "Deductions" }
[[rules]]
id = "unreachable"
kind = "veto"
indicator = "veto"
title = { zh = "站点无法访问", en = "Unreachable" }
measures.rate = { fact = "availability.failure_rate", window = "10d" }
[[rules.cases]]
when = "rate >= 3%"
[[rules]]
id = "availability"
kind = "deduction"
indicator = "main"
title = { zh = "首页可用性", en = "Availability" }
measures.rate = { fact = "availability.failure_rate", window = "10天" }
[[rules.cases]]
each = "rate"
per = "1%"
points = 10
[[rules]]
id = "stale-or-blank"
kind = "deduction"
indicator = "main"
title = { zh = "栏目维护", en = "Column upkeep" }
measures.blank = { fact = "columns.blank" }
measures.news = { fact = "columns.stale", categories = ["dynamics"], window = "1周" }
[[rules.cases]]
when = "blank + news >= 3"
points = 8
"""
GATED = """
schema = "pucha.pack/1"
[pack]
id = "gated"
version = "0.1.0"
title = { zh = "门控示例", en = "gates example" }
[scoring]
base = 100
fail_below = 60
[scoring.bonus]
when = "score > 80 and site.kind == 'portal'"
cap = 3
[[indicators]]
id = "a"
title = { zh = "甲", en = "A" }
cap = 10
[[indicators]]
id = "b"
title = { zh = "乙", en = "B" }
[[indicators]]
id = "plus"
title = { zh = "加分", en = "Bonus" }
[[rules]]
id = "other-links"
kind = "deduction"
indicator = "a"
title = { zh = "错链", en = "Links" }
measures.n = { fact = "links.broken", scope = "other" }
[[rules.cases]]
each = "n"
points = 1
[[rules]]
id = "home-links"
kind = "deduction"
indicator = "b"
title = { zh = "首页错链", en = "Home links" }
measures.n = { fact = "links.broken", scope = "homepage" }
[[rules.cases]]
each = "n"
points = 10
[[rules]]
id = "active-surveys"
kind = "bonus"
indicator = "plus"
title = { zh = "调查活跃", en = "Active surveys" }
measures.n = { fact = "survey.activities" }
[[rules.cases]]
when = "n >= 12"
points = 5
"""
SURV = {"survey": {"exists": True, "activities": 12}}
write("custom", "provincial-variant", "A user-written provincial pack: other thresholds, another window, a rule combining facts", [
    case("3 % over a 10-day window vetoes in this province",
         obs(P, availability={"visits": 100, "failures": 3}),
         {"vetoes": ["unreachable"]}),
    case("2 % → 10 per 1 % = 20 points; 2 blank + 1 stale news ≥ 3 → 8; 28 ≤ 30 passes",
         obs(P, availability={"visits": 100, "failures": 2},
             columns=[{"name": "a", "category": "other", "items": []}, {"name": "b", "category": "other", "blank": True}, col("动态", "dynamics", "2015-06-01")]),
         {"verdict": "pass", "total_deduction": 28, "score": 72, "rules": {"availability": {"points": 20}, "stale-or-blank": {"points": 8}}}),
], pack={"toml": PROVINCIAL})
write("custom", "gates-and-caps", "Indicator caps, a fail-below gate and a bonus behind a gate (the 2019 structure) in a user pack", [
    case("15 other links → A capped at 10; score 90 > 80, portal: bonus 5 capped at 3 → 93",
         obs(P, links={"homepage_broken": 0, "other_broken": 15}, interaction=SURV),
         {"verdict": "pass", "total_deduction": 10, "bonus": 3, "score": 93,
          "rules": {"other-links": {"points": 15, "counted": True}, "active-surveys": {"status": "applied", "points": 5, "counted": True}}}),
    case("same for another kind of site: gate closed, 90",
         obs(P, kind="other", links={"homepage_broken": 0, "other_broken": 15}, interaction=SURV),
         {"bonus": 0, "score": 90, "rules": {"active-surveys": {"counted": False}}}),
    case("4 homepage links × 10 + A capped 10 = 50 → 50 < 60 fails; 80 is not above 80 so no bonus either",
         obs(P, links={"homepage_broken": 4, "other_broken": 15}, interaction=SURV),
         {"verdict": "fail", "verdict_basis": "threshold", "score": 50, "bonus": 0}),
    case("exactly 60 passes (fail only below 60)",
         obs(P, links={"homepage_broken": 3, "other_broken": 10}, interaction=SURV),
         {"verdict": "pass", "score": 60}),
    case("score exactly 80: bonus gate needs more than 80",
         obs(P, links={"homepage_broken": 1, "other_broken": 10}, interaction=SURV),
         {"score": 80, "bonus": 0}),
], pack={"toml": GATED})
ROUNDING = """
schema = "pucha.pack/1"
[pack]
id = "rounding"
version = "0.1.0"
title = { zh = "取整示例", en = "rounding example" }
[scoring]
base = 100
[[indicators]]
id = "links"
title = { zh = "链接", en = "Links" }
[[rules]]
id = "links"
kind = "deduction"
indicator = "links"
title = { zh = "错链", en = "Broken links" }
measures.home = { fact = "links.broken", scope = "homepage" }
measures.other = { fact = "links.broken", scope = "other" }
[[rules.cases]]
label = { zh = "首页每个 0.04 分", en = "0.04 per homepage link" }
each = "home"
points = 0.04
[[rules.cases]]
label = { zh = "其他每个 0.04 分", en = "0.04 per other link" }
each = "other"
points = 0.04
"""
write("custom", "rounding", "Each case's points are rounded half up to 0.1, then summed: a rule's points are the sum of the case points it lists", [
    case("1 + 1 links: 0.04 and 0.04 each round to 0.0, so nothing is deducted (0.08 would round to 0.1)",
         obs(P, links={"homepage_broken": 1, "other_broken": 1}),
         {"total_deduction": 0, "score": 100, "rules": {"links": {"status": "passed", "points": 0}}}),
    case("4 + 4 links: 0.16 and 0.16 each round to 0.2, 0.4 in all (0.32 would round to 0.3)",
         obs(P, links={"homepage_broken": 4, "other_broken": 4}),
         {"total_deduction": 0.4, "score": 99.6, "rules": {"links": {"status": "applied", "points": 0.4}}}),
    case("2 + 0 links: 0.08 rounds to 0.1",
         obs(P, links={"homepage_broken": 2, "other_broken": 0}),
         {"total_deduction": 0.1, "rules": {"links": {"status": "applied", "points": 0.1}}}),
], pack={"toml": ROUNDING})

NONMONOTONE = """schema = "pucha.pack/1"
[pack]
id = "non-monotone"
version = "0.1.0"
title = { zh = "非单调规则", en = "A non-monotone rule" }
[scoring]
fail_above = 5
[[indicators]]
id = "a"
title = { zh = "栏目", en = "Columns" }
[[rules]]
id = "exactly-three-blank"
kind = "deduction"
indicator = "a"
title = { zh = "恰好三个空白栏目", en = "Exactly three blank columns" }
measures.blank = { fact = "columns.blank" }
[[rules.cases]]
when = "blank == 3"
points = 10
"""
UNKNOWN = {"name": "未知", "category": "other"}
BLANK = {"name": "空白", "category": "other", "items": []}
write("custom", "non-monotone", "Intervals, not ends: `blank == 3` holds for 3 and fails at both ends of [0, 5]", [
    case("5 columns of unknown content: blank ∈ [0, 5], `blank == 3` can hold or fail: no_data 0 (max 10), undetermined",
         obs(P, columns=[UNKNOWN] * 5),
         {"verdict": "undetermined", "verdict_basis": "missing_data", "total_deduction": 0, "total_deduction_max": 10,
          "rules": {"exactly-three-blank": {"status": "no_data", "points": 0, "points_max": 10}}}),
    case("4 blank + 4 unknown: blank ∈ [4, 8] never equals 3: passed, pass",
         obs(P, columns=[BLANK] * 4 + [UNKNOWN] * 4),
         {"verdict": "pass", "rules": {"exactly-three-blank": {"status": "passed", "points": 0, "points_max": 0}}}),
    case("3 blank: applied 10 > 5 fails",
         obs(P, columns=[BLANK] * 3),
         {"verdict": "fail", "verdict_basis": "threshold", "total_deduction": 10}),
], pack={"toml": NONMONOTONE})
write("custom", "pack-errors", "Bad packs: stable codes", [
    case("unknown fact", obs(P), {"error": {"code": "unknown_fact"}}),
], pack={"toml": PROVINCIAL.replace("columns.blank", "columns.blnk")})
write("custom", "pack-errors-expression", "Bad packs: expression type error", [
    case("comparing a number with text", obs(P), {"error": {"code": "expression_type"}}),
], pack={"toml": PROVINCIAL.replace('when = "rate >= 3%"', "when = \"rate >= 'x'\"")})

print("vectors written")
