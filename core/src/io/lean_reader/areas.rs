//! The observation's parts, one reader per type of the model: site, availability, links, columns, interaction,
//! services and content findings.

use super::*;

pub(super) const SITE: Shape = Shape {
    name: "struct Site",
    fields: &[
        "name",
        "url",
        "kind",
        "id",
        "homepage_navigation_only",
        "offers_services",
        "region",
        "department",
    ],
};

pub(super) fn site(n: &Node) -> R<Site> {
    let (mut name, mut url, mut kind, mut id, mut nav) = (None, None, None, None, false);
    let (mut offers, mut region, mut department) = (None, None, None);
    let form = fields(n, &SITE, &mut |j, v| {
        match j {
            0 => name = Some(string(v)?),
            1 => url = opt(v, string)?,
            2 => kind = opt(v, site_kind)?,
            3 => id = opt(v, site_id)?,
            4 => nav = boolean(v)?,
            5 => offers = opt(v, boolean)?,
            6 => region = opt(v, string)?,
            _ => department = opt(v, string)?,
        }
        Ok(())
    })?;
    Ok(Site {
        name: req(name, 0, form, &SITE)?,
        url,
        kind,
        id,
        homepage_navigation_only: nav,
        offers_services: offers,
        region,
        department,
    })
}

pub(super) const AVAILABILITY: Shape = Shape {
    name: "struct Availability",
    fields: &["samples", "visits", "failures", "days"],
};

pub(super) fn availability(n: &Node) -> R<Availability> {
    let (mut samples, mut visits, mut failures, mut days) = (None, None, None, None);
    fields(n, &AVAILABILITY, &mut |j, v| {
        match j {
            0 => samples = opt(v, sample_list)?,
            1 => visits = opt(v, count)?,
            2 => failures = opt(v, count)?,
            _ => days = opt(v, count)?,
        }
        Ok(())
    })?;
    Ok(Availability {
        samples,
        visits,
        failures,
        days,
    })
}

pub(super) const SAMPLE: Shape = Shape {
    name: "struct Sample",
    fields: &["at", "ok", "elapsed_ms", "status", "error", "probe_fault"],
};

pub(super) fn sample(n: &Node) -> R<Sample> {
    let (mut at, mut ok, mut elapsed, mut status_, mut error, mut fault) =
        (None, None, None, None, None, false);
    let form = fields(n, &SAMPLE, &mut |j, v| {
        match j {
            0 => at = Some(date(v)?),
            1 => ok = Some(boolean(v)?),
            2 => elapsed = opt(v, count)?,
            3 => status_ = opt(v, status)?,
            4 => error = opt(v, shared)?,
            _ => fault = boolean(v)?,
        }
        Ok(())
    })?;
    Ok(Sample {
        at: req(at, 0, form, &SAMPLE)?,
        ok: req(ok, 1, form, &SAMPLE)?,
        elapsed_ms: elapsed,
        status: status_,
        error,
        probe_fault: fault,
    })
}

pub(super) const LINKS: Shape = Shape {
    name: "struct Links",
    fields: &[
        "broken",
        "checked",
        "homepage_broken",
        "other_broken",
        "complete",
        "unchecked",
    ],
};

pub(super) fn links(n: &Node) -> R<Links> {
    let (mut broken, mut checked, mut homepage_broken, mut other_broken) = (None, None, None, None);
    let (mut complete, mut unchecked_) = (None, None);
    fields(n, &LINKS, &mut |j, v| {
        match j {
            0 => broken = opt(v, broken_link_list)?,
            1 => checked = opt(v, count)?,
            2 => homepage_broken = opt(v, count)?,
            3 => other_broken = opt(v, count)?,
            4 => complete = opt(v, boolean)?,
            _ => unchecked_ = opt(v, unchecked)?,
        }
        Ok(())
    })?;
    Ok(Links {
        broken,
        checked,
        homepage_broken,
        other_broken,
        complete,
        unchecked: unchecked_,
    })
}

pub(super) const UNCHECKED: Shape = Shape {
    name: "struct Unchecked",
    fields: &["homepage", "other"],
};

pub(super) fn unchecked(n: &Node) -> R<Unchecked> {
    let mut u = Unchecked::default();
    fields(n, &UNCHECKED, &mut |j, v| {
        match j {
            0 => u.homepage = count(v)?,
            _ => u.other = count(v)?,
        }
        Ok(())
    })?;
    Ok(u)
}

pub(super) const BROKEN_LINK: Shape = Shape {
    name: "struct BrokenLink",
    fields: &["url", "found_on", "depth", "kind", "status", "error"],
};

pub(super) fn broken_link(n: &Node) -> R<BrokenLink> {
    let (mut url, mut found_on, mut depth, mut kind) = (None, StrList::default(), None, LinkKind::Page);
    let (mut status_, mut error) = (None, None);
    let form = fields(n, &BROKEN_LINK, &mut |j, v| {
        match j {
            0 => url = Some(shared(v)?),
            1 => found_on = str_list(v)?,
            2 => depth = Some(small(v)?),
            3 => kind = link_kind(v)?,
            4 => status_ = opt(v, status)?,
            _ => error = opt(v, shared)?,
        }
        Ok(())
    })?;
    Ok(BrokenLink {
        url: req(url, 0, form, &BROKEN_LINK)?,
        found_on,
        depth: req(depth, 2, form, &BROKEN_LINK)?,
        kind,
        status: status_,
        error,
    })
}

pub(super) const COLUMN: Shape = Shape {
    name: "struct Column",
    fields: &[
        "name",
        "category",
        "url",
        "on_homepage",
        "level",
        "should_update",
        "update_cycle",
        "items",
        "last_published",
        "item_count",
        "blank",
        "inaccurate",
    ],
};

pub(super) fn column(n: &Node) -> R<Column> {
    let (mut name, mut category, mut url, mut on_homepage, mut level) = (None, None, None, false, None);
    let (mut should_update, mut update_cycle, mut items, mut last) = (false, None, None, None);
    let (mut item_count, mut blank, mut inaccurate) = (None, None, None);
    let form = fields(n, &COLUMN, &mut |j, v| {
        match j {
            0 => name = Some(shared(v)?),
            1 => category = Some(column_category(v)?),
            2 => url = opt(v, shared)?,
            3 => on_homepage = boolean(v)?,
            4 => level = opt(v, small)?,
            5 => should_update = boolean(v)?,
            6 => update_cycle = opt(v, cycle)?,
            7 => items = opt(v, items_list)?,
            8 => last = opt(v, date)?,
            9 => item_count = opt(v, count)?,
            10 => blank = opt(v, boolean)?,
            _ => inaccurate = opt(v, count)?,
        }
        Ok(())
    })?;
    Ok(Column {
        name: req(name, 0, form, &COLUMN)?,
        category: req(category, 1, form, &COLUMN)?,
        url,
        on_homepage,
        level,
        should_update,
        update_cycle,
        items,
        last_published: last,
        item_count,
        blank,
        inaccurate,
    })
}

pub(super) const ITEM: Shape = Shape {
    name: "struct Item",
    fields: &["title", "url", "published"],
};

pub(super) fn item(n: &Node) -> R<Item> {
    let (mut title, mut url, mut published) = (None, None, None);
    let form = fields(n, &ITEM, &mut |j, v| {
        match j {
            0 => title = Some(shared(v)?),
            1 => url = opt(v, shared)?,
            _ => published = opt(v, date)?,
        }
        Ok(())
    })?;
    Ok(Item {
        title: req(title, 0, form, &ITEM)?,
        url,
        published,
    })
}

pub(super) const HOMEPAGE: Shape = Shape {
    name: "struct HomepageCounts",
    fields: &["updates_in_window"],
};

pub(super) fn homepage_counts(n: &Node) -> R<HomepageCounts> {
    let mut updates = None;
    let form = fields(n, &HOMEPAGE, &mut |_, v| {
        updates = Some(count(v)?);
        Ok(())
    })?;
    Ok(HomepageCounts {
        updates_in_window: req(updates, 0, form, &HOMEPAGE)?,
    })
}

pub(super) const INTERACTION: Shape = Shape {
    name: "struct Interaction",
    fields: &["consultation", "survey", "interview"],
};

pub(super) fn interaction(n: &Node) -> R<Interaction> {
    let (mut consultation_, mut survey, mut interview) = (None, None, None);
    fields(n, &INTERACTION, &mut |j, v| {
        match j {
            0 => consultation_ = opt(v, consultation)?,
            1 => survey = opt(v, channel)?,
            _ => interview = opt(v, channel)?,
        }
        Ok(())
    })?;
    Ok(Interaction {
        consultation: consultation_,
        survey,
        interview,
    })
}

pub(super) const CONSULTATION: Shape = Shape {
    name: "struct Consultation",
    fields: &[
        "exists",
        "usable",
        "name",
        "url",
        "messages",
        "valid_messages",
        "overdue_messages",
        "answers_in_window",
    ],
};

pub(super) fn consultation(n: &Node) -> R<Consultation> {
    let (mut exists, mut usable, mut name, mut url) = (None, None, None, None);
    let (mut messages, mut valid, mut overdue, mut answers) = (None, None, None, None);
    let form = fields(n, &CONSULTATION, &mut |j, v| {
        match j {
            0 => exists = Some(boolean(v)?),
            1 => usable = opt(v, boolean)?,
            2 => name = opt(v, shared)?,
            3 => url = opt(v, shared)?,
            4 => messages = opt(v, messages_list)?,
            5 => valid = opt(v, count)?,
            6 => overdue = opt(v, count)?,
            _ => answers = opt(v, count)?,
        }
        Ok(())
    })?;
    Ok(Consultation {
        exists: req(exists, 0, form, &CONSULTATION)?,
        usable,
        name,
        url,
        messages,
        valid_messages: valid,
        overdue_messages: overdue,
        answers_in_window: answers,
    })
}

pub(super) const MESSAGE: Shape = Shape {
    name: "struct Message",
    fields: &["asked", "answered", "valid", "title", "url"],
};

pub(super) fn message(n: &Node) -> R<Message> {
    let (mut asked, mut answered, mut valid, mut title, mut url) = (None, None, true, None, None);
    let form = fields(n, &MESSAGE, &mut |j, v| {
        match j {
            0 => asked = Some(date(v)?),
            1 => answered = opt(v, date)?,
            2 => valid = boolean(v)?,
            3 => title = opt(v, shared)?,
            _ => url = opt(v, shared)?,
        }
        Ok(())
    })?;
    Ok(Message {
        asked: req(asked, 0, form, &MESSAGE)?,
        answered,
        valid,
        title,
        url,
    })
}

pub(super) const CHANNEL: Shape = Shape {
    name: "struct Channel",
    fields: &["exists", "usable", "name", "url", "activities"],
};

pub(super) fn channel(n: &Node) -> R<Channel> {
    let (mut exists, mut usable, mut name, mut url, mut held) = (None, None, None, None, None);
    let form = fields(n, &CHANNEL, &mut |j, v| {
        match j {
            0 => exists = Some(boolean(v)?),
            1 => usable = opt(v, boolean)?,
            2 => name = opt(v, shared)?,
            3 => url = opt(v, shared)?,
            _ => held = opt(v, activities)?,
        }
        Ok(())
    })?;
    Ok(Channel {
        exists: req(exists, 0, form, &CHANNEL)?,
        usable,
        name,
        url,
        activities: held,
    })
}

pub(super) const ACTIVITY: Shape = Shape {
    name: "struct Activity",
    fields: &["date", "title", "url"],
};

pub(super) fn activity(n: &Node) -> R<Activity> {
    let (mut on, mut title, mut url) = (None, None, None);
    let form = fields(n, &ACTIVITY, &mut |j, v| {
        match j {
            0 => on = Some(date(v)?),
            1 => title = opt(v, shared)?,
            _ => url = opt(v, shared)?,
        }
        Ok(())
    })?;
    Ok(Activity {
        date: req(on, 0, form, &ACTIVITY)?,
        title,
        url,
    })
}

pub(super) const SERVICES: Shape = Shape {
    name: "struct Services",
    fields: &[
        "guides",
        "online_systems",
        "guide_count",
        "missing_element_categories",
        "inaccurate_elements",
        "attachments_not_offered",
        "attachments_broken",
        "online_system_count",
        "online_systems_unreachable",
    ],
};

pub(super) fn services(n: &Node) -> R<Services> {
    let (mut guides, mut systems) = (None, None);
    let mut counts: [Option<u64>; 7] = [None; 7];
    fields(n, &SERVICES, &mut |j, v| {
        match j {
            0 => guides = opt(v, guides_list)?,
            1 => systems = opt(v, systems_list)?,
            _ => {
                if let Some(c) = counts.get_mut(j - 2) {
                    *c = opt(v, count)?;
                }
            }
        }
        Ok(())
    })?;
    let [
        guide_count,
        missing,
        inaccurate,
        not_offered,
        broken,
        system_count,
        unreachable,
    ] = counts;
    Ok(Services {
        guides,
        online_systems: systems,
        guide_count,
        missing_element_categories: missing,
        inaccurate_elements: inaccurate,
        attachments_not_offered: not_offered,
        attachments_broken: broken,
        online_system_count: system_count,
        online_systems_unreachable: unreachable,
    })
}

pub(super) const GUIDE: Shape = Shape {
    name: "struct Guide",
    fields: &[
        "name",
        "url",
        "missing_elements",
        "inaccurate_elements",
        "attachments_not_offered",
        "attachments_broken",
    ],
};

pub(super) fn guide(n: &Node) -> R<Guide> {
    let (mut name, mut url, mut missing, mut inaccurate) = (None, None, Vec::new(), Vec::new());
    let (mut not_offered, mut broken) = (Tally::default(), Tally::default());
    let form = fields(n, &GUIDE, &mut |j, v| {
        match j {
            0 => name = Some(shared(v)?),
            1 => url = opt(v, shared)?,
            2 => missing = list(v, element)?,
            3 => inaccurate = list(v, element)?,
            4 => not_offered = tally(v)?,
            _ => broken = tally(v)?,
        }
        Ok(())
    })?;
    Ok(Guide {
        name: req(name, 0, form, &GUIDE)?,
        url,
        missing_elements: missing,
        inaccurate_elements: inaccurate,
        attachments_not_offered: not_offered,
        attachments_broken: broken,
    })
}

pub(super) const ONLINE_SYSTEM: Shape = Shape {
    name: "struct OnlineSystem",
    fields: &["name", "url", "reachable", "status", "error"],
};

pub(super) fn online_system(n: &Node) -> R<OnlineSystem> {
    let (mut name, mut url, mut reachable, mut status_, mut error) = (None, None, None, None, None);
    let form = fields(n, &ONLINE_SYSTEM, &mut |j, v| {
        match j {
            0 => name = Some(shared(v)?),
            1 => url = opt(v, shared)?,
            2 => reachable = Some(boolean(v)?),
            3 => status_ = opt(v, status)?,
            _ => error = opt(v, shared)?,
        }
        Ok(())
    })?;
    Ok(OnlineSystem {
        name: req(name, 0, form, &ONLINE_SYSTEM)?,
        url,
        reachable: req(reachable, 2, form, &ONLINE_SYSTEM)?,
        status: status_,
        error,
    })
}

pub(super) const FINDING: Shape = Shape {
    name: "struct ContentFinding",
    fields: &["kind", "url", "excerpt", "expected", "confirmed"],
};

pub(super) fn finding(n: &Node) -> R<ContentFinding> {
    let (mut kind, mut url, mut excerpt, mut expected, mut confirmed) = (None, None, None, None, false);
    let form = fields(n, &FINDING, &mut |j, v| {
        match j {
            0 => kind = Some(finding_kind(v)?),
            1 => url = Some(shared(v)?),
            2 => excerpt = Some(shared(v)?),
            3 => expected = opt(v, shared)?,
            _ => confirmed = boolean(v)?,
        }
        Ok(())
    })?;
    Ok(ContentFinding {
        kind: req(kind, 0, form, &FINDING)?,
        url: req(url, 1, form, &FINDING)?,
        excerpt: req(excerpt, 2, form, &FINDING)?,
        expected,
        confirmed,
    })
}
