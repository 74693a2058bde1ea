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

/// A JSON document named as an inventory is: text, bytes, a dict, or a path.
enum Source {
    Text(String),
    Path(PathBuf),
}

fn json_or_path(py: Python<'_>, given: &Bound<'_, PyAny>, what: &str) -> PyResult<Source> {
    if let Ok(text) = given.cast::<PyString>() {
        let text = text.to_cow()?;
        if text.trim_start().starts_with('{') {
            return Ok(Source::Text(text.into_owned()));
        }
        return Ok(Source::Path(given.extract()?));
    }
    if let Ok(bytes) = given.cast::<PyBytes>() {
        return String::from_utf8(bytes.as_bytes().to_vec())
            .map(Source::Text)
            .map_err(|_| raise::<InventoryError>(py, "json", format!("{what} is not UTF-8 text")));
    }
    if given.cast::<PyMapping>().is_ok() {
        let text: String = json_function(py, &JSON_DUMPS, "dumps")?
            .call1((given,))
            .map_err(|e| {
                raise::<InventoryError>(
                    py,
                    "json",
                    format!("{what} dict is not plain JSON data: {}", e.value(py)),
                )
            })?
            .extract()?;
        return Ok(Source::Text(text));
    }
    if given.hasattr(intern!(py, "__fspath__"))? {
        return Ok(Source::Path(given.extract()?));
    }
    Err(PyTypeError::new_err(format!(
        "{what} is JSON text (str or bytes), a dict or a path, not {}",
        given.get_type().name()?
    )))
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

    /// A new inventory with an SBOM attached to one of its releases, and the
    /// report of the import, as ``(inventory, report)``.
    ///
    /// ``sbom`` is a CycloneDX (1.4 to 1.6) or SPDX (2.3) JSON document: a
    /// path (``str`` or ``os.PathLike``), JSON text (``str`` starting with
    /// ``{``, or ``bytes``) or a dict. ``aliases`` maps suppliers to vendor
    /// ids (``{"cpe_vendors": {...}, "purl_namespaces": {...}, "names":
    /// {...}}``), given the same ways, or ``None``. Each attributed component
    /// becomes a release of its vendor embedded in ``release``; the others
    /// are counted in ``unattributed_components``, which policies read as
    /// ``resource.unattributedComponents``. ``report`` is a dict: ``release``,
    /// ``format``, ``components``, ``attributed`` (``reference``, ``name``,
    /// ``release``, ``vendor``, ``by``), ``unattributed`` (``reference``,
    /// ``name``, ``key``, ``tried``), ``left_out`` (``reference``, ``name``,
    /// ``reason``), ``products_added``, ``releases_added``, and ``text``, the
    /// report as a person reads it. This inventory is unchanged.
    ///
    /// Raises ``InventoryError`` for a bad SBOM or alias map (naming the
    /// file, the component and the field), an unknown release, or a result
    /// that would not be a valid inventory.
    #[pyo3(signature = (release, sbom, aliases = None))]
    fn with_sbom<'py>(
        &self,
        py: Python<'py>,
        release: &str,
        sbom: &Bound<'py, PyAny>,
        aliases: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<(PyInventory, Bound<'py, PyDict>)> {
        use clearance::sbom::{AliasMap, Sbom};
        let fail = |e: clearance::Error| to_py_err(py, &e, Stage::Inventory);
        let sbom = match json_or_path(py, sbom, "an SBOM")? {
            Source::Text(text) => py.detach(|| Sbom::from_json(&text)),
            Source::Path(path) => py.detach(|| Sbom::from_path(&path)),
        }
        .map_err(fail)?;
        let aliases = match aliases {
            None => AliasMap::default(),
            Some(given) => match json_or_path(py, given, "an alias map")? {
                Source::Text(text) => AliasMap::from_json(&text),
                Source::Path(path) => AliasMap::from_path(&path),
            }
            .map_err(fail)?,
        };
        let mut inventory = (*self.inner).clone();
        let report = py
            .detach(|| inventory.attach_sbom(release, &sbom, &aliases))
            .map_err(fail)?;
        let out = PyDict::new(py);
        out.set_item("release", report.release.as_str())?;
        out.set_item("format", report.format.to_string())?;
        out.set_item("components", report.components)?;
        let attributed = report
            .attributed
            .iter()
            .map(|a| {
                let item = PyDict::new(py);
                item.set_item("reference", &a.reference)?;
                item.set_item("name", &a.name)?;
                item.set_item("release", a.release.as_str())?;
                item.set_item("vendor", a.by.vendor.as_str())?;
                item.set_item("by", &a.by.by)?;
                Ok(item)
            })
            .collect::<PyResult<Vec<_>>>()?;
        out.set_item("attributed", attributed)?;
        let unattributed = report
            .unattributed
            .iter()
            .map(|u| {
                let item = PyDict::new(py);
                item.set_item("reference", &u.reference)?;
                item.set_item("name", &u.name)?;
                item.set_item("key", &u.key)?;
                item.set_item("tried", &u.tried)?;
                Ok(item)
            })
            .collect::<PyResult<Vec<_>>>()?;
        out.set_item("unattributed", unattributed)?;
        let left_out = report
            .left_out
            .iter()
            .map(|o| {
                let item = PyDict::new(py);
                item.set_item("reference", &o.reference)?;
                item.set_item("name", &o.name)?;
                item.set_item("reason", &o.reason)?;
                Ok(item)
            })
            .collect::<PyResult<Vec<_>>>()?;
        out.set_item("left_out", left_out)?;
        let ids = |ids: &[clearance::Id]| ids.iter().map(|i| i.to_string()).collect::<Vec<_>>();
        out.set_item("products_added", ids(&report.products_added))?;
        out.set_item("releases_added", ids(&report.releases_added))?;
        out.set_item("text", report.to_string())?;
        Ok((
            PyInventory {
                inner: Arc::new(inventory),
            },
            out,
        ))
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
