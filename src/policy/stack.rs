//! Reading policies on a thread with room: Cedar's JSON conversion of a
//! policy, walks of that JSON and dropping it all recurse as deep as
//! expressions nest, deeper than a small thread's stack allows.

/// Runs `work` on a thread with a stack deep enough for any policy that
/// [`crate::Policies`] accepts: Cedar's JSON conversion of a policy, walks of
/// that JSON and dropping it all recurse as deep as expressions nest. `None`
/// if no thread could be started (callers then forgo the optimisation).
pub(crate) fn with_deep_stack<T: Send>(work: impl FnOnce() -> T + Send) -> Option<T> {
    const STACK: usize = 256 << 20;
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("clearance-policy-reads".to_owned())
            .stack_size(STACK)
            .spawn_scoped(scope, work)
            .ok()
            .and_then(|reader| reader.join().ok())
    })
}
