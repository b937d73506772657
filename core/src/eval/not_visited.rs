//! The report's `not_visited` warning: the pages a probe did not visit (`provenance.not_visited[]`, read into
//! [`crate::Observation::not_visited`] by the readers), counted by reason. Imports the model only.

use crate::model::observation::{NotVisited, NotVisitedReason};
use crate::model::verdict::Warning;

/// The report's warning for the pages not visited: how many, by reason, and that what depended on them is
/// missing data. `None` when every page was visited.
pub(crate) fn warning(list: &[NotVisited]) -> Option<Warning> {
    if list.is_empty() {
        return None;
    }
    let (mut zh, mut en) = (String::new(), String::new());
    // By reason, in the order of the contract's list (no sort: the standard library's costs the WebAssembly
    // module 3 KB).
    for (r, _) in NotVisitedReason::ALL {
        let n = list.iter().filter(|nv| nv.reason == r).count();
        if n == 0 {
            continue;
        }
        let (z, e) = r.label();
        if !zh.is_empty() {
            zh.push('，');
            en.push_str(", ");
        }
        zh.push_str(&format!("{z} {n}"));
        en.push_str(&format!("{e}: {n}"));
    }
    let n = list.len();
    Some(Warning::new(
        "not_visited",
        Some("provenance.not_visited".into()),
        format!("有 {n} 个页面未访问（{zh}）：依赖这些页面的数据按缺失处理，不计为零或不可用"),
        format!(
            "{n} page{} not visited ({en}): the facts that depended on them are missing data, not zero or unusable",
            if n == 1 { " was" } else { "s were" }
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn the_warning_counts_by_reason() {
        let nv = |reason| NotVisited {
            url: "u".into(),
            reason,
        };
        assert!(warning(&[]).is_none());
        let w = warning(&[
            nv(NotVisitedReason::PageBudget),
            nv(NotVisitedReason::Robots),
            nv(NotVisitedReason::PageBudget),
        ])
        .unwrap();
        assert_eq!(w.code, "not_visited");
        assert_eq!(
            &*w.message.en,
            "3 pages were not visited (robots.txt disallows: 1, page budget spent: 2): the facts that depended on them are missing data, not zero or unusable"
        );
        assert!(
            w.message
                .zh
                .starts_with("有 3 个页面未访问（robots.txt 禁止 1，超出页面预算 2）")
        );
    }
}
