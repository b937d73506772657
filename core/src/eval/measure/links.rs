//! Broken links on the homepage and elsewhere: raw findings grouped by target or counts, bounded when the check
//! was cut short or left links unchecked.

use super::*;

pub(super) fn links(args: &Args, ctx: &mut Ctx<'_>, to: Sink<'_>) {
    let Some(l) = &ctx.obs.links else {
        return to.put(Out::missing("links"));
    };
    let scope = args.scope.unwrap_or(LinkScope::All);
    let occurrence = ctx.text(args.count.as_ref()) == Some("occurrence");
    let Some(broken) = &l.broken else {
        let (h, o) = (l.homepage_broken, l.other_broken);
        match (scope, h, o) {
            (LinkScope::Homepage, Some(h), _) => {
                let ev = counted_evidence(ctx.evidence, "links.homepage_broken", h);
                to.put(link_count(l, scope, h, ev));
            }
            (LinkScope::Other, _, Some(o)) => {
                let ev = counted_evidence(ctx.evidence, "links.other_broken", o);
                to.put(link_count(l, scope, o, ev));
            }
            (LinkScope::All, Some(h), Some(o)) => to.put(link_count(l, scope, h.saturating_add(o), None)),
            (LinkScope::Homepage, None, _) => to.put(Out::missing("links.homepage_broken")),
            (LinkScope::Other, _, None) | (LinkScope::All, _, _) => {
                to.put(Out::missing("links.other_broken"));
            }
        }
        return;
    };
    let key = (occurrence, args.link_kinds.clone());
    let groups = match ctx.link_cache.take() {
        Some((k, g)) if k == key => g,
        _ => Arc::new(link_groups(
            broken,
            args.link_kinds.as_deref(),
            ctx.obs.site.homepage_navigation_only,
            occurrence,
        )),
    };
    let (mut home_n, mut other_n, mut listed) = (0u64, 0u64, 0usize);
    for g in groups.iter() {
        home_n += g.home;
        other_n += g.other;
        listed += usize::from(g.in_scope(scope));
    }
    let chunk = (ctx.evidence && listed > 0).then(|| {
        Chunk::Links(Arc::new(LinkChunk {
            broken: broken.clone(),
            groups: groups.clone(),
            scope,
            len: listed,
        }))
    });
    ctx.link_cache = Some((key, groups));
    if args.link_kinds.is_none() && !occurrence {
        for (given, got, field) in [
            (l.homepage_broken, home_n, "links.homepage_broken"),
            (l.other_broken, other_n, "links.other_broken"),
        ] {
            if let Some(g) = given
                && g != got
            {
                ctx.warn(
                    "counts_mismatch",
                    field.into(),
                    format!("原始记录计得 {got} 个，与给出的计数 {g} 不符，以原始记录为准"),
                    format!("raw findings give {got}, the count says {g}: raw wins"),
                );
            }
        }
    }
    let n = match scope {
        LinkScope::Homepage => home_n,
        LinkScope::Other => other_n,
        LinkScope::All => home_n + other_n,
    };
    to.put(link_count(l, scope, n, chunk));
}

/// `n` broken links of `scope` found, as a measure: exact when the check was complete and every link found was
/// checked; else at least `n`, at most `n` plus the links not checked there, unbounded when the check stopped at a
/// cap (`links.complete: false`).
fn link_count(
    l: &crate::model::observation::Links,
    scope: LinkScope,
    n: u64,
    evidence: Option<Chunk>,
) -> Out {
    if l.complete == Some(false) {
        return Out::between(n, None, "links.complete", evidence);
    }
    let u = l.unchecked.unwrap_or_default();
    let extra = match scope {
        LinkScope::Homepage => u.homepage,
        LinkScope::Other => u.other,
        LinkScope::All => u.homepage.saturating_add(u.other),
    };
    Out::between(n, Some(n.saturating_add(extra)), "links.unchecked", evidence)
}
