//! `Rule` and `Decision`, the answers the engine gives, and their plain-data
//! forms (dicts and lists of dicts). Wraps values already computed: uses
//! `errors` and `convert`, and knows nothing of the engine, inventories or
//! policy loading.

use clearance::{Decision, Effect, Instant, Rule, Verdict};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::convert::instant_to_py;
use crate::errors::{raise, Error};

/// A policy as people read it.
///
/// ``id`` is its ``@id``, ``reason`` its ``@reason`` and ``source`` its
/// ``@source`` (the law, directive or guidance it encodes; ``None`` if it has
/// none). ``effect`` is ``"permit"``, ``"forbid"`` (binding) or ``"advice"``;
/// ``origin`` is the pack name, file path or name the text was added under.
#[pyclass(frozen, eq, hash, module = "clearance", name = "Rule")]
#[derive(PartialEq, Eq, Hash)]
pub(crate) struct PyRule {
    /// The policy's ``@id``, such as ``"uk-ncsc-2017/secret-and-above"``.
    #[pyo3(get)]
    id: String,
    /// The policy's ``@reason``: why it decides, in words a person reads.
    #[pyo3(get)]
    reason: String,
    /// The policy's ``@source``, citing the rule it encodes, or ``None``.
    #[pyo3(get)]
    source: Option<String>,
    /// ``"permit"``, ``"forbid"`` (a binding rule) or ``"advice"``.
    #[pyo3(get)]
    effect: &'static str,
    /// Where the policy came from: a pack name, a file path, or the name it was added under.
    #[pyo3(get)]
    origin: String,
}

impl PyRule {
    pub(crate) fn new(rule: &Rule) -> PyRule {
        PyRule {
            id: rule.id().to_owned(),
            reason: rule.reason().to_owned(),
            source: rule.source().map(str::to_owned),
            effect: match rule.effect() {
                Effect::Permit => "permit",
                Effect::Forbid => "forbid",
                Effect::Advice => "advice",
            },
            origin: rule.origin().to_owned(),
        }
    }
}

#[pymethods]
impl PyRule {
    /// ``{"id": ..., "reason": ..., "source": ...}``, as ``Decision.to_dict`` lists rules.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        dict.set_item(intern!(py, "id"), &self.id)?;
        dict.set_item(intern!(py, "reason"), &self.reason)?;
        dict.set_item(intern!(py, "source"), &self.source)?;
        Ok(dict)
    }

    fn __repr__(&self) -> String {
        format!(
            "Rule(id={}, effect={})",
            quoted(&self.id),
            quoted(self.effect)
        )
    }
}

// ---------------------------------------------------------------------------
// Decisions

/// `text` as Python's `repr` writes a str (ids and rule ids need no other escapes).
fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
}

fn verdict_str(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Allow => "allow",
        Verdict::Deny => "deny",
    }
}

fn rule_dicts<'a, 'py>(
    py: Python<'py>,
    rules: impl ExactSizeIterator<Item = &'a Rule>,
) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for rule in rules {
        let dict = PyDict::new(py);
        dict.set_item(intern!(py, "id"), rule.id())?;
        dict.set_item(intern!(py, "reason"), rule.reason())?;
        dict.set_item(intern!(py, "source"), rule.source())?;
        list.append(dict)?;
    }
    Ok(list)
}

/// A decision as plain data; `at` is passed in so a sweep shares one datetime.
fn decision_dict<'py>(
    py: Python<'py>,
    decision: &Decision,
    at: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyDict>> {
    let asked = decision.asked();
    let dict = PyDict::new(py);
    dict.set_item(intern!(py, "system"), asked.system.as_str())?;
    dict.set_item(intern!(py, "action"), asked.action.as_str())?;
    dict.set_item(intern!(py, "release"), asked.release.as_str())?;
    dict.set_item(intern!(py, "at"), at)?;
    dict.set_item(intern!(py, "verdict"), verdict_str(decision.verdict()))?;
    dict.set_item(intern!(py, "allowed"), decision.allowed())?;
    dict.set_item(intern!(py, "reasons"), rule_dicts(py, decision.rules())?)?;
    dict.set_item(intern!(py, "advice"), rule_dicts(py, decision.advice())?)?;
    let waivers: Vec<&str> = decision.waivers().iter().map(|w| w.as_str()).collect();
    dict.set_item(intern!(py, "waivers"), waivers)?;
    dict.set_item(intern!(py, "errors"), decision.errors())?;
    let chains: Vec<String> = decision.chains().iter().map(|c| c.to_string()).collect();
    dict.set_item(intern!(py, "chains"), chains)?;
    Ok(dict)
}

pub(crate) fn decisions_to_list(
    py: Python<'_>,
    decisions: Vec<Decision>,
    at: Instant,
    as_dicts: bool,
) -> PyResult<Bound<'_, PyList>> {
    if as_dicts {
        let at = instant_to_py(py, at)?;
        let dicts = decisions
            .iter()
            .map(|d| decision_dict(py, d, &at))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, dicts)
    } else {
        let objects = decisions
            .into_iter()
            .map(|inner| Bound::new(py, PyDecision { inner }))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, objects)
    }
}

/// The answer to "may this system do this with this release, at this instant?"
///
/// Fail-closed: ``allowed`` is true only when a permit matched, no binding rule
/// forbade it and no policy failed to evaluate; any evaluation error gives a
/// deny, with the error in ``errors``.
///
/// ``str(decision)`` is the explanation the Rust library prints: the verdict
/// and question, each deciding rule with its source, the advice, the waivers
/// used, the chains and the errors. Decisions compare equal when every field
/// does.
#[pyclass(frozen, eq, module = "clearance", name = "Decision")]
#[derive(PartialEq)]
pub(crate) struct PyDecision {
    pub(crate) inner: Decision,
}

#[pymethods]
impl PyDecision {
    /// Whether the verdict is allow.
    #[getter]
    fn allowed(&self) -> bool {
        self.inner.allowed()
    }

    /// ``"allow"`` or ``"deny"``.
    #[getter]
    fn verdict(&self) -> &'static str {
        verdict_str(self.inner.verdict())
    }

    /// The rules that decided it, as ``Rule`` objects: the binding forbids that
    /// matched for a deny, the permits that matched for an allow. Empty for a
    /// deny that nothing permitted, or that an error forced.
    #[getter]
    fn reasons(&self) -> Vec<PyRule> {
        self.inner.rules().map(PyRule::new).collect()
    }

    /// The ids of ``reasons``.
    #[getter]
    fn rule_ids(&self) -> Vec<&str> {
        self.inner.rule_ids()
    }

    /// Advice that applies, whatever the verdict, as ``Rule`` objects.
    #[getter]
    fn advice(&self) -> Vec<PyRule> {
        self.inner.advice().map(PyRule::new).collect()
    }

    /// The ids of ``advice``.
    #[getter]
    fn advice_ids(&self) -> Vec<&str> {
        self.inner.advice_ids()
    }

    /// The ids of the waivers that lifted a rule which would otherwise have matched.
    #[getter]
    fn waivers(&self) -> Vec<&str> {
        self.inner.waivers().iter().map(|w| w.as_str()).collect()
    }

    /// Errors met while evaluating; any error makes the verdict deny.
    #[getter]
    fn errors(&self) -> Vec<String> {
        self.inner.errors().to_vec()
    }

    /// How the release reaches the vendors concerned, one sentence per chain,
    /// given when a rule forbade it or advice applies.
    #[getter]
    fn chains(&self) -> Vec<String> {
        self.inner.chains().iter().map(|c| c.to_string()).collect()
    }

    /// The id of the system asked about.
    #[getter]
    fn system(&self) -> &str {
        self.inner.asked().system.as_str()
    }

    /// The action asked about: ``"procure"``, ``"deploy"``, ``"operate"`` or ``"update"``.
    #[getter]
    fn action(&self) -> &'static str {
        self.inner.asked().action.as_str()
    }

    /// The id of the release asked about.
    #[getter]
    fn release(&self) -> &str {
        self.inner.asked().release.as_str()
    }

    /// The instant asked about, as an aware ``datetime`` in UTC.
    #[getter]
    fn at<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        instant_to_py(py, self.inner.asked().at)
    }

    /// The decision as plain data: ``system``, ``action``, ``release``, ``at``
    /// (an aware datetime), ``verdict``, ``allowed``, ``reasons`` and ``advice``
    /// (lists of ``{"id", "reason", "source"}`` dicts), ``waivers``, ``errors``
    /// and ``chains`` (lists of str).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let at = instant_to_py(py, self.inner.asked().at)?;
        decision_dict(py, &self.inner, &at)
    }

    /// The decision as JSON, as the Rust library serialises it (``at`` as an
    /// RFC 3339 string, the deciding rules under ``"rules"``).
    #[pyo3(signature = (*, pretty = false))]
    fn to_json(&self, py: Python<'_>, pretty: bool) -> PyResult<String> {
        let text = if pretty {
            serde_json::to_string_pretty(&self.inner)
        } else {
            serde_json::to_string(&self.inner)
        };
        text.map_err(|e| raise::<Error>(py, "internal", e.to_string()))
    }

    /// The explanation, the same text as ``str(decision)``.
    fn explain(&self) -> String {
        self.inner.to_string()
    }

    fn __str__(&self) -> String {
        self.inner.to_string()
    }

    fn __repr__(&self) -> String {
        let asked = self.inner.asked();
        let mut repr = format!(
            "<Decision {} {} {} on {} at {}",
            verdict_str(self.inner.verdict()),
            asked.action,
            quoted(asked.release.as_str()),
            quoted(asked.system.as_str()),
            asked.at
        );
        let mut list = |name: &str, ids: Vec<&str>| {
            if !ids.is_empty() {
                let ids: Vec<String> = ids.into_iter().map(quoted).collect();
                repr.push_str(&format!(" {name}=[{}]", ids.join(", ")));
            }
        };
        list("reasons", self.inner.rule_ids());
        list("advice", self.inner.advice_ids());
        list(
            "waivers",
            self.inner.waivers().iter().map(|w| w.as_str()).collect(),
        );
        if !self.inner.errors().is_empty() {
            repr.push_str(&format!(" errors={}", self.inner.errors().len()));
        }
        repr.push('>');
        repr
    }
}
