//! The time a campaign runs by: the real clock, or (simulation builds only) a compressed one.
//!
//! A compressed clock runs `speed` times faster than the real one from an anchor kept in the campaign's folder, so
//! a killed and restarted run finds the simulated time where the real time put it: the slots that fell due while no
//! run was visiting are recorded as missed, as with the real clock. Only the schedule's time is compressed; the
//! network's (timeouts, per-host spacing) stays real.

use crate::adapters::cst;
use chrono::{DateTime, FixedOffset};

/// When things are due and samples stamped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Clock {
    /// The real time (the default, and the only clock of release builds).
    #[default]
    Real,
    /// Simulation builds only: `sim = start + (real − anchor) × speed`.
    #[cfg(feature = "simulation")]
    Compressed {
        /// The real time the simulated `start` fell on.
        anchor: DateTime<chrono::Utc>,
        /// The simulated time at `anchor`.
        start: DateTime<FixedOffset>,
        /// Simulated seconds per real second (≥ 1).
        speed: u32,
    },
}

impl Clock {
    /// The time now, in China Standard Time.
    pub fn now(&self) -> DateTime<FixedOffset> {
        match self {
            Clock::Real => chrono::Utc::now().with_timezone(&cst()),
            #[cfg(feature = "simulation")]
            Clock::Compressed { anchor, start, speed } => {
                let real = chrono::Utc::now() - *anchor;
                *start + real * i32::try_from(*speed).unwrap_or(i32::MAX)
            }
        }
    }

    /// The real time to wait until `until`, when it is ahead.
    pub fn wait(&self, until: DateTime<FixedOffset>) -> Option<std::time::Duration> {
        let ahead = (until - self.now()).to_std().ok()?;
        match self {
            Clock::Real => Some(ahead),
            #[cfg(feature = "simulation")]
            Clock::Compressed { speed, .. } => Some(ahead / (*speed).max(1)),
        }
    }

    /// How late a visit is, in real time: `at − due`, divided by the speed (zero when early).
    pub fn lateness(&self, due: DateTime<FixedOffset>, at: DateTime<FixedOffset>) -> std::time::Duration {
        let late = (at - due).to_std().unwrap_or_default();
        match self {
            Clock::Real => late,
            #[cfg(feature = "simulation")]
            Clock::Compressed { speed, .. } => late / (*speed).max(1),
        }
    }
}

/// The compressed clock of a campaign folder (simulation builds only): the anchor is written to `sim-clock` in
/// `dir` on the first run and read back by every later one, so the simulated time goes on across restarts.
///
/// # Errors
/// When the file cannot be read or written, or holds another speed, as text naming it.
#[cfg(feature = "simulation")]
pub fn compressed(dir: &std::path::Path, start: DateTime<FixedOffset>, speed: u32) -> Result<Clock, String> {
    if speed == 0 {
        return Err("`--sim-speed` must be at least 1".into());
    }
    let path = dir.join("sim-clock");
    let anchor = match std::fs::read_to_string(&path) {
        Ok(text) => {
            let (at, was) = text
                .trim()
                .split_once(' ')
                .ok_or_else(|| format!("`{}` is not `ANCHOR SPEED`", path.display()))?;
            if was != speed.to_string() {
                return Err(format!(
                    "`{}` runs this campaign at speed `{was}`, not `{speed}`",
                    path.display()
                ));
            }
            DateTime::parse_from_rfc3339(at)
                .map_err(|e| format!("`{}`: {e}", path.display()))?
                .with_timezone(&chrono::Utc)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let now = chrono::Utc::now();
            std::fs::write(&path, format!("{} {speed}\n", now.to_rfc3339()))
                .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
            now
        }
        Err(e) => return Err(format!("cannot read `{}`: {e}", path.display())),
    };
    Ok(Clock::Compressed { anchor, start, speed })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_real_clock_waits_the_time_ahead_and_never_a_past_one() {
        let c = Clock::Real;
        let now = c.now();
        assert!(c.wait(now - chrono::Duration::seconds(5)).is_none());
        let w = c.wait(now + chrono::Duration::seconds(60));
        assert!(w.is_some_and(|w| w.as_secs() >= 58 && w.as_secs() <= 60));
        assert_eq!(
            c.lateness(now, now + chrono::Duration::milliseconds(1500)),
            std::time::Duration::from_millis(1500)
        );
    }

    #[cfg(feature = "simulation")]
    #[test]
    fn a_compressed_clock_goes_on_from_its_anchor_across_restarts() {
        let dir = std::env::temp_dir().join(format!("pucha-clock-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let start = DateTime::parse_from_rfc3339("2015-11-09T00:00:00+08:00").unwrap();
        let a = compressed(&dir, start, 3600).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let b = compressed(&dir, start, 3600).unwrap();
        assert_eq!(a, b, "the second run reads the first one's anchor");
        assert!(
            b.now() - start >= chrono::Duration::seconds(60),
            "20 ms real is over a minute"
        );
        let hour = b.wait(b.now() + chrono::Duration::hours(1)).unwrap();
        assert!(hour <= std::time::Duration::from_secs(1));
        assert!(compressed(&dir, start, 60).unwrap_err().contains("speed `3600`"));
        assert!(compressed(&dir, start, 0).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
