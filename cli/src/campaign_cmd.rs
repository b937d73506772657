//! `pucha campaign init|status`: every site of a region in one campaign folder (docs/campaigns.md).

use crate::{EXIT_BAD_INPUT, EXIT_PASS, out};
use pucha_probes::campaign::{Campaign, CampaignPlan};
use pucha_probes::directory::{self, Directory, Place};
use pucha_probes::profile::SiteProfile;
use std::path::Path;

/// The largest site list read (CSV, XLSX, JSON Lines): 256 MiB, far above the 2015 census's 84,094 sites.
const MAX_LIST_BYTES: usize = 256 << 20;

/// The campaign in `dir` and its plan.
pub(crate) fn open_with_plan(dir: &str) -> Result<(Campaign, CampaignPlan), String> {
    let c = Campaign::open(Path::new(dir))?;
    let plan = c.plan()?;
    Ok((c, plan))
}

/// Say `msg` as a campaign error; the exit code of bad input.
pub(crate) fn fail(msg: &str) -> u8 {
    crate::say_err(&format!(
        "错误 error [campaign]: {}",
        crate::chinese_first("检查任务出错", msg)
    ));
    EXIT_BAD_INPUT
}

/// What `campaign init` was asked.
#[derive(Debug)]
pub(crate) struct InitOptions<'a> {
    /// The campaign's folder.
    pub(crate) dir: &'a str,
    /// The site list: a folder of profiles, JSON Lines of profiles, CSV or XLSX.
    pub(crate) sites: &'a str,
    /// 附件4 column rows keyed by 网站标识码, for a CSV list.
    pub(crate) columns: Option<&'a str>,
    /// Start with the valid sites and list the others.
    pub(crate) skip_invalid: bool,
    /// First sampling date (default: tomorrow, China Standard Time).
    pub(crate) from: Option<&'a str>,
    /// Days of sampling.
    pub(crate) days: u32,
    /// Visits a day per site.
    pub(crate) per_day: u32,
    /// Pack.
    pub(crate) pack: &'a str,
    /// Pack overrides.
    pub(crate) set: &'a [String],
}

fn read_bytes(path: &str, what: &str) -> Result<Vec<u8>, String> {
    pucha_core::files::read_bytes(path, MAX_LIST_BYTES, what).map_err(|e| e.bilingual())
}

fn table(path: &str, what: &str) -> Result<pucha_probes::table::Table, String> {
    let bytes = read_bytes(path, what)?;
    if path.to_ascii_lowercase().ends_with(".xlsx") || bytes.starts_with(b"PK\x03\x04") {
        let tables = pucha_probes::table::tables_from_xlsx(&bytes).map_err(|e| format!("`{path}`: {e}"))?;
        tables.into_iter().next().ok_or_else(|| {
            format!("`{path}`：工作簿中没有有内容的工作表 / the workbook has no sheet with anything in it")
        })
    } else {
        pucha_probes::table::table_from_csv(&bytes).map_err(|e| format!("`{path}`: {e}"))
    }
}

/// Read the site list at `path`, whatever its kind.
fn read_list(path: &str, columns: Option<&str>) -> Result<Directory, String> {
    let p = Path::new(path);
    if p.is_dir() {
        let mut files: Vec<_> = std::fs::read_dir(p)
            .map_err(|e| crate::io_failed("读取", "read", &path, &e))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|f| f.extension().is_some_and(|x| x == "toml" || x == "json"))
            .collect();
        files.sort();
        return Ok(directory::from_profiles(files.iter().map(|f| {
            let name = f
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            let text = pucha_core::files::read_text(
                &f.to_string_lossy(),
                pucha_probes::profile::MAX_PROFILE_BYTES,
                "profile",
            )
            .map_err(|e| e.bilingual());
            let profile = text.and_then(|t| {
                if name.ends_with(".json") {
                    SiteProfile::from_json_str(&t)
                } else {
                    SiteProfile::from_toml_str(&t)
                }
            });
            (Place::File(name), profile)
        })));
    }
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".jsonl") || lower.ends_with(".ndjson") {
        let bytes = read_bytes(path, "site list")?;
        let text =
            String::from_utf8(bytes).map_err(|_| format!("`{path}` 不是 UTF-8 文本 / is not UTF-8 text"))?;
        return Ok(directory::from_json_lines(&text));
    }
    if lower.ends_with(".xlsx") {
        if columns.is_some() {
            return Err(
                "`--columns` 只用于 CSV 名录；工作簿的栏目写在第二个工作表 / `--columns` is for a CSV list; a workbook holds its columns in a second sheet".into(),
            );
        }
        let bytes = read_bytes(path, "site list")?;
        return directory::from_xlsx(&bytes).map_err(|e| format!("`{path}`: {e}"));
    }
    if lower.ends_with(".csv") {
        let sites = table(path, "site list")?;
        let cols = columns.map(|c| table(c, "column list")).transpose()?;
        return Ok(directory::from_tables(&sites, cols.as_ref()));
    }
    Err(format!(
        "`{path}`：网站名录须为网站信息表文件夹、JSON Lines 文件（.jsonl）、CSV 文件或 XLSX 工作簿 / a site list is a folder of profiles, a JSON Lines file (.jsonl), a CSV file or an XLSX workbook"
    ))
}

fn print_problems(d: &Directory) {
    let mut s = String::new();
    for p in &d.problems {
        s.push_str(&format!(
            "- {}：{}（{}）：{} / {}\n",
            p.place, p.problem.field_zh, p.problem.field, p.problem.zh, p.problem.en
        ));
    }
    crate::say_err(s.trim_end());
}

/// `pucha campaign init`.
pub(crate) fn init(o: &InitOptions<'_>) -> u8 {
    // The pack and its overrides are checked now, not a week later when the sites are scored.
    if let Err(e) = crate::load_pack(o.pack, o.set) {
        crate::print_error(&e);
        return EXIT_BAD_INPUT;
    }
    let from = match o.from {
        Some(d) => match pucha_core::messages::typed_date(d) {
            Some(d) => d,
            None => {
                return fail(&format!(
                    "`--from {d}` 不是日期：写作 YYYY-MM-DD（也读 2015/6/24 与 2015年6月24日）/ not a date: write YYYY-MM-DD (2015/6/24 and 2015年6月24日 are read too)"
                ));
            }
        },
        None => {
            chrono::Utc::now()
                .with_timezone(&pucha_probes::adapters::cst())
                .date_naive()
                + chrono::Days::new(1)
        }
    };
    let d = match read_list(o.sites, o.columns) {
        Ok(d) => d,
        Err(e) => return fail(&e),
    };
    let valid = d.valid();
    let invalid = d.sites.len() - valid.len();
    if !d.problems.is_empty() {
        crate::say_err(&format!(
            "网站名录有 {} 处问题（{} 个网站）/ {} problems in the site list ({} sites):",
            d.problems.len(),
            invalid,
            d.problems.len(),
            invalid
        ));
        print_problems(&d);
        if !o.skip_invalid || valid.is_empty() {
            return fail(if valid.is_empty() {
                "名录中没有有效的网站，未建立任何内容 / no valid site in the list; nothing was created"
            } else {
                "未建立任何内容：请改正名录，或用 `--skip-invalid` 先检查有效的网站 / nothing was created; correct the list, or start with the valid sites using `--skip-invalid`"
            });
        }
    }
    let plan = CampaignPlan {
        from,
        days: o.days,
        per_day: o.per_day,
        pack: o.pack.to_string(),
        set: o.set.to_vec(),
    };
    let sites: Vec<(String, SiteProfile)> = valid
        .iter()
        .map(|s| (s.place.to_string(), s.profile.clone()))
        .collect();
    if let Err(e) = Campaign::create(Path::new(o.dir), &plan, &sites) {
        return fail(&e);
    }
    let n = sites.len() as u64;
    let today = chrono::Utc::now()
        .with_timezone(&pucha_probes::adapters::cst())
        .date_naive();
    if plan.per_day < 20 {
        crate::say_err(&format!(
            "注意 warning: 每天 {} 次少于普查要求的 20 次，可用性将报告抽样不足 / {} visits a day is below the census's 20: \
             availability will be reported as under-sampled",
            plan.per_day, plan.per_day
        ));
    }
    if plan.from < today {
        crate::say_err(&format!(
            "注意 warning: 抽样从 {} 开始，早于今天：已过去的时段将记为错过（采集端故障）/ sampling starts {}, before \
             today: the slots already past will be recorded as missed (the prober's fault)",
            plan.from, plan.from
        ));
    }
    out(&format!(
        "检查任务已建立 campaign created: `{dir}`\n\
         网站 sites: {n}{skipped}\n\
         可用性抽样 availability: {from} – {point}，每站每天 {per_day} 次 ({per_day} visits a day per site), \
         共 {total} 次 ({total} in all)\n\
         监测时间点 monitoring point: {point}\n\
         评分 scored with: {pack}{set}\n",
        dir = o.dir,
        skipped = if invalid > 0 {
            format!("（另有 {invalid} 个网站有问题，未列入 / {invalid} sites with problems left out）")
        } else {
            String::new()
        },
        from = plan.from,
        point = plan.monitoring_point(),
        per_day = plan.per_day,
        total = plan.planned_samples(n),
        pack = plan.pack,
        set = if plan.set.is_empty() {
            String::new()
        } else {
            format!(" --set {}", plan.set.join(" --set "))
        },
    ));
    EXIT_PASS
}

/// What `campaign run` was asked.
#[derive(Debug)]
pub(crate) struct RunOptions<'a> {
    /// The campaign's folder.
    pub(crate) dir: &'a str,
    /// Requests in flight, in all and per host, and the rate per host.
    pub(crate) politeness: crate::Politeness,
    /// A site known to be up, to tell the prober's own faults.
    pub(crate) control: Option<&'a str>,
    /// Allow private and loopback addresses.
    pub(crate) allow_private: bool,
    /// Full probes at once.
    pub(crate) probes: usize,
    /// No progress on stderr.
    pub(crate) quiet: bool,
    /// The simulation flags (simulation builds only).
    pub(crate) simulation: crate::sim_cmd::Simulation,
}

/// The exit code of a run stopped by SIGINT (128 + 2, as shells report it).
const EXIT_INTERRUPTED: u8 = 130;

/// `pucha campaign run`: the availability samples of every site, resumable.
pub(crate) fn run(o: &RunOptions<'_>) -> u8 {
    let cfg = match o
        .politeness
        .fetch_config(o.simulation.fetch_config(pucha_probes::FetchConfig {
            allow_private: o.allow_private,
            ..pucha_probes::FetchConfig::default()
        })) {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    let dir = Path::new(o.dir);
    let c = match Campaign::open(dir) {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    let _lock = match pucha_probes::campaign_run::lock(dir) {
        Ok(l) => l,
        Err(e) => return fail(&e),
    };
    let (schedule, probe_schedule, progress) = match c
        .schedule()
        .and_then(|s| Ok((s, c.probe_schedule()?, c.progress()?)))
    {
        Ok(x) => x,
        Err(e) => return fail(&e),
    };
    drop(c);
    let clock = match o.simulation.clock(dir, schedule.start) {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    let fetcher = match pucha_probes::Fetcher::new(cfg) {
        Ok(f) => std::sync::Arc::new(f),
        Err(e) => return fail(&e),
    };
    if !o.quiet {
        crate::say_err(&format!(
            "检查任务 campaign `{}`：{} 个网站 sites，可用性抽样 {} / {} 已完成 samples done",
            o.dir, progress.sites, progress.samples_taken, progress.samples_planned
        ));
    }
    let pb = if o.quiet {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::new(progress.samples_planned)
    };
    pb.set_style(
        indicatif::ProgressStyle::with_template(
            "{bar:30} {pos}/{len} 次抽样 samples，{msg} [{elapsed} / eta {eta}]",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    pb.set_position(progress.samples_taken);
    let rt = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => return fail(&format!("无法启动运行时 / cannot start the runtime: {e}")),
    };
    let sites = progress.sites;
    // Slots missed, sites probed, visits failed.
    let shown = std::sync::Arc::new(std::sync::Mutex::new((0u64, 0u64, 0u64)));
    let show = |pb: &indicatif::ProgressBar, shown: &std::sync::Mutex<(u64, u64, u64)>| {
        if let Ok(s) = shown.lock() {
            pb.set_message(format!(
                "失败 failed {}，错过 missed {}，全面检查 probed {}/{sites}",
                s.2, s.0, s.1
            ));
        }
    };
    let res = rt.block_on(async {
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let stop_tx = std::sync::Arc::new(stop_tx);
        let on_signal = std::sync::Arc::clone(&stop_tx);
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                let _ = on_signal.send(true);
            }
        });
        // A failure of either half (the database, say) stops the other: no week of visits goes unrecorded.
        let stop_on_error = |failed: bool| {
            if failed {
                let _ = stop_tx.send(true);
            }
        };
        let samples = pucha_probes::campaign_run::run(
            dir,
            &schedule,
            clock,
            std::sync::Arc::clone(&fetcher),
            o.control.map(str::to_string),
            stop_rx.clone(),
            |sent, missed, failed| {
                pb.set_position(sent);
                if let Ok(mut s) = shown.lock() {
                    s.0 = missed;
                    s.2 = failed;
                }
                show(&pb, &shown);
            },
        );
        let probes = pucha_probes::campaign_run::run_probes(
            dir,
            &probe_schedule,
            clock,
            std::sync::Arc::clone(&fetcher),
            o.probes,
            stop_rx,
            |probed| {
                if let Ok(mut s) = shown.lock() {
                    s.1 = probed;
                }
                show(&pb, &shown);
            },
        );
        let samples = async {
            let r = samples.await;
            stop_on_error(r.is_err());
            r
        };
        let probes = async {
            let r = probes.await;
            stop_on_error(r.is_err());
            r
        };
        let (samples, probes) = tokio::join!(samples, probes);
        Ok::<_, String>((samples?, probes?, shown.lock().map(|s| s.1).unwrap_or(0)))
    });
    pb.finish_and_clear();
    match res {
        Ok((s, probes_complete, probed)) => {
            let interrupted = s.interrupted || !probes_complete;
            if !o.quiet {
                crate::say_err(&format!(
                    "本次记录 {} 条抽样（错过的时段 {} 个，记为采集端故障），全面检查 {probed}/{sites} 个网站 / {} samples \
                     recorded ({} missed slots, recorded as the prober's fault), {probed} of {sites} sites probed{}",
                    s.recorded,
                    s.missed,
                    s.recorded,
                    s.missed,
                    if interrupted {
                        "；已中断，再次运行即继续 / interrupted: run again to carry on"
                    } else {
                        ""
                    }
                ));
            }
            if s.interrupted {
                EXIT_INTERRUPTED
            } else {
                EXIT_PASS
            }
        }
        Err(e) => fail(&e),
    }
}

/// The campaign's workbook (汇总, 不合格网站名单, a sheet per site, even for one site) from its reports, written
/// beside and renamed into place.
fn workbook(
    reports: &Path,
    book: &Path,
    lang: pucha_core::Lang,
    sign: pucha_render::signing::SigningOf<'_>,
) -> Result<(), pucha_core::Error> {
    let mut wb = crate::xlsx::ReportsBook::new(lang)?;
    crate::documents::each_document(&reports.to_string_lossy(), |_, doc| {
        let doc = doc?;
        if !crate::documents::is_failure_record(doc) {
            let r = pucha_core::stored::StoredReport::from_json_str(doc)?;
            wb.add(&r, &sign(&r))?;
        }
        Ok(())
    })?;
    let bytes = wb.finish()?;
    let part = book.with_extension("xlsx.part");
    let io = |e: std::io::Error| {
        pucha_core::Error::new(
            pucha_core::ErrorKind::Io,
            crate::io_failed("写入", "write", &book.display(), &e),
        )
    };
    std::fs::write(&part, bytes).map_err(io)?;
    std::fs::rename(&part, book).map_err(io)
}

/// The verdicts given, and the sites that could not be scored with the reason.
type Scored = (Vec<pucha_core::Verdict>, Vec<(String, String)>);

/// `pucha campaign score`: every site's observation (its probe and its samples) scored with the campaign's pack,
/// written to `DIR/observations.jsonl` and `DIR/reports.jsonl` (a failure record for a site that could not be
/// scored, with its reason), the workbook `DIR/上报表.xlsx` (up to 2,000 sites; beyond, one a region in
/// `DIR/上报表/`) and the roll-up page
/// `DIR/汇总.html`; then the roll-up by region and the sites that could not be scored.
pub(crate) fn score(dir: &str, lang: pucha_core::Lang, hand_in: &crate::hand_in::HandIn) -> u8 {
    use std::io::Write as _;
    let (c, plan) = match open_with_plan(dir) {
        Ok(x) => x,
        Err(e) => return fail(&e),
    };
    // Each site's hand-in fields: its own profile's, with the command line's over them.
    let flags = match hand_in.signing() {
        Ok(s) => s,
        Err(e) => {
            crate::print_error(&e);
            return EXIT_BAD_INPUT;
        }
    };
    let signs = match c.sites() {
        Ok(sites) => crate::hand_in::by_site(sites.iter().map(|s| &s.profile), &flags),
        Err(e) => return fail(&e),
    };
    let sign = |r: &pucha_core::stored::StoredReport| crate::hand_in::signing_of(&signs, r, &flags);
    let engine = match crate::load_pack(&plan.pack, &plan.set) {
        Ok(p) => pucha_core::Engine::new(p),
        Err(e) => {
            crate::print_error(&e);
            return EXIT_BAD_INPUT;
        }
    };
    let folder = Path::new(dir);
    let (obs_path, reports_path) = (folder.join("observations.jsonl"), folder.join("reports.jsonl"));
    let write = || -> Result<Scored, String> {
        let open = |p: &Path| {
            std::fs::File::create(p.with_extension("jsonl.part"))
                .map(std::io::BufWriter::new)
                .map_err(|e| crate::io_failed("写入", "write", &p.display(), &e))
        };
        let (mut obs_out, mut rep_out) = (open(&obs_path)?, open(&reports_path)?);
        let io = |e: std::io::Error| format!("无法在 `{dir}` 中写入 / cannot write in `{dir}`: {e}");
        let mut verdicts = Vec::new();
        let mut unscored = Vec::new();
        c.each_site(&plan, |st| {
            let name = st.row.name;
            let failure = |reason: String| {
                serde_json::json!({"type": "failure", "site": name, "place": st.row.place,
                    "errors": [{"code": "unscored", "message": reason}]})
            };
            // A probe that failed is stored as its failure record: the site is listed as 未能评分 with its reason.
            let failed_probe = st
                .observation
                .contains("\"failure\"")
                .then(|| serde_json::from_str::<serde_json::Value>(&st.observation).ok())
                .flatten()
                .filter(|v| v["type"] == "failure");
            let record = if let Some(f) = failed_probe {
                let reason = f["errors"][0]["message"]
                    .as_str()
                    .unwrap_or("probe failed")
                    .to_string();
                unscored.push((name.clone(), reason.clone()));
                failure(reason).to_string()
            } else {
                match pucha_core::Observation::from_json_str(&st.observation) {
                    Ok(o) => {
                        writeln!(obs_out, "{}", st.observation).map_err(io)?;
                        let r = engine.score(&o);
                        verdicts.push(r.verdict);
                        r.to_json()
                    }
                    Err(e) => {
                        unscored.push((name.clone(), e.to_string()));
                        failure(e.to_string()).to_string()
                    }
                }
            };
            writeln!(rep_out, "{record}").map_err(io)
        })?;
        for (mut w, p) in [(obs_out, &obs_path), (rep_out, &reports_path)] {
            w.flush().map_err(io)?;
            std::fs::rename(p.with_extension("jsonl.part"), p).map_err(io)?;
        }
        Ok((verdicts, unscored))
    };
    let (verdicts, unscored) = match write() {
        Ok(x) => x,
        Err(e) => return fail(&e),
    };
    crate::say_err(&format!(
        "已写入 written: {} ({} 个网站 sites), {}",
        obs_path.display(),
        verdicts.len(),
        reports_path.display()
    ));
    let reports_arg = [reports_path.to_string_lossy().into_owned()];
    // The hand-in files beside them: the workbook (汇总, 不合格网站名单, a sheet per site) and the roll-up page.
    let (book, page) = (folder.join("上报表.xlsx"), folder.join("汇总.html"));
    if verdicts.is_empty() {
        crate::say_err("没有可评分的网站，未写上报表 / no site could be scored: no workbook written");
    } else if verdicts.len() <= crate::xlsx::MAX_BOOK_SITES {
        if let Err(e) = workbook(&reports_path, &book, lang, &sign) {
            crate::print_error(&e);
        }
    } else {
        // Too many sites for one workbook: one per region, in 上报表/.
        match crate::campaign_books::by_region(
            &reports_path,
            &folder.join("上报表"),
            crate::xlsx::MAX_BOOK_SITES,
            lang,
            &sign,
        ) {
            Ok(books) => crate::say_err(&format!(
                "{} 个网站超过一个工作簿的 {} 个：按地区写入 {} 个工作簿 / more sites than a workbook holds: {} \
                 workbooks by region in {}",
                verdicts.len(),
                crate::xlsx::MAX_BOOK_SITES,
                books.len(),
                books.len(),
                folder.join("上报表").display()
            )),
            Err(e) => crate::print_error(&e),
        }
    }
    let _ = crate::report_cmd::summarize(
        &reports_arg,
        "region",
        crate::Format::Html,
        Some(&page.to_string_lossy()),
        lang,
    );
    crate::say_err(&format!("已写入 written: {}, {}", book.display(), page.display()));
    let shown = crate::report_cmd::summarize(&reports_arg, "region", crate::Format::Text, None, lang);
    if !unscored.is_empty() {
        let mut s = format!("\n未能评分 could not be scored ({}):\n", unscored.len());
        for (name, reason) in &unscored {
            s.push_str(&format!("- {name}：{reason}\n"));
        }
        out(&s);
    }
    if shown == EXIT_BAD_INPUT && verdicts.is_empty() {
        return EXIT_BAD_INPUT;
    }
    crate::exit_code(!unscored.is_empty(), verdicts)
}
