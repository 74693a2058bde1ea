//! What the fuzz targets share: the policies, the invariants every decision
//! must keep, and the example inventory.

use std::sync::OnceLock;

use clearance::{Decision, Effect, Engine, Instant, Inventory, Policies};

/// Every shipped pack, loaded once per process.
pub fn all_packs() -> Policies {
    static PACKS: OnceLock<Policies> = OnceLock::new();
    PACKS
        .get_or_init(|| Policies::all_packs().expect("the shipped packs load"))
        .clone()
}

/// The example inventory of the article, loaded once per process.
pub fn example() -> Inventory {
    static EXAMPLE: OnceLock<Inventory> = OnceLock::new();
    EXAMPLE
        .get_or_init(|| {
            Inventory::from_json(include_str!("../../examples/article-inventory.json"))
                .expect("the example loads")
        })
        .clone()
}

/// The inventory with its waivers naming only keys the policies test (a
/// waiver naming another is an error when an engine is built); waivers left
/// naming nothing are dropped.
pub fn waivable(inventory: &Inventory, policies: &Policies) -> Inventory {
    let keys = policies.waiver_keys();
    let mut inventory = inventory.clone();
    for waiver in &mut inventory.waivers {
        waiver.rules.retain(|key| keys.contains(key.as_str()));
    }
    inventory.waivers.retain(|w| !w.rules.is_empty());
    inventory
}

/// Instants around the dates the shipped rules turn on.
pub fn instants() -> [Instant; 4] {
    [
        "2017-12-12",
        "2019-08-13",
        "2024-09-29T00:00:00.001Z",
        "2025-04-02",
    ]
    .map(|t| t.parse().expect("a valid instant"))
}

/// What must hold of every decision: an error is never an Allow; every rule
/// named exists with the effect its place says; every waiver named exists;
/// the question echoed is the one asked.
pub fn check(engine: &Engine, decision: &Decision) {
    assert!(
        decision.errors().is_empty() || !decision.allowed(),
        "allowed despite errors:\n{decision}"
    );
    let expected = if decision.allowed() {
        Effect::Permit
    } else {
        Effect::Forbid
    };
    for rule in decision.rules() {
        let known = engine
            .policies()
            .rule(rule.id())
            .unwrap_or_else(|| panic!("names a rule that does not exist: {}", rule.id()));
        assert_eq!(known.effect(), expected, "{decision}");
    }
    if decision.allowed() {
        assert!(
            decision.rules().len() > 0,
            "an Allow with no permit:\n{decision}"
        );
    }
    for rule in decision.advice() {
        let known = engine
            .policies()
            .rule(rule.id())
            .unwrap_or_else(|| panic!("names advice that does not exist: {}", rule.id()));
        assert_eq!(known.effect(), Effect::Advice, "{decision}");
    }
    for waiver in decision.waivers() {
        assert!(
            engine.inventory().waivers.iter().any(|w| &w.id == waiver),
            "names a waiver that does not exist: {waiver}"
        );
    }
    // Rendering never panics either.
    let _ = decision.to_string();
    let _ = serde_json::to_string(decision).expect("a decision serialises");
}
