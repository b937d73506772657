//! A fixture government site, generated from a seed and served on 127.0.0.1, for tests, benches and `pucha demo`.
//!
//! It looks like a county portal of the census years: a homepage with column blocks (工作动态 with `[MM-DD]` dates,
//! 通知公告), column list pages in the date formats real sites use — 通知公告 served in GBK without a charset in its
//! header — a stale 政策文件 column (newest item 8 months old), a 人事信息 column untouched for over a year, a blank
//! 规划计划 column, a 基层动态 column whose items carry no dates, article pages, broken links of every kind (a
//! missing page, image and attachment on the homepage and deeper), a homepage that answers 1 availability visit in
//! 30 with 503 and some slowly, and its profile. Everything the generator puts
//! there is also returned as [`Planted`], so tests compare what the probes find with what is really there.

use chrono::{Duration as Days, NaiveDate};
use pucha_extract::profile::{BasicInfo, Person, ProfileColumn, SiteProfile};
use std::collections::HashMap;
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// What the generator planted, to check the probes against.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Planted {
    /// Newest dated item per column path.
    pub newest: HashMap<String, Option<NaiveDate>>,
    /// Dated items on homepage columns within the 2 weeks before the crawl date.
    pub homepage_updates: usize,
    /// Blank column paths.
    pub blank: Vec<String>,
    /// Broken link targets (paths) linked from the homepage.
    pub broken_on_homepage: Vec<String>,
    /// Broken link targets (paths) linked from other pages only, with the depth they are first found at.
    pub broken_elsewhere: Vec<(String, u32)>,
    /// 县长信箱: valid messages asked within the year before the crawl.
    pub valid_messages: usize,
    /// … of them answered after more than 3 months, or still waiting after 3 months.
    pub overdue_messages: usize,
    /// 民意征集 activities within the year.
    pub survey_activities: usize,
    /// 在线访谈 activities within the year.
    pub interview_activities: usize,
    /// Guides and the element keys each lacks.
    pub guide_missing: Vec<(String, Vec<&'static str>)>,
    /// Forms a guide mentions but does not offer.
    pub attachments_not_offered: usize,
    /// Offered attachments that do not download.
    pub attachments_broken: usize,
    /// Online systems that cannot be reached.
    pub online_systems_unreachable: usize,
    /// Planted wrong forms (wrong text, whether the dictionary marks it certain).
    pub typos: Vec<(&'static str, bool)>,
}

/// A generated site: its pages by path, and what was planted.
#[derive(Debug, Clone)]
pub struct FixtureSite {
    pages: HashMap<String, (Vec<u8>, &'static str)>,
    /// Path, name, category and homepage flag of each column, for the profile.
    columns: Vec<(&'static str, &'static str, &'static str, bool)>,
    /// The crawl date the content is dated against.
    pub crawl: NaiveDate,
    /// What is there.
    pub planted: Planted,
}

/// A small deterministic generator (no dependency needed for fixtures).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const TOPICS: &[&str] = &[
    "关于做好安全生产工作的通知",
    "县政府召开常务会议",
    "全县经济运行情况通报",
    "关于开展环境整治的公告",
    "县领导调研脱贫攻坚工作",
    "关于公开征求意见的公告",
    "全县教育工作会议召开",
    "关于调整最低工资标准的通知",
    "县政府与企业签订合作协议",
    "关于加强森林防火工作的通知",
    "全县招商引资推进会召开",
    "关于做好防汛抗旱工作的通知",
];

struct Column {
    path: &'static str,
    name: &'static str,
    category: &'static str,
    on_home: bool,
    /// Days back from the crawl date of each item; `None`: the item shows no date.
    ages: Vec<Option<i64>>,
    /// Date style: 0 `2015-03-29`, 1 `[03-29]`, 2 `2015年3月29日`, 3 `2015/3/29`, 4 full-width.
    style: u8,
    gbk: bool,
}

fn date_text(d: NaiveDate, style: u8) -> String {
    use chrono::Datelike;
    let (y, m, day) = (d.year(), d.month(), d.day());
    match style {
        1 => format!("[{m:02}-{day:02}]"),
        2 => format!("{y}年{m}月{day}日"),
        3 => format!("{y}/{m}/{day}"),
        4 => format!("{y}-{m:02}-{day:02}")
            .chars()
            .map(|c| match c {
                '0'..='9' => char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c),
                '-' => '－',
                _ => c,
            })
            .collect(),
        _ => format!("{y}-{m:02}-{day:02}"),
    }
}

fn page(title: &str, body: &str, charset: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"{charset}\"><title>{title} - 示例县人民政府门户网站</title>\
         <style>.list li span{{float:right}}</style><script>var _hmt = _hmt || [];</script></head><body>\
         <div class=\"top\"><a href=\"/\">首页</a> <a href=\"/gzdt/\">政务动态</a> <a href=\"/tzgg/\">信息公开</a> \
         <a href=\"/zcwj/\">政策文件</a></div>\
         <div class=\"main\"><h1>{title}</h1>{body}</div>\
         <div class=\"footer\">主办：示例县人民政府办公室 蜀ICP备05060933号 网站标识码：5101230001</div></body></html>"
    )
}

impl FixtureSite {
    /// Generate the site for `seed`, dated against `crawl`.
    pub fn generate(seed: u64, crawl: NaiveDate) -> FixtureSite {
        let mut rng = Lcg(seed ^ 0x9e37_79b9_7f4a_7c15);
        let mut ages = |n: usize, min: i64, spread: i64| -> Vec<Option<i64>> {
            let mut v: Vec<Option<i64>> = (0..n)
                .map(|i| Some(min + i as i64 * spread + rng.below(3) as i64))
                .collect();
            v.sort();
            v
        };
        let columns = vec![
            Column {
                path: "/gzdt/",
                name: "工作动态",
                category: "dynamics",
                on_home: true,
                ages: ages(12, 0, 3),
                style: 1,
                gbk: false,
            },
            Column {
                path: "/tzgg/",
                name: "通知公告",
                category: "notice",
                on_home: true,
                ages: ages(10, 2, 9),
                style: 2,
                gbk: true,
            },
            Column {
                path: "/zcwj/",
                name: "政策文件",
                category: "policy",
                on_home: false,
                ages: ages(8, 245, 20),
                style: 0,
                gbk: false,
            },
            Column {
                path: "/rsxx/",
                name: "人事信息",
                category: "personnel",
                on_home: false,
                ages: ages(6, 400, 30),
                style: 3,
                gbk: false,
            },
            Column {
                path: "/ghjh/",
                name: "规划计划",
                category: "plan",
                on_home: false,
                ages: Vec::new(),
                style: 0,
                gbk: false,
            },
            Column {
                path: "/jcdt/",
                name: "基层动态",
                category: "dynamics",
                on_home: false,
                ages: vec![None; 5],
                style: 0,
                gbk: false,
            },
            Column {
                path: "/tpxw/",
                name: "图片新闻",
                category: "dynamics",
                on_home: false,
                ages: ages(6, 1, 5),
                style: 4,
                gbk: false,
            },
        ];
        let mut pages: HashMap<String, (Vec<u8>, &'static str)> = HashMap::new();
        let mut planted = Planted::default();
        let mut home_blocks = String::new();
        let mut broken_deep = Vec::new();
        for (ci, c) in columns.iter().enumerate() {
            let mut list = String::from("<ul class=\"list\">");
            let mut newest: Option<NaiveDate> = None;
            for (i, age) in c.ages.iter().enumerate() {
                let title = TOPICS[(ci * 5 + i) % TOPICS.len()];
                let href = format!("{}t{}_{}.html", c.path, ci, i);
                let date = age.map(|a| crawl - Days::days(a));
                if let Some(d) = date {
                    newest = newest.max(Some(d));
                    if c.on_home && crawl.signed_duration_since(d).num_days() <= 14 {
                        planted.homepage_updates += 1;
                    }
                }
                let shown = date
                    .map(|d| format!("<span>{}</span>", date_text(d, c.style)))
                    .unwrap_or_default();
                list.push_str(&format!(
                    "<li><a href=\"{href}\" title=\"{title}\">{title}</a>{shown}</li>"
                ));
                let typo = match (c.path, i) {
                    ("/gzdt/", 0) => "<p>中华人民共合国成立以来，我县各项事业蓬勃发展。</p>",
                    ("/gzdt/", 2) => "<p>截止目前，全县已完成年度目标任务的九成。</p>",
                    _ => "",
                };
                let article = page(
                    title,
                    &format!(
                        "<p>发布日期：{}</p><p>{title}。正文内容。</p>{typo}",
                        date.map(|d| d.to_string()).unwrap_or_default()
                    ),
                    "utf-8",
                );
                // One article in each stale column is gone: a broken link below the homepage.
                if i == 1 && (c.path == "/zcwj/" || c.path == "/rsxx/") {
                    broken_deep.push((href.clone(), 1));
                } else {
                    pages.insert(href, (article.into_bytes(), "text/html; charset=utf-8"));
                }
            }
            if c.ages.is_empty() {
                list.push_str("<li>暂无信息</li>");
                planted.blank.push(c.path.to_string());
            }
            list.push_str("</ul><div class=\"page\"><a href=\"index_1.html\">下一页</a></div>");
            // The deep pages also link a missing image.
            if c.path == "/rsxx/" {
                list.push_str("<img src=\"/images/rsxx-banner.png\">");
                broken_deep.push(("/images/rsxx-banner.png".into(), 1));
            }
            let html = page(c.name, &list, if c.gbk { "gbk" } else { "utf-8" });
            let (bytes, ct) = if c.gbk {
                // Declared only in the page's <meta>, as many old sites do.
                (encoding_rs::GBK.encode(&html).0.into_owned(), "text/html")
            } else {
                (html.into_bytes(), "text/html; charset=utf-8")
            };
            pages.insert(c.path.to_string(), (bytes, ct));
            planted.newest.insert(c.path.to_string(), newest);
            if c.on_home {
                let mut block = format!(
                    "<div class=\"block\"><h2><a href=\"{}\">{}</a></h2><ul>",
                    c.path, c.name
                );
                for (i, age) in c.ages.iter().take(6).enumerate() {
                    let title = TOPICS[(ci * 5 + i) % TOPICS.len()];
                    let date = age
                        .map(|a| date_text(crawl - Days::days(a), 1))
                        .unwrap_or_default();
                    block.push_str(&format!(
                        "<li><a href=\"{}t{}_{}.html\">{title}</a>{date}</li>",
                        c.path, ci, i
                    ));
                }
                block.push_str("</ul></div>");
                home_blocks.push_str(&block);
            } else {
                home_blocks.push_str(&format!("<a href=\"{}\">{}</a> ", c.path, c.name));
            }
        }
        // The homepage's own broken links: a page, an image, an attachment and an external site that is gone.
        let home_broken = [
            "/zwgk/old-page.html",
            "/images/banner-2014.jpg",
            "/files/guide-2013.doc",
            "http://127.0.0.2:9/",
        ];
        home_blocks.push_str("<div class=\"links\"><a href=\"/zwgk/old-page.html\">政务公开旧版</a>");
        home_blocks.push_str("<a href=\"http://127.0.0.2:9/\">友情链接：示例市人民政府（已停用）</a>");
        home_blocks.push_str(
            "<img src=\"/images/banner-2014.jpg\"><a href=\"/files/guide-2013.doc\">办事表格下载</a></div>",
        );
        planted.broken_on_homepage = home_broken.iter().map(|s| s.to_string()).collect();
        planted.broken_elsewhere = broken_deep;
        // Found on a guide page (depth 2): 首页 → 办事指南 → the guide.
        planted
            .broken_elsewhere
            .push(("/files/missing-form.doc".into(), 2));
        planted.typos = vec![("中华人民共合国", true), ("截止目前", false)];
        home_blocks.push_str(&interaction_and_services(crawl, &mut pages, &mut planted));
        pages.insert(
            "/".into(),
            (
                page("示例县人民政府门户网站", &home_blocks, "utf-8").into_bytes(),
                "text/html; charset=utf-8",
            ),
        );
        pages.insert(
            "/robots.txt".into(),
            (b"User-agent: *\nDisallow: /admin/\n".to_vec(), "text/plain"),
        );
        for c in &columns {
            pages.insert(
                format!("{}index_1.html", c.path),
                (
                    page(c.name, "<ul class=\"list\"></ul>", "utf-8").into_bytes(),
                    "text/html; charset=utf-8",
                ),
            );
        }
        FixtureSite {
            pages,
            columns: columns
                .iter()
                .map(|c| (c.path, c.name, c.category, c.on_home))
                .collect(),
            crawl,
            planted,
        }
    }

    /// The site's profile (附件3 + 附件4) with `base` as its address.
    pub fn profile(&self, base: &str) -> SiteProfile {
        SiteProfile {
            site: BasicInfo {
                region: "示例省示例县".into(),
                name: "示例县人民政府门户网站".into(),
                icp: "蜀ICP备05060933号".into(),
                homepage: format!("{base}/"),
                authority: "示例县人民政府办公室".into(),
                address: "示例县人民路 1 号".into(),
                kind: Some("portal".into()),
                id: Some("5101230001".into()),
            },
            head: Person {
                name: "张三".into(),
                title: Some("主任".into()),
                office_phone: "028-12345678".into(),
                mobile: "13800138000".into(),
                email: "zhangsan@county.example.gov.cn".into(),
            },
            contact: Person {
                name: "李四".into(),
                title: None,
                office_phone: "028-87654321".into(),
                mobile: "13900139000".into(),
                email: "web@county.example.gov.cn".into(),
            },
            columns: self
                .columns
                .iter()
                .map(|(path, name, category, on_home)| (*path, *name, *category, *on_home))
                .chain(SERVICE_COLUMNS.iter().map(|(p, n, c)| (*p, *n, *c, false)))
                .map(|(path, name, category, on_home)| ProfileColumn {
                    category: category.into(),
                    name: name.into(),
                    url: format!("{base}{path}"),
                    on_homepage: on_home,
                })
                .collect(),
        }
    }

    /// The site grown to `pages` HTML pages serving `links` paths in all (no change where it has that many
    /// already): a 网站地图 page linked from the homepage lists the added pages, and the added pages share the
    /// attachments that make up the rest, all served, so a crawl reads about `pages` pages and checks about `links`
    /// link targets. What was planted stays as it was; nothing added is broken.
    #[must_use]
    pub fn grown(mut self, pages: usize, links: usize) -> FixtureSite {
        let html = self
            .pages
            .values()
            .filter(|(_, ct)| ct.starts_with("text/html"))
            .count();
        let extra = pages.saturating_sub(html + 1);
        if extra == 0 {
            return self;
        }
        let files = links.saturating_sub(self.pages.len() + extra + 1);
        let mut map = String::from("<ul class=\"list\">");
        for i in 0..extra {
            let title = TOPICS[i % TOPICS.len()];
            map.push_str(&format!(
                "<li><a href=\"/wzdt/p{i}.html\">{title}（{i}）</a></li>"
            ));
            let mut body = format!("<h1>{title}</h1><p>正文。</p><ul>");
            // Attachment k goes on added page k % extra.
            for k in (i..files).step_by(extra) {
                let file = format!("/wzdt/f{k}.pdf");
                body.push_str(&format!("<li><a href=\"{file}\">附件{k}</a></li>"));
                self.pages
                    .insert(file, (b"%PDF-1.4\n%%EOF\n".to_vec(), "application/pdf"));
            }
            body.push_str("</ul>");
            self.pages.insert(
                format!("/wzdt/p{i}.html"),
                (
                    page(title, &body, "utf-8").into_bytes(),
                    "text/html; charset=utf-8",
                ),
            );
        }
        map.push_str("</ul>");
        self.pages.insert(
            "/wzdt/".into(),
            (
                page("网站地图", &map, "utf-8").into_bytes(),
                "text/html; charset=utf-8",
            ),
        );
        if let Some((home, _)) = self.pages.get_mut("/") {
            let text = String::from_utf8_lossy(home).replacen(
                "</body>",
                "<div class=\"links\"><a href=\"/wzdt/\">网站地图</a></div></body>",
                1,
            );
            *home = text.into_bytes();
        }
        self
    }

    /// Every path the site serves.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.pages.keys().map(String::as_str)
    }

    /// The bytes served at `path` and their `Content-Type`.
    pub fn page(&self, path: &str) -> Option<(&[u8], &'static str)> {
        self.pages.get(path).map(|(b, ct)| (b.as_slice(), *ct))
    }

    /// Serve the site on 127.0.0.1 (a free port) until the returned handle is dropped; returns its base address.
    ///
    /// # Errors
    /// When no local port can be bound.
    pub async fn serve(self) -> std::io::Result<Served> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}", listener.local_addr()?);
        let pages = Arc::new(self.pages);
        let homepage_hits = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let task = tokio::spawn(async move {
            while let Ok((mut s, _)) = listener.accept().await {
                let pages = pages.clone();
                let hits = homepage_hits.clone();
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 4096];
                    let mut got = Vec::new();
                    while !got.windows(4).any(|w| w == b"\r\n\r\n") && got.len() < 65536 {
                        match s.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => got.extend_from_slice(&buf[..n]),
                        }
                    }
                    let head = String::from_utf8_lossy(&got);
                    let mut words = head.split_whitespace();
                    let method = words.next().unwrap_or("GET").to_string();
                    let target = words.next().unwrap_or("/").to_string();
                    let path = target.split('?').next().unwrap_or("/").to_string();
                    // Availability visits (the homepage with a cache-busting `?_=` query): 1 in 30 fails with 503,
                    // and some are slow, as a loaded county server would be.
                    let sampled = path == "/" && target.contains("?_=");
                    let n = if sampled {
                        hits.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
                    } else {
                        0
                    };
                    if sampled && n % 10 == 3 {
                        tokio::time::sleep(std::time::Duration::from_millis(40)).await;
                    }
                    let (status, body, ct): (&str, &[u8], &str) = match pages.get(&path) {
                        _ if sampled && n % 30 == 7 => {
                            ("503 Service Unavailable", b"<h1>503</h1>", "text/html")
                        }
                        // The online service hall is down for good.
                        _ if path.starts_with("/wsbsdt/") => {
                            ("503 Service Unavailable", b"<h1>503</h1>", "text/html")
                        }
                        Some((b, ct)) => ("200 OK", b, ct),
                        None => (
                            "404 Not Found",
                            b"<html><body><h1>404 Not Found</h1></body></html>",
                            "text/html",
                        ),
                    };
                    let mut out = format!(
                        "HTTP/1.1 {status}\r\nContent-Type: {ct}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    )
                    .into_bytes();
                    if method != "HEAD" {
                        out.extend_from_slice(body);
                    }
                    let _ = s.write_all(&out).await;
                    let _ = s.shutdown().await;
                });
            }
        });
        Ok(Served { base, task })
    }
}

/// A running fixture site; stops when dropped.
#[derive(Debug)]
pub struct Served {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    pub(crate) task: tokio::task::JoinHandle<()>,
}

impl Drop for Served {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The interaction and service columns: path, name, category.
const SERVICE_COLUMNS: &[(&str, &str, &str)] = &[
    ("/xzxx/", "县长信箱", "consultation"),
    ("/myzj/", "民意征集", "survey"),
    ("/zxft/", "在线访谈", "interview"),
    ("/bszn/", "办事指南", "guide"),
    ("/wsbsdt/", "网上办事大厅", "online_system"),
];

fn insert(pages: &mut HashMap<String, (Vec<u8>, &'static str)>, path: &str, title: &str, body: &str) {
    pages.insert(
        path.to_string(),
        (
            page(title, body, "utf-8").into_bytes(),
            "text/html; charset=utf-8",
        ),
    );
}

/// The mailbox, surveys, interviews, guides and the online system; returns the homepage links to them.
fn interaction_and_services(
    crawl: NaiveDate,
    pages: &mut HashMap<String, (Vec<u8>, &'static str)>,
    planted: &mut Planted,
) -> String {
    let day = |n: i64| crawl - Days::days(n);
    // 县长信箱: (asked days ago, answered days ago or None).
    let letters: &[(i64, Option<i64>)] = &[
        (5, Some(3)),
        (12, Some(10)),
        (20, Some(15)),
        (33, Some(30)),
        (41, None),
        (58, Some(50)),
        (70, Some(66)),
        (95, Some(90)),
        (120, None),
        (150, Some(140)),
        (200, Some(95)),
        (230, Some(225)),
        (260, Some(250)),
        (300, Some(296)),
        (340, Some(333)),
    ];
    let mut rows =
        String::from("<table class=\"mailbox\"><tr><th>标题</th><th>来信时间</th><th>回复时间</th></tr>");
    for (i, (asked, answered)) in letters.iter().enumerate() {
        let a = day(*asked);
        let r = answered.map(day);
        let shown = r.map_or("未回复".to_string(), |d| d.to_string());
        rows.push_str(&format!(
            "<tr><td><a href=\"/xzxx/m{i}.html\">关于第{i}项民生问题的咨询</a></td><td>{a}</td><td>{shown}</td></tr>"
        ));
        insert(
            pages,
            &format!("/xzxx/m{i}.html"),
            "县长信箱",
            &format!("<p>来信时间：{a}</p><p>回复：{shown}</p>"),
        );
        let waited = answered.map_or(*asked, |x| asked - x);
        if waited > 92 {
            planted.overdue_messages += 1;
        }
    }
    planted.valid_messages = letters.len();
    rows.push_str("</table>");
    insert(pages, "/xzxx/", "县长信箱", &rows);
    // 民意征集 and 在线访谈: the age in days of each activity.
    for (path, name, ages, count) in [
        (
            "/myzj/",
            "民意征集",
            &[30i64, 140, 290, 420][..],
            &mut planted.survey_activities,
        ),
        (
            "/zxft/",
            "在线访谈",
            &[10, 60, 100, 150, 200, 250, 330, 500][..],
            &mut planted.interview_activities,
        ),
    ] {
        let mut list = String::from("<ul class=\"list\">");
        for (i, a) in ages.iter().enumerate() {
            list.push_str(&format!(
                "<li><a href=\"{path}a{i}.html\">{name}活动第{i}期</a><span>{}</span></li>",
                day(*a)
            ));
            insert(pages, &format!("{path}a{i}.html"), name, "<p>活动内容。</p>");
            if *a <= 365 {
                *count += 1;
            }
        }
        list.push_str("</ul>");
        insert(pages, path, name, &list);
    }
    // 办事指南: four guides, the elements each lacks, and forms offered, only mentioned, or broken.
    let guides: [(&str, &[&'static str], &str); 4] = [
        (
            "企业设立登记",
            &[],
            "<a href=\"/files/sqb1.doc\">《企业设立登记申请表》</a>",
        ),
        (
            "个体工商户登记",
            &["hours", "phone"],
            "申请人须填写《个体工商户登记表》（请到窗口领取）",
        ),
        (
            "建设项目环评审批",
            &["basis"],
            "<a href=\"/files/missing-form.doc\">《环评审批申请表》</a>",
        ),
        (
            "社会保险登记",
            &[],
            "<a href=\"/files/sbdj.pdf\">《社会保险登记表》</a>",
        ),
    ];
    pages.insert(
        "/files/sqb1.doc".into(),
        (
            b"\xd0\xcf\x11\xe0 application form".to_vec(),
            "application/msword",
        ),
    );
    pages.insert(
        "/files/sbdj.pdf".into(),
        (b"%PDF-1.4 form".to_vec(), "application/pdf"),
    );
    let mut list = String::from("<ul class=\"list\">");
    for (i, (name, missing, form)) in guides.iter().enumerate() {
        list.push_str(&format!("<li><a href=\"/bszn/g{i}.html\">{name}</a></li>"));
        let mut body = String::new();
        for (key, zh) in crate::adapters_more::GUIDE_ELEMENTS {
            if !missing.contains(&key) {
                body.push_str(&format!("<h3>{zh}</h3><p>{name}的{zh}说明。</p>"));
            }
        }
        body.push_str(&format!("<h3>表格下载</h3><p>{form}</p>"));
        insert(pages, &format!("/bszn/g{i}.html"), name, &body);
        if !missing.is_empty() {
            planted
                .guide_missing
                .push(((*name).to_string(), missing.to_vec()));
        }
    }
    list.push_str("</ul>");
    insert(pages, "/bszn/", "办事指南", &list);
    planted.attachments_not_offered = 1;
    planted.attachments_broken = 1;
    planted.online_systems_unreachable = 1;
    "<div class=\"links\"><a href=\"/xzxx/\">县长信箱</a> <a href=\"/myzj/\">民意征集</a> <a href=\"/zxft/\">在线访谈</a> <a href=\"/bszn/\">办事指南</a></div>".into()
}

/// A site made for measuring the link checker: a homepage linking `pages` pages, each linking `links` pages of its
/// own (`pages × links` targets in all, every 50th missing). Served on 127.0.0.1 with keep-alive.
///
/// # Errors
/// When no local port can be bound.
pub async fn serve_link_farm(pages: usize, links: usize) -> std::io::Result<Served> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let task = tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = vec![0u8; 4096];
                let mut got: Vec<u8> = Vec::new();
                loop {
                    // Serve requests on this connection until the client closes it.
                    let Some(end) = got.windows(4).position(|w| w == b"\r\n\r\n") else {
                        match s.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => got.extend_from_slice(&buf[..n]),
                        }
                        continue;
                    };
                    let head = String::from_utf8_lossy(&got[..end]).to_string();
                    got.drain(..end + 4);
                    let mut words = head.split_whitespace();
                    let method = words.next().unwrap_or("GET").to_string();
                    let path = words.next().unwrap_or("/").to_string();
                    let (status, body) = if path == "/" {
                        let mut b = String::from("<html><body><ul>");
                        for i in 0..pages {
                            b.push_str(&format!("<li><a href=\"/p{i}.html\">第{i}页</a></li>"));
                        }
                        ("200 OK", b + "</ul></body></html>")
                    } else if let Some(i) = path
                        .strip_prefix("/p")
                        .and_then(|r| r.strip_suffix(".html"))
                        .filter(|r| !r.contains('/'))
                    {
                        let mut b = String::from("<html><body><ul>");
                        for j in 0..links {
                            b.push_str(&format!("<li><a href=\"/p{i}/l{j}.html\">链接{j}</a></li>"));
                        }
                        ("200 OK", b + "</ul></body></html>")
                    } else if path
                        .rsplit_once("/l")
                        .and_then(|(_, n)| n.strip_suffix(".html"))
                        .and_then(|n| n.parse::<usize>().ok())
                        .is_some_and(|n| n % 50 == 0)
                    {
                        ("404 Not Found", String::new())
                    } else {
                        ("200 OK", "<html><body>ok</body></html>".to_string())
                    };
                    let mut out = format!(
                        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n",
                        body.len()
                    )
                    .into_bytes();
                    if method != "HEAD" {
                        out.extend_from_slice(body.as_bytes());
                    }
                    if s.write_all(&out).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    Ok(Served { base, task })
}
