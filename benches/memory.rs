//! Memory of the loaded engine against a plain Cedar store of the same data,
//! on the reference workload, counted by a global allocator that wraps the
//! system's.
//!
//! ```text
//! cargo bench --bench memory
//! ```
//!
//! For each thing built it prints the bytes still allocated once it is built
//! (retained), the most allocated at once while building it, over what was
//! allocated before (peak), and the number of allocations made. Lines are
//! `name: retained=N peak=N allocations=N`, read by `benches/run.sh`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use clearance::cedar_policy::{Authorizer, Entities, Entity, PolicySet};
use clearance::{schema, Action, Engine, Inventory, Pack, Policies, Query};

mod workload;

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = CURRENT.fetch_add(by, Relaxed) + by;
    PEAK.fetch_max(now, Relaxed);
}

// SAFETY: every call is passed straight to `System`; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            ALLOCATIONS.fetch_add(1, Relaxed);
            grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc_zeroed(layout);
        if !p.is_null() {
            ALLOCATIONS.fetch_add(1, Relaxed);
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        CURRENT.fetch_sub(layout.size(), Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = System.realloc(ptr, layout, new_size);
        if !p.is_null() {
            ALLOCATIONS.fetch_add(1, Relaxed);
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                CURRENT.fetch_sub(layout.size() - new_size, Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

struct Measured {
    retained: usize,
    peak: usize,
    allocations: usize,
}

/// Runs `build`, keeping what it returns until the caller drops it.
fn measure<T>(name: &str, build: impl FnOnce() -> T) -> (T, Measured) {
    let before = CURRENT.load(Relaxed);
    PEAK.store(before, Relaxed);
    let allocations = ALLOCATIONS.load(Relaxed);
    let value = black_box(build());
    let measured = Measured {
        retained: CURRENT.load(Relaxed).saturating_sub(before),
        peak: PEAK.load(Relaxed).saturating_sub(before),
        allocations: ALLOCATIONS.load(Relaxed) - allocations,
    };
    println!(
        "{name}: retained={} peak={} allocations={}",
        measured.retained, measured.peak, measured.allocations
    );
    (value, measured)
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing
    // else either, so there is nothing to parse. Keep it one quick run.
    let at = workload::reference_instant();
    let source = workload::reference_inventory();
    let json = source.to_json();
    // Parse the schema outside the measurements: both sides share it.
    let _ = schema();
    drop(source);
    println!(
        "workload: vendors={} releases={} systems={} pairs={} deployments={} inventory_json_bytes={}",
        workload::VENDORS,
        workload::RELEASES,
        workload::SYSTEMS,
        workload::RELEASES * workload::SYSTEMS,
        Inventory::from_json(&json).expect("valid").deployments.len(),
        json.len(),
    );

    // The engine: the inventory, the policies, then everything Engine::new adds.
    let (inventory, inv) = measure("inventory", || Inventory::from_json(&json).expect("valid"));
    let (policies, pol) = measure("policies", || Policies::all_packs().expect("the packs"));
    let (engine, new) = measure("engine-new", || {
        Engine::new(inventory, policies).expect("valid")
    });
    // What the engine works out on first use and keeps: what it reads off the
    // policies, and what it knows of each system and release. A first matrix
    // asks about every one of them.
    let (_, warm) = measure("engine-first-matrix-keeps", || {
        drop(engine.matrix(Action::Deploy, at))
    });
    let engine_total = inv.retained + pol.retained + new.retained + warm.retained;
    println!("engine-total: retained={engine_total}");

    // Plain Cedar: the same entities, read from Cedar's entity JSON with the
    // schema; every pack's text as one policy set.
    let values: Vec<Entity> = engine
        .entities()
        .expect("the engine's entities")
        .iter()
        .filter(|e| e.uid().type_name().to_string() != "Action")
        .cloned()
        .collect();
    let cedar_json = {
        let store = Entities::from_entities(values, None).expect("valid");
        let mut out = Vec::new();
        store.write_to_json(&mut out).expect("serialisable");
        String::from_utf8(out).expect("UTF-8")
    };
    println!("cedar-entity-json: bytes={}", cedar_json.len());
    let (entities, from_json) = measure("cedar-entities-from-json", || {
        Entities::from_json_str(&cedar_json, Some(schema())).expect("valid")
    });
    let text: String = Pack::ALL
        .iter()
        .map(|p| p.text())
        .collect::<Vec<_>>()
        .join("\n");
    let (policy_set, set) = measure("cedar-policy-set", || {
        text.parse::<PolicySet>().expect("the packs parse")
    });
    let plain_total = from_json.retained + set.retained;
    println!("plain-cedar-total: retained={plain_total}");

    // Bulk questions: what answering them allocates.
    let (matrix, _) = measure("engine-matrix-deploy", || engine.matrix(Action::Deploy, at));
    drop(matrix);
    let (sweep, _) = measure("engine-sweep", || engine.sweep(at));
    drop(sweep);
    let authorizer = Authorizer::new();
    let inventory = engine.inventory();
    let (allowed, _) = measure("plain-cedar-matrix-deploy", || {
        let mut allowed = 0;
        for r in &inventory.releases {
            for s in &inventory.systems {
                let query = Query::new(s.id.as_str(), Action::Deploy, r.id.as_str()).at(at);
                let request = engine.request(&query).expect("a known pair");
                let policies = engine.policies();
                let b = authorizer.is_authorized(&request, policies.binding(), &entities);
                let a = authorizer.is_authorized(&request, policies.advice(), &entities);
                allowed += usize::from(b.decision() == clearance::cedar_policy::Decision::Allow);
                black_box(a);
            }
        }
        allowed
    });
    black_box(allowed);
    drop(policy_set);

    // A second thread evaluates its own copy of the policies, kept with them.
    let mut engine = engine;
    engine.set_threads(2);
    measure("engine-threads-first-matrix-keeps", || {
        drop(engine.matrix(Action::Deploy, at))
    });

    let rss = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.trim_start_matches("VmHWM:").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".to_owned());
    println!("process-peak-rss: {rss}");
}
