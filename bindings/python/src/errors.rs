//! The exceptions the bindings raise, and the one mapping from a Rust
//! `clearance::Error` to them (by kind, else by the stage it arose in).
//! Depends on no other module here; every other module may use it.

use clearance::ErrorKind;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
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

/// Where an error arose, for the kinds that belong to no group (such as `Io`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stage {
    Inventory,
    Policy,
    Query,
}

/// An exception of class `E` with `message` and a `kind` attribute.
pub(crate) fn raise<E: PyTypeInfo>(
    py: Python<'_>,
    kind: &str,
    message: impl Into<String>,
) -> PyErr {
    let err = PyErr::from_type(py.get_type::<E>(), message.into());
    if let Err(failed) = err.value(py).setattr(intern!(py, "kind"), kind) {
        return failed;
    }
    err
}

/// The Python exception for a Rust error: the class by the kind's group
/// (inventory, policy, query), else by where it arose (`Io`), else `Error`.
pub(crate) fn to_py_err(py: Python<'_>, err: &clearance::Error, stage: Stage) -> PyErr {
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
