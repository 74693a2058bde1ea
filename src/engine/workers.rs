//! The threads that answer bulk questions.
//!
//! [`crate::Engine::set_threads`] chooses the calling thread alone (the
//! default), rayon's global pool (one thread per core), or a pool of the
//! engine's own, started the first time a bulk question needs it and kept
//! for the next: starting threads for every question would cost a small
//! sweep more than they save. Work is shared out by stealing, since some
//! evaluations take far longer than others, and results land in order.

use std::sync::OnceLock;

use rayon::prelude::*;

pub(crate) struct Workers {
    threads: usize,
    pool: OnceLock<Option<rayon::ThreadPool>>,
}

impl Workers {
    /// `threads` as [`crate::Engine::set_threads`] takes it: 0 for one per core.
    pub fn new(threads: usize) -> Workers {
        Workers {
            threads,
            pool: OnceLock::new(),
        }
    }

    /// The number asked for.
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// `work` on every item, in order, taken `min_run` or more at a time.
    /// Each run starts from `init` of its thread's number (from 0), so that
    /// threads can keep their own copies of what they would otherwise share.
    pub fn map<T: Sync, S, R: Send>(
        &self,
        items: &[T],
        min_run: usize,
        init: impl Fn(usize) -> S + Sync + Send,
        work: impl Fn(&mut S, &T) -> R + Sync + Send,
    ) -> Vec<R> {
        let serially = || {
            let mut state = init(0);
            items.iter().map(|item| work(&mut state, item)).collect()
        };
        let in_parallel = || {
            items
                .par_iter()
                .with_min_len(min_run.max(1))
                .map_init(
                    || init(rayon::current_thread_index().unwrap_or(0)),
                    |state, item| work(state, item),
                )
                .collect()
        };
        match self.threads {
            1 => serially(),
            0 => in_parallel(),
            n => match self.pool(n) {
                Some(pool) => pool.install(in_parallel),
                // No thread could be started: the calling thread does it all.
                None => serially(),
            },
        }
    }

    fn pool(&self, threads: usize) -> Option<&rayon::ThreadPool> {
        self.pool
            .get_or_init(|| {
                rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .thread_name(|i| format!("clearance-{i}"))
                    .build()
                    .ok()
            })
            .as_ref()
    }
}
