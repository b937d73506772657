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
mod serve_cmd;
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

/// 输出格式 / Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// 纯文本（终端） / Plain text for terminals.
    Text,
    /// JSON 数据 / JSON (`pucha.report/1` for reports; one line per report for JSON Lines input).
    Json,
    /// HTML 页面，可按 A4 打印 / A self-contained HTML page, print-ready on A4.
    Html,
    /// XLSX 工作簿（须给 `--output`） / An XLSX workbook (needs `--output`).
    Xlsx,
    /// CSV 表格 / CSV (`score`: one row per site; roll-ups and comparisons).
    Csv,
    /// 每站一行的摘要 / `pucha.summary/1`, one line per site (`score`).
    Summary,
}

/// The values of `--format` a command accepts, so its `--help` lists only those and clap refuses the others.
fn formats(allowed: &'static [Format]) -> impl clap::builder::TypedValueParser<Value = Format> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(allowed.iter().filter_map(ValueEnum::to_possible_value))
        .map(|s: String| Format::from_str(&s, true).unwrap_or(Format::Text))
}

/// How hard a fetching command may press (`probe`, `campaign run`): one flag set for every such command.
#[derive(Debug, Clone, Copy, clap::Args)]
pub(crate) struct Politeness {
    /// 同时进行的请求总数 / Requests in flight in all, whatever their hosts (a page may link thousands of origins).
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u16).range(1..=1024))]
    concurrency: u16,
    /// 每个主机同时进行的请求数（礼貌） / Requests in flight per host (politeness).
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=256))]
    per_host: u16,
    /// 每个主机每秒至多请求数（礼貌） / Requests per second per host at most (politeness; 10 = one every 100 ms).
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

/// 文本输出的语言 / Language of text output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum LangArg {
    /// 中文.
    Zh,
    /// 英文 / English.
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
        /// 观测文件（JSON 或 JSON Lines），`-` 为标准输入 / Observation file (`pucha.observation/1` JSON or JSON Lines), `-` for stdin.
        observation: String,
        /// 内置规则包名或规则包 TOML 文件 / Built-in pack name or a pack TOML file.
        #[arg(long, default_value = "census-2015")]
        pack: String,
        /// 输出格式 / Output format.
        #[arg(long, default_value = "text", value_parser = formats(&[Format::Text, Format::Json, Format::Html, Format::Xlsx, Format::Csv, Format::Summary]))]
        format: Format,
        /// 文本输出的语言 / Language of text output.
        #[arg(long, value_enum, default_value = "zh")]
        lang: LangArg,
        /// 覆盖规则包参数，或合格线与加分上限（可重复） / Override a pack parameter, e.g. `--set proration=whole-percent`, or the pass threshold and bonus cap
        /// (`fail_above`, `fail_below`, `bonus_cap`) for what-if work (repeatable).
        #[arg(long = "set", value_name = "NAME=VALUE")]
        set: Vec<String>,
        /// 写入此文件而非标准输出（`xlsx` 必需） / Write to this file instead of stdout (required for `xlsx`).
        #[arg(long, short)]
        output: Option<String>,
        /// 批量评分的线程数（默认：全部核心） / Threads scoring a JSON Lines batch (default: every core); the output keeps the input's order.
        #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1024))]
        jobs: Option<u16>,
        /// 上报表的签章与联系信息 / The 上报表's hand-in fields (html and xlsx).
        #[command(flatten)]
        hand_in: hand_in::HandIn,
    },
    /// 上报表：render stored JSON reports as the official table in HTML or XLSX
    Render {
        /// 评分结果文件（JSON 或 JSON Lines），`-` 为标准输入 / Report files (`pucha score --format json` output; JSON or JSON Lines), `-` for stdin.
        #[arg(required = true)]
        reports: Vec<String>,
        /// 输出格式：html、xlsx（或 json） / Output format: html or xlsx (or json to normalise).
        #[arg(long, default_value = "html", value_parser = formats(&[Format::Html, Format::Xlsx, Format::Json]))]
        format: Format,
        /// 写入此文件而非标准输出（`xlsx` 必需） / Write to this file instead of stdout (required for `xlsx`).
        #[arg(long, short)]
        output: Option<String>,
        /// 语言 / Language.
        #[arg(long, value_enum, default_value = "zh")]
        lang: LangArg,
        /// 上报表的签章与联系信息 / The 上报表's hand-in fields.
        #[command(flatten)]
        hand_in: hand_in::HandIn,
    },
    /// 汇总：roll up many reports by region, department or site kind
    Summarize {
        /// 评分结果或摘要文件，`-` 为标准输入 / Report or summary files (JSON or JSON Lines), `-` for stdin.
        #[arg(required = true)]
        reports: Vec<String>,
        /// 分组方式：地区、部门、网站类型、规则包或全部 / Group by `region`, `department`, `kind`, `pack` or `all`.
        #[arg(long, default_value = "region")]
        by: String,
        /// 输出格式 / Output format: text, json, csv, xlsx or html.
        #[arg(long, default_value = "text", value_parser = formats(&[Format::Text, Format::Json, Format::Csv, Format::Xlsx, Format::Html]))]
        format: Format,
        /// 写入此文件而非标准输出（`xlsx` 必需） / Write to this file instead of stdout (required for `xlsx`).
        #[arg(long, short)]
        output: Option<String>,
        /// 语言 / Language.
        #[arg(long, value_enum, default_value = "zh")]
        lang: LangArg,
    },
    /// 对比：score observations two ways (two packs, or `--set` variants) and show what changes
    Diff {
        /// 观测文件（JSON 或 JSON Lines） / Observation files (JSON or JSON Lines).
        #[arg(required = true)]
        observations: Vec<String>,
        /// A 方的规则包；给两次时第二个为 B 方的 / Pack of side A, and of side B when given twice (default `census-2015`).
        #[arg(long)]
        pack: Vec<String>,
        /// B 方的参数覆盖（可重复） / Parameter override for side B, e.g. `--set proration=whole-percent` or `--set fail_above=35`
        /// (repeatable).
        #[arg(long = "set", value_name = "NAME=VALUE")]
        set: Vec<String>,
        /// 输出格式 / Output format: text, json or csv.
        #[arg(long, default_value = "text", value_parser = formats(&[Format::Text, Format::Json, Format::Csv]))]
        format: Format,
        /// 写入此文件而非标准输出 / Write to this file instead of stdout.
        #[arg(long, short)]
        output: Option<String>,
        /// 语言 / Language.
        #[arg(long, value_enum, default_value = "zh")]
        lang: LangArg,
    },
    /// 整改前后：compare two sets of stored reports site by site (matched by 网站标识码), verdict changes first
    Compare {
        /// 整改前的评分结果 / Reports before (`pucha score --format json` or `pucha campaign score` output; JSON or JSON Lines).
        old: String,
        /// 整改后的评分结果 / Reports after.
        new: String,
        /// 输出格式 / Output format: text, json, csv, html or xlsx (with --output).
        #[arg(long, default_value = "text", value_parser = formats(&[Format::Text, Format::Json, Format::Csv, Format::Html, Format::Xlsx]))]
        format: Format,
        /// 写入此文件而非标准输出 / Write to this file instead of stdout.
        #[arg(long, short)]
        output: Option<String>,
        /// 语言 / Language.
        #[arg(long, value_enum, default_value = "zh")]
        lang: LangArg,
    },
    /// 探测：collect an observation from the site a profile describes (columns, links, a short availability sample)
    Probe {
        /// 网站信息表（TOML 或 JSON） / Site profile (TOML or JSON).
        profile: String,
        /// 观测写入此文件（默认标准输出） / Write the observation here (default stdout).
        #[arg(long, short)]
        out: Option<String>,
        /// 监测时间点（默认北京时间今天） / Monitoring point: `YYYY-MM-DD`, `2015/6/30` or `2015年6月30日` (default today in China Standard Time).
        #[arg(long)]
        date: Option<String>,
        /// 允许内网、回环与链路本地地址 / Allow private, loopback and link-local addresses (a site on the local network).
        #[arg(long)]
        allow_private: bool,
        /// 不遵守 robots.txt（仅供网站主办者自查） / Do not obey robots.txt (only for a site owner checking their own site).
        #[arg(long)]
        ignore_robots: bool,
        /// 短时可用性抽样的首页访问次数 / Homepage visits for the short availability sample (1 s apart; `pucha monitor` takes the real week).
        #[arg(long, default_value_t = 20)]
        samples: usize,
        /// 链接检查至多读取的页面数 / Pages the link crawl reads at most; when it stops there, the broken links found are a lower bound
        /// (`links.complete: false`) and the link deduction is left open (docs/probes.md).
        #[arg(long, default_value_t = 200)]
        page_budget: usize,
        /// 链接检查至多检查的链接数 / Distinct link targets the crawl checks at most; past it the broken links found are a lower bound.
        #[arg(long, default_value_t = 20_000)]
        link_budget: usize,
        #[command(flatten)]
        politeness: Politeness,
        /// 从此 `pucha monitor` 数据库取可用性 / Take availability from this `pucha monitor` database instead of a short sample.
        #[arg(long)]
        db: Option<String>,
        /// 附加的错别字词表（TOML） / Extra text-screening terms: a TOML file of `[[term]]` tables with `wrong`, `right`, `certain`.
        #[arg(long)]
        terms: Option<String>,
        /// 结构化日志：每个请求一行 JSON / Structured log: every request as a JSON line (`adapter`, `url`, `result`).
        #[arg(long)]
        log: Option<String>,
        /// 不显示进度 / No progress on stderr.
        #[arg(long, short)]
        quiet: bool,
    },
    /// 监测：visit the homepage on schedule for a week, recording every sample in SQLite (survives kill -9; rerun to resume)
    Monitor {
        /// 网站信息表（TOML 或 JSON） / Site profile (TOML or JSON).
        profile: String,
        /// 监测数据库（不存在则新建，存在则续测） / The monitor database (created if missing; resumed if present).
        #[arg(long, default_value = "monitor.sqlite")]
        db: String,
        /// 监测天数 / Days to monitor.
        #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..=366))]
        days: u32,
        /// 每天访问次数，均匀分布（普查要求至少 20 次） / Visits a day, evenly spaced (the census requires at least 20).
        #[arg(long, default_value_t = 24, value_parser = clap::value_parser!(u32).range(1..=86_400))]
        per_day: u32,
        /// 改用访问间隔 / Time between visits instead (`15m`, `1h`, `250ms`); the number of visits stays days × per-day.
        #[arg(long)]
        interval: Option<String>,
        /// 允许内网、回环与链路本地地址 / Allow private, loopback and link-local addresses.
        #[arg(long)]
        allow_private: bool,
        /// 对照网址：访问失败且它也失败时，算作采集端故障 / A site known to be up: when a visit fails and this fails too, the fault is the prober's own.
        #[arg(long)]
        control: Option<String>,
        /// 不显示进度 / No progress on stderr.
        #[arg(long, short)]
        quiet: bool,
    },
    /// 仅模拟版本：在 127.0.0.1 上提供模拟网站群 / Simulation builds only: serve the fixture farm (`s{n}.farm.test`) on 127.0.0.1 until interrupted.
    #[cfg(feature = "simulation")]
    #[command(hide = true)]
    SimFarm {
        /// 端口（0 为任一空闲端口） / Port (0: a free one; printed on the first line).
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// 网站内容所对照的日期 / The date the sites' content is dated against.
        #[arg(long, default_value = "2015-11-15")]
        crawl: String,
        /// 自此（模拟）时刻起，中途宕机的网站答 503 / From this (simulated) time on, the sites that go down mid-campaign answer 503.
        #[arg(long)]
        down_at: Option<String>,
        /// 把每个网站扩到这么多页面 / Grow each site to this many HTML pages and ten times as many link targets (0: the fixture portal).
        #[arg(long, default_value_t = 0)]
        pages: usize,
    },
    /// 演示：serve a simulated county portal on 127.0.0.1, probe it, score it and print the report
    Demo {
        /// 演示观测与报告的写入文件夹 / Folder for demo-observation.json and demo-report.json (default: pucha-demo-<pid> in the system's
        /// temporary folder, printed).
        #[arg(long)]
        out_dir: Option<String>,
        /// 报告的语言 / Language of the report.
        #[arg(long, value_enum, default_value = "zh")]
        lang: LangArg,
        /// 不显示进度 / No progress on stderr.
        #[arg(long, short)]
        quiet: bool,
    },
    /// 检查任务：every site of a region in one campaign folder (网站名录 in; status while it runs)
    Campaign {
        #[command(subcommand)]
        command: CampaignCommand,
    },
    /// 报送系统：填报、逐级审核、公众查询 / The 报送系统: units file, organising units review level by level, the public looks sites up
    #[command(args_conflicts_with_subcommands = true)]
    Serve {
        #[command(subcommand)]
        command: Option<ServeCommand>,
        /// 数据库文件（SQLite；不存在则新建） / The database file (SQLite; created if missing).
        #[arg(long)]
        db: Option<String>,
        /// 监听地址 / Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: std::net::SocketAddr,
        /// 另外接受的主机名（反向代理后的公网域名，可重复） / Another Host name to answer to (a public name behind a proxy; repeatable).
        #[arg(long = "host", value_name = "NAME[:PORT]")]
        hosts: Vec<String>,
        /// 经 HTTPS 提供：Cookie 加 Secure 与 __Host- 前缀，发送 HSTS / Served over HTTPS: Secure, __Host- cookies and HSTS.
        #[arg(long)]
        secure: bool,
        /// 自查组件所在目录（已构建的 WebAssembly 包；默认 bindings/wasm/pkg，若存在） / The built WebAssembly package the filing page's
        /// self-check widget is served from (default: bindings/wasm/pkg when it exists).
        #[arg(long, value_name = "DIR")]
        widget: Option<String>,
        /// 演示数据：一省两市四县三十个网站，每种角色的账号（只限本机地址） / Demo data: a province, two cities, four counties, thirty sites and
        /// an account per role, logins printed (loopback addresses only; default database pucha-demo.sqlite).
        #[arg(long)]
        demo: bool,
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
    /// 建立检查任务：一次列出名录中的全部问题 / Create a campaign from a site list (网站名录): every problem of the list is reported at once.
    Init {
        /// 检查任务文件夹（新建） / The campaign's folder (created; it must not hold a campaign already).
        dir: String,
        /// 网站名录：网站信息表文件夹、JSON Lines、CSV 或 XLSX / The site list: a folder of profiles (TOML/JSON), JSON Lines of profiles, or a CSV (UTF-8 or GBK) or
        /// XLSX file with one row per site under the 附件3 labels (an XLSX's second sheet: 附件4 column rows).
        #[arg(long)]
        sites: String,
        /// CSV 名录的栏目表（附件4，按网站标识码） / For a CSV list: a CSV or XLSX of 附件4 column rows keyed by 网站标识码.
        #[arg(long)]
        columns: Option<String>,
        /// 先检查有效的网站，列出其余的 / Start with the valid sites and list the others, instead of creating nothing.
        #[arg(long)]
        skip_invalid: bool,
        /// 可用性抽样的首日（默认北京时间明天） / First date of availability sampling: YYYY-MM-DD, 2015/6/24 or 2015年6月24日 (default: tomorrow, China
        /// Standard Time).
        #[arg(long)]
        from: Option<String>,
        /// 抽样天数；监测时间点为最后一天 / Days of sampling; the monitoring point is the last of them.
        #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..=366))]
        days: u32,
        /// 每站每天首页访问次数（普查要求至少 20 次） / Homepage visits a day per site, evenly spread (the census requires at least 20).
        #[arg(long, default_value_t = 24, value_parser = clap::value_parser!(u32).range(1..=86_400))]
        per_day: u32,
        /// 评分所用的内置规则包名或 TOML 文件 / Built-in pack name or a pack TOML file the sites are scored with.
        #[arg(long, default_value = "census-2015")]
        pack: String,
        /// 覆盖规则包参数（可重复） / Override a pack parameter (repeatable).
        #[arg(long = "set", value_name = "NAME=VALUE")]
        set: Vec<String>,
    },
    /// 运行检查任务：抽样与全面检查（可续跑） / Take the availability samples of every site (resumable: rerun after a crash or kill to carry on).
    Run {
        /// 检查任务文件夹 / The campaign's folder.
        dir: String,
        #[command(flatten)]
        politeness: Politeness,
        /// 对照网址：访问失败且它也失败时，算作采集端故障 / A site known to be up: when a visit fails and this fails too, the fault is the prober's own.
        #[arg(long)]
        control: Option<String>,
        /// 允许内网、回环与链路本地地址 / Allow private, loopback and link-local addresses.
        #[arg(long)]
        allow_private: bool,
        /// 同时全面检查的网站数 / Full probes of sites at once (each crawls up to 200 pages).
        #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=256))]
        probes: u16,
        /// 不显示进度 / No progress on stderr.
        #[arg(long, short)]
        quiet: bool,
        #[command(flatten)]
        simulation: sim_cmd::Simulation,
    },
    /// 为每个网站评分，写出观测、评分结果与汇总 / Score every site (its probe and its samples): DIR/observations.jsonl, DIR/reports.jsonl, the roll-up by
    /// region and the sites that could not be scored.
    Score {
        /// 检查任务文件夹 / The campaign's folder.
        dir: String,
        /// 汇总的语言 / Language of the roll-up.
        #[arg(long, value_enum, default_value = "zh")]
        lang: LangArg,
        /// 上报表的签章与联系信息 / The 上报表's hand-in fields, over each site's own profile's.
        #[command(flatten)]
        hand_in: hand_in::HandIn,
    },
    /// 进度：总体与每个网站（运行中可查） / Progress overall and per site (samples, failure rate, probe done or pending), while the campaign runs.
    Status {
        /// 检查任务文件夹 / The campaign's folder.
        dir: String,
        /// text 或 json / text or json.
        #[arg(long, default_value = "text", value_parser = formats(&[Format::Text, Format::Json]))]
        format: Format,
    },
}

#[derive(Debug, Subcommand)]
enum ServeCommand {
    /// 账号管理 / Accounts made from the command line.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
}

#[derive(Debug, Subcommand)]
enum AdminCommand {
    /// 建立首个管理员（顶级单位的管理角色）；密码从标准输入读一行 / Create the first administrator (管理 at the root); the password is read
    /// as one line from standard input.
    Create {
        /// 数据库文件 / The database file.
        #[arg(long, default_value = "pucha.sqlite")]
        db: String,
        /// 登录名 / The login.
        #[arg(long)]
        login: String,
        /// 姓名 / The administrator's name.
        #[arg(long)]
        name: String,
        /// 顶级单位名称（库中尚无单位时必填） / The root unit's name (needed while the database has no units).
        #[arg(long)]
        root: Option<String>,
        /// 顶级单位级别 / The root's level.
        #[arg(long, default_value = "province", value_parser = ["national", "province", "city", "county"])]
        level: String,
        /// 顶级单位地区 / The root's region (地区).
        #[arg(long, default_value = "")]
        region: String,
    },
}

#[derive(Debug, Subcommand)]
enum ProfileCommand {
    /// 按填报规则列出全部问题 / List every problem under the forms' filling rules (field names in Chinese and English).
    Check {
        /// 网站信息表文件：TOML、JSON 或按附件3、附件4 排版的 XLSX / Profile file: TOML, JSON, or XLSX laid out like 附件3 and 附件4.
        file: String,
    },
    /// 读入网站信息表并写成 TOML / Read a profile (XLSX laid out like the forms, or JSON) and write it as TOML.
    Import {
        /// 网站信息表文件 / Profile file.
        file: String,
        /// 写入此文件而非标准输出 / Write to this file instead of stdout.
        #[arg(long, short)]
        output: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum RulesCommand {
    /// 列出内置规则包及其规则 / List the built-in packs and their rules.
    List {
        /// 文本输出的语言 / Language of text output.
        #[arg(long, value_enum, default_value = "zh")]
        lang: LangArg,
    },
    /// 检查规则包文件：载入、校验、编译 / Check a pack file: load, validate and compile it.
    Check {
        /// 规则包 TOML 文件（或内置名） / Pack TOML file (or a built-in name).
        file: String,
    },
    /// 显示一条规则：条款、情形、事实与参数 / Show one rule: its clause, cases, facts and parameters.
    Show {
        /// 规则编号，如 `site-unreachable` / Rule id, e.g. `site-unreachable`.
        rule: String,
        /// 内置规则包名或规则包 TOML 文件 / Built-in pack name or a pack TOML file.
        #[arg(long, default_value = "census-2015")]
        pack: String,
        /// 文本输出的语言 / Language of text output.
        #[arg(long, value_enum, default_value = "zh")]
        lang: LangArg,
    },
    /// 列出规则可用的事实 / List the facts a pack can use (the rule language's vocabulary).
    Facts {
        /// 文本输出的语言 / Language of text output.
        #[arg(long, value_enum, default_value = "zh")]
        lang: LangArg,
    },
    /// 列出规则包的参数及其值 / List a pack's parameters and their values.
    Params {
        /// 内置规则包名或规则包 TOML 文件 / Built-in pack name or a pack TOML file.
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
    use pucha_core::messages::has_cjk;
    // The words after a leading quoted name (`` `path`: ``) say which language the message starts in.
    let words = match msg.strip_prefix('`').and_then(|r| r.split_once('`')) {
        Some((_, rest)) => rest.trim_start_matches([':', '：', ' ']),
        None => msg,
    };
    let made_both = msg.split_once(" / ").is_some_and(|(zh, _)| has_cjk(zh));
    if made_both
        || words
            .chars()
            .next()
            .is_some_and(|c| has_cjk(c.encode_utf8(&mut [0; 4])))
    {
        return msg.to_string();
    }
    // serde's words passed on as text (a profile's reader): said in Chinese, and in plain English.
    match pucha_core::messages::reword(msg) {
        Some((zh, en)) => format!("{lead_zh}：{zh} / {en}"),
        None => format!("{lead_zh} / {msg}"),
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

/// What a command line clap refuses got wrong, in Chinese (clap's English follows on the next lines).
fn usage_words(kind: clap::error::ErrorKind) -> &'static str {
    use clap::error::ErrorKind as K;
    match kind {
        K::InvalidValue => "选项的值不在可选值之中",
        K::UnknownArgument => "未知的选项或多余的参数",
        K::InvalidSubcommand => "未知的命令",
        K::MissingRequiredArgument => "缺少必需的参数",
        K::MissingSubcommand | K::DisplayHelpOnMissingArgumentOrSubcommand => "缺少命令",
        K::ValueValidation => "选项的值不对",
        K::TooManyValues | K::WrongNumberOfValues | K::TooFewValues => "选项的值的个数不对",
        K::ArgumentConflict => "这些选项不能同时使用",
        K::NoEquals => "选项须写作 `--选项=值`",
        K::InvalidUtf8 => "命令行中有非 UTF-8 的字符",
        _ => "命令行有误",
    }
}

/// A flag clap would make itself (`-h, --help`, `-V, --version`), with its help in both languages.
fn flag(name: &'static str, short: char, action: clap::ArgAction, help: &'static str) -> clap::Arg {
    clap::Arg::new(name)
        .short(short)
        .long(name)
        .action(action)
        .help(help)
        .help_heading("选项 Options")
}

/// The command line's words in Chinese with English: headings, usage, the help and version flags, on every
/// subcommand. Arguments keep their own heading when they have one (上报表 Hand-in).
fn bilingual(cmd: clap::Command) -> clap::Command {
    let cmd = cmd
        .help_template("{before-help}{about-with-newline}\n用法 Usage: {usage}\n\n{all-args}{after-help}")
        .subcommand_help_heading("命令 Commands")
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .arg(flag("help", 'h', clap::ArgAction::Help, "显示帮助 / Print help"))
        .mut_args(|a| {
            if a.get_help_heading().is_some() {
                a
            } else if a.is_positional() {
                a.help_heading("参数 Arguments")
            } else {
                a.help_heading("选项 Options")
            }
        });
    let cmd = if cmd.get_version().is_some() {
        cmd.disable_version_flag(true).arg(flag(
            "version",
            'V',
            clap::ArgAction::Version,
            "显示版本 / Print version",
        ))
    } else {
        cmd
    };
    cmd.mut_subcommands(bilingual)
}

/// Run the command line `args` (the first is the program's name); the exit code.
pub fn run<I: IntoIterator<Item = OsString>>(args: I) -> ExitCode {
    use clap::{CommandFactory, FromArgMatches};
    let parsed = bilingual(Cli::command())
        .try_get_matches_from(args)
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(c) => c,
        Err(e) => {
            if e.use_stderr() {
                say_err(&format!("用法错误 usage error: {}", usage_words(e.kind())));
            }
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
        Command::Serve {
            command:
                Some(ServeCommand::Admin {
                    command:
                        AdminCommand::Create {
                            db,
                            login,
                            name,
                            root,
                            level,
                            region,
                        },
                }),
            ..
        } => serve_cmd::admin_create(&db, &login, &name, root.as_deref(), &level, &region),
        Command::Serve {
            command: None,
            db,
            bind,
            hosts,
            secure,
            widget,
            demo,
        } => serve_cmd::serve(db, bind, hosts, secure, widget, demo),
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

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn chinese(s: &str) -> bool {
        s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    /// Every command, argument and option explains itself in Chinese first, then English.
    #[test]
    fn every_help_line_is_chinese_then_english() {
        fn walk(cmd: &clap::Command, at: &str, bad: &mut Vec<String>) {
            let about = cmd.get_about().map(ToString::to_string).unwrap_or_default();
            if !at.is_empty() && !chinese(&about) {
                bad.push(format!("{at}: {about}"));
            }
            for a in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
                let help = a.get_help().map(ToString::to_string).unwrap_or_default();
                let lead = help.split(" / ").next().unwrap_or("");
                if !(chinese(lead) && help.contains("/ ")) {
                    bad.push(format!("{at} {}: {help}", a.get_id()));
                }
            }
            for s in cmd.get_subcommands() {
                walk(s, &format!("{at} {}", s.get_name()), bad);
            }
        }
        let mut bad = Vec::new();
        let cmd = bilingual(Cli::command());
        walk(&cmd, "", &mut bad);
        assert!(bad.is_empty(), "{}", bad.join("\n"));
        let mut help = Vec::new();
        let _ = bilingual(Cli::command()).write_long_help(&mut help);
        let help = String::from_utf8(help).unwrap();
        for heading in [
            "用法 Usage:",
            "命令 Commands:",
            "选项 Options:",
            "显示帮助 / Print help",
        ] {
            assert!(help.contains(heading), "{heading} in {help}");
        }
    }

    /// Each command's `--format` lists only what it writes.
    #[test]
    fn each_command_lists_only_its_formats() {
        let cmd = bilingual(Cli::command());
        let formats = |path: &[&str]| -> Vec<String> {
            let mut c = &cmd;
            for p in path {
                c = c.find_subcommand(p).unwrap();
            }
            let a = c.get_arguments().find(|a| a.get_id() == "format").unwrap();
            a.get_possible_values()
                .iter()
                .map(|v| v.get_name().to_string())
                .collect()
        };
        assert_eq!(formats(&["render"]), ["html", "xlsx", "json"]);
        assert_eq!(formats(&["diff"]), ["text", "json", "csv"]);
        assert_eq!(formats(&["campaign", "status"]), ["text", "json"]);
        assert_eq!(formats(&["score"]).len(), 6);
        assert!(!formats(&["summarize"]).contains(&"summary".to_string()));
        assert!(!formats(&["compare"]).contains(&"summary".to_string()));
    }
}
