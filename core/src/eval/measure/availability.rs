//! Homepage availability: visits, failures, their rate and the days covered, from samples or counts, in the
//! week before the point.

use super::*;

/// One pass over the availability samples, shared by visits, failures, rate and days.
#[derive(Debug, Clone)]
pub struct AvailScan {
    visits: u64,
    failures: u64,
    days: Option<u64>,
    evidence: Option<Chunk>,
}

/// Cache key of an availability scan: window and time limit.
pub type AvailKey = (Window, u64);

fn availability_scan(
    a: &crate::model::observation::Availability,
    w: Window,
    timeout: u64,
    ctx: &mut Ctx<'_>,
) -> Option<AvailScan> {
    let (visits, failures, days, ev) = if let Some(samples) = &a.samples {
        let (mut visits, mut failures, mut faults, mut outside) = (0u64, 0u64, 0u64, 0u64);
        let mut per_day: Vec<(NaiveDate, u64)> = Vec::new();
        let mut ev = Vec::new();
        for s in samples {
            if !w.contains(s.at.date) {
                outside += 1;
                continue;
            }
            if s.probe_fault {
                faults += 1;
                continue;
            }
            visits += 1;
            // Samples come mostly in time order: the latest day first, then the others.
            match per_day.last_mut() {
                Some((d, n)) if *d == s.at.date => *n += 1,
                _ => match per_day.iter_mut().find(|(d, _)| *d == s.at.date) {
                    Some((_, n)) => *n += 1,
                    None => per_day.push((s.at.date, 1)),
                },
            }
            let slow = s.elapsed_ms.is_some_and(|e| e >= timeout);
            if !s.ok || slow {
                failures += 1;
                if ctx.evidence {
                    ev.push(Evidence::FailedVisit {
                        at: s.at.raw.clone(),
                        status: s.status,
                        error: s.error.clone(),
                        elapsed_ms: s.elapsed_ms,
                    });
                }
            }
        }
        if faults > 0 {
            ctx.warn(
                "probe_faults_excluded",
                "availability.samples".into(),
                format!("{faults} 次访问因监测方自身网络故障被排除"),
                format!("{faults} samples were excluded as probe-side faults"),
            );
        }
        if outside > 0 {
            ctx.warn(
                "samples_outside_window",
                "availability.samples".into(),
                format!("{outside} 次访问不在监测窗口 {}..{} 内，未计入", w.from, w.to),
                format!(
                    "{outside} samples lie outside the window {}..{} and were not counted",
                    w.from, w.to
                ),
            );
        }
        let thin = per_day.iter().filter(|(_, n)| *n < 20).count();
        if per_day.len() < 7 || thin > 0 {
            ctx.warn(
                "sampling_below_standard",
                "availability.samples".into(),
                format!("监测覆盖 {} 天，其中 {thin} 天少于 20 次访问，低于普查抽样标准（1 周、每天 20 次以上）", per_day.len()),
                format!(
                    "samples cover {} days, {thin} of them with fewer than 20 visits: below the official standard (1 week, at least 20 a day)",
                    per_day.len()
                ),
            );
        }
        if let (Some(v), Some(f)) = (a.visits, a.failures)
            && (v, f) != (visits, failures)
        {
            ctx.warn(
                "counts_mismatch",
                "availability".into(),
                format!("原始记录计得 {visits} 次访问、{failures} 次失败，与给出的计数 {v}/{f} 不符，以原始记录为准"),
                format!("raw samples give {visits} visits and {failures} failures, the counts say {v}/{f}: raw wins"),
            );
        }
        let ev = (!ev.is_empty()).then(|| Chunk::Records(Arc::new(ev)));
        (visits, failures, Some(per_day.len() as u64), ev)
    } else {
        let (Some(v), Some(f)) = (a.visits, a.failures) else {
            return None;
        };
        if let Some(d) = a.days
            && d < 7
        {
            ctx.warn(
                "sampling_below_standard",
                "availability.days".into(),
                format!("监测仅覆盖 {d} 天，低于普查抽样标准（1 周）"),
                format!("samples cover only {d} days, below the official standard (1 week)"),
            );
        }
        let ev = counted_evidence(ctx.evidence, "availability.failures", f);
        (v, f, a.days, ev)
    };
    Some(AvailScan {
        visits,
        failures,
        days,
        evidence: ev,
    })
}

pub(super) fn availability(def: &FactDef, args: &Args, ctx: &mut Ctx<'_>, to: Sink<'_>) {
    let Some(a) = &ctx.obs.availability else {
        return to.put(Out::missing("availability"));
    };
    let span = ctx.span(args.window.as_ref(), def.default_window);
    let w = span.map(|s| s.window(ctx.point)).unwrap_or(Window {
        from: ctx.point,
        to: ctx.point,
    });
    let timeout = args.timeout_ms.unwrap_or(15_000);
    let key = (w, timeout);
    let scan = match ctx.avail_cache.take() {
        Some((k, sc)) if k == key => sc,
        _ => match availability_scan(a, w, timeout, ctx) {
            Some(sc) => sc,
            None => return to.put(Out::missing("availability.visits")),
        },
    };
    let AvailScan {
        visits,
        failures,
        days,
        evidence,
    } = scan.clone();
    ctx.avail_cache = Some((key, scan));
    let value = match def.id {
        FactId::AvailVisits => count(visits),
        FactId::AvailFailures => count(failures),
        FactId::AvailDays => match days {
            Some(d) => count(d),
            None => return to.put(Out::missing("availability.days")),
        },
        _ => {
            if visits == 0 {
                return to.put(Out::missing("availability.samples").within(w));
            }
            Ratio::new(i128::from(failures), i128::from(visits))
                .map(Val::Num)
                .ok_or(Undefined::Arithmetic)
        }
    };
    let shared = if matches!(def.id, FactId::AvailFailures | FactId::AvailRate) {
        evidence
    } else {
        None
    };
    to.put(Out {
        evidence: shared,
        window: Some(w),
        ..Out::val(value)
    });
}
