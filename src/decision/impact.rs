//! The impact of a policy change: the questions whose answers differ between
//! two policy sets over one inventory, grouped by the rules that make the
//! difference.
//!
//! A [`Difference`] is one question answered two ways; an answer differs
//! when its verdict, deciding rules, advice, waivers used or errors do (as a
//! [`Timeline`](super::Timeline) counts a change). What *makes* the difference
//! is read off the rules that decide or advise on one side only: forbids and
//! advice first, since a permit that stops deciding when a forbid starts is
//! only its consequence; the permits when no forbid or advice differs.

use std::collections::BTreeMap;

use serde::Serialize;

use super::answer::{Decision, Verdict};
use crate::model::{Action, Deployment, Id, Instant};
use crate::policy::Effect;

/// One question answered by the policies before and after a change.
///
/// ```
/// use clearance::{Action, Engine, Inventory, Pack, Policies};
///
/// let mut inventory = Inventory::from_path("examples/article-inventory.json")?;
/// inventory.waivers.clear(); // they name rules of packs left out here
/// let engine = Engine::new(inventory, Policies::from_packs(&[Pack::Baseline])?)?;
/// let after = Policies::from_packs(&[Pack::Baseline, Pack::UkNcsc2017])?;
/// let impact = engine.impact(&after, Action::Deploy, "2018-01-10".parse()?)?;
/// let secret = impact
///     .cells()
///     .iter()
///     .find(|d| d.release().as_str() == "kes-12" && d.system().as_str() == "mod-secret")
///     .unwrap();
/// assert!(secret.verdict_changed());
/// assert_eq!(secret.causes(), ["uk-ncsc-2017/secret-and-above"]);
/// assert_eq!(secret.rules_removed(), ["baseline/permit-unless-forbidden"]);
/// # Ok::<(), clearance::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    release: Id,
    system: Id,
    rules_added: Vec<String>,
    rules_removed: Vec<String>,
    advice_added: Vec<String>,
    advice_removed: Vec<String>,
    causes: Vec<String>,
    before: Decision,
    after: Decision,
}

fn rule_ids(decision: &Decision, effects: &[Effect]) -> Vec<String> {
    decision
        .rules()
        .chain(decision.advice())
        .filter(|r| effects.contains(&r.effect()))
        .map(|r| r.id().to_owned())
        .collect()
}

fn minus(a: &[String], b: &[String]) -> Vec<String> {
    a.iter().filter(|x| !b.contains(x)).cloned().collect()
}

impl Difference {
    pub(crate) fn new(before: Decision, after: Decision) -> Difference {
        let binding = [Effect::Forbid, Effect::Permit];
        let (was, is) = (rule_ids(&before, &binding), rule_ids(&after, &binding));
        let advice = [Effect::Advice];
        let (was_advised, is_advised) = (rule_ids(&before, &advice), rule_ids(&after, &advice));
        let not_permits = [Effect::Forbid, Effect::Advice];
        let (a, b) = (
            rule_ids(&before, &not_permits),
            rule_ids(&after, &not_permits),
        );
        let mut causes = [minus(&b, &a), minus(&a, &b)].concat();
        if causes.is_empty() {
            causes = [minus(&is, &was), minus(&was, &is)].concat();
        }
        causes.sort();
        Difference {
            release: before.asked().release.clone(),
            system: before.asked().system.clone(),
            rules_added: minus(&is, &was),
            rules_removed: minus(&was, &is),
            advice_added: minus(&is_advised, &was_advised),
            advice_removed: minus(&was_advised, &is_advised),
            causes,
            before,
            after,
        }
    }

    /// The release asked about.
    pub fn release(&self) -> &Id {
        &self.release
    }

    /// The system asked about.
    pub fn system(&self) -> &Id {
        &self.system
    }

    /// The decision with the policies before the change.
    pub fn before(&self) -> &Decision {
        &self.before
    }

    /// The decision with the policies after it.
    pub fn after(&self) -> &Decision {
        &self.after
    }

    /// Whether the verdict itself changes.
    pub fn verdict_changed(&self) -> bool {
        self.before.verdict() != self.after.verdict()
    }

    /// Binding rules that decide after the change and not before.
    pub fn rules_added(&self) -> &[String] {
        &self.rules_added
    }

    /// Binding rules that decided before the change and no longer do.
    pub fn rules_removed(&self) -> &[String] {
        &self.rules_removed
    }

    /// Advice that applies after the change and not before.
    pub fn advice_added(&self) -> &[String] {
        &self.advice_added
    }

    /// Advice that applied before the change and no longer does.
    pub fn advice_removed(&self) -> &[String] {
        &self.advice_removed
    }

    /// The rules that make the difference: the forbids and advice that
    /// decide or apply on one side only, or, if there are none, the permits.
    /// Empty when only waivers used or errors differ.
    pub fn causes(&self) -> &[String] {
        &self.causes
    }
}

/// Every question of a matrix and of the deployments whose answer differs
/// between two policy sets, for one action at one instant.
///
/// Built by [`Engine::impact`](crate::Engine::impact), which has an example.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Impact {
    action: Action,
    at: Instant,
    releases: usize,
    systems: usize,
    cells: Vec<Difference>,
    deployments: Vec<(Deployment, Difference)>,
    waivers_left_out: Vec<Id>,
}

impl Impact {
    pub(crate) fn new(
        action: Action,
        at: Instant,
        (releases, systems): (usize, usize),
        cells: Vec<Difference>,
        deployments: Vec<(Deployment, Difference)>,
        waivers_left_out: Vec<Id>,
    ) -> Impact {
        Impact {
            action,
            at,
            releases,
            systems,
            cells,
            deployments,
            waivers_left_out,
        }
    }

    /// The action compared.
    pub fn action(&self) -> Action {
        self.action
    }

    /// The instant compared.
    pub fn at(&self) -> Instant {
        self.at
    }

    /// How many cells the matrix has (releases times systems).
    pub fn cells_compared(&self) -> usize {
        self.releases * self.systems
    }

    /// The cells of the matrix (every release against every system) whose
    /// answer differs, row by row.
    pub fn cells(&self) -> &[Difference] {
        &self.cells
    }

    /// The deployments whose answer differs, asked about the same action
    /// and instant, in inventory order.
    pub fn deployments(&self) -> &[(Deployment, Difference)] {
        &self.deployments
    }

    /// The inventory's waivers that name only rules the new policies lack:
    /// they were left out of the new engine, since they could lift nothing
    /// there (and an engine refuses a waiver naming a rule it lacks).
    pub fn waivers_left_out(&self) -> &[Id] {
        &self.waivers_left_out
    }

    /// The differing cells, grouped by each rule that makes a difference
    /// ([`Difference::causes`]), in rule id order; a cell with several
    /// causes is under each. Cells with none (only waivers or errors differ)
    /// are under the empty string.
    pub fn by_rule(&self) -> BTreeMap<&str, Vec<&Difference>> {
        let mut groups: BTreeMap<&str, Vec<&Difference>> = BTreeMap::new();
        for cell in &self.cells {
            if cell.causes.is_empty() {
                groups.entry("").or_default().push(cell);
            }
            for cause in &cell.causes {
                groups.entry(cause.as_str()).or_default().push(cell);
            }
        }
        groups
    }

    /// How many differing cells go from `from` to `to`.
    pub fn count(&self, from: Verdict, to: Verdict) -> usize {
        self.cells
            .iter()
            .filter(|c| c.before.verdict() == from && c.after.verdict() == to)
            .count()
    }
}
