//! When decisions change: `Engine::timeline` for one question over a
//! period, `Engine::changes` for every deployment.
//!
//! Nothing is sampled. An answer depends on time only through
//!
//! - the policies' comparisons of `context.now` with `datetime("...")`
//!   literals, each of which turns at one instant or two (read off the
//!   policies: any other use of the time makes these an
//!   `ErrorKind::UnboundedTime` error, rather than a guess);
//! - the waivers in force (each from its `from` to its `until`);
//! - the assurance held (each authorisation until it lapses);
//! - the corporate structure (stakes and designations, from and until).
//!
//! Between two consecutive such instants every one of them is constant, so
//! the answer is too: deciding at each instant, and keeping those where the
//! answer differs from the one before, is exact. Each decision is the
//! engine's own, so the fast path and Cedar agree on it as everywhere else.

use std::collections::BTreeSet;

use super::ask;
use super::loaded::Loaded;
use super::workers::Workers;
use crate::decision::{same_answer, Change, Decision, Step, Timeline};
use crate::error::{Error, ErrorKind, Result};
use crate::model::{Action, Instant};

/// One question's timeline, by index: see `Engine::timeline`.
pub(super) fn timeline(
    loaded: &Loaded,
    system: usize,
    action: Action,
    release: usize,
    from: Instant,
    until: Instant,
) -> Result<Timeline> {
    let mut steps: Vec<Step> = Vec::new();
    for at in turning_points(loaded, from, until)? {
        let decision = ask::decide(loaded, system, action, release, at);
        let previous = steps.last().map(Step::decision);
        if previous.is_none_or(|p| !same_answer(p, &decision)) {
            steps.push(Step::new(previous, decision));
        }
    }
    Ok(Timeline::new(from, until, steps))
}

/// The deployments' changes: see `Engine::changes`.
pub(super) fn changes(
    loaded: &Loaded,
    workers: &Workers,
    action: Action,
    from: Instant,
    until: Instant,
) -> Result<Vec<Change>> {
    let instants = turning_points(loaded, from, until)?;
    let deployments = &loaded.inventory.deployments;
    let cells = ask::deployment_cells(loaded);
    let mut changes = Vec::new();
    let mut current: Option<Vec<Decision>> = None;
    for at in instants {
        let decisions = ask::decide_all(loaded, workers, &cells, action, at);
        if let Some(before) = &current {
            for ((deployment, old), new) in deployments.iter().zip(before).zip(&decisions) {
                if !same_answer(old, new) {
                    changes.push(Change::new(
                        deployment.clone(),
                        Step::new(Some(old), new.clone()),
                    ));
                }
            }
        }
        current = Some(decisions);
    }
    Ok(changes)
}

/// `from`, then every instant in `(from, until)` at which an answer can
/// change.
fn turning_points(loaded: &Loaded, from: Instant, until: Instant) -> Result<Vec<Instant>> {
    if from >= until {
        return Err(Error::new(
            ErrorKind::InvalidValue,
            format!("timeline: `from` ({from}) is not before `until` ({until})"),
        ));
    }
    let inventory = &loaded.inventory;
    let mut points: BTreeSet<Instant> = loaded.policies.time_turns()?;
    points.extend(loaded.corporate.boundaries().iter().copied());
    for waiver in &inventory.waivers {
        points.extend(waiver.from);
        points.insert(waiver.until);
    }
    points.extend(inventory.authorisations.iter().filter_map(|a| a.lapses));
    let inside = points.range(from..until).filter(|&&at| at != from).copied();
    Ok(std::iter::once(from).chain(inside).collect())
}
