//! `Rule` and `Decision`, the answers the engine gives, their plain-data
//! forms (dicts) and their pickled forms. Wraps values already computed:
//! uses `errors`, `convert` and `tables`, and knows nothing of the engine,
//! inventories or policy loading.

use std::sync::Arc;

use clearance::{
    Action, Approval, Chain, Decision, Effect, Holding, Id, Instant, Link, Rule, Verdict,
};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyDict, PyTuple};
use serde::{Deserialize, Serialize};

use crate::convert::{instant_to_py, reducer};
use crate::errors::{raise, Error};
use crate::tables::Tables;

/// `"permit"`, `"forbid"` or `"advice"`.
pub(crate) fn effect_str(effect: Effect) -> &'static str {
    match effect {
        Effect::Permit => "permit",
        Effect::Forbid => "forbid",
        Effect::Advice => "advice",
    }
}

pub(crate) fn verdict_str(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Allow => "allow",
        Verdict::Deny => "deny",
    }
}

static RULE_FROM_PARTS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static DECISION_FROM_STATE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// A policy as people read it.
///
/// ``id`` is its ``@id``, ``reason`` its ``@reason`` and ``source`` its
/// ``@source`` (the law, directive or guidance it encodes; ``None`` if it has
/// none). ``quote`` is its ``@quote``, the operative words of that
/// instrument, verbatim, and ``quote_source`` its ``@quote_source``, where
/// exactly they are (both ``None`` for a rule that quotes no instrument).
/// ``binds`` is its ``@binds``, the classes of systems it binds (``None``
/// if it does not say), and ``waivers_per_system`` whether it says
/// ``@waivers("systems")`` (a waiver of it must name systems). ``effect`` is
/// ``"permit"``, ``"forbid"`` (binding) or ``"advice"``;
/// ``origin`` is the pack name, file path or name the text was added under.
/// Rules are immutable values: equal when every field is, hashable, and
/// picklable.
#[pyclass(frozen, eq, hash, weakref, module = "clearance", name = "Rule")]
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
    /// The policy's ``@quote``: the instrument's operative words, verbatim, or ``None``.
    #[pyo3(get)]
    quote: Option<String>,
    /// The policy's ``@quote_source``: where the quoted words are, or ``None``.
    #[pyo3(get)]
    quote_source: Option<String>,
    /// The policy's ``@binds``: the classes of systems it binds, such as
    /// ``"role:app-store & location:US"``, or ``None`` if it does not say.
    #[pyo3(get)]
    binds: Option<String>,
    /// Whether the policy says ``@waivers("systems")``: a waiver of it must
    /// name systems, not whole organisations.
    #[pyo3(get)]
    waivers_per_system: bool,
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
            quote: rule.quote().map(str::to_owned),
            quote_source: rule.quote_source().map(str::to_owned),
            binds: rule.binds().map(|b| b.to_string()),
            waivers_per_system: rule.waivers_per_system(),
            effect: effect_str(rule.effect()),
            origin: rule.origin().to_owned(),
        }
    }
}

/// Rebuilds a pickled `Rule`. The quote, then whom it binds and whether its
/// waivers name systems, come last, with defaults, so that rules pickled
/// before they existed still load.
#[pyfunction]
#[pyo3(
    name = "_rule",
    signature = (id, reason, source, effect, origin, quote=None, quote_source=None, binds=None, waivers_per_system=false)
)]
#[allow(clippy::too_many_arguments)]
pub(crate) fn rule_from_parts(
    py: Python<'_>,
    id: String,
    reason: String,
    source: Option<String>,
    effect: &str,
    origin: String,
    quote: Option<String>,
    quote_source: Option<String>,
    binds: Option<String>,
    waivers_per_system: bool,
) -> PyResult<PyRule> {
    let effect = match effect {
        "permit" => "permit",
        "forbid" => "forbid",
        "advice" => "advice",
        other => {
            return Err(raise::<Error>(
                py,
                "invalid-value",
                format!("rule effect {other:?} is not \"permit\", \"forbid\" or \"advice\""),
            ))
        }
    };
    Ok(PyRule {
        id,
        reason,
        source,
        quote,
        quote_source,
        binds,
        waivers_per_system,
        effect,
        origin,
    })
}

#[pymethods]
impl PyRule {
    /// ``{"id": ..., "reason": ..., "source": ..., "quote": ..., "quote_source": ...}``,
    /// as ``Decision.to_dict`` (and ``to_json``) list rules: ``binds``,
    /// ``waivers_per_system``, ``effect`` and ``origin`` are attributes only.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        dict.set_item(intern!(py, "id"), &self.id)?;
        dict.set_item(intern!(py, "reason"), &self.reason)?;
        dict.set_item(intern!(py, "source"), &self.source)?;
        dict.set_item(intern!(py, "quote"), &self.quote)?;
        dict.set_item(intern!(py, "quote_source"), &self.quote_source)?;
        Ok(dict)
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let args = (
            &self.id,
            &self.reason,
            &self.source,
            self.effect,
            &self.origin,
            &self.quote,
            &self.quote_source,
            &self.binds,
            self.waivers_per_system,
        );
        reducer(py, &RULE_FROM_PARTS, "_rule", args)
    }

    /// A rule is immutable: its copy is itself.
    fn __copy__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    /// A rule is immutable: its deep copy is itself.
    fn __deepcopy__(slf: Py<Self>, _memo: &Bound<'_, PyAny>) -> Py<Self> {
        slf
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
pub(crate) fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// Where a `Decision` object's decision is: its own, or one of a bulk
/// answer's (shared with the `Matrix` or `Decisions` it came from, and with
/// every other decision taken from it).
enum Held {
    One(Decision),
    Shared(Arc<Vec<Decision>>, usize),
}

/// The answer to "may this system do this with this release, at this instant?"
///
/// Fail-closed: ``allowed`` is true only when a permit matched, no binding rule
/// forbade it and no policy failed to evaluate; any evaluation error gives a
/// deny, with the error in ``errors``.
///
/// ``str(decision)`` is the explanation the Rust library prints: the verdict
/// and question, each deciding rule with its source, the advice, the waivers
/// used (those of non-enforcement marked as such), the chains, the holdings,
/// the Conditional Approvals and the errors. Decisions compare equal when every field
/// does; they are immutable, and pickle to an equal decision.
#[pyclass(frozen, eq, weakref, module = "clearance", name = "Decision")]
pub(crate) struct PyDecision {
    held: Held,
}

impl PartialEq for PyDecision {
    fn eq(&self, other: &Self) -> bool {
        self.inner() == other.inner()
    }
}

impl PyDecision {
    pub(crate) fn one(decision: Decision) -> PyDecision {
        PyDecision {
            held: Held::One(decision),
        }
    }

    /// Decision `index` of `cells`, which it shares.
    pub(crate) fn shared(cells: &Arc<Vec<Decision>>, index: usize) -> PyDecision {
        debug_assert!(index < cells.len());
        PyDecision {
            held: Held::Shared(Arc::clone(cells), index),
        }
    }

    pub(crate) fn inner(&self) -> &Decision {
        match &self.held {
            Held::One(decision) => decision,
            Held::Shared(cells, index) => &cells[*index],
        }
    }
}

/// A decision as plain data, its strings and instant from `tables`.
pub(crate) fn decision_dict<'a, 'py>(
    tables: &mut Tables<'a, 'py>,
    decision: &'a Decision,
) -> PyResult<Bound<'py, PyDict>> {
    let py = tables.py();
    let asked = decision.asked();
    let dict = PyDict::new(py);
    dict.set_item(intern!(py, "system"), tables.id(&asked.system))?;
    dict.set_item(intern!(py, "action"), tables.action(asked.action))?;
    dict.set_item(intern!(py, "release"), tables.id(&asked.release))?;
    dict.set_item(intern!(py, "at"), tables.at(asked.at)?)?;
    dict.set_item(intern!(py, "verdict"), tables.verdict(decision.verdict()))?;
    dict.set_item(intern!(py, "allowed"), decision.allowed())?;
    dict.set_item(intern!(py, "rules"), tables.rule_dicts(decision.rules())?)?;
    dict.set_item(intern!(py, "advice"), tables.rule_dicts(decision.advice())?)?;
    dict.set_item(intern!(py, "waivers"), tables.id_list(decision.waivers())?)?;
    dict.set_item(intern!(py, "errors"), tables.error_list(decision.errors())?)?;
    dict.set_item(intern!(py, "chains"), tables.chain_list(decision.chains())?)?;
    dict.set_item(
        intern!(py, "non_enforcement"),
        tables.id_list(decision.non_enforcement())?,
    )?;
    dict.set_item(
        intern!(py, "holdings"),
        tables.holding_list(decision.holdings())?,
    )?;
    dict.set_item(
        intern!(py, "approvals"),
        tables.approval_list(decision.approvals())?,
    )?;
    Ok(dict)
}

/// A decision as it is pickled: every part, the chains as their links. The
/// waivers of non-enforcement, the holdings and the approvals come last, and
/// are left out when empty, so that decisions pickled before they existed
/// still load.
#[derive(Serialize, Deserialize)]
pub(crate) struct DecisionState {
    system: Id,
    action: Action,
    release: Id,
    /// Milliseconds since the Unix epoch.
    at: i64,
    allowed: bool,
    rules: Vec<Rule>,
    advice: Vec<Rule>,
    waivers: Vec<Id>,
    errors: Vec<String>,
    chains: Vec<Vec<Link>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    non_enforcement: Vec<Id>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    holdings: Vec<Holding>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    approvals: Vec<Approval>,
}

impl DecisionState {
    pub(crate) fn of(decision: &Decision) -> DecisionState {
        let asked = decision.asked();
        DecisionState {
            system: asked.system.clone(),
            action: asked.action,
            release: asked.release.clone(),
            at: asked.at.unix_millis(),
            allowed: decision.allowed(),
            rules: decision.rules().cloned().collect(),
            advice: decision.advice().cloned().collect(),
            waivers: decision.waivers().to_vec(),
            errors: decision.errors().to_vec(),
            chains: decision
                .chains()
                .iter()
                .map(|c| c.links().to_vec())
                .collect(),
            non_enforcement: decision.non_enforcement().to_vec(),
            holdings: decision.holdings().to_vec(),
            approvals: decision.approvals().to_vec(),
        }
    }

    pub(crate) fn into_decision(self, py: Python<'_>) -> PyResult<Decision> {
        let at = Instant::from_unix_millis(self.at)
            .ok_or_else(|| raise::<Error>(py, "invalid-value", "pickled decision: bad instant"))?;
        Ok(Decision::from_parts(
            clearance::Asked {
                system: self.system,
                action: self.action,
                release: self.release,
                at,
            },
            if self.allowed {
                Verdict::Allow
            } else {
                Verdict::Deny
            },
            self.rules,
            self.advice,
            self.waivers,
            self.errors,
            self.chains.into_iter().map(Chain::new).collect(),
        )
        .with_non_enforcement(self.non_enforcement)
        .with_holdings(self.holdings)
        .with_approvals(self.approvals))
    }
}

/// `value` as JSON bytes, for a pickle.
pub(crate) fn state_bytes<'py>(
    py: Python<'py>,
    value: &(impl Serialize + Sync),
) -> PyResult<Bound<'py, PyBytes>> {
    let bytes = py
        .detach(|| serde_json::to_vec(value))
        .map_err(|e| raise::<Error>(py, "internal", format!("pickling: {e}")))?;
    Ok(PyBytes::new(py, &bytes))
}

/// The value pickled as `state_bytes`.
pub(crate) fn from_state_bytes<T: for<'de> Deserialize<'de> + Send>(
    py: Python<'_>,
    what: &str,
    state: &[u8],
) -> PyResult<T> {
    py.detach(|| serde_json::from_slice(state))
        .map_err(|e| raise::<Error>(py, "json", format!("unpickling {what}: {e}")))
}

/// Rebuilds a pickled `Decision`.
#[pyfunction]
#[pyo3(name = "_decision")]
pub(crate) fn decision_from_state(py: Python<'_>, state: &[u8]) -> PyResult<PyDecision> {
    let state: DecisionState = from_state_bytes(py, "a decision", state)?;
    Ok(PyDecision::one(state.into_decision(py)?))
}

#[pymethods]
impl PyDecision {
    /// Whether the verdict is allow.
    #[getter]
    fn allowed(&self) -> bool {
        self.inner().allowed()
    }

    /// ``"allow"`` or ``"deny"``.
    #[getter]
    fn verdict(&self) -> &'static str {
        verdict_str(self.inner().verdict())
    }

    /// The rules that decided it, as ``Rule`` objects: the binding forbids that
    /// matched for a deny, the permits that matched for an allow. Empty for a
    /// deny that nothing permitted, or that an error forced.
    #[getter]
    fn reasons(&self) -> Vec<PyRule> {
        self.inner().rules().map(PyRule::new).collect()
    }

    /// The ids of ``reasons``.
    #[getter]
    fn rule_ids(&self) -> Vec<&str> {
        self.inner().rule_ids()
    }

    /// Advice that applies, whatever the verdict, as ``Rule`` objects.
    #[getter]
    fn advice(&self) -> Vec<PyRule> {
        self.inner().advice().map(PyRule::new).collect()
    }

    /// The ids of ``advice``.
    #[getter]
    fn advice_ids(&self) -> Vec<&str> {
        self.inner().advice_ids()
    }

    /// The ids of the waivers that lifted a rule which would otherwise have matched.
    #[getter]
    fn waivers(&self) -> Vec<&str> {
        self.inner().waivers().iter().map(|w| w.as_str()).collect()
    }

    /// Errors met while evaluating; any error makes the verdict deny.
    #[getter]
    fn errors(&self) -> Vec<String> {
        self.inner().errors().to_vec()
    }

    /// How the release reaches the vendors concerned, one sentence per chain,
    /// given when a rule forbade it or advice applies.
    #[getter]
    fn chains(&self) -> Vec<String> {
        self.inner()
            .chains()
            .iter()
            .map(|c| c.to_string())
            .collect()
    }

    /// Of ``waivers``, the ids of those that record a period of
    /// non-enforcement (an executive's order not to enforce the law), not an
    /// exception the law provides: the law's words still forbid what was done.
    #[getter]
    fn non_enforcement(&self) -> Vec<&str> {
        self.inner()
            .non_enforcement()
            .iter()
            .map(|w| w.as_str())
            .collect()
    }

    /// The aggregate-ownership tests the deciding rules and advice read (a
    /// foreign adversary's 20%, OFAC's 50%), one sentence per company tested:
    /// the stakes counted and what they add up to. Given when a rule forbade
    /// it or advice applies.
    #[getter]
    fn holdings(&self) -> Vec<String> {
        self.inner()
            .holdings()
            .iter()
            .map(|h| h.to_string())
            .collect()
    }

    /// The Conditional Approvals (DoW's or DHS's) in force at the instant for
    /// the release, if it is equipment, and for the UAS critical components it
    /// embeds, one sentence each: who holds it, what it covers, its dates and
    /// source. Given whatever the verdict: the FCC's Covered List entries
    /// except approved devices, so an Allow may rest on one.
    #[getter]
    fn approvals(&self) -> Vec<String> {
        self.inner()
            .approvals()
            .iter()
            .map(|a| a.to_string())
            .collect()
    }

    /// The id of the system asked about.
    #[getter]
    fn system(&self) -> &str {
        self.inner().asked().system.as_str()
    }

    /// The action asked about: ``"procure"``, ``"deploy"``, ``"operate"`` or ``"update"``.
    #[getter]
    fn action(&self) -> &'static str {
        self.inner().asked().action.as_str()
    }

    /// The id of the release asked about.
    #[getter]
    fn release(&self) -> &str {
        self.inner().asked().release.as_str()
    }

    /// The instant asked about, as an aware ``datetime`` in UTC.
    #[getter]
    fn at<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        instant_to_py(py, self.inner().asked().at)
    }

    /// The decision as plain data: ``system``, ``action``, ``release``, ``at``
    /// (an aware datetime), ``verdict``, ``allowed``, ``rules`` and ``advice``
    /// (lists of ``{"id", "reason", "source", "quote", "quote_source"}``
    /// dicts), ``waivers``, ``errors``, ``chains``, ``non_enforcement``,
    /// ``holdings`` and ``approvals`` (lists of str). The keys are those of
    /// ``to_json``, in its order, plus ``allowed``; but ``to_json`` writes
    /// each holding and approval as an object (a holding's company, test,
    /// threshold, stakes, total and outcome; an approval's release, holder,
    /// grantor, dates and source) where this gives its sentence, and leaves
    /// ``non_enforcement``, ``holdings`` and ``approvals`` out when they are
    /// empty.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let decision = self.inner();
        decision_dict(&mut Tables::new(py), decision)
    }

    /// The decision as JSON, as the Rust library serialises it (``at`` as an
    /// RFC 3339 string, the deciding rules under ``"rules"``, holdings and
    /// approvals as objects, ``"non_enforcement"``, ``"holdings"`` and
    /// ``"approvals"`` only when not empty).
    #[pyo3(signature = (*, pretty = false))]
    fn to_json(&self, py: Python<'_>, pretty: bool) -> PyResult<String> {
        let text = if pretty {
            serde_json::to_string_pretty(self.inner())
        } else {
            serde_json::to_string(self.inner())
        };
        text.map_err(|e| raise::<Error>(py, "internal", e.to_string()))
    }

    /// The explanation, the same text as ``str(decision)``.
    fn explain(&self) -> String {
        self.inner().to_string()
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let state = state_bytes(py, &DecisionState::of(self.inner()))?;
        reducer(py, &DECISION_FROM_STATE, "_decision", (state,))
    }

    /// A decision is immutable: its copy is itself.
    fn __copy__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    /// A decision is immutable: its deep copy is itself.
    fn __deepcopy__(slf: Py<Self>, _memo: &Bound<'_, PyAny>) -> Py<Self> {
        slf
    }

    fn __str__(&self) -> String {
        self.inner().to_string()
    }

    fn __repr__(&self) -> String {
        let decision = self.inner();
        let asked = decision.asked();
        let mut repr = format!(
            "<Decision {} {} {} on {} at {}",
            verdict_str(decision.verdict()),
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
        list("reasons", decision.rule_ids());
        list("advice", decision.advice_ids());
        list(
            "waivers",
            decision.waivers().iter().map(|w| w.as_str()).collect(),
        );
        if !decision.errors().is_empty() {
            repr.push_str(&format!(" errors={}", decision.errors().len()));
        }
        repr.push('>');
        repr
    }
}
