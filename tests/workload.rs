//! The reference workload of the benchmarks: that it is what it says, and that
//! the engine, Cedar asked directly, and the hand-written evaluator of
//! `benches/workload/hand.rs` give the same answers on it.

#[path = "../benches/workload/mod.rs"]
mod workload;

use std::collections::{BTreeSet, HashMap};

use clearance::cedar_policy::{self, Authorizer, Response};
use clearance::{
    Action, Asked, Category, ContractClause, Decision, Device, DeviceOwner, Engine, Form, Instant,
    Inventory, KnownProduct, PartyKind, Policies, Purpose, Query, Role, Stake, Verdict, WaiverKind,
};

use workload::hand::{HandDecision, HandWritten, RULES};

/// The second instant checked, beside the benchmarks' one (when the PSPF
/// direction is in force and agency heads' section 889 waivers are capped):
/// in 2021 those waivers are honoured, the later rules are not yet in force,
/// and the corporate structure differs (Lorex still Dahua's, Polder Security
/// not yet Kaspersky's, no company blocked yet).
const EARLIER: &str = "2021-06-01";
/// After the FCC's update waiver for drones and routers ends, when every
/// entry of 2024-2026 is in force (and the Drone Act has expired).
const LATER: &str = "2029-06-01";

fn engine() -> Engine {
    Engine::new(
        workload::reference_inventory(),
        Policies::all_packs().unwrap(),
    )
    .unwrap()
}

/// How long the chain of control above a company is (1: no one controls
/// it), through vendors and parties, over all time.
fn control_depth(inventory: &Inventory, company: &str) -> usize {
    let controllers: Vec<String> = inventory
        .vendors
        .iter()
        .filter(|v| v.id.as_str() == company)
        .flat_map(|v| v.stakes().map(|s| s.into_owned()).collect::<Vec<_>>())
        .chain(
            inventory
                .parties
                .iter()
                .filter(|p| p.id.as_str() == company)
                .flat_map(|p| p.stakes().map(|s| s.into_owned()).collect::<Vec<_>>()),
        )
        .filter(|s| s.controls)
        .map(|s| s.owner.to_string())
        .collect();
    1 + controllers
        .iter()
        .map(|c| control_depth(inventory, c))
        .max()
        .unwrap_or(0)
}

/// Whether some company has a controlling stake held by `owner`.
fn controls_some(inventory: &Inventory, owner: &str) -> bool {
    inventory
        .vendors
        .iter()
        .any(|v| v.stakes().any(|s| s.controls && s.owner.as_str() == owner))
}

/// How deep each release's embedding goes (0: it embeds nothing).
fn embedding_depths(inventory: &Inventory) -> Vec<usize> {
    let index: HashMap<&str, usize> = inventory
        .releases
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let mut depth: Vec<Option<usize>> = vec![None; inventory.releases.len()];
    fn of(
        r: usize,
        inventory: &Inventory,
        index: &HashMap<&str, usize>,
        depth: &mut Vec<Option<usize>>,
    ) -> usize {
        if let Some(d) = depth[r] {
            return d;
        }
        let d = inventory.releases[r]
            .components
            .iter()
            .map(|c| 1 + of(index[c.as_str()], inventory, index, depth))
            .max()
            .unwrap_or(0);
        depth[r] = Some(d);
        d
    }
    (0..inventory.releases.len())
        .map(|r| of(r, inventory, &index, &mut depth))
        .collect()
}

#[test]
fn the_reference_inventory_is_valid_deterministic_and_of_the_stated_shape() {
    let inventory = workload::reference_inventory();
    inventory.validate().unwrap();
    assert_eq!(inventory, workload::generate(workload::SEED));
    assert_ne!(inventory, workload::generate(workload::SEED + 1));
    assert_eq!(
        Inventory::from_json(&inventory.to_json()).unwrap(),
        inventory
    );

    assert_eq!(inventory.vendors.len(), workload::VENDORS);
    assert_eq!(inventory.releases.len(), workload::RELEASES);
    assert_eq!(inventory.systems.len(), workload::SYSTEMS);

    assert!(
        !inventory.registry,
        "the workload models the companies itself"
    );
    for known in [
        "kaspersky-labs-limited",
        "ao-kaspersky-lab",
        "huawei",
        "zte",
        "hytera",
        "hikvision",
        "dahua",
        "china-mobile-international-usa",
        "pacific-networks",
    ] {
        assert!(inventory.vendors.iter().any(|v| v.id.as_str() == known));
        assert!(controls_some(&inventory, known), "{known} has a subsidiary");
    }
    for named in [
        "kaspersky-lab-inc",
        "kaspersky-lab-switzerland",
        "ooo-kaspersky-group",
        "china-telecom-americas",
        "comnet-usa",
        "china-unicom-americas",
        "bytedance-ltd",
        "tiktok-usds-joint-venture",
        "hangzhou-deepseek",
        "beijing-deepseek",
        "tencent-holdings",
    ] {
        assert!(inventory.vendors.iter().any(|v| v.id.as_str() == named));
    }
    // Parties: a holding company, a state-owned enterprise, a blocked person,
    // each controlling or holding a share of some vendor.
    for kind in [
        PartyKind::HoldingCompany,
        PartyKind::StateOwnedEnterprise,
        PartyKind::Person,
    ] {
        let party = inventory.parties.iter().find(|p| p.kind == kind).unwrap();
        assert!(
            inventory
                .vendors
                .iter()
                .any(|v| v.stakes().any(|s| s.owner == party.id)),
            "{kind:?} holds nothing"
        );
    }
    assert!(inventory.parties.iter().any(|p| p.blocked.is_some()));
    assert!(inventory.vendors.iter().any(|v| v.blocked.is_some()));
    // Stakes with shares: majorities without control, controlling
    // minorities, and dated ones that differ between the two instants checked.
    let stakes: Vec<Stake> = inventory
        .vendors
        .iter()
        .flat_map(|v| v.owners.iter().cloned())
        .collect();
    let percent = |s: &Stake| s.share.map_or(0.0, |s| s.percent());
    assert!(stakes.iter().any(|s| !s.controls && percent(s) > 50.0));
    assert!(stakes
        .iter()
        .any(|s| s.controls && percent(s) > 0.0 && percent(s) < 50.0));
    let (earlier, now): (Instant, Instant) =
        (EARLIER.parse().unwrap(), workload::reference_instant());
    assert!(stakes
        .iter()
        .any(|s| s.in_force_at(now) != s.in_force_at(earlier)));
    // PAFACA's threshold, "at least a 20 percent stake": a stake of exactly
    // 20.00%, and one of 19.90%.
    let points = |s: &Stake| s.share.map(|s| s.basis_points());
    assert!(stakes
        .iter()
        .any(|s| !s.controls && points(s) == Some(2_000)));
    assert!(stakes
        .iter()
        .any(|s| !s.controls && points(s) == Some(1_990)));
    // Majorities without control held by a company of the Kaspersky group
    // other than AO Kaspersky Lab, and by a party at the top of a group (one
    // controlling some vendor).
    let majority_without_control = |owner: &str| {
        inventory.vendors.iter().any(|v| {
            v.stakes()
                .any(|s| !s.controls && s.owner.as_str() == owner && percent(&s) > 50.0)
        })
    };
    assert!(majority_without_control("kaspersky-labs-limited"));
    assert!(inventory.parties.iter().any(|p| {
        controls_some(&inventory, p.id.as_str()) && majority_without_control(p.id.as_str())
    }));

    let vendor_countries: BTreeSet<&str> = inventory
        .vendors
        .iter()
        .map(|v| v.incorporated.code())
        .collect();
    for code in ["RU", "CN", "GB", "US", "DE", "FR", "AU", "NL", "LT"] {
        assert!(vendor_countries.contains(code), "no vendor in {code}");
    }
    let deepest_control = inventory
        .vendors
        .iter()
        .map(|v| control_depth(&inventory, v.id.as_str()))
        .max();
    assert_eq!(deepest_control, Some(workload::MAX_CONTROL_DEPTH));

    for category in Category::ALL {
        assert!(
            inventory.products.iter().any(|p| p.category == *category),
            "no product in {category}"
        );
    }
    // Products the laws name, their releases in every form and in none.
    for known in KnownProduct::ALL {
        assert!(
            inventory
                .products
                .iter()
                .any(|p| p.known_as == Some(*known)),
            "no product known as {known}"
        );
    }
    for form in Form::ALL.iter().copied().map(Some).chain([None]) {
        assert!(
            inventory.releases.iter().any(|r| r.form == form),
            "no release of form {form:?}"
        );
    }
    let depths = embedding_depths(&inventory);
    assert_eq!(depths.iter().max(), Some(&workload::MAX_EMBEDDING_DEPTH));
    let embedding = depths.iter().filter(|d| **d > 0).count();
    assert!(embedding >= 50, "only {embedding} releases embed others");

    // Video surveillance services of Huawei's group and of Hikvision's.
    let product_of = |release: &clearance::Id| {
        let release = inventory
            .releases
            .iter()
            .find(|r| &r.id == release)
            .unwrap();
        inventory
            .products
            .iter()
            .find(|p| p.id == release.product)
            .unwrap()
    };
    for group in [
        &["huawei", "huawei-uk", "huawei-device-co"][..],
        &["hikvision", "ezviz", "hikvision-usa"],
    ] {
        assert!(inventory.products.iter().any(|p| {
            p.category == Category::VideoSurveillanceService && group.contains(&p.vendor.as_str())
        }));
    }
    // Telecom equipment that cannot see user data, as an essential component
    // of equipment that can; and equipment that cannot, built around a
    // component that can.
    let telecom = |p: &clearance::Product, sees: bool| {
        p.category == Category::Telecom && p.user_data_access == sees
    };
    assert!(inventory.releases.iter().any(|r| {
        telecom(product_of(&r.id), true)
            && r.components
                .iter()
                .any(|c| !r.nonessential_components.contains(c) && telecom(product_of(c), false))
    }));
    assert!(inventory.releases.iter().any(|r| {
        telecom(product_of(&r.id), false)
            && r.components
                .iter()
                .any(|c| !r.nonessential_components.contains(c) && telecom(product_of(c), true))
    }));
    // Interconnecting services, and equipment so marked.
    assert!(inventory
        .products
        .iter()
        .any(|p| p.third_party_interconnection && p.category == Category::TelecomService));
    assert!(inventory
        .products
        .iter()
        .any(|p| p.third_party_interconnection && p.category == Category::Telecom));
    assert!(inventory
        .releases
        .iter()
        .any(|r| !r.nonessential_components.is_empty()));
    assert!(inventory
        .releases
        .iter()
        .any(|r| !r.service_countries.is_empty()));

    let organisation = |id: &clearance::Id| {
        inventory
            .organisations
            .iter()
            .find(|o| &o.id == id)
            .unwrap()
    };
    let system_countries: BTreeSet<&str> = inventory
        .systems
        .iter()
        .map(|s| organisation(&s.owner).country.code())
        .collect();
    for code in [
        "GB", "US", "AU", "DE", "LT", "NL", "BE", "CA", "NZ", "TW", "CZ", "KR", "IT",
    ] {
        assert!(system_countries.contains(code), "no system in {code}");
    }
    // Devices of every kind, and of none said; every owner; systems used
    // under contracts carrying FAR 52.204-27.
    for device in Device::ALL.iter().copied().map(Some).chain([None]) {
        assert!(
            inventory.systems.iter().any(|s| s.device == device),
            "no system of device {device:?}"
        );
    }
    for owner in DeviceOwner::ALL {
        assert!(inventory.systems.iter().any(|s| s.device_owner == *owner));
    }
    assert!(inventory
        .systems
        .iter()
        .any(|s| s.contract_clauses.contains(&ContractClause::Far52_204_27)));
    // Systems away from home: foreign companies' in the US, and US owners'
    // abroad.
    let away: Vec<(&str, &str)> = inventory
        .systems
        .iter()
        .filter_map(|s| {
            let home = organisation(&s.owner).country.code();
            s.location
                .as_ref()
                .map(|l| (home, l.code()))
                .filter(|(home, there)| home != there)
        })
        .collect();
    assert!(
        away.iter()
            .filter(|(home, there)| *home != "US" && *there == "US")
            .count()
            >= 3
    );
    assert!(
        away.iter()
            .filter(|(home, there)| *home == "US" && *there != "US")
            .count()
            >= 2
    );
    // The roles of an organisation and of those above it.
    let roles_of = |id: &clearance::Id| {
        let mut roles = BTreeSet::new();
        let mut at = Some(id.clone());
        while let Some(o) = at {
            let o = organisation(&o);
            roles.extend(o.roles.iter().copied());
            at = o.parent.clone();
        }
        roles
    };
    // Contractors' systems run for a federal agency, and systems run for
    // someone outside the federal executive branch.
    let run_for_federal_agency = |s: &clearance::System| {
        s.operated_for
            .as_ref()
            .is_some_and(|o| roles_of(o).contains(&Role::FederalExecutiveBranch))
    };
    assert!(inventory.systems.iter().any(|s| {
        roles_of(&s.owner).contains(&Role::FederalContractor) && run_for_federal_agency(s)
    }));
    assert!(inventory
        .systems
        .iter()
        .any(|s| s.operated_for.is_some() && !run_for_federal_agency(s)));
    assert!(inventory.systems.iter().any(|s| s.dod_ic_mission_critical));
    // Systems of Universal Service Fund recipients, one through its parent.
    let usf = |s: &&clearance::System| roles_of(&s.owner).contains(&Role::UsfRecipient);
    assert!(inventory.systems.iter().filter(usf).count() >= 4);
    assert!(inventory
        .systems
        .iter()
        .filter(usf)
        .any(|s| !organisation(&s.owner).roles.contains(&Role::UsfRecipient)));
    for role in Role::ALL {
        assert!(inventory
            .organisations
            .iter()
            .any(|o| o.roles.contains(role)));
    }
    for purpose in Purpose::ALL {
        assert!(inventory
            .systems
            .iter()
            .any(|s| s.purposes.contains(purpose)));
    }
    assert!(inventory.systems.iter().any(|s| s.national_security_system));
    assert!(inventory.systems.iter().any(|s| s.sensitive_site));
    assert!(inventory.systems.iter().any(|s| s.core_network));
    assert!(inventory.organisations.iter().any(|o| o.parent.is_some()));
    assert!(inventory.systems.iter().any(|s| !s.requires.is_empty()));
    assert!(inventory.authorisations.iter().any(|a| a.lapses.is_some()));
    assert!(inventory.waivers.len() >= 8);
    // Every waiver names keys the packs test (or the engine refuses it),
    // some of them a DNI's.
    let policies = Policies::all_packs().unwrap();
    let keys = policies.waiver_keys();
    for waiver in &inventory.waivers {
        for key in &waiver.rules {
            assert!(keys.contains(key.as_str()), "{}: {key}", waiver.id);
        }
    }
    assert!(inventory
        .waivers
        .iter()
        .any(|w| w.rules.iter().any(|k| k.ends_with("/dni"))));
    // A period of non-enforcement, and waivers of rules that allow no
    // blanket exception, which name systems only.
    assert!(inventory
        .waivers
        .iter()
        .any(|w| w.kind == WaiverKind::NonEnforcement));
    let per_system = |w: &&clearance::Waiver| {
        w.rules
            .iter()
            .any(|k| policies.rule(k).is_some_and(|r| r.waivers_per_system()))
    };
    assert!(inventory.waivers.iter().filter(per_system).count() >= 2);
    assert!(inventory
        .waivers
        .iter()
        .filter(per_system)
        .all(|w| w.organisations.is_empty() && !w.systems.is_empty()));

    let mut per_system: HashMap<&str, usize> = HashMap::new();
    for d in &inventory.deployments {
        *per_system.entry(d.system.as_str()).or_default() += 1;
    }
    assert_eq!(inventory.deployments.len(), workload::DEPLOYMENTS);
    assert_eq!(per_system.len(), workload::SYSTEMS);
    assert!(per_system.values().all(|n| (2..=5).contains(n)));
}

/// The hand-written rules are those of the shipped packs, in pack order.
#[test]
fn the_hand_written_rules_are_the_shipped_packs_rules() {
    let policies = Policies::all_packs().unwrap();
    let ids: Vec<&str> = policies.rules().map(|r| r.id()).collect();
    assert_eq!(ids, RULES);
}

/// Rule ids a Cedar response gives as reasons, sorted.
fn reasons(response: &Response) -> Vec<String> {
    let mut ids: Vec<String> = response
        .diagnostics()
        .reason()
        .map(|id| id.to_string())
        .collect();
    ids.sort();
    ids
}

/// The engine's decision for one cell equals the hand-written evaluator's
/// (verdict, deciding rules, advice, waivers used) and, if `cedar`, what Cedar
/// answers when asked directly with the engine's request, entities and
/// policy sets (verdict, reasons, advice).
struct Checker {
    engine: Engine,
    hand: HandWritten,
    authorizer: Authorizer,
}

impl Checker {
    fn new() -> Checker {
        let engine = engine();
        let hand = HandWritten::new(engine.inventory());
        Checker {
            engine,
            hand,
            authorizer: Authorizer::new(),
        }
    }

    fn check(&self, decision: &Decision, expected: &HandDecision, cedar: bool) {
        let Asked {
            system,
            action,
            release,
            at,
        } = decision.asked();
        let what = format!("{action} {release} on {system} at {at}");
        assert!(
            decision.errors().is_empty(),
            "{what}: {:?}",
            decision.errors()
        );

        assert_eq!(decision.allowed(), expected.allow, "{what}: verdict");
        assert_eq!(decision.rule_ids(), expected.rule_ids(), "{what}: rules");
        assert_eq!(
            decision.advice_ids(),
            expected.advice_ids(),
            "{what}: advice"
        );
        let waivers: Vec<&str> = expected
            .waiver_indices()
            .into_iter()
            .map(|w| self.engine.inventory().waivers[w].id.as_str())
            .collect();
        let used: Vec<&str> = decision.waivers().iter().map(|w| w.as_str()).collect();
        assert_eq!(used, waivers, "{what}: waivers");

        if cedar {
            let query = Query::new(system.as_str(), *action, release.as_str()).at(*at);
            let request = self.engine.request(&query).unwrap();
            let entities = self.engine.entities_at(*at).unwrap();
            let policies = self.engine.policies();
            let binding = self
                .authorizer
                .is_authorized(&request, policies.binding(), entities);
            let advice = self
                .authorizer
                .is_authorized(&request, policies.advice(), entities);
            assert_eq!(binding.diagnostics().errors().count(), 0, "{what}");
            assert_eq!(advice.diagnostics().errors().count(), 0, "{what}");
            let verdict = match binding.decision() {
                cedar_policy::Decision::Allow => Verdict::Allow,
                cedar_policy::Decision::Deny => Verdict::Deny,
            };
            assert_eq!(decision.verdict(), verdict, "{what}: Cedar's verdict");
            assert_eq!(
                decision.rule_ids(),
                reasons(&binding),
                "{what}: Cedar's rules"
            );
            assert_eq!(
                decision.advice_ids(),
                reasons(&advice),
                "{what}: Cedar's advice"
            );
        }
    }

    /// Every action at `at`: in optimised builds the engine's whole matrix,
    /// each cell checked against the hand-written rules and Cedar; in debug
    /// builds every `DEBUG_STRIDE`-th cell, asked with `Engine::decide`.
    fn check_instant(&self, at: Instant) -> usize {
        let mut checked = 0;
        for &action in Action::ALL {
            let expected = self.hand.matrix(action, at);
            if cfg!(debug_assertions) {
                let inventory = self.engine.inventory();
                let systems = inventory.systems.len();
                for cell in (0..expected.len()).step_by(DEBUG_STRIDE) {
                    let query = Query::new(
                        inventory.systems[cell % systems].id.as_str(),
                        action,
                        inventory.releases[cell / systems].id.as_str(),
                    )
                    .at(at);
                    let decision = self.engine.decide(&query).unwrap();
                    self.check(&decision, &expected[cell], true);
                    checked += 1;
                }
            } else {
                checked += self.check_matrix(action, at, &expected, true);
            }
        }
        checked
    }

    /// The whole matrix for `action` at `at`, cell by cell.
    fn check_matrix(
        &self,
        action: Action,
        at: Instant,
        expected: &[HandDecision],
        cedar: bool,
    ) -> usize {
        let matrix = self.engine.matrix(action, at);
        let systems = matrix.systems().len();
        assert_eq!(matrix.decisions().len(), expected.len());
        for (cell, (decision, expected)) in matrix.decisions().zip(expected).enumerate() {
            assert_eq!(decision.asked().action, action);
            assert_eq!(decision.asked().at, at);
            assert_eq!(decision.asked().release, matrix.releases()[cell / systems]);
            assert_eq!(decision.asked().system, matrix.systems()[cell % systems]);
            self.check(&decision, expected, cedar);
        }
        expected.len()
    }
}

/// In optimised builds every cell of every action's matrix at either instant
/// is checked (2 x 4 x 50,000 decisions); in debug builds, where Cedar is some
/// twenty times slower, every `DEBUG_STRIDE`-th cell (a fixed subset), plus one
/// whole matrix against the hand-written rules (see below), so each test stays
/// well under a minute.
const DEBUG_STRIDE: usize = 20;

/// The same for the instants either side of each rule's (74 of them): a
/// prime, so that the cells checked are not always the same systems'.
const DEBUG_BOUNDARY_STRIDE: usize = 331;

#[test]
fn the_engine_cedar_and_the_hand_written_rules_agree_at_the_reference_instant() {
    let checked = Checker::new().check_instant(workload::reference_instant());
    let cells = Action::ALL.len() * workload::RELEASES * workload::SYSTEMS;
    assert!(checked == cells || cfg!(debug_assertions) && checked >= cells / DEBUG_STRIDE);
}

#[test]
fn the_engine_cedar_and_the_hand_written_rules_agree_in_2021() {
    Checker::new().check_instant(EARLIER.parse().unwrap());
}

/// Either side of every instant a rule turns on, as the packs write it (a
/// rule's start in local time, as a UTC instant, or the end of a waiver's
/// cap), the engine and the hand-written rules agree: at the instant, and one
/// millisecond before. In optimised builds on every cell of every action's
/// matrix (Cedar asked directly is left to the two instants above); in debug
/// builds on every `DEBUG_BOUNDARY_STRIDE`-th cell, asked with
/// `Engine::decide`.
#[test]
fn the_engine_and_the_hand_written_rules_agree_either_side_of_each_rules_instants() {
    let checker = Checker::new();
    let inventory = checker.engine.inventory();
    let systems = inventory.systems.len();
    for instant in workload::hand::INSTANTS {
        let instant: Instant = instant.parse().unwrap();
        let before = Instant::from_unix_millis(instant.unix_millis() - 1).unwrap();
        for at in [before, instant] {
            for &action in Action::ALL {
                let expected = checker.hand.matrix(action, at);
                if cfg!(debug_assertions) {
                    for cell in (0..expected.len()).step_by(DEBUG_BOUNDARY_STRIDE) {
                        let query = Query::new(
                            inventory.systems[cell % systems].id.as_str(),
                            action,
                            inventory.releases[cell / systems].id.as_str(),
                        )
                        .at(at);
                        let decision = checker.engine.decide(&query).unwrap();
                        checker.check(&decision, &expected[cell], false);
                    }
                } else {
                    checker.check_matrix(action, at, &expected, false);
                }
            }
        }
    }
}

/// The readings the packs' last revision brought in bite in the workload, as
/// the hand-written rules (shown above to agree with the engine) answer.
#[test]
fn the_workload_exercises_the_packs_readings() {
    let inventory = workload::reference_inventory();
    let hand = HandWritten::new(&inventory);
    let now = workload::reference_instant();
    let earlier: Instant = EARLIER.parse().unwrap();
    // An organisation's first system (the one `FIRST_SYSTEMS` describes).
    let system = |org: &str| {
        inventory
            .systems
            .iter()
            .find(|s| s.owner.as_str() == org)
            .unwrap()
            .id
            .as_str()
    };
    let releases = |product: &str| -> Vec<&str> {
        let found: Vec<&str> = inventory
            .releases
            .iter()
            .filter(|r| r.product.as_str() == product)
            .map(|r| r.id.as_str())
            .collect();
        assert!(!found.is_empty(), "no release of {product}");
        found
    };
    let decide = |org: &str, action: Action, release: &str, at: Instant| {
        hand.decide(system(org), action, release, at).unwrap()
    };
    let denies = |org: &str, action: Action, release: &str, at: Instant, rule: &str| {
        decide(org, action, release, at).rule_ids().contains(&rule)
    };
    // Some release of the product is denied by the rule, or none is.
    let some = |org: &str, action: Action, product: &str, rule: &str| {
        releases(product)
            .into_iter()
            .any(|r| denies(org, action, r, now, rule))
    };
    let procure = Action::Procure;

    // ICTS and OFAC bind anyone in the United States, and US persons abroad.
    let icts = "us-icts-2024-kaspersky/new-transactions";
    assert!(some("de-mittelstand", procure, "kes", icts));
    assert!(some("us-retail", procure, "kes", icts));
    assert!(!some("de-stadtwerke", procure, "kes", icts));
    let ofac = "us-ofac-50/blocked-vendor";
    assert!(some("uk-retailer", procure, "sanctioned-app", ofac));
    assert!(!some("uk-bank", procure, "sanctioned-app", ofac));

    // BOD 17-01: a contractor's system run for an agency is a federal
    // information system; DoD and IC mission-critical systems are outside.
    let bod = "us-bod-17-01/kaspersky-security-products";
    assert!(some("us-contractor-a", Action::Operate, "kes", bod));
    assert!(!some("us-contractor-b", Action::Operate, "kes", bod));
    assert!(!some("us-army", Action::Operate, "kes", bod));
    assert!(some("us-gsa", Action::Operate, "kes", bod));
    // Information security products only: not Kaspersky's cloud service.
    assert!(!some("us-gsa", Action::Operate, "kaspersky-cloud", bod));

    // s.1634: a contractor's system run on behalf of a federal element, for
    // no purpose that brings the contractor in itself (the pack's reading).
    let ndaa_1634 = "us-ndaa-1634/kaspersky";
    let kes = releases("kes")[0];
    assert!(inventory.systems.iter().any(|s| {
        s.operated_for.is_some()
            && !s.purposes.contains(&Purpose::SuppliedToFederalGovernment)
            && !s.purposes.contains(&Purpose::FederalContractDeliverables)
            && hand
                .decide(s.id.as_str(), Action::Operate, kes, now)
                .unwrap()
                .rule_ids()
                .contains(&ndaa_1634)
    }));
    // s.1634: majority ownership by any company of the Kaspersky group,
    // parties at the top of its groups included.
    assert!(some(
        "us-congress",
        Action::Operate,
        "kllp-office",
        ndaa_1634
    ));
    assert!(some("us-congress", Action::Operate, "kghi-mail", ndaa_1634));

    // s.889: services interconnecting with third parties are excepted,
    // equipment so marked is not; user-data access is judged on the covered
    // equipment itself; installing has rules of its own.
    let telecom = "us-ndaa-889/agency-telecom";
    let install = "us-ndaa-889/agency-telecom-install";
    assert!(!some("us-gsa", procure, "huawei-roaming-hub", telecom));
    assert!(some("us-gsa", procure, "huawei-connect", telecom));
    assert!(some("us-gsa", procure, "us-carrier-gateway", telecom));
    assert!(some("us-gsa", procure, "lapco-sensor", telecom));
    // (Equipment that cannot see user data, unless it embeds some that can.)
    assert!(releases("huawei-antenna")
        .into_iter()
        .any(|r| !denies("us-gsa", procure, r, now, telecom)));
    assert!(releases("us-carrier-tower").into_iter().any(|r| !denies(
        "us-gsa", procure, r, now, telecom
    ) && denies(
        "us-telco",
        procure,
        r,
        now,
        "us-fcc-covered-list/huawei-zte"
    ) && denies(
        "us-telco",
        procure,
        r,
        now,
        "us-fcc-54-9/components"
    )));
    assert!(some("us-gsa", procure, "huawei-cloud-cctv", telecom));
    assert!(some("us-gsa", Action::Deploy, "huawei-router", install));
    assert!(!some("us-gsa", Action::Deploy, "huawei-router", telecom));
    assert!(!some("us-gsa", Action::Operate, "huawei-router", telecom));
    // Hytera's, Hikvision's and Dahua's own services, whatever the purpose;
    // services using their cameras.
    let services = "us-ndaa-889/agency-hytera-hikvision-dahua-services";
    assert!(some("us-gsa", procure, "hik-connect", services));
    assert!(some("us-gsa", procure, "hytera-dispatch", services));
    assert!(some(
        "us-contractor-b",
        Action::Operate,
        "ezviz-cloud",
        "us-ndaa-889/contractor-hytera-hikvision-dahua-services"
    ));
    // An agency head's waiver for them is honoured until its cap only.
    let hik_connect = releases("hik-connect")[0];
    let waived = decide("us-gsa", procure, hik_connect, earlier);
    assert!(!waived.rule_ids().contains(&services), "{waived:?}");
    assert!(waived.waivers != 0);
    assert!(denies("us-gsa", procure, hik_connect, now, services));

    // 47 CFR 54.9: Huawei's and ZTE's equipment and services of any kind,
    // every action, and their parts in other companies' products.
    let usf = "us-fcc-54-9/huawei-zte";
    assert!(some("us-telco", Action::Operate, "huawei-camera", usf));
    assert!(some(
        "us-school-library",
        Action::Operate,
        "huawei-roaming-hub",
        usf
    ));
    assert!(some(
        "us-rural-carrier",
        Action::Operate,
        "lapco-laptop",
        "us-fcc-54-9/components"
    ));
    // The FCC Covered List reaches a carrier's whole group.
    assert!(some(
        "us-telco",
        procure,
        "cmhk-transit",
        "us-fcc-covered-list/china-mobile-international-usa"
    ));

    // PAFACA binds distributors in the United States, for apps named TikTok
    // or of ByteDance's group whose vendor is controlled by a foreign
    // adversary: 20.00% held by ByteDance is, 19.9% (the US joint venture) is
    // not; 10% by ByteDance and 10% through TikTok Pte. Ltd., which ByteDance
    // controls, add up to 20%. Not procure; not a system outside the US.
    let pafaca = "us-pafaca/distribution";
    let deploy = Action::Deploy;
    assert!(some("us-app-store", deploy, "tiktok", pafaca));
    assert!(some("us-app-store", deploy, "capcut", pafaca));
    assert!(some("us-app-store", deploy, "clip-twenty-app", pafaca));
    assert!(some("us-app-store", deploy, "clip-aggregate-app", pafaca));
    assert!(!some("us-app-store", deploy, "tiktok-us", pafaca));
    assert!(!some("us-app-store", procure, "tiktok", pafaca));
    assert!(!some("us-hosting", deploy, "tiktok", pafaca));
    // The non-enforcement orders lift it in 2025.
    let in_2025: Instant = "2025-06-01".parse().unwrap();
    let tiktok = releases("tiktok")[0];
    let lifted = decide("us-app-store", deploy, tiktok, in_2025);
    assert!(!lifted.rule_ids().contains(&pafaca) && lifted.waivers != 0);

    // The No TikTok Act: a contractor's system run for an agency, not a
    // system a per-system exception covers; FAR 52.204-27 on the
    // contractor's own system, but for the app its exception names.
    let no_tiktok = "us-no-tiktok-act/agency-it";
    let far = "us-far-52-204-27/contractor-it";
    assert!(some(
        "us-contractor-a",
        Action::Operate,
        "tiktok",
        no_tiktok
    ));
    assert!(!some("us-dhs", procure, "tiktok", no_tiktok));
    assert!(some("us-dhs", procure, "tiktok-us", no_tiktok));
    assert!(some("us-contractor-a", procure, "tiktok", far));
    assert!(!some("us-contractor-a", procure, "tiktok-us", far));

    // The Commission spares TikTok's web site; the Parliament does not on
    // its own devices, and advises Members on theirs.
    let commission = "eu-institutions-tiktok-2023/commission-installation";
    let web = |product: &str| {
        releases(product)
            .into_iter()
            .find(|r| {
                inventory
                    .releases
                    .iter()
                    .any(|x| x.id.as_str() == *r && x.form == Some(Form::Web))
            })
            .unwrap()
    };
    assert!(some("eu-commission", procure, "tiktok", commission));
    assert!(!denies(
        "eu-commission",
        procure,
        web("tiktok"),
        now,
        commission
    ));
    assert!(denies(
        "eu-parliament",
        procure,
        web("tiktok"),
        now,
        "eu-institutions-tiktok-2023/parliament-corporate-devices"
    ));
    let advises = |org: &str, action: Action, product: &str, rule: &str| {
        releases(product)
            .into_iter()
            .any(|r| decide(org, action, r, now).advice_ids().contains(&rule))
    };
    assert!(advises(
        "eu-mep-office",
        procure,
        "tiktok",
        "eu-institutions-tiktok-2023/parliament-personal-devices"
    ));

    // Canada: WeChat and the Kaspersky group's apps on government phones;
    // a system that does not say what device it is is denied.
    let ca = "ca-tbs-2023-apps/wechat-kaspersky";
    assert!(some("ca-tbs", procure, "wechat", ca));
    assert!(some("ca-tbs", procure, "kes", ca));
    assert!(!denies("ca-tbs", procure, web("wechat"), now, ca));
    assert!(some(
        "ca-dnd",
        procure,
        "tiktok",
        "ca-tbs-2023-apps/device-unknown"
    ));

    // DeepSeek: s.6604 leaves out model weights and covers a service named
    // DeepSeek whoever runs it; Australia's direction covers the weights;
    // the Garante's order concerns DeepSeek's own companies' services only.
    let ic = "us-ndaa-6604/deepseek-ic-systems";
    assert!(some("us-odni", procure, "deepseek-open-platform", ic));
    assert!(some("us-odni", procure, "lapco-deepseek-host", ic));
    assert!(!some("us-odni", procure, "deepseek-weights", ic));
    assert!(some(
        "au-home-affairs",
        procure,
        "deepseek-weights",
        "au-pspf-001-2025/deepseek"
    ));
    let garante = "it-garante-deepseek-2025/provider-restricted";
    assert!(advises("it-azienda", procure, "deepseek-chat", garante));
    assert!(!advises(
        "it-azienda",
        procure,
        "lapco-deepseek-host",
        garante
    ));
    assert!(!advises("it-azienda", procure, "deepseek-weights", garante));
}

/// Debug builds check the engine's matrix path on one whole matrix too.
#[test]
#[cfg(debug_assertions)]
fn one_whole_matrix_agrees_with_the_hand_written_rules() {
    let checker = Checker::new();
    let at = workload::reference_instant();
    let expected = checker.hand.matrix(Action::Deploy, at);
    checker.check_matrix(Action::Deploy, at, &expected, false);
}

#[derive(Default, Debug)]
struct Tally {
    allow: usize,
    deny: usize,
    advised: usize,
    waived: usize,
    fired: BTreeSet<&'static str>,
}

/// The workload exercises the rules: plenty of each outcome, and every rule
/// of every shipped pack decides or advises somewhere. Counted on the
/// hand-written evaluator's answers for every cell, which the tests above
/// show equal to the engine's.
#[test]
fn the_workload_exercises_every_rule() {
    let hand = HandWritten::new(&workload::reference_inventory());
    let mut tally = Tally::default();
    for at in [
        workload::reference_instant(),
        EARLIER.parse().unwrap(),
        LATER.parse().unwrap(),
    ] {
        for &action in Action::ALL {
            for decision in hand.matrix(action, at) {
                if decision.allow {
                    tally.allow += 1;
                } else {
                    tally.deny += 1;
                }
                tally.advised += usize::from(decision.advice != 0);
                tally.waived += usize::from(decision.waivers != 0);
                tally.fired.extend(decision.rule_ids());
                tally.fired.extend(decision.advice_ids());
            }
        }
    }
    let total = tally.allow + tally.deny;
    assert!(tally.deny >= total / 20, "{tally:?}");
    assert!(tally.allow >= total / 5, "{tally:?}");
    assert!(tally.advised >= 1_000, "{tally:?}");
    assert!(tally.waived >= 100, "{tally:?}");
    let never: Vec<&str> = RULES
        .iter()
        .copied()
        .filter(|r| !tally.fired.contains(r))
        .collect();
    assert!(
        never.is_empty(),
        "rules never exercised: {never:?} ({tally:?})"
    );
}

/// The sweep answers each deployment as a single question would.
#[test]
fn the_sweep_matches_single_decisions_and_the_hand_written_rules() {
    let engine = engine();
    let hand = HandWritten::new(engine.inventory());
    let at = workload::reference_instant();
    let sweep = engine.sweep(at);
    assert_eq!(sweep.len(), engine.inventory().deployments.len());
    for (i, (deployment, decision)) in sweep.iter().enumerate() {
        let what = format!("{} on {}", deployment.release, deployment.system);
        let expected = hand
            .decide(
                deployment.system.as_str(),
                Action::Operate,
                deployment.release.as_str(),
                at,
            )
            .unwrap();
        assert_eq!(decision.allowed(), expected.allow, "{what}");
        assert_eq!(decision.rule_ids(), expected.rule_ids(), "{what}");
        assert_eq!(decision.advice_ids(), expected.advice_ids(), "{what}");
        if i % 4 == 0 {
            let single = engine.decide(&deployment.query(at)).unwrap();
            assert_eq!(&single, decision, "{what}");
        }
    }
}

/// Threads share out the workload's evaluations and decisions; every cell is
/// still the one the calling thread alone gives, errors included. A rule
/// that overflows for some releases makes outcomes with errors, which must
/// not be shared between the cells of a class.
#[test]
fn threads_give_the_same_matrix_errors_included() {
    let mut policies = Policies::all_packs().unwrap();
    policies
        .add_text(
            "overflow.cedar",
            r#"@id("overflow/by-major") @reason("overflows for major versions of 2 and more")
               forbid (principal, action, resource)
               when { resource.major * 4611686018427387904 < 0 && resource.audited };"#,
        )
        .unwrap();
    let mut engine = Engine::new(workload::reference_inventory(), policies).unwrap();
    for at in [workload::reference_instant(), EARLIER.parse().unwrap()] {
        engine.set_threads(1);
        let serial = engine.matrix(Action::Deploy, at);
        let errors = serial.cells().filter(|d| !d.errors().is_empty()).count();
        assert!(errors > 0 && errors < serial.decisions().len(), "{errors}");
        engine.set_threads(3);
        let threaded = engine.matrix(Action::Deploy, at);
        assert!(threaded.decisions().eq(serial.decisions()), "at {at}");
        assert_eq!(engine.sweep(at), {
            engine.set_threads(1);
            engine.sweep(at)
        });
    }
}
