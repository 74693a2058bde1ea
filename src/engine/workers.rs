//! The threads that answer bulk questions.
//!
//! [`crate::Engine::set_threads`] chooses the calling thread alone (the
//! default) or a rayon pool of the engine's own (for 0, as many threads as
//! rayon would give its global pool: one per core, or `RAYON_NUM_THREADS`),
//! started the first time a bulk question needs it and kept for the next:
//! starting threads for every question would cost a small sweep more than
//! they save. Work is shared out by stealing, since some evaluations take far
//! longer than others, and results land in order.
//!
//! A pool's threads do not survive `fork`: the child has the pool but none of
//! its threads, and work handed to it would wait forever (Python's
//! `multiprocessing` forks by default on Linux before 3.14). So a pool
//! remembers the process that started it, and a bulk question in any other
//! process starts a new one. The old pool is left alone there, never dropped:
//! dropping it would signal threads that do not exist, through locks one of
//! them may have held when the process forked. Rayon's global pool cannot be
//! restarted, which is why 0 has a pool of its own too.

use std::sync::atomic::{AtomicPtr, Ordering};

use rayon::prelude::*;

/// A pool and the process it was started in.
struct Pool {
    process: u32,
    /// `None` if no thread could be started: the calling thread does it all.
    threads: Option<rayon::ThreadPool>,
}

pub(crate) struct Workers {
    threads: usize,
    /// The pool, once started: a leaked `Box<Pool>`, replaced (and the old
    /// one leaked for good) only in a process forked from the one that
    /// started it, so a reference to it lives as long as `self`.
    pool: AtomicPtr<Pool>,
}

impl Workers {
    /// `threads` as [`crate::Engine::set_threads`] takes it: 0 for one per core.
    pub fn new(threads: usize) -> Workers {
        Workers {
            threads,
            pool: AtomicPtr::new(std::ptr::null_mut()),
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
        if self.threads == 1 {
            return serially();
        }
        match self.pool() {
            Some(pool) => pool.install(|| {
                items
                    .par_iter()
                    .with_min_len(min_run.max(1))
                    .map_init(
                        || init(rayon::current_thread_index().unwrap_or(0)),
                        |state, item| work(state, item),
                    )
                    .collect()
            }),
            None => serially(),
        }
    }

    /// `work` on each chunk of `items` (`chunk` items, the last maybe
    /// fewer), with the chunk's number, changing it in place; the results
    /// in order.
    pub fn map_chunks_mut<T: Send, R: Send>(
        &self,
        items: &mut [T],
        chunk: usize,
        work: impl Fn(usize, &mut [T]) -> R + Sync + Send,
    ) -> Vec<R> {
        let chunk = chunk.max(1);
        if self.threads != 1 {
            if let Some(pool) = self.pool() {
                return pool.install(|| {
                    items
                        .par_chunks_mut(chunk)
                        .enumerate()
                        .map(|(i, items)| work(i, items))
                        .collect()
                });
            }
        }
        items
            .chunks_mut(chunk)
            .enumerate()
            .map(|(i, items)| work(i, items))
            .collect()
    }

    /// The pool of this process, started on first use.
    fn pool(&self) -> Option<&rayon::ThreadPool> {
        self.pool_in(std::process::id())
    }

    fn pool_in(&self, process: u32) -> Option<&rayon::ThreadPool> {
        let mut current = self.pool.load(Ordering::Acquire);
        loop {
            // SAFETY: a non-null pointer is a leaked `Box<Pool>` that is only
            // freed by `drop`, which has `&mut self`.
            if let Some(pool) = unsafe { current.as_ref() } {
                if pool.process == process {
                    return pool.threads.as_ref();
                }
            }
            // None yet, or one started before a fork: its threads are not in
            // this process. Start one; leak the old one (see the module docs).
            let fresh = Box::into_raw(Box::new(Pool {
                process,
                threads: rayon::ThreadPoolBuilder::new()
                    .num_threads(self.threads)
                    .thread_name(|i| format!("clearance-{i}"))
                    .build()
                    .ok(),
            }));
            match self
                .pool
                .compare_exchange(current, fresh, Ordering::AcqRel, Ordering::Acquire)
            {
                // SAFETY: just leaked, and now owned by `self.pool`.
                Ok(_) => return unsafe { (*fresh).threads.as_ref() },
                Err(won) => {
                    // Another thread of this process started one first: keep
                    // that one and drop ours, whose threads are all here.
                    // SAFETY: `fresh` was never shared.
                    drop(unsafe { Box::from_raw(fresh) });
                    current = won;
                }
            }
        }
    }
}

impl Drop for Workers {
    fn drop(&mut self) {
        let pool = *self.pool.get_mut();
        if pool.is_null() {
            return;
        }
        // SAFETY: a leaked `Box<Pool>` that nothing else refers to now.
        let pool = unsafe { Box::from_raw(pool) };
        if pool.process != std::process::id() {
            // Started before a fork: its threads are not here (module docs).
            std::mem::forget(pool);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn squares(workers: &Workers) -> Vec<usize> {
        let items: Vec<usize> = (0..1000).collect();
        workers.map(&items, 1, |_| (), |_, &i| i * i)
    }

    #[test]
    fn a_pool_started_in_another_process_is_replaced_and_leaked() {
        let workers = Workers::new(2);
        let expected: Vec<usize> = (0..1000).map(|i| i * i).collect();
        assert_eq!(squares(&workers), expected);
        let first = workers.pool.load(Ordering::Acquire);
        assert!(!first.is_null());
        // As if this process had been forked from the one that started it.
        // SAFETY: no bulk question is running, and the pool is not freed here.
        unsafe { (*first).process = u32::MAX };
        assert_eq!(squares(&workers), expected);
        let second = workers.pool.load(Ordering::Acquire);
        assert_ne!(first, second);
        // SAFETY: `first` was leaked, not freed, when it was replaced.
        let first = unsafe { Box::from_raw(first) };
        assert_eq!(first.process, u32::MAX);
        // The pool is of this process after all: drop it.
        drop(first);
        assert_eq!(squares(&workers), expected);
        assert_eq!(workers.pool.load(Ordering::Acquire), second);
    }

    #[test]
    fn zero_threads_is_a_pool_of_its_own() {
        let workers = Workers::new(0);
        assert_eq!(squares(&workers).len(), 1000);
        let pool = workers.pool().expect("a pool starts");
        assert_eq!(
            pool.current_num_threads(),
            rayon::ThreadPoolBuilder::new()
                .build()
                .unwrap()
                .current_num_threads()
        );
    }

    #[test]
    fn one_thread_starts_no_pool() {
        let workers = Workers::new(1);
        assert_eq!(squares(&workers).len(), 1000);
        assert!(workers.pool.load(Ordering::Acquire).is_null());
    }
}
