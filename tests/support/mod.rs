//! Shared generators and oracles for the property tests (and a model for the
//! fuzz crate's structured target, which builds inventories the same way).
//!
//! Inventories are generated *valid by construction*: ids are unique per kind
//! (`v0`, `p3`, ... or a shuffled pool of real vendor ids), every reference
//! points at an item generated earlier in the same list, so control chains,
//! organisation trees and component embedding are acyclic (embedding is a
//! DAG, with shared components), and waivers always have a scope.

#![allow(dead_code)]

use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

use clearance::{
    Action, Assurance, Authorisation, Basis, Blocking, Category, Classification, ContractClause,
    Country, CountryGroup, Decision, Deployment, Device, DeviceOwner, Engine, Form, Id, Instant,
    Inventory, KnownProduct, Organisation, Party, PartyKind, Policies, Product, Purpose, Release,
    Role, Scheme, Sector, Share, Stake, System, Vendor, Waiver, WaiverKind,
};
use proptest::collection::{btree_set, vec};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::Config;

/// Countries the generators favour: the ones the shipped packs talk about.
pub const COUNTRIES: &[&str] = &[
    "RU", "GB", "US", "CN", "FR", "DE", "CH", "NO", "AU", "LT", "NL", "HK", "IE", "CA", "NZ", "TW",
    "CZ", "KR", "IT", "BE",
];

/// Vendor ids the generated inventories draw from, so the shipped packs'
/// `Vendor::"..."` literals match something.
pub const VENDOR_POOL: &[&str] = &[
    "ao-kaspersky-lab",
    "huawei",
    "zte",
    "hikvision",
    "dahua",
    "hytera",
    "bytedance-ltd",
    "hangzhou-deepseek",
    "acme",
    "globex",
];

/// Rule ids waivers name: shipped rules that accept waivers, shipped rules that
/// do not, the test policies' own, and one that exists nowhere.
pub const WAIVABLE_RULES: &[&str] = &[
    "au-pspf-002-2025/kaspersky",
    "us-ndaa-889/agency-telecom",
    "us-ndaa-889/agency-video-surveillance",
    "us-ndaa-889/contractor-telecom",
    "us-ndaa-889/contractor-video-surveillance",
    "us-ndaa-1634/kaspersky",
    "test/ban",
    "test/ban-b",
    "no-such/rule",
];

pub fn id_of(text: impl Into<String>) -> Id {
    Id::try_from(text.into()).expect("generated ids are valid")
}

pub fn at(text: &str) -> Instant {
    text.parse().expect("a valid instant")
}

/// Every shipped pack, parsed and validated once per test binary.
/// Proptest's configuration: `cases` cases unless `PROPTEST_CASES` says
/// otherwise, with shrinking kept short (it re-runs the engine many times).
pub fn config(cases: u32) -> Config {
    Config {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(cases),
        max_shrink_iters: 256,
        ..Config::default()
    }
}

/// `policies` with each of `texts` added, as `generated-N.cedar`.
pub fn with_text(mut policies: Policies, texts: &[String]) -> Policies {
    for (n, text) in texts.iter().enumerate() {
        policies
            .add_text(&format!("generated-{n}.cedar"), text)
            .unwrap_or_else(|e| panic!("generated policy rejected: {e}\n{text}"));
    }
    policies
}

/// What a decision answers, as timelines and impacts compare answers: the
/// verdict, deciding rules, advice, waivers used and errors (not the chains,
/// which are drawn at the instant asked).
pub type Answer = (
    clearance::Verdict,
    Vec<String>,
    Vec<String>,
    Vec<String>,
    Vec<String>,
);

pub fn answer(d: &Decision) -> Answer {
    (
        d.verdict(),
        d.rule_ids().into_iter().map(str::to_owned).collect(),
        d.advice_ids().into_iter().map(str::to_owned).collect(),
        d.waivers().iter().map(|w| w.to_string()).collect(),
        d.errors().to_vec(),
    )
}

pub fn all_packs() -> Policies {
    static PACKS: OnceLock<Policies> = OnceLock::new();
    PACKS
        .get_or_init(|| Policies::all_packs().expect("the shipped packs load"))
        .clone()
}

// ---------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------

/// Any valid id: 1 to 128 of `[A-Za-z0-9._:-]`.
pub fn any_id() -> impl Strategy<Value = Id> {
    "[A-Za-z0-9._:-]{1,128}".prop_map(id_of)
}

/// Any assigned country code, favouring the ones rules mention.
pub fn any_country() -> impl Strategy<Value = Country> {
    prop_oneof![
        3 => select(COUNTRIES).prop_map(|c| c.parse::<Country>().unwrap()),
        1 => "[A-Z]{2}".prop_filter_map("unassigned code", |c| c.parse::<Country>().ok()),
    ]
}

/// A display name: not blank, any printable text (quotes, unicode, ...).
pub fn any_name() -> impl Strategy<Value = String> {
    "[A-Za-z0-9\"'\\\\é漢][^\\p{C}]{0,24}"
}

/// Any instant clearance represents, to the millisecond.
pub fn any_instant() -> impl Strategy<Value = Instant> {
    (Instant::MIN.unix_millis()..=Instant::MAX.unix_millis())
        .prop_map(|ms| Instant::from_unix_millis(ms).unwrap())
}

const DAY_MS: i64 = 86_400_000;

/// Midnight UTC of 2015-01-01 plus `days`.
pub fn day(days: i64) -> Instant {
    Instant::from_unix_millis(at("2015-01-01").unix_millis() + days * DAY_MS).unwrap()
}

/// An instant between 2015 and 2028 (where the rules' dates are), sometimes
/// at midnight, sometimes a millisecond either side of it.
pub fn recent_instant() -> impl Strategy<Value = Instant> {
    (
        0i64..(13 * 366),
        prop_oneof![Just(0i64), Just(-1), Just(1), 0..DAY_MS],
    )
        .prop_map(|(days, ms)| {
            Instant::from_unix_millis(at("2015-01-01").unix_millis() + days * DAY_MS + ms).unwrap()
        })
}

pub fn any_assurance() -> impl Strategy<Value = Assurance> {
    select(Scheme::ALL).prop_flat_map(|scheme| {
        select(scheme.levels()).prop_map(move |level| {
            format!("{scheme}:{level}")
                .parse::<Assurance>()
                .expect("a level of its scheme")
        })
    })
}

pub fn any_version() -> impl Strategy<Value = semver::Version> {
    (
        prop_oneof![0u64..30, 2015u64..2030, Just(i64::MAX as u64)],
        0u64..20,
        0u64..20,
        prop::option::weighted(0.15, "(alpha|beta|rc)(\\.[1-9][0-9]?)?"),
        prop::option::weighted(0.1, "[0-9a-z]{1,6}"),
    )
        .prop_map(|(major, minor, patch, pre, build)| {
            let mut v = semver::Version::new(major, minor, patch);
            if let Some(pre) = pre {
                v.pre = semver::Prerelease::new(&pre).unwrap();
            }
            if let Some(build) = build {
                v.build = semver::BuildMetadata::new(&build).unwrap();
            }
            v
        })
}

const VERSION_REQS: &[&str] = &[
    "*",
    ">=1.0.0",
    "<2",
    "=1.2.3",
    ">=0.5, <3",
    "^1",
    "~2.1",
    ">=2018.0.0",
];

pub fn any_version_req() -> impl Strategy<Value = semver::VersionReq> {
    select(VERSION_REQS).prop_map(|r| r.parse().unwrap())
}

// ---------------------------------------------------------------------------
// Model types, alone (for round trips)
// ---------------------------------------------------------------------------

pub fn any_share() -> impl Strategy<Value = Share> {
    (0u32..=10_000).prop_map(|points| Share::from_basis_points(points).unwrap())
}

pub fn any_stake() -> impl Strategy<Value = Stake> {
    (
        any_id(),
        prop::option::of(any_share()),
        any::<bool>(),
        (
            prop::option::of(any_instant()),
            prop::option::of(any_instant()),
        ),
        prop::option::of(any_name()),
        prop::option::of(select(Basis::ALL)),
    )
        .prop_map(
            |(owner, share, controls, (from, until), source, basis)| Stake {
                owner,
                share,
                controls,
                from,
                until,
                source,
                basis,
            },
        )
}

pub fn any_blocking() -> impl Strategy<Value = Blocking> {
    (
        any_name(),
        prop::option::of(any_instant()),
        prop::option::of(any_instant()),
        prop::option::of(any_name()),
    )
        .prop_map(|(by, from, until, source)| Blocking {
            by,
            from,
            until,
            source,
        })
}

pub fn any_vendor() -> impl Strategy<Value = Vendor> {
    (
        any_id(),
        any_name(),
        any_country(),
        any_country(),
        prop::option::of(any_id()),
        vec(any_stake(), 0..3),
        prop::option::of(any_blocking()),
    )
        .prop_map(
            |(id, name, incorporated, headquarters, controlled_by, owners, blocked)| Vendor {
                id,
                name,
                incorporated,
                headquarters,
                controlled_by,
                owners,
                blocked,
                listed: Vec::new(),
                conditional_approvals: Vec::new(),
            },
        )
}

pub fn any_party() -> impl Strategy<Value = Party> {
    (
        (any_id(), any_name(), select(PartyKind::ALL)),
        prop::option::of(any_country()),
        prop::option::of(any_id()),
        vec(any_stake(), 0..3),
        prop::option::of(any_blocking()),
    )
        .prop_map(
            |((id, name, kind), country, controlled_by, owners, blocked)| Party {
                id,
                name,
                kind,
                country,
                controlled_by,
                owners,
                blocked,
            },
        )
}

pub fn any_product() -> impl Strategy<Value = Product> {
    (
        any_id(),
        any_name(),
        any_id(),
        select(Category::ALL),
        (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()),
        prop::option::of(select(KnownProduct::ALL)),
    )
        .prop_map(
            |(
                id,
                name,
                vendor,
                category,
                (privileged, cloud_connected, user_data_access, interconnection),
                known_as,
            )| {
                Product {
                    id,
                    name,
                    vendor,
                    category,
                    privileged,
                    cloud_connected,
                    user_data_access,
                    third_party_interconnection: interconnection,
                    known_as,
                    equipment: None,
                }
            },
        )
}

pub fn any_release() -> impl Strategy<Value = Release> {
    (
        any_id(),
        any_id(),
        any_version(),
        prop::option::of(any_name()),
        btree_set(any_country(), 0..4),
        btree_set(any_id(), 0..4),
        (
            any::<bool>(),
            btree_set(any_country(), 0..3),
            prop::option::of(select(Form::ALL)),
        ),
    )
        .prop_map(
            |(
                id,
                product,
                version,
                name,
                data_countries,
                components,
                (audited, service_countries, form),
            )| {
                let nonessential_components = components.iter().take(1).cloned().collect();
                Release {
                    id,
                    product,
                    version,
                    name,
                    data_countries,
                    components,
                    nonessential_components,
                    service_countries,
                    audited,
                    unattributed_components: BTreeSet::new(),
                    form,
                    production: None,
                }
            },
        )
}

pub fn any_authorisation() -> impl Strategy<Value = Authorisation> {
    (
        any_id(),
        any_id(),
        any_assurance(),
        any_version_req(),
        prop::option::of(any_instant()),
    )
        .prop_map(|(id, product, assurance, versions, lapses)| Authorisation {
            id,
            product,
            assurance,
            versions,
            lapses,
        })
}

pub fn any_organisation() -> impl Strategy<Value = Organisation> {
    (
        any_id(),
        any_name(),
        any_country(),
        select(Sector::ALL),
        prop::option::of(any_id()),
        btree_set(select(Role::ALL), 0..4),
    )
        .prop_map(|(id, name, country, sector, parent, roles)| Organisation {
            id,
            name,
            country,
            sector,
            parent,
            roles,
        })
}

pub fn any_system() -> impl Strategy<Value = System> {
    (
        (any_id(), any_name(), any_id(), select(Classification::ALL)),
        (any::<bool>(), any::<bool>(), any::<bool>()),
        (any::<bool>(), any::<bool>(), any::<bool>()),
        btree_set(select(Purpose::ALL), 0..4),
        btree_set(any_assurance(), 0..3),
        (
            prop::option::of(any_country()),
            prop::option::of(any_id()),
            any::<bool>(),
        ),
        (
            prop::option::of(select(Device::ALL)),
            select(DeviceOwner::ALL),
            btree_set(select(ContractClause::ALL), 0..2),
        ),
    )
        .prop_map(
            |(
                (id, name, owner, classification),
                (official_sensitive, national_security, critical),
                (national_security_system, sensitive_site, core_network),
                purposes,
                requires,
                (location, operated_for, dod_ic_mission_critical),
                (device, device_owner, contract_clauses),
            )| System {
                id,
                name,
                owner,
                location,
                operated_for,
                dod_ic_mission_critical,
                classification,
                official_sensitive,
                national_security,
                national_security_system,
                sensitive_site,
                core_network,
                critical,
                purposes,
                requires,
                device,
                device_owner,
                contract_clauses,
            },
        )
}

pub fn any_waiver() -> impl Strategy<Value = Waiver> {
    (
        (any_id(), btree_set("[a-z0-9/-]{1,30}", 0..3)),
        (
            btree_set(any_id(), 0..3),
            btree_set(any_id(), 0..3),
            btree_set(any_id(), 0..3),
            btree_set(any_id(), 0..3),
        ),
        btree_set(select(Action::ALL), 0..5),
        any_name(),
        prop::option::of(any_instant()),
        any_instant(),
        select(WaiverKind::ALL),
    )
        .prop_map(
            |(
                (id, rules),
                (products, vendors, systems, organisations),
                actions,
                granted_by,
                from,
                until,
                kind,
            )| Waiver {
                id,
                rules,
                products,
                vendors,
                systems,
                organisations,
                actions,
                granted_by,
                from,
                until,
                kind,
                source: None,
            },
        )
}

pub fn any_country_group() -> impl Strategy<Value = CountryGroup> {
    (any_id(), any_name(), btree_set(any_country(), 0..5)).prop_map(|(id, name, countries)| {
        CountryGroup {
            id,
            name,
            countries,
        }
    })
}

pub fn any_deployment() -> impl Strategy<Value = Deployment> {
    (any_id(), any_id()).prop_map(|(system, release)| Deployment { system, release })
}

// ---------------------------------------------------------------------------
// Valid inventories
// ---------------------------------------------------------------------------

/// How big a generated inventory may get.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub vendors: usize,
    pub products: usize,
    pub releases: usize,
    pub organisations: usize,
    pub systems: usize,
    pub waivers: usize,
    pub authorisations: usize,
    pub deployments: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            vendors: 6,
            products: 6,
            releases: 8,
            organisations: 5,
            systems: 5,
            waivers: 3,
            authorisations: 3,
            deployments: 8,
        }
    }
}

/// An index strictly below `i`, or none (always none for the first item).
fn earlier(i: usize) -> BoxedStrategy<Option<usize>> {
    if i == 0 {
        Just(None).boxed()
    } else {
        prop::option::of(0..i).boxed()
    }
}

/// A vendor controlled by an earlier one (or none), with up to two more
/// stakes held by earlier vendors: at most 50% each, some controlling, some
/// for a period, so that groups, majorities and epochs all occur.
fn vendor_at(i: usize, ids: Vec<String>) -> impl Strategy<Value = Vendor> {
    let stakes = if i == 0 {
        Just(Vec::new()).boxed()
    } else {
        vec(
            (
                0..i,
                prop::option::of(0u32..=5_000),
                any::<bool>(),
                prop::option::of((0i64..(12 * 366), 1i64..(6 * 366))),
            ),
            0..3,
        )
        .boxed()
    };
    (any_name(), any_country(), any_country(), earlier(i), stakes).prop_map(
        move |(name, incorporated, headquarters, parent, stakes)| {
            let mut owners: Vec<Stake> = Vec::new();
            for (owner, share, controls, period) in stakes {
                let owner = id_of(ids[owner].clone());
                // One stake per owner, and none beside `controlled_by`.
                if owners.iter().any(|s| s.owner == owner)
                    || parent.is_some_and(|p| ids[p] == owner.as_str())
                {
                    continue;
                }
                owners.push(Stake {
                    owner,
                    share: share.and_then(Share::from_basis_points),
                    controls,
                    from: period.map(|(from, _)| day(from)),
                    until: period.map(|(from, length)| day(from + length)),
                    source: None,
                    basis: None,
                });
            }
            Vendor {
                id: id_of(ids[i].clone()),
                name,
                incorporated,
                headquarters,
                controlled_by: parent.map(|p| id_of(ids[p].clone())),
                owners,
                blocked: None,
                listed: Vec::new(),
                conditional_approvals: Vec::new(),
            }
        },
    )
}

fn release_at(k: usize, products: usize) -> impl Strategy<Value = Release> {
    let components = if k == 0 {
        Just(BTreeSet::new()).boxed()
    } else {
        btree_set(0..k, 0..3).boxed()
    };
    (
        0..products,
        any_version(),
        prop::option::of(any_name()),
        btree_set(select(COUNTRIES), 0..3),
        components,
        (
            any::<bool>(),
            any::<bool>(),
            btree_set(
                select(&["pkg:npm/left-pad@1.3.0", "unknown-lib 2.1", "blob"][..]),
                0..2,
            ),
            prop::option::of(select(Form::ALL)),
        ),
    )
        .prop_map(
            move |(
                product,
                version,
                name,
                data,
                components,
                (audited, first_nonessential, unattributed, form),
            )| {
                let components: BTreeSet<Id> = components
                    .into_iter()
                    .map(|c| id_of(format!("r{c}")))
                    .collect();
                let nonessential_components = if first_nonessential {
                    components.iter().take(1).cloned().collect()
                } else {
                    BTreeSet::new()
                };
                Release {
                    id: id_of(format!("r{k}")),
                    product: id_of(format!("p{product}")),
                    version,
                    name,
                    data_countries: data.iter().map(|c| c.parse().unwrap()).collect(),
                    service_countries: BTreeSet::new(),
                    components,
                    nonessential_components,
                    audited,
                    unattributed_components: unattributed.into_iter().map(str::to_owned).collect(),
                    form,
                    production: None,
                }
            },
        )
}

const ORGANISATION_COUNTRIES: &[&str] = &["GB", "US", "AU", "DE", "LT", "NL", "FR"];

fn organisation_at(i: usize) -> impl Strategy<Value = Organisation> {
    (
        any_name(),
        select(ORGANISATION_COUNTRIES),
        select(Sector::ALL),
        earlier(i),
        btree_set(select(Role::ALL), 0..3),
    )
        .prop_map(move |(name, country, sector, parent, roles)| Organisation {
            id: id_of(format!("o{i}")),
            name,
            country: country.parse().unwrap(),
            sector,
            parent: parent.map(|p| id_of(format!("o{p}"))),
            roles,
        })
}

fn system_at(i: usize, organisations: usize) -> impl Strategy<Value = System> {
    (
        any_name(),
        0..organisations,
        select(Classification::ALL),
        (any::<bool>(), any::<bool>(), any::<bool>()),
        btree_set(select(Purpose::ALL), 0..3),
        prop::collection::btree_set(any_assurance(), 0..2),
        (
            prop::option::of(select(COUNTRIES)),
            prop::option::of(0..organisations),
        ),
        (
            prop::option::of(select(Device::ALL)),
            select(DeviceOwner::ALL),
            btree_set(select(ContractClause::ALL), 0..2),
        ),
    )
        .prop_map(
            move |(
                name,
                owner,
                classification,
                (sensitive, national_security, critical),
                purposes,
                requires,
                (location, operated_for),
                (device, device_owner, contract_clauses),
            )| {
                System {
                    id: id_of(format!("s{i}")),
                    name,
                    owner: id_of(format!("o{owner}")),
                    location: location.map(|c| c.parse().unwrap()),
                    operated_for: operated_for.map(|o| id_of(format!("o{o}"))),
                    dod_ic_mission_critical: national_security_is_dod_ic(
                        national_security,
                        sensitive,
                        critical,
                    ),
                    classification,
                    official_sensitive: sensitive && classification == Classification::Official,
                    national_security,
                    // Every flag a pack reads, from the bits already drawn.
                    national_security_system: national_security && critical,
                    sensitive_site: sensitive && critical,
                    core_network: sensitive && !critical,
                    critical,
                    purposes,
                    requires,
                    device,
                    device_owner,
                    contract_clauses,
                }
            },
        )
}

/// A DoD or intelligence-community mission system, from the bits already
/// drawn, so that BOD 17-01's exclusion is met now and then.
fn national_security_is_dod_ic(national_security: bool, sensitive: bool, critical: bool) -> bool {
    national_security && sensitive && !critical
}

fn waiver_at(
    i: usize,
    vendor_ids: Vec<String>,
    products: usize,
    organisations: usize,
    systems: usize,
) -> impl Strategy<Value = Waiver> {
    let vendors = vendor_ids.len();
    (
        btree_set(select(WAIVABLE_RULES), 1..3),
        (
            btree_set(0..products, 0..2),
            btree_set(0..vendors, 0..2),
            btree_set(0..systems, 0..2),
            btree_set(0..organisations, 0..2),
        ),
        btree_set(select(Action::ALL), 1..4),
        any_name(),
        prop::option::of(0i64..(13 * 366)),
        1i64..(6 * 366),
    )
        .prop_map(
            move |(rules, (mut p, v, mut s, o), actions, granted_by, from, length)| {
                if p.is_empty() && v.is_empty() {
                    p.insert(0);
                }
                if s.is_empty() && o.is_empty() {
                    s.insert(0);
                }
                let start = from.unwrap_or(4 * 366);
                Waiver {
                    id: id_of(format!("w{i}")),
                    rules: rules.into_iter().map(str::to_owned).collect(),
                    products: p.into_iter().map(|p| id_of(format!("p{p}"))).collect(),
                    vendors: v
                        .into_iter()
                        .map(|v| id_of(vendor_ids[v].clone()))
                        .collect(),
                    systems: s.into_iter().map(|s| id_of(format!("s{s}"))).collect(),
                    organisations: o.into_iter().map(|o| id_of(format!("o{o}"))).collect(),
                    actions,
                    granted_by,
                    from: from.map(day),
                    until: day(start + length),
                    kind: WaiverKind::Exception,
                    source: None,
                }
            },
        )
}

/// A valid inventory of at most `limits` items per kind.
pub fn inventory_within(limits: Limits) -> impl Strategy<Value = Inventory> {
    (
        1..=limits.vendors,
        1..=limits.products,
        1..=limits.releases,
        1..=limits.organisations,
        1..=limits.systems,
        Just(VENDOR_POOL.to_vec()).prop_shuffle(),
    )
        .prop_flat_map(move |(nv, np, nr, no, ns, pool)| {
            let vendor_ids: Vec<String> = (0..nv)
                .map(|i| match pool.get(i) {
                    Some(id) => (*id).to_owned(),
                    None => format!("v{i}"),
                })
                .collect();
            let vendors: Vec<_> = (0..nv).map(|i| vendor_at(i, vendor_ids.clone())).collect();
            let products: Vec<_> = (0..np)
                .map(|j| {
                    (
                        any_name(),
                        select(vendor_ids.clone()),
                        select(Category::ALL),
                        any::<bool>(),
                        any::<bool>(),
                        prop::option::of(select(KnownProduct::ALL)),
                    )
                        .prop_map(
                            move |(name, vendor, category, privileged, cloud, known_as)| Product {
                                id: id_of(format!("p{j}")),
                                name,
                                vendor: id_of(vendor),
                                category,
                                privileged,
                                cloud_connected: cloud,
                                user_data_access: !privileged || cloud,
                                third_party_interconnection: privileged && !cloud,
                                known_as,
                                equipment: None,
                            },
                        )
                })
                .collect();
            let releases: Vec<_> = (0..nr).map(|k| release_at(k, np)).collect();
            let authorisations = vec(
                (
                    0..np,
                    any_assurance(),
                    any_version_req(),
                    prop::option::of(recent_instant()),
                ),
                0..=limits.authorisations,
            )
            .prop_map(|auths| {
                auths
                    .into_iter()
                    .enumerate()
                    .map(
                        |(n, (product, assurance, versions, lapses))| Authorisation {
                            id: id_of(format!("a{n}")),
                            product: id_of(format!("p{product}")),
                            assurance,
                            versions,
                            lapses,
                        },
                    )
                    .collect::<Vec<_>>()
            });
            let organisations: Vec<_> = (0..no).map(organisation_at).collect();
            let systems: Vec<_> = (0..ns).map(|i| system_at(i, no)).collect();
            let waivers = (0..=limits.waivers).prop_flat_map({
                let vendor_ids = vendor_ids.clone();
                move |nw| {
                    (0..nw)
                        .map(|i| waiver_at(i, vendor_ids.clone(), np, no, ns))
                        .collect::<Vec<_>>()
                }
            });
            let deployments = btree_set((0..ns, 0..nr), 0..=limits.deployments).prop_map(|ds| {
                ds.into_iter()
                    .map(|(s, r)| Deployment {
                        system: id_of(format!("s{s}")),
                        release: id_of(format!("r{r}")),
                    })
                    .collect::<Vec<_>>()
            });
            let groups =
                vec((any_name(), btree_set(select(COUNTRIES), 1..4)), 0..=2).prop_map(|gs| {
                    gs.into_iter()
                        .enumerate()
                        .map(|(n, (name, cs))| CountryGroup {
                            id: id_of(format!("g{n}")),
                            name,
                            countries: cs.iter().map(|c| c.parse().unwrap()).collect(),
                        })
                        .collect::<Vec<_>>()
                });
            (
                (vendors, products, releases, authorisations),
                (organisations, systems, waivers, deployments, groups),
            )
                .prop_map(
                    |(
                        (vendors, products, releases, authorisations),
                        (organisations, systems, waivers, deployments, country_groups),
                    )| Inventory {
                        // The pool names real companies; these inventories
                        // model them themselves.
                        registry: false,
                        country_groups,
                        vendors,
                        parties: Vec::new(),
                        products,
                        releases,
                        authorisations,
                        organisations,
                        systems,
                        waivers,
                        deployments,
                    },
                )
        })
}

/// The inventory with its waivers naming only keys the policies test (a
/// waiver naming another is an error when an engine is built); waivers left
/// naming nothing are dropped.
pub fn waivable(inventory: &Inventory, policies: &Policies) -> Inventory {
    let keys = policies.waiver_keys();
    let mut inventory = inventory.clone();
    for waiver in &mut inventory.waivers {
        waiver.rules.retain(|key| keys.contains(key.as_str()));
    }
    inventory.waivers.retain(|w| !w.rules.is_empty());
    inventory
}

/// A valid inventory of the default size.
pub fn inventory() -> impl Strategy<Value = Inventory> {
    inventory_within(Limits::default())
}

/// A question about a generated inventory, as indices and values.
#[derive(Debug, Clone)]
pub struct Ask {
    pub system: usize,
    pub action: Action,
    pub release: usize,
    pub at: Instant,
}

impl Ask {
    pub fn query(&self, inventory: &Inventory) -> clearance::Query {
        clearance::Query::new(
            inventory.systems[self.system].id.as_str(),
            self.action,
            inventory.releases[self.release].id.as_str(),
        )
        .at(self.at)
    }
}

/// A valid inventory and up to `n` questions about it.
pub fn inventory_and_asks(n: usize) -> impl Strategy<Value = (Inventory, Vec<Ask>)> {
    inventory().prop_flat_map(move |inv| {
        let (ns, nr) = (inv.systems.len(), inv.releases.len());
        let asks = vec(
            (0..ns, select(Action::ALL), 0..nr, recent_instant()).prop_map(
                |(system, action, release, at)| Ask {
                    system,
                    action,
                    release,
                    at,
                },
            ),
            1..=n,
        );
        (Just(inv), asks)
    })
}

// ---------------------------------------------------------------------------
// Random policies
// ---------------------------------------------------------------------------

const FLAGS: &[&str] = &[
    "principal.nationalSecurity",
    "principal.nationalSecuritySystem",
    "principal.sensitiveSite",
    "principal.coreNetwork",
    "principal.critical",
    "principal.officialSensitive",
    "resource.audited",
    "resource.product.privileged",
    "resource.product.cloudConnected",
];

/// A Cedar boolean expression over the schema, built from atoms that read
/// every kind of attribute, `in`, the context, and (rarely) ones that fail at
/// run time.
/// The release attributes that hold sets of vendors.
const GROUP_ATTRIBUTES: &[&str] = &[
    "vendorGroup",
    "codeGroups",
    "vendorMajorityOwners",
    "codeMajorityOwners",
];
/// The records of vendor sets by category, and a few of their fields.
const BY_CATEGORY: &[&str] = &["codeGroupsByCategory", "essentialGroupsByCategory"];
const CATEGORY_FIELDS: &[&str] = &[
    "antivirus",
    "securitySoftware",
    "telecom",
    "videoSurveillance",
];

pub fn condition(errors: bool) -> impl Strategy<Value = String> {
    let country = || select(COUNTRIES);
    let vendor = || select(VENDOR_POOL);
    let mut atoms: Vec<BoxedStrategy<String>> = vec![
        (0i64..5)
            .prop_map(|n| format!("principal.tier >= {n}"))
            .boxed(),
        country()
            .prop_map(|c| format!("principal.country == \"{c}\""))
            .boxed(),
        select(Role::ALL)
            .prop_map(|r| format!("principal.roles.contains(\"{r}\")"))
            .boxed(),
        select(Sector::ALL)
            .prop_map(|s| format!("principal.owner.sector == \"{s}\""))
            .boxed(),
        select(Purpose::ALL)
            .prop_map(|p| format!("principal.purposes.contains(\"{p}\")"))
            .boxed(),
        select(FLAGS).prop_map(str::to_owned).boxed(),
        (0usize..6)
            .prop_map(|o| format!("principal in Organisation::\"o{o}\""))
            .boxed(),
        vendor()
            .prop_map(|v| format!("resource in Vendor::\"{v}\""))
            .boxed(),
        vendor()
            .prop_map(|v| format!("resource.codeVendors.contains(Vendor::\"{v}\")"))
            .boxed(),
        vendor()
            .prop_map(|v| format!("resource.vendor == Vendor::\"{v}\""))
            .boxed(),
        (select(GROUP_ATTRIBUTES), vendor())
            .prop_map(|(a, v)| format!("resource.{a}.contains(Vendor::\"{v}\")"))
            .boxed(),
        (select(BY_CATEGORY), select(CATEGORY_FIELDS), vendor())
            .prop_map(|(r, c, v)| format!("resource.{r}.{c}.contains(Vendor::\"{v}\")"))
            .boxed(),
        select(&["resource.vendorBlocked", "resource.codeBlocked"][..])
            .prop_map(str::to_owned)
            .boxed(),
        country()
            .prop_map(|c| format!("resource.serviceCountries.contains(\"{c}\")"))
            .boxed(),
        select(
            &[
                "resource.product.userDataAccess",
                "resource.product.thirdPartyInterconnection",
            ][..],
        )
        .prop_map(str::to_owned)
        .boxed(),
        country()
            .prop_map(|c| format!("resource.controlCountries.contains(\"{c}\")"))
            .boxed(),
        country()
            .prop_map(|c| format!("resource.dataCountries.contains(\"{c}\")"))
            .boxed(),
        Just("resource.controlGroups.contains(\"us-foreign-adversaries\")".to_owned()).boxed(),
        select(Category::ALL)
            .prop_map(|c| format!("resource.product.category == \"{c}\""))
            .boxed(),
        (0i64..30)
            .prop_map(|n| format!("resource.major >= {n}"))
            .boxed(),
        (0i64..(13 * 366))
            .prop_map(|d| format!("context.now >= datetime(\"{}\")", day(d)))
            .boxed(),
        time_comparison().boxed(),
        any_assurance()
            .prop_map(|a| format!("context.assurance.contains(\"{a}\")"))
            .boxed(),
        select(WAIVABLE_RULES)
            .prop_map(|r| format!("context.waivers.contains(\"{r}\")"))
            .boxed(),
        Just("principal.requires.isEmpty()".to_owned()).boxed(),
        (0i64..3)
            .prop_map(|n| format!("resource.unattributedComponents > {n}"))
            .boxed(),
    ];
    if errors {
        atoms.push(Just("resource.major * 9223372036854775807 > 0".to_owned()).boxed());
        atoms.push(Just("Vendor::\"ghost\".name == \"x\"".to_owned()).boxed());
    }
    let atom = prop::strategy::Union::new(atoms);
    atom.prop_recursive(3, 12, 2, |inner| {
        prop_oneof![
            inner.clone().prop_map(|e| format!("!({e})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} && {b})")),
            (inner.clone(), inner).prop_map(|(a, b)| format!("({a} || {b})")),
        ]
    })
}

/// `context.now` compared with a literal, by any operator, either way round,
/// at midnight, a millisecond either side of it, or any time of day.
pub fn time_comparison() -> impl Strategy<Value = String> {
    (
        select(&["<", "<=", ">", ">=", "==", "!="][..]),
        recent_instant(),
        any::<bool>(),
    )
        .prop_map(|(op, at, mirrored)| {
            let literal = format!("datetime(\"{at}\")");
            if mirrored {
                format!("{literal} {op} context.now")
            } else {
                format!("context.now {op} {literal}")
            }
        })
}

/// The action part of a policy head.
pub fn action_scope() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("action".to_owned()),
        select(Action::ALL).prop_map(|a| format!("action == Action::\"{a}\"")),
        btree_set(select(Action::ALL), 1..4).prop_map(|actions| format!(
            "action in [{}]",
            actions
                .iter()
                .map(|a| format!("Action::\"{a}\""))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    ]
}

/// The principal part of a policy head.
pub fn principal_scope() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => Just("principal".to_owned()),
        1 => (0usize..6).prop_map(|o| format!("principal in Organisation::\"o{o}\"")),
        1 => (0usize..6).prop_map(|s| format!("principal == System::\"s{s}\"")),
    ]
}

/// The resource part of a policy head.
pub fn resource_scope() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => Just("resource".to_owned()),
        1 => select(VENDOR_POOL).prop_map(|v| format!("resource in Vendor::\"{v}\"")),
        1 => (0usize..6).prop_map(|p| format!("resource in Product::\"p{p}\"")),
        1 => (0usize..8).prop_map(|r| format!("resource == Release::\"r{r}\"")),
    ]
}

/// One policy of `effect` (`permit`, `forbid`, or `advice`), with the given `@id`.
pub fn policy(effect: &'static str, id: String, errors: bool) -> impl Strategy<Value = String> {
    (
        principal_scope(),
        resource_scope(),
        action_scope(),
        condition(errors),
        prop::option::weighted(0.3, condition(errors)),
    )
        .prop_map(move |(principal, resource, action, when, unless)| {
            let (advice, keyword) = match effect {
                "advice" => ("@advice\n", "forbid"),
                other => ("", other),
            };
            let unless = unless
                .map(|u| format!("\nunless {{ {u} }}"))
                .unwrap_or_default();
            format!(
                "@id(\"{id}\")\n@reason(\"generated {effect}\")\n{advice}{keyword} ({principal}, {action}, {resource})\nwhen {{ {when} }}{unless};\n"
            )
        })
}

/// Several policies of one effect, with ids `{prefix}/0`, `{prefix}/1`, ...
pub fn policies(
    effect: &'static str,
    prefix: &'static str,
    n: std::ops::RangeInclusive<usize>,
    errors: bool,
) -> impl Strategy<Value = Vec<String>> {
    n.prop_flat_map(move |n| {
        (0..n)
            .map(|i| policy(effect, format!("{prefix}/{i}"), errors))
            .collect::<Vec<_>>()
    })
}

// ---------------------------------------------------------------------------
// Decisions, normalised for comparison
// ---------------------------------------------------------------------------

/// What a decision says, in a form that does not depend on list order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub allowed: bool,
    pub rules: Vec<String>,
    pub advice: Vec<String>,
    pub waivers: BTreeSet<String>,
    pub errors: BTreeSet<String>,
    pub chains: BTreeSet<String>,
}

impl From<&Decision> for Outcome {
    fn from(d: &Decision) -> Self {
        Outcome {
            allowed: d.allowed(),
            rules: d.rule_ids().into_iter().map(str::to_owned).collect(),
            advice: d.advice_ids().into_iter().map(str::to_owned).collect(),
            waivers: d.waivers().iter().map(|w| w.to_string()).collect(),
            errors: d.errors().iter().cloned().collect(),
            chains: d.chains().iter().map(|c| c.to_string()).collect(),
        }
    }
}

/// Checks what must hold of every decision: an error is never an Allow, and
/// every rule named exists in the policies with the effect its place says.
pub fn check_invariants(engine: &Engine, decision: &Decision) -> Result<(), String> {
    if !decision.errors().is_empty() && decision.allowed() {
        return Err(format!("allowed despite errors: {decision}"));
    }
    for rule in decision.rules() {
        let known = engine
            .policies()
            .rule(rule.id())
            .ok_or_else(|| format!("decision names unknown rule {}", rule.id()))?;
        let expected = if decision.allowed() {
            clearance::Effect::Permit
        } else {
            clearance::Effect::Forbid
        };
        if known.effect() != expected {
            return Err(format!(
                "rule {} of effect {:?} decides a {:?}",
                rule.id(),
                known.effect(),
                decision.verdict()
            ));
        }
    }
    for rule in decision.advice() {
        let known = engine
            .policies()
            .rule(rule.id())
            .ok_or_else(|| format!("decision names unknown advice {}", rule.id()))?;
        if known.effect() != clearance::Effect::Advice {
            return Err(format!("{} is listed as advice", rule.id()));
        }
    }
    for waiver in decision.waivers() {
        if !engine.inventory().waivers.iter().any(|w| &w.id == waiver) {
            return Err(format!("decision names unknown waiver {waiver}"));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Oracles: what the engine computes, recomputed naively
// ---------------------------------------------------------------------------

/// A vendor and every vendor controlling it at `at`, at any depth: through
/// `controlled_by` and through controlling stakes in force (a naive oracle
/// for what the engine computes).
pub fn control_chain(inventory: &Inventory, vendor: &str, at: Instant) -> BTreeSet<String> {
    let by_id: HashMap<&str, &Vendor> = inventory
        .vendors
        .iter()
        .map(|v| (v.id.as_str(), v))
        .collect();
    let mut chain = BTreeSet::new();
    let mut todo = vec![vendor.to_owned()];
    while let Some(v) = todo.pop() {
        if !chain.insert(v.clone()) {
            continue;
        }
        let Some(vendor) = by_id.get(v.as_str()) else {
            continue;
        };
        todo.extend(vendor.controlled_by.iter().map(|c| c.to_string()));
        todo.extend(
            vendor
                .owners
                .iter()
                .filter(|s| s.controls && s.in_force_at(at))
                .map(|s| s.owner.to_string()),
        );
    }
    chain
}

fn vendor_of_release(inventory: &Inventory, release: &Release) -> String {
    let product = inventory
        .products
        .iter()
        .find(|p| p.id == release.product)
        .expect("the product exists");
    product.vendor.to_string()
}

/// The vendors of the release's own maker's control chain.
pub fn own_vendors(inventory: &Inventory, release: &str, at: Instant) -> BTreeSet<String> {
    let release = inventory
        .releases
        .iter()
        .find(|r| r.id.as_str() == release)
        .expect("the release exists");
    control_chain(inventory, &vendor_of_release(inventory, release), at)
}

/// Every vendor whose code the release contains, at any depth, with their controllers.
pub fn code_vendors(inventory: &Inventory, release: &str, at: Instant) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut seen = BTreeSet::new();
    let mut todo = vec![release.to_owned()];
    while let Some(r) = todo.pop() {
        if !seen.insert(r.clone()) {
            continue;
        }
        let release = inventory
            .releases
            .iter()
            .find(|x| x.id.as_str() == r)
            .expect("the release exists");
        out.extend(control_chain(
            inventory,
            &vendor_of_release(inventory, release),
            at,
        ));
        todo.extend(release.components.iter().map(|c| c.to_string()));
    }
    out
}

/// The system's owner and every organisation above it.
pub fn organisation_chain(inventory: &Inventory, system: &str) -> BTreeSet<String> {
    let system = inventory
        .systems
        .iter()
        .find(|s| s.id.as_str() == system)
        .expect("the system exists");
    let mut chain = BTreeSet::new();
    let mut next = Some(system.owner.to_string());
    while let Some(o) = next {
        if !chain.insert(o.clone()) {
            break;
        }
        next = inventory
            .organisations
            .iter()
            .find(|x| x.id.as_str() == o)
            .and_then(|x| x.parent.as_ref().map(|p| p.to_string()));
    }
    chain
}

/// Whether `waiver` covers this question, by the rules written on [`Waiver`].
pub fn waiver_covers(
    inventory: &Inventory,
    waiver: &Waiver,
    system: &str,
    action: Action,
    release: &str,
    at: Instant,
) -> bool {
    let product = &inventory
        .releases
        .iter()
        .find(|r| r.id.as_str() == release)
        .expect("the release exists")
        .product;
    let in_force = waiver.from.is_none_or(|from| from <= at) && at < waiver.until;
    let what = waiver.products.contains(product)
        || waiver
            .vendors
            .iter()
            .any(|v| code_vendors(inventory, release, at).contains(v.as_str()));
    let system_id: Id = id_of(system);
    let whom = waiver.systems.contains(&system_id)
        || waiver
            .organisations
            .iter()
            .any(|o| organisation_chain(inventory, system).contains(o.as_str()));
    waiver.actions.contains(&action) && in_force && what && whom
}

// ---------------------------------------------------------------------------
// Shuffling
// ---------------------------------------------------------------------------

/// A small deterministic generator, so a shuffle is reproducible from its seed.
pub struct SplitMix(pub u64);

impl SplitMix {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

/// The same inventory with every list in another order.
pub fn shuffled(inventory: &Inventory, seed: u64) -> Inventory {
    let mut rng = SplitMix(seed);
    let mut out = inventory.clone();
    rng.shuffle(&mut out.country_groups);
    rng.shuffle(&mut out.vendors);
    rng.shuffle(&mut out.products);
    rng.shuffle(&mut out.releases);
    rng.shuffle(&mut out.authorisations);
    rng.shuffle(&mut out.organisations);
    rng.shuffle(&mut out.systems);
    rng.shuffle(&mut out.waivers);
    rng.shuffle(&mut out.deployments);
    out
}
