//! The reference workload: a deterministic, seeded inventory of realistic shape
//! and size, shared by the benchmarks (`benches/engine.rs`, `benches/memory.rs`)
//! and the tests (`tests/workload.rs`), which include it with
//! `#[path = "../benches/workload/mod.rs"] mod workload;`.
//!
//! - 50 vendors, in control chains up to 3 deep: the ones the shipped packs
//!   name (`ao-kaspersky-lab`, `huawei`, `zte`, `hytera`, `hikvision`,
//!   `dahua`), subsidiaries of them, and unrelated vendors in many countries
//!   (a few of them Russian or Chinese, so country rules fire without the
//!   named vendors);
//! - products in every category, and 500 releases, some embedding the code
//!   of others up to 3 levels deep (a DAG: a release only embeds releases
//!   generated before it);
//! - organisations with parents in GB, US, AU, DE, LT, NL and FR, holding every
//!   role, and 100 systems with varied classifications, markings, purposes and
//!   assurance requirements;
//! - authorisations with version ranges and lapse dates, waivers naming real
//!   rule ids (some honoured, some lapsed, some against rules that accept
//!   none), and 2 to 5 deployments per system.
//!
//! Nothing is random across runs: every choice comes from a SplitMix64 stream
//! started at [`SEED`].

#![allow(dead_code)]

pub mod hand;

use std::collections::BTreeSet;

use clearance::{
    Action, Assurance, Authorisation, Category, Classification, Country, CountryGroup, Deployment,
    Id, Instant, Inventory, Organisation, Product, Purpose, Release, Role, Sector, System, Vendor,
    Waiver,
};

/// The seed of the reference workload.
pub const SEED: u64 = 0x0C1E_A2A9_CE00_2025;
/// Vendors in the reference workload.
pub const VENDORS: usize = 50;
/// Releases in the reference workload.
pub const RELEASES: usize = 500;
/// Systems in the reference workload.
pub const SYSTEMS: usize = 100;
/// The instant the benchmarks ask about.
pub const INSTANT: &str = "2025-06-01";

/// The deepest control chain (a vendor, its controller, theirs).
pub const MAX_CONTROL_DEPTH: usize = 3;
/// The deepest embedding (a release embeds one that embeds one that embeds one).
pub const MAX_EMBEDDING_DEPTH: usize = 3;

/// The instant the benchmarks ask about, [`INSTANT`].
pub fn reference_instant() -> Instant {
    INSTANT.parse().expect("a valid instant")
}

/// The reference inventory, generated from [`SEED`].
pub fn reference_inventory() -> Inventory {
    generate(SEED)
}

/// A small, fast, deterministic PRNG (SplitMix64).
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A stream starting at `seed`.
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    /// The next 64 bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    /// One of `items` (non-empty).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn id(text: &str) -> Id {
    text.parse().expect("a valid id")
}

fn country(code: &str) -> Country {
    code.parse().expect("an assigned country code")
}

fn instant(text: &str) -> Instant {
    text.parse().expect("a valid instant")
}

fn assurance(text: &str) -> Assurance {
    text.parse().expect("a valid assurance level")
}

/// The vendors the shipped packs name, their subsidiaries, and a reseller
/// three links down: (id, name, incorporated, headquarters, controlled by).
const KNOWN_VENDORS: &[(&str, &str, &str, &str, Option<&str>)] = &[
    ("ao-kaspersky-lab", "AO Kaspersky Lab", "RU", "RU", None),
    (
        "kaspersky-uk",
        "Kaspersky Lab UK Ltd",
        "GB",
        "GB",
        Some("ao-kaspersky-lab"),
    ),
    (
        "kaspersky-lab-inc",
        "Kaspersky Lab, Inc.",
        "US",
        "US",
        Some("ao-kaspersky-lab"),
    ),
    (
        "kaspersky-labs-gmbh",
        "Kaspersky Labs GmbH",
        "DE",
        "DE",
        Some("ao-kaspersky-lab"),
    ),
    (
        "shield-resellers",
        "Shield Resellers Ltd (hypothetical)",
        "GB",
        "GB",
        Some("kaspersky-uk"),
    ),
    ("huawei", "Huawei Technologies Co., Ltd.", "CN", "CN", None),
    (
        "huawei-uk",
        "Huawei Technologies (UK) Co., Ltd",
        "GB",
        "GB",
        Some("huawei"),
    ),
    (
        "huawei-de",
        "Huawei Technologies Deutschland GmbH",
        "DE",
        "DE",
        Some("huawei"),
    ),
    ("zte", "ZTE Corporation", "CN", "CN", None),
    ("zte-usa", "ZTE (USA) Inc.", "US", "US", Some("zte")),
    (
        "hytera",
        "Hytera Communications Corporation Limited",
        "CN",
        "CN",
        None,
    ),
    (
        "hytera-radio-uk",
        "Hytera radio subsidiary (hypothetical)",
        "GB",
        "GB",
        Some("hytera"),
    ),
    (
        "hikvision",
        "Hangzhou Hikvision Digital Technology Co., Ltd.",
        "CN",
        "CN",
        None,
    ),
    (
        "ezviz",
        "Hangzhou EZVIZ Network Co., Ltd.",
        "CN",
        "CN",
        Some("hikvision"),
    ),
    (
        "hikvision-usa",
        "Hikvision USA Inc.",
        "US",
        "US",
        Some("hikvision"),
    ),
    (
        "dahua",
        "Zhejiang Dahua Technology Co., Ltd.",
        "CN",
        "CN",
        None,
    ),
    (
        "dahua-usa",
        "Dahua Technology USA Inc.",
        "US",
        "US",
        Some("dahua"),
    ),
    (
        "dahua-reseller-nl",
        "Dahua camera reseller B.V. (hypothetical)",
        "NL",
        "NL",
        Some("dahua-usa"),
    ),
];

/// Products of the known vendors: (id, vendor, category).
const KNOWN_PRODUCTS: &[(&str, &str, Category)] = &[
    ("kes", "ao-kaspersky-lab", Category::Antivirus),
    ("kav-sdk", "ao-kaspersky-lab", Category::SecuritySoftware),
    ("kti", "ao-kaspersky-lab", Category::ThreatIntelligence),
    (
        "kaspersky-asap",
        "ao-kaspersky-lab",
        Category::SecurityTraining,
    ),
    (
        "kaspersky-consulting",
        "ao-kaspersky-lab",
        Category::SecurityConsulting,
    ),
    (
        "kaspersky-cloud",
        "ao-kaspersky-lab",
        Category::CloudService,
    ),
    ("kis", "kaspersky-lab-inc", Category::Antivirus),
    ("kaspersky-uk-av", "kaspersky-uk", Category::Antivirus),
    (
        "kaspersky-vpn",
        "kaspersky-labs-gmbh",
        Category::SecuritySoftware,
    ),
    ("shield-av", "shield-resellers", Category::Antivirus),
    ("huawei-router", "huawei", Category::Telecom),
    ("huawei-basestation", "huawei", Category::Telecom),
    ("huawei-camera", "huawei", Category::VideoSurveillance),
    ("huawei-cloud", "huawei", Category::CloudService),
    ("huawei-uk-switch", "huawei-uk", Category::Telecom),
    ("huawei-de-office", "huawei-de", Category::Software),
    ("zte-router", "zte", Category::Telecom),
    ("zte-handset", "zte", Category::Telecom),
    ("zte-usa-modem", "zte-usa", Category::Telecom),
    ("hytera-radio", "hytera", Category::Telecom),
    ("hytera-bodycam", "hytera", Category::VideoSurveillance),
    ("hytera-uk-tetra", "hytera-radio-uk", Category::Telecom),
    ("hikvision-nvr", "hikvision", Category::VideoSurveillance),
    ("hikvision-camera", "hikvision", Category::VideoSurveillance),
    ("ezviz-camera", "ezviz", Category::VideoSurveillance),
    (
        "hikvision-usa-dvr",
        "hikvision-usa",
        Category::VideoSurveillance,
    ),
    ("dahua-camera", "dahua", Category::VideoSurveillance),
    ("dahua-sdk", "dahua", Category::Software),
    ("dahua-usa-nvr", "dahua-usa", Category::VideoSurveillance),
    (
        "dahua-reseller-camera",
        "dahua-reseller-nl",
        Category::VideoSurveillance,
    ),
];

/// Countries of unrelated vendors; RU and CN appear so that country rules fire
/// for vendors no rule names.
const VENDOR_COUNTRIES: &[&str] = &[
    "GB", "US", "US", "DE", "FR", "AU", "NL", "LT", "JP", "CH", "IE", "NO", "FI", "IL", "KR", "TW",
    "CA", "SE", "RU", "CN",
];

const DATA_COUNTRIES: &[&str] = &["US", "GB", "DE", "IE", "FR", "NL", "CH", "SG", "RU", "CN"];

/// An organisation: (id, country, sector, parent, roles).
type OrganisationRow = (
    &'static str,
    &'static str,
    Sector,
    Option<&'static str>,
    &'static [Role],
);

/// The organisations.
const ORGANISATIONS: &[OrganisationRow] = &[
    ("uk-government", "GB", Sector::CentralGovernment, None, &[]),
    (
        "uk-mod",
        "GB",
        Sector::Defence,
        Some("uk-government"),
        &[Role::NationalSecurityDepartment],
    ),
    (
        "uk-fcdo",
        "GB",
        Sector::CentralGovernment,
        Some("uk-government"),
        &[Role::NationalSecurityDepartment],
    ),
    (
        "uk-dfe",
        "GB",
        Sector::CentralGovernment,
        Some("uk-government"),
        &[],
    ),
    (
        "uk-hmrc",
        "GB",
        Sector::CentralGovernment,
        Some("uk-government"),
        &[],
    ),
    (
        "uk-dstl",
        "GB",
        Sector::Defence,
        Some("uk-mod"),
        &[Role::NationalSecurityDepartment],
    ),
    (
        "uk-council-north",
        "GB",
        Sector::WiderPublicSector,
        None,
        &[],
    ),
    (
        "uk-council-south",
        "GB",
        Sector::WiderPublicSector,
        None,
        &[],
    ),
    ("uk-nhs-trust", "GB", Sector::WiderPublicSector, None, &[]),
    (
        "uk-water",
        "GB",
        Sector::CriticalNationalInfrastructure,
        None,
        &[],
    ),
    (
        "uk-aid-charity",
        "GB",
        Sector::Business,
        None,
        &[Role::ServesUkraine],
    ),
    ("uk-bank", "GB", Sector::Finance, None, &[]),
    ("uk-household", "GB", Sector::Consumer, None, &[]),
    (
        "us-government",
        "US",
        Sector::CentralGovernment,
        None,
        &[Role::FederalExecutiveBranch],
    ),
    (
        "us-gsa",
        "US",
        Sector::CentralGovernment,
        Some("us-government"),
        &[],
    ),
    (
        "us-dhs",
        "US",
        Sector::CentralGovernment,
        Some("us-government"),
        &[],
    ),
    ("us-dod", "US", Sector::Defence, Some("us-government"), &[]),
    ("us-army", "US", Sector::Defence, Some("us-dod"), &[]),
    (
        "us-contractor-a",
        "US",
        Sector::Business,
        None,
        &[Role::FederalContractor],
    ),
    (
        "us-contractor-b",
        "US",
        Sector::CriticalNationalInfrastructure,
        None,
        &[Role::FederalContractor],
    ),
    (
        "us-utility",
        "US",
        Sector::CriticalNationalInfrastructure,
        None,
        &[],
    ),
    ("us-retail", "US", Sector::Business, None, &[]),
    ("us-household", "US", Sector::Consumer, None, &[]),
    ("au-government", "AU", Sector::CentralGovernment, None, &[]),
    (
        "au-home-affairs",
        "AU",
        Sector::CentralGovernment,
        Some("au-government"),
        &[Role::NonCorporateCommonwealthEntity],
    ),
    (
        "au-defence",
        "AU",
        Sector::Defence,
        Some("au-government"),
        &[Role::NonCorporateCommonwealthEntity],
    ),
    (
        "au-statistics",
        "AU",
        Sector::CentralGovernment,
        Some("au-government"),
        &[Role::NonCorporateCommonwealthEntity],
    ),
    ("au-business", "AU", Sector::Business, None, &[]),
    ("de-bund", "DE", Sector::CentralGovernment, None, &[]),
    (
        "de-stadtwerke",
        "DE",
        Sector::CriticalNationalInfrastructure,
        None,
        &[],
    ),
    ("de-mittelstand", "DE", Sector::Business, None, &[]),
    ("lt-mod", "LT", Sector::Defence, None, &[]),
    (
        "lt-energy",
        "LT",
        Sector::CriticalNationalInfrastructure,
        None,
        &[],
    ),
    ("lt-business", "LT", Sector::Business, None, &[]),
    ("nl-justice", "NL", Sector::CentralGovernment, None, &[]),
    ("nl-defence", "NL", Sector::Defence, None, &[]),
    (
        "nl-port",
        "NL",
        Sector::CriticalNationalInfrastructure,
        None,
        &[],
    ),
    ("nl-business", "NL", Sector::Business, None, &[]),
    ("fr-ministere", "FR", Sector::CentralGovernment, None, &[]),
];

/// Levels products are authorised at.
const AUTHORISED: &[&str] = &[
    "uk-cpa:foundation",
    "common-criteria:eal2",
    "common-criteria:eal4",
    "common-criteria:eal5",
    "fedramp:low",
    "fedramp:moderate",
    "fedramp:high",
    "dod-il:il4",
    "dod-il:il5",
    "niap-pcl:listed",
];

/// Generates the reference workload's shape from `seed`.
pub fn generate(seed: u64) -> Inventory {
    let mut rng = SplitMix64::new(seed);
    let mut inventory = Inventory {
        country_groups: vec![CountryGroup {
            id: id("five-eyes"),
            name: "Five Eyes".to_owned(),
            countries: ["AU", "CA", "GB", "NZ", "US"].map(country).into(),
        }],
        // It names the real companies itself, as the registry would.
        registry: false,
        ..Inventory::default()
    };

    // Vendors: the known ones, then unrelated ones, a third of them
    // controlled by an earlier unrelated vendor (chains up to 3 deep).
    let mut depth: Vec<usize> = Vec::new();
    for (vid, name, inc, hq, up) in KNOWN_VENDORS {
        let d = up.map_or(1, |up| {
            1 + depth[inventory
                .vendors
                .iter()
                .position(|v| v.id.as_str() == up)
                .expect("an earlier vendor")]
        });
        depth.push(d);
        inventory.vendors.push(Vendor {
            id: id(vid),
            name: (*name).to_owned(),
            incorporated: country(inc),
            headquarters: country(hq),
            controlled_by: up.map(id),
            owners: Vec::new(),
            blocked: None,
        });
    }
    let first_unrelated = inventory.vendors.len();
    for n in 0..VENDORS - KNOWN_VENDORS.len() {
        let inc = *rng.pick(VENDOR_COUNTRIES);
        // Most are run from where they are incorporated; some from elsewhere.
        let hq = if rng.chance(85) {
            inc
        } else {
            *rng.pick(VENDOR_COUNTRIES)
        };
        let candidates: Vec<usize> = (first_unrelated..inventory.vendors.len())
            .filter(|&v| depth[v] < MAX_CONTROL_DEPTH)
            .collect();
        let up = if !candidates.is_empty() && rng.chance(35) {
            Some(*rng.pick(&candidates))
        } else {
            None
        };
        depth.push(up.map_or(1, |u| depth[u] + 1));
        inventory.vendors.push(Vendor {
            id: id(&format!("vendor-{n:02}")),
            name: format!("Vendor {n:02} Ltd (hypothetical)"),
            incorporated: country(inc),
            headquarters: country(hq),
            controlled_by: up.map(|u| inventory.vendors[u].id.clone()),
            owners: Vec::new(),
            blocked: None,
        });
    }

    // Products: the known vendors' lines, then 1 to 3 per unrelated vendor.
    for (pid, vendor, category) in KNOWN_PRODUCTS {
        inventory
            .products
            .push(product(&mut rng, pid, vendor, *category));
    }
    for v in first_unrelated..inventory.vendors.len() {
        let vendor = inventory.vendors[v].id.to_string();
        for n in 0..1 + rng.below(3) {
            let category = *rng.pick(Category::ALL);
            let pid = format!("{vendor}-{}-{n}", category.as_str());
            inventory
                .products
                .push(product(&mut rng, &pid, &vendor, category));
        }
    }
    // Every category is covered whatever the draw.
    for category in Category::ALL {
        if !inventory.products.iter().any(|p| p.category == *category) {
            let pid = format!("vendor-00-{}-extra", category.as_str());
            inventory
                .products
                .push(product(&mut rng, &pid, "vendor-00", *category));
        }
    }

    // Releases: at least one per product, the rest spread at random, emitted
    // round by round so every product has early and late releases.
    let products = inventory.products.len();
    let mut count = vec![1usize; products];
    for _ in products..RELEASES {
        count[rng.below(products)] += 1;
    }
    let base: Vec<u64> = (0..products).map(|_| 1 + rng.below(20) as u64).collect();
    let mut order = Vec::with_capacity(RELEASES);
    for round in 0..*count.iter().max().unwrap_or(&1) {
        for (p, &releases) in count.iter().enumerate() {
            if round < releases {
                order.push((p, round));
            }
        }
    }
    let vendor_of_product: Vec<usize> = inventory
        .products
        .iter()
        .map(|p| {
            inventory
                .vendors
                .iter()
                .position(|v| v.id == p.vendor)
                .expect("a vendor")
        })
        .collect();
    let mut release_product: Vec<usize> = Vec::with_capacity(RELEASES);
    let mut embedding_depth: Vec<usize> = Vec::with_capacity(RELEASES);
    for (p, k) in order {
        let category = inventory.products[p].category;
        let vendor = vendor_of_product[p];
        let version = semver::Version::new(
            base[p] + (k / 3) as u64,
            (k % 3) as u64,
            rng.below(5) as u64,
        );
        let rid = format!("{}-{version}", inventory.products[p].id);

        // What it may embed: earlier releases of other products, of kinds
        // that are built into products of this kind.
        let pool_categories: &[Category] = match category {
            Category::Antivirus | Category::SecuritySoftware => {
                &[Category::SecuritySoftware, Category::Antivirus]
            }
            Category::Telecom | Category::VideoSurveillance => &[
                Category::Telecom,
                Category::VideoSurveillance,
                Category::Software,
            ],
            Category::CloudService | Category::Software => &[
                Category::Software,
                Category::SecuritySoftware,
                Category::CloudService,
            ],
            _ => &[],
        };
        let pool: Vec<usize> = (0..inventory.releases.len())
            .filter(|&r| {
                release_product[r] != p
                    && embedding_depth[r] < MAX_EMBEDDING_DEPTH
                    && pool_categories.contains(&inventory.products[release_product[r]].category)
            })
            .collect();
        let mut components = BTreeSet::new();
        if !pool.is_empty() && rng.chance(35) {
            for _ in 0..1 + rng.below(2) {
                // Often an engine or module from a vendor the rules name.
                let notable: Vec<usize> = pool
                    .iter()
                    .copied()
                    .filter(|&r| vendor_of_product[release_product[r]] < first_unrelated)
                    .collect();
                let r = if !notable.is_empty() && rng.chance(40) {
                    *rng.pick(&notable)
                } else {
                    *rng.pick(&pool)
                };
                components.insert(r);
            }
        }
        let d = components
            .iter()
            .map(|&c| embedding_depth[c] + 1)
            .max()
            .unwrap_or(0);

        let data_countries: BTreeSet<Country> = if vendor < first_unrelated {
            let home = inventory.vendors[vendor].incorporated;
            match inventory.vendors[vendor].id.as_str() {
                _ if rng.chance(30) => BTreeSet::new(),
                // Kaspersky moved some processing to Switzerland in 2018.
                v if v.contains("kaspersky") || v == "shield-resellers" => {
                    [country(if rng.chance(50) { "RU" } else { "CH" })].into()
                }
                _ => [home].into(),
            }
        } else if rng.chance(50) {
            BTreeSet::new()
        } else {
            (0..1 + rng.below(2))
                .map(|_| country(rng.pick::<&str>(DATA_COUNTRIES)))
                .collect()
        };
        let name = rng
            .chance(15)
            .then(|| format!("{} {version}", inventory.products[p].name));
        inventory.releases.push(Release {
            id: id(&rid),
            product: inventory.products[p].id.clone(),
            version,
            name,
            data_countries,
            components: components
                .iter()
                .map(|&c| inventory.releases[c].id.clone())
                .collect(),
            nonessential_components: BTreeSet::new(),
            service_countries: BTreeSet::new(),
            audited: rng.chance(20),
        });
        release_product.push(p);
        embedding_depth.push(d);
    }

    // Authorisations: ranges over one major, everything, or from a version on;
    // some lapsed before the reference instant, some lapsing after, some never.
    for n in 0..40 {
        let r = rng.below(inventory.releases.len());
        let release = &inventory.releases[r];
        let major = release.version.major;
        let versions = match rng.below(4) {
            0 => "*".to_owned(),
            1 => format!(">={major}.0.0, <{}.0.0", major + 1),
            2 => format!(">={}", release.version),
            _ => format!("={}", release.version),
        };
        let lapses = match rng.below(4) {
            0 => None,
            1 => Some(instant(&format!("2024-{:02}-15", 1 + rng.below(12)))),
            _ => Some(instant(&format!(
                "{}-{:02}-01",
                2025 + rng.below(3),
                1 + rng.below(12)
            ))),
        };
        inventory.authorisations.push(Authorisation {
            id: id(&format!("auth-{n:02}")),
            product: release.product.clone(),
            assurance: assurance(rng.pick::<&str>(AUTHORISED)),
            versions: versions.parse().expect("a valid version requirement"),
            lapses,
        });
    }

    // Organisations, then systems: one per organisation, the rest at random.
    for (oid, code, sector, parent, roles) in ORGANISATIONS {
        inventory.organisations.push(Organisation {
            id: id(oid),
            name: format!("Organisation {oid} (hypothetical)"),
            country: country(code),
            sector: *sector,
            parent: parent.map(id),
            roles: roles.iter().copied().collect(),
        });
    }
    for n in 0..SYSTEMS {
        let o = if n < ORGANISATIONS.len() {
            n
        } else {
            rng.below(ORGANISATIONS.len())
        };
        let (oid, _, sector, _, _) = ORGANISATIONS[o];
        let government = matches!(
            sector,
            Sector::CentralGovernment | Sector::Defence | Sector::WiderPublicSector
        );
        let classification = if government {
            *rng.pick(&[
                Classification::Unclassified,
                Classification::Official,
                Classification::Official,
                Classification::Official,
                Classification::Confidential,
                Classification::Secret,
                Classification::Secret,
                Classification::TopSecret,
            ])
        } else if sector == Sector::CriticalNationalInfrastructure && rng.chance(40) {
            Classification::Official
        } else {
            Classification::Unclassified
        };
        let mut purposes = BTreeSet::new();
        for _ in 0..rng.below(3) {
            purposes.insert(*rng.pick(Purpose::ALL));
        }
        let mut requires = BTreeSet::new();
        if rng.chance(15) {
            for _ in 0..1 + rng.below(2) {
                // A level some product holds, or one below it.
                let held = assurance(rng.pick::<&str>(AUTHORISED));
                let levels: Vec<Assurance> = held.and_below().collect();
                requires.insert(*rng.pick(&levels));
            }
        }
        inventory.systems.push(System {
            id: id(&format!("{oid}-sys-{n:03}")),
            name: format!("System {n} of {oid}"),
            owner: id(oid),
            classification,
            official_sensitive: classification == Classification::Official && rng.chance(30),
            national_security: rng.chance(if government { 30 } else { 5 }),
            national_security_system: false,
            sensitive_site: false,
            core_network: false,
            critical: rng.chance(if sector == Sector::CriticalNationalInfrastructure {
                70
            } else {
                10
            }),
            purposes,
            requires,
        });
    }

    // Waivers.
    let systems_of = |inventory: &Inventory, org: &str| -> Vec<Id> {
        inventory
            .systems
            .iter()
            .filter(|s| s.owner.as_str() == org)
            .map(|s| s.id.clone())
            .collect()
    };
    let all_actions: BTreeSet<Action> = Action::ALL.iter().copied().collect();
    let mut waivers: Vec<Waiver> = Vec::new();
    let mut waiver = |wid: &str,
                      rules: &[&str],
                      products: Vec<Id>,
                      vendors: &[&str],
                      systems: Vec<Id>,
                      organisations: &[&str],
                      actions: BTreeSet<Action>,
                      from: Option<&str>,
                      until: &str| {
        waivers.push(Waiver {
            id: id(wid),
            rules: rules.iter().map(|r| (*r).to_owned()).collect(),
            products: products.into_iter().collect(),
            vendors: vendors.iter().map(|v| id(v)).collect(),
            systems: systems.into_iter().collect(),
            organisations: organisations.iter().map(|o| id(o)).collect(),
            actions,
            granted_by: "Head of agency (hypothetical)".to_owned(),
            from: from.map(instant),
            until: instant(until),
        });
    };
    let operate_update: BTreeSet<Action> = [Action::Operate, Action::Update].into();
    let acquire: BTreeSet<Action> = [Action::Procure, Action::Deploy, Action::Update].into();
    let home_affairs = systems_of(&inventory, "au-home-affairs");
    let defence = systems_of(&inventory, "au-defence");
    let kaspersky_product = |n: usize| id(KNOWN_PRODUCTS[n].0);
    // Honoured at the reference instant: PSPF exemptions for named systems.
    waiver(
        "pspf-exemption-home-affairs",
        &["au-pspf-002-2025/kaspersky"],
        vec![],
        &["ao-kaspersky-lab"],
        home_affairs.clone(),
        &[],
        operate_update.clone(),
        None,
        "2025-12-31",
    );
    waiver(
        "pspf-exemption-defence-kes",
        &["au-pspf-002-2025/kaspersky"],
        vec![kaspersky_product(0), kaspersky_product(2)],
        &[],
        defence.clone(),
        &[],
        all_actions.clone(),
        Some("2025-04-01"),
        "2026-04-01",
    );
    // An exemption for a whole department (and so its systems), by vendor.
    waiver(
        "pspf-exemption-statistics",
        &["au-pspf-002-2025/kaspersky"],
        vec![],
        &["kaspersky-lab-inc"],
        vec![],
        &["au-statistics"],
        all_actions.clone(),
        None,
        "2026-01-01",
    );
    // Lapsed before the reference instant.
    waiver(
        "pspf-exemption-lapsed",
        &["au-pspf-002-2025/kaspersky"],
        vec![],
        &["ao-kaspersky-lab"],
        vec![],
        &["au-government"],
        all_actions.clone(),
        None,
        "2025-05-01",
    );
    // Section 889 waivers: the rule honours them only before 2021-08-13 (A)
    // or 2022-08-13 (B), so at the reference instant they lift nothing.
    waiver(
        "gsa-889-waiver-cctv",
        &["us-ndaa-889/agency-video-surveillance"],
        vec![],
        &["hikvision", "dahua"],
        vec![],
        &["us-gsa"],
        acquire.clone(),
        None,
        "2021-08-13",
    );
    waiver(
        "dhs-889-waiver-telecom",
        &[
            "us-ndaa-889/agency-telecom",
            "us-ndaa-889/agency-video-surveillance",
        ],
        vec![],
        &["huawei", "zte", "hytera"],
        vec![],
        &["us-dhs", "us-dod"],
        acquire,
        Some("2019-08-13"),
        "2026-08-13",
    );
    waiver(
        "contractor-889-waiver",
        &[
            "us-ndaa-889/contractor-telecom",
            "us-ndaa-889/contractor-video-surveillance",
        ],
        vec![],
        &["huawei", "hikvision"],
        vec![],
        &["us-contractor-a", "us-contractor-b"],
        all_actions.clone(),
        None,
        "2022-08-13",
    );
    // Against rules that accept no waivers: they change nothing.
    waiver(
        "bod-17-01-wishful",
        &["us-bod-17-01/kaspersky-security-products"],
        vec![],
        &["ao-kaspersky-lab"],
        vec![],
        &["us-government"],
        all_actions.clone(),
        None,
        "2030-01-01",
    );
    waiver(
        "ncsc-wishful",
        &[
            "uk-ncsc-2017/secret-and-above",
            "uk-ncsc-2017/national-security-assessed",
        ],
        vec![],
        &["ao-kaspersky-lab"],
        vec![],
        &["uk-government"],
        all_actions.clone(),
        None,
        "2030-01-01",
    );
    waiver(
        "ndaa-1634-wishful",
        &["us-ndaa-1634/kaspersky"],
        vec![],
        &["ao-kaspersky-lab"],
        vec![],
        &["us-contractor-a"],
        all_actions,
        None,
        "2030-01-01",
    );
    // Not yet in force.
    waiver(
        "pspf-exemption-future",
        &["au-pspf-002-2025/kaspersky"],
        vec![],
        &["ao-kaspersky-lab"],
        defence,
        &[],
        operate_update,
        Some("2026-01-01"),
        "2027-01-01",
    );
    inventory.waivers = waivers;

    // Deployments: 2 to 5 distinct releases per system.
    for s in 0..inventory.systems.len() {
        let mut chosen = BTreeSet::new();
        let want = 2 + rng.below(4);
        while chosen.len() < want {
            chosen.insert(rng.below(inventory.releases.len()));
        }
        for r in chosen {
            inventory.deployments.push(Deployment {
                system: inventory.systems[s].id.clone(),
                release: inventory.releases[r].id.clone(),
            });
        }
    }
    inventory
}

fn product(rng: &mut SplitMix64, pid: &str, vendor: &str, category: Category) -> Product {
    Product {
        id: id(pid),
        name: format!("Product {pid}"),
        vendor: id(vendor),
        category,
        privileged: category == Category::Antivirus
            || (category == Category::SecuritySoftware && rng.chance(50)),
        cloud_connected: rng.chance(50),
        user_data_access: true,
        third_party_interconnection: false,
    }
}
