//! `Inventory`: an inventory loaded from whatever Python names one by (an
//! `Inventory`, a dict, JSON text, a path), and read back as JSON or data.
//! Uses `errors` and `convert`; knows nothing of policies, decisions or the
//! engine.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use clearance::Inventory;
use pyo3::exceptions::PyTypeError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyMapping, PyString, PyTuple};

use crate::convert::{json_function, JSON_DUMPS, JSON_LOADS};
use crate::errors::{raise, to_py_err, Error, InventoryError, Stage};

/// How many inventories have been parsed in this process; see `_stats()`.
pub(crate) static INVENTORIES_LOADED: AtomicU64 = AtomicU64::new(0);

pub(crate) fn loaded(
    result: clearance::Result<Inventory>,
    py: Python<'_>,
) -> PyResult<Arc<Inventory>> {
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
pub(crate) fn inventory_from_any(
    py: Python<'_>,
    source: &Bound<'_, PyAny>,
) -> PyResult<Arc<Inventory>> {
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
/// inventories compare equal. It pickles as its JSON, and copies as itself.
#[pyclass(frozen, eq, weakref, module = "clearance", name = "Inventory")]
#[derive(PartialEq)]
pub(crate) struct PyInventory {
    pub(crate) inner: Arc<Inventory>,
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

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let inventory = &slf.get().inner;
        let json = py
            .detach(|| serde_json::to_vec(&**inventory))
            .map_err(|e| raise::<Error>(py, "internal", format!("pickling an inventory: {e}")))?;
        // `Inventory(bytes)` reads JSON.
        PyTuple::new(
            py,
            [
                slf.get_type().into_any(),
                PyTuple::new(py, [PyBytes::new(py, &json)])?.into_any(),
            ],
        )
    }

    /// An inventory is immutable: its copy is itself.
    fn __copy__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    /// An inventory is immutable: its deep copy is itself.
    fn __deepcopy__(slf: Py<Self>, _memo: &Bound<'_, PyAny>) -> Py<Self> {
        slf
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
