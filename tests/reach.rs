//! Corporate reach: what the engine hands Cedar as a release's vendor group,
//! majority owners and blocking, against a naive oracle, on random corporate
//! structures of vendors and parties with dated stakes and designations.
//!
//! - The group is everything connected by control, up, down and sideways, so
//!   reach is symmetric: a sister of a banned vendor is banned, and so is its
//!   parent.
//! - Majority ownership is over 50%, counting what an owner holds directly
//!   and through the companies it controls; OFAC's rule is 50% or more held by
//!   blocked owners, directly or through blocked companies. Both move across
//!   their threshold with the share, and nowhere else.
//! - Nothing depends on the order owners are listed in.
//! - A question about an instant sees the structure of that instant.

mod support;

use std::collections::{BTreeMap, BTreeSet};

use clearance::{Action, Engine, Instant, Inventory, Pack, Policies, Query};
use proptest::collection::vec;
use proptest::prelude::*;
use serde_json::{json, Value};
use support::{at, day};

/// A stake: (owner, share in basis points, controls, (from, length) in days).
type GeneratedStake = (usize, Option<u32>, bool, Option<(i64, i64)>);

/// One company of a generated structure: a vendor or a party, its stakes in
/// earlier companies' hands (so ownership is acyclic), and a designation.
#[derive(Debug, Clone)]
struct Company {
    vendor: bool,
    stakes: Vec<GeneratedStake>,
    blocked_from: Option<i64>,
}

fn id(n: usize) -> String {
    format!("c{n}")
}

fn structure() -> impl Strategy<Value = Vec<Company>> {
    (2usize..7).prop_flat_map(|n| {
        let companies: Vec<_> = (0..n)
            .map(|i| {
                let stakes = if i == 0 {
                    Just(Vec::new()).boxed()
                } else {
                    vec(
                        (
                            0..i,
                            prop::option::of(0u32..=10_000),
                            any::<bool>(),
                            prop::option::of((0i64..3_000, 1i64..2_000)),
                        ),
                        0..4,
                    )
                    .boxed()
                };
                (any::<bool>(), stakes, prop::option::of(0i64..3_000)).prop_map(
                    move |(vendor, stakes, blocked_from)| {
                        // At most one stake per owner, and shares within 100%
                        // at any instant (checked against the total ever held).
                        let mut kept: Vec<GeneratedStake> = Vec::new();
                        let mut total = 0;
                        for (owner, share, controls, period) in stakes {
                            if kept.iter().any(|s| s.0 == owner) {
                                continue;
                            }
                            let share = share.filter(|s| total + s <= 10_000);
                            total += share.unwrap_or(0);
                            kept.push((owner, share, controls, period));
                        }
                        Company {
                            // The first is always a vendor, so there is an anchor.
                            vendor: vendor || i == 0,
                            stakes: kept,
                            blocked_from,
                        }
                    },
                )
            })
            .collect();
        companies
    })
}

const SYSTEM: &str = "s";

fn inventory(companies: &[Company], reversed_owners: bool) -> Inventory {
    let mut vendors = Vec::new();
    let mut parties = Vec::new();
    let mut products = Vec::new();
    let mut releases = Vec::new();
    for (n, company) in companies.iter().enumerate() {
        let mut owners: Vec<Value> = company
            .stakes
            .iter()
            .map(|&(owner, share, controls, period)| {
                let mut stake = json!({"owner": id(owner), "controls": controls});
                if let Some(share) = share {
                    stake["share"] = json!(f64::from(share) / 100.0);
                }
                if let Some((from, length)) = period {
                    stake["from"] = json!(day(from).to_string());
                    stake["until"] = json!(day(from + length).to_string());
                }
                stake
            })
            .collect();
        if reversed_owners {
            owners.reverse();
        }
        let mut entry = json!({"id": id(n), "name": format!("Company {n}"), "owners": owners});
        if let Some(from) = company.blocked_from {
            entry["blocked"] = json!({"by": "OFAC (test)", "from": day(from).to_string()});
        }
        if company.vendor {
            entry["incorporated"] = json!("GB");
            entry["headquarters"] = json!("GB");
            vendors.push(entry);
            products.push(json!({"id": format!("p{n}"), "name": "P", "vendor": id(n), "category": "software"}));
            releases.push(
                json!({"id": format!("r{n}"), "product": format!("p{n}"), "version": "1.0.0"}),
            );
        } else {
            entry["kind"] = json!("holding-company");
            parties.push(entry);
        }
    }
    serde_json::from_value(json!({
        "registry": false,
        "vendors": vendors, "parties": parties,
        "products": products, "releases": releases,
        "organisations": [{"id": "o", "name": "O", "country": "US", "sector": "business"}],
        "systems": [{"id": SYSTEM, "name": "S", "owner": "o"}]
    }))
    .expect("a generated structure is a valid inventory")
}

/// Deny deploy when the release's vendor is in `anchor`'s group; procure
/// when `anchor` majority-owns it; update when it is blocked.
fn engine(inventory: Inventory, anchor: &str) -> Engine {
    let mut policies = Policies::from_packs(&[Pack::Baseline]).unwrap();
    policies
        .add_text(
            "reach.cedar",
            &format!(
                r#"
                @id("t/group") @reason("in the group")
                forbid (principal, action == Action::"deploy", resource)
                when {{ resource.vendorGroup.contains(Vendor::"{anchor}") }};
                @id("t/majority") @reason("majority-owned")
                forbid (principal, action == Action::"procure", resource)
                when {{ resource.vendorMajorityOwners.contains(Vendor::"{anchor}") }};
                @id("t/blocked") @reason("blocked")
                forbid (principal, action == Action::"update", resource)
                when {{ resource.vendorBlocked }};
                "#
            ),
        )
        .unwrap();
    Engine::new(inventory, policies).unwrap()
}

/// The naive oracle: the structure at `when`, in days.
struct Oracle {
    /// For each company, its stakes in force: (owner, share, controls).
    owners: Vec<Vec<(usize, u32, bool)>>,
    blocked_designated: Vec<bool>,
}

impl Oracle {
    fn at(companies: &[Company], when: i64) -> Oracle {
        let owners = companies
            .iter()
            .map(|c| {
                c.stakes
                    .iter()
                    .filter(|s| {
                        s.3.is_none_or(|(from, length)| from <= when && when < from + length)
                    })
                    .map(|&(owner, share, controls, _)| (owner, share.unwrap_or(0), controls))
                    .collect()
            })
            .collect();
        let blocked_designated = companies
            .iter()
            .map(|c| c.blocked_from.is_some_and(|from| from <= when))
            .collect();
        Oracle {
            owners,
            blocked_designated,
        }
    }

    /// Connected through control links, in either direction.
    fn same_group(&self, a: usize, b: usize) -> bool {
        let mut seen = BTreeSet::from([a]);
        let mut todo = vec![a];
        while let Some(n) = todo.pop() {
            if n == b {
                return true;
            }
            let up = self.owners[n].iter().filter(|s| s.2).map(|s| s.0);
            let down =
                (0..self.owners.len()).filter(|&m| self.owners[m].iter().any(|s| s.2 && s.0 == n));
            for next in up.collect::<Vec<_>>().into_iter().chain(down) {
                if seen.insert(next) {
                    todo.push(next);
                }
            }
        }
        false
    }

    /// `m` and everything `m` controls, at any depth.
    fn controlled_by(&self, m: usize) -> BTreeSet<usize> {
        let mut out = BTreeSet::from([m]);
        loop {
            let before = out.len();
            for (n, stakes) in self.owners.iter().enumerate() {
                if stakes.iter().any(|s| s.2 && out.contains(&s.0)) {
                    out.insert(n);
                }
            }
            if out.len() == before {
                return out;
            }
        }
    }

    fn majority_owns(&self, m: usize, e: usize) -> bool {
        let within = self.controlled_by(m);
        let held: u32 = self.owners[e]
            .iter()
            .filter(|s| within.contains(&s.0))
            .map(|s| s.1)
            .sum();
        held > 5_000
    }

    fn blocked(&self, e: usize) -> bool {
        self.blocked_designated[e]
            || self.owners[e]
                .iter()
                .filter(|s| self.blocked(s.0))
                .map(|s| s.1)
                .sum::<u32>()
                >= 5_000
    }
}

fn denied(engine: &Engine, action: Action, release: &str, when: Instant) -> bool {
    let decision = engine
        .decide(&Query::new(SYSTEM, action, release).at(when))
        .unwrap();
    assert!(decision.errors().is_empty(), "{decision}");
    !decision.allowed()
}

/// The days at which the structure may change, and one either side.
fn instants(companies: &[Company]) -> Vec<i64> {
    let mut days: BTreeSet<i64> = [0, 1_500, 6_000].into();
    for c in companies {
        for &(_, _, _, period) in &c.stakes {
            if let Some((from, length)) = period {
                days.extend([from - 1, from, from + length - 1, from + length]);
            }
        }
        if let Some(from) = c.blocked_from {
            days.extend([from - 1, from]);
        }
    }
    days.into_iter().collect()
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(48),
        max_shrink_iters: 256,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    /// At every instant the structure can change (and either side of it),
    /// group, majority and blocking are exactly the oracle's, whichever
    /// vendor is the anchor; and so reach is symmetric in the group.
    #[test]
    fn reach_matches_the_oracle_at_every_change(companies in structure(), anchor in 0usize..7) {
        let vendors: Vec<usize> = (0..companies.len()).filter(|&n| companies[n].vendor).collect();
        let anchor = vendors[anchor % vendors.len()];
        let engine = engine(inventory(&companies, false), &id(anchor));
        for when in instants(&companies) {
            let oracle = Oracle::at(&companies, when);
            for &v in &vendors {
                let release = format!("r{v}");
                let t = day(when);
                prop_assert_eq!(denied(&engine, Action::Deploy, &release, t), oracle.same_group(anchor, v),
                    "group of c{} at day {}: c{}", anchor, when, v);
                prop_assert_eq!(oracle.same_group(anchor, v), oracle.same_group(v, anchor));
                prop_assert_eq!(denied(&engine, Action::Procure, &release, t), oracle.majority_owns(anchor, v),
                    "c{} majority-owns c{} at day {}", anchor, v, when);
                prop_assert_eq!(denied(&engine, Action::Update, &release, t), oracle.blocked(v),
                    "c{} blocked at day {}", v, when);
            }
        }
    }

    /// Listing the owners the other way round changes no decision.
    #[test]
    fn the_order_of_owners_does_not_matter(companies in structure()) {
        let a = engine(inventory(&companies, false), "c0");
        let b = engine(inventory(&companies, true), "c0");
        for when in instants(&companies) {
            for action in [Action::Deploy, Action::Procure, Action::Update] {
                let at = day(when);
                let left: BTreeMap<_, _> = a.matrix(action, at).decisions()
                    .map(|d| (d.asked().release.clone(), (d.verdict(), d.rule_ids().join(","))))
                    .collect();
                let right: BTreeMap<_, _> = b.matrix(action, at).decisions()
                    .map(|d| (d.asked().release.clone(), (d.verdict(), d.rule_ids().join(","))))
                    .collect();
                prop_assert_eq!(left, right);
            }
        }
    }

    /// A share moves majority ownership across "over 50%" and blocking
    /// across "50% or more", and nowhere else; through a controlled
    /// subsidiary it counts as the parent's.
    #[test]
    fn majority_and_blocking_move_with_the_share(points in 0u32..=10_000, through_subsidiary in any::<bool>()) {
        check_share(points, through_subsidiary)?;
    }
}

/// The thresholds themselves, which random shares almost never hit.
#[test]
fn majority_is_over_half_and_blocking_half_or_more() {
    for points in [0, 4_999, 5_000, 5_001, 10_000] {
        for through_subsidiary in [false, true] {
            check_share(points, through_subsidiary).unwrap();
        }
    }
}

fn check_share(points: u32, through_subsidiary: bool) -> Result<(), TestCaseError> {
    let holder = if through_subsidiary { "sub" } else { "parent" };
    let inventory: Inventory = serde_json::from_value(json!({
        "registry": false,
        "vendors": [
            {"id": "parent", "name": "Parent", "incorporated": "GB", "headquarters": "GB",
             "blocked": {"by": "OFAC (test)"}},
            {"id": "sub", "name": "Sub", "incorporated": "GB", "headquarters": "GB",
             "owners": [{"owner": "parent", "share": 100, "controls": true}]},
            {"id": "held", "name": "Held", "incorporated": "GB", "headquarters": "GB",
             "owners": [{"owner": holder, "share": f64::from(points) / 100.0}]}
        ],
        "products": [{"id": "p", "name": "P", "vendor": "held", "category": "software"}],
        "releases": [{"id": "r", "product": "p", "version": "1.0.0"}],
        "organisations": [{"id": "o", "name": "O", "country": "US", "sector": "business"}],
        "systems": [{"id": SYSTEM, "name": "S", "owner": "o"}]
    }))
    .unwrap();
    let engine = engine(inventory, "parent");
    let t = at("2024-01-01");
    prop_assert_eq!(
        denied(&engine, Action::Procure, "r", t),
        points > 5_000,
        "{} points",
        points
    );
    prop_assert_eq!(
        denied(&engine, Action::Update, "r", t),
        points >= 5_000,
        "{} points",
        points
    );
    // A holding without control never joins the group.
    prop_assert!(!denied(&engine, Action::Deploy, "r", t));
    Ok(())
}

#[test]
fn a_sister_of_a_banned_vendor_is_banned_and_the_chain_shows_the_way() {
    let inventory: Inventory = serde_json::from_value(json!({
        "registry": false,
        "parties": [{"id": "top", "name": "Top Holdings", "kind": "holding-company", "country": "RU"}],
        "vendors": [
            {"id": "banned", "name": "Banned", "incorporated": "RU", "headquarters": "RU", "controlled_by": "top"},
            {"id": "sister", "name": "Sister", "incorporated": "US", "headquarters": "US", "controlled_by": "top"},
            {"id": "other", "name": "Other", "incorporated": "FR", "headquarters": "FR"}
        ],
        "products": [
            {"id": "sister-av", "name": "Sister AV", "vendor": "sister", "category": "antivirus"},
            {"id": "other-av", "name": "Other AV", "vendor": "other", "category": "antivirus"}
        ],
        "releases": [
            {"id": "s1", "product": "sister-av", "version": "1.0.0"},
            {"id": "o1", "product": "other-av", "version": "1.0.0"}
        ],
        "organisations": [{"id": "o", "name": "O", "country": "US", "sector": "business"}],
        "systems": [{"id": SYSTEM, "name": "S", "owner": "o"}]
    }))
    .unwrap();
    let engine = engine(inventory, "banned");
    let t = at("2024-01-01");
    assert!(denied(&engine, Action::Deploy, "s1", t));
    assert!(!denied(&engine, Action::Deploy, "o1", t));
    // The chain leads from the sister up to the common holding company and
    // down to the banned vendor.
    let decision = engine
        .decide(&Query::new(SYSTEM, Action::Deploy, "s1").at(t))
        .unwrap();
    assert_eq!(
        decision.chains()[0].to_string(),
        "Sister AV 1.0.0, made by Sister (US), controlled by Top Holdings (RU), \
         which controls Banned (RU)"
    );
}
