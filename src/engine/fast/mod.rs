//! The fast path: how the engine answers many questions with exactly the
//! decisions Cedar would give one by one, while asking Cedar far less.
//!
//! A decision depends on a request only through what the policies can see of
//! it. Each part below narrows what is evaluated without changing any answer,
//! reason or error:
//!
//! - [`analysis`]: what is read off a policy set once, and kept with it
//!   (the slicer, each action's scope, how the policies read each variable,
//!   the guards);
//! - [`slice`](mod@slice): a request evaluates only the policies whose scope
//!   (`principal in`, `action ==`, `resource in`) can match it;
//! - [`guard`]: and leaves out policies whose leading conditions on the
//!   system, then the date, then the release are known false for it, as
//!   judged by Cedar itself;
//! - [`share`]: systems, and releases, that agree on every membership and
//!   equality test the policies make of them share one evaluation;
//! - [`classes`]: every system and release is sorted into classes (by scope
//!   and what the policies observe) when the engine is built, and one member
//!   stands for each class; a class's guards are judged on first use;
//! - [`mask`]: the bit sets all of these intersect.
//!
//! An evaluation that errors is never shared and a guard that errors never
//! leaves its policy out, so no error is hidden or spread. This layer reads
//! policies, the inventory as Cedar sees it ([`crate::cedar::mapping`]) and
//! Cedar's entities; it builds no decision and knows nothing of the
//! [`crate::Engine`] that uses it.

pub(crate) mod analysis;
pub(crate) mod classes;
pub(crate) mod guard;
pub(crate) mod mask;
pub(crate) mod share;
pub(crate) mod slice;

pub(crate) use analysis::Analysis;
