//! robots.txt, as crawlers read it: the group for our user agent (else `*`), `Allow` and `Disallow` path prefixes
//! with `*` and `$`, the longest matching rule winning and `Allow` winning a tie.

/// One `Allow` (true) or `Disallow` rule and its path pattern.
type Rule = (bool, String);

/// A group: its user agents and its rules.
type Group = (Vec<String>, Vec<Rule>);

/// The rules of one robots.txt for one user agent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Robots {
    rules: Vec<Rule>,
}

impl Robots {
    /// Everything allowed (no robots.txt, or an unreadable one).
    pub fn allow_all() -> Robots {
        Robots::default()
    }

    /// Parse `text` for the agent token `agent` (e.g. `pucha`).
    pub fn parse(text: &str, agent: &str) -> Robots {
        let agent = agent.to_ascii_lowercase();
        let mut groups: Vec<Group> = Vec::new();
        let mut in_agents = false;
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            let Some((k, v)) = line.split_once(':') else {
                continue;
            };
            let (k, v) = (k.trim().to_ascii_lowercase(), v.trim());
            match k.as_str() {
                "user-agent" => {
                    if !in_agents {
                        groups.push((Vec::new(), Vec::new()));
                    }
                    in_agents = true;
                    if let Some(g) = groups.last_mut() {
                        g.0.push(v.to_ascii_lowercase());
                    }
                }
                "allow" | "disallow" => {
                    in_agents = false;
                    if let Some(g) = groups.last_mut()
                        && !(k == "disallow" && v.is_empty())
                    {
                        g.1.push((k == "allow", v.to_string()));
                    }
                }
                _ => in_agents = false,
            }
        }
        let mine = groups
            .iter()
            .find(|(a, _)| a.iter().any(|x| x != "*" && agent.contains(x.as_str())))
            .or_else(|| groups.iter().find(|(a, _)| a.iter().any(|x| x == "*")));
        Robots {
            rules: mine.map(|(_, r)| r.clone()).unwrap_or_default(),
        }
    }

    /// Whether `path` (with its query) may be fetched.
    pub fn allows(&self, path: &str) -> bool {
        let mut best: Option<(usize, bool)> = None;
        for (allow, pat) in &self.rules {
            if matches(pat, path) {
                let len = pat.len();
                if best.is_none_or(|(l, a)| len > l || (len == l && *allow && !a)) {
                    best = Some((len, *allow));
                }
            }
        }
        best.is_none_or(|(_, a)| a)
    }
}

/// Robots pattern match: a prefix, with `*` for any run and `$` for the end.
fn matches(pat: &str, path: &str) -> bool {
    let (pat, anchored) = match pat.strip_suffix('$') {
        Some(p) => (p, true),
        None => (pat, false),
    };
    let parts: Vec<&str> = pat.split('*').collect();
    let mut pos = 0;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            if !path.starts_with(part) {
                return false;
            }
            pos = part.len();
        } else if let Some(found) = path.get(pos..).and_then(|r| r.find(part)) {
            pos += found + part.len();
        } else {
            return false;
        }
    }
    !anchored || pos == path.len() || (parts.len() > 1 && parts.last().is_some_and(|l| path.ends_with(l)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_and_longest_match() {
        let txt =
            "User-agent: *\nDisallow: /private\nAllow: /private/open\n\nUser-agent: badbot\nDisallow: /\n";
        let r = Robots::parse(txt, "pucha/0.1");
        assert!(r.allows("/"));
        assert!(!r.allows("/private/x"));
        assert!(r.allows("/private/open/y"));
        let bad = Robots::parse(txt, "BadBot/2");
        assert!(!bad.allows("/anything"));
        let own = Robots::parse(
            "User-agent: pucha\nDisallow: /a\nUser-agent: *\nDisallow: /\n",
            "pucha/0.1",
        );
        assert!(own.allows("/b") && !own.allows("/a/1"));
    }

    #[test]
    fn wildcards_and_empty() {
        let r = Robots::parse(
            "User-agent: *\nDisallow: /*.pdf$\nDisallow: /search*q=\nDisallow:\n",
            "pucha",
        );
        assert!(!r.allows("/files/a.pdf"));
        assert!(r.allows("/files/a.pdf.html"));
        assert!(!r.allows("/search?x=1&q=2"));
        assert!(Robots::parse("", "pucha").allows("/"));
        assert!(Robots::parse("garbage\n\u{0}::::\nDisallow /x", "pucha").allows("/x"));
    }
}
