//! The filing's life: draft → submitted → returned (with a reason) → resubmitted → approved at each level up to
//! the tree's root. Pure: the store applies what this allows.

use crate::access::UnitPath;
use serde::Serialize;

/// Where a filing is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// 草稿: the filer is still writing it.
    Draft,
    /// 已报送: in a reviewer's queue.
    Submitted,
    /// 已退回: sent back to the filer with a reason.
    Returned,
    /// 已重新报送: in a queue again after a return.
    Resubmitted,
    /// 已通过: approved at the root.
    Approved,
}

impl State {
    /// Every state.
    pub const ALL: [State; 5] = [
        State::Draft,
        State::Submitted,
        State::Returned,
        State::Resubmitted,
        State::Approved,
    ];

    /// The key stored and sent.
    pub fn key(self) -> &'static str {
        match self {
            State::Draft => "draft",
            State::Submitted => "submitted",
            State::Returned => "returned",
            State::Resubmitted => "resubmitted",
            State::Approved => "approved",
        }
    }

    /// A state from its key.
    pub fn parse(s: &str) -> Option<State> {
        State::ALL.into_iter().find(|x| x.key() == s)
    }

    /// 草稿 / 已报送 / 已退回 / 已重新报送 / 已通过.
    pub fn zh(self) -> &'static str {
        match self {
            State::Draft => "草稿",
            State::Submitted => "已报送",
            State::Returned => "已退回",
            State::Resubmitted => "已重新报送",
            State::Approved => "已通过",
        }
    }

    /// Whether a reviewer holds it.
    pub fn in_queue(self) -> bool {
        matches!(self, State::Submitted | State::Resubmitted)
    }
}

/// What someone does to a filing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Move {
    /// Change the observation or profile (re-scored).
    Edit,
    /// Hand it in to the next level (报送).
    Submit,
    /// Send it back to the filer with a reason (退回).
    Return,
    /// Pass it up one level; at the root, approve it (审核通过).
    Approve,
    /// Confirm or reject a suspected serious error (re-scored).
    Resolve,
}

impl Move {
    /// Every move.
    pub const ALL: [Move; 5] = [
        Move::Edit,
        Move::Submit,
        Move::Return,
        Move::Approve,
        Move::Resolve,
    ];

    /// The key sent by clients and written in the audit log.
    pub fn key(self) -> &'static str {
        match self {
            Move::Edit => "edit",
            Move::Submit => "submit",
            Move::Return => "return",
            Move::Approve => "approve",
            Move::Resolve => "resolve",
        }
    }

    /// A move from its key.
    pub fn parse(s: &str) -> Option<Move> {
        Move::ALL.into_iter().find(|m| m.key() == s)
    }
}

/// A filing's state and the queue that holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    /// The state.
    pub state: State,
    /// The unit whose reviewers hold it (`None` while the filer holds it, and once approved).
    pub queue: Option<UnitPath>,
}

/// A move the workflow refuses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot {} a filing that is {} / 不能对{}的填报执行此操作", mv.key(), from.key(), from.zh())]
pub struct IllegalMove {
    /// The state it was in.
    pub from: State,
    /// The move.
    pub mv: Move,
}

/// The first queue of a filing for a site owned by `owner`: its parent's; the root reviews its own.
pub fn first_queue(owner: &UnitPath) -> UnitPath {
    owner.parent().unwrap_or_else(|| owner.clone())
}

/// Where `mv` takes a filing of a site owned by `owner`.
///
/// # Errors
/// [`IllegalMove`] when the state does not allow the move.
pub fn apply(at: &Placed, mv: Move, owner: &UnitPath) -> Result<Placed, IllegalMove> {
    let illegal = IllegalMove { from: at.state, mv };
    let queued = at.state.in_queue();
    match (mv, at.state) {
        (Move::Edit, State::Draft | State::Returned) => Ok(at.clone()),
        (Move::Submit, State::Draft) => Ok(Placed {
            state: State::Submitted,
            queue: Some(first_queue(owner)),
        }),
        (Move::Submit, State::Returned) => Ok(Placed {
            state: State::Resubmitted,
            queue: Some(first_queue(owner)),
        }),
        (Move::Return, _) if queued => Ok(Placed {
            state: State::Returned,
            queue: None,
        }),
        (Move::Approve, _) if queued => match at.queue.as_ref().and_then(UnitPath::parent) {
            Some(up) => Ok(Placed {
                state: at.state,
                queue: Some(up),
            }),
            None => Ok(Placed {
                state: State::Approved,
                queue: None,
            }),
        },
        (Move::Resolve, _) if queued => Ok(at.clone()),
        _ => Err(illegal),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn county() -> UnitPath {
        UnitPath::root(1).child(2).child(3)
    }

    #[test]
    fn a_filing_climbs_level_by_level_to_the_root() {
        let draft = Placed {
            state: State::Draft,
            queue: None,
        };
        let s = apply(&draft, Move::Submit, &county()).unwrap();
        assert_eq!(s.queue.as_ref().map(UnitPath::as_str), Some("/1/2/"));
        let s = apply(&s, Move::Approve, &county()).unwrap();
        assert_eq!(
            (s.state, s.queue.as_ref().map(UnitPath::as_str)),
            (State::Submitted, Some("/1/"))
        );
        let s = apply(&s, Move::Approve, &county()).unwrap();
        assert_eq!((s.state, s.queue.clone()), (State::Approved, None));
        for mv in Move::ALL {
            assert!(apply(&s, mv, &county()).is_err(), "{mv:?} after approval");
        }
    }

    #[test]
    fn a_return_goes_back_to_the_filer_and_a_resubmission_starts_at_the_first_level() {
        let at_province = Placed {
            state: State::Submitted,
            queue: Some(UnitPath::root(1)),
        };
        let r = apply(&at_province, Move::Return, &county()).unwrap();
        assert_eq!((r.state, r.queue.clone()), (State::Returned, None));
        assert!(apply(&r, Move::Approve, &county()).is_err());
        let again = apply(&r, Move::Submit, &county()).unwrap();
        assert_eq!(again.state, State::Resubmitted);
        assert_eq!(again.queue.as_ref().map(UnitPath::as_str), Some("/1/2/"));
    }

    #[test]
    fn the_root_reviews_its_own_sites() {
        assert_eq!(first_queue(&UnitPath::root(1)), UnitPath::root(1));
    }
}
