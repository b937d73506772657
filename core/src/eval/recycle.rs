//! The lists every score allocates, kept per thread for the next score: the measures (29 of about 100 bytes for the
//! census pack) and a report's rule records (30 of 128 bytes) are larger than the C allocator's per-thread cache
//! (glibc keeps freed chunks of up to about 1 KiB there), so allocating and freeing them took its slow path, about
//! 1k of a counts-only score's 24k instructions; the case outcomes, the rules' outcomes and the indicator totals
//! are smaller but as frequent (about 130 instructions an allocation and its free). A report hands its lists back,
//! emptied, when it is dropped (a tally its own when it is done), and the next score on that thread reuses
//! them; one of each is kept per thread, the largest. Imports nothing from the crate: each reused type declares
//! itself with [`reused!`] where it is defined.

use std::cell::Cell;
use std::thread::LocalKey;

/// A kind of list a score reuses.
pub(crate) trait Reused: Sized + 'static {
    /// The thread's spare list of this kind.
    fn spare() -> &'static LocalKey<Cell<Vec<Self>>>;
}

/// Make a type's lists reusable (one spare list per thread), where the type is defined, so this module imports
/// nothing: `crate::eval::recycle::reused!(Measured);`.
macro_rules! reused {
    ($t:ty) => {
        impl $crate::eval::recycle::Reused for $t {
            fn spare() -> &'static ::std::thread::LocalKey<::std::cell::Cell<Vec<Self>>> {
                ::std::thread_local! {
                    static SPARE: ::std::cell::Cell<Vec<$t>> = const { ::std::cell::Cell::new(Vec::new()) };
                }
                &SPARE
            }
        }
    };
}
pub(crate) use reused;

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

#[cfg(test)]
mod tests {
    use super::{keep, take};

    #[derive(Debug)]
    struct Item(#[allow(dead_code, reason = "a payload")] u64);
    crate::eval::recycle::reused!(Item);

    #[test]
    fn a_kept_list_comes_back_empty_with_its_room_and_the_larger_one_wins() {
        assert_eq!(take::<Item>().capacity(), 0, "nothing kept yet");
        keep((0..10).map(Item).collect::<Vec<_>>());
        keep(Vec::<Item>::with_capacity(3));
        let back = take::<Item>();
        assert!(back.is_empty() && back.capacity() >= 10);
        assert_eq!(take::<Item>().capacity(), 0, "one list is kept per thread");
    }
}
