//! `pucha profile check|import` end to end.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

mod common;
use common::{pucha, root};
use std::path::PathBuf;

fn scratch(name: &str) -> PathBuf {
    let d = root().join("target/profile-test");
    std::fs::create_dir_all(&d).unwrap();
    d.join(name)
}

#[test]
fn check_lists_every_problem_with_both_names() {
    let good = root().join("examples/profiles/county.toml");
    let o = pucha(&["profile", "check", good.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stdout).contains("10 columns"));
    let bad = scratch("bad.toml");
    let text = std::fs::read_to_string(&good)
        .unwrap()
        .replace("蜀ICP备05060933号", "蜀ICP05060933")
        .replace("web@county.example.gov.cn", "web-at-county")
        .replace("http://www.county.example.gov.cn/zxft/", "");
    std::fs::write(&bad, text).unwrap();
    let o = pucha(&["profile", "check", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let s = String::from_utf8_lossy(&o.stdout);
    assert!(s.starts_with("3 处问题 / 3 problems"), "{s}");
    assert!(s.contains("- ICP备案编号（site.icp）："));
    assert!(s.contains("- 联系人 电子邮箱（contact.email）："));
    assert!(s.contains("（columns[7].url）：必填 / required"));
    let typo = scratch("typo.toml");
    std::fs::write(&typo, "[site]\nnmae = \"x\"\n").unwrap();
    let o = pucha(&["profile", "check", typo.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("nmae"));
}

#[test]
fn import_from_json_and_xlsx() {
    let good = root().join("examples/profiles/county.toml");
    let toml = String::from_utf8(pucha(&["profile", "import", good.to_str().unwrap()]).stdout).unwrap();
    let json_path = scratch("county.json");
    let v: toml::Value = toml::from_str(&toml).unwrap();
    std::fs::write(&json_path, serde_json::to_string(&v).unwrap()).unwrap();
    let back = pucha(&["profile", "import", json_path.to_str().unwrap()]);
    assert_eq!(String::from_utf8(back.stdout).unwrap(), toml);
    // A workbook laid out like the forms.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let a = wb.add_worksheet();
    a.set_name("基本信息表").unwrap();
    for (r, (k, v)) in [("网站名称", "示例网站"), ("首页网址", "http://x.example.gov.cn/")]
        .iter()
        .enumerate()
    {
        a.write_string(r as u32, 0, *k).unwrap();
        a.write_string(r as u32, 1, *v).unwrap();
    }
    let b = wb.add_worksheet();
    b.set_name("栏目基本信息表").unwrap();
    for (c, h) in ["类别", "栏目名称", "网址"].iter().enumerate() {
        b.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in [
        "通知公告",
        "通知公告；公示公告",
        "http://x.example.gov.cn/a/；http://x.example.gov.cn/b/",
    ]
    .iter()
    .enumerate()
    {
        b.write_string(1, c as u16, *v).unwrap();
    }
    let xlsx = scratch("form.xlsx");
    wb.save(&xlsx).unwrap();
    let out = scratch("form.toml");
    let o = pucha(&[
        "profile",
        "import",
        xlsx.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.contains("name = \"示例网站\"")
            && text.contains("公示公告")
            && text.contains("http://x.example.gov.cn/b/"),
        "{text}"
    );
    // The imported profile is incomplete, and check says what is missing.
    let o = pucha(&["profile", "check", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stdout).contains("网站主管单位"));
}
