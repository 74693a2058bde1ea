//! The answer to a bulk question: every release against every system.

use crate::decision::Decision;
use crate::model::Id;

/// Every release against every system, for one action at one instant.
#[derive(Debug, Clone)]
pub struct Matrix {
    releases: Vec<Id>,
    systems: Vec<Id>,
    decisions: Vec<Decision>,
}

impl Matrix {
    /// The cells are row by row: `decisions[row * systems.len() + column]`.
    pub(crate) fn new(releases: Vec<Id>, systems: Vec<Id>, decisions: Vec<Decision>) -> Matrix {
        Matrix {
            releases,
            systems,
            decisions,
        }
    }

    /// The releases, in inventory order (the rows).
    pub fn releases(&self) -> &[Id] {
        &self.releases
    }

    /// The systems, in inventory order (the columns).
    pub fn systems(&self) -> &[Id] {
        &self.systems
    }

    /// The decision for one cell.
    pub fn get(&self, release: &str, system: &str) -> Option<&Decision> {
        let row = self.releases.iter().position(|r| r.as_str() == release)?;
        let column = self.systems.iter().position(|s| s.as_str() == system)?;
        self.decisions.get(row * self.systems.len() + column)
    }

    /// Every decision, row by row.
    pub fn decisions(&self) -> &[Decision] {
        &self.decisions
    }

    pub(crate) fn decisions_mut(&mut self) -> &mut [Decision] {
        &mut self.decisions
    }

    /// Every decision, row by row, without copying.
    pub fn into_decisions(self) -> Vec<Decision> {
        self.decisions
    }
}
