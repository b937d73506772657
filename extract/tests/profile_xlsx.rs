//! Site profiles imported from spreadsheets laid out like 附件3 and 附件4.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

use pucha_extract::profile::SiteProfile;
use pucha_extract::profile_from_xlsx;
use rust_xlsxwriter::Workbook;

/// The example profile as the two forms: label/value cells with the persons' parts, and the column table with
/// several columns of one category joined by "；" and a merged category cell.
fn form_workbook() -> Vec<u8> {
    let mut wb = Workbook::new();
    let a = wb.add_worksheet();
    a.set_name("附件3 政府网站基本信息表").unwrap();
    let rows: &[&[&str]] = &[
        &["政府网站基本信息表"],
        &["部门/地区", "示例省示例县", "网站名称", "示例县人民政府门户网站"],
        &[
            "ICP备案编号",
            "蜀ICP备05060933号",
            "首页网址",
            "http://www.county.example.gov.cn/",
        ],
        &[
            "网站主管单位",
            "示例县人民政府办公室",
            "办公地址",
            "示例县人民路 1 号",
        ],
        &["网站类型", "门户网站", "网站标识码", "5101230001"],
        &["负责人", "姓名", "张三", "职务", "主任"],
        &[
            "",
            "办公电话",
            "028-12345678",
            "手机",
            "13800138000",
            "电子邮箱",
            "zhangsan@county.example.gov.cn",
        ],
        &["联系人", "姓名", "李四", "办公电话", "028-87654321"],
        &[
            "",
            "手机",
            "13900139000",
            "电子邮箱：",
            "web@county.example.gov.cn",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                a.write_string(r as u32, c as u16, *v).unwrap();
            }
        }
    }
    let b = wb.add_worksheet();
    b.set_name("附件4 栏目（系统）基本信息表").unwrap();
    let rows: &[&[&str]] = &[
        &["栏目（系统）基本信息表"],
        &["大类", "类别", "栏目名称", "栏目网址", "首页"],
        &[
            "信息公开类",
            "工作动态",
            "工作动态；图片新闻",
            "http://www.county.example.gov.cn/gzdt/；http://www.county.example.gov.cn/tpxw/",
            "是",
        ],
        &["", "", "基层动态", "http://www.county.example.gov.cn/jcdt/", "否"],
        &[
            "",
            "通知公告",
            "通知公告",
            "http://www.county.example.gov.cn/tzgg/",
            "是",
        ],
        &[
            "互动回应类",
            "政务咨询",
            "县长信箱",
            "http://www.county.example.gov.cn/xzxx/",
            "",
        ],
        &[
            "办事服务类",
            "在线（申报、查询）系统",
            "网上办事大厅",
            "http://www.county.example.gov.cn/wsbsdt/",
            "",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                b.write_string(r as u32, c as u16, *v).unwrap();
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

#[test]
fn the_forms_import_into_a_clean_profile() {
    let p = profile_from_xlsx(&form_workbook()).unwrap();
    assert_eq!(p.site.name, "示例县人民政府门户网站");
    assert_eq!(p.site.icp, "蜀ICP备05060933号");
    assert_eq!(p.site.kind.as_deref(), Some("portal"));
    assert_eq!(p.site.id.as_deref(), Some("5101230001"));
    assert_eq!(
        (p.head.name.as_str(), p.head.title.as_deref()),
        ("张三", Some("主任"))
    );
    assert_eq!(p.head.email, "zhangsan@county.example.gov.cn");
    assert_eq!(
        (p.contact.mobile.as_str(), p.contact.email.as_str()),
        ("13900139000", "web@county.example.gov.cn")
    );
    let cols: Vec<(&str, &str, bool)> = p
        .columns
        .iter()
        .map(|c| (c.category.as_str(), c.name.as_str(), c.on_homepage))
        .collect();
    assert_eq!(
        cols,
        [
            ("工作动态", "工作动态", true),
            ("工作动态", "图片新闻", true),
            ("工作动态", "基层动态", false),
            ("通知公告", "通知公告", true),
            ("政务咨询", "县长信箱", false),
            ("在线（申报、查询）系统", "网上办事大厅", false)
        ]
    );
    assert_eq!(p.columns[1].url, "http://www.county.example.gov.cn/tpxw/");
    assert_eq!(p.check(), vec![], "the imported profile passes the filling rules");
    // And it matches the TOML example in its basic information.
    let toml = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/profiles/county.toml"
    ))
    .unwrap();
    let example = SiteProfile::from_toml_str(&toml).unwrap();
    assert_eq!(example.site, p.site);
    assert_eq!(example.head, p.head);
    assert_eq!(example.check(), vec![]);
}

#[test]
fn broken_workbooks_are_named() {
    assert!(profile_from_xlsx(b"not a zip").unwrap_err().contains("XLSX"));
    let mut wb = Workbook::new();
    let s = wb.add_worksheet();
    s.set_name("栏目").unwrap();
    s.write_string(0, 0, "栏目名称").unwrap();
    s.write_string(0, 1, "网址").unwrap();
    s.write_string(1, 0, "a；b").unwrap();
    s.write_string(1, 1, "http://x/").unwrap();
    let _ = wb.add_worksheet();
    let e = profile_from_xlsx(&wb.save_to_buffer().unwrap()).unwrap_err();
    assert!(
        e.contains("row 2") && e.contains("2 column names but 1 addresses"),
        "{e}"
    );
    // An empty profile reads, and its check lists what is missing.
    let mut wb = Workbook::new();
    let _ = wb.add_worksheet();
    let p = profile_from_xlsx(&wb.save_to_buffer().unwrap()).unwrap();
    assert!(p.check().len() >= 6);
}

/// A sheet whose used range spans the whole grid (A1 and XFD1048576 filled) is read by the cells it fills: a
/// dense read would allocate 17 × 10⁹ cells and abort.
#[test]
fn a_sheet_spanning_the_whole_grid_reads_by_its_filled_cells() {
    let mut wb = Workbook::new();
    let s = wb.add_worksheet();
    s.write_string(0, 0, "网站名称").unwrap();
    s.write_string(0, 1, "示例网站").unwrap();
    s.write_string(1_048_575, 16_383, "x").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    assert!(bytes.len() < 10_000, "{}", bytes.len());
    let p = profile_from_xlsx(&bytes).unwrap();
    assert_eq!(p.site.name, "示例网站");
}

/// A sheet filling more cells than any form does is refused by name, before it is held.
#[test]
fn a_sheet_filling_too_many_cells_is_refused() {
    let mut wb = Workbook::new();
    let s = wb.add_worksheet();
    s.set_name("基本信息").unwrap();
    for r in 0..10_001u32 {
        s.write_number(r, 0, 1.0).unwrap();
    }
    let e = profile_from_xlsx(&wb.save_to_buffer().unwrap()).unwrap_err();
    assert!(e.contains("sheet `基本信息` fills more than 10000 cells"), "{e}");
}

/// A workbook that unpacks to more than the limit (a ZIP bomb: 65 MiB of zeros in 65 KB) is refused before it is
/// opened, whatever the sizes its headers claim.
#[test]
fn a_zip_bomb_is_refused_before_it_is_opened() {
    use std::io::Write as _;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    zip.start_file("xl/sharedStrings.xml", deflated).unwrap();
    let zeros = vec![b'0'; 1 << 20];
    for _ in 0..65 {
        zip.write_all(&zeros).unwrap();
    }
    let bytes = zip.finish().unwrap().into_inner();
    assert!(bytes.len() < 200_000, "{}", bytes.len());
    let e = profile_from_xlsx(&bytes).unwrap_err();
    assert!(
        e.contains("unpacks to more than 64 MiB") && e.contains("xl/sharedStrings.xml"),
        "{e}"
    );
}
