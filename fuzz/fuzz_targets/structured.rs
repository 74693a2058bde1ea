//! A structured random inventory (built with `arbitrary`, references by index
//! so most inputs are valid, some dangle or go round in cycles), structured
//! random policies, and questions. Checks:
//!
//! - nothing panics; a rejected inventory gets an inventory error;
//! - a decision with errors is never Allow, and every rule, advice and
//!   waiver a decision names exists (`clearance_fuzz::check`);
//! - adding the generated forbids never turns a Deny into an Allow;
//! - the same inventory with every list reversed gives the same decisions;
//! - `sweep` and `matrix` (shared work, two threads) answer as `decide` does.

#![no_main]

use std::collections::BTreeSet;

use arbitrary::Arbitrary;
use clearance::{
    Action, Category, Classification, Decision, Engine, Inventory, Purpose, Query, Role, Scheme,
    Sector,
};
use clearance_fuzz::{all_packs, check, waivable};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

const COUNTRIES: &[&str] = &["RU", "GB", "US", "CN", "FR", "DE", "CH", "AU", "LT", "NL"];
const VENDOR_IDS: &[&str] = &[
    "ao-kaspersky-lab",
    "huawei",
    "zte",
    "hikvision",
    "dahua",
    "hytera",
];

fn pick<T: Copy>(items: &[T], n: u8) -> T {
    items[n as usize % items.len()]
}

fn vendor_id(n: u8) -> String {
    match VENDOR_IDS.get(n as usize) {
        Some(id) => (*id).to_owned(),
        None => format!("v{n}"),
    }
}

/// A reference: mostly to an item that exists, sometimes to one that does not.
#[derive(Arbitrary, Debug, Clone, Copy)]
struct Ref(u8);

impl Ref {
    fn resolve(self, len: usize, name: impl Fn(u8) -> String) -> String {
        if self.0 == 255 || len == 0 {
            "ghost".to_owned()
        } else {
            name((self.0 as usize % len) as u8)
        }
    }
}

#[derive(Arbitrary, Debug)]
struct VendorSpec {
    incorporated: u8,
    headquarters: u8,
    controlled_by: Option<Ref>,
}

#[derive(Arbitrary, Debug)]
struct ProductSpec {
    vendor: Ref,
    category: u8,
    privileged: bool,
}

#[derive(Arbitrary, Debug)]
struct ReleaseSpec {
    product: Ref,
    major: u16,
    minor: u8,
    components: Vec<Ref>,
    data: Vec<u8>,
    audited: bool,
}

#[derive(Arbitrary, Debug)]
struct AuthorisationSpec {
    product: Ref,
    scheme: u8,
    level: u8,
    below: Option<u16>,
    lapses: Option<u16>,
}

#[derive(Arbitrary, Debug)]
struct OrganisationSpec {
    country: u8,
    sector: u8,
    parent: Option<Ref>,
    roles: u8,
}

#[derive(Arbitrary, Debug)]
struct SystemSpec {
    owner: Ref,
    classification: u8,
    flags: u8,
    purposes: u8,
    requires: Vec<(u8, u8)>,
}

#[derive(Arbitrary, Debug)]
struct WaiverSpec {
    rules: Vec<u8>,
    products: Vec<Ref>,
    vendors: Vec<Ref>,
    systems: Vec<Ref>,
    organisations: Vec<Ref>,
    actions: u8,
    from: Option<u16>,
    length: u16,
}

#[derive(Arbitrary, Debug)]
enum Atom {
    Tier(u8),
    Country(u8),
    Role(u8),
    Sector(u8),
    Purpose(u8),
    InOrganisation(u8),
    InVendor(u8),
    CodeVendor(u8),
    ControlCountry(u8),
    DataCountry(u8),
    Category(u8),
    Major(u16),
    After(u16),
    Assurance(u8, u8),
    Waived(u8),
    Audited,
    NationalSecurity,
    Overflow,
    Ghost,
}

#[derive(Arbitrary, Debug)]
enum Cond {
    Atom(Atom),
    Not(Box<Cond>),
    And(Box<Cond>, Box<Cond>),
    Or(Box<Cond>, Box<Cond>),
}

#[derive(Arbitrary, Debug)]
struct PolicySpec {
    advice: bool,
    actions: u8,
    when: Cond,
    unless: Option<Cond>,
}

#[derive(Arbitrary, Debug)]
struct QuerySpec {
    system: u8,
    action: u8,
    release: u8,
    day: u16,
    ms: u32,
}

#[derive(Arbitrary, Debug)]
struct Input {
    vendors: Vec<VendorSpec>,
    products: Vec<ProductSpec>,
    releases: Vec<ReleaseSpec>,
    authorisations: Vec<AuthorisationSpec>,
    organisations: Vec<OrganisationSpec>,
    systems: Vec<SystemSpec>,
    waivers: Vec<WaiverSpec>,
    deployments: Vec<(Ref, Ref)>,
    policies: Vec<PolicySpec>,
    queries: Vec<QuerySpec>,
}

const RULES: &[&str] = &[
    "au-pspf-002-2025/kaspersky",
    "us-ndaa-889/agency-video-surveillance",
    "us-ndaa-889/contractor-telecom",
    "us-ndaa-1634/kaspersky",
    "fuzz/0",
    "fuzz/1",
];

/// Days after 2015-01-01, as a date.
fn date(day: u16) -> String {
    let start: clearance::Instant = "2015-01-01".parse().unwrap();
    let ms = start.unix_millis() + i64::from(day % 5000) * 86_400_000;
    clearance::Instant::from_unix_millis(ms)
        .unwrap()
        .to_string()
}

fn bits<T: Copy>(items: &[T], mask: u8) -> Vec<T> {
    items
        .iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << (i % 8)) != 0)
        .map(|(_, x)| *x)
        .collect()
}

fn assurance(scheme: u8, level: u8) -> String {
    let scheme = pick(Scheme::ALL, scheme);
    format!("{scheme}:{}", pick(scheme.levels(), level))
}

fn inventory_json(input: &Input) -> Value {
    let (nv, np, nr, no, ns) = (
        input.vendors.len(),
        input.products.len(),
        input.releases.len(),
        input.organisations.len(),
        input.systems.len(),
    );
    let product = |n: u8| format!("p{n}");
    let release = |n: u8| format!("r{n}");
    let organisation = |n: u8| format!("o{n}");
    let system = |n: u8| format!("s{n}");
    let vendors: Vec<Value> = input
        .vendors
        .iter()
        .take(12)
        .enumerate()
        .map(|(i, v)| {
            let mut out = json!({
                "id": vendor_id(i as u8), "name": format!("Vendor {i}"),
                "incorporated": pick(COUNTRIES, v.incorporated),
                "headquarters": pick(COUNTRIES, v.headquarters),
            });
            if let Some(c) = v.controlled_by {
                out["controlled_by"] = json!(c.resolve(nv.min(12), vendor_id));
            }
            out
        })
        .collect();
    let products: Vec<Value> = input
        .products
        .iter()
        .take(12)
        .enumerate()
        .map(|(i, p)| {
            json!({
                "id": product(i as u8), "name": format!("Product {i}"),
                "vendor": p.vendor.resolve(nv.min(12), vendor_id),
                "category": pick(Category::ALL, p.category).as_str(),
                "privileged": p.privileged,
            })
        })
        .collect();
    let releases: Vec<Value> = input
        .releases
        .iter()
        .take(16)
        .enumerate()
        .map(|(i, r)| {
            let components: BTreeSet<String> = r
                .components
                .iter()
                .take(4)
                .map(|c| c.resolve(nr.min(16), release))
                .collect();
            let data: BTreeSet<&str> = r.data.iter().take(3).map(|c| pick(COUNTRIES, *c)).collect();
            json!({
                "id": release(i as u8), "product": r.product.resolve(np.min(12), product),
                "version": format!("{}.{}.0", r.major, r.minor),
                "components": components, "data_countries": data, "audited": r.audited,
            })
        })
        .collect();
    let authorisations: Vec<Value> = input
        .authorisations
        .iter()
        .take(4)
        .enumerate()
        .map(|(i, a)| {
            let mut out = json!({
                "id": format!("a{i}"), "product": a.product.resolve(np.min(12), product),
                "assurance": assurance(a.scheme, a.level),
                "versions": a.below.map_or("*".to_owned(), |b| format!("<{b}")),
            });
            if let Some(l) = a.lapses {
                out["lapses"] = json!(date(l));
            }
            out
        })
        .collect();
    let organisations: Vec<Value> = input
        .organisations
        .iter()
        .take(8)
        .enumerate()
        .map(|(i, o)| {
            let roles: Vec<&str> = bits(Role::ALL, o.roles)
                .iter()
                .map(|r| r.as_str())
                .collect();
            let mut out = json!({
                "id": organisation(i as u8), "name": format!("Organisation {i}"),
                "country": pick(COUNTRIES, o.country),
                "sector": pick(Sector::ALL, o.sector).as_str(), "roles": roles,
            });
            if let Some(p) = o.parent {
                out["parent"] = json!(p.resolve(no.min(8), organisation));
            }
            out
        })
        .collect();
    let systems: Vec<Value> = input
        .systems
        .iter()
        .take(8)
        .enumerate()
        .map(|(i, s)| {
            let classification = pick(Classification::ALL, s.classification);
            let purposes: Vec<&str> = bits(Purpose::ALL, s.purposes)
                .iter()
                .map(|p| p.as_str())
                .collect();
            let requires: BTreeSet<String> = s
                .requires
                .iter()
                .take(2)
                .map(|(a, b)| assurance(*a, *b))
                .collect();
            json!({
                "id": system(i as u8), "name": format!("System {i}"),
                "owner": s.owner.resolve(no.min(8), organisation),
                "classification": classification.as_str(),
                // Mostly only where it is allowed; sometimes anywhere.
                "official_sensitive": s.flags & 1 != 0
                    && (classification == Classification::Official || s.flags & 8 != 0),
                "national_security": s.flags & 2 != 0,
                "critical": s.flags & 4 != 0,
                // Now and then somewhere other than its owner's country.
                "location": match s.flags & 0x30 {
                    0x10 => Some("US"),
                    0x20 => Some("DE"),
                    _ => None,
                },
                "purposes": purposes, "requires": requires,
            })
        })
        .collect();
    let waivers: Vec<Value> = input
        .waivers
        .iter()
        .take(4)
        .enumerate()
        .map(|(i, w)| {
            let refs =
                |list: &[Ref], len: usize, name: &dyn Fn(u8) -> String| -> BTreeSet<String> {
                    list.iter().take(3).map(|r| r.resolve(len, name)).collect()
                };
            let rules: BTreeSet<&str> = w.rules.iter().take(3).map(|r| pick(RULES, *r)).collect();
            let actions: Vec<&str> = bits(Action::ALL, w.actions)
                .iter()
                .map(|a| a.as_str())
                .collect();
            let start = w.from.unwrap_or(1500);
            let mut out = json!({
                "id": format!("w{i}"), "rules": rules,
                "products": refs(&w.products, np.min(12), &product),
                "vendors": refs(&w.vendors, nv.min(12), &vendor_id),
                "systems": refs(&w.systems, ns.min(8), &system),
                "organisations": refs(&w.organisations, no.min(8), &organisation),
                "actions": actions, "granted_by": "fuzz",
                "until": date(start.saturating_add(w.length % 2000)),
            });
            if let Some(f) = w.from {
                out["from"] = json!(date(f));
            }
            out
        })
        .collect();
    let deployments: Vec<Value> = input
        .deployments
        .iter()
        .take(12)
        .map(|(s, r)| json!({"system": s.resolve(ns.min(8), system), "release": r.resolve(nr.min(16), release)}))
        .collect();
    json!({
        // The ids name the real companies, modelled here, not the registry's.
        "registry": false,
        "vendors": vendors, "products": products, "releases": releases,
        "authorisations": authorisations, "organisations": organisations,
        "systems": systems, "waivers": waivers, "deployments": deployments,
    })
}

fn atom(a: &Atom) -> String {
    match a {
        Atom::Tier(n) => format!("principal.tier >= {}", n % 5),
        Atom::Country(c) => format!("principal.country == \"{}\"", pick(COUNTRIES, *c)),
        Atom::Role(r) => format!("principal.roles.contains(\"{}\")", pick(Role::ALL, *r)),
        Atom::Sector(s) => format!("principal.owner.sector == \"{}\"", pick(Sector::ALL, *s)),
        Atom::Purpose(p) => format!(
            "principal.purposes.contains(\"{}\")",
            pick(Purpose::ALL, *p)
        ),
        Atom::InOrganisation(o) => format!("principal in Organisation::\"o{}\"", o % 8),
        Atom::InVendor(v) => format!("resource in Vendor::\"{}\"", vendor_id(v % 8)),
        Atom::CodeVendor(v) => format!(
            "resource.codeVendors.contains(Vendor::\"{}\")",
            vendor_id(v % 8)
        ),
        Atom::ControlCountry(c) => format!(
            "resource.controlCountries.contains(\"{}\")",
            pick(COUNTRIES, *c)
        ),
        Atom::DataCountry(c) => format!(
            "resource.dataCountries.contains(\"{}\")",
            pick(COUNTRIES, *c)
        ),
        Atom::Category(c) => format!(
            "resource.product.category == \"{}\"",
            pick(Category::ALL, *c)
        ),
        Atom::Major(n) => format!("resource.major >= {n}"),
        Atom::After(d) => format!("context.now >= datetime(\"{}\")", date(*d)),
        Atom::Assurance(s, l) => format!("context.assurance.contains(\"{}\")", assurance(*s, *l)),
        Atom::Waived(r) => format!("context.waivers.contains(\"{}\")", pick(RULES, *r)),
        Atom::Audited => "resource.audited".to_owned(),
        Atom::NationalSecurity => "principal.nationalSecurity".to_owned(),
        Atom::Overflow => "resource.major * 9223372036854775807 > 0".to_owned(),
        Atom::Ghost => "Vendor::\"ghost\".name == \"x\"".to_owned(),
    }
}

fn cond(c: &Cond, depth: usize) -> String {
    if depth > 5 {
        return "principal.critical".to_owned();
    }
    match c {
        Cond::Atom(a) => atom(a),
        Cond::Not(x) => format!("!({})", cond(x, depth + 1)),
        Cond::And(x, y) => format!("({} && {})", cond(x, depth + 1), cond(y, depth + 1)),
        Cond::Or(x, y) => format!("({} || {})", cond(x, depth + 1), cond(y, depth + 1)),
    }
}

fn policy_text(n: usize, p: &PolicySpec) -> String {
    let actions: Vec<String> = bits(Action::ALL, p.actions)
        .iter()
        .map(|a| format!("Action::\"{a}\""))
        .collect();
    let scope = if actions.is_empty() {
        "action".to_owned()
    } else {
        format!("action in [{}]", actions.join(", "))
    };
    let unless = p
        .unless
        .as_ref()
        .map(|u| format!(" unless {{ {} }}", cond(u, 0)))
        .unwrap_or_default();
    format!(
        "@id(\"fuzz/{n}\")\n@reason(\"generated\")\n{}forbid (principal, {scope}, resource)\nwhen {{ {} }}{unless};\n",
        if p.advice { "@advice\n" } else { "" },
        cond(&p.when, 0)
    )
}

fn reversed(inventory: &Inventory) -> Inventory {
    let mut out = inventory.clone();
    out.vendors.reverse();
    out.products.reverse();
    out.releases.reverse();
    out.authorisations.reverse();
    out.organisations.reverse();
    out.systems.reverse();
    out.waivers.reverse();
    out.deployments.reverse();
    out
}

type Seen = (
    bool,
    Vec<String>,
    Vec<String>,
    BTreeSet<String>,
    BTreeSet<String>,
);

fn seen(d: &Decision) -> Seen {
    (
        d.allowed(),
        d.rule_ids().iter().map(|s| s.to_string()).collect(),
        d.advice_ids().iter().map(|s| s.to_string()).collect(),
        d.waivers().iter().map(|s| s.to_string()).collect(),
        d.errors().iter().cloned().collect(),
    )
}

fuzz_target!(|input: Input| {
    let json = inventory_json(&input);
    let text = serde_json::to_vec(&json).expect("serialises");
    let inventory = match Inventory::from_json_slice(&text) {
        Ok(inventory) => inventory,
        Err(e) => {
            assert!(e.kind().is_inventory(), "{:?}: {e}", e.kind());
            return;
        }
    };
    if inventory.systems.is_empty() || inventory.releases.is_empty() {
        return;
    }

    let mut with_extra = all_packs();
    for (n, p) in input.policies.iter().take(3).enumerate() {
        let text = policy_text(n, p);
        with_extra
            .add_text(&format!("fuzz-{n}.cedar"), &text)
            .unwrap_or_else(|e| panic!("a generated policy was rejected: {e}\n{text}"));
    }

    // Waivers naming keys no policy tests are refused; keep those the packs take.
    let inventory = waivable(&inventory, &all_packs());
    let base =
        Engine::new(inventory.clone(), all_packs()).expect("a valid inventory builds an engine");
    let mut more =
        Engine::new(inventory.clone(), with_extra).expect("a valid inventory builds an engine");
    let flipped = Engine::new(reversed(&inventory), all_packs()).expect("reordered, still valid");

    for q in input.queries.iter().take(8) {
        let system = &inventory.systems[q.system as usize % inventory.systems.len()].id;
        let release = &inventory.releases[q.release as usize % inventory.releases.len()].id;
        let start: clearance::Instant = "2015-01-01".parse().unwrap();
        let ms = start.unix_millis()
            + i64::from(q.day % 5000) * 86_400_000
            + i64::from(q.ms % 86_400_000);
        let at = clearance::Instant::from_unix_millis(ms).unwrap();
        let query = Query::new(
            system.as_str(),
            Action::ALL[q.action as usize % 4],
            release.as_str(),
        )
        .at(at);

        let before = base.decide(&query).expect("asks about the inventory");
        let after = more.decide(&query).expect("asks about the inventory");
        let other = flipped.decide(&query).expect("asks about the inventory");
        check(&base, &before);
        check(&more, &after);
        check(&flipped, &other);
        assert!(
            !after.allowed() || before.allowed(),
            "a forbid turned Deny into Allow:\n{before}\n{after}"
        );
        assert_eq!(seen(&before), seen(&other), "order changed the decision");
    }
    // Bulk answers (shared work, several threads) are the answers one by one.
    // Threads only change how sweep and matrix are computed.
    more.set_threads(2);
    let bulk = &more;
    let at: clearance::Instant = "2020-08-13".parse().unwrap();
    for (deployment, decision) in bulk.sweep(at) {
        check(bulk, &decision);
        let single = more
            .decide(
                &deployment.query(at),
            )
            .expect("a deployment is in the inventory");
        assert_eq!(seen(&decision), seen(&single), "sweep differs from decide");
    }
    // The whole matrix is costly; check it for about one input in four
    // (decided by the input, so a failure reproduces).
    let sampled = input.queries.first().is_some_and(|q| q.ms % 4 == 0);
    if sampled && inventory.systems.len() * inventory.releases.len() <= 32 {
        let action = input
            .queries
            .first()
            .map_or(Action::Deploy, |q| Action::ALL[q.action as usize % 4]);
        let matrix = bulk.matrix(action, at);
        for system in &inventory.systems {
            for release in &inventory.releases {
                let cell = matrix
                    .get(release.id.as_str(), system.id.as_str())
                    .expect("a cell per pair");
                let single = more
                    .decide(&Query::new(system.id.as_str(), action, release.id.as_str()).at(at))
                    .expect("asks about the inventory");
                assert_eq!(seen(&cell), seen(&single), "matrix differs from decide");
            }
        }
    }
});
