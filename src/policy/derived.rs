//! A place to keep what other layers work out from a policy set.
//!
//! Reading a policy set for the engine's fast path (its scopes, guards, how
//! it reads each variable) costs more than building a few hundred entities,
//! so it is done once per set and kept with the set, where every clone of
//! the set finds it. The policy layer stores it without knowing its type, so
//! that it never depends on the engine that defines it.

use std::any::Any;
use std::fmt;
use std::sync::{Arc, OnceLock};

/// One value derived from a policy set, of a type chosen by its first user;
/// shared by clones of the set, and replaced by an empty slot whenever the set
/// changes.
#[derive(Clone, Default)]
pub(crate) struct Derived(Arc<OnceLock<Box<dyn Any + Send + Sync>>>);

impl Derived {
    /// The value, worked out by `init` on first use. `None` if the slot holds
    /// a value of another type, which the crate's single user never causes;
    /// callers then work the value out without keeping it.
    pub fn get_or_init<T: Any + Send + Sync>(&self, init: impl FnOnce() -> T) -> Option<&T> {
        self.0.get_or_init(|| Box::new(init())).downcast_ref()
    }
}

impl fmt::Debug for Derived {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = if self.0.get().is_some() {
            "worked out"
        } else {
            "empty"
        };
        f.debug_tuple("Derived").field(&state).finish()
    }
}
