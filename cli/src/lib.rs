#![doc = include_str!("../../README.md")]

mod campaign_books;
mod campaign_cmd;
mod campaign_status;
mod compare_cmd;
mod documents;
mod hand_in;
mod probe_cmd;
mod profile_cmd;
mod report_cmd;
mod rules_cmd;
mod score_cmd;
mod score_csv;
mod score_stream;
mod sim_cmd;

pub use pucha_render::text::{diff_csv, diff_text, rollup_csv, rollup_text};
pub use pucha_render::{html, xlsx};

use clap::{Parser, Subcommand, ValueEnum};
use pucha_core::{Error, Lang};
use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

/// Exit code when every site passes.
pub const EXIT_PASS: u8 = 0;
/// Exit code when any site fails.
pub const EXIT_FAIL: u8 = 1;
/// Exit code for bad input or usage.
pub const EXIT_BAD_INPUT: u8 = 2;
/// Exit code when no site fails but some are undetermined (未评定: the missing data could go either way).
pub const EXIT_UNDETERMINED: u8 = 3;
/// Exit code of `pucha probe` when it never reached the site's homepage (the observation is still written).
pub const EXIT_NOT_REACHED: u8 = 4;

/// The exit code of a batch: 2 if any input was bad, else 1 if any site fails, else 3 if any is undetermined,
/// else 0.
pub fn exit_code(bad: bool, verdicts: impl IntoIterator<Item = pucha_core::Verdict>) -> u8 {
    if bad {
        return EXIT_BAD_INPUT;
    }
    let (mut fail, mut open) = (false, false);
    for v in verdicts {
        fail |= v == pucha_core::Verdict::Fail;
        open |= v == pucha_core::Verdict::Undetermined;
    }
    if fail {
        EXIT_FAIL
    } else if open {
        EXIT_UNDETERMINED
    } else {
        EXIT_PASS
    }
}

#[derive(Debug, Parser)]
#[command(
    name = "pucha",
    version,
    about = "普查：按全国政府网站检查指标评分 — score Chinese government websites against the national inspection tables",
    long_about = None
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// Plain text for terminals.
    Text,
    /// JSON (`pucha.report/1` for reports; one line per report for JSON Lines input).
    Json,
    /// A self-contained HTML page, print-ready on A4.
    Html,
    /// An XLSX workbook (needs `--output`).
    Xlsx,
    /// CSV (`score`: one row per site; roll-ups and comparisons).
    Csv,
    /// `pucha.summary/1`, one line per site (`score`).
    Summary,
}

/// How hard a fetching command may press (`probe`, `campaign run`): one flag set for every such command.
#[derive(Debug, Clone, Copy, clap::Args)]
pub(crate) struct Politeness {
    /// Requests in flight in all, whatever their hosts (a page may link thousands of origins).
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u16).range(1..=1024))]
    concurrency: u16,
    /// Requests in flight per host (politeness).
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=256))]
    per_host: u16,
    /// Requests per second per host at most (politeness; 10 = one every 100 ms).
    #[arg(long, default_value_t = 10.0)]
    rate: f64,
}

impl Politeness {
    /// The fetcher's configuration with these limits (the rest as `base` has it), or why `--rate` is refused.
    pub(crate) fn fetch_config(
        &self,
        base: pucha_probes::FetchConfig,
    ) -> Result<pucha_probes::FetchConfig, String> {
        if !(self.rate.is_finite() && self.rate > 0.0 && self.rate <= 1000.0) {
            return Err(format!(
                "`--rate {}` 须为每秒请求数，大于 0、至多 1000 / must be a number of requests per second from above 0 to 1000",
                self.rate
            ));
        }
        Ok(pucha_probes::FetchConfig {
            concurrency: usize::from(self.concurrency),
            per_host: usize::from(self.per_host),
            min_interval: std::time::Duration::from_secs_f64(1.0 / self.rate),
            ..base
        })
    }
}

/// Language of text output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum LangArg {
    /// 中文.
    Zh,
    /// English.
    En,
}

impl LangArg {
    fn lang(self) -> Lang {
        match self {
            LangArg::Zh => Lang::Zh,
            LangArg::En => Lang::En,
        }
    }
}

#[derive(Debug, Subcommand)]
enum Command {
    /// 评分：score an observation (JSON file, `-` for stdin; JSON Lines in → one report per line out)
    Score {
        /// Observation file (`pucha.observation/1` JSON or JSON Lines), `-` for stdin.
        observation: String,
        /// Built-in pack name or a pack TOML file.
        #[arg(long, default_value = "census-2015")]
        pack: String,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Language of text output.
        #[arg(long, value_enum, default_value = "zh")]
        lang: LangArg,
        /// Override a pack parameter, e.g. `--set proration=whole-percent`, or the pass threshold and bonus cap
        /// (`fail_above`, `fail_below`, `bonus_cap`) for what-if work (repeatable).
        #[arg(long = "set", value_name = "NAME=VALUE")]
        set: Vec<String>,
        /// Write to this file instead of stdout (required for `xlsx`).
        #[arg(long, short)]
        output: Option<String>,
        /// Threads scoring a JSON Lines batch (default: every core); the output keeps the input's order.
        #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1024))]
        jobs: Option<u16>,
        /// The 上报表's hand-in fields (html and xlsx).
        #[command(flatten)]
        hand_in: hand_in::HandIn,
    },
    /// 上报表：render stored JSON reports as the official table in HTML or XLSX
    Render {
        /// Report files (`pucha score --format json` output; JSON or JSON Lines), `-` for stdin.
        #[arg(required = true)]
        reports: Vec<String>,
        /// Output format: html or xlsx (or json to normalise).
        #[arg(long, value_enum, default_value = "html")]
        format: Format,
        /// Write to this file instead of stdout (required for `xlsx`).
        #[arg(long, short)]
        output: Option<String>,
        /// Language.
        #[arg(long, value_enum, default_value = "zh")]
        lang: LangArg,
        /// The 上报表's hand-in fields.
        #[command(flatten)]
        hand_in: hand_in::HandIn,
    },
    /// 汇总：roll up many reports by region, department or site kind
    Summarize {
        /// Report or summary files (JSON or JSON Lines), `-` for stdin.
        #[arg(required = true)]
        reports: Vec<String>,
        /// Group by `region`, `department`, `kind`, `pack` or `all`.
        #[arg(long, default_value = "region")]
        by: String,
        /// Output format: text, json, csv, xlsx or html.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Write to this file instead of stdout (required for `xlsx`).
        #[arg(long, short)]
        output: Option<String>,
        /// Language.
        #[arg(long, value_enum, default_value = "zh")]
        lang: LangArg,
    },
    /// 对比：score observations two ways (two packs, or `--set` variants) and show what changes
    Diff {
        /// Observation files (JSON or JSON Lines).
        #[arg(required = true)]
        observations: Vec<String>,
        /// Pack of side A, and of side B when given twice (default `census-2015`).
        #[arg(long)]
        pack: Vec<String>,
        /// Parameter override for side B, e.g. `--set proration=whole-percent` or `--set fail_above=35`
        /// (repeatable).
        #[arg(long = "set", value_name = "NAME=VALUE")]
        set: Vec<String>,
        /// Output format: text, json or csv.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Write to this file instead of stdout.
        #[arg(long, short)]
        output: Option<String>,
        /// Language.
        #[arg(long, value_enum, default_value = "zh")]
        lang: LangArg,
    },
    /// 整改前后：compare two sets of stored reports site by site (matched by 网站标识码), verdict changes first
    Compare {
        /// Reports before (`pucha score --format json` or `pucha campaign score` output; JSON or JSON Lines).
        old: String,
        /// Reports after.
        new: String,
        /// Output format: text, json, csv, html or xlsx (with --output).
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Write to this file instead of stdout.
        #[arg(long, short)]
        output: Option<String>,
        /// Language.
        #[arg(long, value_enum, default_value = "zh")]
        lang: LangArg,
    },
    /// 探测：collect an observation from the site a profile describes (columns, links, a short availability sample)
    Probe {
        /// Site profile (TOML or JSON).
        profile: String,
        /// Write the observation here (default stdout).
        #[arg(long, short)]
        out: Option<String>,
        /// Monitoring point: `YYYY-MM-DD`, `2015/6/30` or `2015年6月30日` (default today in China Standard Time).
        #[arg(long)]
        date: Option<String>,
        /// Allow private, loopback and link-local addresses (a site on the local network).
        #[arg(long)]
        allow_private: bool,
        /// Do not obey robots.txt (only for a site owner checking their own site).
        #[arg(long)]
        ignore_robots: bool,
        /// Homepage visits for the short availability sample (1 s apart; `pucha monitor` takes the real week).
        #[arg(long, default_value_t = 20)]
        samples: usize,
        /// Pages the link crawl reads at most; when it stops there, the broken links found are a lower bound
        /// (`links.complete: false`) and the link deduction is left open (docs/probes.md).
        #[arg(long, default_value_t = 200)]
        page_budget: usize,
        /// Distinct link targets the crawl checks at most; past it the broken links found are a lower bound.
        #[arg(long, default_value_t = 20_000)]
        link_budget: usize,
        #[command(flatten)]
        politeness: Politeness,
        /// Take availability from this `pucha monitor` database instead of a short sample.
        #[arg(long)]
        db: Option<String>,
        /// Extra text-screening terms: a TOML file of `[[term]]` tables with `wrong`, `right`, `certain`.
        #[arg(long)]
        terms: Option<String>,
        /// Structured log: every request as a JSON line (`adapter`, `url`, `result`).
        #[arg(long)]
        log: Option<String>,
        /// No progress on stderr.
        #[arg(long, short)]
        quiet: bool,
    },
    /// 监测：visit the homepage on schedule for a week, recording every sample in SQLite (survives kill -9; rerun to resume)
    Monitor {
        /// Site profile (TOML or JSON).
        profile: String,
        /// The monitor database (created if missing; resumed if present).
        #[arg(long, default_value = "monitor.sqlite")]
        db: String,
        /// Days to monitor.
        #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..=366))]
        days: u32,
        /// Visits a day, evenly spaced (the census requires at least 20).
        #[arg(long, default_value_t = 24, value_parser = clap::value_parser!(u32).range(1..=86_400))]
        per_day: u32,
        /// Time between visits instead (`15m`, `1h`, `250ms`); the number of visits stays days × per-day.
        #[arg(long)]
        interval: Option<String>,
        /// Allow private, loopback and link-local addresses.
        #[arg(long)]
        allow_private: bool,
        /// A site known to be up: when a visit fails and this fails too, the fault is the prober's own.
        #[arg(long)]
        control: Option<String>,
        /// No progress on stderr.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Simulation builds only: serve the fixture farm (`s{n}.farm.test`) on 127.0.0.1 until interrupted.
    #[cfg(feature = "simulation")]
    #[command(hide = true)]
    SimFarm {
        /// Port (0: a free one; printed on the first line).
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// The date the sites' content is dated against.
        #[arg(long, default_value = "2015-11-15")]
        crawl: String,
        /// From this (simulated) time on, the sites that go down mid-campaign answer 503.
        #[arg(long)]
        down_at: Option<String>,
        /// Grow each site to this many HTML pages and ten times as many link targets (0: the fixture portal).
        #[arg(long, default_value_t = 0)]
        pages: usize,
    },
    /// 演示：serve a simulated county portal on 127.0.0.1, probe it, score it and print the report
    Demo {
        /// Folder for demo-observation.json and demo-report.json (default: pucha-demo-<pid> in the system's
        /// temporary folder, printed).
        #[arg(long)]
        out_dir: Option<String>,
        /// Language of the report.
        #[arg(long, value_enum, default_value = "zh")]
        lang: LangArg,
        /// No progress on stderr.
        #[arg(long, short)]
        quiet: bool,
    },
    /// 检查任务：every site of a region in one campaign folder (网站名录 in; status while it runs)
    Campaign {
        #[command(subcommand)]
        command: CampaignCommand,
    },
    /// 网站信息：check or import a site profile (附件3 + 附件4; TOML, JSON or XLSX)
    Profile {
        #[command(subcommand)]
        command: ProfileCommand,
    },
    /// 规则包：list, check and show rule packs
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
}

#[derive(Debug, Subcommand)]
enum CampaignCommand {
    /// Create a campaign from a site list (网站名录): every problem of the list is reported at once.
    Init {
        /// The campaign's folder (created; it must not hold a campaign already).
        dir: String,
        /// The site list: a folder of profiles (TOML/JSON), JSON Lines of profiles, or a CSV (UTF-8 or GBK) or
        /// XLSX file with one row per site under the 附件3 labels (an XLSX's second sheet: 附件4 column rows).
        #[arg(long)]
        sites: String,
        /// For a CSV list: a CSV or XLSX of 附件4 column rows keyed by 网站标识码.
        #[arg(long)]
        columns: Option<String>,
        /// Start with the valid sites and list the others, instead of creating nothing.
        #[arg(long)]
        skip_invalid: bool,
        /// First date of availability sampling: YYYY-MM-DD, 2015/6/24 or 2015年6月24日 (default: tomorrow, China
        /// Standard Time).
        #[arg(long)]
        from: Option<String>,
        /// Days of sampling; the monitoring point is the last of them.
        #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..=366))]
        days: u32,
        /// Homepage visits a day per site, evenly spread (the census requires at least 20).
        #[arg(long, default_value_t = 24, value_parser = clap::value_parser!(u32).range(1..=86_400))]
        per_day: u32,
        /// Built-in pack name or a pack TOML file the sites are scored with.
        #[arg(long, default_value = "census-2015")]
        pack: String,
        /// Override a pack parameter (repeatable).
        #[arg(long = "set", value_name = "NAME=VALUE")]
        set: Vec<String>,
    },
    /// Take the availability samples of every site (resumable: rerun after a crash or kill to carry on).
    Run {
        /// The campaign's folder.
        dir: String,
        #[command(flatten)]
        politeness: Politeness,
        /// A site known to be up: when a visit fails and this fails too, the fault is the prober's own.
        #[arg(long)]
        control: Option<String>,
        /// Allow private, loopback and link-local addresses.
        #[arg(long)]
        allow_private: bool,
        /// Full probes of sites at once (each crawls up to 200 pages).
        #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=256))]
        probes: u16,
        /// No progress on stderr.
        #[arg(long, short)]
        quiet: bool,
        #[command(flatten)]
        simulation: sim_cmd::Simulation,
    },
    /// Score every site (its probe and its samples): DIR/observations.jsonl, DIR/reports.jsonl, the roll-up by
    /// region and the sites that could not be scored.
    Score {
        /// The campaign's folder.
        dir: String,
        /// Language of the roll-up.
        #[arg(long, value_enum, default_value = "zh")]
        lang: LangArg,
        /// The 上报表's hand-in fields, over each site's own profile's.
        #[command(flatten)]
        hand_in: hand_in::HandIn,
    },
    /// Progress overall and per site (samples, failure rate, probe done or pending), while the campaign runs.
    Status {
        /// The campaign's folder.
        dir: String,
        /// text or json.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
}

#[derive(Debug, Subcommand)]
enum ProfileCommand {
    /// List every problem under the forms' filling rules (field names in Chinese and English).
    Check {
        /// Profile file: TOML, JSON, or XLSX laid out like 附件3 and 附件4.
        file: String,
    },
    /// Read a profile (XLSX laid out like the forms, or JSON) and write it as TOML.
    Import {
        /// Profile file.
        file: String,
        /// Write to this file instead of stdout.
        #[arg(long, short)]
        output: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum RulesCommand {
    /// List the built-in packs and their rules.
    List {
        /// Language of text output.
        #[arg(long, value_enum, default_value = "zh")]
        lang: LangArg,
    },
    /// Check a pack file: load, validate and compile it.
    Check {
        /// Pack TOML file (or a built-in name).
        file: String,
    },
    /// Show one rule: its clause, cases, facts and parameters.
    Show {
        /// Rule id, e.g. `site-unreachable`.
        rule: String,
        /// Built-in pack name or a pack TOML file.
        #[arg(long, default_value = "census-2015")]
        pack: String,
        /// Language of text output.
        #[arg(long, value_enum, default_value = "zh")]
        lang: LangArg,
    },
    /// List the facts a pack can use (the rule language's vocabulary).
    Facts {
        /// Language of text output.
        #[arg(long, value_enum, default_value = "zh")]
        lang: LangArg,
    },
    /// List a pack's parameters and their values.
    Params {
        /// Built-in pack name or a pack TOML file.
        #[arg(long, default_value = "census-2015")]
        pack: String,
    },
}

/// Print an error for people on stderr (input it echoes is shown with its control characters escaped).
pub(crate) fn print_error(e: &Error) {
    let mut err = std::io::stderr().lock();
    let line = format!("错误 error [{}]: {}", e.code(), e.bilingual());
    let _ = writeln!(err, "{}", pucha_core::visible(&line));
}

/// A file that could not be read or written, in both languages: `无法写入 `a.xlsx`：没有权限 / cannot write
/// `a.xlsx`: Permission denied (os error 13)`.
pub(crate) fn io_failed(
    verb_zh: &str,
    verb_en: &str,
    what: &dyn std::fmt::Display,
    e: &dyn std::fmt::Display,
) -> String {
    let e = e.to_string();
    let (zh, _) = pucha_core::messages::io_words(&e);
    format!("无法{verb_zh} `{what}`：{zh} / cannot {verb_en} `{what}`: {e}")
}

/// Write to stdout, ignoring a closed pipe. Control and bidi characters are written as `\uXXXX`: visible on a
/// terminal, and read back as the same character inside JSON and TOML strings.
pub(crate) fn out(s: &str) {
    let mut o = std::io::stdout().lock();
    let _ = o.write_all(pucha_core::visible(s).as_bytes());
}

/// `msg` with a Chinese sentence first: kept when it has its Chinese already (`中文 / English`), else led by
/// `lead_zh` (what failed, in Chinese) — messages from the probes and the file system come in English.
pub(crate) fn chinese_first(lead_zh: &str, msg: &str) -> String {
    // The words after a leading quoted name (`` `path`: ``) say which language the message starts in.
    let words = match msg.strip_prefix('`').and_then(|r| r.split_once('`')) {
        Some((_, rest)) => rest.trim_start_matches([':', '：', ' ']),
        None => msg,
    };
    let cjk = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    let made_both = msg.split_once(" / ").is_some_and(|(zh, _)| zh.chars().any(cjk));
    if made_both || words.chars().next().is_some_and(cjk) {
        msg.to_string()
    } else {
        format!("{lead_zh} / {msg}")
    }
}

/// Write a line for people to stderr, its control and bidi characters escaped.
pub(crate) fn say_err(line: &str) {
    let _ = writeln!(std::io::stderr(), "{}", pucha_core::visible(line));
}

/// Load a pack by built-in name or path, applying `--set` overrides.
pub(crate) fn load_pack(name: &str, set: &[String]) -> Result<pucha_core::RulePack, Error> {
    let mut pack = pucha_core::RulePack::load(name)?;
    for kv in set {
        let Some((k, v)) = kv.split_once('=') else {
            return Err(Error::new(
                pucha_core::ErrorKind::InvalidParam,
                format!("`--set {kv}` 须写作 `名称=值` / needs the form `name=value`"),
            ));
        };
        pack.set_param(k.trim(), v)?;
    }
    Ok(pack)
}

/// Run the command line; returns the process exit code.
pub fn run<I: IntoIterator<Item = OsString>>(args: I) -> ExitCode {
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_BAD_INPUT } else { EXIT_PASS });
        }
    };
    let code = match cli.command {
        Command::Score {
            observation,
            pack,
            format,
            lang,
            set,
            output,
            jobs,
            hand_in,
        } => score_cmd::score(&score_cmd::ScoreOptions {
            path: &observation,
            pack: &pack,
            set: &set,
            format,
            output: output.as_deref(),
            lang: lang.lang(),
            jobs: jobs.map(usize::from),
            hand_in: &hand_in,
        }),
        Command::Render {
            reports,
            format,
            output,
            lang,
            hand_in,
        } => report_cmd::render(&reports, format, output.as_deref(), lang.lang(), &hand_in),
        Command::Summarize {
            reports,
            by,
            format,
            output,
            lang,
        } => report_cmd::summarize(&reports, &by, format, output.as_deref(), lang.lang()),
        Command::Compare {
            old,
            new,
            format,
            output,
            lang,
        } => compare_cmd::compare(&[old], &[new], format, output.as_deref(), lang.lang()),
        Command::Diff {
            observations,
            pack,
            set,
            format,
            output,
            lang,
        } => report_cmd::diff(&observations, &pack, &set, format, output.as_deref(), lang.lang()),
        Command::Probe {
            profile,
            out,
            date,
            allow_private,
            ignore_robots,
            samples,
            page_budget,
            link_budget,
            politeness,
            db,
            terms,
            log,
            quiet,
        } => probe_cmd::probe_site(&probe_cmd::ProbeOptions {
            profile,
            out,
            date,
            allow_private,
            ignore_robots,
            samples,
            page_budget,
            link_budget,
            politeness,
            db,
            terms,
            log,
            quiet,
        }),
        Command::Monitor {
            profile,
            db,
            days,
            per_day,
            interval,
            allow_private,
            control,
            quiet,
        } => probe_cmd::monitor(&probe_cmd::MonitorOptions {
            profile,
            db,
            days,
            per_day,
            interval,
            allow_private,
            control,
            quiet,
        }),
        #[cfg(feature = "simulation")]
        Command::SimFarm {
            port,
            crawl,
            down_at,
            pages,
        } => sim_cmd::farm(port, &crawl, down_at.as_deref(), pages),
        Command::Demo { out_dir, lang, quiet } => {
            let out_dir = out_dir.unwrap_or_else(|| {
                std::env::temp_dir()
                    .join(format!("pucha-demo-{}", std::process::id()))
                    .display()
                    .to_string()
            });
            probe_cmd::demo(&out_dir, lang.lang(), quiet)
        }
        Command::Campaign { command } => match command {
            CampaignCommand::Init {
                dir,
                sites,
                columns,
                skip_invalid,
                from,
                days,
                per_day,
                pack,
                set,
            } => campaign_cmd::init(&campaign_cmd::InitOptions {
                dir: &dir,
                sites: &sites,
                columns: columns.as_deref(),
                skip_invalid,
                from: from.as_deref(),
                days,
                per_day,
                pack: &pack,
                set: &set,
            }),
            CampaignCommand::Run {
                dir,
                politeness,
                control,
                allow_private,
                probes,
                quiet,
                simulation,
            } => campaign_cmd::run(&campaign_cmd::RunOptions {
                dir: &dir,
                politeness,
                control: control.as_deref(),
                allow_private,
                probes: usize::from(probes),
                quiet,
                simulation,
            }),
            CampaignCommand::Score { dir, lang, hand_in } => campaign_cmd::score(&dir, lang.lang(), &hand_in),
            CampaignCommand::Status { dir, format } => match format {
                Format::Text | Format::Json => campaign_status::status(&dir, format == Format::Json),
                _ => {
                    print_error(&Error::new(
                        pucha_core::ErrorKind::InvalidArgument,
                        "campaign status 输出 `text` 或 `json` / campaign status writes `text` or `json`",
                    ));
                    EXIT_BAD_INPUT
                }
            },
        },
        Command::Profile { command } => match command {
            ProfileCommand::Check { file } => profile_cmd::check(&file),
            ProfileCommand::Import { file, output } => profile_cmd::import(&file, output.as_deref()),
        },
        Command::Rules { command } => match command {
            RulesCommand::List { lang } => rules_cmd::list(lang.lang()),
            RulesCommand::Check { file } => rules_cmd::check(&file),
            RulesCommand::Show { rule, pack, lang } => rules_cmd::show(&pack, &rule, lang.lang()),
            RulesCommand::Facts { lang } => rules_cmd::facts(lang.lang()),
            RulesCommand::Params { pack } => rules_cmd::params(&pack),
        },
    };
    ExitCode::from(code)
}
