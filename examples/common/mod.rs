//! What the examples share: a decision's reasons on one line.

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
