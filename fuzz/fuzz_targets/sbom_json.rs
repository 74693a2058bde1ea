//! Bytes -> `Sbom::from_json_slice` -> `Inventory::attach_sbom` on a small
//! inventory. Must not panic; a rejected SBOM gets a typed error with a
//! message; an attach either fails leaving the inventory as it was, or
//! leaves a valid inventory that builds an engine.

#![no_main]

use clearance::sbom::{AliasMap, Sbom};
use clearance::{Engine, Inventory};
use clearance_fuzz::all_packs;
use libfuzzer_sys::fuzz_target;

const INVENTORY: &str = include_str!("../../tests/data/sbom/inventory.json");

fuzz_target!(|data: &[u8]| {
    let sbom = match Sbom::from_json_slice(data) {
        Ok(sbom) => sbom,
        Err(e) => {
            assert!(!e.message().is_empty(), "{:?}", e.kind());
            return;
        }
    };
    let mut inventory = Inventory::from_json(INVENTORY).expect("the fixture inventory loads");
    let before = inventory.clone();
    match inventory.attach_sbom("product-1", &sbom, &AliasMap::default()) {
        Ok(_) => {
            assert_eq!(inventory.validate(), Ok(()));
            Engine::new(inventory, all_packs()).expect("an attached inventory builds an engine");
        }
        Err(e) => {
            assert!(!e.message().is_empty());
            assert_eq!(inventory, before, "a failed attach changed the inventory: {e}");
        }
    }
});
