//! Property tests: what must hold for every inventory, policy and question,
//! not just the scenarios written out by hand.
//!
//! Generators live in `tests/support/mod.rs`. Case counts are kept low (the
//! engine runs Cedar in a debug build here), so the whole file takes seconds;
//! raise them with `PROPTEST_CASES=1000 cargo test --test properties` for a
//! longer hunt.

mod support;

use std::collections::{BTreeMap, BTreeSet};

use clearance::{
    Action, Assurance, Category, Classification, ContractClause, Country, Deployment, Device,
    DeviceOwner, Engine, Id, Instant, Inventory, Link, Pack, Policies, Query, Role, Sector, Waiver,
    WaiverKind,
};
use proptest::collection::{btree_set, vec};
use proptest::prelude::*;
use proptest::sample::select;
use serde::de::DeserializeOwned;
use serde::Serialize;

use support::*;

fn engine(inventory: &Inventory, policies: Policies) -> Engine {
    Engine::new(waivable(inventory, &policies), policies).expect("a generated inventory is valid")
}

fn no_permits() -> Policies {
    let packs: Vec<Pack> = Pack::ALL
        .iter()
        .copied()
        .filter(|p| *p != Pack::Baseline)
        .collect();
    Policies::from_packs(&packs).unwrap()
}

// ---------------------------------------------------------------------------
// The generators themselves
// ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(64))]

    /// The inventory generator only makes valid inventories, which the engine accepts,
    /// and every generated policy validates.
    #[test]
    fn generated_inventories_and_policies_are_valid(
        inventory in inventory(),
        forbids in policies("forbid", "gen-forbid", 0..=3, true),
        permits in policies("permit", "gen-permit", 0..=2, true),
        advice in policies("advice", "gen-advice", 0..=2, true),
    ) {
        prop_assert_eq!(inventory.validate(), Ok(()));
        let all = [forbids, permits, advice].concat();
        let policies = with_text(all_packs(), &all);
        let engine = Engine::new(waivable(&inventory, &policies), policies);
        prop_assert!(engine.is_ok(), "{:?}", engine.err());
    }
}

// ---------------------------------------------------------------------------
// JSON round trips
// ---------------------------------------------------------------------------

fn round_trips<T>(value: &T) -> Result<(), TestCaseError>
where
    T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let text = serde_json::to_string(value).expect("serialises");
    let back: T = serde_json::from_str(&text)
        .map_err(|e| TestCaseError::fail(format!("{text} does not read back: {e}")))?;
    prop_assert_eq!(&back, value, "through {}", text);
    Ok(())
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn inventories_round_trip_through_json(inventory in inventory()) {
        let text = inventory.to_json();
        let back = Inventory::from_json(&text);
        prop_assert_eq!(back.as_ref(), Ok(&inventory), "through {}", text);
        // And the compact form, through bytes.
        let compact = serde_json::to_vec(&inventory).unwrap();
        prop_assert_eq!(Inventory::from_json_slice(&compact), Ok(inventory));
    }

    #[test]
    fn every_part_round_trips_through_json(
        vendor in any_vendor(),
        product in any_product(),
        release in any_release(),
        authorisation in any_authorisation(),
        organisation in any_organisation(),
        system in any_system(),
        waiver in any_waiver(),
        group in any_country_group(),
        deployment in any_deployment(),
    ) {
        round_trips(&vendor)?;
        round_trips(&product)?;
        round_trips(&release)?;
        round_trips(&authorisation)?;
        round_trips(&organisation)?;
        round_trips(&system)?;
        round_trips(&waiver)?;
        round_trips(&group)?;
        round_trips(&deployment)?;
    }

    #[test]
    fn values_round_trip_through_json_and_text(
        id in any_id(),
        country in any_country(),
        instant in any_instant(),
        assurance in any_assurance(),
        action in select(Action::ALL),
        category in select(Category::ALL),
        classification in select(Classification::ALL),
        sector in select(Sector::ALL),
        role in select(Role::ALL),
        purpose in select(clearance::Purpose::ALL),
    ) {
        round_trips(&id)?;
        round_trips(&country)?;
        round_trips(&instant)?;
        round_trips(&assurance)?;
        round_trips(&action)?;
        round_trips(&category)?;
        round_trips(&classification)?;
        round_trips(&sector)?;
        round_trips(&role)?;
        round_trips(&purpose)?;
        prop_assert_eq!(id.as_str().parse::<Id>(), Ok(id.clone()));
        prop_assert_eq!(country.code().parse::<Country>(), Ok(country));
        prop_assert_eq!(instant.to_string().parse::<Instant>(), Ok(instant));
        prop_assert_eq!(assurance.to_string().parse::<Assurance>(), Ok(assurance));
        prop_assert_eq!(action.as_str().parse::<Action>(), Ok(action));
        // An instant is its milliseconds, and it says so in its text.
        prop_assert_eq!(Instant::from_unix_millis(instant.unix_millis()), Some(instant));
    }
}

/// Every level of every scheme writes as `scheme:level` and reads back.
#[test]
fn every_assurance_level_round_trips() {
    for scheme in clearance::Scheme::ALL {
        for level in scheme.levels() {
            let text = format!("{scheme}:{level}");
            let a: Assurance = text.parse().unwrap();
            assert_eq!(serde_json::to_string(&a).unwrap(), format!("\"{text}\""));
            assert_eq!(
                serde_json::from_str::<Assurance>(&format!("\"{text}\"")).unwrap(),
                a
            );
        }
    }
}

// ---------------------------------------------------------------------------
// Monotonicity: forbids only ever take away, permits are the only way in
// ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(32))]

    /// Adding any binding `forbid` (even one that fails at run time) never
    /// turns a Deny into an Allow, and only ever adds to the rules denying.
    #[test]
    fn adding_a_forbid_never_allows_what_was_denied(
        (inventory, asks) in inventory_and_asks(8),
        extra_permits in policies("permit", "gen-permit", 0..=2, false),
        forbids in policies("forbid", "gen-forbid", 1..=3, true),
    ) {
        let before = engine(&inventory, with_text(all_packs(), &extra_permits));
        let after = engine(
            &inventory,
            with_text(all_packs(), &[extra_permits.clone(), forbids].concat()),
        );
        for ask in &asks {
            let query = ask.query(&inventory);
            let old = before.decide(&query).unwrap();
            let new = after.decide(&query).unwrap();
            check_invariants(&after, &new).map_err(TestCaseError::fail)?;
            if new.allowed() {
                prop_assert!(old.allowed(), "a forbid turned Deny into Allow:\n{}\n{}", old, new);
            }
            if !old.allowed() && old.errors().is_empty() {
                for rule in old.rule_ids() {
                    prop_assert!(
                        new.rule_ids().contains(&rule) || !new.errors().is_empty(),
                        "{} no longer denies after adding forbids:\n{}", rule, new
                    );
                }
            }
        }
    }

    /// Advice never changes the verdict, except that advice which fails to
    /// evaluate turns it into Deny (with the error listed).
    #[test]
    fn advice_never_changes_the_verdict_except_to_fail_closed(
        (inventory, asks) in inventory_and_asks(8),
        advice in policies("advice", "gen-advice", 1..=3, true),
    ) {
        let before = engine(&inventory, all_packs());
        let after = engine(&inventory, with_text(all_packs(), &advice));
        for ask in &asks {
            let query = ask.query(&inventory);
            let old = before.decide(&query).unwrap();
            let new = after.decide(&query).unwrap();
            check_invariants(&after, &new).map_err(TestCaseError::fail)?;
            if new.errors().len() > old.errors().len() {
                prop_assert!(!new.allowed());
            } else {
                prop_assert_eq!(old.verdict(), new.verdict(), "{}\n{}", old, new);
                prop_assert_eq!(old.rule_ids(), new.rule_ids());
            }
        }
    }

    /// With every `permit` removed (the shipped forbids and generated ones
    /// kept), every question, for every action and at every instant, is denied,
    /// and no decision names a permit.
    #[test]
    fn without_permits_everything_is_denied(
        inventory in inventory(),
        forbids in policies("forbid", "gen-forbid", 0..=3, true),
        advice in policies("advice", "gen-advice", 0..=2, true),
        at in recent_instant(),
    ) {
        let engine = engine(&inventory, with_text(no_permits(), &[forbids, advice].concat()));
        prop_assert!(engine.policies().rules().all(|r| r.effect() != clearance::Effect::Permit));
        for action in Action::ALL {
            let matrix = engine.matrix(*action, at);
            prop_assert_eq!(
                matrix.decisions().len(),
                inventory.systems.len() * inventory.releases.len()
            );
            for decision in matrix.decisions() {
                prop_assert!(!decision.allowed(), "allowed without a permit: {}", decision);
                check_invariants(&engine, &decision).map_err(TestCaseError::fail)?;
            }
        }
        for (_, decision) in engine.sweep(at) {
            prop_assert!(!decision.allowed());
        }
    }

    /// Every decision, whatever the policies: an error means Deny, and every
    /// rule, advice and waiver it names exists.
    #[test]
    fn decisions_name_only_what_exists_and_errors_deny(
        (inventory, asks) in inventory_and_asks(8),
        permits in policies("permit", "gen-permit", 0..=2, true),
        forbids in policies("forbid", "gen-forbid", 0..=2, true),
        advice in policies("advice", "gen-advice", 0..=2, true),
    ) {
        let engine = engine(&inventory, with_text(all_packs(), &[permits, forbids, advice].concat()));
        for ask in &asks {
            let decision = engine.decide(&ask.query(&inventory)).unwrap();
            check_invariants(&engine, &decision).map_err(TestCaseError::fail)?;
        }
    }
}

// ---------------------------------------------------------------------------
// Answers in bulk are the answers one by one
// ---------------------------------------------------------------------------

fn batched_equals_single(
    engine: &Engine,
    inventory: &Inventory,
    at: Instant,
) -> Result<(), TestCaseError> {
    for action in Action::ALL {
        let matrix = engine.matrix(*action, at);
        for release in &inventory.releases {
            for system in &inventory.systems {
                let single = engine
                    .decide(&Query::new(system.id.as_str(), *action, release.id.as_str()).at(at))
                    .unwrap();
                let cell = matrix.get(release.id.as_str(), system.id.as_str()).unwrap();
                prop_assert_eq!(
                    &cell,
                    &single,
                    "matrix cell {} {} {} differs from decide",
                    system.id,
                    action,
                    release.id
                );
            }
        }
    }
    for (deployment, swept) in engine.sweep(at) {
        let single = engine.decide(&deployment.query(at)).unwrap();
        prop_assert_eq!(
            Outcome::from(&swept),
            Outcome::from(&single),
            "sweep of {:?}",
            deployment
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(24))]

    /// `Engine::matrix` and `Engine::sweep` share work between questions,
    /// and between threads; every cell must still be exactly what
    /// `Engine::decide` answers alone, whatever the scopes (`principal in`,
    /// `resource in`, `==`) and conditions of the policies.
    #[test]
    fn matrix_and_sweep_answer_as_decide_does(
        inventory in inventory(),
        permits in policies("permit", "gen-permit", 0..=2, false),
        forbids in policies("forbid", "gen-forbid", 0..=3, true),
        advice in policies("advice", "gen-advice", 0..=1, false),
        at in recent_instant(),
    ) {
        let policies = with_text(all_packs(), &[permits, forbids, advice].concat());
        let mut engine = engine(&inventory, policies);
        batched_equals_single(&engine, &inventory, at)?;
        // "Decisions are the same whatever the number" of threads.
        engine.set_threads(3);
        batched_equals_single(&engine, &inventory, at)?;
    }
}

proptest! {
    #![proptest_config(config(24))]

    /// Any instant `clearance` can represent, from 0000-01-01 to the last
    /// millisecond of 9999, can be asked about: the shipped packs evaluate
    /// without error (Cedar's `datetime` takes the instant as given).
    #[test]
    fn every_representable_instant_can_be_asked_about(
        (inventory, asks) in inventory_and_asks(4),
        at in prop_oneof![Just(Instant::MIN), Just(Instant::MAX), any_instant()],
    ) {
        let engine = engine(&inventory, all_packs());
        for ask in &asks {
            let decision = engine.decide(&ask.query(&inventory).at(at)).unwrap();
            prop_assert!(decision.errors().is_empty(), "at {}: {}", at, decision);
            prop_assert_eq!(decision.asked().at, at);
        }
    }
}

/// Found by `code_vendors_and_control_match_a_naive_oracle` against the first
/// version of the shared evaluation (`src/engine/batch.rs`): releases that look
/// the same to every policy's conditions shared one outcome even when a
/// policy's scope (`resource in Vendor::"acme"`) covered one and not the
/// other, so the matrix allowed an Acme product the scope forbids.
#[test]
fn releases_alike_but_for_a_scope_are_not_answered_alike() {
    let inventory = Inventory::from_json(
        r#"{
        "registry": false,
        "vendors": [
            {"id": "acme", "name": "Acme", "incorporated": "RU", "headquarters": "RU"},
            {"id": "huawei", "name": "Huawei", "incorporated": "RU", "headquarters": "RU"}
        ],
        "products": [
            {"id": "p0", "name": "P0", "vendor": "huawei", "category": "antivirus"},
            {"id": "p1", "name": "P1", "vendor": "acme", "category": "antivirus"}
        ],
        "releases": [
            {"id": "r1", "product": "p1", "version": "1.0.0"},
            {"id": "r2", "product": "p0", "version": "1.0.0", "components": ["r1"]},
            {"id": "r3", "product": "p0", "version": "1.0.0"},
            {"id": "r5", "product": "p1", "version": "2.0.0", "components": ["r3"]}
        ],
        "organisations": [{"id": "o0", "name": "O", "country": "LT", "sector": "business"}],
        "systems": [{"id": "s0", "name": "S", "owner": "o0"}],
        "deployments": [
            {"system": "s0", "release": "r2"}, {"system": "s0", "release": "r5"}
        ]
    }"#,
    )
    .unwrap();
    let mut policies = Policies::from_packs(&[Pack::Baseline]).unwrap();
    policies
        .add_text(
            "oracle.cedar",
            r#"
            @id("oracle/code")
            @reason("code")
            forbid (principal, action == Action::"deploy", resource)
            when { resource.codeVendors.contains(Vendor::"acme") };
            @id("oracle/group")
            @reason("group")
            forbid (principal, action, resource in Vendor::"acme");
        "#,
        )
        .unwrap();
    let engine = engine(&inventory, policies);
    let at = at("2020-01-01");
    // r2 embeds Acme code but is Huawei's; r5 is Acme's own.
    let procure = engine.matrix(Action::Procure, at);
    assert!(procure.get("r2", "s0").unwrap().allowed());
    assert!(!procure.get("r5", "s0").unwrap().allowed());
    let swept: Vec<bool> = engine.sweep(at).iter().map(|(_, d)| d.allowed()).collect();
    assert_eq!(swept, [true, false]);
    batched_equals_single(&engine, &inventory, at).unwrap();
}

// ---------------------------------------------------------------------------
// Order independence
// ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(32))]

    /// Shuffling every list of the inventory changes no decision: not the
    /// verdict, the rules, the advice, the waivers used, the errors or the chains.
    #[test]
    fn decisions_do_not_depend_on_inventory_order(
        (inventory, asks) in inventory_and_asks(16),
        seed in any::<u64>(),
        forbids in policies("forbid", "gen-forbid", 0..=2, true),
    ) {
        let policies = with_text(all_packs(), &forbids);
        let reordered = shuffled(&inventory, seed);
        prop_assert_eq!(reordered.validate(), Ok(()));
        let a = engine(&inventory, policies.clone());
        let b = engine(&reordered, policies);
        for ask in &asks {
            let query = ask.query(&inventory);
            let x = Outcome::from(&a.decide(&query).unwrap());
            let y = Outcome::from(&b.decide(&query).unwrap());
            prop_assert_eq!(x, y, "{:?}", query);
        }
        // The sweep, keyed by deployment.
        let at = asks[0].at;
        let key = |d: &Deployment| (d.system.to_string(), d.release.to_string());
        let sa: BTreeMap<_, _> = a.sweep(at).iter().map(|(d, x)| (key(d), Outcome::from(x))).collect();
        let sb: BTreeMap<_, _> = b.sweep(at).iter().map(|(d, x)| (key(d), Outcome::from(x))).collect();
        prop_assert_eq!(sa, sb);
        // The JSON of both reads back to the same set of items.
        prop_assert_eq!(Inventory::from_json(&reordered.to_json()), Ok(reordered));
    }
}

// ---------------------------------------------------------------------------
// Effective dates and waivers
// ---------------------------------------------------------------------------

const BAN_PRODUCTS: &[&str] = &["p-banned", "p-sub", "p-clean", "p-white", "p-white2"];
const BAN_VENDORS: &[&str] = &[
    "banned",
    "banned-sub",
    "banned-subsub",
    "clean",
    "clean-sub",
];
const BAN_SYSTEMS: &[&str] = &["s-agency", "s-dept", "s-other"];
const BAN_ORGANISATIONS: &[&str] = &["gov", "dept", "agency", "other"];
const BAN_RULES: &[&str] = &["test/ban", "test/ban-b", "no-such/rule"];
const BAN_RELEASES: &[&str] = &["r-banned", "r-sub", "r-clean", "r-white", "r-white2"];

/// A fixed world: a banned vendor with a subsidiary and a sub-subsidiary, a
/// clean vendor, a white-label product embedding the banned vendor's code (and
/// one embedding that), and an organisation tree gov > dept > agency.
fn ban_inventory(waivers: Vec<Waiver>) -> Inventory {
    let json = serde_json::json!({
        "vendors": [
            {"id": "banned", "name": "Banned Ltd", "incorporated": "RU", "headquarters": "RU"},
            {"id": "banned-sub", "name": "Banned UK", "incorporated": "GB", "headquarters": "GB", "controlled_by": "banned"},
            {"id": "banned-subsub", "name": "Banned Reseller", "incorporated": "GB", "headquarters": "GB", "controlled_by": "banned-sub"},
            {"id": "clean", "name": "Clean SA", "incorporated": "FR", "headquarters": "FR"},
            {"id": "clean-sub", "name": "Clean Labs", "incorporated": "DE", "headquarters": "DE", "controlled_by": "clean"}
        ],
        "products": [
            {"id": "p-banned", "name": "Banned AV", "vendor": "banned", "category": "antivirus"},
            {"id": "p-sub", "name": "Reseller AV", "vendor": "banned-subsub", "category": "antivirus"},
            {"id": "p-clean", "name": "Clean AV", "vendor": "clean", "category": "antivirus"},
            {"id": "p-white", "name": "White Label", "vendor": "clean-sub", "category": "security-software"},
            {"id": "p-white2", "name": "Suite", "vendor": "clean", "category": "software"}
        ],
        "releases": [
            {"id": "r-banned", "product": "p-banned", "version": "1.0.0"},
            {"id": "r-sub", "product": "p-sub", "version": "2.0.0"},
            {"id": "r-clean", "product": "p-clean", "version": "3.0.0"},
            {"id": "r-white", "product": "p-white", "version": "4.0.0", "components": ["r-banned"]},
            {"id": "r-white2", "product": "p-white2", "version": "5.0.0", "components": ["r-white", "r-clean"]}
        ],
        "organisations": [
            {"id": "gov", "name": "Government", "country": "US", "sector": "central-government"},
            {"id": "dept", "name": "Department", "country": "US", "sector": "central-government", "parent": "gov"},
            {"id": "agency", "name": "Agency", "country": "US", "sector": "central-government", "parent": "dept"},
            {"id": "other", "name": "Other", "country": "US", "sector": "business"}
        ],
        "systems": [
            {"id": "s-agency", "name": "Agency system", "owner": "agency"},
            {"id": "s-dept", "name": "Department system", "owner": "dept"},
            {"id": "s-other", "name": "Other system", "owner": "other"}
        ],
        "waivers": waivers,
    });
    let inventory: Inventory = serde_json::from_value(json).unwrap();
    inventory.validate().unwrap();
    inventory
}

/// Two bans that accept waivers for their own ids: `test/ban` on code of
/// `banned` anywhere in the release from `d1`; `test/ban-b` on products of
/// `banned` and its subsidiaries (not embedded code), in `dept` and below, for
/// `actions`, from `d2`.
fn ban_policies(d1: Instant, d2: Instant, actions: &BTreeSet<Action>) -> Policies {
    let actions = actions
        .iter()
        .map(|a| format!("Action::\"{a}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let text = format!(
        r#"
        @id("test/ban")
        @reason("Code of the banned vendor is banned.")
        forbid (principal, action, resource)
        when {{ resource.codeVendors.contains(Vendor::"banned") && context.now >= datetime("{d1}") }}
        unless {{ context.waivers.contains("test/ban") }};

        @id("test/ban-b")
        @reason("The department bans the banned vendor's own products.")
        forbid (principal in Organisation::"dept", action in [{actions}], resource in Vendor::"banned")
        when {{ context.now >= datetime("{d2}") }}
        unless {{ context.waivers.contains("test/ban-b") }};
        "#
    );
    let mut policies = Policies::from_packs(&[Pack::Baseline]).unwrap();
    policies.add_text("ban.cedar", &text).unwrap();
    policies
}

/// Picks from `items`, half the time the first (the one that matters most).
fn mostly_first(items: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
    prop_oneof![Just(items[0]), select(items)]
}

fn ban_waiver(i: usize) -> impl Strategy<Value = Waiver> {
    // Biased towards waivers that cover something the bans forbid (the
    // banned vendor, the whole government, the first ban), so that the
    // edges of `from` and `until` are met often.
    (
        btree_set(mostly_first(BAN_RULES), 1..3),
        btree_set(select(BAN_PRODUCTS), 0..2),
        btree_set(mostly_first(BAN_VENDORS), 0..2),
        btree_set(select(BAN_SYSTEMS), 0..2),
        btree_set(mostly_first(BAN_ORGANISATIONS), 0..2),
        btree_set(select(Action::ALL), 2..5),
        prop::option::of(0i64..2000),
        1i64..1500,
    )
        .prop_map(
            move |(
                rules,
                mut products,
                vendors,
                mut systems,
                organisations,
                actions,
                from,
                len,
            )| {
                if products.is_empty() && vendors.is_empty() {
                    products.insert("p-clean");
                }
                if systems.is_empty() && organisations.is_empty() {
                    systems.insert("s-other");
                }
                let ids = |set: BTreeSet<&str>| set.into_iter().map(id_of).collect();
                Waiver {
                    id: id_of(format!("w{i}")),
                    rules: rules.into_iter().map(str::to_owned).collect(),
                    products: ids(products),
                    vendors: ids(vendors),
                    systems: ids(systems),
                    organisations: ids(organisations),
                    actions,
                    granted_by: "A test".to_owned(),
                    from: from.map(day),
                    until: day(from.unwrap_or(1000) + len),
                    kind: WaiverKind::Exception,
                    source: None,
                }
            },
        )
}

/// Each date and the millisecond before it (where `>=` and `<` differ).
fn edges(dates: &[Instant]) -> Vec<Instant> {
    dates
        .iter()
        .flat_map(|d| [*d, Instant::from_unix_millis(d.unix_millis() - 1).unwrap()])
        .collect()
}

/// Ban dates, the actions of the second ban, waivers, one instant anywhere,
/// and the questions (system, release, action) asked at every edge.
type BanCase = (
    i64,
    i64,
    BTreeSet<Action>,
    Vec<Waiver>,
    Instant,
    Vec<(usize, usize, usize)>,
);

fn ban_case() -> impl Strategy<Value = BanCase> {
    (
        0i64..2500,
        0i64..2500,
        btree_set(select(Action::ALL), 1..5),
        (1usize..=3).prop_flat_map(|n| (0..n).map(ban_waiver).collect::<Vec<_>>()),
        prop_oneof![(0i64..3000).prop_map(day), recent_instant()],
        vec(
            (
                0..BAN_SYSTEMS.len(),
                0..BAN_RELEASES.len(),
                0..Action::ALL.len(),
            ),
            6..=10,
        ),
    )
}

proptest! {
    #![proptest_config(config(40))]

    /// A ban with an effective date denies at every instant from that date on
    /// (and never before), unless a waiver in force covers the question; a
    /// waiver lifts only the rules it names, only for its products or vendors,
    /// systems or organisations, and actions, and only in `[from, until)`. The
    /// decision names exactly the bans not lifted, and exactly the waivers that
    /// lifted one.
    #[test]
    fn bans_apply_from_their_date_unless_a_waiver_covers_them(
        (d1, d2, actions_b, waivers, anywhere, questions) in ban_case(),
    ) {
        let inventory = ban_inventory(waivers.clone());
        let engine = engine(&inventory, ban_policies(day(d1), day(d2), &actions_b));
        let mut dates = vec![day(d1), day(d2)];
        for w in &waivers {
            dates.push(w.until);
            dates.extend(w.from);
        }
        let mut instants = edges(&dates);
        instants.push(anywhere);
        for at in instants {
            for &(s, r, a) in &questions {
                let (system, release, action) =
                    (&BAN_SYSTEMS[s], &BAN_RELEASES[r], &Action::ALL[a]);
                let decision = engine
                    .decide(&Query::new(*system, *action, *release).at(at))
                    .unwrap();
                prop_assert!(decision.errors().is_empty(), "{}", decision);

                let applies_a = code_vendors(&inventory, release, at).contains("banned")
                    && at >= day(d1);
                let applies_b = actions_b.contains(action)
                    && own_vendors(&inventory, release, at).contains("banned")
                    && organisation_chain(&inventory, system).contains("dept")
                    && at >= day(d2);
                let covering: Vec<&Waiver> = waivers
                    .iter()
                    .filter(|w| waiver_covers(&inventory, w, system, *action, release, at))
                    .collect();
                let waived = |rule: &str| covering.iter().any(|w| w.rules.contains(rule));
                let mut denying = Vec::new();
                let mut lifted = Vec::new();
                for (rule, applies) in [("test/ban", applies_a), ("test/ban-b", applies_b)] {
                    match (applies, waived(rule)) {
                        (true, false) => denying.push(rule),
                        (true, true) => lifted.push(rule),
                        _ => {}
                    }
                }
                let used: BTreeSet<String> = covering
                    .iter()
                    .filter(|w| lifted.iter().any(|r| w.rules.contains(*r)))
                    .map(|w| w.id.to_string())
                    .collect();

                prop_assert_eq!(
                    decision.allowed(),
                    denying.is_empty(),
                    "{} {} {} at {}: expected {:?}, got\n{}",
                    system, action, release, at, denying, decision
                );
                if !denying.is_empty() {
                    prop_assert_eq!(decision.rule_ids(), denying);
                }
                let got: BTreeSet<String> =
                    decision.waivers().iter().map(|w| w.to_string()).collect();
                prop_assert_eq!(got, used, "waivers used:\n{}", decision);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Corporate reach and embedded code, at any depth
// ---------------------------------------------------------------------------

/// Vendors `ao-kaspersky-lab` (RU) or `clean-root` (NO) at the top, then a
/// chain of `depth` subsidiaries incorporated elsewhere.
fn control_chain_json(root: &str, depth: usize, countries: &[&str]) -> Vec<serde_json::Value> {
    let root_country = if root == "ao-kaspersky-lab" {
        "RU"
    } else {
        "NO"
    };
    let mut vendors = vec![serde_json::json!({
        "id": root, "name": root, "incorporated": root_country, "headquarters": root_country
    })];
    for level in 1..=depth {
        let parent = if level == 1 {
            root.to_owned()
        } else {
            format!("{root}-sub{}", level - 1)
        };
        let c = countries[level % countries.len()];
        vendors.push(serde_json::json!({
            "id": format!("{root}-sub{level}"), "name": format!("Subsidiary {level}"),
            "incorporated": c, "headquarters": c, "controlled_by": parent
        }));
    }
    vendors
}

fn leaf(root: &str, depth: usize) -> String {
    if depth == 0 {
        root.to_owned()
    } else {
        format!("{root}-sub{depth}")
    }
}

/// Systems the shipped packs and the test ban speak about.
fn reach_world(
    vendors: Vec<serde_json::Value>,
    products: Vec<serde_json::Value>,
    releases: Vec<serde_json::Value>,
) -> Inventory {
    let json = serde_json::json!({
        "registry": false,
        "vendors": vendors,
        "products": products,
        "releases": releases,
        "organisations": [
            {"id": "uk-mod", "name": "MOD", "country": "GB", "sector": "defence"},
            {"id": "us-contractor", "name": "Contractor", "country": "US", "sector": "business", "roles": ["federal-contractor"]},
            {"id": "us-household", "name": "Household", "country": "US", "sector": "consumer"},
            {"id": "au-nce", "name": "AU entity", "country": "AU", "sector": "central-government", "roles": ["non-corporate-commonwealth-entity"]}
        ],
        "systems": [
            {"id": "mod-secret", "name": "MOD SECRET", "owner": "uk-mod", "classification": "secret"},
            {"id": "contractor", "name": "Contractor endpoints", "owner": "us-contractor", "purposes": ["federal-contract-deliverables"]},
            {"id": "home", "name": "US home laptop", "owner": "us-household"},
            {"id": "au-desktops", "name": "AU desktops", "owner": "au-nce"}
        ]
    });
    let inventory: Inventory = serde_json::from_value(json).unwrap();
    inventory.validate().unwrap();
    inventory
}

fn test_ban(policies: &mut Policies) {
    policies
        .add_text(
            "reach.cedar",
            r#"
            @id("test/kaspersky-code")
            @reason("Banned: contains code of the banned group.")
            forbid (principal == System::"home", action == Action::"deploy", resource)
            when { resource.codeVendors.contains(Vendor::"ao-kaspersky-lab") };

            @id("test/kaspersky-group")
            @reason("Banned: a product of the banned group.")
            forbid (principal == System::"home", action == Action::"procure", resource in Vendor::"ao-kaspersky-lab");
            "#,
        )
        .unwrap();
}

fn mentions_vendor(decision: &clearance::Decision, vendor: &str) -> bool {
    decision.chains().iter().any(|chain| {
        chain.links().iter().any(|link| match link {
            Link::MadeBy { id, .. } => id.as_str() == vendor,
            Link::ControlledBy { company, .. } => company.id.as_str() == vendor,
            _ => false,
        })
    })
}

const SECURITY_CATEGORIES: &[Category] = &[Category::Antivirus, Category::SecuritySoftware];
const NON_RU: &[&str] = &["GB", "US", "FR", "CH", "DE", "IE"];

proptest! {
    #![proptest_config(config(24))]

    /// A vendor at any depth of control below a banned vendor is treated as the
    /// banned vendor, by the shipped packs and by `in`/`codeVendors` policies,
    /// whatever its own flag; the same chain under a clean root is not.
    #[test]
    fn subsidiaries_at_any_depth_are_the_banned_vendor(
        depth in 0usize..=12,
        shift in 0usize..NON_RU.len(),
        category in select(SECURITY_CATEGORIES),
    ) {
        let countries: Vec<&str> = NON_RU.iter().cycle().skip(shift).take(NON_RU.len()).copied().collect();
        for (root, banned) in [("ao-kaspersky-lab", true), ("clean-root", false)] {
            let inventory = reach_world(
                control_chain_json(root, depth, &countries),
                vec![serde_json::json!({"id": "p", "name": "Product", "vendor": leaf(root, depth), "category": category})],
                vec![serde_json::json!({"id": "r", "product": "p", "version": "1.0.0"})],
            );
            let mut policies = all_packs();
            test_ban(&mut policies);
            let engine = engine(&inventory, policies);
            let ask = |system: &str, action: Action, when: &str| {
                engine.decide(&Query::new(system, action, "r").at(at(when))).unwrap()
            };
            let cases = [
                ("contractor", Action::Operate, "2019-01-01", "us-ndaa-1634/kaspersky"),
                ("home", Action::Update, "2024-10-01", "us-icts-2024-kaspersky/updates"),
                ("home", Action::Deploy, "2019-01-01", "test/kaspersky-code"),
                ("home", Action::Procure, "2019-01-01", "test/kaspersky-group"),
                ("au-desktops", Action::Operate, "2025-04-02", "au-pspf-002-2025/kaspersky"),
            ];
            for (system, action, when, rule) in cases {
                let decision = ask(system, action, when);
                prop_assert!(decision.errors().is_empty(), "{}", decision);
                prop_assert_eq!(decision.allowed(), !banned, "depth {}: {}", depth, decision);
                if banned {
                    prop_assert!(decision.rule_ids().contains(&rule), "{} missing: {}", rule, decision);
                    prop_assert!(mentions_vendor(&decision, "ao-kaspersky-lab"), "no chain: {}", decision);
                    // The chain runs from the maker up through every controller.
                    let longest = decision.chains().iter().map(|c| c.links().len()).max().unwrap_or(0);
                    prop_assert_eq!(longest, 2 + depth);
                }
            }
            // UK NCSC: antivirus controlled from Russia (through the chain) on SECRET.
            let secret = ask("mod-secret", Action::Deploy, "2018-01-10");
            let expect_deny = banned && category == Category::Antivirus;
            prop_assert_eq!(secret.allowed(), !expect_deny, "{}", secret);
        }
    }

}

proptest! {
    #![proptest_config(config(64))]

    /// A release that embeds, at any depth, a component made by a banned
    /// vendor (or by any subsidiary of it) contains the banned vendor's code;
    /// rules on corporate control alone (`resource in Vendor::...`, the
    /// Australian direction) do not reach it unless the maker itself is in the group.
    #[test]
    fn embedded_code_at_any_depth_is_contained(
        depth in 0usize..=8,
        sub in 0usize..=3,
        category in select(SECURITY_CATEGORIES),
    ) {
        let mut vendors = control_chain_json("ao-kaspersky-lab", sub, NON_RU);
        vendors.push(serde_json::json!({"id": "integrator", "name": "Integrator SA", "incorporated": "FR", "headquarters": "FR"}));
        let mut products = vec![
            serde_json::json!({"id": "sdk", "name": "Engine SDK", "vendor": leaf("ao-kaspersky-lab", sub), "category": "security-software"}),
        ];
        let mut releases = vec![serde_json::json!({"id": format!("e{depth}"), "product": "sdk", "version": "8.0.0"})];
        for level in (0..depth).rev() {
            products.push(serde_json::json!({"id": format!("suite{level}"), "name": format!("Suite {level}"), "vendor": "integrator", "category": if level == 0 { category.as_str() } else { "software" }}));
            releases.push(serde_json::json!({"id": format!("e{level}"), "product": format!("suite{level}"), "version": "1.0.0", "components": [format!("e{}", level + 1)]}));
        }
        let inventory = reach_world(vendors, products, releases);
        let mut policies = all_packs();
        test_ban(&mut policies);
        let engine = engine(&inventory, policies);
        let ask = |system: &str, action: Action, when: &str| {
            engine.decide(&Query::new(system, action, "e0").at(at(when))).unwrap()
        };

        prop_assert!(code_vendors(&inventory, "e0", at("2020-01-01")).contains("ao-kaspersky-lab"));
        for (system, action, when, rule) in [
            ("contractor", Action::Operate, "2019-01-01", "us-ndaa-1634/kaspersky"),
            ("home", Action::Deploy, "2019-01-01", "test/kaspersky-code"),
        ] {
            let decision = ask(system, action, when);
            prop_assert!(!decision.allowed(), "depth {}: {}", depth, decision);
            prop_assert_eq!(decision.rule_ids(), vec![rule]);
            prop_assert!(mentions_vendor(&decision, "ao-kaspersky-lab"), "{}", decision);
            let embeds = decision
                .chains()
                .iter()
                .map(|c| c.links().iter().filter(|l| matches!(l, Link::Embeds { .. })).count())
                .max()
                .unwrap_or(0);
            prop_assert_eq!(embeds, depth, "{}", decision);
        }
        // The ICTS rule covers white-labelled Kaspersky in security software and antivirus.
        let update = ask("home", Action::Update, "2024-10-01");
        prop_assert!(!update.allowed(), "{}", update);
        // Rules on corporate control reach the group's own products only.
        let in_group = depth == 0;
        let procure = ask("home", Action::Procure, "2019-01-01");
        prop_assert_eq!(procure.allowed(), !in_group, "{}", procure);
        let au = ask("au-desktops", Action::Operate, "2025-04-02");
        prop_assert_eq!(au.allowed(), !in_group, "{}", au);
    }

    /// On random inventories (control forests, component DAGs with shared
    /// components), `resource.codeVendors.contains(V)` holds exactly for the
    /// releases whose own or embedded code is made by V or a company V
    /// controls, and `resource in V` exactly for V's group's own releases.
    #[test]
    fn code_vendors_and_control_match_a_naive_oracle(inventory in inventory()) {
        let vendor = inventory.vendors[0].id.to_string();
        let mut policies = Policies::from_packs(&[Pack::Baseline]).unwrap();
        policies.add_text("oracle.cedar", &format!(r#"
            @id("oracle/code")
            @reason("code")
            forbid (principal, action == Action::"deploy", resource)
            when {{ resource.codeVendors.contains(Vendor::"{vendor}") }};
            @id("oracle/group")
            @reason("group")
            forbid (principal, action == Action::"procure", resource in Vendor::"{vendor}");
        "#)).unwrap();
        let engine = engine(&inventory, policies);
        let at = at("2020-01-01");
        let deploy = engine.matrix(Action::Deploy, at);
        let procure = engine.matrix(Action::Procure, at);
        let system = inventory.systems[0].id.as_str();
        for release in &inventory.releases {
            let r = release.id.as_str();
            let contains = code_vendors(&inventory, r, at).contains(&vendor);
            let in_group = own_vendors(&inventory, r, at).contains(&vendor);
            prop_assert_eq!(deploy.get(r, system).unwrap().allowed(), !contains, "{}", r);
            prop_assert_eq!(procure.get(r, system).unwrap().allowed(), !in_group, "{}", r);
            prop_assert!(!in_group || contains);
        }
    }
}

// ---------------------------------------------------------------------------
// Rules that bind any person in the United States
// ---------------------------------------------------------------------------

/// The rules that bind US persons: anyone in the United States, and US
/// organisations and households wherever their systems are.
fn binds_us_persons(rule: &str) -> bool {
    rule.starts_with("us-icts-2024-kaspersky/") || rule.starts_with("us-ofac-50/")
}

fn suites_world() -> &'static Inventory {
    static WORLD: std::sync::OnceLock<Inventory> = std::sync::OnceLock::new();
    WORLD.get_or_init(|| Inventory::from_path("policies/tests/data/world.json").unwrap())
}

/// The US-person rules deciding each cell of a matrix, by (release, system).
fn us_person_rules(
    inventory: &Inventory,
    action: Action,
    at: Instant,
) -> BTreeMap<(String, String), Vec<String>> {
    let engine = Engine::new(inventory.clone(), all_packs()).unwrap();
    engine
        .matrix(action, at)
        .cells()
        .map(|cell| {
            let rules = cell
                .rule_ids()
                .into_iter()
                .filter(|r| binds_us_persons(r))
                .map(str::to_owned)
                .collect();
            let key = (cell.release().to_string(), cell.system().to_string());
            (key, rules)
        })
        .collect()
}

proptest! {
    #![proptest_config(config(16))]

    /// Moving a system, or changing its owner's country, never lifts a Deny of
    /// a rule that binds any person in the United States while the system is
    /// in the United States or its owner is a US person; and such a rule never
    /// decides for a system that is neither. The suites' world is asked with
    /// every organisation's country and every system's location drawn at
    /// random, and compared with the same world made all American.
    #[test]
    fn rules_binding_persons_in_the_us_follow_the_system_and_the_owner(
        countries in vec(select(COUNTRIES), suites_world().organisations.len()),
        locations in vec(prop::option::of(select(COUNTRIES)), suites_world().systems.len()),
        // Questions some such rule answers: OFAC's procure and update at any
        // date, ICTS's from July and September 2024.
        (action, at) in select(&[
            (Action::Procure, "2024-06-01"),
            (Action::Procure, "2024-07-25"),
            (Action::Deploy, "2024-10-01"),
            (Action::Update, "2024-10-01"),
            (Action::Update, "2026-12-07"),
        ][..]),
    ) {
        let at: Instant = at.parse().unwrap();
        let mut moved = suites_world().clone();
        for (organisation, country) in moved.organisations.iter_mut().zip(&countries) {
            organisation.country = country.parse().unwrap();
        }
        for (system, location) in moved.systems.iter_mut().zip(&locations) {
            system.location = location.map(|c| c.parse().unwrap());
        }
        let mut american = suites_world().clone();
        for organisation in &mut american.organisations {
            organisation.country = "US".parse().unwrap();
        }
        for system in &mut american.systems {
            system.location = None;
        }
        let owner_country: BTreeMap<&str, Country> = moved
            .organisations
            .iter()
            .map(|o| (o.id.as_str(), o.country))
            .collect();
        let us: Country = "US".parse().unwrap();
        let in_the_us: BTreeMap<String, bool> = moved
            .systems
            .iter()
            .map(|s| {
                let owner = owner_country[s.owner.as_str()];
                (s.id.to_string(), owner == us || s.location.unwrap_or(owner) == us)
            })
            .collect();

        let everywhere = us_person_rules(&american, action, at);
        let here = us_person_rules(&moved, action, at);
        for (key, rules) in &here {
            if in_the_us[&key.1] {
                prop_assert_eq!(rules, &everywhere[key], "{:?} at {}", key, at);
            } else {
                prop_assert!(rules.is_empty(), "{:?} is not in the US: {:?}", key, rules);
            }
        }
        // The property is not vacuous: the all-American world has such Denies.
        prop_assert!(everywhere.values().any(|r| !r.is_empty()));
    }
}

// ---------------------------------------------------------------------------
// Who a rule binds
// ---------------------------------------------------------------------------

/// The suites' world with the apps the 2023-2026 packs name added: TikTok (by
/// ByteDance's group, and by a hypothetical company 20% held by ByteDance),
/// DeepSeek's app, web chat and open weights, and WeChat.
fn binds_world() -> &'static Inventory {
    static WORLD: std::sync::OnceLock<Inventory> = std::sync::OnceLock::new();
    WORLD.get_or_init(|| {
        let apps: Inventory = serde_json::from_str(
            r#"{
            "vendors": [
                {"id": "app-co-hypothetical", "name": "App Co (hypothetical)",
                 "incorporated": "US", "headquarters": "US",
                 "owners": [{"owner": "bytedance-ltd", "share": 20}]},
                {"id": "messaging-co-hypothetical", "name": "Messaging Co (hypothetical)",
                 "incorporated": "CN", "headquarters": "CN"},
                {"id": "drone-maker-hypothetical", "name": "Drone Maker (hypothetical)",
                 "incorporated": "CN", "headquarters": "CN",
                 "listed": [{"list": "fasc-asda", "from": "2024-01-01",
                             "source": "hypothetical listing, for this test"}]},
                {"id": "router-maker-hypothetical", "name": "Router Maker (hypothetical)",
                 "incorporated": "TW", "headquarters": "TW"}],
            "products": [
                {"id": "tiktok", "name": "TikTok", "vendor": "bytedance-ltd",
                 "category": "software", "known_as": "tiktok"},
                {"id": "tiktok-hypothetical", "name": "TikTok (hypothetical operator)",
                 "vendor": "app-co-hypothetical", "category": "software", "known_as": "tiktok"},
                {"id": "deepseek", "name": "DeepSeek", "vendor": "hangzhou-deepseek",
                 "category": "cloud-service", "known_as": "deepseek"},
                {"id": "deepseek-weights", "name": "DeepSeek-R1 weights",
                 "vendor": "hangzhou-deepseek", "category": "ai-model", "known_as": "deepseek"},
                {"id": "wechat", "name": "WeChat", "vendor": "messaging-co-hypothetical",
                 "category": "software", "known_as": "wechat"},
                {"id": "drone", "name": "Drone", "vendor": "drone-maker-hypothetical",
                 "category": "video-surveillance",
                 "equipment": {"kind": "uas",
                    "production": {"design": ["CN"], "manufacturing": ["CN"], "assembly": ["CN"]},
                    "authorisation": {"granted": "2025-01-01"}}},
                {"id": "dji-drone", "name": "DJI drone", "vendor": "sz-dji-technology",
                 "category": "video-surveillance",
                 "equipment": {"kind": "uas", "authorisation": {"granted": "2026-02-01"}}},
                {"id": "router", "name": "Router", "vendor": "router-maker-hypothetical",
                 "category": "telecom",
                 "equipment": {"kind": "router",
                    "production": {"design": ["TW"], "manufacturing": ["VN"], "assembly": ["US"]},
                    "authorisation": {"granted": "2026-04-01"}}},
                {"id": "router-unknown", "name": "Router of unknown making",
                 "vendor": "router-maker-hypothetical", "category": "telecom",
                 "equipment": {"kind": "router", "production": {"assembly": ["US"]}}},
                {"id": "inverter", "name": "Inverter", "vendor": "router-maker-hypothetical",
                 "category": "software",
                 "equipment": {"kind": "power-inverter",
                    "production": {"design": ["TW"], "manufacturing": ["TW"], "assembly": ["TW"]},
                    "authorisation": {"granted": "2024-01-01"}}},
                {"id": "kli-av", "name": "Kaspersky Anti-Virus", "vendor": "kaspersky-lab-inc",
                 "category": "antivirus"}],
            "releases": [
                {"id": "tiktok-app", "product": "tiktok", "version": "30.0.0", "form": "app"},
                {"id": "tiktok-web", "product": "tiktok", "version": "30.0.0", "form": "web"},
                {"id": "tiktok-hypothetical-app", "product": "tiktok-hypothetical",
                 "version": "1.0.0"},
                {"id": "deepseek-app", "product": "deepseek", "version": "1.0.0", "form": "app"},
                {"id": "deepseek-api", "product": "deepseek", "version": "1.0.0", "form": "api"},
                {"id": "deepseek-r1", "product": "deepseek-weights", "version": "1.0.0"},
                {"id": "wechat-app", "product": "wechat", "version": "8.0.0"},
                {"id": "drone-1", "product": "drone", "version": "1.0.0"},
                {"id": "dji-drone-1", "product": "dji-drone", "version": "1.0.0"},
                {"id": "router-1", "product": "router", "version": "1.0.0"},
                {"id": "router-unknown-1", "product": "router-unknown", "version": "1.0.0"},
                {"id": "inverter-1", "product": "inverter", "version": "1.0.0"},
                {"id": "kli-av-1", "product": "kli-av", "version": "1.0.0"},
                {"id": "router-with-kli", "product": "router", "version": "2.0.0",
                 "components": ["kli-av-1"]}]
        }"#,
        )
        .unwrap();
        let mut world = suites_world().clone();
        world.vendors.extend(apps.vendors);
        world.products.extend(apps.products);
        world.releases.extend(apps.releases);
        world.waivers.clear();
        world.deployments.clear();
        world
    })
}

type DrawnSystem = (
    (usize, Option<&'static str>, Option<usize>, Classification),
    (bool, bool, bool, bool),
    (Option<Device>, DeviceOwner, Option<ContractClause>),
    BTreeSet<clearance::Purpose>,
);

fn drawn_system() -> impl Strategy<Value = DrawnSystem> {
    (
        (
            0..6usize,
            prop::option::of(select(COUNTRIES)),
            prop::option::of(0..6usize),
            select(Classification::ALL),
        ),
        (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()),
        (
            prop::option::of(select(Device::ALL)),
            select(DeviceOwner::ALL),
            prop::option::of(select(ContractClause::ALL)),
        ),
        btree_set(select(clearance::Purpose::ALL), 0..3),
    )
}

proptest! {
    #![proptest_config(config(12))]

    /// A rule says whom it binds (`@binds`), and binds no one else: for every
    /// shipped rule, a system outside the classes it binds gets no Deny and no
    /// advice from it. The suites' world, with the apps and the equipment the
    /// FCC's 2024-2026 entries and the Drone Act name, is asked about at a
    /// random instant from 2017 to 2029 by systems whose owners, roles,
    /// sectors, countries, locations, devices and contract clauses are drawn
    /// at random; every rule deciding or advising a cell must bind its system.
    /// PAFACA, which binds app stores and hosting providers, so never denies a
    /// deploying organisation; nor does the FCC's bar on modifying covered
    /// equipment, which binds its grantees.
    #[test]
    fn no_rule_decides_for_a_system_outside_the_classes_it_binds(
        owners in vec(
            (select(COUNTRIES), select(Sector::ALL), btree_set(select(Role::ALL), 0..4)),
            6,
        ),
        systems in vec(drawn_system(), 8),
        day in 0i64..(13 * 366),
    ) {
        let at = Instant::from_unix_millis(1_483_228_800_000 + day * 86_400_000).unwrap();
        let mut world = binds_world().clone();
        world.organisations = owners
            .iter()
            .enumerate()
            .map(|(n, (country, sector, roles))| clearance::Organisation {
                id: id_of(format!("o{n}")),
                name: format!("Organisation {n}"),
                country: country.parse().unwrap(),
                sector: *sector,
                parent: None,
                roles: roles.clone(),
            })
            .collect();
        world.systems = systems
            .iter()
            .enumerate()
            .map(|(n, ((owner, location, operated_for, classification), flags, device, purposes))| {
                let (device, device_owner, clause) = *device;
                let mut system: clearance::System = serde_json::from_value(serde_json::json!({
                    "id": format!("s{n}"), "name": format!("System {n}"), "owner": format!("o{owner}"),
                })).unwrap();
                system.location = location.map(|c| c.parse().unwrap());
                system.operated_for = operated_for.map(|o| id_of(format!("o{o}")));
                system.classification = *classification;
                (system.national_security, system.national_security_system, system.critical, system.sensitive_site) = *flags;
                system.device = device;
                system.device_owner = device_owner;
                system.contract_clauses.extend(clause);
                system.purposes = purposes.clone();
                system
            })
            .collect();
        let policies = all_packs();
        let binds: BTreeMap<String, clearance::Binds> = policies
            .rules()
            .filter_map(|r| r.binds().map(|b| (r.id().to_owned(), b)))
            .collect();
        let engine = Engine::new(world.clone(), policies).unwrap();
        for action in Action::ALL {
            for cell in engine.matrix(*action, at).cells() {
                let system = world.systems.iter().find(|s| &s.id == cell.system()).unwrap();
                for rule in cell.rules().chain(cell.advice()) {
                    if rule.effect() == clearance::Effect::Permit {
                        continue;
                    }
                    let bound = &binds[rule.id()];
                    prop_assert!(
                        bound.covers(&world, system),
                        "{} decided {} {} {} at {}, but binds only {bound}",
                        rule.id(), cell.system(), action, cell.release(), at
                    );
                }
            }
        }
    }
}

/// Every shipped rule says whom it binds.
#[test]
fn every_shipped_rule_says_whom_it_binds() {
    for rule in all_packs().rules() {
        assert!(rule.binds().is_some(), "{} has no @binds", rule.id());
    }
}

/// A deploying organisation is never denied by PAFACA, whatever it deploys and
/// whenever: only an app store or hosting provider in the US is, and only
/// while the application is foreign-adversary controlled (20% is enough,
/// 19.9% is not).
#[test]
fn pafaca_binds_distributors_not_deployers_and_counts_twenty_percent_exactly() {
    let inventory = |share: f64, roles: &str| {
        Inventory::from_json(&format!(
            r#"{{
            "vendors": [{{"id": "app-co", "name": "App Co (hypothetical)", "incorporated": "US",
                         "headquarters": "US",
                         "owners": [{{"owner": "bytedance-ltd", "share": {share}}}]}}],
            "products": [{{"id": "tiktok-us", "name": "TikTok", "vendor": "app-co",
                          "category": "software", "known_as": "tiktok"}}],
            "releases": [{{"id": "tiktok-us-1", "product": "tiktok-us", "version": "1.0.0"}}],
            "organisations": [{{"id": "org", "name": "Org", "country": "US",
                               "sector": "business", "roles": {roles}}}],
            "systems": [{{"id": "sys", "name": "Sys", "owner": "org"}}]
        }}"#
        ))
        .unwrap()
    };
    let decide = |inventory: Inventory, action: Action| {
        let engine = Engine::new(inventory, Policies::all_packs().unwrap()).unwrap();
        engine
            .decide(&Query::new("sys", action, "tiktok-us-1").at("2025-06-01".parse().unwrap()))
            .unwrap()
    };
    let store = decide(inventory(20.0, r#"["app-store"]"#), Action::Deploy);
    assert_eq!(store.rule_ids(), ["us-pafaca/distribution"]);
    let holding = &store.holdings()[0];
    assert_eq!(
        (holding.total.to_string(), holding.passes),
        ("20%".to_owned(), true)
    );
    assert!(
        store.to_string().contains("20% by ByteDance Ltd."),
        "{store}"
    );
    let below = decide(inventory(19.9, r#"["app-store"]"#), Action::Deploy);
    assert!(below.allowed(), "{below}");
    for action in Action::ALL {
        let user = decide(inventory(20.0, "[]"), *action);
        assert!(user.allowed(), "a deploying organisation: {user}");
    }
}

proptest! {
    #![proptest_config(config(24))]

    /// PAFACA's "at least a 20 percent stake", held directly or indirectly by
    /// persons of a foreign adversary country in aggregate: an app company
    /// held by a Chinese company, a Russian fund (directly, or through a
    /// holding company the fund controls) and a US fund, in hundredths of a
    /// percent, is foreign-adversary controlled exactly when the Chinese and
    /// Russian stakes add up to 20.00% or more, and an app store is denied
    /// distributing its TikTok exactly then, with the holding adding them up.
    #[test]
    fn pafaca_counts_foreign_adversary_stakes_in_aggregate_against_twenty_percent(
        cn in 0u32..=2_500,
        ru in 0u32..=1_500,
        through_holding in any::<bool>(),
        us in 0u32..=5_000,
    ) {
        let percent = |points: u32| format!("{}.{:02}", points / 100, points % 100);
        let ru_owner = if through_holding { "ru-holding" } else { "ru-fund" };
        let inventory = Inventory::from_json(&format!(
            r#"{{
            "registry": false,
            "parties": [
                {{"id": "cn-co", "name": "CN Co", "kind": "holding-company", "country": "CN"}},
                {{"id": "ru-fund", "name": "RU Fund", "kind": "fund", "country": "RU"}},
                {{"id": "ru-holding", "name": "RU Holding (Cyprus)", "kind": "holding-company",
                  "country": "CY", "controlled_by": "ru-fund"}},
                {{"id": "us-fund", "name": "US Fund", "kind": "fund", "country": "US"}}],
            "vendors": [{{"id": "app-co", "name": "App Co", "incorporated": "US", "headquarters": "US",
                "owners": [{{"owner": "cn-co", "share": {}}}, {{"owner": "{ru_owner}", "share": {}}},
                           {{"owner": "us-fund", "share": {}}}]}}],
            "products": [{{"id": "tiktok", "name": "TikTok", "vendor": "app-co",
                          "category": "software", "known_as": "tiktok"}}],
            "releases": [{{"id": "tiktok-1", "product": "tiktok", "version": "1.0.0"}}],
            "organisations": [{{"id": "store", "name": "Store", "country": "US",
                               "sector": "business", "roles": ["app-store"]}}],
            "systems": [{{"id": "catalogue", "name": "Catalogue", "owner": "store"}}]
        }}"#,
            percent(cn), percent(ru), percent(us)
        ))
        .unwrap();
        let policies = Policies::from_packs(&[Pack::Baseline, Pack::UsPafaca]).unwrap();
        let engine = Engine::new(inventory, policies).unwrap();
        let decision = engine
            .decide(&Query::new("catalogue", Action::Deploy, "tiktok-1").at("2026-06-01".parse().unwrap()))
            .unwrap();
        let controlled = cn + ru >= 2_000;
        prop_assert_eq!(!decision.allowed(), controlled, "{}", decision);
        if controlled {
            let holding = &decision.holdings()[0];
            prop_assert_eq!(holding.total.basis_points(), cn + ru, "{}", holding);
            prop_assert!(holding.passes);
        }
    }
}

// ---------------------------------------------------------------------------
// Where equipment is produced, through its components
// ---------------------------------------------------------------------------

/// Where each stage of production is, as drawn: `None` leaves the stage unknown.
type DrawnProduction = [Option<BTreeSet<&'static str>>; 3];

fn drawn_production() -> impl Strategy<Value = DrawnProduction> {
    let stage =
        || prop::option::weighted(0.85, btree_set(select(&["US", "US", "CN", "MX"][..]), 1..3));
    [stage(), stage(), stage()]
}

fn production_json(drawn: &DrawnProduction) -> serde_json::Value {
    let mut production = serde_json::Map::new();
    for (stage, countries) in ["design", "manufacturing", "assembly"].iter().zip(drawn) {
        if let Some(countries) = countries {
            production.insert((*stage).to_owned(), serde_json::json!(countries));
        }
    }
    serde_json::Value::Object(production)
}

fn abroad(drawn: &DrawnProduction) -> bool {
    drawn.iter().flatten().flatten().any(|c| *c != "US")
}

fn complete(drawn: &DrawnProduction) -> bool {
    drawn.iter().all(Option::is_some)
}

proptest! {
    #![proptest_config(config(48))]

    /// The FCC's drone entry reaches UAS critical components wherever they
    /// sit: a US Universal Service Fund recipient buying a drone on 1 June
    /// 2026 is denied the subsidy exactly when some stage of the drone's
    /// production, or of a flight controller embedded in it (directly or
    /// inside a module), is outside the US; and, failing closed, when a stage
    /// is unknown. Each Deny names the rule for what was found. The same
    /// purchase by an organisation receiving no subsidy is never denied.
    #[test]
    fn production_abroad_reaches_through_components(
        drone in drawn_production(),
        controller in drawn_production(),
        inside_a_module in any::<bool>(),
    ) {
        let components = if inside_a_module { "gimbal-1" } else { "controller-1" };
        let inventory: Inventory = serde_json::from_value(serde_json::json!({
            "organisations": [
                {"id": "carrier", "name": "Rural carrier", "country": "US", "sector": "business",
                 "roles": ["usf-recipient"]},
                {"id": "shop", "name": "Shop", "country": "US", "sector": "business"}],
            "systems": [
                {"id": "carrier-fleet", "name": "Carrier drones", "owner": "carrier",
                 "classification": "unclassified"},
                {"id": "shop-fleet", "name": "Shop drones", "owner": "shop",
                 "classification": "unclassified"}],
            "vendors": [{"id": "maker", "name": "Maker (hypothetical)",
                         "incorporated": "US", "headquarters": "US"}],
            "products": [
                {"id": "drone", "name": "Drone", "vendor": "maker", "category": "video-surveillance",
                 "equipment": {"kind": "uas", "production": production_json(&drone),
                               "authorisation": {"granted": "2024-01-01"}}},
                {"id": "gimbal", "name": "Gimbal module", "vendor": "maker", "category": "software"},
                {"id": "controller", "name": "Flight controller", "vendor": "maker",
                 "category": "software",
                 "equipment": {"kind": "uas-critical-component",
                               "production": production_json(&controller)}}],
            "releases": [
                {"id": "controller-1", "product": "controller", "version": "1.0.0"},
                {"id": "gimbal-1", "product": "gimbal", "version": "1.0.0",
                 "components": ["controller-1"]},
                {"id": "drone-1", "product": "drone", "version": "1.0.0",
                 "components": [components]}]
        }))
        .unwrap();
        let engine = Engine::new(
            inventory,
            Policies::from_packs(&[Pack::Baseline, Pack::UsFccCoveredList]).unwrap(),
        )
        .unwrap();
        let at: Instant = "2026-06-01".parse().unwrap();
        let decide = |system: &str| {
            engine
                .decide(&Query::new(system, Action::Procure, "drone-1").at(at))
                .unwrap()
        };
        let decision = decide("carrier-fleet");
        let rules = decision.rule_ids();
        let unknown = (!complete(&drone) && !abroad(&drone)) || (!complete(&controller) && !abroad(&controller));
        prop_assert_eq!(
            !decision.allowed(),
            abroad(&drone) || abroad(&controller) || unknown,
            "{:?}", rules
        );
        prop_assert_eq!(rules.contains(&"us-fcc-covered-list/uas"), abroad(&drone));
        prop_assert_eq!(
            rules.contains(&"us-fcc-covered-list/uas-critical-components-inside"),
            abroad(&controller)
        );
        prop_assert_eq!(rules.contains(&"us-fcc-covered-list/production-unknown"), unknown);
        prop_assert!(decide("shop-fleet").allowed());
    }
}
