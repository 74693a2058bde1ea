//! Answers over time and against other policies: `Timeline` and its `Step`s
//! (`Engine.timeline`), `Change` (`Engine.changes`), `Impact` and its
//! `Difference`s (`Engine.impact`). Each wraps the Rust value and hands out
//! `Decision`s from it. Uses `convert`, `errors` and `decision`; knows
//! nothing of the engine.

use clearance::{Change, Difference, ErrorKind, Impact, Step, Timeline, Verdict};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::convert::{instant_from_py, instant_to_py};
use crate::decision::{quoted, verdict_str, PyDecision};
use crate::errors::{raise, to_py_err, Error, QueryError, Stage};

/// A Rust error of a question over time: a period that is not one (`from`
/// not before `until`) is the question's fault, so a `QueryError`.
pub(crate) fn history_err(py: Python<'_>, error: &clearance::Error) -> PyErr {
    if error.kind() == ErrorKind::InvalidValue {
        raise::<QueryError>(py, error.kind().as_str(), error.message())
    } else {
        to_py_err(py, error, Stage::Query)
    }
}

fn json(py: Python<'_>, value: &impl serde::Serialize, pretty: bool) -> PyResult<String> {
    let text = if pretty {
        serde_json::to_string_pretty(value)
    } else {
        serde_json::to_string(value)
    };
    text.map_err(|e| raise::<Error>(py, "internal", e.to_string()))
}

fn verdict_from_str(py: Python<'_>, verdict: &str) -> PyResult<Verdict> {
    match verdict {
        "allow" => Ok(Verdict::Allow),
        "deny" => Ok(Verdict::Deny),
        other => Err(raise::<QueryError>(
            py,
            "invalid-value",
            format!("verdict {other:?} is not \"allow\" or \"deny\""),
        )),
    }
}

/// One point of a ``Timeline``: the decision from ``at`` on, and what changed
/// there from the step before.
///
/// ``previous_verdict`` is ``None`` for the first step; ``rules_started``,
/// ``rules_stopped``, ``advice_started``, ``advice_stopped``,
/// ``waivers_started`` and ``waivers_ended`` list the ids that changed.
/// ``str(step)`` says it in a line.
#[pyclass(frozen, weakref, module = "clearance", name = "Step")]
pub(crate) struct PyStep {
    step: Step,
}

#[pymethods]
impl PyStep {
    /// The instant this decision starts to hold, as an aware ``datetime`` in UTC.
    #[getter]
    fn at<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        instant_to_py(py, self.step.at())
    }

    /// The decision from ``at`` on.
    #[getter]
    fn decision(&self) -> PyDecision {
        PyDecision::one(self.step.decision().clone())
    }

    /// The verdict before ``at``: ``"allow"``, ``"deny"``, or ``None`` for the first step.
    #[getter]
    fn previous_verdict(&self) -> Option<&'static str> {
        self.step.previous_verdict().map(verdict_str)
    }

    /// Whether the verdict changed at ``at``.
    #[getter]
    fn verdict_changed(&self) -> bool {
        self.step.verdict_changed()
    }

    /// The ids of the rules that start deciding at ``at``.
    #[getter]
    fn rules_started(&self) -> Vec<String> {
        self.step.rules_started().to_vec()
    }

    /// The ids of the rules that stop deciding at ``at``.
    #[getter]
    fn rules_stopped(&self) -> Vec<String> {
        self.step.rules_stopped().to_vec()
    }

    /// The ids of the advice that starts applying at ``at``.
    #[getter]
    fn advice_started(&self) -> Vec<String> {
        self.step.advice_started().to_vec()
    }

    /// The ids of the advice that stops applying at ``at``.
    #[getter]
    fn advice_stopped(&self) -> Vec<String> {
        self.step.advice_stopped().to_vec()
    }

    /// The ids of the waivers that start being used at ``at``.
    #[getter]
    fn waivers_started(&self) -> Vec<&str> {
        self.step
            .waivers_started()
            .iter()
            .map(|w| w.as_str())
            .collect()
    }

    /// The ids of the waivers that stop being used at ``at``.
    #[getter]
    fn waivers_ended(&self) -> Vec<&str> {
        self.step
            .waivers_ended()
            .iter()
            .map(|w| w.as_str())
            .collect()
    }

    /// The step as JSON, as the Rust library serialises it.
    #[pyo3(signature = (*, pretty = false))]
    fn to_json(&self, py: Python<'_>, pretty: bool) -> PyResult<String> {
        json(py, &self.step, pretty)
    }

    /// Immutable: its copy is itself.
    fn __copy__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    /// Immutable: its deep copy is itself.
    fn __deepcopy__(slf: Py<Self>, _memo: &Bound<'_, PyAny>) -> Py<Self> {
        slf
    }

    fn __str__(&self) -> String {
        self.step.to_string()
    }

    fn __repr__(&self) -> String {
        format!(
            "<Step at {}: {}>",
            self.step.at(),
            verdict_str(self.step.decision().verdict())
        )
    }
}

/// One question's decisions over ``[start, until)``: the decision at
/// ``start``, then a ``Step`` at every instant where it changes
/// (``Engine.timeline``).
///
/// A sequence of its ``steps`` (``len``, iteration, indexing);
/// ``decision_at(at)`` is the decision in force at an instant of the period.
/// ``str(timeline)`` lists the steps.
#[pyclass(frozen, weakref, sequence, module = "clearance", name = "Timeline")]
pub(crate) struct PyTimeline {
    timeline: Timeline,
}

impl PyTimeline {
    pub(crate) fn new(timeline: Timeline) -> PyTimeline {
        PyTimeline { timeline }
    }
}

#[pymethods]
impl PyTimeline {
    /// The start of the period (included), as an aware ``datetime`` in UTC.
    #[getter]
    fn start<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        instant_to_py(py, self.timeline.from())
    }

    /// The end of the period (excluded), as an aware ``datetime`` in UTC.
    #[getter]
    fn until<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        instant_to_py(py, self.timeline.until())
    }

    /// The steps, in time order: the first at ``start``.
    #[getter]
    fn steps(&self) -> Vec<PyStep> {
        self.timeline
            .steps()
            .iter()
            .map(|step| PyStep { step: step.clone() })
            .collect()
    }

    /// The decision in force at ``at``, or ``None`` if ``at`` is outside the period.
    fn decision_at(&self, at: &Bound<'_, PyAny>) -> PyResult<Option<PyDecision>> {
        let py = at.py();
        let at = instant_from_py(Some(at))?
            .ok_or_else(|| raise::<QueryError>(py, "invalid-value", "`at` must not be None"))?;
        Ok(self
            .timeline
            .decision_at(at)
            .map(|d| PyDecision::one(d.clone())))
    }

    /// The timeline as JSON, as the Rust library serialises it.
    #[pyo3(signature = (*, pretty = false))]
    fn to_json(&self, py: Python<'_>, pretty: bool) -> PyResult<String> {
        json(py, &self.timeline, pretty)
    }

    fn __len__(&self) -> usize {
        self.timeline.steps().len()
    }

    fn __getitem__(&self, index: isize) -> PyResult<PyStep> {
        let len = self.timeline.steps().len() as isize;
        let at = if index < 0 { index + len } else { index };
        if !(0..len).contains(&at) {
            return Err(pyo3::exceptions::PyIndexError::new_err(
                "index out of range",
            ));
        }
        Ok(PyStep {
            step: self.timeline.steps()[at as usize].clone(),
        })
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        PyList::new(py, self.steps())?
            .try_iter()
            .map(Bound::into_any)
    }

    /// Immutable: its copy is itself.
    fn __copy__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    /// Immutable: its deep copy is itself.
    fn __deepcopy__(slf: Py<Self>, _memo: &Bound<'_, PyAny>) -> Py<Self> {
        slf
    }

    fn __str__(&self) -> String {
        self.timeline.to_string()
    }

    fn __repr__(&self) -> String {
        let asked = self.timeline.steps().first().map(|s| s.decision().asked());
        match asked {
            Some(asked) => format!(
                "<Timeline {} {} on {} from {} until {}: {} steps>",
                asked.action,
                quoted(asked.release.as_str()),
                quoted(asked.system.as_str()),
                self.timeline.from(),
                self.timeline.until(),
                self.timeline.steps().len()
            ),
            None => format!("<Timeline: {} steps>", self.timeline.steps().len()),
        }
    }
}

/// A deployment whose answer changes at an instant (``Engine.changes``):
/// ``system`` and ``release``, ``at``, and the ``step`` (the new decision and
/// what changed).
#[pyclass(frozen, weakref, module = "clearance", name = "Change")]
pub(crate) struct PyChange {
    change: Change,
}

impl PyChange {
    pub(crate) fn new(change: Change) -> PyChange {
        PyChange { change }
    }
}

#[pymethods]
impl PyChange {
    /// The instant of the change, as an aware ``datetime`` in UTC.
    #[getter]
    fn at<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        instant_to_py(py, self.change.at())
    }

    /// The id of the deployment's system.
    #[getter]
    fn system(&self) -> &str {
        self.change.deployment().system.as_str()
    }

    /// The id of the deployment's release.
    #[getter]
    fn release(&self) -> &str {
        self.change.deployment().release.as_str()
    }

    /// The new decision, and what changed.
    #[getter]
    fn step(&self) -> PyStep {
        PyStep {
            step: self.change.step().clone(),
        }
    }

    /// The change as JSON, as the Rust library serialises it.
    #[pyo3(signature = (*, pretty = false))]
    fn to_json(&self, py: Python<'_>, pretty: bool) -> PyResult<String> {
        json(py, &self.change, pretty)
    }

    /// Immutable: its copy is itself.
    fn __copy__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    /// Immutable: its deep copy is itself.
    fn __deepcopy__(slf: Py<Self>, _memo: &Bound<'_, PyAny>) -> Py<Self> {
        slf
    }

    fn __str__(&self) -> String {
        self.change.to_string()
    }

    fn __repr__(&self) -> String {
        format!(
            "<Change at {}: {} on {} -> {}>",
            self.change.at(),
            quoted(self.release()),
            quoted(self.system()),
            verdict_str(self.change.step().decision().verdict())
        )
    }
}

/// One question two policy sets answer differently: ``before`` (this
/// engine's policies) and ``after`` (the other set's), the ids of the rules
/// and advice added and removed, and ``causes``, the rules that make the
/// difference.
#[pyclass(frozen, weakref, module = "clearance", name = "Difference")]
pub(crate) struct PyDifference {
    difference: Difference,
}

#[pymethods]
impl PyDifference {
    /// The id of the release.
    #[getter]
    fn release(&self) -> &str {
        self.difference.release().as_str()
    }

    /// The id of the system.
    #[getter]
    fn system(&self) -> &str {
        self.difference.system().as_str()
    }

    /// The decision with this engine's policies.
    #[getter]
    fn before(&self) -> PyDecision {
        PyDecision::one(self.difference.before().clone())
    }

    /// The decision with the other policies.
    #[getter]
    fn after(&self) -> PyDecision {
        PyDecision::one(self.difference.after().clone())
    }

    /// Whether the verdict differs.
    #[getter]
    fn verdict_changed(&self) -> bool {
        self.difference.verdict_changed()
    }

    /// The ids of the rules that decide after but not before.
    #[getter]
    fn rules_added(&self) -> Vec<String> {
        self.difference.rules_added().to_vec()
    }

    /// The ids of the rules that decided before but not after.
    #[getter]
    fn rules_removed(&self) -> Vec<String> {
        self.difference.rules_removed().to_vec()
    }

    /// The ids of the advice that applies after but not before.
    #[getter]
    fn advice_added(&self) -> Vec<String> {
        self.difference.advice_added().to_vec()
    }

    /// The ids of the advice that applied before but not after.
    #[getter]
    fn advice_removed(&self) -> Vec<String> {
        self.difference.advice_removed().to_vec()
    }

    /// The ids of the rules that make the difference.
    #[getter]
    fn causes(&self) -> Vec<String> {
        self.difference.causes().to_vec()
    }

    /// The difference as JSON, as the Rust library serialises it.
    #[pyo3(signature = (*, pretty = false))]
    fn to_json(&self, py: Python<'_>, pretty: bool) -> PyResult<String> {
        json(py, &self.difference, pretty)
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
        format!(
            "<Difference {} on {}: {} -> {}>",
            quoted(self.release()),
            quoted(self.system()),
            verdict_str(self.difference.before().verdict()),
            verdict_str(self.difference.after().verdict())
        )
    }
}

/// What changing an engine's policies would change, for one action at one
/// instant (``Engine.impact``): every cell of the matrix and every deployment
/// whose answer differs, grouped by the rules that make the difference.
#[pyclass(frozen, weakref, module = "clearance", name = "Impact")]
pub(crate) struct PyImpact {
    impact: Impact,
}

impl PyImpact {
    pub(crate) fn new(impact: Impact) -> PyImpact {
        PyImpact { impact }
    }
}

fn difference(difference: &Difference) -> PyDifference {
    PyDifference {
        difference: difference.clone(),
    }
}

#[pymethods]
impl PyImpact {
    /// The action compared.
    #[getter]
    fn action(&self) -> &'static str {
        self.impact.action().as_str()
    }

    /// The instant compared, as an aware ``datetime`` in UTC.
    #[getter]
    fn at<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        instant_to_py(py, self.impact.at())
    }

    /// How many cells (release, system) were compared.
    #[getter]
    fn cells_compared(&self) -> usize {
        self.impact.cells_compared()
    }

    /// The cells of the matrix whose answer differs, row by row.
    #[getter]
    fn cells(&self) -> Vec<PyDifference> {
        self.impact.cells().iter().map(difference).collect()
    }

    /// The deployments whose answer to ``action`` differs, in inventory order.
    #[getter]
    fn deployments(&self) -> Vec<PyDifference> {
        self.impact
            .deployments()
            .iter()
            .map(|(_, d)| difference(d))
            .collect()
    }

    /// The ids of the inventory's waivers left out of the other engine, since
    /// they name only rules the other policies lack.
    #[getter]
    fn waivers_left_out(&self) -> Vec<&str> {
        self.impact
            .waivers_left_out()
            .iter()
            .map(|w| w.as_str())
            .collect()
    }

    /// The differing cells by the rules that make them: ``{rule id: [Difference, ...]}``.
    fn by_rule<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for (rule, differences) in self.impact.by_rule() {
            let list: Vec<PyDifference> = differences.into_iter().map(difference).collect();
            dict.set_item(rule, list)?;
        }
        Ok(dict)
    }

    /// How many cells go from verdict ``before`` to verdict ``after``
    /// (``"allow"`` or ``"deny"``).
    fn count(&self, py: Python<'_>, before: &str, after: &str) -> PyResult<usize> {
        Ok(self
            .impact
            .count(verdict_from_str(py, before)?, verdict_from_str(py, after)?))
    }

    /// The impact as JSON, as the Rust library serialises it.
    #[pyo3(signature = (*, pretty = false))]
    fn to_json(&self, py: Python<'_>, pretty: bool) -> PyResult<String> {
        json(py, &self.impact, pretty)
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
        format!(
            "<Impact {} at {}: {} of {} cells differ, {} deployments>",
            self.impact.action(),
            self.impact.at(),
            self.impact.cells().len(),
            self.impact.cells_compared(),
            self.impact.deployments().len()
        )
    }
}
