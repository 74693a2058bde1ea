//! Asking questions of a loaded engine at an instant: one, many cells, or a
//! whole matrix. The instant picks the period of the corporate structure;
//! if its entities could not be built, every answer is Deny with the error.

use super::batch::Batch;
use super::loaded::Loaded;
use super::matrix::Matrix;
use super::workers::Workers;
use crate::decision::{Asked, Decision};
use crate::error::Error;
use crate::model::{Action, Instant};

/// One question, by index.
pub(super) fn decide(
    loaded: &Loaded,
    system: usize,
    action: Action,
    release: usize,
    at: Instant,
) -> Decision {
    match loaded.epoch(at) {
        Ok(epoch) => Batch::new(loaded, epoch, at).decide(system, action, release),
        Err(error) => failed(loaded, system, action, release, at, error),
    }
}

/// `(system, release)` cells, in order.
pub(super) fn decide_all(
    loaded: &Loaded,
    workers: &Workers,
    cells: &[(usize, usize)],
    action: Action,
    at: Instant,
) -> Vec<Decision> {
    match loaded.epoch(at) {
        Ok(epoch) => Batch::new(loaded, epoch, at).decide_all(cells, action, workers),
        Err(error) => cells
            .iter()
            .map(|&(system, release)| failed(loaded, system, action, release, at, error))
            .collect(),
    }
}

/// Every release against every system.
pub(super) fn matrix(loaded: &Loaded, workers: &Workers, action: Action, at: Instant) -> Matrix {
    let inventory = &loaded.inventory;
    let systems = inventory.systems.len();
    let cells: Vec<(usize, usize)> = (0..inventory.releases.len())
        .flat_map(|r| (0..systems).map(move |s| (s, r)))
        .collect();
    let decisions = decide_all(loaded, workers, &cells, action, at);
    Matrix::new(
        inventory.releases.iter().map(|r| r.id.clone()).collect(),
        inventory.systems.iter().map(|s| s.id.clone()).collect(),
        decisions,
    )
}

/// The `(system, release)` cell of every deployment, in inventory order.
pub(super) fn deployment_cells(loaded: &Loaded) -> Vec<(usize, usize)> {
    loaded
        .inventory
        .deployments
        .iter()
        .map(|d| {
            (
                loaded.system_index[d.system.as_str()],
                loaded.release_index[d.release.as_str()],
            )
        })
        .collect()
}

/// Deny, with the error that kept the question from being asked.
fn failed(
    loaded: &Loaded,
    system: usize,
    action: Action,
    release: usize,
    at: Instant,
    error: &Error,
) -> Decision {
    let inventory = &loaded.inventory;
    let asked = Asked {
        system: inventory.systems[system].id.clone(),
        action,
        release: inventory.releases[release].id.clone(),
        at,
    };
    Decision::failed(asked, error.to_string())
}
