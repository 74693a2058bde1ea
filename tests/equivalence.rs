//! The engine's fast paths (policy slicing, shared evaluations, threads) give
//! exactly the decisions plain Cedar gives pair by pair on the same request.

use clearance::cedar_policy::{Authorizer, Decision as CedarDecision, Response};
use clearance::{Action, Engine, Inventory, Policies, Query, Verdict};

fn article_engine() -> Engine {
    let inventory = Inventory::from_path("examples/article-inventory.json").unwrap();
    let mut policies = Policies::all_packs().unwrap();
    policies
        .add_file("examples/policies/bank-precaution.cedar")
        .unwrap();
    Engine::new(inventory, policies).unwrap()
}

/// What Cedar answers, asked directly, for the question a decision answers:
/// the binding response and the advice response.
fn ask_cedar(engine: &Engine, decision: &clearance::Decision) -> (Response, Response) {
    let request = engine.request(&Query::from(decision.asked())).unwrap();
    let authorizer = Authorizer::new();
    // The entities of the structure in force at the instant asked about.
    let entities = engine.entities_at(decision.asked().at).unwrap();
    let binding = authorizer.is_authorized(&request, engine.policies().binding(), entities);
    let advice = authorizer.is_authorized(&request, engine.policies().advice(), entities);
    (binding, advice)
}

fn sorted_ids<'a>(ids: impl Iterator<Item = &'a clearance::cedar_policy::PolicyId>) -> Vec<String> {
    let mut ids: Vec<String> = ids.map(ToString::to_string).collect();
    ids.sort();
    ids
}

#[test]
fn every_pair_of_the_article_inventory_matches_plain_cedar() {
    let engine = article_engine();
    let mut checked = 0;
    for at in [
        "2017-01-01",
        "2018-01-10",
        "2019-06-01",
        "2021-06-01",
        "2022-04-01",
        "2024-10-01",
        "2025-06-01",
    ] {
        let at = at.parse().unwrap();
        for action in Action::ALL {
            let matrix = engine.matrix(*action, at);
            for decision in matrix.decisions() {
                let (binding, advice) = ask_cedar(&engine, &decision);
                assert_eq!(binding.diagnostics().errors().count(), 0);
                let verdict = match binding.decision() {
                    CedarDecision::Allow => Verdict::Allow,
                    CedarDecision::Deny => Verdict::Deny,
                };
                assert_eq!(decision.verdict(), verdict, "{decision}");
                assert_eq!(
                    decision.rule_ids(),
                    sorted_ids(binding.diagnostics().reason()),
                    "{decision}"
                );
                assert_eq!(
                    decision.advice_ids(),
                    sorted_ids(advice.diagnostics().reason()),
                    "{decision}"
                );
                checked += 1;
            }
        }
    }
    let pairs = engine.inventory().releases.len() * engine.inventory().systems.len();
    assert_eq!(checked, 7 * 4 * pairs);
}

#[test]
fn threads_change_nothing_but_speed() {
    let mut engine = article_engine();
    let at = "2025-06-01".parse().unwrap();
    let serial = (
        engine.matrix(Action::Deploy, at).into_decisions(),
        engine.sweep(at),
    );
    for threads in [0, 2, 3, 64] {
        engine.set_threads(threads);
        assert_eq!(
            engine.matrix(Action::Deploy, at).into_decisions(),
            serial.0,
            "{threads} threads"
        );
        assert_eq!(engine.sweep(at), serial.1, "{threads} threads");
    }
}

#[test]
fn errors_are_reported_for_exactly_the_releases_that_cause_them() {
    // Releases with major >= 2 make this rule overflow; smaller ones do not.
    let inventory = Inventory::from_path("examples/article-inventory.json").unwrap();
    let mut policies = Policies::all_packs().unwrap();
    policies
        .add_text(
            "overflow.cedar",
            r#"@id("overflow/by-version") @reason("overflows for major versions of 2 and more")
               forbid (principal, action, resource)
               when { resource.major * 4611686018427387904 < 0 && resource.dataCountries.contains("ZZ") };"#,
        )
        .unwrap();
    let engine = Engine::new(inventory, policies).unwrap();
    let matrix = engine.matrix(Action::Deploy, "2016-01-01".parse().unwrap());
    for decision in matrix.decisions() {
        let major = engine
            .inventory()
            .releases
            .iter()
            .find(|r| r.id == decision.asked().release)
            .unwrap()
            .version
            .major;
        assert_eq!(!decision.errors().is_empty(), major >= 2, "{decision}");
        if major >= 2 {
            assert_eq!(decision.verdict(), Verdict::Deny, "{decision}");
        }
    }
}

#[test]
fn guards_never_drop_an_error_or_a_match() {
    // Policies whose leading system, date and release conditions are false,
    // true or failing in every combination: leaving a policy out must never
    // change a verdict, a reason or an error.
    let inventory = Inventory::from_path("examples/article-inventory.json").unwrap();
    let mut policies = Policies::all_packs().unwrap();
    policies
        .add_text(
            "tricky.cedar",
            r#"
            @id("tricky/system-guard-overflows") @reason("the system guard fails to evaluate above OFFICIAL")
            forbid (principal, action, resource)
            when { principal.tier * 4611686018427387904 < 0 && context.now > datetime("2000-01-01") && resource.audited };

            @id("tricky/release-guard-overflows") @reason("the release guard fails to evaluate for majors of 2 and more")
            forbid (principal, action, resource)
            when { principal.country == "GB" && resource.major * 4611686018427387904 < 0 && resource.audited };

            @id("tricky/date-then-release") @reason("a date guard, then a release guard")
            forbid (principal, action, resource)
            when { principal.country == "US" && context.now < datetime("2020-01-01") && resource.dataCountries.contains("RU") };

            @id("tricky/ended-then-release-overflows") @reason("a date guard false from 2021, then a release guard that fails to evaluate for majors of 2 and more")
            forbid (principal, action, resource)
            when { principal.country == "GB" && context.now < datetime("2021-01-01") && resource.major * 4611686018427387904 < 0 };

            @id("tricky/advice-guarded") @reason("advice behind all three guards")
            @advice
            forbid (principal, action, resource)
            when { principal.critical && context.now >= datetime("2022-01-01") && resource.product.category == "antivirus" };
            "#,
        )
        .unwrap();
    let engine = Engine::new(inventory, policies).unwrap();
    let mut errors = 0;
    for at in ["2019-06-01", "2023-06-01"] {
        let at = at.parse().unwrap();
        for action in [Action::Deploy, Action::Operate] {
            for decision in engine.matrix(action, at).decisions() {
                let (binding, advice) = ask_cedar(&engine, &decision);
                let cedar_errors =
                    binding.diagnostics().errors().count() + advice.diagnostics().errors().count();
                assert_eq!(decision.errors().len(), cedar_errors, "{decision}");
                errors += cedar_errors;
                let allowed = binding.decision() == CedarDecision::Allow && cedar_errors == 0;
                assert_eq!(decision.allowed(), allowed, "{decision}");
                if cedar_errors == 0 {
                    assert_eq!(
                        decision.rule_ids(),
                        sorted_ids(binding.diagnostics().reason()),
                        "{decision}"
                    );
                }
                assert_eq!(
                    decision.advice_ids(),
                    sorted_ids(advice.diagnostics().reason()),
                    "{decision}"
                );
            }
        }
    }
    assert!(
        errors > 0,
        "the tricky policies should fail to evaluate somewhere"
    );
}

#[test]
fn a_policy_added_after_an_engine_was_built_counts_in_the_next_one() {
    // Engines keep what they read off a policy set with the set, for the next
    // engine built from it or a clone of it; a set that changes reads afresh.
    let inventory = Inventory::from_path("examples/article-inventory.json").unwrap();
    let mut policies = Policies::all_packs().unwrap();
    let query =
        Query::new("uk-home-laptop", Action::Deploy, "kis-2024").at("2024-10-01".parse().unwrap());
    let before = Engine::new(inventory.clone(), policies.clone()).unwrap();
    assert!(before.decide(&query).unwrap().allowed());
    policies
        .add_text(
            "home.cedar",
            r#"@id("home/no-antivirus") @reason("no antivirus at home")
               forbid (principal, action, resource) when { resource.product.category == "antivirus" };"#,
        )
        .unwrap();
    let after = Engine::new(inventory.clone(), policies).unwrap();
    let decision = after.decide(&query).unwrap();
    assert!(!decision.allowed(), "{decision}");
    assert_eq!(decision.rule_ids(), ["home/no-antivirus"]);
    // The first engine, and its policies, are as they were.
    assert!(before.decide(&query).unwrap().allowed());
    assert!(Engine::new(inventory, before.policies().clone())
        .unwrap()
        .decide(&query)
        .unwrap()
        .allowed());
}

/// A matrix shares an evaluation between system classes only when no policy
/// left to ask can tell them apart. These policies read the system after
/// their guards (so classes whose guards hold alike may still differ), or
/// have a system guard that errors for some systems (neither true nor
/// false); every cell must still be the decision `decide` gives.
#[test]
fn matrix_cells_are_decide_when_policies_read_the_system_after_their_guards() {
    let inventory = Inventory::from_path("examples/article-inventory.json").unwrap();
    let mut policies = Policies::all_packs().unwrap();
    policies
        .add_text(
            "after-guards.cedar",
            r#"@id("t/after-guard") @reason("reads the system after the release")
               forbid (principal, action, resource)
               when { principal.tier >= 0 && resource.product.category == "antivirus" && principal.critical };
               @id("t/mixed") @reason("compares the system with the context")
               forbid (principal, action, resource)
               when { context.assurance.containsAll(principal.purposes) && resource.audited };
               @id("t/guard-errs") @reason("a guard that errs for most systems")
               forbid (principal, action, resource)
               when { principal.tier * 4611686018427387904 >= 0 && resource.audited };"#,
        )
        .unwrap();
    let engine = Engine::new(inventory, policies).unwrap();
    let mut fired = std::collections::BTreeSet::new();
    for at in ["2019-06-01", "2025-06-01"] {
        let at = at.parse().unwrap();
        for action in [Action::Deploy, Action::Operate] {
            let matrix = engine.matrix(action, at);
            for cell in matrix.cells() {
                let single = engine
                    .decide(
                        &Query::new(cell.system().as_str(), action, cell.release().as_str()).at(at),
                    )
                    .unwrap();
                assert_eq!(cell.decision(), single);
                fired.extend(
                    single
                        .rule_ids()
                        .into_iter()
                        .filter(|r| r.starts_with("t/"))
                        .map(str::to_owned),
                );
            }
        }
    }
    // Each tricky rule decided somewhere, so each was compared.
    assert_eq!(fired.len(), 3, "{fired:?}");
}

/// The Conditional Approvals in force for a release, worked out from the
/// inventory alone: its model's and its producer's, if it is equipment, then
/// those of each UAS critical component it embeds at any depth.
fn approvals_by_hand(inventory: &Inventory, release: &str, at: clearance::Instant) -> Vec<String> {
    let release_of = |id: &str| {
        inventory
            .releases
            .iter()
            .find(|r| r.id.as_str() == id)
            .unwrap()
    };
    let product_of = |id: &str| {
        let product = &release_of(id).product;
        inventory
            .products
            .iter()
            .find(|p| &p.id == product)
            .unwrap()
    };
    let held = |id: &str| -> Vec<String> {
        let product = product_of(id);
        let vendor = (inventory.vendors.iter().find(|v| v.id == product.vendor))
            .or_else(|| clearance::Registry::shipped().vendor(product.vendor.as_str()))
            .unwrap();
        let equipment = product.equipment.as_ref().unwrap();
        let of_model = equipment
            .conditional_approvals
            .iter()
            .map(|a| (format!("product {}", product.id), a));
        let of_producer = vendor
            .conditional_approvals
            .iter()
            .map(|a| (format!("vendor {}", vendor.id), a));
        of_model
            .chain(of_producer)
            .filter(|(_, a)| a.in_force_at(at))
            .map(|(holder, a)| format!("{id}: {holder} {:?} {} {}", a.by, a.from, a.source))
            .collect()
    };
    let mut embedded = std::collections::BTreeSet::new();
    let mut stack: Vec<&str> = vec![release];
    while let Some(id) = stack.pop() {
        for c in &release_of(id).components {
            if embedded.insert(c.as_str()) {
                stack.push(c.as_str());
            }
        }
    }
    let mut named = Vec::new();
    if product_of(release).equipment.is_some() {
        named.extend(held(release));
    }
    for c in embedded {
        let kind = product_of(c).equipment.as_ref().and_then(|e| e.kind);
        if kind == Some(clearance::EquipmentKind::UasCriticalComponent) {
            named.extend(held(c));
        }
    }
    named.sort();
    named
}

/// Decisions name the Conditional Approvals in force for their release's
/// equipment, whatever the verdict, and a matrix's cells name their own
/// release's, never those of a row they share an answer with.
#[test]
fn decisions_name_the_conditional_approvals_in_force_for_their_release() {
    let inventory = Inventory::from_path("policies/tests/data/equipment-world.json").unwrap();
    let engine = Engine::new(inventory, Policies::all_packs().unwrap()).unwrap();
    let inventory = engine.inventory();
    let mut named = 0;
    for at in [
        "2025-12-01",
        "2026-01-20",
        "2026-06-01T04:00:00Z",
        "2026-09-01",
        "2027-06-01",
    ] {
        let at = at.parse().unwrap();
        for action in [Action::Procure, Action::Operate] {
            let matrix = engine.matrix(action, at);
            for cell in matrix.cells() {
                let decision = cell.decision();
                let mut got: Vec<String> = decision
                    .approvals()
                    .iter()
                    .map(|a| {
                        let holder = match &a.holder {
                            clearance::ApprovalHolder::Vendor(v) => format!("vendor {v}"),
                            clearance::ApprovalHolder::Product(p) => format!("product {p}"),
                        };
                        format!("{}: {holder} {:?} {} {}", a.release, a.by, a.from, a.source)
                    })
                    .collect();
                got.sort();
                assert_eq!(
                    got,
                    approvals_by_hand(inventory, cell.release().as_str(), at),
                    "{decision}"
                );
                for approval in decision.approvals() {
                    assert!(decision
                        .to_string()
                        .contains(&format!("  approval {approval}\n")));
                }
                named += got.len();
                let single = engine
                    .decide(
                        &Query::new(cell.system().as_str(), action, cell.release().as_str()).at(at),
                    )
                    .unwrap();
                assert_eq!(decision, single);
            }
        }
    }
    assert!(
        named > 0,
        "no approval was in force: the test would prove nothing"
    );
}
