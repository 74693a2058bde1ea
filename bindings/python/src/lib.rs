//! Python bindings for `clearance`: may this product be deployed on this
//! system?
//!
//! The extension module `clearance._clearance` holds every class; the Python
//! package `clearance` re-exports them. Decisions are computed in Rust with the
//! interpreter released (`Python::detach`), and kept as Rust values until a
//! Python attribute asks for a field, so a sweep of thousands of deployments
//! costs little more from Python than from Rust.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use clearance::{
    Action, Decision, Effect, Engine, ErrorKind, Instant, Inventory, Pack, Policies, Query, Rule,
    Verdict,
};
use pyo3::exceptions::{PyException, PyTypeError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyBytes, PyDate, PyDateTime, PyDelta, PyDeltaAccess, PyDict, PyList, PyMapping, PyString,
    PyTuple, PyTzInfo,
};
use pyo3::{create_exception, intern, PyTypeInfo};

create_exception!(
    clearance,
    Error,
    PyException,
    "Base class of every error `clearance` raises.\n\n\
     `str(error)` is the same message the Rust library gives, naming the item, policy or \
     query part at fault; `error.kind` names the class of problem in kebab-case, as Rust's \
     `ErrorKind` does (\"json\", \"dangling-reference\", \"policy-syntax\", \"unknown-system\", \
     \"io\", \"internal\", ...)."
);
create_exception!(
    clearance,
    InventoryError,
    Error,
    "The inventory could not be loaded: malformed JSON, an invalid value, a duplicate id, a \
     dangling reference or a cycle (or, with kind \"io\", its file could not be read)."
);
create_exception!(
    clearance,
    PolicyError,
    Error,
    "Policies could not be loaded: an unknown pack name, Cedar text that does not parse or \
     validate, a missing or malformed annotation, a duplicate @id (or, with kind \"io\", a \
     policy file could not be read)."
);
create_exception!(
    clearance,
    QueryError,
    Error,
    "A question could not be asked: an unknown system, release or action, or an `at` that is \
     not a point in time (a naive datetime, a malformed ISO string)."
);

/// How many inventories have been parsed and engines built in this process;
/// see `_stats()`.
static INVENTORIES_LOADED: AtomicU64 = AtomicU64::new(0);
static ENGINES_BUILT: AtomicU64 = AtomicU64::new(0);

const MS_PER_DAY: i64 = 86_400_000;
/// `date(1970, 1, 1).toordinal()`.
const UNIX_EPOCH_ORDINAL: i64 = 719_163;
/// 0001-01-01T00:00:00Z, the earliest instant Python's `datetime` can hold.
const PYTHON_MIN_MS: i64 = (1 - UNIX_EPOCH_ORDINAL) * MS_PER_DAY;

// ---------------------------------------------------------------------------
// Errors

/// Where an error arose, for the kinds that belong to no group (such as `Io`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Inventory,
    Policy,
    Query,
}

/// An exception of class `E` with `message` and a `kind` attribute.
fn raise<E: PyTypeInfo>(py: Python<'_>, kind: &str, message: impl Into<String>) -> PyErr {
    let err = PyErr::from_type(py.get_type::<E>(), message.into());
    if let Err(failed) = err.value(py).setattr(intern!(py, "kind"), kind) {
        return failed;
    }
    err
}

/// The Python exception for a Rust error: the class by the kind's group
/// (inventory, policy, query), else by where it arose (`Io`), else `Error`.
fn to_py_err(py: Python<'_>, err: &clearance::Error, stage: Stage) -> PyErr {
    let kind = err.kind();
    let name = kind.as_str();
    let message = err.message();
    if kind.is_inventory() {
        raise::<InventoryError>(py, name, message)
    } else if kind.is_policy() {
        raise::<PolicyError>(py, name, message)
    } else if kind.is_query() {
        raise::<QueryError>(py, name, message)
    } else if kind == ErrorKind::Io {
        match stage {
            Stage::Inventory => raise::<InventoryError>(py, name, message),
            Stage::Policy => raise::<PolicyError>(py, name, message),
            Stage::Query => raise::<QueryError>(py, name, message),
        }
    } else {
        raise::<Error>(py, name, message)
    }
}

// ---------------------------------------------------------------------------
// Instants

static EPOCH: PyOnceLock<Py<PyDateTime>> = PyOnceLock::new();

/// 1970-01-01T00:00:00+00:00 as an aware `datetime`.
fn epoch(py: Python<'_>) -> PyResult<&Bound<'_, PyDateTime>> {
    EPOCH
        .get_or_try_init(py, || {
            let utc = PyTzInfo::utc(py)?;
            PyDateTime::new(py, 1970, 1, 1, 0, 0, 0, 0, Some(&utc)).map(Bound::unbind)
        })
        .map(|epoch| epoch.bind(py))
}

/// The instant a Python `at` names: `None` (now, decided by the engine), an
/// aware `datetime`, a `date` (midnight UTC at its start), or an ISO 8601 /
/// RFC 3339 string as `clearance::Instant` parses it.
fn instant_from_py(at: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Instant>> {
    let Some(at) = at else { return Ok(None) };
    let py = at.py();
    let ms = if let Ok(text) = at.cast::<PyString>() {
        let text = text.to_cow()?;
        let instant: Instant = text.parse().map_err(|e: clearance::Error| {
            raise::<QueryError>(py, e.kind().as_str(), e.message())
        })?;
        instant.unix_millis()
    } else if let Ok(datetime) = at.cast::<PyDateTime>() {
        if datetime.call_method0(intern!(py, "utcoffset"))?.is_none() {
            return Err(raise::<QueryError>(
                py,
                "invalid-value",
                format!(
                    "datetime {} has no timezone, so it does not say when it is; pass an aware \
                     datetime (tzinfo=datetime.timezone.utc, say), a date, or an ISO 8601 string \
                     with an offset",
                    datetime.str()?
                ),
            ));
        }
        let since = datetime.as_any().sub(epoch(py)?)?;
        let since = since.cast_into::<PyDelta>()?;
        i64::from(since.get_days()) * MS_PER_DAY
            + i64::from(since.get_seconds()) * 1_000
            + i64::from(since.get_microseconds()) / 1_000
    } else if let Ok(date) = at.cast::<PyDate>() {
        let ordinal: i64 = date.call_method0(intern!(py, "toordinal"))?.extract()?;
        (ordinal - UNIX_EPOCH_ORDINAL) * MS_PER_DAY
    } else {
        return Err(PyTypeError::new_err(format!(
            "`at` must be a datetime.datetime, a datetime.date, an ISO 8601 string or None, not {}",
            at.get_type().name()?
        )));
    };
    if ms < PYTHON_MIN_MS {
        return Err(raise::<QueryError>(
            py,
            "invalid-value",
            "`at` is before 0001-01-01T00:00:00Z, which Python's datetime cannot represent",
        ));
    }
    Instant::from_unix_millis(ms).map(Some).ok_or_else(|| {
        raise::<QueryError>(
            py,
            "invalid-value",
            "`at` is after 9999-12-31T23:59:59.999Z",
        )
    })
}

/// An instant as an aware `datetime` in UTC.
fn instant_to_py(py: Python<'_>, at: Instant) -> PyResult<Bound<'_, PyAny>> {
    let ms = at.unix_millis();
    let (days, rest) = (ms.div_euclid(MS_PER_DAY), ms.rem_euclid(MS_PER_DAY));
    let days = i32::try_from(days)
        .map_err(|_| pyo3::exceptions::PyOverflowError::new_err("instant out of range"))?;
    // `rest` is below a day, so both parts fit.
    let delta = PyDelta::new(
        py,
        days,
        (rest / 1_000) as i32,
        (rest % 1_000 * 1_000) as i32,
        false,
    )?;
    epoch(py)?.as_any().add(delta)
}

fn action_from_str(py: Python<'_>, action: &str) -> PyResult<Action> {
    action
        .parse()
        .map_err(|e: clearance::Error| to_py_err(py, &e, Stage::Query))
}

// ---------------------------------------------------------------------------
// Inventories

static JSON_DUMPS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static JSON_LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

fn json_function<'py>(
    py: Python<'py>,
    cell: &'static PyOnceLock<Py<PyAny>>,
    name: &str,
) -> PyResult<&'py Bound<'py, PyAny>> {
    cell.import(py, "json", name)
}

fn loaded(result: clearance::Result<Inventory>, py: Python<'_>) -> PyResult<Arc<Inventory>> {
    let inventory = result.map_err(|e| to_py_err(py, &e, Stage::Inventory))?;
    INVENTORIES_LOADED.fetch_add(1, Ordering::Relaxed);
    Ok(Arc::new(inventory))
}

fn inventory_from_json(py: Python<'_>, text: &Bound<'_, PyAny>) -> PyResult<Arc<Inventory>> {
    if let Ok(text) = text.cast::<PyString>() {
        let text = text.to_cow()?;
        let text: &str = &text;
        loaded(py.detach(|| Inventory::from_json(text)), py)
    } else if let Ok(bytes) = text.cast::<PyBytes>() {
        let bytes = bytes.as_bytes();
        loaded(py.detach(|| Inventory::from_json_slice(bytes)), py)
    } else {
        Err(PyTypeError::new_err(format!(
            "inventory JSON must be str or bytes, not {}",
            text.get_type().name()?
        )))
    }
}

fn inventory_from_path(py: Python<'_>, path: PathBuf) -> PyResult<Arc<Inventory>> {
    loaded(py.detach(|| Inventory::from_path(&path)), py)
}

fn inventory_from_dict(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Arc<Inventory>> {
    if data.cast::<PyMapping>().is_err() {
        return Err(PyTypeError::new_err(format!(
            "an inventory dict must be a mapping, not {}",
            data.get_type().name()?
        )));
    }
    let kwargs = PyDict::new(py);
    kwargs.set_item(intern!(py, "allow_nan"), false)?;
    let text = json_function(py, &JSON_DUMPS, "dumps")?
        .call((data,), Some(&kwargs))
        .map_err(|e| {
            raise::<InventoryError>(
                py,
                "json",
                format!("inventory dict is not plain JSON data: {}", e.value(py)),
            )
        })?;
    inventory_from_json(py, &text)
}

/// An inventory from whatever names one; see `Inventory.__new__`.
fn inventory_from_any(py: Python<'_>, source: &Bound<'_, PyAny>) -> PyResult<Arc<Inventory>> {
    if let Ok(inventory) = source.cast::<PyInventory>() {
        Ok(Arc::clone(&inventory.get().inner))
    } else if let Ok(text) = source.cast::<PyString>() {
        let looks_like_json = text.to_cow()?.trim_start().starts_with('{');
        if looks_like_json {
            inventory_from_json(py, source)
        } else {
            inventory_from_path(py, source.extract()?)
        }
    } else if source.cast::<PyBytes>().is_ok() {
        inventory_from_json(py, source)
    } else if source.cast::<PyMapping>().is_ok() {
        inventory_from_dict(py, source)
    } else if source.hasattr(intern!(py, "__fspath__"))? {
        inventory_from_path(py, source.extract()?)
    } else {
        Err(PyTypeError::new_err(format!(
            "an inventory is an Inventory, a dict, JSON text (str or bytes) or a path, not {}",
            source.get_type().name()?
        )))
    }
}

/// A loaded, checked inventory: vendors, products, releases, authorisations,
/// organisations, systems, waivers and deployments.
///
/// ``Inventory(source)`` accepts what ``Engine`` accepts: a dict, JSON text
/// (``str`` or ``bytes``), a path (``pathlib.Path`` or any ``os.PathLike``), or
/// another ``Inventory``. A ``str`` is read as JSON when its first
/// non-whitespace character is ``{`` and as a file path otherwise; use
/// ``Inventory.from_json``, ``Inventory.from_path`` or ``Inventory.from_dict``
/// to say which outright.
///
/// Loading checks the whole inventory (well-formed values, unique ids,
/// references that resolve, no cycles) and raises ``InventoryError`` naming the
/// offending item; nothing is half-loaded. An inventory is immutable; equal
/// inventories compare equal.
#[pyclass(frozen, eq, module = "clearance", name = "Inventory")]
#[derive(PartialEq)]
struct PyInventory {
    inner: Arc<Inventory>,
}

#[pymethods]
impl PyInventory {
    #[new]
    fn new(py: Python<'_>, source: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(PyInventory {
            inner: inventory_from_any(py, source)?,
        })
    }

    /// Parses and checks an inventory from JSON text (``str`` or ``bytes``).
    ///
    /// Raises ``InventoryError``: kind ``"json"`` for text that is not an
    /// inventory (the message gives the JSON path, line and column), or the
    /// kind of the first problem found in its content.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(PyInventory {
            inner: inventory_from_json(py, text)?,
        })
    }

    /// Reads, parses and checks an inventory from a JSON file.
    ///
    /// Raises ``InventoryError``, with kind ``"io"`` if the file cannot be read.
    #[staticmethod]
    fn from_path(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        Ok(PyInventory {
            inner: inventory_from_path(py, path)?,
        })
    }

    /// Checks an inventory given as plain data: a dict shaped like the JSON
    /// (lists of dicts, strings, numbers, booleans).
    ///
    /// Raises ``InventoryError`` (kind ``"json"`` if the data is not JSON-like
    /// or not shaped like an inventory).
    #[staticmethod]
    fn from_dict(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(PyInventory {
            inner: inventory_from_dict(py, data)?,
        })
    }

    /// The inventory as pretty-printed JSON, which ``Inventory.from_json``
    /// reads back to an equal inventory.
    fn to_json(&self, py: Python<'_>) -> String {
        let inventory = &self.inner;
        py.detach(|| inventory.to_json())
    }

    /// The inventory as plain data (``json.loads(self.to_json())``), which
    /// ``Inventory.from_dict`` reads back to an equal inventory.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let text = self.to_json(py);
        json_function(py, &JSON_LOADS, "loads")?.call1((text,))
    }

    /// The ids of the systems, in inventory order (the columns of ``Engine.matrix``).
    #[getter]
    fn system_ids(&self) -> Vec<&str> {
        self.inner.systems.iter().map(|s| s.id.as_str()).collect()
    }

    /// The ids of the releases, in inventory order (the rows of ``Engine.matrix``).
    #[getter]
    fn release_ids(&self) -> Vec<&str> {
        self.inner.releases.iter().map(|r| r.id.as_str()).collect()
    }

    /// The deployments as ``(system, release)`` pairs, in inventory order (the
    /// order of ``Engine.sweep``).
    #[getter]
    fn deployments(&self) -> Vec<(&str, &str)> {
        self.inner
            .deployments
            .iter()
            .map(|d| (d.system.as_str(), d.release.as_str()))
            .collect()
    }

    fn __repr__(&self) -> String {
        let i = &self.inner;
        format!(
            "<Inventory: {} vendors, {} products, {} releases, {} organisations, {} systems, \
             {} waivers, {} deployments>",
            i.vendors.len(),
            i.products.len(),
            i.releases.len(),
            i.organisations.len(),
            i.systems.len(),
            i.waivers.len(),
            i.deployments.len()
        )
    }
}

// ---------------------------------------------------------------------------
// Policies

/// `value` as one string or an iterable of strings.
fn one_or_many<T>(
    value: &Bound<'_, PyAny>,
    one: impl Fn(&Bound<'_, PyAny>) -> bool,
    extract: impl Fn(&Bound<'_, PyAny>) -> PyResult<T>,
) -> PyResult<Vec<T>> {
    if one(value) {
        return Ok(vec![extract(value)?]);
    }
    value.try_iter()?.map(|item| extract(&item?)).collect()
}

fn is_path_like(value: &Bound<'_, PyAny>) -> bool {
    value.cast::<PyString>().is_ok() || value.hasattr("__fspath__").unwrap_or(false)
}

/// Every shipped pack, read once per process. Engines built from copies of
/// one set also share what they read off it (slices, guards), which a set
/// read afresh for each `Engine` would work out again; adding policies to a
/// copy changes that copy only.
fn all_packs() -> clearance::Result<Policies> {
    static ALL: std::sync::OnceLock<Policies> = std::sync::OnceLock::new();
    if let Some(all) = ALL.get() {
        return Ok(all.clone());
    }
    let all = Policies::all_packs()?;
    Ok(ALL.get_or_init(|| all).clone())
}

fn policies_from_py(
    py: Python<'_>,
    packs: Option<&Bound<'_, PyAny>>,
    policies: Option<&Bound<'_, PyAny>>,
    policy_files: Option<&Bound<'_, PyAny>>,
) -> PyResult<Policies> {
    let failed = |e: clearance::Error| to_py_err(py, &e, Stage::Policy);
    let mut set = match packs {
        None => all_packs().map_err(failed)?,
        Some(packs) => {
            let names: Vec<String> =
                one_or_many(packs, |v| v.cast::<PyString>().is_ok(), |v| v.extract())?;
            Policies::from_pack_names(&names).map_err(failed)?
        }
    };
    if let Some(policies) = policies {
        let texts: Vec<(String, String)> = if let Ok(text) = policies.cast::<PyString>() {
            vec![("<policies>".to_owned(), text.extract()?)]
        } else if policies.cast::<PyMapping>().is_ok() {
            policies
                .call_method0(intern!(py, "items"))?
                .try_iter()?
                .map(|item| item?.extract())
                .collect::<PyResult<_>>()?
        } else {
            policies
                .try_iter()?
                .enumerate()
                .map(|(i, text)| Ok((format!("<policies[{i}]>"), text?.extract()?)))
                .collect::<PyResult<_>>()?
        };
        for (origin, text) in &texts {
            set.add_text(origin, text).map_err(failed)?;
        }
    }
    if let Some(files) = policy_files {
        let paths: Vec<PathBuf> = one_or_many(files, is_path_like, |v| v.extract())?;
        for path in &paths {
            set.add_file(path).map_err(failed)?;
        }
    }
    Ok(set)
}

/// A policy as people read it.
///
/// ``id`` is its ``@id``, ``reason`` its ``@reason`` and ``source`` its
/// ``@source`` (the law, directive or guidance it encodes; ``None`` if it has
/// none). ``effect`` is ``"permit"``, ``"forbid"`` (binding) or ``"advice"``;
/// ``origin`` is the pack name, file path or name the text was added under.
#[pyclass(frozen, eq, hash, module = "clearance", name = "Rule")]
#[derive(PartialEq, Eq, Hash)]
struct PyRule {
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
    fn new(rule: &Rule) -> PyRule {
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

fn decisions_to_list(
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
struct PyDecision {
    inner: Decision,
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

// ---------------------------------------------------------------------------
// The engine

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
struct PyEngine {
    engine: Engine,
    /// The inventory as a Python object: the one given, or made when first asked for.
    inventory: PyOnceLock<Py<PyInventory>>,
}

impl PyEngine {
    fn at_or_now(at: Option<&Bound<'_, PyAny>>) -> PyResult<Instant> {
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

// ---------------------------------------------------------------------------
// Benchmark hooks and counters (private)

/// Wall-clock and CPU time of this thread, to time loops inside Rust the way
/// `time.perf_counter` and `time.thread_time` time them in Python.
struct Stopwatch {
    wall: std::time::Instant,
    cpu: f64,
}

impl Stopwatch {
    fn start() -> Stopwatch {
        Stopwatch {
            wall: std::time::Instant::now(),
            cpu: thread_cpu_seconds(),
        }
    }

    /// `(wall seconds, CPU seconds of this thread)` since the start.
    fn elapsed(&self) -> (f64, f64) {
        (
            self.wall.elapsed().as_secs_f64(),
            thread_cpu_seconds() - self.cpu,
        )
    }
}

/// This thread's CPU time, where the platform has a per-thread clock; NaN
/// elsewhere (the benchmark then compares wall-clock time only).
#[cfg(unix)]
fn thread_cpu_seconds() -> f64 {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid, writable timespec; the clock id is a constant.
    let failed = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) } != 0;
    if failed {
        return f64::NAN;
    }
    now.tv_sec as f64 + now.tv_nsec as f64 * 1e-9
}

#[cfg(not(unix))]
fn thread_cpu_seconds() -> f64 {
    f64::NAN
}

/// ``(wall, cpu)`` seconds Rust takes for ``n`` decisions of one query, the
/// query built anew each time as a Rust caller would; for
/// ``benches/bench_decide.py``.
#[pyfunction]
#[pyo3(name = "_bench_rust_decide")]
fn bench_rust_decide(
    py: Python<'_>,
    engine: &Bound<'_, PyEngine>,
    system: &str,
    action: &str,
    release: &str,
    at: &Bound<'_, PyAny>,
    n: u64,
) -> PyResult<(f64, f64)> {
    let engine = &engine.get().engine;
    let action = action_from_str(py, action)?;
    let at = PyEngine::at_or_now(Some(at))?;
    let (system, release) = (system.to_owned(), release.to_owned());
    let elapsed = py.detach(|| {
        let watch = Stopwatch::start();
        for _ in 0..n {
            let query = Query::new(system.as_str(), action, release.as_str()).at(at);
            std::hint::black_box(engine.decide(std::hint::black_box(&query)))?;
        }
        Ok::<(f64, f64), clearance::Error>(watch.elapsed())
    });
    elapsed.map_err(|e| to_py_err(py, &e, Stage::Query))
}

/// ``(wall, cpu)`` seconds Rust takes for ``n`` sweeps at ``at``.
#[pyfunction]
#[pyo3(name = "_bench_rust_sweep")]
fn bench_rust_sweep(
    py: Python<'_>,
    engine: &Bound<'_, PyEngine>,
    at: &Bound<'_, PyAny>,
    n: u64,
) -> PyResult<(f64, f64)> {
    let engine = &engine.get().engine;
    let at = PyEngine::at_or_now(Some(at))?;
    Ok(py.detach(|| {
        let watch = Stopwatch::start();
        for _ in 0..n {
            std::hint::black_box(engine.sweep(std::hint::black_box(at)));
        }
        watch.elapsed()
    }))
}

/// ``(wall, cpu)`` seconds Rust takes for ``n`` matrices of ``action`` at ``at``.
#[pyfunction]
#[pyo3(name = "_bench_rust_matrix")]
fn bench_rust_matrix(
    py: Python<'_>,
    engine: &Bound<'_, PyEngine>,
    action: &str,
    at: &Bound<'_, PyAny>,
    n: u64,
) -> PyResult<(f64, f64)> {
    let engine = &engine.get().engine;
    let action = action_from_str(py, action)?;
    let at = PyEngine::at_or_now(Some(at))?;
    Ok(py.detach(|| {
        let watch = Stopwatch::start();
        for _ in 0..n {
            std::hint::black_box(engine.matrix(action, std::hint::black_box(at)));
        }
        watch.elapsed()
    }))
}

/// How many inventories this process has parsed and engines it has built.
#[pyfunction]
#[pyo3(name = "_stats")]
fn stats(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item(
        "inventories_loaded",
        INVENTORIES_LOADED.load(Ordering::Relaxed),
    )?;
    dict.set_item("engines_built", ENGINES_BUILT.load(Ordering::Relaxed))?;
    Ok(dict)
}

/// May this product be deployed on this system? Supply-chain deployment rules,
/// decided and explained with Cedar policies.
#[pymodule(name = "_clearance")]
fn clearance_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<PyEngine>()?;
    m.add_class::<PyInventory>()?;
    m.add_class::<PyDecision>()?;
    m.add_class::<PyRule>()?;
    m.add("Error", py.get_type::<Error>())?;
    m.add("InventoryError", py.get_type::<InventoryError>())?;
    m.add("PolicyError", py.get_type::<PolicyError>())?;
    m.add("QueryError", py.get_type::<QueryError>())?;
    m.add(
        "PACKS",
        PyTuple::new(py, Pack::ALL.iter().map(|p| p.as_str()))?,
    )?;
    m.add(
        "ACTIONS",
        PyTuple::new(py, Action::ALL.iter().map(|a| a.as_str()))?,
    )?;
    m.add("SCHEMA", clearance::SCHEMA_TEXT)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(bench_rust_decide, m)?)?;
    m.add_function(wrap_pyfunction!(bench_rust_sweep, m)?)?;
    m.add_function(wrap_pyfunction!(bench_rust_matrix, m)?)?;
    m.add_function(wrap_pyfunction!(stats, m)?)?;
    Ok(())
}
