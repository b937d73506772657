//! The two lists a score allocates that are larger than the C allocator's per-thread cache (glibc keeps freed
//! chunks of up to about 1 KiB there): the measures (29 of about 100 bytes for the census pack) and a report's rule
//! records (30 of 128 bytes). Allocating and freeing them for every score took the allocator's slow path, about 1k
//! of a counts-only score's 24k instructions. A report hands them back, emptied, when it is dropped, and the next
//! score on that thread reuses them; one of each is kept per thread.

use crate::facts::Measured;
use crate::report::RuleRecord;
use std::cell::Cell;

thread_local! {
    static MEASURES: Cell<Vec<Measured>> = const { Cell::new(Vec::new()) };
    static RECORDS: Cell<Vec<RuleRecord>> = const { Cell::new(Vec::new()) };
}

/// An empty list of measures, with room left by an earlier score on this thread when there is one.
pub(crate) fn measures() -> Vec<Measured> {
    MEASURES.try_with(Cell::take).unwrap_or_default()
}

/// An empty list of rule records, with room left by an earlier score on this thread when there is one.
pub(crate) fn records() -> Vec<RuleRecord> {
    RECORDS.try_with(Cell::take).unwrap_or_default()
}

/// Keep `list`'s room for the next score on this thread (its items are dropped now).
pub(crate) fn keep_measures(list: Vec<Measured>) {
    keep(&MEASURES, list);
}

/// Keep `list`'s room for the next score on this thread (its items are dropped now).
pub(crate) fn keep_records(list: Vec<RuleRecord>) {
    keep(&RECORDS, list);
}

fn keep<T: 'static>(slot: &'static std::thread::LocalKey<Cell<Vec<T>>>, mut list: Vec<T>) {
    list.clear();
    if list.capacity() == 0 {
        return;
    }
    // During the thread's teardown the slot is gone: the list is simply freed.
    let _ = slot.try_with(|s| {
        let kept = s.take();
        s.set(if kept.capacity() >= list.capacity() {
            kept
        } else {
            list
        });
    });
}

#[cfg(all(test, feature = "builtin-packs"))]
mod tests {
    use crate::{Engine, Observation};

    /// Reports scored one after another on a thread reuse the lists a dropped report handed back, and a report
    /// kept alive keeps its own: every report reads the same.
    #[test]
    fn reports_reuse_lists_and_read_the_same() {
        let engine = Engine::builtin("census-2015").unwrap();
        let obs =
            Observation::from_json_str(include_str!("../../examples/observations/counts-only.json")).unwrap();
        let first = engine.score(&obs).to_json();
        let tally = engine.tally(&obs);
        let kept = engine.score(&obs);
        for _ in 0..3 {
            let again = engine.score(&obs);
            assert_eq!(again.to_json(), first);
            assert_eq!(engine.tally(&obs), tally);
        }
        assert_eq!(kept.to_json(), first);
        let clone = kept.clone();
        drop(kept);
        assert_eq!(clone.to_json(), first);
        // The dropped report's lists wait, emptied, for the next score on this thread.
        let (m, r) = (super::measures(), super::records());
        assert!(m.is_empty() && m.capacity() >= engine.pack().measure_count());
        assert!(r.is_empty() && r.capacity() >= engine.pack().rules().len());
    }
}
