//! Reports people hand in: HTML and XLSX 上报表, roll-ups by 地区/部门/类型, and what-if comparisons, end to end
//! through the `pucha` binary. The HTML files written here are opened in headless Chromium by scripts/test
//! (tests/browser/render-html.mjs); they are kept in target/report-artefacts/.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests fail loudly on broken fixtures"
)]

mod common;
use calamine::{Data, Reader, Xlsx};
use common::{pucha, root};
use serde_json::{Value, json};
use std::io::Cursor;
use std::path::PathBuf;
use std::process::Output;

fn example(name: &str) -> String {
    root()
        .join("examples/observations")
        .join(name)
        .display()
        .to_string()
}

/// A folder for this test's files, kept for the browser check and as artefacts.
fn artefacts(test: &str) -> PathBuf {
    let d = root().join("target/report-artefacts").join(test);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn s(p: &std::path::Path) -> String {
    p.display().to_string()
}

fn cell(range: &calamine::Range<Data>, row: u32, col: u32) -> Data {
    range.get_value((row, col)).cloned().unwrap_or(Data::Empty)
}

fn text_at(range: &calamine::Range<Data>, row: u32, col: u32) -> String {
    match cell(range, row, col) {
        Data::String(s) => s,
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Empty => String::new(),
        other => format!("{other:?}"),
    }
}

#[test]
fn html_report_has_the_official_layout_and_rerenders_from_json() {
    let dir = artefacts("html");
    let html = dir.join("department.html");
    let o = pucha(&[
        "score",
        &example("department-deductions.json"),
        "--format",
        "html",
        "-o",
        &s(&html),
    ]);
    assert_eq!(o.status.code(), Some(1), "不合格 exits 1: {}", stderr(&o));
    let page = std::fs::read_to_string(&html).unwrap();
    // Header of the form.
    for field in [
        "网站名称",
        "首页网址",
        "网站标识码",
        "监测时间点",
        "网站主管单位",
        "地区",
        "部门",
        "结论",
        "得分",
        "扣分合计",
        "单项否决",
    ] {
        assert!(
            page.contains(&format!("<th scope=\"row\">{field}</th>")),
            "{field}"
        );
    }
    assert!(page.contains("示例市某局网站"));
    assert!(page.contains("不合格（扣分 62.3，超过 40 分为不合格）"));
    // The official columns, 15 rule rows, 5 first-level indicators spanning their rows.
    let heads: Vec<&str> = ["一级指标", "二级指标", "考察点", "扣分细则", "存在的问题", "扣分"].to_vec();
    for h in &heads {
        assert!(page.contains(&format!(">{h}</th>")), "{h}");
    }
    assert_eq!(page.matches("<tr data-rule=").count(), 15);
    assert_eq!(page.matches("scope=\"rowgroup\"").count(), 5);
    assert!(page.contains("rowspan=\"5\">单项否决</th>"));
    assert!(page.contains("data-field=\"total\">62.3</td>"));
    // The 合计 row once, at the table's end: not a footer printed on every page as if a page subtotal.
    assert_eq!(page.matches("data-field=\"total\"").count(), 1);
    assert!(!page.contains("<tfoot"));
    // The pack's name and version are not in the signed header; page numbers and the site's name print on
    // every page.
    assert!(!page.contains("census-2015 1."));
    assert!(page.contains("counter(page)"));
    assert!(page.contains("@top-center { content: \"示例市某局网站"));
    // 存在的问题 comes from the evidence, with the appendix listing all of it.
    assert!(page.contains("栏目“基层动态”自 2015-09-16 起 2 周内无新信息"));
    assert!(page.contains("附录：证据"));
    for tag in ["tr", "td", "th", "table", "section", "article"] {
        assert_eq!(
            page.matches(&format!("<{tag}>")).count() + page.matches(&format!("<{tag} ")).count(),
            page.matches(&format!("</{tag}>")).count(),
            "balanced <{tag}>"
        );
    }
    assert!(!page.contains("<script"), "no script in a printed form");
    for sign in [
        "填报单位（盖章）",
        "单位负责人",
        "审核人",
        "填报人",
        "联系电话",
        "填报日期",
    ] {
        assert!(
            page.contains(&format!("{sign}：<span></span>")),
            "{sign} left blank for the ink"
        );
    }
    // Stored JSON re-renders to the same page.
    let json = dir.join("department.json");
    pucha(&[
        "score",
        &example("department-deductions.json"),
        "--format",
        "json",
        "-o",
        &s(&json),
    ]);
    let again = pucha(&["render", &s(&json), "--format", "html"]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert_eq!(stdout(&again), page);
    // English on request.
    let en = dir.join("department-en.html");
    pucha(&[
        "render",
        &s(&json),
        "--format",
        "html",
        "--lang",
        "en",
        "-o",
        &s(&en),
    ]);
    let en = std::fs::read_to_string(&en).unwrap();
    assert!(en.contains("Fail (不合格) (62.3 deducted; more than 40 fails)"));
    assert!(en.contains(">Findings</th>"));
    // A veto, and the raw-evidence example with many evidence items, for the browser check.
    pucha(&[
        "score",
        &example("veto-unreachable.json"),
        "--format",
        "html",
        "-o",
        &s(&dir.join("veto.html")),
    ]);
    let raw = dir.join("raw-evidence.html");
    pucha(&[
        "score",
        &example("raw-evidence.json"),
        "--format",
        "html",
        "-o",
        &s(&raw),
    ]);
    let raw = std::fs::read_to_string(raw).unwrap();
    assert!(raw.contains("见附录"));
    let veto = std::fs::read_to_string(dir.join("veto.html")).unwrap();
    assert!(veto.contains("不合格（单项否决）"));
    assert!(veto.contains("（否决后不计）"));
}

#[test]
fn the_hand_in_fields_come_from_the_profile_and_the_flags() {
    let dir = artefacts("hand-in");
    let html = dir.join("signed.html");
    let profile = format!("{}/../examples/profiles/county.toml", env!("CARGO_MANIFEST_DIR"));
    let o = pucha(&[
        "score",
        &example("good-portal.json"),
        "--format",
        "html",
        "-o",
        &s(&html),
        "--profile",
        &profile,
        "--reviewer",
        "王五",
        "--sign-date",
        "2015年7月1日",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("data-field=\"网站主管单位\">示例县人民政府办公室</td>"));
    for (label, value) in [
        ("单位负责人", "张三"),
        ("审核人", "王五"),
        ("填报人", "李四"),
        ("联系电话", "028-87654321"),
        ("填报日期", "2015-07-01"),
    ] {
        assert!(
            page.contains(&format!("{label}：<span>{value}</span>")),
            "{label}"
        );
    }
    assert!(
        page.contains("填报单位（盖章）：<span></span>"),
        "the seal's line is left for the ink"
    );
    // The same in the workbook.
    let book = dir.join("signed.xlsx");
    pucha(&[
        "score",
        &example("good-portal.json"),
        "--format",
        "xlsx",
        "-o",
        &s(&book),
        "--profile",
        &profile,
        "--unit",
        "示例县人民政府办公室",
    ]);
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(std::fs::read(&book).unwrap())).unwrap();
    let r = wb.worksheet_range("评分表").unwrap();
    assert_eq!(text_at(&r, 3, 1), "示例县人民政府办公室");
    let total_row = 9 + 15;
    assert_eq!(text_at(&r, total_row + 2, 1), "示例县人民政府办公室");
    assert_eq!(text_at(&r, total_row + 4, 1), "张三");
    // A date that is not one is refused, naming the flag.
    let o = pucha(&[
        "score",
        &example("good-portal.json"),
        "--format",
        "html",
        "--sign-date",
        "7月的某天",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--sign-date"), "{}", stderr(&o));
}

#[test]
fn xlsx_report_reads_back_cell_by_cell() {
    let dir = artefacts("xlsx");
    let file = dir.join("department.xlsx");
    let o = pucha(&[
        "score",
        &example("department-deductions.json"),
        "--format",
        "xlsx",
        "-o",
        &s(&file),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(std::fs::read(&file).unwrap())).unwrap();
    assert_eq!(wb.sheet_names(), vec!["评分表".to_string()]);
    let r = wb.worksheet_range("评分表").unwrap();
    assert_eq!(text_at(&r, 0, 0), "全国政府网站普查评分表（2015）");
    assert_eq!(text_at(&r, 1, 0), "网站名称");
    assert_eq!(text_at(&r, 1, 1), "示例市某局网站");
    assert_eq!(text_at(&r, 2, 3), "监测时间点");
    assert_eq!(text_at(&r, 2, 4), "2015-09-30");
    assert_eq!(text_at(&r, 3, 0), "网站主管单位");
    assert_eq!(text_at(&r, 3, 3), "地区");
    assert_eq!(text_at(&r, 4, 0), "部门");
    assert_eq!(text_at(&r, 4, 4), "不合格（扣分 62.3，超过 40 分为不合格）");
    assert_eq!(text_at(&r, 5, 1), "37.7");
    assert_eq!(text_at(&r, 6, 1), "无");
    let heads: Vec<String> = (0..6).map(|c| text_at(&r, 8, c)).collect();
    assert_eq!(
        heads,
        ["一级指标", "二级指标", "考察点", "扣分细则", "存在的问题", "扣分"]
    );
    // Rows 9.. are the 15 rules in pack order: 5 vetoes, then the deductions with numbers.
    assert_eq!(text_at(&r, 9, 0), "单项否决");
    assert_eq!(text_at(&r, 9, 1), "站点无法访问");
    assert_eq!(text_at(&r, 9, 5), "—");
    assert_eq!(text_at(&r, 14, 0), "网站可用性");
    assert_eq!(text_at(&r, 14, 1), "首页可用性");
    assert_eq!(cell(&r, 14, 5), Data::Float(15.0));
    assert_eq!(cell(&r, 15, 5), Data::Float(6.3));
    assert!(
        text_at(&r, 15, 4).contains("按给出的计数：首页错链 4 个"),
        "{}",
        text_at(&r, 15, 4)
    );
    let total_row = 9 + 15;
    assert!(text_at(&r, total_row, 0).starts_with("合计："));
    assert_eq!(cell(&r, total_row, 5), Data::Float(62.3));
    let sum: f64 = (14..total_row)
        .filter_map(|row| match cell(&r, row, 5) {
            Data::Float(f) => Some(f),
            _ => None,
        })
        .sum();
    assert!((sum - 62.3).abs() < 1e-9, "points add up to the total: {sum}");
    assert_eq!(text_at(&r, total_row + 2, 0), "填报单位（盖章）：");
    assert_eq!(text_at(&r, total_row + 4, 0), "单位负责人：");
    assert_eq!(text_at(&r, total_row + 4, 2), "审核人：");
    assert_eq!(text_at(&r, total_row + 4, 4), "填报人：");
    assert_eq!(text_at(&r, total_row + 6, 0), "联系电话：");
    assert_eq!(text_at(&r, total_row + 6, 2), "填报日期：");
    // Merged cells as on the paper form: the title, the value cells, and each 一级指标 over its rows.
    let merged: Vec<String> = wb
        .merge_cells_by_sheet_name("评分表")
        .unwrap()
        .iter()
        .map(|d| format!("{:?}-{:?}", d.start, d.end))
        .collect();
    for want in [
        "(0, 0)-(0, 5)",
        "(1, 1)-(1, 2)",
        "(6, 1)-(6, 5)",
        "(9, 0)-(13, 0)",
        "(14, 0)-(15, 0)",
        "(24, 0)-(24, 4)",
    ] {
        assert!(merged.contains(&want.to_string()), "merged {want} in {merged:?}");
    }
}

#[test]
fn xlsx_workbook_for_many_sites() {
    let dir = artefacts("workbook");
    let mut lines = String::new();
    for name in [
        "good-portal.json",
        "department-deductions.json",
        "veto-unreachable.json",
        "counts-only.json",
    ] {
        let o = pucha(&["score", &example(name), "--format", "json"]);
        let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
        lines.push_str(&v.to_string());
        lines.push('\n');
    }
    let jsonl = dir.join("reports.jsonl");
    std::fs::write(&jsonl, &lines).unwrap();
    let file = dir.join("sites.xlsx");
    let o = pucha(&["render", &s(&jsonl), "--format", "xlsx", "-o", &s(&file)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(std::fs::read(&file).unwrap())).unwrap();
    let names = wb.sheet_names();
    assert_eq!(names.len(), 6);
    assert_eq!(names[0], "汇总");
    assert_eq!(names[1], "不合格网站名单");
    assert!(names[2].starts_with("1 "));
    let idx = wb.worksheet_range("汇总").unwrap();
    assert_eq!(text_at(&idx, 0, 3), "地区");
    assert_eq!(text_at(&idx, 0, 6), "结论");
    assert_eq!(text_at(&idx, 2, 1), "示例市某局网站");
    assert_eq!(text_at(&idx, 2, 6), "不合格");
    assert_eq!(cell(&idx, 2, 7), Data::Float(37.7), "得分");
    assert_eq!(cell(&idx, 2, 8), Data::Float(62.3), "扣分合计");
    assert_eq!(text_at(&idx, 3, 7), "—");
    assert_eq!(text_at(&idx, 3, 9), "站点无法访问");
    assert_eq!(text_at(&idx, 1, 9), "无", "no veto says 无");
    // The 不合格网站名单: the two failing sites, each with its vetoes and largest deductions.
    let failing = wb.worksheet_range("不合格网站名单").unwrap();
    assert_eq!(failing.height(), 3);
    assert_eq!(text_at(&failing, 1, 1), "示例市某局网站");
    assert!(!text_at(&failing, 1, 5).is_empty(), "its largest deductions");
    assert_eq!(text_at(&failing, 2, 4), "站点无法访问");
    let site = wb.worksheet_range(&names[3]).unwrap();
    assert_eq!(text_at(&site, 1, 1), "示例市某局网站");
    assert_eq!(cell(&site, 5, 1), Data::Float(37.7), "得分 is a number");
    assert_eq!(cell(&site, 5, 4), Data::Float(62.3), "扣分合计 is a number");
    // Without --output an XLSX is refused, not written to a terminal.
    let o = pucha(&["render", &s(&jsonl), "--format", "xlsx"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--output"));
}

/// 1,000 sites whose results follow from their construction: site `i` has 1,000 visits and `i % 60` failures, in
/// region 甲/乙/丙 by `i % 3`. Under census-2015 that is `f / 2` points deducted (5 per 1 %), and a veto from 50
/// failures (5 %). Everything else is observed and clean, so no other rule deducts and every verdict is decided.
fn thousand_sites(dir: &std::path::Path) -> PathBuf {
    let mut obs = String::new();
    for i in 0..1000u32 {
        let region = ["甲", "乙", "丙"][(i % 3) as usize];
        let o = json!({
            "monitoring_point": "2015-06-30",
            "site": {"name": format!("站点{i}"), "kind": if i % 2 == 0 { "portal" } else { "other" }, "region": region},
            "availability": {"visits": 1000, "failures": i % 60, "days": 7},
            "links": {"homepage_broken": 0, "other_broken": 0},
            "homepage": {"updates_in_window": 12},
            "columns": [
                {"name": "要闻", "category": "other", "on_homepage": true, "item_count": 50},
                {"name": "工作动态", "category": "dynamics", "last_published": "2015-06-29"},
                {"name": "通知公告", "category": "notice", "last_published": "2015-06-20"},
                {"name": "人事信息", "category": "personnel", "last_published": "2015-05-01"},
            ],
            "interaction": {
                "consultation": {"exists": true, "valid_messages": 3, "overdue_messages": 0},
                "survey": {"exists": true, "activities": 8},
                "interview": {"exists": true, "activities": 8},
            },
            "services": {"missing_element_categories": 0, "attachments_not_offered": 0, "attachments_broken": 0,
                         "online_systems_unreachable": 0},
            "content_findings": [],
        });
        obs.push_str(&o.to_string());
        obs.push('\n');
    }
    let obs_file = dir.join("sites.jsonl");
    std::fs::write(&obs_file, obs).unwrap();
    let out = pucha(&["score", &s(&obs_file), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let reports = dir.join("reports.jsonl");
    std::fs::write(&reports, &out.stdout).unwrap();
    reports
}

#[test]
fn a_thousand_site_rollup_matches_the_hand_count() {
    let dir = artefacts("rollup");
    let reports = thousand_sites(&dir);
    let o = pucha(&["summarize", &s(&reports), "--by", "region", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let r: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(r["schema"], "pucha.rollup/1");
    // Count by hand from the construction.
    // Regions without a 行政区划代码 go in pinyin order: 丙 bǐng, 甲 jiǎ, 乙 yǐ.
    for (gi, region) in ["丙", "甲", "乙"].iter().enumerate() {
        let k = match *region {
            "甲" => 0,
            "乙" => 1,
            _ => 2,
        };
        let fails: Vec<u32> = (0..1000u32).filter(|i| i % 3 == k).map(|i| i % 60).collect();
        let sites = fails.len() as u64;
        let vetoed = fails.iter().filter(|f| **f >= 50).count() as u64;
        let kept: Vec<f64> = fails
            .iter()
            .filter(|f| **f < 50)
            .map(|f| f64::from(*f) / 2.0)
            .collect();
        let mean = kept.iter().sum::<f64>() / kept.len() as f64;
        let g = &r["groups"][gi];
        assert_eq!(g["group"], *region);
        assert_eq!(g["sites"], sites);
        assert_eq!(g["fail"], vetoed, "only vetoes fail: deductions stay ≤ 24.5");
        assert_eq!(g["pass"], sites - vetoed);
        assert_eq!(g["vetoed"], vetoed);
        assert_eq!(g["incomplete"], 0);
        assert_eq!(g["undetermined"], 0);
        assert_eq!(g["vetoes"][0]["rule"], "site-unreachable");
        assert_eq!(g["vetoes"][0]["sites"], vetoed);
        assert!((g["deductions"]["mean"].as_f64().unwrap() - mean).abs() < 1e-9);
        let bins: Vec<u64> = (0..5)
            .map(|b| {
                kept.iter()
                    .filter(|d| match b {
                        0 => **d < 10.0,
                        1 => (10.0..20.0).contains(*d),
                        2 => (20.0..30.0).contains(*d),
                        3 => (30.0..=40.0).contains(*d),
                        _ => **d > 40.0,
                    })
                    .count() as u64
            })
            .collect();
        let got: Vec<u64> = g["deductions"]["bins"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["sites"].as_u64().unwrap())
            .collect();
        assert_eq!(got, bins);
        assert!((g["pass_rate"].as_f64().unwrap() - (sites - vetoed) as f64 / sites as f64).abs() < 1e-12);
    }
    // Overall: 1000 sites, failures 50..59 for 10 of every 60 → 160 vetoes (i % 60 ≥ 50 for i < 1000: 16 full
    // cycles of 60 give 160, and 960..999 has i % 60 = 0..39, none).
    assert_eq!(r["overall"]["sites"], 1000);
    assert_eq!(r["overall"]["vetoed"], 160);
    assert_eq!(r["overall"]["problems"][0]["rule"], "homepage-availability");
    // Every other format of the same roll-up.
    let by_kind = pucha(&["summarize", &s(&reports), "--by", "kind", "--format", "csv"]);
    let csv = stdout(&by_kind);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0].split(',').count(), 14);
    assert!(lines[1].starts_with("other,部门及其他网站,500,"));
    assert!(lines[2].starts_with("portal,政府门户网站,500,"));
    assert!(lines[3].starts_with("*,全部网站,1000,840,160,0,0.8400,160,0,"));
    let text = stdout(&pucha(&["summarize", &s(&reports), "--by", "region"]));
    assert!(text.contains("全部网站\t1000\t840\t160\t0\t84.0%\t160"));
    let html = dir.join("rollup.html");
    pucha(&[
        "summarize",
        &s(&reports),
        "--by",
        "region",
        "--format",
        "html",
        "-o",
        &s(&html),
    ]);
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("<svg"));
    assert_eq!(page.matches("<g data-group=").count(), 3);
    assert!(page.contains("84.0%"));
    let xl = dir.join("rollup.xlsx");
    let o = pucha(&[
        "summarize",
        &s(&reports),
        "--by",
        "region",
        "--format",
        "xlsx",
        "-o",
        &s(&xl),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(std::fs::read(&xl).unwrap())).unwrap();
    assert_eq!(
        wb.sheet_names(),
        ["分组统计", "单项否决", "扣分分布", "常见问题", "不合格网站名单"]
    );
    let g = wb.worksheet_range("分组统计").unwrap();
    assert_eq!(text_at(&g, 0, 0), "政府网站检查结果汇总");
    assert!(text_at(&g, 1, 0).starts_with("按地区分组，共 1000 个网站；制表日期："));
    assert_eq!(text_at(&g, 3, 0), "地区");
    assert_eq!(text_at(&g, 7, 0), "全部网站");
    assert_eq!(cell(&g, 7, 1), Data::Float(1000.0));
    assert_eq!(cell(&g, 7, 3), Data::Float(160.0));
    let failing = wb.worksheet_range("不合格网站名单").unwrap();
    assert_eq!(failing.height(), 161, "the 160 failing sites under the heading");
    assert_eq!(text_at(&failing, 1, 4), "站点无法访问");
    let v = wb.worksheet_range("单项否决").unwrap();
    assert_eq!(text_at(&v, 1, 0), "站点无法访问");
    assert_eq!(cell(&v, 1, 2), Data::Float(160.0));
}

#[test]
fn summaries_roll_up_like_full_reports() {
    let dir = artefacts("summaries");
    let reports = thousand_sites(&dir);
    // The same sites as pucha.summary/1 lines (what Python's score_many(detail="summary") gives).
    let mut summaries = String::new();
    for line in std::fs::read_to_string(&reports).unwrap().lines() {
        let r: Value = serde_json::from_str(line).unwrap();
        let points: serde_json::Map<String, Value> = r["rules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| (x["id"].as_str().unwrap().to_string(), x["points"].clone()))
            .collect();
        let status: serde_json::Map<String, Value> = r["rules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| (x["id"].as_str().unwrap().to_string(), x["status"].clone()))
            .collect();
        let s = json!({"schema": "pucha.summary/1", "pack": r["pack"]["id"], "site": r["site"], "monitoring_point": r["monitoring_point"],
            "verdict": r["verdict"], "verdict_basis": r["verdict_basis"], "complete": r["complete"], "score": r["score"],
            "total_deduction": r["total_deduction"], "vetoes": r["vetoes"].as_array().unwrap().iter().map(|v| v["rule"].clone()).collect::<Vec<_>>(),
            "points": points, "status": status});
        summaries.push_str(&s.to_string());
        summaries.push('\n');
    }
    let sfile = dir.join("summaries.jsonl");
    std::fs::write(&sfile, summaries).unwrap();
    let a: Value =
        serde_json::from_str(&stdout(&pucha(&["summarize", &s(&reports), "--format", "json"]))).unwrap();
    let b: Value =
        serde_json::from_str(&stdout(&pucha(&["summarize", &s(&sfile), "--format", "json"]))).unwrap();
    assert_eq!(a, b);
}

#[test]
fn what_if_between_parameters_and_packs() {
    let dir = artefacts("diff");
    // counts-only: 17 of 672 visits failed (2.53 %): 12.6 points linear, 10 under whole-percent proration.
    let o = pucha(&[
        "diff",
        &example("counts-only.json"),
        "--set",
        "proration=whole-percent",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let d: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(d["schema"], "pucha.diff/1");
    assert_eq!(d["a"], "census-2015");
    assert_eq!(d["b"], "census-2015 proration=whole-percent");
    assert_eq!(d["sites"], 1);
    assert_eq!(d["verdict_changed"], 0);
    let m = &d["site_diffs"][0]["rules"];
    assert_eq!(m.as_array().unwrap().len(), 1);
    assert_eq!(m[0]["rule"], "homepage-availability");
    assert_eq!(m[0]["a_points"], 12.6);
    assert_eq!(m[0]["b_points"], 10.0);
    assert_eq!(m[0]["delta"], -2.6);
    // A verdict that changes: the department site (62.3 deducted) with 15 of its availability points waived is
    // still over 40; with portal thresholds relaxed it is the 40-point rule that decides.
    let text = stdout(&pucha(&[
        "diff",
        &example("counts-only.json"),
        &example("department-deductions.json"),
        "--set",
        "proration=whole-percent",
    ]));
    assert!(text.contains("2 个网站中 0 个结论改变"), "{text}");
    assert!(
        text.contains("[homepage-availability] 首页可用性  12.6 → 10 (-2.6)"),
        "{text}"
    );
    // Two packs.
    let o = pucha(&[
        "diff",
        &example("counts-only.json"),
        "--pack",
        "census-2015",
        "--pack",
        "checklist-2019",
        "--format",
        "csv",
        "-o",
        &s(&dir.join("packs.csv")),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let csv = std::fs::read_to_string(dir.join("packs.csv")).unwrap();
    // checklist-2019 knows nothing of this site's services: 合格 under census-2015 becomes 未评定, counted apart.
    let d: Value = serde_json::from_str(&stdout(&pucha(&[
        "diff",
        &example("counts-only.json"),
        "--pack",
        "census-2015",
        "--pack",
        "checklist-2019",
        "--format",
        "json",
    ])))
    .unwrap();
    assert_eq!(
        (
            &d["verdict_changed"],
            &d["pass_to_fail"],
            &d["to_undetermined"],
            &d["from_undetermined"]
        ),
        (&Value::from(1), &Value::from(0), &Value::from(1), &Value::from(0))
    );
    let text = stdout(&pucha(&[
        "diff",
        &example("counts-only.json"),
        "--pack",
        "census-2015",
        "--pack",
        "checklist-2019",
    ]));
    assert!(text.contains("变为未评定 1"), "{text}");
    assert!(csv.starts_with("site,site_id,monitoring_point,a_verdict"));
    assert!(
        csv.lines()
            .nth(1)
            .unwrap()
            .starts_with("示例县人民政府门户网站,5101230001,2015-11-15,pass,63.3,36.7,")
    );
    // Nothing to compare is a usage error.
    let o = pucha(&["diff", &example("counts-only.json")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("nothing to compare"));
}

#[test]
fn bad_report_input_is_named() {
    let dir = artefacts("bad");
    let f = dir.join("broken.jsonl");
    std::fs::write(
        &f,
        "{\"schema\":\"pucha.report/1\"}\n{\"schema\": \"pucha.report/1\", \"pack\": 5}\n",
    )
    .unwrap();
    let o = pucha(&["summarize", &s(&f)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("broken.jsonl:1"), "{}", stderr(&o));
    let o = pucha(&["render", &s(&f)]);
    assert_eq!(o.status.code(), Some(2));
    let obs = dir.join("obs.json");
    std::fs::write(
        &obs,
        "{\"monitoring_point\": \"2015-06-30\", \"site\": {\"name\": \"x\"}}",
    )
    .unwrap();
    let o = pucha(&["render", &s(&obs)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("schema"),
        "an observation is not a report: {}",
        stderr(&o)
    );
    let o = pucha(&["summarize", &s(&f), "--by", "province"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("region"));
}

/// `render` and `summarize` skip failure records, counting them as 未能评分; any other record that is not a report
/// is an error naming file:line, and the rest are still rendered or summarised before the command exits 2.
#[test]
fn bad_records_are_named_and_the_rest_still_count() {
    let dir = artefacts("mixed");
    let report = stdout(&pucha(&[
        "score",
        &example("good-portal.json"),
        "--format",
        "json",
    ]));
    let report: Value = serde_json::from_str(&report).unwrap();
    let line = serde_json::to_string(&report).unwrap();
    let f = dir.join("mixed.jsonl");
    std::fs::write(
        &f,
        format!(
            "{line}\n{{\"type\":\"failure\",\"errors\":[{{\"code\":\"invalid_date\",\"message\":\"x\"}}]}}\n\
             {{\"monitoring_point\": \"2015-06-30\"}}\nnot json\n{line}\n"
        ),
    )
    .unwrap();
    let o = pucha(&["summarize", &s(&f), "--format", "json"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("mixed.jsonl:3") && err.contains("mixed.jsonl:4"),
        "{err}"
    );
    assert!(!err.contains("mixed.jsonl:2"), "{err}");
    let rollup: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(rollup["overall"]["sites"], 2);
    assert_eq!(rollup["unscored"], 1);
    let o = pucha(&["summarize", &s(&f)]);
    assert!(stdout(&o).contains("未能评分的记录：1"), "{}", stdout(&o));
    // Rendered from stdin too (read twice through a temporary copy).
    let html = dir.join("mixed.html");
    let o = common::pucha_stdin(
        &["render", "-", "--format", "html", "--output", &s(&html)],
        &std::fs::read_to_string(&f).unwrap(),
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("stdin:3") && !stderr(&o).contains("pucha-stdin-"),
        "{}",
        stderr(&o)
    );
    let page = std::fs::read_to_string(&html).unwrap();
    assert_eq!(page.matches("<article class=\"report\"").count(), 2);
    assert!(page.contains("评分表 (2)"));
    let xlsx = dir.join("mixed.xlsx");
    let o = pucha(&["render", &s(&f), "--format", "xlsx", "--output", &s(&xlsx)]);
    assert_eq!(o.status.code(), Some(2));
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(std::fs::read(&xlsx).unwrap())).unwrap();
    assert_eq!(
        wb.sheet_names().len(),
        4,
        "汇总, 不合格网站名单 and the two reports"
    );
    let index = wb.worksheet_range_at(0).unwrap().unwrap();
    assert_eq!(index.height(), 3);
}

/// A batch is read a record at a time: summarising or rendering 80 MB of reports holds a fraction of them (peak
/// resident memory measured by Python's `getrusage`, where Python is at hand), where reading it whole held more
/// than the file.
#[test]
fn large_batches_are_streamed_in_bounded_memory() {
    let Ok(py) = std::process::Command::new("python3").arg("--version").output() else {
        eprintln!("python3 not found: peak memory not measured");
        return;
    };
    assert!(py.status.success());
    let dir = std::env::temp_dir().join(format!("pucha-stream-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let report = stdout(&pucha(&[
        "score",
        &example("raw-evidence.json"),
        "--format",
        "json",
    ]));
    let line = serde_json::to_string(&serde_json::from_str::<Value>(&report).unwrap()).unwrap() + "\n";
    let copies = 80_000_000 / line.len();
    let f = dir.join("big.jsonl");
    std::fs::write(&f, line.repeat(copies)).unwrap();
    let size_kb = std::fs::metadata(&f).unwrap().len() / 1024;
    let peak_kb = |args: &[&str]| -> u64 {
        let o = std::process::Command::new("python3")
            .args([
                "-c",
                "import resource, subprocess, sys\n\
                 r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n\
                 print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)",
                env!("CARGO_BIN_EXE_pucha"),
            ])
            .args(args)
            .output()
            .unwrap();
        let out = String::from_utf8_lossy(&o.stdout).to_string();
        let (rc, kb) = out.trim().split_once(' ').unwrap();
        assert_eq!(rc, "0", "{args:?}");
        kb.parse().unwrap()
    };
    let sum = peak_kb(&["summarize", &s(&f), "--format", "json"]);
    let html = dir.join("big.html");
    let render = peak_kb(&["render", &s(&f), "--format", "html", "--output", &s(&html)]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(
        sum < size_kb * 3 / 4,
        "summarize held {sum} KB for a {size_kb} KB input"
    );
    assert!(
        render < size_kb / 2,
        "render held {render} KB for a {size_kb} KB input"
    );
}

/// The text a person reads on a rendered page: no `<style>`, no tags, entities decoded.
fn page_text(html: &str) -> String {
    let mut rest = html;
    let mut out = String::new();
    while let Some(i) = rest.find("<style>") {
        out.push_str(&rest[..i]);
        rest = rest[i..].split_once("</style>").map_or("", |(_, after)| after);
    }
    out.push_str(rest);
    let mut text = String::new();
    let mut in_tag = false;
    for c in out.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The machine tokens left in `text` once URLs and file names are taken out (review 10.2): window codes such as
/// （6mo）, snake_case words, `fact.path =`, and `os error N`.
fn machine_tokens(text: &str) -> Vec<String> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || "，。：；、（）“”()[],;".contains(c))
        .filter(|w| !w.is_empty())
        .filter(|w| !(w.contains("://") || w.starts_with("www.")))
        .collect();
    let mut found = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let file_name = w.rsplit_once('.').is_some_and(|(_, ext)| {
            (2..=4).contains(&ext.len()) && ext.chars().all(|c| c.is_ascii_alphanumeric())
        });
        let ascii: String = w
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.')
            .collect();
        if ascii.contains('_') && ascii.chars().any(|c| c.is_ascii_lowercase()) && !file_name {
            found.push(format!("snake_case `{w}`"));
        }
        if ascii.contains('.')
            && ascii.chars().next().is_some_and(|c| c.is_ascii_lowercase())
            && words.get(i + 1) == Some(&"=")
        {
            found.push(format!("field `{w} =`"));
        }
        if *w == "os" && words.get(i + 1) == Some(&"error") {
            found.push("`os error`".into());
        }
    }
    for open in ['（', '('] {
        for (i, _) in text.match_indices(open) {
            let after = &text[i + open.len_utf8()..];
            let digits = after.chars().take_while(char::is_ascii_digit).count();
            if digits > 0 {
                let unit: String = after[digits..]
                    .chars()
                    .take_while(char::is_ascii_lowercase)
                    .collect();
                let close = after[digits + unit.len()..].chars().next();
                if matches!(unit.as_str(), "d" | "w" | "mo" | "y") && matches!(close, Some('）' | ')')) {
                    found.push(format!("window code `{}`", &after[..digits + unit.len()]));
                }
            }
        }
    }
    found
}

#[test]
fn no_machine_tokens_in_a_signed_table() {
    // The scanner itself finds what it looks for.
    assert_eq!(machine_tokens("自 2015-05-15 起（6mo）无新信息").len(), 1);
    assert_eq!(machine_tokens("按给出的计数 availability.failures = 6").len(), 1);
    assert_eq!(machine_tokens("按给出的计数 links.homepage_broken = 2").len(), 2);
    assert_eq!(machine_tokens("[未确认] serious_typo x").len(), 1);
    assert_eq!(machine_tokens("Connection refused (os error 111)").len(), 1);
    assert!(machine_tokens("见于 http://a.gov.cn/x_y/ 与 logo_old.png，共 2 周").is_empty());
    // Every shared vector's and example's observation, scored and rendered as the 上报表 in Chinese.
    let dir = artefacts("tokens");
    let mut batches: std::collections::BTreeMap<String, String> = Default::default();
    for pack in ["census-2015", "checklist-2019"] {
        for entry in std::fs::read_dir(root().join("tests/vectors").join(pack)).unwrap() {
            let v: Value =
                serde_json::from_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap()).unwrap();
            for case in v["cases"].as_array().into_iter().flatten() {
                if case["observation"].is_object() && case["expected"]["error"].is_null() {
                    let batch = batches.entry(pack.to_string()).or_default();
                    batch.push_str(&case["observation"].to_string());
                    batch.push('\n');
                }
            }
        }
    }
    for entry in std::fs::read_dir(root().join("examples/observations")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let batch = batches.entry("census-2015".into()).or_default();
            batch.push_str(&v.to_string());
            batch.push('\n');
        }
    }
    let mut scanned = 0;
    for (pack, lines) in &batches {
        let input = dir.join(format!("{pack}.jsonl"));
        std::fs::write(&input, lines).unwrap();
        let html = dir.join(format!("{pack}.html"));
        let o = pucha(&[
            "score",
            &s(&input),
            "--pack",
            pack,
            "--format",
            "html",
            "-o",
            &s(&html),
        ]);
        assert!(matches!(o.status.code(), Some(0 | 1 | 3)), "{}", stderr(&o));
        let text = page_text(&std::fs::read_to_string(&html).unwrap());
        let found = machine_tokens(&text);
        assert!(found.is_empty(), "{pack}: {found:?}");
        scanned += lines.lines().count();
        // The workbook's cells say the same.
        let book = dir.join(format!("{pack}.xlsx"));
        let o = pucha(&[
            "score",
            &s(&input),
            "--pack",
            pack,
            "--format",
            "xlsx",
            "-o",
            &s(&book),
        ]);
        assert!(matches!(o.status.code(), Some(0 | 1 | 3)), "{}", stderr(&o));
        let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(std::fs::read(&book).unwrap())).unwrap();
        for name in wb.sheet_names() {
            let range = wb.worksheet_range(&name).unwrap();
            for row in range.rows() {
                for c in row {
                    if let Data::String(t) = c {
                        let found = machine_tokens(t);
                        assert!(found.is_empty(), "{pack} sheet {name}: {found:?} in {t}");
                    }
                }
            }
        }
    }
    assert!(scanned > 100, "scanned {scanned} observations");
}
