//! Python bindings for `clearance`: may this product be deployed on this
//! system?
//!
//! The extension module `clearance._clearance` holds every class; the Python
//! package `clearance` re-exports them. Decisions are computed in Rust with the
//! interpreter released (`Python::detach`), and kept as Rust values until a
//! Python attribute asks for a field, so a sweep of thousands of deployments
//! costs little more from Python than from Rust.

// Modules, lowest first; each uses only modules before it:
//   errors <- convert <- {inventory, policies, decision} <- engine <- bench <- lib;
//   registry stands alone
mod bench;
mod convert;
mod decision;
mod engine;
mod errors;
mod inventory;
mod policies;
mod registry;

use clearance::{Action, Pack};
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::bench::{bench_rust_decide, bench_rust_matrix, bench_rust_sweep, stats};
use crate::decision::{PyDecision, PyRule};
use crate::engine::PyEngine;
use crate::errors::{Error, InventoryError, PolicyError, QueryError};
use crate::inventory::PyInventory;
use crate::registry::{PyRegistry, PyRegistryEntry};

/// May this product be deployed on this system? Supply-chain deployment rules,
/// decided and explained with Cedar policies.
#[pymodule(name = "_clearance")]
fn clearance_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<PyEngine>()?;
    m.add_class::<PyInventory>()?;
    m.add_class::<PyDecision>()?;
    m.add_class::<PyRule>()?;
    m.add_class::<PyRegistry>()?;
    m.add_class::<PyRegistryEntry>()?;
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
