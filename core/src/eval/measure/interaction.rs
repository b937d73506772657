//! Interaction channels (政务咨询, 调查征集, 互动访谈): whether each exists and works, their activities, and the
//! consultation messages valid, overdue and answered.

use super::*;

fn channel_of(
    obs: &Observation,
    ch: ChannelId,
) -> Option<Result<&Channel, &crate::model::observation::Consultation>> {
    let i = obs.interaction.as_ref()?;
    match ch {
        ChannelId::Consultation => i.consultation.as_ref().map(Err),
        ChannelId::Survey => i.survey.as_ref().map(Ok),
        ChannelId::Interview => i.interview.as_ref().map(Ok),
    }
}

pub(super) fn channel(def: &FactDef, ch: ChannelId, args: &Args, ctx: &mut Ctx<'_>, to: Sink<'_>) {
    let path = match ch {
        ChannelId::Consultation => "interaction.consultation",
        ChannelId::Survey => "interaction.survey",
        ChannelId::Interview => "interaction.interview",
    };
    let Some(c) = channel_of(ctx.obs, ch) else {
        return to.put(Out::missing(path));
    };
    let (exists, usable) = match c {
        Ok(c) => (c.exists, c.exists && c.usable.unwrap_or(true)),
        Err(c) => (c.exists, c.exists && c.usable.unwrap_or(true)),
    };
    match def.id {
        FactId::Exists(_) => to.put(Out::val(Ok(Val::Bool(exists)))),
        FactId::Usable(_) => to.put(Out::val(Ok(Val::Bool(usable)))),
        _ => {
            let Some(span) = ctx.span(args.window.as_ref(), def.default_window) else {
                return to.put(Out::missing("window"));
            };
            let w = span.window(ctx.point);
            let Ok(c) = c else {
                return to.put(Out::missing(path));
            };
            if !exists {
                return to.put(Out::n(0, Vec::new()).within(w));
            }
            match &c.activities {
                Some(Activities::Count(n)) => to.put(Out::n(*n, Vec::new()).within(w)),
                Some(Activities::List(list)) => to.put(
                    Out::n(
                        list.iter().filter(|a| w.contains(a.date.date)).count() as u64,
                        Vec::new(),
                    )
                    .within(w),
                ),
                None => to.put(Out::missing(match ch {
                    ChannelId::Survey => "interaction.survey.activities",
                    _ => "interaction.interview.activities",
                })),
            }
        }
    }
}

pub(super) fn messages(def: &FactDef, args: &Args, ctx: &mut Ctx<'_>, to: Sink<'_>) {
    let Some(c) = ctx.obs.interaction.as_ref().and_then(|i| i.consultation.as_ref()) else {
        return to.put(Out::missing("interaction.consultation"));
    };
    let Some(span) = ctx.span(args.window.as_ref(), def.default_window) else {
        return to.put(Out::missing("window"));
    };
    let w = span.window(ctx.point);
    if !c.exists {
        return to.put(Out::n(0, Vec::new()).within(w));
    }
    let Some(msgs) = &c.messages else {
        let (given, field) = match def.id {
            FactId::ValidMessages => (c.valid_messages, "interaction.consultation.valid_messages"),
            FactId::OverdueMessages => (c.overdue_messages, "interaction.consultation.overdue_messages"),
            _ => (c.answers_in_window, "interaction.consultation.answers_in_window"),
        };
        // Overdue messages are valid messages of the window: each count bounds the other.
        let out = match (given, def.id) {
            (Some(n), _) => Out::shared(n, counted_evidence(ctx.evidence, field, n)),
            (None, FactId::ValidMessages) => match c.overdue_messages {
                Some(o) => Out::between(
                    o,
                    None,
                    field,
                    counted_evidence(ctx.evidence, "interaction.consultation.overdue_messages", o),
                ),
                None => Out::missing(field),
            },
            (None, FactId::OverdueMessages) => match c.valid_messages {
                Some(v) => Out::between(0, Some(v), field, None),
                None => Out::missing(field),
            },
            (None, _) => Out::missing(field),
        };
        return to.put(out.within(w));
    };
    let wait = ctx.span(args.wait.as_ref(), Some("3mo")).map(Span::deadline);
    let point = ctx.point;
    let mut n = 0u64;
    let mut ev = Vec::new();
    for m in msgs.iter().filter(|m| m.valid) {
        match def.id {
            FactId::ValidMessages => n += u64::from(w.contains(m.asked.date)),
            FactId::Answers => n += u64::from(m.answered.as_ref().is_some_and(|a| w.contains(a.date))),
            _ => {
                if !w.contains(m.asked.date) {
                    continue;
                }
                let r = match &m.answered {
                    Some(a) if a.date <= point => a.date,
                    _ => point,
                };
                if wait.is_some_and(|s| s.exceeded(m.asked.date, r)) {
                    n += 1;
                    if ctx.evidence {
                        ev.push(Evidence::OverdueMessage {
                            asked: m.asked.raw.clone(),
                            answered: m.answered.as_ref().map(|a| a.raw.clone()),
                            waited_days: (r - m.asked.date).num_days(),
                            title: m.title.clone(),
                            url: m.url.clone(),
                        });
                    }
                }
            }
        }
    }
    let counted = match def.id {
        FactId::ValidMessages => c.valid_messages,
        FactId::OverdueMessages => c.overdue_messages,
        _ => c.answers_in_window,
    };
    if let Some(g) = counted
        && g != n
    {
        ctx.warn(
            "counts_mismatch",
            "interaction.consultation".into(),
            format!("原始留言记录计得 {n}，与给出的计数 {g} 不符，以原始记录为准"),
            format!("raw messages give {n}, the count says {g}: raw wins"),
        );
    }
    to.put(Out::n(n, ev).within(w));
}
