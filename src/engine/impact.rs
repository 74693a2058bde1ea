//! The impact of a policy change, worked out with the bulk engine: two
//! matrices over one inventory, compared cell by cell.

use super::Engine;
use crate::decision::{same_answer, Decision, Difference, Impact};
use crate::error::Result;
use crate::model::{Action, Instant};
use crate::policy::Policies;

impl Engine {
    /// What changing this engine's policies to `after` would change, for
    /// `action` as of `at`: every cell of the matrix (every release against
    /// every system) and every deployment whose answer differs, with the
    /// rules that make the difference ([`Impact::by_rule`]).
    ///
    /// The new engine is built over the same inventory. Waivers that name
    /// only rules `after` lacks are left out of it, and listed in
    /// [`Impact::waivers_left_out`]; a waiver naming some rules `after` keeps
    /// loses only the others. It costs two matrices (and, unless `action` is
    /// [`Action::Operate`], two sweeps), answered with the engines' threads.
    ///
    /// ```
    /// use clearance::{Action, Engine, Inventory, Pack, Policies, Verdict};
    ///
    /// // What would the NCSC's advice change, on top of every other pack?
    /// let inventory = Inventory::from_path("examples/article-inventory.json")?;
    /// let mut packs: Vec<Pack> = Pack::ALL.to_vec();
    /// packs.retain(|p| *p != Pack::UkNcsc2017);
    /// let engine = Engine::new(inventory, Policies::from_packs(&packs)?)?;
    ///
    /// let impact = engine.impact(&Policies::all_packs()?, Action::Deploy, "2025-06-01".parse()?)?;
    /// assert!(impact.count(Verdict::Allow, Verdict::Deny) > 0);
    /// assert_eq!(impact.count(Verdict::Deny, Verdict::Allow), 0);
    /// assert!(impact.by_rule().keys().all(|rule| rule.starts_with("uk-ncsc-2017/")));
    /// let (deployment, difference) = &impact.deployments()[0];
    /// assert_eq!(deployment.system.as_str(), "fco-official");
    /// assert!(difference.rules_added().contains(&"uk-ncsc-2017/national-security-assessed".to_owned()));
    /// # Ok::<(), clearance::Error>(())
    /// ```
    ///
    /// # Errors
    /// Those of [`Engine::new`] for the new engine (other than the waivers
    /// it leaves out).
    pub fn impact(&self, after: &Policies, action: Action, at: Instant) -> Result<Impact> {
        let keys = after.waiver_keys();
        let mut inventory = self.inventory().clone();
        let mut left_out = Vec::new();
        inventory.waivers.retain_mut(|waiver| {
            waiver.rules.retain(|rule| keys.contains(rule.as_str()));
            let keep = !waiver.rules.is_empty();
            if !keep {
                left_out.push(waiver.id.clone());
            }
            keep
        });
        let mut other = Engine::new(inventory, after.clone())?;
        other.set_threads(self.workers.threads());

        let (before_matrix, after_matrix) = (self.matrix(action, at), other.matrix(action, at));
        let shape = (
            before_matrix.releases().len(),
            before_matrix.systems().len(),
        );
        let systems = shape.1;
        let cell_of = |system: usize, release: usize| release * systems + system;
        let differ = |before: &Decision, after: &Decision| {
            (!same_answer(before, after)).then(|| Difference::new(before.clone(), after.clone()))
        };
        let cells: Vec<Difference> = before_matrix
            .decisions()
            .iter()
            .zip(after_matrix.decisions())
            .filter_map(|(before, after)| differ(before, after))
            .collect();

        let loaded = &self.loaded;
        let deployments = &loaded.inventory.deployments;
        let pairs: Vec<(usize, usize)> = deployments
            .iter()
            .map(|d| {
                (
                    loaded.system_index[d.system.as_str()],
                    loaded.release_index[d.release.as_str()],
                )
            })
            .collect();
        let (before_answers, after_answers): (Vec<Decision>, Vec<Decision>) =
            if action == Action::Operate {
                // The sweep's questions are cells of the matrix.
                let pick = |m: &super::Matrix| {
                    pairs
                        .iter()
                        .map(|&(s, r)| m.decisions()[cell_of(s, r)].clone())
                        .collect()
                };
                (pick(&before_matrix), pick(&after_matrix))
            } else {
                (
                    self.decide_all(&pairs, action, at),
                    other.decide_all(&pairs, action, at),
                )
            };
        let changed_deployments = deployments
            .iter()
            .zip(before_answers.iter().zip(&after_answers))
            .filter_map(|(d, (before, after))| differ(before, after).map(|diff| (d.clone(), diff)))
            .collect();
        Ok(Impact::new(
            action,
            at,
            shape,
            cells,
            changed_deployments,
            left_out,
        ))
    }
}
