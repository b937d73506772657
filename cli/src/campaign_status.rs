//! `pucha campaign status`: how far a campaign has come, overall and per site with each site's provisional verdict,
//! readable while `campaign run` writes. With the tallies the run keeps, it reads them and the verdict cache and
//! scores only the sites visited since the last status; a campaign without tallies is read whole in one pass.

use crate::campaign_cmd::fail;
use crate::{EXIT_PASS, out};
use pucha_probes::campaign::{Campaign, CampaignPlan, SiteProgress, SiteRow};

/// `pucha campaign status`: overall progress and each site's, readable while the campaign runs.
pub(crate) fn status(dir: &str, json: bool) -> u8 {
    let (c, plan) = match crate::campaign_cmd::open_with_plan(dir) {
        Ok(x) => x,
        Err(e) => return fail(&e),
    };
    let per_site_planned = u64::from(plan.days) * u64::from(plan.per_day);
    // Each site's verdict on what is collected so far: provisional (missing data keeps it 未评定 until the
    // evidence decides it either way).
    let engine = crate::load_pack(&plan.pack, &plan.set).map(pucha_core::Engine::new);
    // With the tallies the run keeps, only the sites visited since the last status are scored again; a campaign
    // without them is read whole.
    let read = c.tallied().and_then(|rows| match rows {
        Some(rows) => {
            let v = cached_verdicts(&c, &plan, engine.as_ref().ok(), &rows);
            Ok((rows, v))
        }
        None => provisional_verdicts(&c, &plan, engine.as_ref().ok()),
    });
    let (sites, provisional) = match read {
        Ok(x) => x,
        Err(e) => return fail(&e),
    };
    // The totals are the sites' sums (no scan of the samples).
    let mut progress = pucha_probes::campaign::Progress {
        sites: sites.len() as u64,
        samples_planned: plan.planned_samples(sites.len() as u64),
        ..Default::default()
    };
    for (_, p) in &sites {
        progress.samples_taken += p.taken;
        progress.samples_failed += p.failed;
        progress.samples_prober_fault += p.taken - p.counted.min(p.taken);
        progress.probed += u64::from(p.probed);
    }
    if json {
        // Written from structs, not a `serde_json::Value` (a census's 84,094 sites are 29 MB of JSON); the fields in
        // alphabetical order, as a value would write them.
        #[derive(serde::Serialize)]
        struct SiteJson<'a> {
            homepage: &'a str,
            id: Option<&'a str>,
            key: i64,
            name: &'a str,
            probed: bool,
            provisional_verdict: &'static str,
            region: &'a str,
            samples_counted: u64,
            samples_failed: u64,
            samples_planned: u64,
            samples_taken: u64,
        }
        #[derive(serde::Serialize)]
        struct StatusJson<'a> {
            days: u32,
            from: String,
            monitoring_point: String,
            pack: &'a str,
            per_day: u32,
            per_site: Vec<SiteJson<'a>>,
            probed: u64,
            samples_failed: u64,
            samples_planned: u64,
            samples_prober_fault: u64,
            samples_taken: u64,
            schema: &'static str,
            set: &'a [String],
            sites: u64,
        }
        let v = StatusJson {
            days: plan.days,
            from: plan.from.to_string(),
            monitoring_point: plan.monitoring_point().to_string(),
            pack: &plan.pack,
            per_day: plan.per_day,
            per_site: sites
                .iter()
                .zip(&provisional)
                .map(|((s, p), v)| SiteJson {
                    homepage: &s.homepage,
                    id: s.id.as_deref(),
                    key: s.key,
                    name: &s.name,
                    probed: p.probed,
                    provisional_verdict: v.map_or("unscored", pucha_core::Verdict::key),
                    region: &s.region,
                    samples_counted: p.counted,
                    samples_failed: p.failed,
                    samples_planned: per_site_planned,
                    samples_taken: p.taken,
                })
                .collect(),
            probed: progress.probed,
            samples_failed: progress.samples_failed,
            samples_planned: progress.samples_planned,
            samples_prober_fault: progress.samples_prober_fault,
            samples_taken: progress.samples_taken,
            schema: "pucha.campaign-status/1",
            set: &plan.set,
            sites: progress.sites,
        };
        out(&(serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"));
        return EXIT_PASS;
    }
    let mut s = format!(
        "检查任务 campaign `{dir}`：{} 个网站 sites，监测时间点 monitoring point {}\n\
         可用性抽样 samples: {} / {}（失败 failed {}，采集端故障或错过 prober's fault or missed {}）\n\
         全面检查 probes done: {} / {}\n\n",
        progress.sites,
        plan.monitoring_point(),
        progress.samples_taken,
        progress.samples_planned,
        progress.samples_failed,
        progress.samples_prober_fault,
        progress.probed,
        progress.sites,
    );
    s.push_str(
        "序号 #\t抽样 samples\t失败率 failure rate\t全面检查 probe\t暂定结论 provisional\t网站 site\n",
    );
    for ((site, p), v) in sites.iter().zip(&provisional) {
        let verdict = match v {
            Some(v) => format!(
                "{} {}",
                v.label(pucha_core::Lang::Zh),
                v.label(pucha_core::Lang::En)
            ),
            None => "未能评分 unscored".to_string(),
        };
        // The failure rate so far, over the samples that count.
        let rate = if p.counted == 0 {
            "-".to_string()
        } else {
            format!("{:.1}%", p.failed as f64 * 100.0 / p.counted as f64)
        };
        let probe = if p.probed {
            "已完成 done"
        } else {
            "待进行 pending"
        };
        s.push_str(&format!(
            "{}\t{}/{per_site_planned}\t{rate}\t{probe}\t（暂定）{verdict}\t{}\n",
            p.key, p.taken, site.name
        ));
    }
    out(&s);
    EXIT_PASS
}

/// Each site's provisional verdict (`None`: it does not score, or the pack does not load), from the status cache
/// where the site's samples and probe are as they were when it was cached, else worked out on every core (each
/// worker with its own read connection) and cached.
fn cached_verdicts(
    c: &Campaign,
    plan: &CampaignPlan,
    engine: Option<&pucha_core::Engine>,
    rows: &[(SiteRow, SiteProgress)],
) -> Vec<Option<pucha_core::Verdict>> {
    use pucha_probes::campaign_cache::VerdictCache;
    let mut out = vec![None; rows.len()];
    let Some(engine) = engine else {
        return out;
    };
    let basis = format!(
        "{}|{}|{}|{}",
        plan.pack,
        plan.set.join(","),
        plan.monitoring_point(),
        env!("CARGO_PKG_VERSION")
    );
    let dir = c.dir();
    let mut cache = VerdictCache::open(dir, &basis);
    let known = cache.load();
    let mut stale = Vec::new();
    for (i, (row, p)) in rows.iter().enumerate() {
        match known.get(&row.key) {
            Some(&(taken, probed, v)) if taken == p.taken && probed == p.probed => out[i] = v,
            _ => stale.push(i),
        }
    }
    if stale.len() > rows.len() / 4 {
        // Most sites changed (a first status, or a long time since the last): one pass over the whole campaign is
        // cheaper than a lookup per site.
        if let Ok((all, verdicts)) = provisional_verdicts(c, plan, Some(engine)) {
            let mut keep = Vec::with_capacity(rows.len());
            for (i, ((row, p), ((read, _), v))) in rows.iter().zip(all.iter().zip(&verdicts)).enumerate() {
                if read.key == row.key {
                    out[i] = *v;
                    // Keyed by the tallies read before it: a sample recorded in between is scored again next time.
                    keep.push((row.key, (p.taken, p.probed, *v)));
                }
            }
            cache.store(&keep);
            return out;
        }
    }
    let workers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(stale.len())
        .max(1);
    // Per stale site: its verdict, or `Err` when it could not be read (then it is not cached).
    let fresh: Vec<(usize, Result<Option<pucha_core::Verdict>, ()>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = stale
            .chunks(stale.len().div_ceil(workers).max(1))
            .map(|part| {
                scope.spawn(move || {
                    let c = Campaign::open(dir).ok();
                    part.iter()
                        .map(|&i| {
                            let obs = c.as_ref().ok_or(()).and_then(|c| {
                                c.site(rows[i].0.key)
                                    .and_then(|site| c.observation(plan, &site))
                                    .map_err(|_| ())
                            });
                            let v = obs.map(|obs| {
                                pucha_core::Observation::from_json_value(obs)
                                    .ok()
                                    .map(|o| engine.tally(&o).verdict)
                            });
                            (i, v)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let mut keep = Vec::with_capacity(fresh.len());
    for (i, v) in fresh {
        if let (Ok(v), Some((row, p))) = (v, rows.get(i)) {
            out[i] = v;
            keep.push((row.key, (p.taken, p.probed, v)));
        }
    }
    cache.store(&keep);
    out
}

/// Every site's row, progress and provisional verdict (`None`: its observation does not score, or the pack does
/// not load), read in one pass and scored on every core as it is read.
#[allow(clippy::type_complexity, reason = "a pair of lists, named where used")]
fn provisional_verdicts(
    c: &Campaign,
    plan: &pucha_probes::campaign::CampaignPlan,
    engine: Option<&pucha_core::Engine>,
) -> Result<(Vec<(SiteRow, SiteProgress)>, Vec<Option<pucha_core::Verdict>>), String> {
    use std::sync::mpsc;
    type Batch = Vec<(usize, String)>;
    const BATCH: usize = 256;
    let workers = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let mut rows = Vec::new();
    let mut verdicts: Vec<Option<pucha_core::Verdict>> = Vec::new();
    let (work_tx, work_rx) = mpsc::sync_channel::<Batch>(workers * 2);
    let work_rx = std::sync::Mutex::new(work_rx);
    let (done_tx, done_rx) = mpsc::channel::<Vec<(usize, Option<pucha_core::Verdict>)>>();
    let read = std::thread::scope(|scope| {
        for _ in 0..workers {
            let (work_rx, done_tx) = (&work_rx, done_tx.clone());
            scope.spawn(move || {
                loop {
                    let batch = match work_rx.lock().map(|rx| rx.recv()) {
                        Ok(Ok(b)) => b,
                        _ => break,
                    };
                    let scored = batch
                        .into_iter()
                        .map(|(i, obs)| {
                            let v = engine.and_then(|e| {
                                let obs = pucha_core::Observation::from_json_str(&obs).ok()?;
                                Some(e.tally(&obs).verdict)
                            });
                            (i, v)
                        })
                        .collect();
                    if done_tx.send(scored).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done_tx);
        let mut batch: Batch = Vec::with_capacity(BATCH);
        let read = c.each_site(plan, |st| {
            batch.push((rows.len(), st.observation));
            rows.push((st.row, st.progress));
            if batch.len() == BATCH {
                work_tx
                    .send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)))
                    .map_err(|_| "评分线程已停止 / the scoring threads stopped".to_string())?;
            }
            Ok(())
        });
        if !batch.is_empty() {
            let _ = work_tx.send(batch);
        }
        drop(work_tx);
        verdicts.resize(rows.len(), None);
        for scored in done_rx {
            for (i, v) in scored {
                if let Some(slot) = verdicts.get_mut(i) {
                    *slot = v;
                }
            }
        }
        read
    });
    read.map(|()| (rows, verdicts))
}
