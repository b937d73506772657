//! Services (办事指南, attachments, online systems) and content findings.

use super::*;

pub(super) fn services(def: &FactDef, args: &Args, ctx: &mut Ctx<'_>, to: Sink<'_>) {
    let Some(s) = &ctx.obs.services else {
        return to.put(Out::missing("services"));
    };
    let guides = s.guides.as_deref();
    let systems = s.online_systems.as_deref();
    let pick =
        |raw: Option<u64>, counted: Option<u64>, field: &'static str, to: Sink<'_>| match raw.or(counted) {
            Some(n) => to.put(Out::shared(
                n,
                if raw.is_none() {
                    counted_evidence(ctx.evidence, field, n)
                } else {
                    None
                },
            )),
            None => to.put(Out::missing(field)),
        };
    match def.id {
        FactId::Guides => pick(
            guides.map(|g| g.len() as u64),
            s.guide_count,
            "services.guides",
            to,
        ),
        FactId::MissingElements => {
            let Some(gs) = guides else {
                return pick(
                    None,
                    s.missing_element_categories,
                    "services.missing_element_categories",
                    to,
                );
            };
            let mut ev = Vec::new();
            for (el, key, zh) in GUIDE_ELEMENTS {
                if args.elements.as_ref().is_some_and(|f| !f.contains(el)) {
                    continue;
                }
                let lacking: Vec<Arc<str>> = gs
                    .iter()
                    .filter(|g| g.missing_elements.contains(el))
                    .map(|g| g.name.clone())
                    .collect();
                if !lacking.is_empty() {
                    ev.push(Evidence::MissingElement {
                        element: Cow::Borrowed(key),
                        element_zh: Cow::Borrowed(zh),
                        guides: lacking,
                    });
                }
            }
            to.put(Out::n(ev.len() as u64, ev));
        }
        FactId::InaccurateElements => {
            let Some(gs) = guides else {
                return pick(None, s.inaccurate_elements, "services.inaccurate_elements", to);
            };
            let ev: Vec<Evidence> = gs
                .iter()
                .flat_map(|g| {
                    g.inaccurate_elements
                        .iter()
                        .map(move |e| Evidence::InaccurateElement {
                            element: Cow::Borrowed(e.key()),
                            element_zh: Cow::Borrowed(e.zh()),
                            guide: g.name.clone(),
                        })
                })
                .collect();
            to.put(Out::n(ev.len() as u64, ev));
        }
        FactId::AttachmentsNotOffered | FactId::AttachmentsBroken => {
            let broken = def.id == FactId::AttachmentsBroken;
            let Some(gs) = guides else {
                return if broken {
                    pick(None, s.attachments_broken, "services.attachments_broken", to)
                } else {
                    pick(
                        None,
                        s.attachments_not_offered,
                        "services.attachments_not_offered",
                        to,
                    )
                };
            };
            let mut ev = Vec::new();
            let mut n = 0u64;
            for g in gs {
                let t = if broken {
                    &g.attachments_broken
                } else {
                    &g.attachments_not_offered
                };
                if t.count > 0 {
                    n = n.saturating_add(t.count);
                    ev.push(Evidence::Attachment {
                        problem: Cow::Borrowed(if broken { "broken" } else { "not_offered" }),
                        guide: g.name.clone(),
                        count: t.count,
                        items: t.items.clone(),
                    });
                }
            }
            to.put(Out::n(n, ev));
        }
        FactId::OnlineSystems => pick(
            systems.map(|v| v.len() as u64),
            s.online_system_count,
            "services.online_systems",
            to,
        ),
        FactId::OnlineSystemsUnreachable => {
            let Some(sys) = systems else {
                return pick(
                    None,
                    s.online_systems_unreachable,
                    "services.online_systems_unreachable",
                    to,
                );
            };
            let ev: Vec<Evidence> = sys
                .iter()
                .filter(|x| !x.reachable)
                .map(|x| Evidence::UnreachableSystem {
                    name: x.name.clone(),
                    url: x.url.clone(),
                    status: x.status,
                    error: x.error.clone(),
                })
                .collect();
            to.put(Out::n(ev.len() as u64, ev));
        }
        _ => {
            let g = guides.map(|g| g.len() as u64).or(s.guide_count);
            let o = systems.map(|v| v.len() as u64).or(s.online_system_count);
            match (g, o) {
                (Some(a), Some(b)) => to.put(Out::n(a.saturating_add(b), Vec::new())),
                (Some(a), None) | (None, Some(a)) if a > 0 => to.put(Out::n(a, Vec::new())),
                _ => to.put(Out::missing("services.guides")),
            }
        }
    }
}

pub(super) fn findings(args: &Args, ctx: &mut Ctx<'_>, to: Sink<'_>) {
    let Some(fs) = &ctx.obs.content_findings else {
        return to.put(Out::missing("content_findings"));
    };
    let ev: Vec<Evidence> = fs
        .iter()
        .filter(|f| args.confirmed.is_none_or(|c| c == f.confirmed))
        .filter(|f| args.finding_kinds.as_ref().is_none_or(|k| k.contains(&f.kind)))
        .map(|f| Evidence::ContentFinding {
            finding: Cow::Borrowed(f.kind.key()),
            url: f.url.clone(),
            excerpt: f.excerpt.clone(),
            expected: f.expected.clone(),
            confirmed: f.confirmed,
        })
        .collect();
    to.put(Out::n(ev.len() as u64, ev));
}
