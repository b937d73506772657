//! `pucha score --format csv`: one row per site, with the columns of the Python package's results frame —
//! `verdict, verdict_basis, complete, score, total_deduction`, then `points.<rule>`, `points_max.<rule>` (empty:
//! no bound) and `status.<rule>` for each rule in pack order — after the input's `line` and the site's
//! `site.id` and `site.name`, and before `error` (why a line could not be scored; its other cells are empty).

use pucha_core::{Engine, Error, Observation, Points, Verdict};
use serde::Serialize;

/// A value's snake_case name as its JSON has it (the verdict's basis, which has no `key()` of its own).
fn name<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// The header line.
pub(crate) fn header(engine: &Engine) -> String {
    let mut h = String::from("line,site.id,site.name,verdict,verdict_basis,complete,score,total_deduction");
    let rules = engine.pack().rules();
    for prefix in ["points", "points_max", "status"] {
        for r in rules {
            h.push(',');
            h.push_str(&pucha_render::text::csv_text(&format!("{prefix}.{}", r.id)));
        }
    }
    h.push_str(",error\n");
    h
}

/// The row of a scored line; returns its verdict.
pub(crate) fn row(engine: &Engine, line: usize, obs: &Observation, out: &mut String) -> Verdict {
    let t = engine.tally(obs);
    let points = |p: Points| p.to_string();
    let mut cells: Vec<String> = vec![
        line.to_string(),
        obs.site
            .id
            .as_ref()
            .map_or_else(String::new, |i| pucha_render::text::csv_text(&i.0)),
        pucha_render::text::csv_text(&obs.site.name),
        t.verdict.key().to_string(),
        name(&t.verdict_basis),
        t.complete.to_string(),
        t.score.map(points).unwrap_or_default(),
        points(t.total_deduction),
    ];
    cells.extend(t.rules.iter().map(|(_, p)| points(*p)));
    cells.extend(t.rules.iter().enumerate().map(|(i, (_, p))| {
        match t.points_max.iter().find(|(at, _)| *at == i) {
            Some((_, Some(max))) => points(*max),
            Some((_, None)) => String::new(),
            None => points(*p),
        }
    }));
    cells.extend(t.rules.iter().map(|(s, _)| s.key().to_string()));
    cells.push(String::new());
    out.push_str(&cells.join(","));
    out.push('\n');
    t.verdict
}

/// The row of a line that could not be scored: its line, empty cells, and the error.
pub(crate) fn error_row(engine: &Engine, line: usize, e: &Error, out: &mut String) {
    out.push_str(&line.to_string());
    let empty = 7 + 3 * engine.pack().rules().len();
    out.push_str(&",".repeat(empty + 1));
    out.push_str(&pucha_render::text::csv_text(&format!("[{}] {e}", e.code())));
    out.push('\n');
}
