//! The engine at estate scale (GitHub issue 11): the reference workload of
//! `benches/workload` at 1, 10 and 100 times its size (at 100x: 5,000
//! vendors, 50,000 releases, 10,000 systems, 32,200 deployments), every
//! shipped pack, at 2025-06-01. No criterion: one iteration at 100x takes
//! seconds, so each figure is the median of a few runs (one to three at 100x).
//!
//! ```text
//! cargo bench --bench scale                          # sizes 1 10 100 (about 3 minutes on 2 cores,
//!                                                    # 3.5 GB of RAM at 100x)
//! cargo bench --bench scale -- 1 10                  # the sizes given, as factors
//! cargo bench --bench scale -- matrix10k             # a 10,000 x 10,000 deploy matrix (see below)
//! cargo bench --bench scale -- --dry 1 10 matrix10k  # only generate and load each, and print the sizes
//! cargo bench --bench scale -- --runs 1 100          # one run of everything, whatever the size
//! benches/run.sh --scale [SIZES...]                  # the same, sizes 1 10 100 by default
//! ```
//!
//! For each size it runs children of itself (`--child KIND CASE`), so each
//! one's peak RSS (`VmHWM`, read at its end) is its own:
//! - `sweep`, the path a CLI takes: the inventory's JSON text
//!   (`Inventory::to_json` of `workload::scaled_inventory`) to an engine
//!   (`Inventory::from_json` and `Engine::new`, with fresh
//!   `Policies::all_packs()` made outside the timing), then the first sweep
//!   (`operate`, every deployment) on that fresh engine, timed once per engine;
//!   then later sweeps on the same engine; then plain Cedar, per sweep
//!   question: `Authorizer::is_authorized` against the binding and the advice
//!   policy sets with `engine.entities()`, with every request built
//!   beforehand by `Engine::request` (Cedar holding its entities and
//!   requests already), and with each request built in the loop (as
//!   `sweep/plain-cedar` in `benches/engine.rs`). Its peak RSS once swept,
//!   before plain Cedar (`engine.entities()` builds every entity), is the
//!   table's.
//! - `time`: the same Cedar entities built through Cedar's API (`Entity::new`
//!   per entity from its parts, then `Entities::from_entities` checked against
//!   the schema, as `load/cedar-entities-through-api`), against JSON to
//!   engine; and, where the inventory has at most 5 million pairs (factors up
//!   to 10, and the 10,000 x 10,000 case), the deploy matrix: a fresh
//!   engine's first, then later ones on one thread, then on two
//!   (`Engine::set_threads(2)`, warmed by a sweep).
//! - `memory`, with a counting global allocator (as `benches/memory.rs`):
//!   the bytes retained by the loaded engine after its first sweep
//!   (inventory + policies + engine + what the sweep leaves it knowing),
//!   against a plain Cedar store of the same data (`Entities` read from
//!   Cedar's entity JSON of `engine.entities()` without the schema's action
//!   entities, plus every pack's text as one policy set); and the bytes of a
//!   matrix while it is alive, on one thread and on two. The other children
//!   leave the allocator's counters off, so they time the system allocator.
//!
//! `matrix10k` is `workload::generate_sized` at 10,000 releases and 10,000
//! systems (2,000 vendors, so that their products need no more releases than
//! that; the rest as at 100x), and measures only the matrix: 100 million
//! cells, about 23 GB with the `Matrix` as it was when this was written (1.2 GB
//! per 5 million cells). It runs only when asked.
//!
//! Children print `key value` lines; the parent prints Markdown on stdout
//! (the machine, the commit, the date, the sizes, the table of issue 11,
//! ratios, matrices and memory), and progress on stderr. Flags it does not
//! know (`--bench`, which `cargo bench` passes) are ignored. Run without
//! `--bench` and without sizes (`cargo test --benches`), it is a dry run of
//! size 1. `BENCH_COMMIT` labels the commit (default `git describe`).

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Display;
use std::hint::black_box;
use std::process::{Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};
use std::time::Instant as Clock;

use clearance::cedar_policy::{
    Authorizer, Decision, Entities, Entity, EntityUid, PolicySet, Request, RestrictedExpression,
};
use clearance::{schema, Action, Engine, Inventory, Pack, Policies, Query};

mod workload;

use workload::Size;

// The counting allocator of benches/memory.rs, with a switch: the timing
// children turn it off at their start (what was allocated before is then
// never subtracted, which nothing reads).

struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(true);
static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    if COUNTING.load(Relaxed) {
        let now = CURRENT.fetch_add(by, Relaxed) + by;
        PEAK.fetch_max(now, Relaxed);
    }
}

fn shrank(by: usize) {
    if COUNTING.load(Relaxed) {
        CURRENT.fetch_sub(by, Relaxed);
    }
}

// SAFETY: every call is passed straight to `System`; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc_zeroed(layout);
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        shrank(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = System.realloc(ptr, layout, new_size);
        if !p.is_null() {
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                shrank(layout.size() - new_size);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// One size measured: a factor of the reference workload, or the 10,000 x
/// 10,000 matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    Factor(usize),
    Matrix10k,
}

impl Case {
    fn parse(text: &str) -> Option<Case> {
        match text {
            "matrix10k" => Some(Case::Matrix10k),
            _ => text
                .strip_suffix('x')
                .unwrap_or(text)
                .parse()
                .ok()
                .filter(|&f| f >= 1)
                .map(Case::Factor),
        }
    }

    /// As given on the command line.
    fn arg(self) -> String {
        match self {
            Case::Factor(f) => f.to_string(),
            Case::Matrix10k => "matrix10k".to_owned(),
        }
    }

    fn label(self) -> String {
        match self {
            Case::Factor(f) => format!("{f}x"),
            Case::Matrix10k => "10,000 x 10,000".to_owned(),
        }
    }

    fn size(self) -> Size {
        match self {
            Case::Factor(f) => Size::scaled(f),
            Case::Matrix10k => {
                let (releases, systems) = (10_000, 10_000);
                let base = Size::scaled(100);
                Size {
                    releases,
                    systems,
                    // Each unrelated vendor has 1 to 3 products, each with a
                    // release at least: 5,000 would need about 10,000.
                    vendors: 2_000,
                    // generate_sized gives each system 2 to 5 deployments.
                    deployments: base.deployments.clamp(2 * systems, 5 * systems),
                    ..base
                }
            }
        }
    }

    fn inventory(self) -> Inventory {
        workload::generate_sized(workload::SEED, self.size())
    }

    /// Whether the sweep, load and memory figures are measured (not for the
    /// matrix-only case).
    fn estate(self) -> bool {
        matches!(self, Case::Factor(_))
    }

    /// Whether a whole matrix is built: up to factor 10 (5 million cells;
    /// 1.2 GB when this was written), and the 10,000 x 10,000 case.
    fn matrix(self) -> bool {
        match self {
            Case::Factor(f) => f <= 10,
            Case::Matrix10k => true,
        }
    }

    /// Runs of each measurement, of which the median is taken.
    fn runs(self, given: Option<usize>) -> usize {
        given.unwrap_or(match self {
            Case::Factor(f) if f <= 2 => 9,
            Case::Factor(f) if f <= 20 => 5,
            Case::Factor(_) => 3,
            Case::Matrix10k => 1,
        })
    }

    /// Runs of a whole matrix.
    fn matrix_runs(self, given: Option<usize>) -> usize {
        given.unwrap_or(match self {
            Case::Factor(f) if f <= 2 => 5,
            Case::Factor(_) => 3,
            Case::Matrix10k => 1,
        })
    }
}

/// What to do, from the command line.
struct Args {
    cases: Vec<Case>,
    dry: bool,
    runs: Option<usize>,
    child: Option<(String, Case)>,
    bench: bool,
}

const USAGE: &str = "usage: cargo bench --bench scale -- [--dry] [--runs N] [SIZE...]
  SIZE: a factor of the reference workload (1, 10, 100, or 10x), or matrix10k";

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        cases: Vec::new(),
        dry: false,
        runs: None,
        child: None,
        bench: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--dry" => args.dry = true,
            "--bench" => args.bench = true,
            "--runs" => {
                let n = it.next().and_then(|n| n.parse().ok()).filter(|&n| n >= 1);
                args.runs = Some(n.ok_or("--runs needs a number of at least 1")?);
            }
            "--child" => {
                let kind = it.next().ok_or("--child needs a kind")?;
                let case = it.next().and_then(|c| Case::parse(&c));
                args.child = Some((kind, case.ok_or("--child needs a size")?));
            }
            // Cargo's and libtest's flags, and any other: not ours.
            flag if flag.starts_with('-') => {}
            size => args
                .cases
                .push(Case::parse(size).ok_or_else(|| format!("not a size: {size}"))?),
        }
    }
    Ok(args)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("scale: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match &args.child {
        Some((kind, case)) => child(kind, *case, args.runs),
        None => parent(args),
    }
}

// ---------------------------------------------------------------------------
// The children: each prints `key value` lines on stdout.

fn put(key: &str, value: impl Display) {
    println!("{key} {value}");
}

fn progress(case: Case, kind: &str, what: &str) {
    eprintln!("scale {} {kind}: {what}", case.label());
}

/// Runs `f`, returning what it returns and how long it took, in nanoseconds.
fn timed<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let start = Clock::now();
    let value = black_box(f());
    (value, start.elapsed().as_nanos() as f64)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => f64::NAN,
        _ if n % 2 == 1 => values[n / 2],
        _ => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// Puts the median of `values` (nanoseconds) under `key`, and the runs.
fn put_median(key: &str, values: Vec<f64>) {
    put(&format!("{key}_runs"), values.len());
    put(
        &format!("{key}_min_ns"),
        values.iter().copied().fold(f64::INFINITY, f64::min),
    );
    put(&format!("{key}_ns"), median(values));
}

/// This process's peak resident set, in bytes (`VmHWM`).
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line
        .trim_start_matches("VmHWM:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib * 1024)
}

/// Puts this process's peak RSS so far under `key`.
fn put_rss(key: &str) {
    if let Some(rss) = peak_rss() {
        put(key, rss);
    }
}

/// The workload, as JSON text, with its sizes put.
fn source(case: Case, kind: &str) -> String {
    progress(case, kind, "generating the inventory");
    let (inventory, generate) = timed(|| case.inventory());
    let json = inventory.to_json();
    put("generate_ns", generate);
    put("vendors", inventory.vendors.len());
    put("products", inventory.products.len());
    put("releases", inventory.releases.len());
    put("systems", inventory.systems.len());
    put("deployments", inventory.deployments.len());
    put("inventory_json_bytes", json.len());
    json
}

/// A fresh engine from the JSON text, fresh policies made outside the timing.
fn load(json: &str) -> (Engine, f64) {
    let policies = Policies::all_packs().expect("the shipped packs load");
    timed(|| {
        let inventory = Inventory::from_json(json).expect("the workload's JSON reads back");
        Engine::new(inventory, policies).expect("the workload makes an engine")
    })
}

/// The entities of `engine` as Cedar values, without the schema's actions.
fn cedar_values(engine: &Engine) -> Vec<Entity> {
    engine
        .entities()
        .expect("the engine's entities")
        .iter()
        .filter(|e| e.uid().type_name().to_string() != "Action")
        .cloned()
        .collect()
}

fn child(kind: &str, case: Case, runs: Option<usize>) -> ExitCode {
    if kind != "memory" {
        COUNTING.store(false, Relaxed);
    }
    // Parsed once, outside every measurement: every side uses it.
    let _ = schema();
    match kind {
        "dry" => dry(case),
        "sweep" => sweep(case, case.runs(runs)),
        "time" => time(case, case.runs(runs), case.matrix_runs(runs)),
        "memory" => memory(case),
        _ => {
            eprintln!("scale: no child of kind {kind}");
            return ExitCode::from(2);
        }
    }
    put_rss(&format!("rss_{kind}_bytes"));
    ExitCode::SUCCESS
}

/// Only the workload and one engine.
fn dry(case: Case) {
    let json = source(case, "dry");
    progress(case, "dry", "loading");
    let (engine, load) = load(&json);
    put("load_once_ns", load);
    put("entities", cedar_values(&engine).len());
    put(
        "cells",
        engine.inventory().releases.len() * engine.inventory().systems.len(),
    );
}

/// The CLI's path: JSON to engine, a first sweep on it, later sweeps, then
/// plain Cedar per sweep question.
fn sweep(case: Case, runs: usize) {
    let json = source(case, "sweep");
    let at = workload::reference_instant();
    let mut loads = Vec::new();
    let mut colds = Vec::new();
    let mut engine = None;
    for run in 0..runs {
        progress(
            case,
            "sweep",
            &format!("JSON to engine and first sweep, run {}/{runs}", run + 1),
        );
        // The last run's engine goes before the next one is built.
        drop(engine.take());
        let (fresh, load) = load(&json);
        let (decisions, cold) = timed(|| fresh.sweep(at));
        put("questions", decisions.len());
        put(
            "sweep_allowed",
            decisions.iter().filter(|(_, d)| d.allowed()).count(),
        );
        drop(decisions);
        loads.push(load);
        colds.push(cold);
        engine = Some(fresh);
    }
    put_median("load", loads);
    put_median("cold_sweep", colds);
    let engine = engine.expect("at least one run");
    put_rss("rss_after_first_sweeps_bytes");

    progress(case, "sweep", "later sweeps");
    let warm: Vec<f64> = (0..runs.max(5))
        .map(|_| {
            let (decisions, t) = timed(|| engine.sweep(at));
            drop(decisions);
            t
        })
        .collect();
    put_median("warm_sweep", warm);
    put_rss("rss_after_sweeps_bytes");

    progress(case, "sweep", "plain Cedar");
    let queries: Vec<Query> = engine
        .inventory()
        .deployments
        .iter()
        .map(|d| d.query(at))
        .collect();
    let requests: Vec<Request> = queries
        .iter()
        .map(|q| engine.request(q).expect("a deployed pair"))
        .collect();
    let authorizer = Authorizer::new();
    let entities = engine.entities().expect("the engine's entities");
    // Whether the entities of the built instant are those of the question's.
    put(
        "entities_same_as_at",
        u8::from(std::ptr::eq(
            entities,
            engine.entities_at(at).expect("entities at the instant"),
        )),
    );
    let policies = engine.policies();
    let authorize = |request: &Request| {
        let binding = authorizer.is_authorized(request, policies.binding(), entities);
        let advice = authorizer.is_authorized(request, policies.advice(), entities);
        black_box(advice);
        binding.decision() == Decision::Allow
    };
    let (prebuilt, inline): (Vec<f64>, Vec<f64>) = (0..runs)
        .map(|_| {
            let (allowed, prebuilt) = timed(|| requests.iter().filter(|r| authorize(r)).count());
            put("cedar_allowed", allowed);
            let (_, inline) = timed(|| {
                queries
                    .iter()
                    .filter(|q| authorize(&engine.request(q).expect("a deployed pair")))
                    .count()
            });
            (prebuilt, inline)
        })
        .unzip();
    put_median("cedar_prebuilt", prebuilt);
    put_median("cedar_inline", inline);
}

/// Times `runs` deploy matrices on `engine`, as it is set up.
fn matrices(engine: &Engine, case: Case, threads: usize, runs: usize) -> Vec<f64> {
    let at = workload::reference_instant();
    (0..runs)
        .map(|run| {
            progress(
                case,
                "time",
                &format!("matrix, {threads} thread(s), run {}/{runs}", run + 1),
            );
            let (matrix, t) = timed(|| engine.matrix(Action::Deploy, at));
            drop(matrix);
            t
        })
        .collect()
}

type Parts = (
    EntityUid,
    HashMap<String, RestrictedExpression>,
    HashSet<EntityUid>,
);

/// Cedar's entities through its API, then the matrices.
fn time(case: Case, runs: usize, matrix_runs: usize) {
    let json = source(case, "time");
    let at = workload::reference_instant();
    progress(case, "time", "loading");
    let (engine, load) = load(&json);
    put("load_once_ns", load);
    if case.estate() {
        let parts: Vec<Parts> = cedar_values(&engine)
            .into_iter()
            .map(Entity::into_inner)
            .collect();
        put("entities", parts.len());
        let api: Vec<f64> = (0..runs)
            .map(|run| {
                progress(
                    case,
                    "time",
                    &format!("Cedar entities through its API, run {}/{runs}", run + 1),
                );
                let parts = parts.clone();
                let (store, t) = timed(|| {
                    let built = parts.into_iter().map(|(uid, attrs, parents)| {
                        Entity::new(uid, attrs, parents).expect("a valid entity")
                    });
                    Entities::from_entities(built, Some(schema())).expect("valid entities")
                });
                drop(store);
                t
            })
            .collect();
        put_median("cedar_api", api);
    }
    if case.matrix() {
        let mut engine = engine;
        progress(case, "time", "a fresh engine's first matrix, 1 thread");
        let (matrix, first) = timed(|| engine.matrix(Action::Deploy, at));
        put("matrix_releases", matrix.releases().len());
        put("matrix_systems", matrix.systems().len());
        drop(matrix);
        put("matrix_first_ns", first);
        put_median("matrix1", matrices(&engine, case, 1, matrix_runs));
        engine.set_threads(2);
        // The second thread's copy of the policies is made on first use.
        drop(engine.sweep(at));
        put_median("matrix2", matrices(&engine, case, 2, matrix_runs));
    }
}

/// The bytes allocated now, as counted.
fn current() -> usize {
    CURRENT.load(Relaxed)
}

/// Runs `build`; puts the bytes still allocated once it is built (over
/// those before) as `{key}_bytes`, and the most allocated at once meanwhile
/// as `{key}_peak_bytes`.
fn measure<T>(key: &str, build: impl FnOnce() -> T) -> (T, usize) {
    let before = current();
    PEAK.store(before, Relaxed);
    let value = black_box(build());
    let retained = current().saturating_sub(before);
    put(&format!("{key}_bytes"), retained);
    put(
        &format!("{key}_peak_bytes"),
        PEAK.load(Relaxed).saturating_sub(before),
    );
    (value, retained)
}

/// Retained bytes: the engine against a plain Cedar store, then matrices.
fn memory(case: Case) {
    let json = source(case, "memory");
    let at = workload::reference_instant();
    progress(case, "memory", "the engine");
    let (inventory, inv) = measure("mem_inventory", || {
        Inventory::from_json(&json).expect("the workload's JSON reads back")
    });
    let (policies, pol) = measure("mem_policies", || {
        Policies::all_packs().expect("the shipped packs load")
    });
    let (mut engine, new) = measure("mem_engine_new", || {
        Engine::new(inventory, policies).expect("the workload makes an engine")
    });
    drop(json);
    if case.estate() {
        let (_, sweep) = measure("mem_first_sweep_keeps", || drop(engine.sweep(at)));
        put("mem_engine_total_bytes", inv + pol + new + sweep);

        progress(case, "memory", "a plain Cedar store");
        let cedar_json = {
            let store = Entities::from_entities(cedar_values(&engine), None)
                .expect("the engine's entities");
            let mut out = Vec::new();
            store.write_to_json(&mut out).expect("serialisable");
            String::from_utf8(out).expect("UTF-8")
        };
        put("cedar_entity_json_bytes", cedar_json.len());
        let (entities, from_json) = measure("mem_cedar_entities", || {
            Entities::from_json_str(&cedar_json, Some(schema())).expect("valid entities")
        });
        drop(cedar_json);
        let text: String = Pack::ALL
            .iter()
            .map(|p| p.text())
            .collect::<Vec<_>>()
            .join("\n");
        let (policy_set, set) = measure("mem_cedar_policy_set", || {
            text.parse::<PolicySet>().expect("the packs parse")
        });
        put("mem_cedar_total_bytes", from_json + set);
        drop((entities, policy_set));
    }
    if case.matrix() {
        for threads in [1, 2] {
            progress(case, "memory", &format!("a matrix on {threads} thread(s)"));
            engine.set_threads(threads);
            let before = current();
            let (matrix, alive) = measure(&format!("mem_matrix{threads}_alive"), || {
                engine.matrix(Action::Deploy, at)
            });
            let cells = matrix.releases().len() * matrix.systems().len();
            drop(matrix);
            // What the engine kept (what it worked out, a thread's policies)
            // is not the matrix's.
            let kept = current().saturating_sub(before);
            put(&format!("mem_matrix{threads}_kept_bytes"), kept);
            put(
                &format!("mem_matrix{threads}_bytes"),
                alive.saturating_sub(kept),
            );
            put("matrix_cells", cells);
        }
    }
}

// ---------------------------------------------------------------------------
// The parent: runs the children and prints the tables.

type Figures = BTreeMap<String, f64>;

/// Runs one child, its progress on stderr; its figures, or why not.
fn run_child(kind: &str, case: Case, runs: Option<usize>) -> Result<Figures, String> {
    let exe = std::env::current_exe().map_err(|e| format!("no current executable: {e}"))?;
    let mut command = Command::new(exe);
    command.args(["--child", kind, &case.arg()]);
    if let Some(runs) = runs {
        command.args(["--runs", &runs.to_string()]);
    }
    let start = Clock::now();
    let output = command
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run the {kind} child: {e}"))?;
    eprintln!(
        "scale {} {kind}: done in {:.1} s",
        case.label(),
        start.elapsed().as_secs_f64()
    );
    if !output.status.success() {
        return Err(format!("the {kind} child failed ({})", output.status));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    Ok(stdout
        .lines()
        .filter_map(|line| {
            let (key, value) = line.split_once(' ')?;
            Some((key.to_owned(), value.trim().parse().ok()?))
        })
        .collect())
}

fn command_output(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stderr(Stdio::null())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|| "unknown".to_owned())
}

fn proc_field(file: &str, field: &str) -> Option<String> {
    let text = std::fs::read_to_string(file).ok()?;
    let line = text.lines().find(|l| l.starts_with(field))?;
    Some(line.split_once(':')?.1.trim().to_owned())
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".to_owned())
}

/// Three significant digits, in the unit that suits.
fn duration(ns: Option<f64>) -> String {
    let Some(ns) = ns.filter(|n| n.is_finite()) else {
        return "-".to_owned();
    };
    let (value, unit) = [(1e9, "s"), (1e6, "ms"), (1e3, "µs")]
        .into_iter()
        .find(|(scale, _)| ns >= *scale)
        .map_or((ns, "ns"), |(scale, unit)| (ns / scale, unit));
    format!("{} {unit}", significant(value))
}

fn significant(value: f64) -> String {
    if value >= 100.0 {
        format!("{value:.0}")
    } else if value >= 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    }
}

fn bytes(n: Option<f64>) -> String {
    let Some(n) = n else {
        return "-".to_owned();
    };
    let (value, unit) = [(1u64 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")]
        .into_iter()
        .find(|(scale, _)| n >= *scale as f64)
        .map_or((n, "B"), |(scale, unit)| (n / scale as f64, unit));
    format!("{} {unit}", significant(value))
}

/// How `engine` compares with `other`: "**N.NNx faster**" or slower.
fn ratio(engine: Option<f64>, other: Option<f64>, better: &str, worse: &str) -> String {
    match (engine, other) {
        (Some(e), Some(o)) if e > 0.0 && o > 0.0 && e.is_finite() && o.is_finite() => {
            if o >= e {
                format!("**{:.2}x {better}**", o / e)
            } else {
                format!("**{:.2}x {worse}**", e / o)
            }
        }
        _ => "-".to_owned(),
    }
}

fn parent(args: Args) -> ExitCode {
    COUNTING.store(false, Relaxed);
    let (cases, dry) = match (args.cases.is_empty(), args.bench) {
        (false, _) => (args.cases, args.dry),
        (true, true) => (
            vec![Case::Factor(1), Case::Factor(10), Case::Factor(100)],
            args.dry,
        ),
        // `cargo test --benches`: a quick check that the harness works.
        (true, false) => (vec![Case::Factor(1)], true),
    };
    let load_before = load_average();
    let date = jiff::Timestamp::now()
        .strftime("%Y-%m-%d %H:%M UTC")
        .to_string();
    let started = Clock::now();
    let mut failed = Vec::new();
    let mut results: Vec<(Case, Figures)> = Vec::new();
    for &case in &cases {
        let kinds: &[&str] = match (dry, case.estate()) {
            (true, _) => &["dry"],
            (false, true) => &["sweep", "time", "memory"],
            (false, false) => &["time", "memory"],
        };
        let mut figures = Figures::new();
        for kind in kinds {
            match run_child(kind, case, args.runs) {
                Ok(more) => figures.extend(more),
                Err(why) => {
                    eprintln!("scale {}: {why}", case.label());
                    failed.push(format!("{} ({kind})", case.label()));
                }
            }
        }
        results.push((case, figures));
    }

    let commit = std::env::var("BENCH_COMMIT").unwrap_or_else(|_| {
        command_output("git", &["describe", "--always", "--dirty", "--abbrev=12"])
    });
    let subject = command_output(
        "git",
        &[
            "log",
            "-1",
            "--format=%s",
            commit.trim_end_matches("-dirty"),
        ],
    );
    let cpu = proc_field("/proc/cpuinfo", "model name").unwrap_or_else(|| "unknown".to_owned());
    let mem = proc_field("/proc/meminfo", "MemTotal")
        .and_then(|m| m.trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or("unknown".to_owned(), |kib| {
            format!("{:.0} GiB", kib / f64::from(1 << 20))
        });
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let sizes: Vec<String> = cases.iter().map(|c| c.arg()).collect();

    println!("# clearance at estate scale (issue 11)");
    println!();
    println!("- date: {date} (start)");
    if subject == "unknown" {
        println!("- commit: `{commit}`");
    } else {
        println!("- commit: `{commit}` ({subject})");
    }
    println!(
        "- machine: {cores} cores ({cpu}), {mem} RAM, {} {}",
        std::env::consts::OS,
        command_output("uname", &["-r"])
    );
    println!(
        "- load average (1, 5, 15 min) before: {load_before}, after: {} \
         (other work on the machine slows every figure)",
        load_average()
    );
    println!("- toolchain: {}", command_output("rustc", &["--version"]));
    println!(
        "- command: `cargo bench --bench scale -- {}{}{}` ({:.0} s)",
        if dry { "--dry " } else { "" },
        args.runs.map_or(String::new(), |r| format!("--runs {r} ")),
        sizes.join(" "),
        started.elapsed().as_secs_f64()
    );
    println!(
        "- workload: `benches/workload` (seeded) at each size, every shipped pack, at {}; \
         medians of a few runs (one to three at 100x)",
        workload::INSTANT
    );
    if !failed.is_empty() {
        println!("- **failed**: {}", failed.join(", "));
    }
    println!();

    let get = |f: &Figures, key: &str| f.get(key).copied();
    let count = |f: &Figures, key: &str| get(f, key).map_or("-".to_owned(), |v| group(v as u64));

    println!("## Sizes");
    println!();
    println!("| size | vendors | products | releases | systems | deployments | pairs | inventory JSON | Cedar entities | generated in | JSON to engine (once) |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    for (case, f) in &results {
        let pairs = get(f, "releases")
            .zip(get(f, "systems"))
            .map(|(r, s)| r * s);
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            case.label(),
            count(f, "vendors"),
            count(f, "products"),
            count(f, "releases"),
            count(f, "systems"),
            count(f, "deployments"),
            pairs.map_or("-".to_owned(), |p| group(p as u64)),
            bytes(get(f, "inventory_json_bytes")),
            count(f, "entities"),
            duration(get(f, "generate_ns")),
            duration(get(f, "load_once_ns").or(get(f, "load_ns"))),
        );
    }
    if dry {
        println!();
        println!("A dry run: nothing else measured.");
        return exit(&failed);
    }

    let estates: Vec<&(Case, Figures)> = results.iter().filter(|(c, _)| c.estate()).collect();
    let per_question = |f: &Figures, key: &str| {
        get(f, key)
            .zip(get(f, "questions"))
            .map(|(t, q)| t / q.max(1.0))
    };
    if !estates.is_empty() {
        println!();
        println!("## The sweep at scale (the table of issue 11)");
        println!();
        println!("| size | JSON to engine | first sweep on a fresh engine | both | second sweep | plain Cedar, per sweep question | peak RSS |");
        println!("|---|---|---|---|---|---|---|");
        for (case, f) in &estates {
            let both = get(f, "load_ns")
                .zip(get(f, "cold_sweep_ns"))
                .map(|(l, c)| l + c);
            println!(
                "| {} | {} | {} ({} each) | {} | {} each | {} ({} building each request) | {} |",
                case.label(),
                duration(get(f, "load_ns")),
                duration(get(f, "cold_sweep_ns")),
                duration(per_question(f, "cold_sweep_ns")),
                duration(both),
                duration(per_question(f, "warm_sweep_ns")),
                duration(per_question(f, "cedar_prebuilt_ns")),
                duration(per_question(f, "cedar_inline_ns")),
                bytes(get(f, "rss_after_sweeps_bytes")),
            );
        }
        println!();
        println!(
            "JSON to engine: `Inventory::from_json` + `Engine::new`, fresh policies. First \
             sweep: `Engine::sweep` (operate, every deployment) once on that engine, as a CLI \
             runs it. Second sweep: later sweeps on the same engine. Plain Cedar: two \
             `is_authorized` (binding, advice) per deployment with `engine.entities()`, the \
             requests built beforehand (in brackets: built in the loop by `Engine::request`). \
             Both: JSON to engine and the first sweep, what a CLI waits for. Peak RSS: of the \
             process once it has loaded the engine and swept, before plain Cedar (which asks the \
             engine for every entity, and so builds them)."
        );
        println!();
        println!("The fastest run of each (on a busy machine, closer to what the code costs):");
        println!();
        println!("| size | JSON to engine | first sweep | second sweep, each | plain Cedar, each | runs |");
        println!("|---|---|---|---|---|---|");
        for (case, f) in &estates {
            println!(
                "| {} | {} | {} | {} | {} | {} |",
                case.label(),
                duration(get(f, "load_min_ns")),
                duration(get(f, "cold_sweep_min_ns")),
                duration(per_question(f, "warm_sweep_min_ns")),
                duration(per_question(f, "cedar_prebuilt_min_ns")),
                count(f, "load_runs"),
            );
        }
        let checks: Vec<String> = estates
            .iter()
            .filter_map(|(case, f)| {
                let (engine, cedar) = (get(f, "sweep_allowed")?, get(f, "cedar_allowed")?);
                (engine != cedar).then(|| {
                    format!(
                        "{}: the sweep allows {engine}, plain Cedar {cedar}",
                        case.label()
                    )
                })
            })
            .collect();
        let epochs: Vec<String> = estates
            .iter()
            .filter(|(_, f)| get(f, "entities_same_as_at") == Some(0.0))
            .map(|(case, _)| case.label())
            .collect();
        if !epochs.is_empty() {
            println!();
            println!(
                "Note: at {}, `engine.entities()` (the structure in force when the engine was \
                 built) is not `engine.entities_at(at)`; plain Cedar used the former.",
                epochs.join(", ")
            );
        }
        if !checks.is_empty() {
            println!();
            println!("**Allowed counts differ**: {}.", checks.join("; "));
        }
    }

    println!();
    println!("## Ratios");
    println!();
    println!("| size | first sweep vs plain Cedar, per question | second sweep vs plain Cedar, per question | JSON to engine vs Cedar entities through its API | engine retained vs plain Cedar store | matrix, 2 threads vs 1 | matrix bytes per cell |");
    println!("|---|---|---|---|---|---|---|");
    for (case, f) in &results {
        let cells = get(f, "matrix_cells");
        let per_cell = get(f, "mem_matrix1_bytes")
            .zip(cells)
            .map(|(b, c)| format!("{:.0} B", b / c.max(1.0)));
        println!(
            "| {} | {} | {} | {} | {} | {} | {} |",
            case.label(),
            ratio(
                per_question(f, "cold_sweep_ns"),
                per_question(f, "cedar_prebuilt_ns"),
                "faster",
                "slower"
            ),
            ratio(
                per_question(f, "warm_sweep_ns"),
                per_question(f, "cedar_prebuilt_ns"),
                "faster",
                "slower"
            ),
            ratio(
                get(f, "load_ns"),
                get(f, "cedar_api_ns"),
                "faster",
                "slower"
            ),
            ratio(
                get(f, "mem_engine_total_bytes"),
                get(f, "mem_cedar_total_bytes"),
                "smaller",
                "larger"
            ),
            ratio(
                get(f, "matrix2_ns"),
                get(f, "matrix1_ns"),
                "faster",
                "slower"
            ),
            per_cell.unwrap_or_else(|| "-".to_owned()),
        );
    }

    let matrices: Vec<&(Case, Figures)> = results.iter().filter(|(c, _)| c.matrix()).collect();
    if !matrices.is_empty() {
        println!();
        println!("## The deploy matrix");
        println!();
        println!("| size | cells | fresh engine's first (1 thread) | 1 thread | 2 threads | per cell, 1 / 2 threads | retained, 1 / 2 threads | bytes per cell | peak while building | peak RSS |");
        println!("|---|---|---|---|---|---|---|---|---|---|");
        for (case, f) in &matrices {
            let cells = get(f, "matrix_cells").or_else(|| {
                get(f, "matrix_releases")
                    .zip(get(f, "matrix_systems"))
                    .map(|(r, s)| r * s)
            });
            let per = |key: &str| get(f, key).zip(cells).map(|(t, c)| t / c.max(1.0));
            println!(
                "| {} | {} | {} | {} | {} | {} / {} | {} / {} | {} | {} | {} |",
                case.label(),
                cells.map_or("-".to_owned(), |c| group(c as u64)),
                duration(get(f, "matrix_first_ns")),
                duration(get(f, "matrix1_ns")),
                duration(get(f, "matrix2_ns")),
                duration(per("matrix1_ns")),
                duration(per("matrix2_ns")),
                bytes(get(f, "mem_matrix1_bytes")),
                bytes(get(f, "mem_matrix2_bytes")),
                per("mem_matrix1_bytes").map_or("-".to_owned(), |b| format!("{b:.0} B")),
                bytes(get(f, "mem_matrix1_alive_peak_bytes")),
                bytes(get(f, "rss_time_bytes")),
            );
        }
        println!();
        println!(
            "`Engine::matrix(Action::Deploy, at)`: a fresh engine's first, then the median of \
             later ones on one thread, then on two (`set_threads(2)`). Retained: the bytes \
             allocated while the matrix is alive, less what the engine keeps once it is \
             dropped. Peak RSS: of the process timing them."
        );
    }

    if !estates.is_empty() {
        println!();
        println!("## Memory (counting allocator) and load");
        println!();
        println!("| size | engine retained | of which inventory / policies / Engine::new / first sweep | plain Cedar store | of which entities / policy set | Cedar entity JSON | JSON to engine | Cedar entities through its API | peak RSS: load and sweeps / sweep process / time / memory |");
        println!("|---|---|---|---|---|---|---|---|---|");
        for (case, f) in &estates {
            println!(
                "| {} | {} | {} / {} / {} / {} | {} | {} / {} | {} | {} | {} | {} / {} / {} / {} |",
                case.label(),
                bytes(get(f, "mem_engine_total_bytes")),
                bytes(get(f, "mem_inventory_bytes")),
                bytes(get(f, "mem_policies_bytes")),
                bytes(get(f, "mem_engine_new_bytes")),
                bytes(get(f, "mem_first_sweep_keeps_bytes")),
                bytes(get(f, "mem_cedar_total_bytes")),
                bytes(get(f, "mem_cedar_entities_bytes")),
                bytes(get(f, "mem_cedar_policy_set_bytes")),
                bytes(get(f, "cedar_entity_json_bytes")),
                duration(get(f, "load_ns")),
                duration(get(f, "cedar_api_ns")),
                bytes(get(f, "rss_after_sweeps_bytes")),
                bytes(get(f, "rss_sweep_bytes")),
                bytes(get(f, "rss_time_bytes")),
                bytes(get(f, "rss_memory_bytes")),
            );
        }
        println!();
        println!(
            "Engine retained: inventory + policies + engine + what its first sweep leaves it \
             knowing. Plain Cedar store: `Entities` read from Cedar's entity JSON of the \
             engine's entities (without the schema's actions), with the schema, plus every \
             pack's text as one policy set. Cedar entities through its API: `Entity::new` \
             per entity from its parts, then `Entities::from_entities` with the schema. \
             Peak RSS (`VmHWM`): of the sweep process once it has loaded the engine and swept \
             (before plain Cedar), and at the end of each process."
        );
    }
    exit(&failed)
}

fn exit(failed: &[String]) -> ExitCode {
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// `12345678` as `12,345,678`.
fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
