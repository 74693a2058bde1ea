//! Conversion of arguments and values between Python and Rust: instants,
//! actions, JSON text, arguments given as one value or many, and the
//! `(function, args)` pairs of `__reduce__`. Converts; holds no state beyond
//! cached Python objects (the epoch, `json.dumps`, `json.loads`). Uses
//! `errors` only; knows nothing of inventories, policies, decisions or the
//! engine.

use clearance::{Action, Instant};
use pyo3::exceptions::PyTypeError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDate, PyDateTime, PyDelta, PyDeltaAccess, PyString, PyTuple, PyTzInfo};
use pyo3::BoundObject;

use crate::errors::{raise, to_py_err, QueryError, Stage};

const MS_PER_DAY: i64 = 86_400_000;
/// `date(1970, 1, 1).toordinal()`.
const UNIX_EPOCH_ORDINAL: i64 = 719_163;
/// 0001-01-01T00:00:00Z, the earliest instant Python's `datetime` can hold.
const PYTHON_MIN_MS: i64 = (1 - UNIX_EPOCH_ORDINAL) * MS_PER_DAY;

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
pub(crate) fn instant_from_py(at: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Instant>> {
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

/// A required instant argument `name` (not `None`), as `instant_from_py` reads it.
pub(crate) fn instant_arg(value: &Bound<'_, PyAny>, name: &str) -> PyResult<Instant> {
    if value.is_none() {
        return Err(PyTypeError::new_err(format!(
            "`{name}` must be a datetime.datetime, a datetime.date or an ISO 8601 string, not None"
        )));
    }
    Ok(instant_from_py(Some(value))?.expect("not None"))
}

/// An instant as an aware `datetime` in UTC.
pub(crate) fn instant_to_py(py: Python<'_>, at: Instant) -> PyResult<Bound<'_, PyAny>> {
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

pub(crate) fn action_from_str(py: Python<'_>, action: &str) -> PyResult<Action> {
    action
        .parse()
        .map_err(|e: clearance::Error| to_py_err(py, &e, Stage::Query))
}

pub(crate) static JSON_DUMPS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
pub(crate) static JSON_LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

pub(crate) fn json_function<'py>(
    py: Python<'py>,
    cell: &'static PyOnceLock<Py<PyAny>>,
    name: &str,
) -> PyResult<&'py Bound<'py, PyAny>> {
    cell.import(py, "json", name)
}

/// `value` as one string or an iterable of strings.
pub(crate) fn one_or_many<T>(
    value: &Bound<'_, PyAny>,
    one: impl Fn(&Bound<'_, PyAny>) -> bool,
    extract: impl Fn(&Bound<'_, PyAny>) -> PyResult<T>,
) -> PyResult<Vec<T>> {
    if one(value) {
        return Ok(vec![extract(value)?]);
    }
    value.try_iter()?.map(|item| extract(&item?)).collect()
}

pub(crate) fn is_path_like(value: &Bound<'_, PyAny>) -> bool {
    value.cast::<PyString>().is_ok() || value.hasattr("__fspath__").unwrap_or(false)
}

/// `(function, args)` for `__reduce__`: `function` is the private function
/// `name` of this extension module, which pickle finds by its name.
pub(crate) fn reducer<'py>(
    py: Python<'py>,
    function: &'static PyOnceLock<Py<PyAny>>,
    name: &str,
    args: impl IntoPyObject<'py, Target = PyTuple>,
) -> PyResult<Bound<'py, PyTuple>> {
    let function = function.import(py, "clearance._clearance", name)?;
    let args = args.into_pyobject(py).map_err(Into::into)?;
    PyTuple::new(
        py,
        [function.clone().into_any(), args.into_bound().into_any()],
    )
}

static GC_ENABLE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static GC_DISABLE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static GC_IS_ENABLED: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// Python's cyclic garbage collector held off while Rust builds many
/// containers (dicts and lists of a bulk answer) and nothing else: it would
/// otherwise scan the growing, acyclic result again and again, which takes
/// most of the time. The interpreter is held throughout, so no other Python
/// code runs meanwhile; the collector is switched back on (if it was on) when
/// this is dropped, however the building ends.
pub(crate) struct GcPaused<'py> {
    py: Python<'py>,
    was_enabled: bool,
}

pub(crate) fn pause_gc(py: Python<'_>) -> PyResult<GcPaused<'_>> {
    let was_enabled = GC_IS_ENABLED
        .import(py, "gc", "isenabled")?
        .call0()?
        .is_truthy()?;
    if was_enabled {
        GC_DISABLE.import(py, "gc", "disable")?.call0()?;
    }
    Ok(GcPaused { py, was_enabled })
}

impl Drop for GcPaused<'_> {
    fn drop(&mut self) {
        if self.was_enabled {
            let enabled = GC_ENABLE
                .import(self.py, "gc", "enable")
                .and_then(|enable| enable.call0());
            if let Err(error) = enabled {
                error.write_unraisable(self.py, None);
            }
        }
    }
}
