//! Python bindings for `clearance`: may this product be deployed on this
//! system?
//!
//! The extension module `clearance._clearance` holds every class; the Python
//! package `clearance` re-exports them. Decisions are computed in Rust with the
//! interpreter released (`Python::detach`), and kept as Rust values until a
//! Python attribute asks for a field, so a sweep of thousands of deployments
//! costs little more from Python than from Rust.

// Modules, lowest first; each uses only modules before it:
//   errors <- convert <- {inventory, policies, decision} <- tables <- {results, history}
//   <- engine <- bench <- lib; registry uses errors and convert; many and alloc stand alone
mod alloc;
mod bench;
mod convert;
mod decision;
mod engine;
mod errors;
mod history;
mod inventory;
mod many;
mod policies;
mod registry;
mod results;
mod tables;

use clearance::{Action, Pack};
use pyo3::impl_::pyclass::PyClassImpl;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use pyo3::PyClass;

use crate::bench::{
    bench_rust_decide, bench_rust_matrix, bench_rust_sweep, stats, workload_inventory_json,
};
use crate::decision::{decision_from_state, rule_from_parts, PyDecision, PyRule};
use crate::engine::{engine_from_state, PyEngine};
use crate::errors::{Error, InventoryError, PolicyError, QueryError};
use crate::history::{PyChange, PyDifference, PyImpact, PyStep, PyTimeline};
use crate::inventory::PyInventory;
use crate::registry::{registry_entry, PyRegistry, PyRegistryEntry};
use crate::results::{
    decisions_from_state_bytes, matrix_from_state_bytes, DecisionIterator, PyDecisions, PyMatrix,
};

/// CPython before 3.10 strips the text signature from the docstring of a
/// class made through the stable ABI (`PyType_FromSpec`), and PyO3 can put
/// it back only outside the stable ABI: there `inspect.signature(Engine)`
/// raises and `help(Engine)` shows no arguments. Give such a class the
/// signature PyO3 generated for it as `__signature__`, which `inspect`
/// reads first.
fn restore_signature<T: PyClass + PyClassImpl>(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    let class = py.get_type::<T>();
    if class.getattr("__text_signature__")?.is_truthy()? {
        return Ok(());
    }
    let Ok(doc) = T::DOC.to_str() else {
        return Ok(());
    };
    let Some(parameters) = doc
        .strip_prefix(T::NAME)
        .and_then(|rest| rest.split_once("\n--\n"))
        .and_then(|(signature, _)| signature.strip_prefix('('))
        .and_then(|signature| signature.strip_suffix(')'))
    else {
        return Ok(());
    };
    // The parameters PyO3 wrote from `#[pyo3(signature = ...)]`, as a lambda's.
    let globals = PyDict::new(py);
    let function = py.eval(
        &std::ffi::CString::new(format!("lambda {parameters}: None"))?,
        Some(&globals),
        None,
    )?;
    let signature = py
        .import("inspect")?
        .call_method1("signature", (function,))?;
    class.setattr("__signature__", signature)
}

/// May this product be deployed on this system? Supply-chain deployment rules,
/// decided and explained with Cedar policies.
#[pymodule(name = "_clearance")]
fn clearance_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<PyEngine>()?;
    m.add_class::<PyInventory>()?;
    m.add_class::<PyDecision>()?;
    m.add_class::<PyDecisions>()?;
    m.add_class::<PyMatrix>()?;
    m.add_class::<DecisionIterator>()?;
    m.add_class::<PyRule>()?;
    m.add_class::<PyTimeline>()?;
    m.add_class::<PyStep>()?;
    m.add_class::<PyChange>()?;
    m.add_class::<PyImpact>()?;
    m.add_class::<PyDifference>()?;
    m.add_class::<PyRegistry>()?;
    m.add_class::<PyRegistryEntry>()?;
    if py.version_info() < (3, 10) {
        restore_signature::<PyEngine>(m)?;
        restore_signature::<PyInventory>(m)?;
        restore_signature::<PyRegistry>(m)?;
    }
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
    // Pickle finds these by name: they rebuild what `__reduce__` took apart.
    m.add_function(wrap_pyfunction!(rule_from_parts, m)?)?;
    m.add_function(wrap_pyfunction!(decision_from_state, m)?)?;
    m.add_function(wrap_pyfunction!(decisions_from_state_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(matrix_from_state_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(engine_from_state, m)?)?;
    m.add_function(wrap_pyfunction!(registry_entry, m)?)?;
    m.add_function(wrap_pyfunction!(bench_rust_decide, m)?)?;
    m.add_function(wrap_pyfunction!(bench_rust_sweep, m)?)?;
    m.add_function(wrap_pyfunction!(bench_rust_matrix, m)?)?;
    m.add_function(wrap_pyfunction!(stats, m)?)?;
    m.add_function(wrap_pyfunction!(workload_inventory_json, m)?)?;
    m.add_function(wrap_pyfunction!(alloc::count_rust_heap, m)?)?;
    m.add_function(wrap_pyfunction!(alloc::rust_heap, m)?)?;
    Ok(())
}
