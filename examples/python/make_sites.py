#!/usr/bin/env python3
"""Write sites.jsonl: 60 fictional counts-only census records (deterministic), for rescore.py."""
import json
import random

rng = random.Random(2015)


def channel(exists, activities):
    return {"exists": True, "activities": activities} if exists else {"exists": False}

regions = ["甲市", "乙市", "丙县", "丁县", "戊区"]
with open("sites.jsonl", "w", encoding="utf-8") as out:
    for i in range(60):
        kind = "portal" if i % 3 == 0 else "other"
        visits = 672
        obs = {
            "schema": "pucha.observation/1",
            "monitoring_point": "2015-11-15",
            "site": {"name": f"{regions[i % 5]}示例网站{i:02d}", "kind": kind, "id": f"51{i % 10}1230{i:03d}",
                     "region": regions[i % 5]},
            "availability": {"visits": visits, "failures": rng.choice([0, 3, 7, 12, 17, 20, 25, 30]), "days": 7},
            "links": {"homepage_broken": rng.randint(0, 6), "other_broken": rng.randint(0, 80)},
            "homepage": {"updates_in_window": rng.randint(3, 40)},
            "columns": [
                {"name": "工作动态", "category": "dynamics", "on_homepage": True,
                 "last_published": rng.choice(["2015-11-14", "2015-11-02", "2015-10-20"])},
                {"name": "通知公告", "category": "notice", "on_homepage": True,
                 "last_published": rng.choice(["2015-11-10", "2015-08-01", "2015-04-01"])},
                {"name": "政策文件", "category": "policy", "last_published": rng.choice(["2015-09-01", "2015-03-01"])},
                {"name": "人事信息", "category": "personnel", "last_published": rng.choice(["2015-06-01", "2014-10-01"])},
            ],
            "interaction": {
                "consultation": {"exists": True, "valid_messages": rng.randint(0, 60), "overdue_messages": 0},
                "survey": channel(rng.random() > 0.2, rng.randint(0, 9)),
                "interview": channel(rng.random() > 0.5, rng.randint(0, 8)),
            },
            "services": {"missing_element_categories": rng.randint(0, 3), "attachments_not_offered": rng.randint(0, 3),
                         "attachments_broken": rng.randint(0, 2), "online_systems_unreachable": rng.randint(0, 1)},
            "content_findings": [],
        }
        out.write(json.dumps(obs, ensure_ascii=False) + "\n")
