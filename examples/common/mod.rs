//! What the examples share: a decision's reasons on one line, and ending
//! quietly when their output is closed early.

// Each example uses part of this module.
#![allow(dead_code)]

use clearance::Decision;

/// The deciding rules, then advice and waivers used (a period of
/// non-enforcement marked as such), in one line.
pub fn because(decision: &Decision) -> String {
    let mut parts: Vec<String> = decision
        .rules()
        .filter(|r| r.effect() != clearance::Effect::Permit)
        .map(|r| r.id().to_owned())
        .collect();
    parts.extend(decision.advice().map(|r| format!("advice: {}", r.id())));
    parts.extend(decision.waivers().iter().map(|w| {
        if decision.non_enforcement().contains(w) {
            format!("non-enforcement: {w}")
        } else {
            format!("waiver: {w}")
        }
    }));
    parts.extend(decision.errors().iter().map(|e| format!("error: {e}")));
    if parts.is_empty() {
        parts.push(
            if decision.allowed() {
                "no rule forbids it"
            } else {
                "nothing permits it"
            }
            .to_owned(),
        );
    }
    parts.join(", ")
}

/// Lets the example end quietly, as `cat` or `grep` do, when what it prints
/// to is closed early (`cargo run --example landscape | head`). Rust
/// programs ignore SIGPIPE, so `println!` would panic on the closed pipe
/// instead; this restores the signal's default action, which ends the
/// process without a word. Call it first thing in `main`.
pub fn quiet_on_closed_pipe() {
    #[cfg(unix)]
    // SAFETY: called at the start of `main`, before any other thread exists;
    // SIG_DFL is the action every program starts with outside Rust.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
