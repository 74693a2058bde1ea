//! Answering many arbitrary questions at once (`Engine.decide_many`), in Rust
//! and without the interpreter, through the engine's public API.
//!
//! The engine's bulk path is `Engine::matrix`: one call answers every release
//! against every system at one instant, sharing evaluations between cells
//! that look the same to every policy, on the engine's threads, for well
//! under a single question's cost a cell. So the questions are grouped by
//! action and instant, and a group that asks about enough of the matrix
//! (one cell in `MATRIX_SHARE`) is answered by the matrix; the others are
//! asked one by one, shared out to as many threads as the engine has. Either
//! way each answer is the one `Engine::decide` gives (the engine guarantees
//! a matrix's cells are). A question naming an unknown system or release
//! gets `decide`'s error.
//!
//! Uses nothing of the other modules: it works on Rust values only.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use clearance::{Action, Decision, Engine, Instant, Query};

/// A group asking about at least one cell in this many is answered by a
/// matrix: on the Rust benchmarks' estate a matrix costs about a microsecond
/// a cell and a single question about three; on the article's small
/// inventory, three and five.
const MATRIX_SHARE: usize = 3;

/// Fewer single questions than this stay on the calling thread.
const MIN_PER_THREAD: usize = 32;

/// Matrices and single questions `decide_many` has asked in this process;
/// see `_stats()`.
pub(crate) static MATRICES_ASKED: AtomicU64 = AtomicU64::new(0);
pub(crate) static SINGLES_ASKED: AtomicU64 = AtomicU64::new(0);

/// The threads `threads` (as `Engine(threads=...)` takes it) means.
fn thread_count(threads: usize) -> usize {
    match threads {
        0 => std::thread::available_parallelism().map_or(1, usize::from),
        n => n,
    }
}

/// The answer to each question, in order; questions without an instant are
/// about `now`.
pub(crate) fn decide_many(
    engine: &Engine,
    threads: usize,
    queries: &[Query],
    now: Instant,
) -> Vec<clearance::Result<Decision>> {
    let mut answers: Vec<Option<clearance::Result<Decision>>> = std::iter::repeat_with(|| None)
        .take(queries.len())
        .collect();
    let mut order: Vec<(Action, Instant)> = Vec::new();
    let mut groups: HashMap<(Action, Instant), Vec<usize>> = HashMap::new();
    for (i, query) in queries.iter().enumerate() {
        let key = (query.action, query.at.unwrap_or(now));
        groups
            .entry(key)
            .or_insert_with(|| {
                order.push(key);
                Vec::new()
            })
            .push(i);
    }
    let inventory = engine.inventory();
    let cells = inventory.systems.len() * inventory.releases.len();
    let mut singles: Vec<usize> = Vec::new();
    for key in order {
        let asked = &groups[&key];
        if cells == 0 || asked.len() * MATRIX_SHARE < cells {
            singles.extend_from_slice(asked);
            continue;
        }
        let (action, at) = key;
        let matrix = engine.matrix(action, at);
        MATRICES_ASKED.fetch_add(1, Ordering::Relaxed);
        for &i in asked {
            let query = &queries[i];
            match matrix.get(query.release.as_str(), query.system.as_str()) {
                Some(decision) => answers[i] = Some(Ok(decision)),
                // Unknown: `decide` names which, as it does for one question.
                None => singles.push(i),
            }
        }
    }
    SINGLES_ASKED.fetch_add(singles.len() as u64, Ordering::Relaxed);
    let ask = |i: usize| {
        let query = &queries[i];
        let at = query.at.unwrap_or(now);
        engine.decide(&query.clone().at(at))
    };
    let threads = thread_count(threads)
        .min(singles.len() / MIN_PER_THREAD)
        .max(1);
    if threads == 1 {
        for &i in &singles {
            answers[i] = Some(ask(i));
        }
    } else {
        let chunk = singles.len().div_ceil(threads);
        let answered: Vec<Vec<clearance::Result<Decision>>> = std::thread::scope(|scope| {
            let running: Vec<_> = singles
                .chunks(chunk)
                .map(|part| scope.spawn(move || part.iter().map(|&i| ask(i)).collect()))
                .collect();
            running
                .into_iter()
                .map(|thread| thread.join().expect("a question does not panic"))
                .collect()
        });
        for (&i, answer) in singles.iter().zip(answered.into_iter().flatten()) {
            answers[i] = Some(answer);
        }
    }
    answers
        .into_iter()
        .map(|answer| answer.expect("every question is answered"))
        .collect()
}
