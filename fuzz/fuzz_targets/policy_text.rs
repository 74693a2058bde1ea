//! Text -> `Policies::add_text` on top of every shipped pack. Must not panic.
//! A rejected text gets a policy error naming its origin and leaves the set
//! as it was; an accepted one decides questions about the example inventory,
//! and every decision names only rules that exist.

#![no_main]

use clearance::{Action, Engine, Query};
use clearance_fuzz::{all_packs, check, example, instants};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let mut policies = all_packs();
    let before: Vec<String> = policies.rules().map(|r| r.id().to_owned()).collect();
    if let Err(e) = policies.add_text("fuzz.cedar", text) {
        assert!(e.kind().is_policy(), "{:?}: {e}", e.kind());
        assert!(e.message().starts_with("fuzz.cedar: "), "{e}");
        let after: Vec<String> = policies.rules().map(|r| r.id().to_owned()).collect();
        assert_eq!(before, after, "a failed addition changed the set");
        return;
    }
    let added = policies.len() - before.len();
    assert_eq!(
        policies.binding().policies().count() + policies.advice().policies().count(),
        policies.len()
    );
    let engine = Engine::new(example(), policies).expect("the example builds an engine");
    if added == 0 {
        return;
    }
    let questions = [
        ("mod-secret", Action::Deploy, "kes-12"),
        ("us-home-laptop", Action::Update, "kis-2024"),
        (
            "contractor-endpoints",
            Action::Operate,
            "hexagone-suite-2018",
        ),
        ("gsa-facility-cctv", Action::Procure, "hikvision-nvr-4"),
        ("home-affairs-malware-lab", Action::Operate, "kes-12"),
        ("dfe-remote-access", Action::Deploy, "redoubt-vpn-3.1"),
    ];
    for at in instants() {
        for (system, action, release) in questions {
            let decision = engine
                .decide(&Query::new(system, action, release).at(at))
                .expect("the question is about the inventory");
            check(&engine, &decision);
        }
    }
});
