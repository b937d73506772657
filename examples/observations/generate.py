#!/usr/bin/env python3
"""Regenerate the raw-evidence example observations deterministically: python3 generate.py"""
import json
import random
from datetime import date, datetime, timedelta, timezone

CST = timezone(timedelta(hours=8))
POINT = date(2015, 6, 30)


def samples(rng, days, per_day, fail_every):
    out = []
    n = 0
    for d in range(days):
        day = POINT - timedelta(days=days - 1 - d)
        for i in range(per_day):
            n += 1
            at = datetime(day.year, day.month, day.day, 0, 0, tzinfo=CST) + timedelta(minutes=i * (1440 // per_day) + rng.randrange(10))
            s = {"at": at.isoformat(), "ok": True, "elapsed_ms": rng.randrange(180, 1900), "status": 200}
            if fail_every and n % fail_every == 0:
                if n % (fail_every * 2) == 0:
                    s = {"at": at.isoformat(), "ok": False, "elapsed_ms": 15000, "error": "timeout: no response within 15 s"}
                else:
                    s = {"at": at.isoformat(), "ok": False, "elapsed_ms": 412, "status": 503}
            out.append(s)
    return out


def items(rng, base, n, every_days, start_offset=0, undated=0):
    out = []
    for i in range(n):
        d = POINT - timedelta(days=start_offset + i * every_days)
        out.append({"title": f"{base}（第{i + 1}期）", "url": f"http://www.example.gov.cn/{base}/{d:%Y%m}/t{d:%Y%m%d}_{i}.html", "published": d.isoformat()})
    for j in range(undated):
        out.append({"title": f"{base}（无日期{j + 1}）", "url": f"http://www.example.gov.cn/{base}/x{j}.html", "published": None})
    return out


def good_portal():
    rng = random.Random(2015)
    cols = [
        {"name": "今日要闻", "category": "要闻", "on_homepage": True, "items": items(rng, "yw", 12, 1)},
        {"name": "政务动态", "category": "dynamics", "on_homepage": True, "items": items(rng, "zwdt", 10, 2)},
        {"name": "通知公告", "category": "notice", "on_homepage": True, "items": items(rng, "tzgg", 8, 6)},
        {"name": "政策文件", "category": "policy", "on_homepage": True, "items": items(rng, "zcwj", 6, 20)},
        {"name": "人事任免", "category": "personnel", "items": items(rng, "rsrm", 4, 60)},
        {"name": "发展规划", "category": "plan", "items": items(rng, "fzgh", 3, 120)},
        {"name": "机构职能", "category": "organization", "should_update": True, "update_cycle": "1y", "items": items(rng, "jgzn", 1, 90)},
    ]
    return {
        "schema": "pucha.observation/1",
        "monitoring_point": POINT.isoformat(),
        "site": {"name": "示例市人民政府门户网站", "url": "http://www.example.gov.cn/", "kind": "portal", "id": "3301000001", "region": "示例省示例市"},
        "availability": {"samples": samples(rng, 7, 24, 84)},
        "links": {"checked": 1840, "broken": [
            {"url": "http://www.example.gov.cn/zwgk/old.html", "found_on": ["http://www.example.gov.cn/zwgk/"], "depth": 1, "kind": "page", "status": 404},
            {"url": "http://www.example.gov.cn/images/banner2014.jpg", "found_on": ["http://www.example.gov.cn/xxgk/2014/"], "depth": 2, "kind": "image", "status": 404},
        ]},
        "columns": cols,
        "interaction": {
            "consultation": {"exists": True, "name": "市长信箱", "messages": [
                {"asked": (POINT - timedelta(days=d)).isoformat(), "answered": (POINT - timedelta(days=d - 6)).isoformat()} for d in range(20, 300, 20)
            ]},
            "survey": {"exists": True, "activities": [{"date": (POINT - timedelta(days=d)).isoformat(), "title": f"意见征集{d}"} for d in range(15, 365, 50)]},
            "interview": {"exists": True, "activities": [{"date": (POINT - timedelta(days=d)).isoformat()} for d in range(30, 365, 45)]},
        },
        "services": {
            "guides": [
                {"name": "企业投资项目备案", "missing_elements": []},
                {"name": "建设工程规划许可", "missing_elements": []},
            ],
            "online_systems": [{"name": "网上办事大厅", "url": "http://bs.example.gov.cn/", "reachable": True}],
        },
        "content_findings": [],
        "provenance": {"tool": "examples/observations/generate.py", "note": "fictional site for documentation and tests"},
    }


def raw_evidence():
    rng = random.Random(42)
    cols = [
        {"name": "部门动态", "category": "dynamics", "on_homepage": True, "url": "http://www.sample.gov.cn/bmdt/", "items": items(rng, "bmdt", 3, 3)},
        {"name": "图片新闻", "category": "dynamics", "on_homepage": True, "items": items(rng, "tpxw", 5, 30, start_offset=20)},
        {"name": "通知公告", "category": "notice", "on_homepage": True, "items": items(rng, "tzgg", 6, 10, undated=2)},
        {"name": "规范性文件", "category": "policy", "url": "http://www.sample.gov.cn/gfxwj/", "items": items(rng, "gfxwj", 4, 90, start_offset=200)},
        {"name": "政府文件", "category": "政策文件", "items": [{"title": "关于印发工作要点的通知", "published": None}]},
        {"name": "人事信息", "category": "personnel", "items": []},
        {"name": "工作计划", "category": "plan", "last_published": "2013-12-30"},
        {"name": "领导信息", "category": "organization", "items": items(rng, "ldxx", 2, 400), "inaccurate": 1},
    ]
    return {
        "schema": "pucha.observation/1",
        "monitoring_point": "2015-06-30T18:00:00+08:00",
        "site": {"name": "示例省某厅网站", "url": "http://www.sample.gov.cn/", "kind": "other", "id": "bm07000001", "department": "示例省某厅"},
        "availability": {"samples": samples(rng, 7, 24, 40)},
        "links": {"checked": 2210, "broken": [
            {"url": "http://www.sample.gov.cn/ztzl/2013/", "found_on": "http://www.sample.gov.cn/", "depth": 0, "kind": "page", "status": 404},
            {"url": "http://www.sample.gov.cn/u/cms/logo_old.png", "found_on": ["http://www.sample.gov.cn/"], "depth": 0, "kind": "image", "status": 404},
            {"url": "http://www.sample.gov.cn/files/2014/shenbaobiao.doc", "found_on": ["http://www.sample.gov.cn/bszn/a.html", "http://www.sample.gov.cn/bszn/b.html"], "depth": 2, "kind": "attachment", "status": 404},
            {"url": "http://www.partner-bureau.gov.cn/", "found_on": ["http://www.sample.gov.cn/yqlj/"], "depth": 1, "kind": "external", "error": "dns: no such host"},
        ] + [
            {"url": f"http://www.sample.gov.cn/xxgk/2012/t2012_{i}.html", "found_on": [f"http://www.sample.gov.cn/xxgk/list_{i // 5}.html"], "depth": 2, "kind": "page", "status": 404}
            for i in range(14)
        ]},
        "columns": cols,
        "interaction": {
            "consultation": {"exists": True, "name": "厅长信箱", "messages": [
                {"asked": "2015-01-05", "answered": "2015-01-20"},
                {"asked": "2015-02-10", "answered": "2015-05-20", "title": "关于资格认定的咨询"},
                {"asked": "2015-03-01", "answered": None, "title": "咨询办理时限"},
                {"asked": "2015-04-02", "answered": None, "valid": False, "title": "测试"},
            ]},
            "survey": {"exists": True, "usable": True, "activities": [{"date": "2015-03-15", "title": "年度工作意见征集"}]},
            "interview": {"exists": False},
        },
        "services": {
            "guides": [
                {"name": "资格认定", "url": "http://www.sample.gov.cn/bszn/a.html", "missing_elements": ["办理时间", "联系电话"], "attachments_broken": ["shenbaobiao.doc"]},
                {"name": "年度检验", "url": "http://www.sample.gov.cn/bszn/b.html", "missing_elements": ["联系电话", "办理流程"], "inaccurate_elements": ["办理地点"], "attachments_not_offered": 1},
            ],
            "online_systems": [
                {"name": "在线申报系统", "url": "http://sb.sample.gov.cn/", "reachable": False, "error": "connect: connection refused"},
                {"name": "办件查询", "url": "http://cx.sample.gov.cn/", "reachable": True, "status": 200},
            ],
        },
        "content_findings": [
            {"kind": "serious_typo", "url": "http://www.sample.gov.cn/bmdt/t20150612_1.html", "excerpt": "深化改格", "expected": "深化改革", "confirmed": False},
        ],
        "provenance": {"tool": "examples/observations/generate.py", "note": "fictional site for documentation and tests"},
    }


def write(name, obj):
    with open(name, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=1)
        f.write("\n")


if __name__ == "__main__":
    write("good-portal.json", good_portal())
    write("raw-evidence.json", raw_evidence())
