//! What a roll-up needs of a filing, stored as a few hundred bytes of binary beside its report and summary, so a
//! roll-up of the whole census reads and decodes 84,094 of them well within a second.
//!
//! The layout (little-endian): `pd1`; the pack, the monitoring point and the site's six fields as texts; the verdict
//! and completeness as bytes; the score (a presence byte and tenths) and the total deduction (tenths); the vetoes;
//! each rule's id, status and points (tenths). A text is a `u16` length and its UTF-8, `u16::MAX` for none. The
//! encoding is private to the server (the summary beside it is the contract); a digest that does not decode is a
//! storage error, never a wrong count.

use pucha_core::stored::{Digest, StoredSite};
use pucha_core::{Points, Status, Verdict};

const MAGIC: &[u8; 3] = b"pd1";
const NONE: u16 = u16::MAX;

const STATUSES: [Status; 5] = [
    Status::Applied,
    Status::Passed,
    Status::NotApplicable,
    Status::NoData,
    Status::NeedsReview,
];
const VERDICTS: [Verdict; 3] = [Verdict::Pass, Verdict::Fail, Verdict::Undetermined];

fn text(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        // Texts longer than a u16 (none are: names, ids, dates) are cut at a character boundary.
        Some(s) => {
            let mut end = s.len().min(usize::from(NONE - 1));
            while !s.is_char_boundary(end) {
                end -= 1;
            }
            out.extend_from_slice(&u16::try_from(end).unwrap_or(0).to_le_bytes());
            out.extend_from_slice(&s.as_bytes()[..end]);
        }
        None => out.extend_from_slice(&NONE.to_le_bytes()),
    }
}

fn count(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(&u16::try_from(n).unwrap_or(u16::MAX).to_le_bytes());
}

/// A digest as bytes.
pub fn encode(d: &Digest) -> Vec<u8> {
    let mut out = Vec::with_capacity(512);
    out.extend_from_slice(MAGIC);
    text(&mut out, Some(&d.pack));
    text(&mut out, Some(&d.monitoring_point));
    let s = &d.site;
    text(&mut out, Some(&s.name));
    for field in [&s.url, &s.kind, &s.id, &s.region, &s.department] {
        text(&mut out, field.as_deref());
    }
    out.push(
        VERDICTS
            .iter()
            .position(|v| *v == d.verdict)
            .map_or(2, |i| i as u8),
    );
    out.push(u8::from(d.complete));
    match d.score {
        Some(p) => {
            out.push(1);
            out.extend_from_slice(&p.tenths().to_le_bytes());
        }
        None => out.push(0),
    }
    out.extend_from_slice(&d.total_deduction.tenths().to_le_bytes());
    count(&mut out, d.vetoes.len());
    for v in &d.vetoes {
        text(&mut out, Some(v));
    }
    count(&mut out, d.rules.len());
    for (id, status, points) in &d.rules {
        text(&mut out, Some(id));
        out.push(STATUSES.iter().position(|s| s == status).map_or(1, |i| i as u8));
        out.extend_from_slice(&points.tenths().to_le_bytes());
    }
    out
}

struct Reader<'a> {
    bytes: &'a [u8],
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        if self.bytes.len() < n {
            return None;
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Some(head)
    }

    fn byte(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    fn u16(&mut self) -> Option<u16> {
        self.take(2).map(|b| u16::from_le_bytes([b[0], b[1]]))
    }

    fn i64(&mut self) -> Option<i64> {
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Some(i64::from_le_bytes(a))
    }

    fn text(&mut self) -> Option<Option<String>> {
        match self.u16()? {
            NONE => Some(None),
            n => std::str::from_utf8(self.take(usize::from(n))?)
                .ok()
                .map(|s| Some(s.to_owned())),
        }
    }

    fn some_text(&mut self) -> Option<String> {
        self.text()?
    }
}

/// Bytes back into a digest; `None` when they are not a digest of this layout.
pub fn decode(bytes: &[u8]) -> Option<Digest> {
    let mut r = Reader { bytes };
    if r.take(3)? != MAGIC {
        return None;
    }
    let pack = r.some_text()?;
    let monitoring_point = r.some_text()?;
    let site = StoredSite {
        name: r.some_text()?,
        url: r.text()?,
        kind: r.text()?,
        id: r.text()?,
        region: r.text()?,
        department: r.text()?,
    };
    let verdict = *VERDICTS.get(usize::from(r.byte()?))?;
    let complete = r.byte()? != 0;
    let score = match r.byte()? {
        0 => None,
        _ => Some(Points::from_tenths(r.i64()?)),
    };
    let total_deduction = Points::from_tenths(r.i64()?);
    let vetoes = (0..r.u16()?).map(|_| r.some_text()).collect::<Option<Vec<_>>>()?;
    let rules = (0..r.u16()?)
        .map(|_| {
            let id = r.some_text()?;
            let status = *STATUSES.get(usize::from(r.byte()?))?;
            Some((id, status, Points::from_tenths(r.i64()?)))
        })
        .collect::<Option<Vec<_>>>()?;
    r.bytes.is_empty().then_some(Digest {
        pack,
        site,
        monitoring_point,
        verdict,
        complete,
        score,
        total_deduction,
        vetoes,
        rules,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use pucha_core::rollup::{GroupBy, Rollup};
    use pucha_core::{Engine, Observation};
    use serde_json::json;

    fn digests() -> Vec<Digest> {
        let e = Engine::builtin("census-2015").unwrap();
        (0..40)
            .map(|i| {
                let mut o = json!({
                    "monitoring_point": "2015-06-30",
                    "site": {"name": format!("站点{i}"), "kind": if i % 2 == 0 { "portal" } else { "other" }, "id": format!("{:010}", 1_000_000_000 + i)},
                    "availability": {"visits": 700, "failures": (i * 3) % 40, "days": 7},
                    "links": {"homepage_broken": i % 4, "other_broken": (i * 7) % 90},
                    "homepage": {"updates_in_window": i % 12},
                });
                if i % 3 == 0 {
                    o["site"]["region"] = json!("甲省");
                }
                let r = e.score(&Observation::from_json_str(&o.to_string()).unwrap());
                Digest::from_json_str(&serde_json::to_string(&r.summary()).unwrap()).unwrap()
            })
            .collect()
    }

    #[test]
    fn a_digest_survives_its_bytes_and_so_does_the_roll_up() {
        let ds = digests();
        assert!(
            ds.iter().any(|d| d.score.is_none()) && ds.iter().any(|d| !d.vetoes.is_empty()),
            "a veto among them"
        );
        let back: Vec<Digest> = ds.iter().map(|d| decode(&encode(d)).unwrap()).collect();
        assert_eq!(back, ds);
        let a = serde_json::to_value(Rollup::build(&ds, GroupBy::Region)).unwrap();
        let b = serde_json::to_value(Rollup::build(&back, GroupBy::Region)).unwrap();
        assert_eq!(a, b);
        let size = encode(&ds[0]).len();
        assert!(size < 700, "{size} B");
    }

    #[test]
    fn anything_else_does_not_decode() {
        let good = encode(&digests()[0]);
        assert!(decode(b"").is_none() && decode(b"pd2").is_none());
        for cut in [3, 10, good.len() - 1] {
            assert!(decode(&good[..cut]).is_none(), "{cut}");
        }
        let mut longer = good.clone();
        longer.push(0);
        assert!(decode(&longer).is_none());
    }
}
