//! The answer to a bulk question: every release against every system (or a
//! row or a column of them), held compactly.
//!
//! A catalogue of 10,000 releases against 10,000 systems is a hundred
//! million questions but few distinct answers: systems, and releases, that
//! look the same to every policy get the same verdict, rules and advice. So a
//! [`Matrix`] keeps each distinct answer once, as the [`Decision`] of the
//! first cell that gave it, and each cell holds only the four-byte number of
//! its answer; a cell's question (its release, its system, the action and
//! the instant) is where it stands. A full decision is put together only
//! when asked for, by [`Matrix::get`], [`Cell::decision`] or
//! [`Matrix::decisions`]; verdicts and rules are read without building one.
//!
//! Answers that depend on the release itself (the chains explaining why a
//! rule applies to it, the waivers it used) are kept per release, so a cell's
//! decision is exactly the one [`crate::Engine::decide`] gives.

use std::collections::HashMap;

use crate::audit::Recorded;
use crate::decision::{Asked, Decision, Verdict};
use crate::model::{Action, Id, Instant};
use crate::policy::Rule;

/// Releases against systems, for one action at one instant: the answer of
/// [`crate::Engine::matrix`] (every release against every system),
/// [`crate::Engine::row`] (one release) and [`crate::Engine::column`] (one
/// system).
///
/// Rows are releases and columns systems, in inventory order. Each cell
/// costs four bytes, plus its share of the distinct answers.
///
/// ```
/// use clearance::{Action, Engine, Inventory, Policies, Verdict};
///
/// let engine = Engine::new(
///     Inventory::from_path("examples/article-inventory.json")?,
///     Policies::all_packs()?,
/// )?;
/// let matrix = engine.matrix(Action::Deploy, "2025-06-01".parse()?);
///
/// // One cell, as a full decision.
/// let decision = matrix.get("kes-12", "mod-secret").unwrap();
/// assert_eq!(decision.verdict(), Verdict::Deny);
///
/// // A row, read without building decisions: where may kes-12 go?
/// let allowed: Vec<&str> = matrix
///     .row("kes-12")
///     .unwrap()
///     .filter(|cell| cell.allowed())
///     .map(|cell| cell.system().as_str())
///     .collect();
/// assert!(!allowed.contains(&"mod-secret"));
///
/// // Only the denials, each with its rules.
/// for cell in matrix.denials().take(3) {
///     println!("{} on {}: {:?}", cell.release(), cell.system(), cell.rule_ids());
/// }
/// # Ok::<(), clearance::Error>(())
/// ```
#[derive(Clone)]
pub struct Matrix {
    action: Action,
    at: Instant,
    releases: Vec<Id>,
    systems: Vec<Id>,
    /// Each distinct answer, as the decision of the first cell that gave it.
    answers: Vec<Decision>,
    /// Each cell's answer, row by row.
    cells: Vec<u32>,
    rows: HashMap<Id, usize>,
    columns: HashMap<Id, usize>,
}

impl Matrix {
    /// `cells[row * systems.len() + column]` is the index in `answers` of the
    /// cell's answer.
    pub(crate) fn new(
        action: Action,
        at: Instant,
        releases: Vec<Id>,
        systems: Vec<Id>,
        mut answers: Vec<Decision>,
        mut cells: Vec<u32>,
    ) -> Matrix {
        debug_assert_eq!(cells.len(), releases.len() * systems.len());
        debug_assert!(cells.iter().all(|&a| (a as usize) < answers.len()));
        // Fail closed: a cell left unanswered (a bug) is Deny, with an error.
        cells.resize(releases.len() * systems.len(), u32::MAX);
        if cells.iter().any(|&a| a as usize >= answers.len()) {
            if let (Some(release), Some(system)) = (releases.first(), systems.first()) {
                let asked = asked(action, at, release, system);
                let unanswered = answers.len() as u32;
                answers.push(Decision::failed(
                    asked,
                    "internal: the engine left this matrix cell unanswered".to_owned(),
                ));
                for cell in &mut cells {
                    if *cell >= unanswered {
                        *cell = unanswered;
                    }
                }
            }
        }
        let index = |ids: &[Id]| {
            ids.iter()
                .cloned()
                .enumerate()
                .map(|(i, id)| (id, i))
                .collect()
        };
        Matrix {
            rows: index(&releases),
            columns: index(&systems),
            action,
            at,
            releases,
            systems,
            answers,
            cells,
        }
    }

    /// The action asked about.
    pub fn action(&self) -> Action {
        self.action
    }

    /// The instant asked about.
    pub fn at(&self) -> Instant {
        self.at
    }

    /// The releases, in inventory order (the rows).
    pub fn releases(&self) -> &[Id] {
        &self.releases
    }

    /// The systems, in inventory order (the columns).
    pub fn systems(&self) -> &[Id] {
        &self.systems
    }

    /// How many cells: releases times systems.
    pub fn len(&self) -> usize {
        self.cells.len()
    }

    /// Whether there is no cell (no release or no system).
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// How many distinct answers the cells share.
    pub fn distinct_answers(&self) -> usize {
        self.answers.len()
    }

    /// One cell, by release and system id.
    pub fn cell(&self, release: &str, system: &str) -> Option<Cell<'_>> {
        let row = *self.rows.get(release)?;
        let column = *self.columns.get(system)?;
        Some(self.at_position(row, column))
    }

    /// The decision for one cell, put together on demand.
    pub fn get(&self, release: &str, system: &str) -> Option<Decision> {
        self.cell(release, system).map(|cell| cell.decision())
    }

    /// The verdict for one cell, without building its decision.
    pub fn verdict(&self, release: &str, system: &str) -> Option<Verdict> {
        self.cell(release, system).map(|cell| cell.verdict())
    }

    /// Every cell, row by row.
    pub fn cells(&self) -> impl ExactSizeIterator<Item = Cell<'_>> + '_ {
        let width = self.systems.len();
        (0..self.cells.len()).map(move |i| self.at_position(i / width, i % width))
    }

    /// The cells of one release, system by system; `None` if the release is
    /// not a row of this matrix.
    pub fn row(&self, release: &str) -> Option<impl ExactSizeIterator<Item = Cell<'_>> + '_> {
        let row = *self.rows.get(release)?;
        Some((0..self.systems.len()).map(move |column| self.at_position(row, column)))
    }

    /// The cells of one system, release by release; `None` if the system is
    /// not a column of this matrix.
    pub fn column(&self, system: &str) -> Option<impl ExactSizeIterator<Item = Cell<'_>> + '_> {
        let column = *self.columns.get(system)?;
        Some((0..self.releases.len()).map(move |row| self.at_position(row, column)))
    }

    /// The cells whose verdict is Deny, row by row.
    pub fn denials(&self) -> impl Iterator<Item = Cell<'_>> + '_ {
        self.cells().filter(|cell| !cell.allowed())
    }

    /// Every decision, row by row, each put together as it is reached.
    pub fn decisions(&self) -> impl ExactSizeIterator<Item = Decision> + '_ {
        self.cells().map(|cell| cell.decision())
    }

    /// Every decision, row by row.
    pub fn into_decisions(self) -> Vec<Decision> {
        self.decisions().collect()
    }

    /// The cell at a row and a column.
    pub(crate) fn at_position(&self, row: usize, column: usize) -> Cell<'_> {
        let answer = self.cells[row * self.systems.len() + column];
        Cell {
            matrix: self,
            row,
            column,
            answer: &self.answers[answer as usize],
        }
    }
}

// A matrix may have a hundred million cells: its shape, not its cells.
impl std::fmt::Debug for Matrix {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Matrix")
            .field("action", &self.action)
            .field("at", &self.at)
            .field("releases", &self.releases.len())
            .field("systems", &self.systems.len())
            .field("distinct_answers", &self.answers.len())
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for Cell<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cell")
            .field("release", self.release())
            .field("system", self.system())
            .field("verdict", &self.verdict())
            .field("rules", &self.rule_ids())
            .finish_non_exhaustive()
    }
}

impl Recorded for Matrix {
    fn each(&self, visit: &mut dyn FnMut(&Decision) -> std::io::Result<()>) -> std::io::Result<()> {
        self.decisions().try_for_each(|decision| visit(&decision))
    }

    fn tally(&self) -> Vec<(&Decision, usize)> {
        let mut counts = vec![0usize; self.answers.len()];
        for &answer in &self.cells {
            counts[answer as usize] += 1;
        }
        self.answers.iter().zip(counts).collect()
    }

    /// Every cell fails alike: failing the answers they share fails them all.
    fn fail(&mut self, error: &str) {
        for answer in &mut self.answers {
            answer.fail(error.to_owned());
        }
    }
}

/// One cell of a [`Matrix`]: a release against a system. Its verdict and
/// rules are read from the answer it shares; [`Cell::decision`] puts its own
/// decision together.
#[derive(Clone, Copy)]
pub struct Cell<'m> {
    matrix: &'m Matrix,
    row: usize,
    column: usize,
    answer: &'m Decision,
}

impl<'m> Cell<'m> {
    /// The release (the row).
    pub fn release(&self) -> &'m Id {
        &self.matrix.releases[self.row]
    }

    /// The system (the column).
    pub fn system(&self) -> &'m Id {
        &self.matrix.systems[self.column]
    }

    /// Allow or Deny.
    pub fn verdict(&self) -> Verdict {
        self.answer.verdict()
    }

    /// Whether the verdict is Allow.
    pub fn allowed(&self) -> bool {
        self.answer.allowed()
    }

    /// The rules that decided it, as [`Decision::rules`].
    pub fn rules(&self) -> impl ExactSizeIterator<Item = &'m Rule> {
        self.answer.rules()
    }

    /// The ids of the rules that decided it.
    pub fn rule_ids(&self) -> Vec<&'m str> {
        self.answer.rule_ids()
    }

    /// The advice that applies, as [`Decision::advice`].
    pub fn advice(&self) -> impl ExactSizeIterator<Item = &'m Rule> {
        self.answer.advice()
    }

    /// Problems met while evaluating (any makes the verdict Deny).
    pub fn errors(&self) -> &'m [String] {
        self.answer.errors()
    }

    /// The answer the cell shares, whose question is another cell's.
    pub(crate) fn shared(&self) -> &'m Decision {
        self.answer
    }

    /// The cell's full decision, as [`crate::Engine::decide`] gives it.
    pub fn decision(&self) -> Decision {
        let asked = asked(
            self.matrix.action,
            self.matrix.at,
            self.release(),
            self.system(),
        );
        self.answer.clone().with_asked(asked)
    }
}

/// The question of a cell.
fn asked(action: Action, at: Instant, release: &Id, system: &Id) -> Asked {
    Asked {
        system: system.clone(),
        action,
        release: release.clone(),
        at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Engine, Inventory, Policies};

    fn engine() -> Engine {
        Engine::new(
            Inventory::from_path("examples/article-inventory.json").unwrap(),
            Policies::all_packs().unwrap(),
        )
        .unwrap()
    }

    fn matrix() -> Matrix {
        engine().matrix(Action::Deploy, "2025-06-01".parse().unwrap())
    }

    #[test]
    fn engine_rows_and_columns_are_the_matrix_s() {
        let engine = engine();
        for at in ["2018-01-10", "2025-06-01"] {
            let at = at.parse().unwrap();
            let matrix = engine.matrix(Action::Deploy, at);
            for release in matrix.releases() {
                let row = engine.row(release.as_str(), Action::Deploy, at).unwrap();
                assert_eq!(row.releases(), std::slice::from_ref(release));
                let expected: Vec<Decision> = matrix
                    .row(release.as_str())
                    .unwrap()
                    .map(|c| c.decision())
                    .collect();
                assert_eq!(row.into_decisions(), expected);
            }
            for system in matrix.systems() {
                let column = engine.column(system.as_str(), Action::Deploy, at).unwrap();
                let expected: Vec<Decision> = matrix
                    .column(system.as_str())
                    .unwrap()
                    .map(|c| c.decision())
                    .collect();
                assert_eq!(column.into_decisions(), expected);
            }
        }
        let unknown = engine.row(
            "no-such-release",
            Action::Deploy,
            "2025-06-01".parse().unwrap(),
        );
        assert_eq!(
            unknown.unwrap_err().kind(),
            crate::ErrorKind::UnknownRelease
        );
        let unknown = engine.column(
            "no-such-system",
            Action::Deploy,
            "2025-06-01".parse().unwrap(),
        );
        assert_eq!(unknown.unwrap_err().kind(), crate::ErrorKind::UnknownSystem);
    }

    #[test]
    fn rows_columns_and_denials_are_views_of_the_same_cells() {
        let matrix = matrix();
        let width = matrix.systems().len();
        assert_eq!(matrix.len(), matrix.releases().len() * width);
        let all: Vec<(String, String, Verdict)> = matrix
            .cells()
            .map(|c| (c.release().to_string(), c.system().to_string(), c.verdict()))
            .collect();
        for (i, release) in matrix.releases().iter().enumerate() {
            let row: Vec<_> = matrix
                .row(release.as_str())
                .unwrap()
                .map(|c| (c.release().to_string(), c.system().to_string(), c.verdict()))
                .collect();
            assert_eq!(row, all[i * width..(i + 1) * width]);
        }
        for (j, system) in matrix.systems().iter().enumerate() {
            let column: Vec<_> = matrix
                .column(system.as_str())
                .unwrap()
                .map(|c| (c.release().to_string(), c.system().to_string(), c.verdict()))
                .collect();
            let expected: Vec<_> = all.iter().skip(j).step_by(width).cloned().collect();
            assert_eq!(column, expected);
        }
        let denied = all.iter().filter(|c| c.2 == Verdict::Deny).count();
        assert!(denied > 0 && denied < all.len());
        assert_eq!(matrix.denials().count(), denied);
        assert!(matrix.denials().all(|c| !c.allowed()));
        assert!(matrix.row("no-such-release").is_none());
        assert!(matrix.column("no-such-system").is_none());
        assert!(matrix.get("kes-12", "no-such-system").is_none());
    }

    #[test]
    fn a_cell_s_decision_answers_its_own_question() {
        let matrix = matrix();
        assert!(matrix.distinct_answers() < matrix.len());
        for cell in matrix.cells() {
            let decision = cell.decision();
            assert_eq!(decision.asked().release, *cell.release());
            assert_eq!(decision.asked().system, *cell.system());
            assert_eq!(decision.asked().action, matrix.action());
            assert_eq!(decision.asked().at, matrix.at());
            assert_eq!(decision.verdict(), cell.verdict());
            assert_eq!(decision.rule_ids(), cell.rule_ids());
        }
    }

    #[test]
    fn debug_shows_the_shape_not_the_cells() {
        let matrix = matrix();
        let shown = format!("{matrix:?}");
        assert!(shown.contains("distinct_answers"), "{shown}");
        assert!(shown.len() < 200, "{shown}");
        let cell = matrix.cells().next().unwrap();
        assert!(format!("{cell:?}").len() < 300);
    }
}
