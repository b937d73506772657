//! A user-written probe adapter: a province's extra rule that every page footer shows the 网站标识码 and the ICP
//! number from the site profile. It reports what it found as notes (and every request as an attempt); an adapter
//! that measures a census fact would put observation fields into `facts` instead (see the built-in ones).
//!
//! Run: `cargo run -p pucha-probes --example footer_check` (it serves the fixture site on 127.0.0.1 and probes it).

use pucha_probes::adapters::{
    Adapter, AdapterFuture, Attempt, Contribution, ProbeContext, outcome_text, probe,
};
use pucha_probes::fixture::FixtureSite;
use pucha_probes::{FetchConfig, Fetcher, page_links, visible_text};
use std::sync::Arc;

/// Checks the homepage and the pages it links for the 网站标识码 and the ICP number in their text.
struct FooterCheck;

impl Adapter for FooterCheck {
    fn name(&self) -> &'static str {
        "footer"
    }

    fn run<'a>(&'a self, ctx: &'a ProbeContext) -> AdapterFuture<'a> {
        Box::pin(async move {
            let mut c = Contribution::default();
            let site = &ctx.profile.site;
            let id = site.id.clone().unwrap_or_default();
            let home = ctx.fetcher.get(&site.homepage).await;
            c.attempts.push(Attempt {
                url: site.homepage.clone(),
                result: outcome_text(&home),
            });
            let Some(page) = home.page() else {
                c.notes.push("homepage unreadable".into());
                return c;
            };
            let html = page.text().text;
            let mut pages = vec![(page.url.clone(), html.clone())];
            for l in page_links(&html, Some(&page.url))
                .into_iter()
                .filter(|l| l.tag == "a")
                .take(ctx.page_budget)
            {
                let o = ctx.fetcher.get(&l.url).await;
                c.attempts.push(Attempt {
                    url: l.url.clone(),
                    result: outcome_text(&o),
                });
                if let Some(p) = o.page().filter(|p| p.status < 400) {
                    pages.push((p.url.clone(), p.text().text));
                }
            }
            let lacking: Vec<&str> = pages
                .iter()
                .filter(|(_, h)| {
                    let t = visible_text(h);
                    !(t.contains(&format!("网站标识码：{id}")) && t.contains(site.icp.as_str()))
                })
                .map(|(u, _)| u.as_str())
                .collect();
            c.notes.push(format!(
                "{} pages read, {} without 网站标识码 {id} and {} in the text",
                pages.len(),
                lacking.len(),
                site.icp
            ));
            c
        })
    }
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let crawl = chrono::NaiveDate::from_ymd_opt(2015, 11, 15).ok_or("date")?;
    let site = FixtureSite::generate(2015, crawl);
    let served = site.clone().serve().await.map_err(|e| e.to_string())?;
    let fetcher = Fetcher::new(FetchConfig {
        allow_private: true,
        ..FetchConfig::default()
    })?;
    let ctx = ProbeContext {
        fetcher: Arc::new(fetcher),
        profile: site.profile(&served.base),
        crawl,
        page_budget: 20,
        link_budget: 20_000,
    };
    let adapters: Vec<Box<dyn Adapter>> = vec![Box::new(FooterCheck)];
    let run = probe(&ctx, &adapters).await?;
    for (adapter, notes) in &run.notes {
        for n in notes {
            println!("[{adapter}] {n}");
        }
    }
    Ok(())
}
