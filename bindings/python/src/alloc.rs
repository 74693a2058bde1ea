//! The extension's allocator: the system's, counting the bytes Rust holds
//! while `_count_rust_heap(True)` says so, for `benches/bench_columns.py`
//! (tracemalloc sees only Python's allocations). Off, it costs one relaxed
//! load an allocation. Uses nothing else here.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};

use pyo3::prelude::*;

struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
/// Bytes allocated less bytes freed while counting (freeing what was
/// allocated before counting started takes it below zero).
static HELD: AtomicI64 = AtomicI64::new(0);

fn count(bytes: i64) {
    if COUNTING.load(Ordering::Relaxed) {
        HELD.fetch_add(bytes, Ordering::Relaxed);
    }
}

// SAFETY: every call goes to `System` unchanged; the counting only reads sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            count(layout.size() as i64);
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            count(layout.size() as i64);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        count(-(layout.size() as i64));
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let moved = unsafe { System.realloc(ptr, layout, new_size) };
        if !moved.is_null() {
            count(new_size as i64 - layout.size() as i64);
        }
        moved
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Starts (from zero) or stops counting the bytes Rust allocates.
#[pyfunction]
#[pyo3(name = "_count_rust_heap")]
pub(crate) fn count_rust_heap(on: bool) {
    if on {
        HELD.store(0, Ordering::Relaxed);
    }
    COUNTING.store(on, Ordering::Relaxed);
}

/// The bytes Rust has allocated and not freed since counting started.
#[pyfunction]
#[pyo3(name = "_rust_heap")]
pub(crate) fn rust_heap() -> i64 {
    HELD.load(Ordering::Relaxed)
}
