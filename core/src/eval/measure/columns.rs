//! Columns: stale, blank, should-update and inaccurate columns, and the new items of the homepage's columns.

use super::*;

/// Whether a column is shown on the homepage: `on_homepage`, or `level` 0 (the homepage itself).
fn on_homepage(c: &Column) -> bool {
    c.on_homepage || c.level == Some(0)
}

fn matches_filter(c: &Column, args: &Args) -> bool {
    if let Some(cats) = &args.categories
        && !cats.contains(&c.category)
    {
        return false;
    }
    if let Some(l) = args.level
        && c.level.unwrap_or(1) != l
    {
        return false;
    }
    if let Some(h) = args.on_homepage
        && on_homepage(c) != h
    {
        return false;
    }
    if let Some(names) = &args.names
        && !names.iter().any(|n| c.name.contains(n.as_str()))
    {
        return false;
    }
    true
}

/// A `level_conflict` warning for a column at level 0 (the homepage) that says it is not on the homepage: it is
/// read as a homepage column.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn level_conflict(c: &Column, idx: usize, ctx: &mut Ctx<'_>) {
    if c.level == Some(0) && !c.on_homepage {
        level_conflict_warning(c, idx, ctx);
    }
}

#[cold]
fn level_conflict_warning(c: &Column, idx: usize, ctx: &mut Ctx<'_>) {
    ctx.warn(
        "level_conflict",
        format!("columns[{idx}].level"),
        format!("栏目“{}”的层级为 0（首页），但未标为首页栏目；按首页栏目处理", c.name),
        format!(
            "column `{}` is at level 0 (the homepage) but not marked `on_homepage`; read as a homepage column",
            c.name
        ),
    );
}

/// Newest valid date of every column, with `future_dated` warnings, in one pass over all items.
fn column_dates<'a>(cols: &'a [Column], ctx: &mut Ctx<'a>) -> Vec<ColDates<'a>> {
    let mut out = Vec::with_capacity(cols.len());
    for (idx, c) in cols.iter().enumerate() {
        level_conflict(c, idx, ctx);
        let (state, future) = newest_date(c, ctx.point);
        if future > 0 {
            if c.items.is_some() {
                ctx.warn(
                    "future_dated",
                    format!("columns[{idx}].items"),
                    format!("栏目“{}”有 {future} 条信息的日期晚于监测时间点，不计为更新", c.name),
                    format!("column `{}` has {future} items dated after the monitoring point; they are not updates", c.name),
                );
            } else {
                ctx.warn(
                    "future_dated",
                    format!("columns[{idx}].last_published"),
                    format!("栏目“{}”的最近更新日期晚于监测时间点，不计为更新；此前的更新情况未知", c.name),
                    format!(
                        "column `{}` has a last publication date after the monitoring point; not an update, and what it held before is unknown",
                        c.name
                    ),
                );
            }
        }
        out.push(state);
    }
    out
}

/// Whether column `idx` has a dated item in `w` (Some), or the data cannot tell (None).
fn updated_in(dates: &[ColDates<'_>], idx: usize, w: &Window) -> Option<bool> {
    match dates.get(idx) {
        Some(ColDates::Known(Some(d))) => Some(d.date >= w.from),
        Some(ColDates::Known(None)) => Some(false),
        _ => None,
    }
}

fn is_blank(c: &Column) -> Option<bool> {
    if let Some(items) = &c.items {
        return Some(items.is_empty());
    }
    if let Some(b) = c.blank {
        return Some(b);
    }
    if let Some(n) = c.item_count {
        return Some(n == 0);
    }
    if c.last_published.is_some() {
        return Some(false);
    }
    None
}

pub(super) fn columns<'a>(def: &FactDef, args: &Args, ctx: &mut Ctx<'a>, to: Sink<'_>) {
    let obs = ctx.obs;
    let Some(cols) = &obs.columns else {
        return to.put(Out::missing("columns"));
    };
    // Dates only for the measures that read them, worked out once per score and handed back after the measure.
    let dates = match def.id {
        FactId::ColumnsCount | FactId::ColumnsBlank | FactId::ColumnsInaccurate => None,
        _ => Some(match ctx.col_cache.take() {
            Some(d) => d,
            None => column_dates(cols, ctx),
        }),
    };
    columns_with(def, args, ctx, cols, dates.as_deref().unwrap_or(&[]), to);
    if dates.is_some() {
        ctx.col_cache = dates;
    }
}

fn columns_with(
    def: &FactDef,
    args: &Args,
    ctx: &mut Ctx<'_>,
    cols: &Arc<Vec<Column>>,
    dates: &[ColDates<'_>],
    to: Sink<'_>,
) {
    let mut n = 0u64;
    // Columns the data cannot place: each could add one.
    let mut unknown = 0u64;
    let mut window = None;
    let span = match def.id {
        FactId::ColumnsStale => ctx.span(args.window.as_ref(), def.default_window),
        FactId::ColumnsOverdue => ctx.span(args.default_cycle.as_ref(), Some("1y")),
        _ => None,
    };
    if def.id == FactId::ColumnsStale {
        match span {
            Some(s) => window = Some(s.window(ctx.point)),
            None => return to.put(Out::missing("window")),
        }
    }
    let finding = match def.id {
        FactId::ColumnsStale => ColumnFinding::Stale,
        FactId::ColumnsOverdue => ColumnFinding::Overdue,
        FactId::ColumnsBlank => ColumnFinding::Blank,
        _ => ColumnFinding::Inaccurate,
    };
    // The columns found, written out as evidence records only when a report is read (made at the first one found,
    // and only for reports).
    let mut found: Option<ColumnChunk> = None;
    let keep = ctx.evidence;
    let mut add = |i: usize| {
        if keep {
            found
                .get_or_insert_with(|| ColumnChunk::new(cols.clone(), ctx.point, span, finding))
                .add(i);
        }
    };
    let mut last_window: Option<(Span, Window)> = None;
    for (i, c) in cols.iter().enumerate() {
        if !matches_filter(c, args) {
            continue;
        }
        match def.id {
            FactId::ColumnsCount => n += 1,
            FactId::ColumnsInaccurate => {
                let k = c.inaccurate.unwrap_or(0);
                if k > 0 {
                    n = n.saturating_add(k);
                    add(i);
                }
            }
            FactId::ColumnsBlank => match is_blank(c) {
                Some(true) => {
                    n += 1;
                    add(i);
                }
                Some(false) => {}
                None => unknown += 1,
            },
            FactId::ColumnsStale | FactId::ColumnsOverdue => {
                if def.id == FactId::ColumnsOverdue && !c.should_update {
                    continue;
                }
                let s = match (def.id, c.update_cycle) {
                    (FactId::ColumnsOverdue, Some(cy)) => cy.0,
                    _ => match span {
                        Some(s) => s,
                        None => return to.put(Out::missing("default_cycle")),
                    },
                };
                // Columns mostly share a few cycles: each cycle's window is worked out once.
                let w = match (window, last_window) {
                    (Some(w), _) if def.id == FactId::ColumnsStale => w,
                    (_, Some((ls, lw))) if ls == s => lw,
                    _ => {
                        let w = s.window(ctx.point);
                        last_window = Some((s, w));
                        w
                    }
                };
                match updated_in(dates, i, &w) {
                    Some(false) => {
                        n += 1;
                        add(i);
                    }
                    Some(true) => {}
                    None => unknown += 1,
                }
            }
            _ => {}
        }
    }
    let chunk = found.map(Chunk::Columns);
    let mut o = Out::between(n, n.checked_add(unknown), "columns[].items", chunk);
    o.window = window;
    to.put(o);
}

pub(super) fn homepage_updates(def: &FactDef, args: &Args, ctx: &mut Ctx<'_>, to: Sink<'_>) {
    let obs = ctx.obs;
    let Some(span) = ctx.span(args.window.as_ref(), def.default_window) else {
        return to.put(Out::missing("window"));
    };
    let w = span.window(ctx.point);
    let counted = obs.homepage.as_ref().map(|h| h.updates_in_window);
    let nav = obs.site.homepage_navigation_only;
    let counted_out = |n: u64, keep: bool| {
        Out::shared(n, counted_evidence(keep, "homepage.updates_in_window", n)).within(w)
    };
    let Some(cols) = &obs.columns else {
        match counted {
            Some(n) => to.put(counted_out(n, ctx.evidence)),
            None => to.put(Out::missing("columns").within(w)),
        }
        return;
    };
    // The homepage's columns; for a navigation-only homepage the second-level columns that stand in for them
    // (level 1, or no level and not on the homepage).
    let considered = |c: &&Column| {
        if nav {
            c.level == Some(1) || (c.level.is_none() && !c.on_homepage)
        } else {
            on_homepage(c)
        }
    };
    // Sized for every item of the homepage's columns (capped), so that it is not rebuilt as it grows.
    let items: usize = cols
        .iter()
        .filter(considered)
        .map(|c| c.items.as_ref().map_or(0, Vec::len))
        .sum();
    let mut seen: HashSet<(&str, Option<NaiveDate>), Seeded> =
        HashSet::with_capacity_and_hasher(items.min(4096), Seeded::default());
    // Positions of the new items; their evidence records are written only when a report is read.
    let mut picks: Vec<(u32, u32)> = Vec::new();
    // What columns without items could add (`None`: any number), and whether one of them certainly has a new item.
    let mut extra: Option<u64> = Some(0);
    let mut at_least_one = false;
    let mut any_col = false;
    for (ci, c) in cols.iter().enumerate() {
        if !considered(&c) {
            continue;
        }
        level_conflict(c, ci, ctx);
        any_col = true;
        match &c.items {
            Some(items) => {
                for (ii, it) in items.iter().enumerate() {
                    let Some(p) = &it.published else { continue };
                    if !w.contains(p.date) {
                        continue;
                    }
                    let key = match &it.url {
                        Some(u) => (&**u, None),
                        None => (&*it.title, Some(p.date)),
                    };
                    if seen.insert(key)
                        && ctx.evidence
                        && let (Ok(ci), Ok(ii)) = (u32::try_from(ci), u32::try_from(ii))
                    {
                        picks.push((ci, ii));
                    }
                }
            }
            None => {
                // How many of its items could be new: all of them (or any number), less a newest one known to lie
                // outside the window.
                let up_to = |minus: u64| c.item_count.map(|n| n.saturating_sub(minus));
                let could = match &c.last_published {
                    _ if c.blank == Some(true) || c.item_count == Some(0) => Some(0),
                    Some(lp) if lp.date > ctx.point => up_to(1),
                    Some(lp) if lp.date < w.from => Some(0),
                    Some(_) => {
                        at_least_one = true;
                        up_to(0)
                    }
                    None => up_to(0),
                };
                extra = extra.zip(could).and_then(|(a, b)| a.checked_add(b));
            }
        }
    }
    if !any_col {
        if let Some(n) = counted {
            return to.put(counted_out(n, ctx.evidence));
        }
        // Columns are listed but none is known to be on the homepage: that is missing data, never "0 updates".
        ctx.warn(
            "no_homepage_columns",
            "columns".into(),
            if nav {
                "首页为导航页，但未列出二级页面栏目".into()
            } else {
                "未标明哪些栏目在首页，无法统计首页更新".into()
            },
            if nav {
                "the homepage only navigates but no second-level columns are listed".into()
            } else {
                "no homepage column is marked, so homepage updates cannot be counted".into()
            },
        );
        return to.put(Out::missing("columns[].on_homepage").within(w));
    }
    // An item shown in several columns counts once, so a column known to have a new item raises the lower end to
    // one rather than adding one.
    let raw = seen.len() as u64;
    let lo = raw.max(u64::from(at_least_one));
    let hi = extra.and_then(|e| raw.checked_add(e));
    if let Some(c) = counted {
        // Raw evidence wins: a count is used where it fits what the columns show, and then fixes the number.
        if c >= lo && hi.is_none_or(|h| c <= h) {
            if hi != Some(lo) {
                return to.put(counted_out(c, ctx.evidence));
            }
        } else {
            let shown = match hi {
                Some(h) if h == lo => lo.to_string(),
                Some(h) => format!("{lo}–{h}"),
                None => format!("≥ {lo}"),
            };
            ctx.warn(
                "counts_mismatch",
                "homepage.updates_in_window".into(),
                format!("首页栏目显示 {shown} 条新信息，与给出的计数 {c} 不符，以原始记录为准"),
                format!("the homepage columns show {shown} new items, the count says {c}: raw wins"),
            );
        }
    }
    let chunk = (!picks.is_empty()).then(|| {
        Chunk::Items(Arc::new(ItemChunk {
            columns: cols.clone(),
            picks,
        }))
    });
    to.put(Out::between(lo, hi, "columns[].items", chunk).within(w));
}
