//! `Engine`: an inventory and a policy set, ready to answer questions. Ties
//! the lower modules together (an inventory from `inventory`, policies from
//! `policies`, answers as `decision`, `results` and `history` types); none
//! of them may use it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use clearance::{Engine, Instant, Inventory, Query};
use pyo3::exceptions::PyTypeError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyList, PyMapping, PyString, PyTuple};

use crate::convert::{action_from_str, instant_arg, instant_from_py, reducer};
use crate::decision::{PyDecision, PyRule};
use crate::errors::{to_py_err, Stage};
use crate::history::{history_err, PyChange, PyImpact, PyTimeline};
use crate::inventory::{inventory_from_any, loaded, PyInventory};
use crate::policies::{policies_from_py, Recipe};
use crate::results::{PyDecisions, PyMatrix};

/// How many engines have been built in this process; see `_stats()`.
pub(crate) static ENGINES_BUILT: AtomicU64 = AtomicU64::new(0);

static ENGINE_FROM_STATE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// An inventory and a policy set, ready to answer questions.
///
/// ``Engine(inventory, packs=None, policies=None, policy_files=None, *, threads=1)``:
///
/// - ``inventory``: an ``Inventory``, a dict, JSON text, or a path (see
///   ``Inventory``; a ``str`` starting with ``{`` is JSON, any other ``str`` a
///   path).
/// - ``packs``: the names of the shipped policy packs to load (see ``PACKS``);
///   ``None`` loads them all, ``[]`` none (then nothing is permitted unless
///   your own policies permit it).
/// - ``policies``: Cedar text of your own: a ``str``, a list of ``str``, or a
///   dict ``{origin: text}`` whose keys name the texts in errors and in
///   ``Rule.origin``.
/// - ``policy_files``: a path or a list of paths of ``.cedar`` files.
/// - ``threads`` (keyword only): how many threads ``sweep``, ``matrix`` and
///   ``decide_many`` use; 1 (the default) runs on the calling thread, 0 one
///   per core. The decisions are the same whatever the number.
///
/// Building an engine checks the inventory, computes what Cedar cannot (the
/// vendors behind embedded code, the countries controlling them, which
/// authorisations cover which version) and builds the Cedar entities once.
/// Every question after that reuses them, and an engine may be shared between
/// threads: the evaluation runs in Rust with the interpreter released. A
/// process forked from this one (``multiprocessing``'s default on Linux)
/// starts threads of its own when it first needs them.
///
/// An engine pickles as its inventory's JSON and its policies' texts (the
/// policy files' too, read when it was built), and is built again from them
/// where it is unpickled: send one to each worker process once, not with
/// every task. It is immutable: ``copy.copy`` and ``copy.deepcopy`` give
/// the engine itself.
///
/// Raises ``InventoryError`` or ``PolicyError``.
#[pyclass(frozen, weakref, module = "clearance", name = "Engine")]
pub(crate) struct PyEngine {
    pub(crate) engine: Engine,
    /// The inventory as a Python object: the one given, or made when first asked for.
    inventory: PyOnceLock<Py<PyInventory>>,
    /// How the policies were made, for a pickle.
    recipe: Recipe,
    threads: usize,
}

impl PyEngine {
    pub(crate) fn at_or_now(at: Option<&Bound<'_, PyAny>>) -> PyResult<Instant> {
        Ok(instant_from_py(at)?.unwrap_or_else(Instant::now))
    }

    fn build(
        py: Python<'_>,
        inventory: Inventory,
        recipe: Recipe,
        policies: clearance::Policies,
        threads: usize,
    ) -> PyResult<PyEngine> {
        let mut engine = py
            .detach(move || Engine::new(inventory, policies))
            .map_err(|e| to_py_err(py, &e, Stage::Inventory))?;
        engine.set_threads(threads);
        ENGINES_BUILT.fetch_add(1, Ordering::Relaxed);
        Ok(PyEngine {
            engine,
            inventory: PyOnceLock::new(),
            recipe,
            threads,
        })
    }
}

/// One question of `decide_many`: a tuple `(system, action, release[, at])`
/// or a mapping with those keys (`at` optional).
fn question(py: Python<'_>, item: &Bound<'_, PyAny>) -> PyResult<Query> {
    let (system, action, release, at): (String, String, String, Option<Bound<'_, PyAny>>) =
        if let Ok(tuple) = item.cast::<PyTuple>() {
            match tuple.len() {
                3 => {
                    let (s, a, r) = tuple.extract()?;
                    (s, a, r, None)
                }
                4 => tuple.extract()?,
                n => {
                    return Err(PyTypeError::new_err(format!(
                        "a question is (system, action, release) or (system, action, release, at), \
                         not a tuple of {n}"
                    )))
                }
            }
        } else if item.cast::<PyMapping>().is_ok() && item.cast::<PyString>().is_err() {
            let get = |key: &str| item.get_item(key);
            let at = match item.call_method1(intern!(py, "get"), ("at",)) {
                Ok(at) if !at.is_none() => Some(at),
                Ok(_) => None,
                Err(e) => return Err(e),
            };
            (
                get("system")?.extract()?,
                get("action")?.extract()?,
                get("release")?.extract()?,
                at,
            )
        } else if let Ok(list) = item.cast::<PyList>() {
            return question(py, &list.to_tuple().into_any());
        } else {
            return Err(PyTypeError::new_err(format!(
                "a question is a tuple (system, action, release[, at]) or a dict with those keys, \
                 not {}",
                item.get_type().name()?
            )));
        };
    let action = action_from_str(py, &action)?;
    let mut query = Query::new(system, action, release);
    if let Some(at) = instant_from_py(at.as_ref())? {
        query = query.at(at);
    }
    Ok(query)
}

/// `error`, saying which question raised it: an `index` attribute and, where
/// exceptions take notes (3.11+), a note.
fn at_question(py: Python<'_>, error: PyErr, index: usize) -> PyErr {
    let value = error.value(py);
    let _ = value.setattr(intern!(py, "index"), index);
    if value.hasattr(intern!(py, "add_note")).unwrap_or(false) {
        let _ = value.call_method1(
            intern!(py, "add_note"),
            (format!("raised for questions[{index}]"),),
        );
    }
    error
}

/// Rebuilds a pickled `Engine`.
#[pyfunction]
#[pyo3(name = "_engine")]
pub(crate) fn engine_from_state(
    py: Python<'_>,
    inventory: &[u8],
    packs: Option<Vec<String>>,
    texts: Vec<(String, String)>,
    threads: usize,
) -> PyResult<PyEngine> {
    let inventory = loaded(py.detach(|| Inventory::from_json_slice(inventory)), py)?;
    let recipe = Recipe { packs, texts };
    let policies = recipe
        .make()
        .map_err(|e| to_py_err(py, &e, Stage::Policy))?;
    PyEngine::build(
        py,
        Arc::unwrap_or_clone(inventory),
        recipe,
        policies,
        threads,
    )
}

#[pymethods]
impl PyEngine {
    #[new]
    #[pyo3(signature = (inventory, packs = None, policies = None, policy_files = None, *, threads = 1))]
    fn new(
        py: Python<'_>,
        inventory: &Bound<'_, PyAny>,
        packs: Option<&Bound<'_, PyAny>>,
        policies: Option<&Bound<'_, PyAny>>,
        policy_files: Option<&Bound<'_, PyAny>>,
        threads: usize,
    ) -> PyResult<Self> {
        let given = inventory
            .cast::<PyInventory>()
            .ok()
            .map(|i| i.clone().unbind());
        let shared = inventory_from_any(py, inventory)?;
        let (policies, recipe) = policies_from_py(py, packs, policies, policy_files)?;
        let engine = PyEngine::build(py, Arc::unwrap_or_clone(shared), recipe, policies, threads)?;
        if let Some(given) = given {
            let _ = engine.inventory.set(py, given);
        }
        Ok(engine)
    }

    /// Answers one question: may ``system`` do ``action`` with ``release`` at ``at``?
    ///
    /// ``action`` is one of ``ACTIONS`` (``"procure"``, ``"deploy"``,
    /// ``"operate"``, ``"update"``). ``at`` is an aware ``datetime``, a
    /// ``date`` (midnight UTC at its start), an ISO 8601 string such as
    /// ``"2018-01-10"`` or ``"2018-01-10T09:30:00+01:00"``, or ``None`` for now.
    ///
    /// Raises ``QueryError`` for an unknown system, release or action, or an
    /// ``at`` that is not a point in time (a naive datetime). Problems met while
    /// evaluating are not raised: they make the decision deny and are listed in
    /// ``Decision.errors``.
    #[pyo3(signature = (system, action, release, at = None))]
    fn decide(
        &self,
        py: Python<'_>,
        system: String,
        action: &str,
        release: String,
        at: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyDecision> {
        let action = action_from_str(py, action)?;
        let mut query = Query::new(system, action, release);
        if let Some(at) = instant_from_py(at)? {
            query = query.at(at);
        }
        let engine = &self.engine;
        let decision = py
            .detach(|| engine.decide(&query))
            .map_err(|e| to_py_err(py, &e, Stage::Query))?;
        Ok(PyDecision::one(decision))
    }

    /// Answers many questions in one call, in order, as ``decide`` answers
    /// each: a ``Decisions`` of one decision per question.
    ///
    /// Each question is a tuple ``(system, action, release)`` or ``(system,
    /// action, release, at)``, or a dict with those keys (``at`` optional);
    /// ``at`` takes what ``decide``'s does, and a question without one is
    /// about now, read once for the whole call. The questions are read with
    /// the interpreter held, then answered in Rust with it released. Those
    /// about one action at one instant that ask about enough of the matrix
    /// (a third of the cells or more) are answered by the engine's bulk path,
    /// one ``matrix`` for them all; the others one by one, shared out to the
    /// engine's threads. Every answer is the one ``decide`` gives.
    ///
    /// A bad question raises for the whole call, and nothing is answered
    /// (fail closed): the error ``decide`` would raise for it (``QueryError``
    /// for an unknown system, release or action, or a naive datetime;
    /// ``TypeError`` for a question of the wrong shape), with an ``index``
    /// attribute giving its position. To answer the others, leave out the
    /// questions whose ids are not in ``inventory.system_ids`` and
    /// ``inventory.release_ids``.
    fn decide_many(&self, py: Python<'_>, questions: &Bound<'_, PyAny>) -> PyResult<PyDecisions> {
        let mut queries = Vec::with_capacity(questions.len().unwrap_or(0));
        for (index, item) in questions.try_iter()?.enumerate() {
            let query = question(py, &item?).map_err(|e| at_question(py, e, index))?;
            queries.push(query);
        }
        let (engine, threads) = (&self.engine, self.threads);
        let answers =
            py.detach(|| crate::many::decide_many(engine, threads, &queries, Instant::now()));
        let mut decisions = Vec::with_capacity(answers.len());
        for (index, answer) in answers.into_iter().enumerate() {
            match answer {
                Ok(decision) => decisions.push(decision),
                Err(e) => return Err(at_question(py, to_py_err(py, &e, Stage::Query), index)),
            }
        }
        Ok(PyDecisions::new(decisions))
    }

    /// The compliance sweep: may each deployed release keep running
    /// (``"operate"``) on its system, at ``at`` (default now)? A
    /// ``Decisions`` of one decision per deployment, in inventory order,
    /// computed in one call into Rust with the interpreter released.
    ///
    /// With ``as_dicts=True`` the decisions come as a list of plain dicts
    /// (see ``Decision.to_dict``; the same as ``sweep(at).to_dicts()``).
    #[pyo3(signature = (at = None, *, as_dicts = false))]
    fn sweep<'py>(
        &self,
        py: Python<'py>,
        at: Option<&Bound<'py, PyAny>>,
        as_dicts: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let at = Self::at_or_now(at)?;
        let engine = &self.engine;
        let decisions = py.detach(|| engine.sweep(at).into_iter().map(|(_, d)| d).collect());
        let swept = Bound::new(py, PyDecisions::new(decisions))?;
        if as_dicts {
            return swept.call_method0(intern!(py, "to_dicts"));
        }
        Ok(swept.into_any())
    }

    /// Every release against every system for ``action``, at ``at`` (default
    /// now): a ``Matrix``, row by row (for each release in inventory order,
    /// each system in inventory order, so ``len(inventory.release_ids) *
    /// len(inventory.system_ids)`` decisions), with ``get(release, system)``.
    /// One call into Rust with the interpreter released.
    ///
    /// With ``as_dicts=True`` the decisions come as a list of plain dicts
    /// (the same as ``matrix(action, at).to_dicts()``).
    #[pyo3(signature = (action, at = None, *, as_dicts = false))]
    fn matrix<'py>(
        &self,
        py: Python<'py>,
        action: &str,
        at: Option<&Bound<'py, PyAny>>,
        as_dicts: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let action = action_from_str(py, action)?;
        let at = Self::at_or_now(at)?;
        let engine = &self.engine;
        let matrix = py.detach(|| engine.matrix(action, at));
        let matrix = Bound::new(py, PyMatrix::new(matrix, action, at))?;
        if as_dicts {
            return matrix.call_method0(intern!(py, "to_dicts"));
        }
        Ok(matrix.into_any())
    }

    /// The decisions about one question over ``[start, until)``: a
    /// ``Timeline`` of the decision at ``start``, then a ``Step`` at every
    /// instant where it changes, with what changed (the verdict, the rules
    /// that decide, the advice, the waivers used). The instants are exact:
    /// worked out from the policies' dates, the waivers, authorisations
    /// lapsing and the corporate structure, not by sampling.
    ///
    /// ``start`` and ``until`` take what ``decide``'s ``at`` takes (not
    /// ``None``). Raises ``QueryError`` as ``decide`` does, and with kind
    /// ``"invalid-value"`` when ``start`` is not before ``until``;
    /// ``PolicyError`` (kind ``"unbounded-time"``) naming a policy that reads
    /// the time in a way whose changes cannot be listed.
    fn timeline(
        &self,
        py: Python<'_>,
        system: &str,
        action: &str,
        release: &str,
        start: &Bound<'_, PyAny>,
        until: &Bound<'_, PyAny>,
    ) -> PyResult<PyTimeline> {
        let action = action_from_str(py, action)?;
        let (start, until) = (instant_arg(start, "start")?, instant_arg(until, "until")?);
        let engine = &self.engine;
        py.detach(|| engine.timeline(system, action, release, start, until))
            .map(PyTimeline::new)
            .map_err(|e| history_err(py, &e))
    }

    /// Every deployment whose answer to ``action`` changes in ``(start,
    /// until)``, in date order (deployments in inventory order at each
    /// instant): a list of ``Change``, each with its new decision and what
    /// changed. With ``"operate"``, the changes of the compliance sweep.
    ///
    /// Raises as ``timeline`` does.
    fn changes(
        &self,
        py: Python<'_>,
        action: &str,
        start: &Bound<'_, PyAny>,
        until: &Bound<'_, PyAny>,
    ) -> PyResult<Vec<PyChange>> {
        let action = action_from_str(py, action)?;
        let (start, until) = (instant_arg(start, "start")?, instant_arg(until, "until")?);
        let engine = &self.engine;
        py.detach(|| engine.changes(action, start, until))
            .map(|changes| changes.into_iter().map(PyChange::new).collect())
            .map_err(|e| history_err(py, &e))
    }

    /// What changing this engine's policies to another set would change, for
    /// ``action`` at ``at`` (default now): an ``Impact`` of every cell of the
    /// matrix and every deployment whose answer differs, with the rules that
    /// make the difference.
    ///
    /// The other set is given as ``Engine`` takes one (``packs``,
    /// ``policies``, ``policy_files``; ``packs=None`` is every shipped pack).
    /// It is checked against this engine's inventory; waivers naming only
    /// rules it lacks are left out (``Impact.waivers_left_out``). Raises
    /// ``PolicyError`` for policies that do not load, and what building an
    /// ``Engine`` raises.
    #[pyo3(signature = (action, at = None, *, packs = None, policies = None, policy_files = None))]
    fn impact(
        &self,
        py: Python<'_>,
        action: &str,
        at: Option<&Bound<'_, PyAny>>,
        packs: Option<&Bound<'_, PyAny>>,
        policies: Option<&Bound<'_, PyAny>>,
        policy_files: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyImpact> {
        let action = action_from_str(py, action)?;
        let at = Self::at_or_now(at)?;
        let (after, _) = policies_from_py(py, packs, policies, policy_files)?;
        let engine = &self.engine;
        py.detach(|| engine.impact(&after, action, at))
            .map(PyImpact::new)
            .map_err(|e| to_py_err(py, &e, Stage::Inventory))
    }

    /// The inventory the engine answers about (the same object on every access).
    #[getter]
    fn inventory(&self, py: Python<'_>) -> PyResult<Py<PyInventory>> {
        self.inventory
            .get_or_try_init(py, || {
                Py::new(
                    py,
                    PyInventory {
                        inner: Arc::new(self.engine.inventory().clone()),
                    },
                )
            })
            .map(|i| i.clone_ref(py))
    }

    /// The inventory as pretty-printed JSON, which ``Inventory.from_json`` reads back.
    fn inventory_json(&self, py: Python<'_>) -> String {
        let engine = &self.engine;
        py.detach(|| engine.inventory().to_json())
    }

    /// Every policy loaded, in the order added, as ``Rule`` objects.
    #[getter]
    fn rules(&self) -> Vec<PyRule> {
        self.engine.policies().rules().map(PyRule::new).collect()
    }

    /// The policy with this ``@id``, or ``None``.
    fn rule(&self, id: &str) -> Option<PyRule> {
        self.engine.policies().rule(id).map(PyRule::new)
    }

    /// The number of threads asked for (``threads=``): 1 for the calling
    /// thread alone, 0 for one per core.
    #[getter]
    fn threads(&self) -> usize {
        self.threads
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let engine = &self.engine;
        let inventory = py
            .detach(|| serde_json::to_vec(engine.inventory()))
            .map_err(|e| {
                crate::errors::raise::<crate::errors::Error>(
                    py,
                    "internal",
                    format!("pickling an engine: {e}"),
                )
            })?;
        let args = (
            PyBytes::new(py, &inventory),
            self.recipe.packs.clone(),
            self.recipe.texts.clone(),
            self.threads,
        );
        reducer(py, &ENGINE_FROM_STATE, "_engine", args)
    }

    /// An engine is immutable: its copy is itself.
    fn __copy__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    /// An engine is immutable: its deep copy is itself.
    fn __deepcopy__(slf: Py<Self>, _memo: &Bound<'_, PyAny>) -> Py<Self> {
        slf
    }

    fn __repr__(&self) -> String {
        let inventory = self.engine.inventory();
        format!(
            "<Engine: {} systems, {} releases, {} deployments, {} policies>",
            inventory.systems.len(),
            inventory.releases.len(),
            inventory.deployments.len(),
            self.engine.policies().len()
        )
    }
}
