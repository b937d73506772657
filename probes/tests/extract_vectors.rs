//! The extraction vectors (`tests/vectors/extract/`): every page of the fixture county portal, and pages of the
//! shapes real sites serve (GBK without a header charset, a UTF-16 label on UTF-8 bytes, GB18030, a bot wall …),
//! with what `pucha_extract::examine` reads from each. Node runs the browser's checker module on the same bytes and
//! must read the same (`bindings/wasm/test/extract.test.mjs`).
//!
//! This test fails when the committed file differs from what the Rust code reads now;
//! `PUCHA_BLESS=1 cargo test -p pucha-probes --test extract_vectors` writes it again.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

use pucha_probes::fixture::FixtureSite;
use serde_json::{Value, json};
use std::fmt::Write as _;

const BASE: &str = "http://www.county.example.gov.cn";

fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

fn case(name: &str, path: &str, body: &[u8], content_type: Option<&str>, crawl: &str) -> Value {
    let request = json!({
        "url": format!("{BASE}{path}"),
        "home": format!("{BASE}/"),
        "content_type": content_type,
        "crawl": crawl,
    });
    let answer = pucha_extract::examine(body, &request.to_string());
    assert_eq!(answer["type"], "success", "{name}: {answer}");
    json!({
        "name": name,
        "request": request,
        "body_hex": hex(body),
        "expected": answer["reading"],
    })
}

fn vectors() -> Value {
    let crawl = chrono::NaiveDate::from_ymd_opt(2015, 6, 30).unwrap();
    let site = FixtureSite::generate(2015, crawl);
    let mut paths: Vec<&str> = site.paths().collect();
    paths.sort_unstable();
    let mut cases = Vec::new();
    for path in paths {
        let (body, content_type) = site.page(path).unwrap();
        if !content_type.starts_with("text/html") {
            continue;
        }
        cases.push(case(
            &format!("fixture {path}"),
            path,
            body,
            Some(content_type),
            "2015-06-30",
        ));
    }
    let shapes: [(&str, Vec<u8>, Option<&str>); 6] = [
        (
            "GBK named only in <meta>, with [MM-DD] dates",
            encoding_rs::GBK
                .encode("<meta charset=\"gb2312\"><ul><li><a href=\"/a/1.html\" title=\"关于开展全国政府网站普查工作的通知（全文）\">关于开展全国政府网站普查…</a>[06-29]</li><li><a href=\"/a/2.html\">通知二</a><span>2015年6月1日</span></li><li><a href=\"/list_2.html\">下一页</a></li></ul>")
                .0
                .into_owned(),
            Some("text/html"),
        ),
        (
            "a UTF-16 label in <meta> on UTF-8 bytes reads as UTF-8 (WHATWG)",
            "<meta charset=\"utf-16\"><ul><li><a href=\"a.html\">政务公开目录</a> 2015-06-01</li></ul>".as_bytes().to_vec(),
            None,
        ),
        (
            "GB18030 from the header, full-width dates",
            encoding_rs::GB18030
                .encode("<ul><li><a href=\"/b.html\">县政府常务会议</a>２０１５－０６－２８</li></ul><a href=\"http://www.gov.cn/\">中国政府网</a><img src=\"/i/logo.png\">")
                .0
                .into_owned(),
            Some("text/html; charset=GB18030"),
        ),
        (
            "a guide naming a form it offers and one it does not, with a wrong term",
            "<h1>事项名称：建设项目环评审批</h1><h2>申请条件</h2><p>提交《环评审批申请表》和《承诺书》。依法形政。</p><a href=\"/f/sq.doc\">《环评审批申请表》下载</a><h2>办理地点</h2><h2>联系电话</h2>".as_bytes().to_vec(),
            Some("text/html; charset=utf-8"),
        ),
        (
            "a mailbox: asked and answered dates, and an unanswered row",
            "<table><tr><td><a href=\"/x/1.html\">咨询社保转移</a></td><td>2015-03-02</td><td>2015-03-05</td></tr><tr><td><a href=\"/x/2.html\">咨询户籍</a></td><td>2015-02-01</td><td>未回复</td></tr></table>".as_bytes().to_vec(),
            Some("text/html; charset=utf-8"),
        ),
        (
            "a parent column that sends the reader on is not blank",
            "<meta http-equiv=\"refresh\" content=\"0; url=/zwgk/list.html\">".as_bytes().to_vec(),
            Some("text/html; charset=utf-8"),
        ),
    ];
    for (i, (name, body, ct)) in shapes.into_iter().enumerate() {
        cases.push(case(
            name,
            &format!("/shapes/{i}/index.html"),
            &body,
            ct,
            "2015-06-30",
        ));
    }
    json!({
        "description": "What pucha_extract::examine reads from each page (request + body as hex → expected reading); written by probes/tests/extract_vectors.rs from the Rust code, run by Node on the checker module",
        "cases": cases,
    })
}

#[test]
fn the_extraction_vectors_are_what_the_rust_code_reads() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/extract/pages.json");
    let now = serde_json::to_string_pretty(&vectors()).unwrap() + "\n";
    if std::env::var_os("PUCHA_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &now).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == now,
        "{} differs from what pucha-extract reads now; check the change, then write it again with \
         `PUCHA_BLESS=1 cargo test -p pucha-probes --test extract_vectors`",
        path.display()
    );
}

#[test]
fn the_vectors_hold_the_fixtures_planted_facts() {
    let v = vectors();
    let cases = v["cases"].as_array().unwrap();
    let by = |path: &str| {
        cases
            .iter()
            .find(|c| c["request"]["url"] == format!("{BASE}{path}"))
            .unwrap_or_else(|| panic!("{path}"))
    };
    let site = FixtureSite::generate(2015, chrono::NaiveDate::from_ymd_opt(2015, 6, 30).unwrap());
    for blank in &site.planted.blank {
        assert_eq!(by(blank)["expected"]["column"]["blank"], true, "{blank}");
    }
    for (path, newest) in &site.planted.newest {
        let items = by(path)["expected"]["column"]["items"]
            .as_array()
            .unwrap()
            .clone();
        let read = items
            .iter()
            .filter_map(|i| i["published"].as_str())
            .max()
            .map(str::to_string);
        assert_eq!(read, newest.map(|d| d.to_string()), "{path}");
    }
    let home_links: Vec<String> = by("/")["expected"]["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["url"].as_str().unwrap().to_string())
        .collect();
    for broken in &site.planted.broken_on_homepage {
        let url = if broken.starts_with('/') {
            format!("{BASE}{broken}")
        } else {
            broken.clone()
        };
        assert!(home_links.contains(&url), "{broken}");
    }
}
