//! The impact of a policy change, worked out with the bulk engine: two
//! matrices over one inventory, compared cell by cell.

use std::collections::HashMap;

use super::ask;
use super::loaded::Loaded;
use super::workers::Workers;
use crate::decision::{same_answer, Decision, Difference, Impact};
use crate::model::{Action, Id, Instant, Inventory};
use crate::policy::Policies;

/// Keeps, of each waiver, the rules `after` tests; drops the waivers left
/// with none, and returns their ids.
pub(super) fn leave_out_waivers(inventory: &mut Inventory, after: &Policies) -> Vec<Id> {
    let keys = after.waiver_keys();
    let mut left_out = Vec::new();
    inventory.waivers.retain_mut(|waiver| {
        waiver.rules.retain(|rule| keys.contains(rule.as_str()));
        let keep = !waiver.rules.is_empty();
        if !keep {
            left_out.push(waiver.id.clone());
        }
        keep
    });
    left_out
}

/// The differences between two engines over the same inventory (same
/// systems and releases, in the same order).
pub(super) fn compare(
    before: &Loaded,
    after: &Loaded,
    workers: &Workers,
    action: Action,
    at: Instant,
    waivers_left_out: Vec<Id>,
) -> Impact {
    let (before_matrix, after_matrix) = (
        ask::whole_matrix(before, workers, action, at),
        ask::whole_matrix(after, workers, action, at),
    );
    let shape = (
        before_matrix.releases().len(),
        before_matrix.systems().len(),
    );
    let differ = |before: &Decision, after: &Decision| {
        (!same_answer(before, after)).then(|| Difference::new(before.clone(), after.clone()))
    };
    // Cells share answers, so each pair of answers is compared once.
    let mut same: HashMap<(*const Decision, *const Decision), bool> = HashMap::new();
    let cells: Vec<Difference> = before_matrix
        .cells()
        .zip(after_matrix.cells())
        .filter(|(b, a)| {
            let (b, a) = (b.shared(), a.shared());
            !*same
                .entry((b as *const _, a as *const _))
                .or_insert_with(|| same_answer(b, a))
        })
        .map(|(b, a)| Difference::new(b.decision(), a.decision()))
        .collect();

    let pairs = ask::deployment_cells(before);
    let (before_answers, after_answers): (Vec<Decision>, Vec<Decision>) =
        if action == Action::Operate {
            // The sweep's questions are cells of the matrix.
            let pick = |m: &super::matrix::Matrix| {
                pairs
                    .iter()
                    .map(|&(s, r)| m.at_position(r, s).decision())
                    .collect()
            };
            (pick(&before_matrix), pick(&after_matrix))
        } else {
            (
                ask::decide_all(before, workers, &pairs, action, at),
                ask::decide_all(after, workers, &pairs, action, at),
            )
        };
    let deployments = before
        .inventory
        .deployments
        .iter()
        .zip(before_answers.iter().zip(&after_answers))
        .filter_map(|(d, (before, after))| differ(before, after).map(|diff| (d.clone(), diff)))
        .collect();
    Impact::new(action, at, shape, cells, deployments, waivers_left_out)
}
