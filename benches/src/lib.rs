//! Deterministic bench fixtures: the "realistic raw observation" of the engine issue and a counts-only record.

use serde_json::{Value, json};

/// ≈150 availability samples, 60 columns × 20 items, 300 broken links, 200 consultation messages.
pub fn realistic_raw() -> String {
    let point = chrono_like_day(0);
    let mut samples = Vec::new();
    for i in 0..154 {
        let day = 23 + i / 22;
        let ok = i % 37 != 0;
        samples.push(json!({
            "at": format!("2015-06-{day:02}T{:02}:{:02}:00+08:00", (i % 22) + 1, (i * 7) % 60),
            "ok": ok, "elapsed_ms": if ok { 300 + (i * 13) % 900 } else { 15000 }, "status": if ok { 200 } else { 504 }
        }));
    }
    let cats = [
        "dynamics",
        "notice",
        "policy",
        "plan",
        "personnel",
        "organization",
        "other",
    ];
    let mut columns = Vec::new();
    for c in 0..60 {
        let mut items = Vec::new();
        for i in 0..20 {
            let back = (c % 9) * 11 + i * (1 + c % 5);
            items.push(json!({
                "title": format!("第{c}栏第{i}条信息标题"),
                "url": format!("http://www.bench.gov.cn/col{c}/t2015_{i}.html"),
                "published": if i % 19 == 18 { Value::Null } else { Value::from(chrono_like_day(back)) },
            }));
        }
        columns.push(json!({
            "name": format!("栏目{c}"), "category": cats[c % cats.len()], "url": format!("http://www.bench.gov.cn/col{c}/"),
            "on_homepage": c < 12, "level": 1 + u32::from(c % 4 == 3), "should_update": c % 6 == 0, "items": items,
        }));
    }
    let kinds = ["page", "image", "attachment", "external"];
    let links: Vec<Value> = (0..300)
        .map(|i| {
            let kind = kinds[i % 4];
            json!({
                "url": format!("http://www.bench.gov.cn/dead/{}.html", i % 260),
                "found_on": [format!("http://www.bench.gov.cn/p{}.html", i % 40)],
                "depth": if i % 50 == 0 { 0 } else { 1 + i % 3 },
                "kind": kind, "status": 404
            })
        })
        .collect();
    let messages: Vec<Value> = (0..200)
        .map(|i| {
            let asked = chrono_like_day(10 + i * 2 % 360);
            json!({"asked": asked, "answered": if i % 23 == 0 { Value::Null } else { Value::from(chrono_like_day((10 + i * 2 % 360).saturating_sub(5))) }})
        })
        .collect();
    let guides: Vec<Value> = (0..30)
        .map(|i| {
            let missing: Vec<&str> = if i % 7 == 0 { vec!["phone"] } else { vec![] };
            let broken: Vec<&str> = if i % 11 == 0 { vec!["a.doc"] } else { vec![] };
            json!({"name": format!("事项{i}"), "missing_elements": missing, "attachments_broken": broken})
        })
        .collect();
    json!({
        "schema": "pucha.observation/1", "monitoring_point": point,
        "site": {"name": "基准测试网站", "url": "http://www.bench.gov.cn/", "kind": "portal", "id": "1100000088"},
        "availability": {"samples": samples},
        "links": {"checked": 5000, "broken": links},
        "columns": columns,
        "interaction": {
            "consultation": {"exists": true, "messages": messages},
            "survey": {"exists": true, "activities": (0..8).map(|i| json!({"date": chrono_like_day(20 + i * 40)})).collect::<Vec<_>>()},
            "interview": {"exists": true, "activities": 4},
        },
        "services": {
            "guides": guides,
            "online_systems": [{"name": "网上办事大厅", "url": "http://bs.bench.gov.cn/", "reachable": true}],
        },
        "content_findings": [],
    })
    .to_string()
}

/// The date `back` days before 2015-06-30, as `YYYY-MM-DD` (no date library needed for the fixture).
fn chrono_like_day(back: usize) -> String {
    let days_in = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let (mut y, mut m, mut d) = (2015i32, 6usize, 30usize);
    for _ in 0..back {
        if d > 1 {
            d -= 1;
        } else {
            if m == 1 {
                m = 12;
                y -= 1;
            } else {
                m -= 1;
            }
            d = days_in[m - 1] + usize::from(m == 2 && y % 4 == 0);
        }
    }
    format!("{y:04}-{m:02}-{d:02}")
}

/// The counts-only analyst record of `examples/observations/counts-only.json`.
pub fn counts_only() -> &'static str {
    include_str!("../../examples/observations/counts-only.json")
}

/// `n` varied counts-only observations as JSON texts: failures, broken links, stale columns and activity vary with
/// the index, over three regions and both site kinds (the input of the roll-up benches).
pub fn varied_counts(n: usize) -> Vec<String> {
    const REGIONS: [&str; 3] = ["甲省", "乙省", "丙省"];
    const DEPARTMENTS: [&str; 4] = ["教育", "卫生", "交通", "财政"];
    (0..n)
        .map(|i| {
            let (region, department) = (REGIONS[i % 3], DEPARTMENTS[i % 4]);
            serde_json::json!({
                "monitoring_point": "2015-06-30",
                "site": {"name": format!("站点{i}"), "kind": if i % 2 == 0 { "portal" } else { "other" },
                         "region": region, "department": department},
                "availability": {"visits": 700, "failures": i % 40, "days": 7},
                "links": {"homepage_broken": i % 4, "other_broken": (i * 7) % 90},
                "homepage": {"updates_in_window": i % 12},
                "columns": [
                    {"name": "工作动态", "category": "dynamics", "on_homepage": true, "last_published": if i % 5 == 0 { "2015-05-01" } else { "2015-06-28" }},
                    {"name": "政策文件", "category": "policy", "last_published": if i % 3 == 0 { "2014-10-01" } else { "2015-06-01" }},
                ],
                "interaction": {
                    "consultation": {"exists": true, "valid_messages": 30, "overdue_messages": usize::from(i % 97 == 0)},
                    "survey": {"exists": true, "activities": i % 8},
                    "interview": {"exists": true, "activities": i % 7},
                },
                "services": {"missing_element_categories": i % 3, "attachments_not_offered": i % 2, "attachments_broken": 0, "online_systems_unreachable": i % 2},
                "content_findings": [],
            })
            .to_string()
        })
        .collect()
}

/// A pack of `rules` rules over 100 indicators, each rule with a measure of its own (a distinct window) and one
/// shared with every rule: the shape that made loading quadratic while measures were shared by a linear search.
pub fn big_pack(rules: usize) -> String {
    let indicators = rules.div_ceil(100).max(1);
    let mut s = String::from(
        "schema = \"pucha.pack/1\"\n[pack]\nid = \"big\"\nversion = \"0.1.0\"\ntitle = { zh = \"大\", en = \"big\" }\n\
         [scoring]\nbase = 100\nfail_above = 40\n[params.min]\ndefault = 6\n",
    );
    for i in 0..indicators {
        s += &format!("[[indicators]]\nid = \"i{i}\"\ntitle = {{ zh = \"甲{i}\", en = \"A{i}\" }}\n");
    }
    for i in 0..rules {
        s += &format!(
            "[[rules]]\nid = \"rule-{i}\"\nkind = \"deduction\"\nindicator = \"i{}\"\n\
             title = {{ zh = \"规则{i}\", en = \"rule {i}\" }}\n\
             measures.n = {{ fact = \"links.broken\", scope = \"other\" }}\n\
             measures.a = {{ fact = \"survey.activities\", window = \"{}d\" }}\n\
             [[rules.cases]]\nwhen = \"n >= {} and a < $min\"\npoints = 1\n",
            i % indicators,
            i + 1,
            i % 7
        );
    }
    s
}
