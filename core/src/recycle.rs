//! The lists every score allocates, kept per thread for the next score: the measures (29 of about 100 bytes for the
//! census pack) and a report's rule records (30 of 128 bytes) are larger than the C allocator's per-thread cache
//! (glibc keeps freed chunks of up to about 1 KiB there), so allocating and freeing them took its slow path, about
//! 1k of a counts-only score's 24k instructions; the case outcomes, the rules' outcomes and the indicator totals
//! are smaller but as frequent (about 130 instructions an allocation and its free). A report hands its lists back,
//! emptied, when it is dropped (a tally its own when it is done), and the next score on that thread reuses
//! them; one of each is kept per thread, the largest.

use crate::engine::Outcome;
use crate::facts::Measured;
use crate::report::{CaseOutcome, IndicatorPoints, RuleRecord};
use std::cell::Cell;
use std::thread::LocalKey;

thread_local! {
    static MEASURES: Cell<Vec<Measured>> = const { Cell::new(Vec::new()) };
    static RECORDS: Cell<Vec<RuleRecord>> = const { Cell::new(Vec::new()) };
    static CASES: Cell<Vec<CaseOutcome>> = const { Cell::new(Vec::new()) };
    static INDICATORS: Cell<Vec<IndicatorPoints>> = const { Cell::new(Vec::new()) };
    static OUTCOMES: Cell<Vec<Outcome>> = const { Cell::new(Vec::new()) };
}

/// A kind of list a score reuses.
pub(crate) trait Reused: Sized + 'static {
    /// The thread's spare list of this kind.
    fn spare() -> &'static LocalKey<Cell<Vec<Self>>>;
}

macro_rules! reused {
    ($t:ty, $slot:ident) => {
        impl Reused for $t {
            fn spare() -> &'static LocalKey<Cell<Vec<Self>>> {
                &$slot
            }
        }
    };
}
reused!(Measured, MEASURES);
reused!(RuleRecord, RECORDS);
reused!(CaseOutcome, CASES);
reused!(IndicatorPoints, INDICATORS);
reused!(Outcome, OUTCOMES);

/// An empty list, with room left by an earlier score on this thread when there is one.
pub(crate) fn take<T: Reused>() -> Vec<T> {
    T::spare().try_with(Cell::take).unwrap_or_default()
}

/// Keep `list`'s room for the next score on this thread (its items are dropped now).
pub(crate) fn keep<T: Reused>(mut list: Vec<T>) {
    list.clear();
    if list.capacity() == 0 {
        return;
    }
    // During the thread's teardown the slot is gone: the list is simply freed.
    let _ = T::spare().try_with(|s| {
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
        let (m, r) = (
            super::take::<crate::facts::Measured>(),
            super::take::<crate::report::RuleRecord>(),
        );
        assert!(m.is_empty() && m.capacity() >= engine.pack().measure_count());
        assert!(r.is_empty() && r.capacity() >= engine.pack().rules().len());
        // So do its case and indicator lists, and the tallies' outcome list.
        let (c, i, o) = (
            super::take::<crate::report::CaseOutcome>(),
            super::take::<crate::report::IndicatorPoints>(),
            super::take::<crate::engine::Outcome>(),
        );
        assert!(c.is_empty() && c.capacity() > 0);
        assert!(i.is_empty() && i.capacity() >= engine.pack().indicators().len());
        assert!(o.is_empty() && o.capacity() >= engine.pack().rules().len());
    }
}
