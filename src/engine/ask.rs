//! Asking questions of a loaded engine at an instant: one, many cells, or a
//! whole matrix. The instant picks the period of the corporate structure;
//! if its entities could not be built, every answer is Deny with the error.

use super::batch::Batch;
use super::loaded::Loaded;
use super::matrix::Matrix;
use super::workers::Workers;
use crate::cedar::mapping::Kind;
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

/// Every release of `releases` against every system of `systems` (by
/// index, each in the order given).
pub(super) fn matrix(
    loaded: &Loaded,
    workers: &Workers,
    action: Action,
    at: Instant,
    releases: &[usize],
    systems: &[usize],
) -> Matrix {
    let inventory = &loaded.inventory;
    let (answers, cells) = match loaded.epoch(at) {
        Ok(epoch) => Batch::new(loaded, epoch, at).matrix(action, releases, systems, workers),
        Err(error) => match (releases.first(), systems.first()) {
            // One failed answer serves every cell: a cell's question is
            // where it stands.
            (Some(&release), Some(&system)) => (
                vec![failed(loaded, system, action, release, at, error)],
                vec![0; releases.len() * systems.len()],
            ),
            _ => (Vec::new(), Vec::new()),
        },
    };
    Matrix::new(
        action,
        at,
        releases
            .iter()
            .map(|&r| inventory.releases[r].id.clone())
            .collect(),
        systems
            .iter()
            .map(|&s| inventory.systems[s].id.clone())
            .collect(),
        answers,
        cells,
    )
}

/// Every release against every system.
pub(super) fn whole_matrix(
    loaded: &Loaded,
    workers: &Workers,
    action: Action,
    at: Instant,
) -> Matrix {
    let inventory = &loaded.inventory;
    let releases: Vec<usize> = (0..inventory.releases.len()).collect();
    let systems: Vec<usize> = (0..inventory.systems.len()).collect();
    matrix(loaded, workers, action, at, &releases, &systems)
}

/// The `(system, release)` cell of every deployment, in inventory order.
pub(super) fn deployment_cells(loaded: &Loaded) -> Vec<(usize, usize)> {
    loaded
        .inventory
        .deployments
        .iter()
        .map(|d| {
            (
                loaded.ids.of(Kind::System)[d.system.as_str()],
                loaded.ids.of(Kind::Release)[d.release.as_str()],
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
