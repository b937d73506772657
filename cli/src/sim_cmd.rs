//! Simulation builds only (`--features simulation`; release builds have none of it, and reject its flags as
//! unknown): a compressed campaign clock, `.test` names resolving to 127.0.0.1, and `pucha sim-farm`, the fixture
//! farm the campaign tests and scale benches run against.

/// The flags `campaign run` takes in a simulation build (none otherwise).
#[derive(Debug, Clone, Copy, Default, clap::Args)]
pub(crate) struct Simulation {
    /// Simulation builds: run the campaign's clock this many times faster than the real one.
    #[cfg(feature = "simulation")]
    #[arg(long, hide = true, value_name = "SPEED")]
    sim_speed: Option<u32>,
    /// Simulation builds: names under `.test` resolve to 127.0.0.1 (the fixture farm).
    #[cfg(feature = "simulation")]
    #[arg(long, hide = true)]
    sim_hosts: bool,
}

impl Simulation {
    /// The clock a run of the campaign in `dir`, whose plan starts at `start`, goes by.
    #[cfg_attr(
        not(feature = "simulation"),
        allow(
            clippy::unused_self,
            unused_variables,
            reason = "the real clock needs neither"
        )
    )]
    pub(crate) fn clock(
        &self,
        dir: &std::path::Path,
        start: chrono::DateTime<chrono::FixedOffset>,
    ) -> Result<pucha_probes::clock::Clock, String> {
        #[cfg(feature = "simulation")]
        if let Some(speed) = self.sim_speed {
            return pucha_probes::clock::compressed(dir, start, speed);
        }
        Ok(pucha_probes::clock::Clock::Real)
    }

    /// The fetch configuration with the simulated names, when asked for.
    #[cfg_attr(
        not(feature = "simulation"),
        allow(clippy::unused_self, reason = "without simulation there is nothing to set")
    )]
    pub(crate) fn fetch_config(&self, cfg: pucha_probes::FetchConfig) -> pucha_probes::FetchConfig {
        #[cfg(feature = "simulation")]
        return pucha_probes::FetchConfig {
            sim_hosts: self.sim_hosts,
            ..cfg
        };
        #[cfg(not(feature = "simulation"))]
        cfg
    }
}

#[cfg(feature = "simulation")]
fn fail(msg: &str) -> u8 {
    crate::say_err(&format!(
        "错误 error [sim-farm]: {}",
        crate::chinese_first("模拟网站出错", msg)
    ));
    crate::EXIT_BAD_INPUT
}

/// `pucha sim-farm`: serve the fixture farm on 127.0.0.1 until killed, printing its port on the first line.
#[cfg(feature = "simulation")]
pub(crate) fn farm(port: u16, crawl: &str, down_at: Option<&str>, pages: usize) -> u8 {
    let Ok(crawl) = crawl.parse::<chrono::NaiveDate>() else {
        return fail(&format!("`--crawl` 不是日期 / is not a date: `{crawl}`"));
    };
    let down_at = match down_at.map(chrono::DateTime::parse_from_rfc3339).transpose() {
        Ok(d) => d,
        Err(e) => {
            return fail(&format!(
                "`--down-at` 不是 RFC 3339 时间 / is not an RFC 3339 time: {e}"
            ));
        }
    };
    let rt = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => return fail(&format!("无法启动运行时 / cannot start the runtime: {e}")),
    };
    rt.block_on(async {
        let farm = pucha_probes::fixture_farm::FarmConfig {
            crawl,
            down_at,
            pages,
        };
        match pucha_probes::fixture_farm::serve_farm_on(port, farm).await {
            Ok(served) => {
                println!("{}", served.base.rsplit(':').next().unwrap_or_default());
                let _ = std::io::Write::flush(&mut std::io::stdout());
                let _ = tokio::signal::ctrl_c().await;
                drop(served);
                crate::EXIT_PASS
            }
            Err(e) => fail(&format!(
                "无法在端口 {port} 上启动模拟网站 / cannot serve the farm on port {port}: {e}"
            )),
        }
    })
}
