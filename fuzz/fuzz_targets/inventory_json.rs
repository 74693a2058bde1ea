//! Bytes -> `Inventory::from_json_slice` -> `Engine::new` with every shipped
//! pack -> a sweep at several instants. Must not panic; a rejected input gets
//! an inventory error with a message; an accepted one writes out and reads
//! back unchanged, builds an engine unless a waiver names a key no policy
//! tests (an inventory error naming the waiver), and every decision keeps the
//! invariants of `clearance_fuzz::check`.

#![no_main]

use clearance::{Action, Engine, Inventory};
use clearance_fuzz::{all_packs, check, instants};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let inventory = match Inventory::from_json_slice(data) {
        Ok(inventory) => inventory,
        Err(e) => {
            assert!(e.kind().is_inventory(), "{:?}: {e}", e.kind());
            assert!(
                e.message().starts_with("inventory JSON") || e.message().contains('`'),
                "{e}"
            );
            return;
        }
    };
    let text = inventory.to_json();
    let back = Inventory::from_json(&text)
        .unwrap_or_else(|e| panic!("an inventory's own JSON does not read back: {e}\n{text}"));
    assert_eq!(back, inventory);

    // A waiver naming a key no policy tests is refused when the engine is
    // built; anything else that loaded builds one.
    let engine = match Engine::new(inventory, all_packs()) {
        Ok(engine) => engine,
        Err(e) if e.kind().is_inventory() && e.message().starts_with("waiver `") => return,
        Err(e) => panic!("a loaded inventory does not build an engine: {e}"),
    };
    for at in instants() {
        for (_, decision) in engine.sweep(at) {
            check(&engine, &decision);
        }
    }
    // A small matrix too, so systems and releases without deployments are asked.
    let cells = engine.inventory().systems.len() * engine.inventory().releases.len();
    if cells <= 64 {
        for decision in engine.matrix(Action::Update, instants()[2]).decisions() {
            check(&engine, &decision);
        }
    }
});
