//! `pucha probe` (collect an observation from a live site) and `pucha demo` (the fixture site, probed and scored).

use crate::{EXIT_BAD_INPUT, EXIT_NOT_REACHED, EXIT_PASS, out};
use pucha_probes::adapters::{
    Adapter, AvailabilityAdapter, ColumnsAdapter, LinksAdapter, ProbeContext, ProbeEvent, ProbeRun,
    SampleClock, cst, probe_observed,
};
use pucha_probes::adapters_more::{InteractionAdapter, ServicesAdapter, Term, TermFile, TextScreenAdapter};
use pucha_probes::fixture::FixtureSite;
use pucha_probes::profile::SiteProfile;
use pucha_probes::{FetchConfig, Fetcher};
use std::sync::Arc;

fn err(msg: &str) -> u8 {
    crate::say_err(&format!(
        "错误 error [probe]: {}",
        crate::chinese_first("探测未能完成", msg)
    ));
    EXIT_BAD_INPUT
}

fn say(quiet: bool, msg: &str) {
    if !quiet {
        crate::say_err(msg);
    }
}

pub(crate) fn load_profile(path: &str) -> Result<SiteProfile, String> {
    let text = pucha_core::files::read_text(path, pucha_probes::profile::MAX_PROFILE_BYTES, "profile")
        .map_err(|e| e.bilingual())?;
    let p = if path.ends_with(".json") {
        SiteProfile::from_json_str(&text)
    } else {
        SiteProfile::from_toml_str(&text)
    };
    p.map_err(|e| format!("`{path}`: {e}"))
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("无法启动运行时 / cannot start the async runtime: {e}"))
}

/// Run the adapters with a spinner on stderr (per adapter, with the requests sent so far), unless quiet. indicatif
/// draws nothing when stderr is not a terminal; the summary lines are printed either way.
async fn run_with_progress(
    ctx: &ProbeContext,
    adapters: &[Box<dyn Adapter>],
    quiet: bool,
) -> Result<ProbeRun, String> {
    let pb = if quiet {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::new_spinner()
    };
    pb.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    let current = Arc::new(std::sync::Mutex::new(String::new()));
    let ticker = {
        let (pb, current, fetcher) = (pb.clone(), current.clone(), ctx.fetcher.clone());
        tokio::spawn(async move {
            loop {
                let name = current.lock().map(|c| c.clone()).unwrap_or_default();
                pb.set_message(format!(
                    "[{name}] 已发送请求 {} requests sent",
                    fetcher.requests_sent()
                ));
                pb.tick();
                tokio::time::sleep(std::time::Duration::from_millis(120)).await;
            }
        })
    };
    let res = probe_observed(ctx, adapters, |e| match e {
        ProbeEvent::Started(name) => {
            if let Ok(mut c) = current.lock() {
                *c = name.to_string();
            }
        }
        ProbeEvent::Finished(name, n) => pb.println(format!("[{name}] 完成 done: {n} 次请求 requests")),
    })
    .await;
    ticker.abort();
    pb.finish_and_clear();
    res
}

/// Write every attempt as a JSON line (`{"adapter", "url", "result"}`): the probe's structured log.
fn write_log(path: &str, run: &ProbeRun) -> Result<(), String> {
    let mut s = String::new();
    for (adapter, attempts) in &run.attempts {
        for a in attempts {
            s.push_str(
                &serde_json::json!({"adapter": adapter, "url": a.url, "result": a.result}).to_string(),
            );
            s.push('\n');
        }
    }
    std::fs::write(path, s).map_err(|e| crate::io_failed("写入", "write", &path, &e))
}

fn summary(run: &ProbeRun, quiet: bool) {
    for (adapter, attempts) in &run.attempts {
        let failed = attempts
            .iter()
            .filter(|a| !a.result.starts_with('2') && !a.result.starts_with('3'))
            .count();
        say(
            quiet,
            &format!(
                "[{adapter}] {} 次请求 requests, {failed} 次非 2xx/3xx",
                attempts.len()
            ),
        );
    }
    for (adapter, notes) in &run.notes {
        for n in notes {
            say(quiet, &format!("[{adapter}] {n}"));
        }
    }
}

/// Options of `pucha probe`.
#[derive(Debug, Clone)]
pub(crate) struct ProbeOptions {
    pub profile: String,
    pub out: Option<String>,
    pub date: Option<String>,
    pub allow_private: bool,
    pub ignore_robots: bool,
    pub samples: usize,
    pub page_budget: usize,
    pub link_budget: usize,
    pub politeness: crate::Politeness,
    pub db: Option<String>,
    pub terms: Option<String>,
    pub log: Option<String>,
    pub quiet: bool,
}

/// Probe the site a profile describes and write the observation.
pub(crate) fn probe_site(o: &ProbeOptions) -> u8 {
    let profile = match load_profile(&o.profile) {
        Ok(p) => p,
        Err(e) => return err(&e),
    };
    let crawl = match &o.date {
        Some(d) => match pucha_core::messages::typed_date(d) {
            Some(d) => d,
            None => {
                return err(&format!(
                    "`--date {d}` 不是日期：写作 YYYY-MM-DD（也读 2015/6/30 与 2015年6月30日）/ not a date: write YYYY-MM-DD (2015/6/30 and 2015年6月30日 are read too)"
                ));
            }
        },
        None => chrono::Utc::now().with_timezone(&cst()).date_naive(),
    };
    let cfg = o.politeness.fetch_config(FetchConfig {
        allow_private: o.allow_private,
        respect_robots: !o.ignore_robots,
        ..FetchConfig::default()
    });
    let fetcher = match cfg.and_then(Fetcher::new) {
        Ok(f) => f,
        Err(e) => return err(&e),
    };
    let ctx = ProbeContext {
        fetcher: Arc::new(fetcher),
        profile,
        crawl,
        page_budget: o.page_budget,
        link_budget: o.link_budget,
    };
    // Availability from the monitor's database when given, else a short sample.
    let monitored = match &o.db {
        Some(db) => match pucha_probes::monitor::MonitorDb::open(db).and_then(|d| d.samples()) {
            Ok(s) => Some(s),
            Err(e) => return err(&e),
        },
        None => None,
    };
    let extra: Vec<Term> = match &o.terms {
        Some(path) => {
            match pucha_core::files::read_text(path, pucha_probes::profile::MAX_PROFILE_BYTES, "terms")
                .map_err(|e| e.bilingual())
                .and_then(|t| TermFile::from_toml(&t))
            {
                Ok(terms) => terms,
                Err(e) => return err(&format!("`{path}`: {e}")),
            }
        }
        None => Vec::new(),
    };
    let mut adapters: Vec<Box<dyn Adapter>> = vec![
        Box::new(ColumnsAdapter),
        Box::new(LinksAdapter),
        Box::new(InteractionAdapter),
        Box::new(ServicesAdapter),
        Box::new(TextScreenAdapter::with_terms(extra)),
    ];
    if monitored.is_none() {
        adapters.push(Box::new(AvailabilityAdapter {
            samples: o.samples,
            ..AvailabilityAdapter::default()
        }));
    }
    say(o.quiet, &format!("探测 probing {} …", ctx.profile.site.homepage));
    let mut run = match runtime().and_then(|rt| rt.block_on(run_with_progress(&ctx, &adapters, o.quiet))) {
        Ok(r) => r,
        Err(e) => return err(&e),
    };
    if let Some(samples) = monitored {
        say(
            o.quiet,
            &format!(
                "[availability] {} 次监测记录取自 samples from {}",
                samples.len(),
                o.db.as_deref().unwrap_or("")
            ),
        );
        if !samples.is_empty() {
            run.observation["availability"] = serde_json::json!({"samples": samples});
        }
        if let Err(e) = pucha_core::Observation::from_json_value(run.observation.clone()) {
            return err(&format!(
                "监测记录与观测对不上 / the monitor's samples do not fit the observation: {e}"
            ));
        }
    }
    summary(&run, o.quiet);
    if let Some(log) = &o.log
        && let Err(e) = write_log(log, &run)
    {
        return err(&e);
    }
    let json = serde_json::to_string_pretty(&run.observation).unwrap_or_default() + "\n";
    match &o.out {
        Some(p) if p != "-" => {
            if let Err(e) = std::fs::write(p, json) {
                return err(&crate::io_failed("写入", "write", &p, &e));
            }
            say(o.quiet, &format!("观测已写入 observation written to {p}"));
        }
        _ => out(&json),
    }
    if !run.homepage_reached {
        crate::say_err(&format!(
            "错误 error [not_reached]: 未能访问首页 the homepage `{}` was never fetched; the observation holds no fact read \
             from the site (the reason is in its provenance.not_visited and the notes above). Check the address; for a \
             site on the local network use --allow-private, for your own site that robots.txt closes --ignore-robots",
            ctx.profile.site.homepage
        ));
        return EXIT_NOT_REACHED;
    }
    EXIT_PASS
}

/// `pucha demo`: serve the fixture site on 127.0.0.1, probe it (availability on a simulated week), score it with
/// census-2015, print the Chinese report and write the observation and the report.
pub(crate) fn demo(out_dir: &str, lang: pucha_core::Lang, quiet: bool) -> u8 {
    let crawl = chrono::NaiveDate::from_ymd_opt(2015, 11, 15).unwrap_or_default();
    let site = FixtureSite::generate(2015, crawl);
    let res = runtime().and_then(|rt| {
        rt.block_on(async {
            let served = site
                .clone()
                .serve()
                .await
                .map_err(|e| format!("无法启动演示网站 / cannot serve the fixture site: {e}"))?;
            say(
                quiet,
                &format!(
                    "演示站点 fixture site: {}/ (模拟的县级政府门户网站 / a simulated county portal)",
                    served.base
                ),
            );
            let fetcher = Fetcher::new(FetchConfig {
                allow_private: true,
                min_interval: std::time::Duration::ZERO,
                ..FetchConfig::default()
            })?;
            let ctx = ProbeContext {
                fetcher: Arc::new(fetcher),
                profile: site.profile(&served.base),
                crawl,
                page_budget: 100,
                link_budget: 20_000,
            };
            let start = chrono::DateTime::parse_from_rfc3339("2015-11-08T00:30:00+08:00")
                .map_err(|e| e.to_string())?;
            let adapters: Vec<Box<dyn Adapter>> = vec![
                Box::new(ColumnsAdapter),
                Box::new(LinksAdapter),
                Box::new(InteractionAdapter),
                Box::new(ServicesAdapter),
                Box::new(TextScreenAdapter::with_terms(Vec::new())),
                Box::new(AvailabilityAdapter {
                    samples: 7 * 24,
                    spacing: std::time::Duration::from_millis(2),
                    clock: SampleClock::Simulated {
                        start,
                        step: chrono::Duration::hours(1),
                    },
                }),
            ];
            run_with_progress(&ctx, &adapters, quiet).await
        })
    });
    let run = match res {
        Ok(r) => r,
        Err(e) => return err(&e),
    };
    summary(&run, quiet);
    let obs = match pucha_core::Observation::from_json_value(run.observation.clone()) {
        Ok(o) => o,
        Err(e) => return err(&e.bilingual()),
    };
    let engine = match pucha_core::Engine::builtin("census-2015") {
        Ok(e) => e,
        Err(e) => return err(&e.bilingual()),
    };
    let report = engine.score(&obs);
    if let Err(e) = std::fs::create_dir_all(out_dir) {
        return err(&crate::io_failed("建立", "create", &out_dir, &e));
    }
    let obs_path = std::path::Path::new(out_dir).join("demo-observation.json");
    let rep_path = std::path::Path::new(out_dir).join("demo-report.json");
    let written = std::fs::write(
        &obs_path,
        serde_json::to_string_pretty(&run.observation).unwrap_or_default() + "\n",
    )
    .and_then(|()| std::fs::write(&rep_path, report.to_json_pretty() + "\n"));
    if let Err(e) = written {
        return err(&format!("无法写入演示文件 / cannot write the demo files: {e}"));
    }
    out(&pucha_core::render_text(&report, lang));
    say(
        quiet,
        &format!(
            "\n观测 observation: {}\n报告 report: {}\n（演示：可用性为模拟时钟上的一周抽样；错误内容的发现待人工复核）\n(demo: availability is a week sampled on a simulated clock; content findings await a person's review)",
            obs_path.display(),
            rep_path.display()
        ),
    );
    // The demo ran: its exit code says so, whatever the demo site's verdict (the report says that).
    EXIT_PASS
}

/// Options of `pucha monitor`.
#[derive(Debug, Clone)]
pub(crate) struct MonitorOptions {
    pub profile: String,
    pub db: String,
    pub days: u32,
    pub per_day: u32,
    pub interval: Option<String>,
    pub allow_private: bool,
    pub control: Option<String>,
    pub quiet: bool,
}

/// `15m`, `1h`, `30s`, `250ms`: from 1 ms to [`pucha_probes::monitor::MAX_INTERVAL_MS`] (a week); anything else,
/// a number too large for a duration included, is `None`.
fn parse_interval(s: &str) -> Option<chrono::Duration> {
    let s = s.trim();
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit())?);
    let n: i64 = num.parse().ok()?;
    let d = match unit {
        "ms" => chrono::Duration::try_milliseconds(n)?,
        "s" => chrono::Duration::try_seconds(n)?,
        "m" | "min" => chrono::Duration::try_minutes(n)?,
        "h" => chrono::Duration::try_hours(n)?,
        _ => return None,
    };
    (n > 0 && d.num_milliseconds() <= pucha_probes::monitor::MAX_INTERVAL_MS).then_some(d)
}

/// `pucha monitor`: the week of availability visits, each recorded in SQLite as it happens; restartable.
pub(crate) fn monitor(o: &MonitorOptions) -> u8 {
    let profile = match load_profile(&o.profile) {
        Ok(p) => p,
        Err(e) => return err(&e),
    };
    let per_day = o.per_day.max(1);
    let interval = match &o.interval {
        Some(t) => match parse_interval(t) {
            Some(d) => d,
            None => {
                return err(&format!(
                    "`--interval {t}` 不是 1 毫秒到一周之间的时长，例如 15m、1h、30s、250ms / not a duration from 1ms to a week, such as 15m, 1h, 30s or 250ms"
                ));
            }
        },
        None => chrono::Duration::milliseconds(86_400_000 / i64::from(per_day)),
    };
    let total = u64::from(o.days.max(1)) * u64::from(per_day);
    // One monitor a database, held while this process lives (the OS lets go when it dies, even by kill -9).
    let _lock = match pucha_probes::monitor::lock(&o.db) {
        Ok(l) => l,
        Err(e) => return err(&e),
    };
    let db = match pucha_probes::monitor::MonitorDb::open(&o.db) {
        Ok(d) => d,
        Err(e) => return err(&e),
    };
    let fetcher = match Fetcher::new(FetchConfig {
        allow_private: o.allow_private,
        min_interval: std::time::Duration::ZERO,
        ..FetchConfig::default()
    }) {
        Ok(f) => f,
        Err(e) => return err(&e),
    };
    let plan = pucha_probes::monitor::Plan {
        homepage: profile.site.homepage.clone(),
        start: chrono::Utc::now().with_timezone(&cst()),
        interval,
        total,
    };
    let before = db.count().unwrap_or(0);
    say(
        o.quiet,
        &format!(
            "监测 monitoring {}: {total} 次访问 visits, 每 every {} ms; 已有 {before} 条记录 samples already in {}",
            plan.homepage,
            interval.num_milliseconds(),
            o.db
        ),
    );
    let quiet = o.quiet;
    let pb = if quiet {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::new(total)
    };
    pb.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} 次访问 visits [{elapsed} / eta {eta}]")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    pb.set_position(before);
    let tty = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let res = runtime().and_then(|rt| {
        rt.block_on(pucha_probes::monitor::run(
            &db,
            &fetcher,
            &plan,
            o.control.as_deref(),
            |done, total| {
                pb.set_position(done);
                if !tty {
                    say(quiet, &format!("[monitor] {done}/{total}"));
                }
            },
        ))
    });
    pb.finish_and_clear();
    match res {
        Ok(p) => {
            let n = db.count().unwrap_or(0);
            say(
                o.quiet,
                &format!(
                    "完成 done: {n}/{} 条记录 samples in {}，始于 started {}（北京时间 CST）",
                    p.total,
                    o.db,
                    p.start
                        .with_timezone(&pucha_probes::adapters::cst())
                        .format("%Y-%m-%d %H:%M:%S")
                ),
            );
            EXIT_PASS
        }
        Err(e) => err(&e),
    }
}

#[cfg(test)]
mod interval_tests {
    use super::parse_interval;

    #[test]
    fn intervals_are_bounded_and_never_panic() {
        assert_eq!(parse_interval("15m").map(|d| d.num_milliseconds()), Some(900_000));
        assert_eq!(parse_interval("250ms").map(|d| d.num_milliseconds()), Some(250));
        for bad in [
            "3000000000h",
            "99999999999999999999ms",
            "0ms",
            "8d",
            "170h",
            "-5s",
            "m",
        ] {
            assert!(parse_interval(bad).is_none(), "{bad}");
        }
        assert!(parse_interval("168h").is_some(), "a week is the most");
    }
}
