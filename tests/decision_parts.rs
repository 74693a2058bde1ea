//! A decision rebuilt from its parts (`Decision::from_parts`, the rules and
//! the chains' links through serde, as a process boundary would have them)
//! equals the original, for every decision of every matrix; and any error
//! makes a rebuilt decision Deny.

use clearance::{
    Action, Chain, Decision, Engine, Instant, Inventory, Link, Policies, Rule, Verdict,
};

fn engine() -> Engine {
    let inventory = Inventory::from_path("examples/article-inventory.json").unwrap();
    Engine::new(inventory, Policies::all_packs().unwrap()).unwrap()
}

fn at(text: &str) -> Instant {
    text.parse().unwrap()
}

#[test]
fn decisions_rebuilt_from_their_parts_are_equal() {
    let engine = engine();
    let mut chains = 0;
    for action in Action::ALL {
        for decision in engine.matrix(*action, at("2024-10-01")).decisions() {
            let rules: Vec<Rule> = decision.rules().cloned().collect();
            let advice: Vec<Rule> = decision.advice().cloned().collect();
            // Through serde, as a process boundary would have them.
            let rules: Vec<Rule> =
                serde_json::from_str(&serde_json::to_string(&rules).unwrap()).unwrap();
            let advice: Vec<Rule> =
                serde_json::from_str(&serde_json::to_string(&advice).unwrap()).unwrap();
            let links: Vec<Vec<Link>> = decision
                .chains()
                .iter()
                .map(|c| c.links().to_vec())
                .collect();
            let links: Vec<Vec<Link>> =
                serde_json::from_str(&serde_json::to_string(&links).unwrap()).unwrap();
            chains += links.len();
            let rebuilt = Decision::from_parts(
                decision.asked().clone(),
                decision.verdict(),
                rules,
                advice,
                decision.waivers().to_vec(),
                decision.errors().to_vec(),
                links.into_iter().map(Chain::new).collect(),
            );
            assert_eq!(rebuilt, decision);
            assert_eq!(rebuilt.to_string(), decision.to_string());
        }
    }
    assert!(chains > 0, "some decision has chains");
}

#[test]
fn an_error_makes_a_rebuilt_decision_deny() {
    let engine = engine();
    let allowed = engine
        .decide(
            &clearance::Query::new("uk-home-laptop", Action::Deploy, "defender-4.18")
                .at(at("2024-01-01")),
        )
        .unwrap();
    assert!(allowed.allowed());
    let rebuilt = Decision::from_parts(
        allowed.asked().clone(),
        Verdict::Allow,
        allowed.rules().cloned().collect(),
        vec![],
        vec![],
        vec!["evaluating policy x: boom".to_owned()],
        vec![],
    );
    assert_eq!(rebuilt.verdict(), Verdict::Deny);
    assert_eq!(rebuilt.errors(), ["evaluating policy x: boom"]);
}
