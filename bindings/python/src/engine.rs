//! `Engine`: an inventory and a policy set, ready to answer questions. Ties
//! the lower modules together (an inventory from `inventory`, policies from
//! `policies`, answers as `decision` types); none of them may use it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use clearance::{Engine, Instant, Query};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyList;

use crate::convert::{action_from_str, instant_from_py};
use crate::decision::{decisions_to_list, PyDecision, PyRule};
use crate::errors::{to_py_err, Stage};
use crate::inventory::{inventory_from_any, PyInventory};
use crate::policies::policies_from_py;

/// How many engines have been built in this process; see `_stats()`.
pub(crate) static ENGINES_BUILT: AtomicU64 = AtomicU64::new(0);

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
/// - ``threads`` (keyword only): how many threads ``sweep`` and ``matrix``
///   use; 1 (the default) runs on the calling thread, 0 one per core. The
///   decisions are the same whatever the number.
///
/// Building an engine checks the inventory, computes what Cedar cannot (the
/// vendors behind embedded code, the countries controlling them, which
/// authorisations cover which version) and builds the Cedar entities once.
/// Every question after that reuses them, and an engine may be shared between
/// threads: the evaluation runs in Rust with the interpreter released.
///
/// Raises ``InventoryError`` or ``PolicyError``.
#[pyclass(frozen, module = "clearance", name = "Engine")]
pub(crate) struct PyEngine {
    pub(crate) engine: Engine,
    /// The inventory as a Python object: the one given, or made when first asked for.
    inventory: PyOnceLock<Py<PyInventory>>,
}

impl PyEngine {
    pub(crate) fn at_or_now(at: Option<&Bound<'_, PyAny>>) -> PyResult<Instant> {
        Ok(instant_from_py(at)?.unwrap_or_else(Instant::now))
    }
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
        let policies = policies_from_py(py, packs, policies, policy_files)?;
        let owned = Arc::unwrap_or_clone(shared);
        let mut engine = py
            .detach(move || Engine::new(owned, policies))
            .map_err(|e| to_py_err(py, &e, Stage::Inventory))?;
        engine.set_threads(threads);
        ENGINES_BUILT.fetch_add(1, Ordering::Relaxed);
        let cell = PyOnceLock::new();
        if let Some(given) = given {
            let _ = cell.set(py, given);
        }
        Ok(PyEngine {
            engine,
            inventory: cell,
        })
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
        Ok(PyDecision { inner: decision })
    }

    /// The compliance sweep: may each deployed release keep running
    /// (``"operate"``) on its system, at ``at`` (default now)? One decision per
    /// deployment, in inventory order, computed in one call into Rust with the
    /// interpreter released.
    ///
    /// With ``as_dicts=True`` the decisions come as plain dicts (see
    /// ``Decision.to_dict``), ready for ``pandas.DataFrame``.
    #[pyo3(signature = (at = None, *, as_dicts = false))]
    fn sweep<'py>(
        &self,
        py: Python<'py>,
        at: Option<&Bound<'py, PyAny>>,
        as_dicts: bool,
    ) -> PyResult<Bound<'py, PyList>> {
        let at = Self::at_or_now(at)?;
        let engine = &self.engine;
        let decisions = py.detach(|| engine.sweep(at).into_iter().map(|(_, d)| d).collect());
        decisions_to_list(py, decisions, at, as_dicts)
    }

    /// Every release against every system for ``action``, at ``at`` (default
    /// now), row by row: for each release in inventory order, each system in
    /// inventory order (so ``len(inventory.release_ids) *
    /// len(inventory.system_ids)`` decisions). One call into Rust with the
    /// interpreter released.
    ///
    /// With ``as_dicts=True`` the decisions come as plain dicts.
    #[pyo3(signature = (action, at = None, *, as_dicts = false))]
    fn matrix<'py>(
        &self,
        py: Python<'py>,
        action: &str,
        at: Option<&Bound<'py, PyAny>>,
        as_dicts: bool,
    ) -> PyResult<Bound<'py, PyList>> {
        let action = action_from_str(py, action)?;
        let at = Self::at_or_now(at)?;
        let engine = &self.engine;
        let decisions = py.detach(|| engine.matrix(action, at).into_decisions());
        decisions_to_list(py, decisions, at, as_dicts)
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
