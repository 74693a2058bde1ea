//! Bulk answers: `Decisions` (a sweep's, or `decide_many`'s) and `Matrix`
//! (every release against every system). Each holds its Rust decisions once
//! and hands them out as `Decision` objects sharing that storage, or turns
//! them all at once into dicts, columns or Arrow buffers with the shared
//! objects of `tables`. Uses `decision` and `tables`; knows nothing of the
//! engine.

use std::sync::{Arc, OnceLock};

use clearance::{Action, Approval, Chain, Decision, Holding, Id, Instant, Link, Rule, Verdict};
use pyo3::exceptions::{PyIndexError, PyTypeError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyDict, PyList, PySlice, PyTuple};
use serde::{Deserialize, Serialize};

use crate::convert::{instant_to_py, pause_gc, reducer};
use crate::decision::{decision_dict, from_state_bytes, state_bytes, PyDecision, PyRule};
use crate::errors::{raise, Error};
use crate::tables::{ChainTable, Dictionary, FastMap, RuleTable, Tables};

/// The decisions of a bulk answer, and what every form of it needs.
pub(crate) struct Cells {
    decisions: Arc<Vec<Decision>>,
}

impl Cells {
    pub(crate) fn new(decisions: Vec<Decision>) -> Cells {
        Cells {
            decisions: Arc::new(decisions),
        }
    }

    fn len(&self) -> usize {
        self.decisions.len()
    }

    fn decision(&self, index: usize) -> PyDecision {
        PyDecision::shared(&self.decisions, index)
    }

    /// `self[index]`: a `Decision` for an int (negative from the end), a
    /// list of them for a slice.
    fn item<'py>(&self, index: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let py = index.py();
        if let Ok(slice) = index.cast::<PySlice>() {
            let indices = slice.indices(self.len() as isize)?;
            let mut items = Vec::with_capacity(indices.slicelength);
            let mut at = indices.start;
            for _ in 0..indices.slicelength {
                items.push(Bound::new(py, self.decision(at as usize))?);
                at += indices.step;
            }
            return Ok(PyList::new(py, items)?.into_any());
        }
        let position: isize = index.extract().map_err(|_| {
            PyTypeError::new_err(format!(
                "indices must be integers or slices, not {}",
                index
                    .get_type()
                    .name()
                    .map(|n| n.to_string())
                    .unwrap_or_default()
            ))
        })?;
        let len = self.len() as isize;
        let at = if position < 0 {
            position + len
        } else {
            position
        };
        if !(0..len).contains(&at) {
            return Err(PyIndexError::new_err("index out of range"));
        }
        Ok(Bound::new(py, self.decision(at as usize))?.into_any())
    }

    fn iter(&self) -> DecisionIterator {
        DecisionIterator {
            decisions: Arc::clone(&self.decisions),
            left: 0..self.len(),
            reversed: false,
        }
    }

    fn reversed(&self) -> DecisionIterator {
        DecisionIterator {
            reversed: true,
            ..self.iter()
        }
    }

    /// The positions, from `start` to `stop` (as `list.index` takes them),
    /// of the decisions equal to `value`.
    fn positions<'s>(
        &'s self,
        value: &Bound<'_, PyAny>,
        start: isize,
        stop: isize,
    ) -> impl Iterator<Item = usize> + 's {
        let wanted = value
            .cast::<PyDecision>()
            .ok()
            .map(|d| d.get().inner().clone());
        let len = self.len() as isize;
        let clamp = |i: isize| (if i < 0 { i + len } else { i }).clamp(0, len) as usize;
        let (start, stop) = (clamp(start), clamp(stop));
        (start..stop.max(start)).filter(move |&i| wanted.as_ref() == Some(&self.decisions[i]))
    }

    /// Equal to another answer of the same kind (compared by the caller) or
    /// to a list or tuple of equal decisions.
    fn eq_sequence(&self, other: &Bound<'_, PyAny>) -> PyResult<Option<bool>> {
        let items: Vec<Bound<'_, PyAny>> = if let Ok(list) = other.cast::<PyList>() {
            list.iter().collect()
        } else if let Ok(tuple) = other.cast::<PyTuple>() {
            tuple.iter().collect()
        } else {
            return Ok(None);
        };
        if items.len() != self.len() {
            return Ok(Some(false));
        }
        for (mine, theirs) in self.decisions.iter().zip(&items) {
            match theirs.cast::<PyDecision>() {
                Ok(theirs) if theirs.get().inner() == mine => {}
                _ => return Ok(Some(false)),
            }
        }
        Ok(Some(true))
    }

    fn counts(&self) -> (usize, usize) {
        let allowed = self.decisions.iter().filter(|d| d.allowed()).count();
        (allowed, self.len() - allowed)
    }

    fn to_dicts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let _paused = pause_gc(py)?;
        let mut tables = Tables::new(py);
        let dicts = self
            .decisions
            .iter()
            .map(|d| decision_dict(&mut tables, d))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, dicts)
    }

    fn to_columns<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let n = self.len();
        let mut tables = Tables::new(py);
        let mut columns: [Vec<Bound<'py, PyAny>>; 11] =
            std::array::from_fn(|_| Vec::with_capacity(n));
        let yes = pyo3::types::PyBool::new(py, true).to_owned().into_any();
        let no = pyo3::types::PyBool::new(py, false).to_owned().into_any();
        for decision in self.decisions.iter() {
            let asked = decision.asked();
            let [system, action, release, at, verdict, allowed, rules, advice, waivers, errors, chains] =
                &mut columns;
            system.push(tables.id(&asked.system).into_any());
            action.push(tables.action(asked.action).into_any());
            release.push(tables.id(&asked.release).into_any());
            at.push(tables.at(asked.at)?);
            verdict.push(tables.verdict(decision.verdict()).into_any());
            allowed.push(if decision.allowed() {
                yes.clone()
            } else {
                no.clone()
            });
            rules.push(tables.rule_tuple(decision.rules())?.into_any());
            advice.push(tables.rule_tuple(decision.advice())?.into_any());
            waivers.push(tables.id_tuple(decision.waivers())?.into_any());
            errors.push(tables.error_tuple(decision.errors())?.into_any());
            chains.push(tables.chain_tuple(decision.chains())?.into_any());
        }
        let dict = PyDict::new(py);
        for (name, column) in COLUMNS.iter().zip(columns) {
            dict.set_item(name, PyList::new(py, column)?)?;
        }
        Ok(dict)
    }

    /// Every rule named (deciding, or as advice), by id, in the order first met.
    fn rules<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let mut table = RuleTable::default();
        for decision in self.decisions.iter() {
            for rule in decision.rules().chain(decision.advice()) {
                table.index(rule);
            }
        }
        let dict = PyDict::new(py);
        for rule in table.rules {
            dict.set_item(rule.id(), PyRule::new(rule))?;
        }
        Ok(dict)
    }

    /// The buffers and dictionaries `clearance._arrow` builds a record batch from.
    fn arrow_parts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let parts = py.detach(|| ArrowParts::of(&self.decisions));
        parts.into_py(py)
    }

    fn state(&self) -> CellsState {
        let mut rules = RuleTable::default();
        let mut chains = ChainTable::default();
        let mut holdings = Numbered::default();
        let mut approvals = Numbered::default();
        let mut explained = Vec::new();
        let mut approved = Vec::new();
        let cells = self
            .decisions
            .iter()
            .enumerate()
            .map(|(i, decision)| {
                if !decision.non_enforcement().is_empty() || !decision.holdings().is_empty() {
                    explained.push(Explained(
                        i as u32,
                        decision.non_enforcement().to_vec(),
                        decision
                            .holdings()
                            .iter()
                            .map(|h| holdings.index(h))
                            .collect(),
                    ));
                }
                if !decision.approvals().is_empty() {
                    approved.push(Approved(
                        i as u32,
                        decision
                            .approvals()
                            .iter()
                            .map(|a| approvals.index(a))
                            .collect(),
                    ));
                }
                let asked = decision.asked();
                CellState(
                    asked.system.clone(),
                    asked.action,
                    asked.release.clone(),
                    asked.at.unix_millis(),
                    decision.allowed(),
                    decision.rules().map(|r| rules.index(r)).collect(),
                    decision.advice().map(|r| rules.index(r)).collect(),
                    decision.waivers().to_vec(),
                    decision.errors().to_vec(),
                    decision.chains().iter().map(|c| chains.index(c)).collect(),
                )
            })
            .collect();
        CellsState {
            rules: rules.rules.into_iter().cloned().collect(),
            chains: chains
                .chains
                .into_iter()
                .map(|c| c.links().to_vec())
                .collect(),
            cells,
            holdings: holdings.values.into_iter().cloned().collect(),
            explained,
            approvals: approvals.values.into_iter().cloned().collect(),
            approved,
        }
    }
}

/// The distinct holdings (or approvals) of an answer's decisions, numbered.
struct Numbered<'a, T> {
    by_address: FastMap<usize, u32>,
    by_value: FastMap<&'a T, u32>,
    values: Vec<&'a T>,
}

impl<T> Default for Numbered<'_, T> {
    fn default() -> Self {
        Numbered {
            by_address: FastMap::default(),
            by_value: FastMap::default(),
            values: Vec::new(),
        }
    }
}

impl<'a, T: Eq + std::hash::Hash> Numbered<'a, T> {
    fn index(&mut self, value: &'a T) -> u32 {
        let address = value as *const T as usize;
        if let Some(&index) = self.by_address.get(&address) {
            return index;
        }
        let next = self.values.len() as u32;
        let index = *self.by_value.entry(value).or_insert(next);
        if index == next {
            self.values.push(value);
        }
        self.by_address.insert(address, index);
        index
    }
}

/// The columns of `to_columns`: `Decision.to_dict`'s keys, in its order, up
/// to `chains` (`non_enforcement`, `holdings` and `approvals` are in
/// `to_dicts` and the decisions, not in the columns).
const COLUMNS: [&str; 11] = [
    "system", "action", "release", "at", "verdict", "allowed", "rules", "advice", "waivers",
    "errors", "chains",
];

/// A bulk answer as it is pickled: each rule, chain, holding and approval
/// once, each decision naming them by number. The few decisions with waivers
/// of non-enforcement or holdings are listed apart (`explained`), as are
/// those naming Conditional Approvals (`approved`); these lists are left out
/// when empty, so that answers pickled before they existed still load.
#[derive(Serialize, Deserialize)]
pub(crate) struct CellsState {
    rules: Vec<Rule>,
    chains: Vec<Vec<Link>>,
    cells: Vec<CellState>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    holdings: Vec<Holding>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    explained: Vec<Explained>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    approvals: Vec<Approval>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    approved: Vec<Approved>,
}

/// A decision's number in `cells`, its waivers of non-enforcement and its
/// holdings (numbers in `holdings`).
#[derive(Serialize, Deserialize)]
struct Explained(u32, Vec<Id>, Vec<u32>);

/// A decision's number in `cells` and its Conditional Approvals (numbers in
/// `approvals`).
#[derive(Serialize, Deserialize)]
struct Approved(u32, Vec<u32>);

/// System, action, release, instant (Unix milliseconds), allowed, rules,
/// advice (numbers in `rules`), waivers, errors, chains (numbers in `chains`).
#[derive(Serialize, Deserialize)]
struct CellState(
    Id,
    Action,
    Id,
    i64,
    bool,
    Vec<u32>,
    Vec<u32>,
    Vec<Id>,
    Vec<String>,
    Vec<u32>,
);

impl CellsState {
    fn into_decisions(self) -> Result<Vec<Decision>, String> {
        let CellsState {
            rules,
            chains,
            cells,
            holdings,
            explained,
            approvals,
            approved,
        } = self;
        let rule = |i: &u32| {
            rules
                .get(*i as usize)
                .cloned()
                .ok_or_else(|| format!("rule {i} is not in the table"))
        };
        let chain = |i: &u32| {
            chains
                .get(*i as usize)
                .map(|links| Chain::new(links.clone()))
                .ok_or_else(|| format!("chain {i} is not in the table"))
        };
        let mut decisions = cells
            .into_iter()
            .map(
                |CellState(
                    system,
                    action,
                    release,
                    at,
                    allowed,
                    deciding,
                    advice,
                    waivers,
                    errors,
                    chained,
                )| {
                    Ok(Decision::from_parts(
                        clearance::Asked {
                            system,
                            action,
                            release,
                            at: Instant::from_unix_millis(at)
                                .ok_or_else(|| format!("instant {at} is out of range"))?,
                        },
                        if allowed {
                            Verdict::Allow
                        } else {
                            Verdict::Deny
                        },
                        deciding.iter().map(rule).collect::<Result<_, _>>()?,
                        advice.iter().map(rule).collect::<Result<_, _>>()?,
                        waivers,
                        errors,
                        chained.iter().map(chain).collect::<Result<_, _>>()?,
                    ))
                },
            )
            .collect::<Result<Vec<_>, String>>()?;
        for Explained(cell, non_enforcement, held) in explained {
            let holdings = from_table(&holdings, &held, "holding")?;
            let decision = decisions
                .get_mut(cell as usize)
                .ok_or_else(|| format!("decision {cell} is not in the answer"))?;
            *decision = decision
                .clone()
                .with_non_enforcement(non_enforcement)
                .with_holdings(holdings);
        }
        for Approved(cell, held) in approved {
            let held = from_table(&approvals, &held, "approval")?;
            let decision = decisions
                .get_mut(cell as usize)
                .ok_or_else(|| format!("decision {cell} is not in the answer"))?;
            *decision = decision.clone().with_approvals(held);
        }
        Ok(decisions)
    }
}

/// The entries of `table` numbered `numbers`, or which number is missing.
fn from_table<T: Clone>(table: &[T], numbers: &[u32], what: &str) -> Result<Vec<T>, String> {
    numbers
        .iter()
        .map(|&i| {
            table
                .get(i as usize)
                .cloned()
                .ok_or_else(|| format!("{what} {i} is not in the table"))
        })
        .collect()
}

fn decisions_from_state(py: Python<'_>, state: CellsState) -> PyResult<Vec<Decision>> {
    py.detach(|| state.into_decisions())
        .map_err(|problem| raise::<Error>(py, "json", format!("unpickling decisions: {problem}")))
}

/// The Arrow form of a bulk answer, as little-endian buffers (Arrow's
/// layout) and the dictionaries they index.
struct ArrowParts {
    length: usize,
    system: (Vec<u8>, Vec<String>),
    action: (Vec<u8>, Vec<String>),
    release: (Vec<u8>, Vec<String>),
    at: Vec<u8>,
    verdict: Vec<u8>,
    allowed: Vec<u8>,
    rules: (Vec<u8>, Vec<u8>),
    advice: (Vec<u8>, Vec<u8>),
    rule_ids: Vec<String>,
    waivers: (Vec<u8>, Vec<u8>, Vec<String>),
    errors: (Vec<u8>, Vec<u8>, Vec<String>),
    chains: (Vec<u8>, Vec<u8>, Vec<String>),
}

/// Offsets (`int32`, one more than the cells) and values of a list column.
#[derive(Default)]
struct Lists {
    offsets: Vec<u8>,
    values: Vec<u8>,
    count: i32,
}

impl Lists {
    fn new(cells: usize) -> Lists {
        let mut offsets = Vec::with_capacity((cells + 1) * 4);
        offsets.extend_from_slice(&0i32.to_le_bytes());
        Lists {
            offsets,
            values: Vec::new(),
            count: 0,
        }
    }

    fn push(&mut self, values: impl Iterator<Item = u32>) {
        for value in values {
            self.values.extend_from_slice(&(value as i32).to_le_bytes());
            self.count += 1;
        }
        self.offsets.extend_from_slice(&self.count.to_le_bytes());
    }

    fn parts(self) -> (Vec<u8>, Vec<u8>) {
        (self.offsets, self.values)
    }
}

fn owned(dictionary: Dictionary<'_>) -> Vec<String> {
    dictionary.values.into_iter().map(str::to_owned).collect()
}

impl ArrowParts {
    fn of(decisions: &[Decision]) -> ArrowParts {
        let n = decisions.len();
        let mut systems = Dictionary::default();
        let mut releases = Dictionary::default();
        let mut actions = Dictionary::default();
        let (mut system, mut release, mut action) = (
            Vec::with_capacity(n * 4),
            Vec::with_capacity(n * 4),
            Vec::with_capacity(n * 4),
        );
        let mut at = Vec::with_capacity(n * 8);
        let mut verdict = Vec::with_capacity(n);
        let mut allowed = vec![0u8; n.div_ceil(8)];
        let mut rule_table = RuleTable::default();
        let mut chain_table = ChainTable::default();
        let mut waiver_ids = Dictionary::default();
        let mut error_texts = Dictionary::default();
        let (mut rules, mut advice) = (Lists::new(n), Lists::new(n));
        let (mut waivers, mut errors, mut chains) = (Lists::new(n), Lists::new(n), Lists::new(n));
        for (i, decision) in decisions.iter().enumerate() {
            let asked = decision.asked();
            system.extend_from_slice(&(systems.index(asked.system.as_str()) as i32).to_le_bytes());
            release
                .extend_from_slice(&(releases.index(asked.release.as_str()) as i32).to_le_bytes());
            action.extend_from_slice(&(actions.index(asked.action.as_str()) as i32).to_le_bytes());
            at.extend_from_slice(&asked.at.unix_millis().to_le_bytes());
            verdict.push(if decision.allowed() { 0 } else { 1 });
            if decision.allowed() {
                allowed[i / 8] |= 1 << (i % 8);
            }
            rules.push(decision.rules().map(|r| rule_table.index(r)));
            advice.push(decision.advice().map(|r| rule_table.index(r)));
            waivers.push(
                decision
                    .waivers()
                    .iter()
                    .map(|w| waiver_ids.index(w.as_str())),
            );
            errors.push(decision.errors().iter().map(|e| error_texts.index(e)));
            chains.push(decision.chains().iter().map(|c| chain_table.index(c)));
        }
        let chain_texts = chain_table.chains.iter().map(|c| c.to_string()).collect();
        let (waiver_offsets, waiver_values) = waivers.parts();
        let (error_offsets, error_values) = errors.parts();
        let (chain_offsets, chain_values) = chains.parts();
        ArrowParts {
            length: n,
            system: (system, owned(systems)),
            action: (action, owned(actions)),
            release: (release, owned(releases)),
            at,
            verdict,
            allowed,
            rules: rules.parts(),
            advice: advice.parts(),
            rule_ids: rule_table.rules.iter().map(|r| r.id().to_owned()).collect(),
            waivers: (waiver_offsets, waiver_values, owned(waiver_ids)),
            errors: (error_offsets, error_values, owned(error_texts)),
            chains: (chain_offsets, chain_values, chain_texts),
        }
    }

    fn into_py(self, py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
        let bytes = |b: Vec<u8>| PyBytes::new(py, &b);
        let dict = PyDict::new(py);
        dict.set_item("length", self.length)?;
        for (name, (indices, values)) in [
            ("system", self.system),
            ("action", self.action),
            ("release", self.release),
        ] {
            dict.set_item(name, (bytes(indices), values))?;
        }
        dict.set_item("at", bytes(self.at))?;
        dict.set_item("verdict", bytes(self.verdict))?;
        dict.set_item("allowed", bytes(self.allowed))?;
        let rule_ids = PyList::new(py, self.rule_ids)?;
        for (name, (offsets, values)) in [("rules", self.rules), ("advice", self.advice)] {
            dict.set_item(name, (bytes(offsets), bytes(values), &rule_ids))?;
        }
        for (name, (offsets, values, dictionary)) in [
            ("waivers", self.waivers),
            ("errors", self.errors),
            ("chains", self.chains),
        ] {
            dict.set_item(name, (bytes(offsets), bytes(values), dictionary))?;
        }
        Ok(dict)
    }
}

/// `==`'s answer: `NotImplemented` when it cannot tell (another type).
fn comparison(py: Python<'_>, equal: Option<bool>) -> Bound<'_, PyAny> {
    match equal {
        Some(equal) => pyo3::types::PyBool::new(py, equal).to_owned().into_any(),
        None => py.NotImplemented().into_bound(py),
    }
}

static ARROW_RECORD_BATCH: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static DECISIONS_FROM_STATE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static MATRIX_FROM_STATE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

fn to_arrow<'py>(py: Python<'py>, cells: &Cells) -> PyResult<Bound<'py, PyAny>> {
    let record_batch = ARROW_RECORD_BATCH.import(py, "clearance._arrow", "record_batch")?;
    record_batch.call1((cells.arrow_parts(py)?,))
}

/// Iterates over the decisions of a `Decisions` or a `Matrix`.
#[pyclass(module = "clearance._clearance", name = "DecisionIterator")]
pub(crate) struct DecisionIterator {
    decisions: Arc<Vec<Decision>>,
    left: std::ops::Range<usize>,
    reversed: bool,
}

#[pymethods]
impl DecisionIterator {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&mut self) -> Option<PyDecision> {
        let index = if self.reversed {
            self.left.next_back()?
        } else {
            self.left.next()?
        };
        Some(PyDecision::shared(&self.decisions, index))
    }

    fn __length_hint__(&self) -> usize {
        self.left.len()
    }
}

/// Decisions, in order: a sweep's (one per deployment, in inventory order) or
/// ``Engine.decide_many``'s (one per question, in the order asked).
///
/// A read-only sequence of ``Decision``: ``len``, iteration, indexing (a
/// slice gives a list), ``==`` with another ``Decisions`` or a list of
/// decisions, and ``get(system, release)``. The decisions are kept in Rust
/// and made ``Decision`` objects only when taken out, which share this
/// storage; ``to_columns()`` (a dict of lists, its strings and tuples shared
/// between rows, with ``rules`` as the table of the rules the rows name),
/// ``to_arrow()`` (a ``pyarrow.RecordBatch``, dictionary-encoded) and
/// ``to_dicts()`` give them all at once, for pandas, polars or pyarrow.
/// Immutable; pickles (each rule and chain once) and copies as itself.
#[pyclass(frozen, weakref, sequence, module = "clearance", name = "Decisions")]
pub(crate) struct PyDecisions {
    cells: Cells,
    /// System, then release, to the first decision about them.
    by_pair: OnceLock<FastMap<Id, FastMap<Id, usize>>>,
}

impl PyDecisions {
    pub(crate) fn new(decisions: Vec<Decision>) -> PyDecisions {
        PyDecisions {
            cells: Cells::new(decisions),
            by_pair: OnceLock::new(),
        }
    }
}

/// Rebuilds a pickled `Decisions`.
#[pyfunction]
#[pyo3(name = "_decisions")]
pub(crate) fn decisions_from_state_bytes(py: Python<'_>, state: &[u8]) -> PyResult<PyDecisions> {
    let state: CellsState = from_state_bytes(py, "decisions", state)?;
    Ok(PyDecisions::new(decisions_from_state(py, state)?))
}

#[pymethods]
impl PyDecisions {
    /// The first decision about ``system`` and ``release``, or ``None``.
    fn get(&self, system: &str, release: &str) -> Option<PyDecision> {
        let index = self.by_pair.get_or_init(|| {
            let mut index: FastMap<Id, FastMap<Id, usize>> = FastMap::default();
            for (i, d) in self.cells.decisions.iter().enumerate().rev() {
                let asked = d.asked();
                index
                    .entry(asked.system.clone())
                    .or_default()
                    .insert(asked.release.clone(), i);
            }
            index
        });
        let at = *index.get(system)?.get(release)?;
        Some(self.cells.decision(at))
    }

    /// Every rule the decisions name (deciding, or as advice), as ``{id: Rule}``,
    /// in the order first met: the rule table ``to_columns`` and ``to_arrow``
    /// refer to by id.
    #[getter]
    fn rules<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        self.cells.rules(py)
    }

    /// The decisions as a dict of equal-length lists, ready for
    /// ``pandas.DataFrame`` or ``polars.DataFrame``: ``system``, ``action``,
    /// ``release``, ``at``, ``verdict``, ``allowed``, and tuples of str for
    /// ``rules`` and ``advice`` (rule ids; see ``rules`` for their reasons and
    /// sources), ``waivers``, ``errors`` and ``chains``. Equal values are one
    /// shared object, so a cell costs about a pointer a column.
    fn to_columns<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        self.cells.to_columns(py)
    }

    /// The decisions as a ``pyarrow.RecordBatch`` with the columns of
    /// ``to_columns``: ids, actions, verdicts and the items of the list
    /// columns dictionary-encoded, ``at`` a UTC timestamp in milliseconds,
    /// ``allowed`` a boolean. Needs pyarrow (``pip install pyarrow``);
    /// the batch wraps the buffers Rust wrote, and ``polars.from_arrow`` reads it.
    fn to_arrow<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_arrow(py, &self.cells)
    }

    /// The decisions as a list of dicts, each as ``Decision.to_dict`` gives it
    /// (the strings shared between rows, the dicts and lists fresh).
    fn to_dicts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        self.cells.to_dicts(py)
    }

    fn __len__(&self) -> usize {
        self.cells.len()
    }

    fn __getitem__<'py>(&self, index: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        self.cells.item(index)
    }

    fn __iter__(&self) -> DecisionIterator {
        self.cells.iter()
    }

    fn __reversed__(&self) -> DecisionIterator {
        self.cells.reversed()
    }

    fn __contains__(&self, value: &Bound<'_, PyAny>) -> bool {
        self.cells.positions(value, 0, isize::MAX).next().is_some()
    }

    /// The position of the first decision equal to ``value`` (from ``start``,
    /// before ``stop``), as ``list.index``; ``ValueError`` if there is none.
    #[pyo3(signature = (value, start = 0, stop = isize::MAX))]
    fn index(&self, value: &Bound<'_, PyAny>, start: isize, stop: isize) -> PyResult<usize> {
        self.cells
            .positions(value, start, stop)
            .next()
            .ok_or_else(|| pyo3::exceptions::PyValueError::new_err("decision is not in the answer"))
    }

    /// How many decisions are equal to ``value``.
    fn count(&self, value: &Bound<'_, PyAny>) -> usize {
        self.cells.positions(value, 0, isize::MAX).count()
    }

    fn __eq__<'py>(&self, other: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let equal = match other.cast::<PyDecisions>() {
            Ok(other) => Some(self.cells.decisions == other.get().cells.decisions),
            Err(_) => self.cells.eq_sequence(other)?,
        };
        Ok(comparison(other.py(), equal))
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let state = state_bytes(py, &self.cells.state())?;
        reducer(py, &DECISIONS_FROM_STATE, "_decisions", (state,))
    }

    /// Immutable: its copy is itself.
    fn __copy__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    /// Immutable: its deep copy is itself.
    fn __deepcopy__(slf: Py<Self>, _memo: &Bound<'_, PyAny>) -> Py<Self> {
        slf
    }

    fn __repr__(&self) -> String {
        let (allowed, denied) = self.cells.counts();
        format!(
            "<Decisions: {} ({allowed} allow, {denied} deny)>",
            self.cells.len()
        )
    }
}

/// Every release (rows) against every system (columns) for one action at one
/// instant: ``Engine.matrix``'s answer.
///
/// A read-only sequence of ``Decision``, row by row (for each release in
/// inventory order, each system in inventory order), as ``Decisions`` is, with
/// ``get(release, system)`` for one cell, ``releases`` and ``systems`` (the
/// rows and columns), ``shape``, ``action`` and ``at``. ``to_columns()``,
/// ``to_arrow()`` and ``to_dicts()`` give every cell at once.
#[pyclass(frozen, weakref, sequence, module = "clearance", name = "Matrix")]
pub(crate) struct PyMatrix {
    cells: Cells,
    releases: Vec<Id>,
    systems: Vec<Id>,
    action: Action,
    at: Instant,
    /// Row and column of each release and system.
    index: OnceLock<(FastMap<Id, usize>, FastMap<Id, usize>)>,
}

impl PyMatrix {
    pub(crate) fn new(matrix: clearance::Matrix, action: Action, at: Instant) -> PyMatrix {
        let releases = matrix.releases().to_vec();
        let systems = matrix.systems().to_vec();
        PyMatrix {
            cells: Cells::new(matrix.into_decisions()),
            releases,
            systems,
            action,
            at,
            index: OnceLock::new(),
        }
    }
}

/// A matrix as it is pickled.
#[derive(Serialize, Deserialize)]
struct MatrixState {
    releases: Vec<Id>,
    systems: Vec<Id>,
    action: Action,
    at: i64,
    cells: CellsState,
}

/// Rebuilds a pickled `Matrix`.
#[pyfunction]
#[pyo3(name = "_matrix")]
pub(crate) fn matrix_from_state_bytes(py: Python<'_>, state: &[u8]) -> PyResult<PyMatrix> {
    let state: MatrixState = from_state_bytes(py, "a matrix", state)?;
    let failed =
        |problem: &str| raise::<Error>(py, "json", format!("unpickling a matrix: {problem}"));
    let at = Instant::from_unix_millis(state.at).ok_or_else(|| failed("instant out of range"))?;
    let decisions = decisions_from_state(py, state.cells)?;
    if decisions.len() != state.releases.len() * state.systems.len() {
        return Err(failed("the cells are not one per release and system"));
    }
    Ok(PyMatrix {
        cells: Cells::new(decisions),
        releases: state.releases,
        systems: state.systems,
        action: state.action,
        at,
        index: OnceLock::new(),
    })
}

#[pymethods]
impl PyMatrix {
    /// The decision about ``release`` on ``system``, or ``None`` if either is
    /// not in the matrix.
    fn get(&self, release: &str, system: &str) -> Option<PyDecision> {
        let (rows, columns) = self.index.get_or_init(|| {
            let rows = self.releases.iter().cloned().zip(0..).collect();
            let columns = self.systems.iter().cloned().zip(0..).collect();
            (rows, columns)
        });
        let at = rows.get(release)? * self.systems.len() + columns.get(system)?;
        Some(self.cells.decision(at))
    }

    /// The ids of the releases, in inventory order: the rows.
    #[getter]
    fn releases(&self) -> Vec<&str> {
        self.releases.iter().map(Id::as_str).collect()
    }

    /// The ids of the systems, in inventory order: the columns.
    #[getter]
    fn systems(&self) -> Vec<&str> {
        self.systems.iter().map(Id::as_str).collect()
    }

    /// ``(len(releases), len(systems))``.
    #[getter]
    fn shape(&self) -> (usize, usize) {
        (self.releases.len(), self.systems.len())
    }

    /// The action every cell asks about.
    #[getter]
    fn action(&self) -> &'static str {
        self.action.as_str()
    }

    /// The instant every cell asks about, as an aware ``datetime`` in UTC.
    #[getter]
    fn at<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        instant_to_py(py, self.at)
    }

    /// Every rule the cells name (deciding, or as advice), as ``{id: Rule}``,
    /// in the order first met: the rule table ``to_columns`` and ``to_arrow``
    /// refer to by id.
    #[getter]
    fn rules<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        self.cells.rules(py)
    }

    /// Every cell as a dict of equal-length lists, row by row (see
    /// ``Decisions.to_columns``).
    fn to_columns<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        self.cells.to_columns(py)
    }

    /// Every cell as a ``pyarrow.RecordBatch``, row by row (see
    /// ``Decisions.to_arrow``). Needs pyarrow.
    fn to_arrow<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_arrow(py, &self.cells)
    }

    /// Every cell as a dict, row by row, each as ``Decision.to_dict`` gives it.
    fn to_dicts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        self.cells.to_dicts(py)
    }

    fn __len__(&self) -> usize {
        self.cells.len()
    }

    fn __getitem__<'py>(&self, index: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        self.cells.item(index)
    }

    fn __iter__(&self) -> DecisionIterator {
        self.cells.iter()
    }

    fn __reversed__(&self) -> DecisionIterator {
        self.cells.reversed()
    }

    fn __contains__(&self, value: &Bound<'_, PyAny>) -> bool {
        self.cells.positions(value, 0, isize::MAX).next().is_some()
    }

    /// The position of the first decision equal to ``value`` (from ``start``,
    /// before ``stop``), as ``list.index``; ``ValueError`` if there is none.
    #[pyo3(signature = (value, start = 0, stop = isize::MAX))]
    fn index(&self, value: &Bound<'_, PyAny>, start: isize, stop: isize) -> PyResult<usize> {
        self.cells
            .positions(value, start, stop)
            .next()
            .ok_or_else(|| pyo3::exceptions::PyValueError::new_err("decision is not in the answer"))
    }

    /// How many decisions are equal to ``value``.
    fn count(&self, value: &Bound<'_, PyAny>) -> usize {
        self.cells.positions(value, 0, isize::MAX).count()
    }

    fn __eq__<'py>(&self, other: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let equal = match other.cast::<PyMatrix>() {
            Ok(other) => {
                let other = other.get();
                Some(
                    self.releases == other.releases
                        && self.systems == other.systems
                        && self.action == other.action
                        && self.at == other.at
                        && self.cells.decisions == other.cells.decisions,
                )
            }
            Err(_) => self.cells.eq_sequence(other)?,
        };
        Ok(comparison(other.py(), equal))
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let state = MatrixState {
            releases: self.releases.clone(),
            systems: self.systems.clone(),
            action: self.action,
            at: self.at.unix_millis(),
            cells: self.cells.state(),
        };
        let state = state_bytes(py, &state)?;
        reducer(py, &MATRIX_FROM_STATE, "_matrix", (state,))
    }

    /// Immutable: its copy is itself.
    fn __copy__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    /// Immutable: its deep copy is itself.
    fn __deepcopy__(slf: Py<Self>, _memo: &Bound<'_, PyAny>) -> Py<Self> {
        slf
    }

    fn __repr__(&self) -> String {
        let (allowed, denied) = self.cells.counts();
        format!(
            "<Matrix {} at {}: {} releases x {} systems ({allowed} allow, {denied} deny)>",
            self.action,
            self.at,
            self.releases.len(),
            self.systems.len(),
        )
    }
}
