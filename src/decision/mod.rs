//! The answer to a question, and why.
//!
//! A [`Decision`] is what the engine hands back: the verdict, the question
//! it answers ([`Asked`]), the rules that decided it, the advice that
//! applies, the waivers used, the errors met, the [`Chain`]s showing how the
//! release reaches the companies the rules name, the aggregate-ownership
//! tests it turned on ([`Holding`]) and the Conditional Approvals in force
//! for its equipment ([`Approval`]). A [`Timeline`] holds one question's
//! decisions over a period, an [`Impact`] the questions two policy sets
//! answer differently. This layer only holds and renders answers (as text
//! and JSON); it computes nothing and knows nothing of Cedar or of the
//! engine that fills it in.

mod answer;
mod approval;
mod chain;
mod holding;
mod impact;
mod timeline;

pub use answer::{Asked, Decision, Verdict};
pub use approval::{Approval, ApprovalHolder};
pub use chain::{Chain, Company, Link};
pub use holding::{Counted, Holding, HoldingTest};
pub use impact::{Difference, Impact};
pub(crate) use timeline::same_answer;
pub use timeline::{Change, Step, Timeline};
