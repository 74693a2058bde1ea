//! Conversion of arguments and values between Python and Rust: instants,
//! actions, JSON text, and arguments given as one value or many. Converts;
//! holds no state beyond cached Python objects (the epoch, `json.dumps`,
//! `json.loads`). Uses `errors` only; knows nothing of inventories, policies,
//! decisions or the engine.

use clearance::{Action, Instant};
use pyo3::exceptions::PyTypeError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDate, PyDateTime, PyDelta, PyDeltaAccess, PyString, PyTzInfo};

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
