//! `Registry`: the shipped registry of the companies the packs name, to look
//! names up (an importer mapping a supplier's name to the id the packs use).
//! Reads the Rust registry, which is read once per process; uses nothing of
//! the other modules but `errors` and `decision`'s pickling helper.

use clearance::{EntryKind, Registry, RegistryEntry};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyTuple};

use crate::convert::reducer;
use crate::errors::{raise, Error};

/// One company of the registry, with where its facts come from.
///
/// ``kind`` is ``"vendor"`` or ``"party"`` (an owner that makes nothing);
/// ``basis`` is ``"primary"``, ``"secondary"`` or ``"unconfirmed"``. Entries
/// compare equal, and hash, by id; they pickle as their id, read back from
/// the registry shipped with the package that unpickles them.
#[pyclass(
    frozen,
    eq,
    hash,
    weakref,
    module = "clearance",
    name = "RegistryEntry"
)]
pub(crate) struct PyRegistryEntry {
    entry: &'static RegistryEntry,
}

impl PartialEq for PyRegistryEntry {
    fn eq(&self, other: &Self) -> bool {
        self.entry.id() == other.entry.id()
    }
}

impl std::hash::Hash for PyRegistryEntry {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.entry.id().as_str().hash(state);
    }
}

static ENTRY_BY_ID: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// Rebuilds a pickled `RegistryEntry` from its id.
#[pyfunction]
#[pyo3(name = "_registry_entry")]
pub(crate) fn registry_entry(py: Python<'_>, id: &str) -> PyResult<PyRegistryEntry> {
    Registry::shipped()
        .entry(id)
        .map(|entry| PyRegistryEntry { entry })
        .ok_or_else(|| {
            raise::<Error>(
                py,
                "dangling-reference",
                format!("unpickling a registry entry: `{id}` is not in the shipped registry"),
            )
        })
}

#[pymethods]
impl PyRegistryEntry {
    /// Its id, as inventories and policies name it.
    #[getter]
    fn id(&self) -> &str {
        self.entry.id().as_str()
    }

    /// Its legal name.
    #[getter]
    fn name(&self) -> &str {
        self.entry.name()
    }

    /// ``"vendor"`` or ``"party"``.
    #[getter]
    fn kind(&self) -> &'static str {
        match self.entry.kind() {
            EntryKind::Vendor => "vendor",
            EntryKind::Party => "party",
        }
    }

    /// Other names it is known by.
    #[getter]
    fn aliases(&self) -> Vec<&str> {
        self.entry.aliases().iter().map(String::as_str).collect()
    }

    /// Where its facts come from.
    #[getter]
    fn source(&self) -> &str {
        self.entry.source()
    }

    /// ``"primary"``, ``"secondary"`` or ``"unconfirmed"``.
    #[getter]
    fn basis(&self) -> &'static str {
        self.entry.basis().as_str()
    }

    /// What the sources leave open, or ``None``.
    #[getter]
    fn note(&self) -> Option<&str> {
        self.entry.note()
    }

    /// Every field, as a dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        dict.set_item(intern!(py, "id"), self.id())?;
        dict.set_item(intern!(py, "name"), self.name())?;
        dict.set_item(intern!(py, "kind"), self.kind())?;
        dict.set_item(intern!(py, "aliases"), self.aliases())?;
        dict.set_item(intern!(py, "source"), self.source())?;
        dict.set_item(intern!(py, "basis"), self.basis())?;
        dict.set_item(intern!(py, "note"), self.note())?;
        Ok(dict)
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        reducer(py, &ENTRY_BY_ID, "_registry_entry", (self.id(),))
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
        format!("RegistryEntry(id={:?}, kind={:?})", self.id(), self.kind())
    }
}

/// The shipped registry: every company the packs name, and the relatives a
/// source confirms, each with its source.
///
/// ``Registry()`` is the registry that ships with the package; inventories
/// refer to its ids without defining them (unless they set
/// ``"registry": false``). Every ``Registry()`` is the same registry: they
/// compare equal, and pickle as ``Registry()``.
#[pyclass(frozen, eq, hash, weakref, module = "clearance", name = "Registry")]
#[derive(PartialEq, Hash)]
pub(crate) struct PyRegistry;

#[pymethods]
impl PyRegistry {
    #[new]
    fn new() -> Self {
        PyRegistry
    }

    /// The entry whose name or an alias is ``name``, ignoring case,
    /// punctuation and spacing; ``None`` if there is none.
    fn find(&self, name: &str) -> Option<PyRegistryEntry> {
        Registry::shipped()
            .find(name)
            .map(|entry| PyRegistryEntry { entry })
    }

    /// The entry with this id, or ``None``.
    fn entry(&self, id: &str) -> Option<PyRegistryEntry> {
        Registry::shipped()
            .entry(id)
            .map(|entry| PyRegistryEntry { entry })
    }

    /// Every entry: vendors, then parties.
    #[getter]
    fn entries(&self) -> Vec<PyRegistryEntry> {
        Registry::shipped()
            .entries()
            .iter()
            .map(|entry| PyRegistryEntry { entry })
            .collect()
    }

    fn __len__(&self) -> usize {
        Registry::shipped().entries().len()
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        PyTuple::new(
            py,
            [slf.get_type().into_any(), PyTuple::empty(py).into_any()],
        )
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
        format!("<Registry: {} companies>", self.__len__())
    }
}
