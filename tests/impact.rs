//! The impact of a policy change (`Engine::impact`) against asking both
//! policy sets every question one by one.

mod support;

use std::collections::BTreeSet;

use clearance::{Action, Engine, Inventory, Pack, Policies, Query, Verdict};
use proptest::prelude::*;

use support::*;

proptest! {
    #![proptest_config(config(16))]

    /// The differing cells and deployments are exactly the questions the two
    /// engines answer differently, asked one by one; adding forbids only
    /// ever denies, and each difference names an added forbid as a cause.
    #[test]
    fn an_impact_is_every_question_answered_differently(
        inventory in inventory(),
        kept in policies("forbid", "gen-kept", 0..=2, false),
        added in policies("forbid", "gen-added", 0..=2, false),
        broad in time_comparison(),
        advice in policies("advice", "gen-advice", 0..=1, false),
        action in proptest::sample::select(Action::ALL),
        at in recent_instant(),
    ) {
        let before = with_text(all_packs(), &[kept.clone(), advice.clone()].concat());
        // A forbid that turns on the time alone denies many cells at once.
        let broad = format!(
            "@id(\"gen-added/broad\")\n@reason(\"r\")\nforbid (principal, action, resource) when {{ {broad} }};"
        );
        let after = with_text(all_packs(), &[kept, advice, added, vec![broad]].concat());
        let inventory = waivable(&inventory, &before);
        let engine = Engine::new(inventory.clone(), before).unwrap();
        let other = Engine::new(inventory.clone(), after.clone()).unwrap();
        let impact = engine.impact(&after, action, at).unwrap();

        let mut expected = BTreeSet::new();
        for release in &inventory.releases {
            for system in &inventory.systems {
                let query = Query::new(system.id.as_str(), action, release.id.as_str()).at(at);
                let (a, b) = (engine.decide(&query).unwrap(), other.decide(&query).unwrap());
                if answer(&a) != answer(&b) {
                    expected.insert((release.id.to_string(), system.id.to_string()));
                }
            }
        }
        let got: BTreeSet<_> = impact
            .cells()
            .iter()
            .map(|d| (d.release().to_string(), d.system().to_string()))
            .collect();
        prop_assert_eq!(&got, &expected);
        prop_assert_eq!(impact.cells_compared(), inventory.releases.len() * inventory.systems.len());
        for difference in impact.cells() {
            prop_assert_eq!(answer(difference.before()), answer(&engine.decide(&Query::from(difference.before().asked())).unwrap()));
            prop_assert!(!(difference.before().verdict() == Verdict::Deny && difference.after().allowed()));
            prop_assert!(
                difference.causes().iter().any(|c| c.starts_with("gen-added/")),
                "causes {:?}", difference.causes()
            );
        }
        let deployments: BTreeSet<_> = impact
            .deployments()
            .iter()
            .map(|(d, _)| (d.release.to_string(), d.system.to_string()))
            .collect();
        let expected_deployments: BTreeSet<_> = inventory
            .deployments
            .iter()
            .map(|d| (d.release.to_string(), d.system.to_string()))
            .filter(|cell| expected.contains(cell))
            .collect();
        prop_assert_eq!(deployments, expected_deployments);
    }
}

fn article() -> Inventory {
    Inventory::from_path("examples/article-inventory.json").unwrap()
}

#[test]
fn the_same_policies_change_nothing() {
    let engine = Engine::new(article(), Policies::all_packs().unwrap()).unwrap();
    let impact = engine
        .impact(
            &Policies::all_packs().unwrap(),
            Action::Deploy,
            at("2025-06-01"),
        )
        .unwrap();
    assert!(impact.cells().is_empty());
    assert!(impact.deployments().is_empty());
    assert!(impact.by_rule().is_empty());
    assert_eq!(impact.cells_compared(), 20 * 22);
}

#[test]
fn removing_a_pack_leaves_out_its_waivers_and_allows_what_it_denied() {
    let engine = Engine::new(article(), Policies::all_packs().unwrap()).unwrap();
    let without_889: Vec<Pack> = Pack::ALL
        .iter()
        .copied()
        .filter(|p| *p != Pack::UsNdaa889)
        .collect();
    let after = Policies::from_packs(&without_889).unwrap();
    let impact = engine
        .impact(&after, Action::Procure, at("2022-01-01"))
        .unwrap();
    let left_out: Vec<&str> = impact
        .waivers_left_out()
        .iter()
        .map(|w| w.as_str())
        .collect();
    assert_eq!(left_out, ["gsa-889-waiver-cctv"]);
    assert!(impact.count(Verdict::Deny, Verdict::Allow) > 0);
    assert_eq!(impact.count(Verdict::Allow, Verdict::Deny), 0);
    let groups = impact.by_rule();
    assert!(!groups.is_empty());
    assert!(
        groups.keys().all(|r| r.starts_with("us-ndaa-889/")),
        "{:?}",
        groups.keys()
    );
    let huawei = impact
        .cells()
        .iter()
        .find(|d| {
            d.release().as_str() == "huawei-router-22" && d.system().as_str() == "gsa-network"
        })
        .expect("the Huawei router on the GSA network is no longer denied");
    assert!(huawei.after().allowed());
    assert!(huawei
        .rules_removed()
        .iter()
        .any(|r| r.starts_with("us-ndaa-889/")));
    assert_eq!(huawei.rules_added(), ["baseline/permit-unless-forbidden"]);
}

#[test]
fn advice_alone_is_a_difference_with_the_same_verdict() {
    let mut packs: Vec<Pack> = Pack::ALL.to_vec();
    packs.retain(|p| *p != Pack::DeBsi2022);
    let engine = Engine::new(article(), Policies::from_packs(&packs).unwrap()).unwrap();
    let impact = engine
        .impact(
            &Policies::all_packs().unwrap(),
            Action::Operate,
            at("2023-01-01"),
        )
        .unwrap();
    let (deployment, difference) = impact
        .deployments()
        .iter()
        .find(|(d, _)| d.system.as_str() == "stadtwerke-office")
        .expect("the BSI warning now applies to the Stadtwerke's Kaspersky");
    assert_eq!(deployment.release.as_str(), "kes-12");
    assert!(!difference.verdict_changed());
    assert_eq!(
        difference.advice_added(),
        ["de-bsi-2022/replace-kaspersky-antivirus"]
    );
    assert_eq!(
        difference.causes(),
        ["de-bsi-2022/replace-kaspersky-antivirus"]
    );
    assert_eq!(impact.count(Verdict::Allow, Verdict::Deny), 0);
}
