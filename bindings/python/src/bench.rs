//! The hidden benchmark hooks (`_bench_rust_*`, timing loops run inside
//! Rust), the process counters (`_stats`) and the generated estate
//! (`_workload_inventory_json`: the Rust benchmarks' reference workload), for
//! `benches/`, `examples/` and the tests; not part of the public API. Only
//! reads what the other modules hold: nothing but the module registration in
//! `lib` may use it.

use std::sync::atomic::Ordering;

use clearance::Query;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::convert::action_from_str;
use crate::engine::{PyEngine, ENGINES_BUILT};
use crate::errors::{to_py_err, Stage};
use crate::inventory::INVENTORIES_LOADED;
use crate::many::{MATRICES_ASKED, SINGLES_ASKED};

// The Rust benchmarks' generator, shared rather than copied.
#[allow(clippy::all)]
#[path = "../../../benches/workload/mod.rs"]
mod workload;

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
pub(crate) fn bench_rust_decide(
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
pub(crate) fn bench_rust_sweep(
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
pub(crate) fn bench_rust_matrix(
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

/// How many inventories this process has parsed and engines it has built,
/// and how `decide_many` has answered: matrices asked, single questions asked.
#[pyfunction]
#[pyo3(name = "_stats")]
pub(crate) fn stats(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item(
        "inventories_loaded",
        INVENTORIES_LOADED.load(Ordering::Relaxed),
    )?;
    dict.set_item("engines_built", ENGINES_BUILT.load(Ordering::Relaxed))?;
    dict.set_item(
        "decide_many_matrices",
        MATRICES_ASKED.load(Ordering::Relaxed),
    )?;
    dict.set_item("decide_many_singles", SINGLES_ASKED.load(Ordering::Relaxed))?;
    Ok(dict)
}

/// The JSON of the Rust benchmarks' reference workload (500 releases, 100
/// systems, 322 deployments, made from `seed`, by default the benchmarks'):
/// an estate of realistic shape for the benchmarks, the distributed example
/// and its test.
#[pyfunction]
#[pyo3(name = "_workload_inventory_json", signature = (seed = None))]
pub(crate) fn workload_inventory_json(py: Python<'_>, seed: Option<u64>) -> String {
    py.detach(|| workload::generate(seed.unwrap_or(workload::SEED)).to_json())
}
