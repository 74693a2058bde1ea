//! The shipped packs' rules written by hand in plain Rust: the floor a
//! benchmark compares the engine with, and an oracle independent of it.
//!
//! [`HandWritten::new`] re-derives from the [`Inventory`] alone what
//! `src/corporate` and `src/cedar/facts.rs` compute, in its own, naive way:
//!
//! - the corporate structure at each instant where a stake or a designation
//!   starts or ends: who controls whom (at any depth, through vendors and
//!   parties); each company's group (everything connected to it by control,
//!   in either direction, through parties too); its majority owners (the
//!   vendors holding over 50% of it, adding up what they hold themselves and
//!   through every company they control); whether it is blocked (designated,
//!   or held 50% or more by blocked owners, worked out to a fixed point);
//!   and the countries controlling it (its own, and those of every vendor or
//!   party controlling it);
//! - for each release: the vendors whose code it contains (through embedded
//!   components at any depth), the groups of its own vendor and of those
//!   vendors, by the category of the product whose code it is, through every
//!   component or only through substantial or essential ones; their majority
//!   owners; the countries controlling them; where it sends data and is
//!   serviced from; the authorisations covering its version;
//! - for each system, the roles of its organisations; for each waiver, the
//!   keys it names and its scope.
//!
//! These are reduced to flags and bit masks, and each rule of the shipped
//! packs is a boolean expression over them. It answers what the engine
//! answers (verdict, deciding rule ids, advice ids, waivers used) but as bit
//! masks, without explanations or allocations per decision.
//!
//! It must agree with the engine: `tests/workload.rs` checks every decision of
//! the reference workload. If a shipped pack changes, change [`RULES`] and the
//! rule functions below with it.

use std::collections::{BTreeSet, HashMap};

use clearance::{
    Action, Assurance, Category, Country, Instant, Inventory, Purpose, Registry, Role, Scheme,
    Sector, Stake,
};

/// The ids of every rule of the shipped packs, in pack order; bit `i` of a
/// mask is `RULES[i]`.
pub const RULES: [&str; 36] = [
    "baseline/permit-unless-forbidden",
    "uk-ncsc-2017/secret-and-above",
    "uk-ncsc-2017/secret-and-above-data-in-russia",
    "uk-ncsc-2017/national-security-assessed",
    "uk-ncsc-2017/national-security-assessed-data-in-russia",
    "uk-ncsc-2017/reconsider-russian-controlled-2022",
    "uk-wms-2022-surveillance/sensitive-sites",
    "uk-wms-2022-surveillance/core-networks",
    "uk-wms-2022-surveillance/consider-removal-from-sensitive-sites",
    "us-bod-17-01/kaspersky-security-products",
    "us-ndaa-1634/kaspersky",
    "us-ndaa-889/agency-telecom",
    "us-ndaa-889/agency-video-surveillance",
    "us-ndaa-889/contractor-telecom",
    "us-ndaa-889/contractor-video-surveillance",
    "us-icts-2024-kaspersky/new-transactions",
    "us-icts-2024-kaspersky/integrated-products",
    "us-icts-2024-kaspersky/provision",
    "us-icts-2024-kaspersky/updates",
    "us-fcc-covered-list/huawei-zte",
    "us-fcc-covered-list/hytera-hikvision-dahua",
    "us-fcc-covered-list/kaspersky",
    "us-fcc-covered-list/china-mobile-international-usa",
    "us-fcc-covered-list/china-telecom-americas",
    "us-fcc-covered-list/pacific-networks-comnet",
    "us-fcc-covered-list/china-unicom-americas",
    "us-ofac-50/blocked-vendor",
    "au-pspf-002-2025/kaspersky",
    "de-bsi-2022/replace-kaspersky-antivirus",
    "lt-2017/kaspersky-new-use",
    "lt-2017/kaspersky-existing-use",
    "nl-2018/national-government-antivirus",
    "nl-2018/national-government-antivirus-phase-out",
    "nl-2018/vital-sectors",
    "nl-2018/defence-contractors",
    "assurance/required-assurance",
];

const PERMIT: u64 = 1 << 0;
const UK_SECRET: u64 = 1 << 1;
const UK_SECRET_DATA: u64 = 1 << 2;
const UK_NATIONAL_SECURITY: u64 = 1 << 3;
const UK_NATIONAL_SECURITY_DATA: u64 = 1 << 4;
const UK_RECONSIDER_2022: u64 = 1 << 5;
const WMS_SENSITIVE_SITES: u64 = 1 << 6;
const WMS_CORE_NETWORKS: u64 = 1 << 7;
const WMS_CONSIDER_REMOVAL: u64 = 1 << 8;
const BOD_17_01: u64 = 1 << 9;
const NDAA_1634: u64 = 1 << 10;
const AGENCY_TELECOM: u64 = 1 << 11;
const AGENCY_VIDEO: u64 = 1 << 12;
const CONTRACTOR_TELECOM: u64 = 1 << 13;
const CONTRACTOR_VIDEO: u64 = 1 << 14;
const ICTS_NEW: u64 = 1 << 15;
const ICTS_INTEGRATED: u64 = 1 << 16;
const ICTS_PROVISION: u64 = 1 << 17;
const ICTS_UPDATES: u64 = 1 << 18;
const FCC_HUAWEI_ZTE: u64 = 1 << 19;
const FCC_HYTERA_HIKVISION_DAHUA: u64 = 1 << 20;
const FCC_KASPERSKY: u64 = 1 << 21;
const FCC_CHINA_MOBILE: u64 = 1 << 22;
const FCC_CHINA_TELECOM: u64 = 1 << 23;
const FCC_PACIFIC_NETWORKS: u64 = 1 << 24;
const FCC_CHINA_UNICOM: u64 = 1 << 25;
const OFAC: u64 = 1 << 26;
const PSPF: u64 = 1 << 27;
const BSI: u64 = 1 << 28;
const LT_NEW_USE: u64 = 1 << 29;
const LT_EXISTING_USE: u64 = 1 << 30;
const NL_GOVERNMENT: u64 = 1 << 31;
const NL_PHASE_OUT: u64 = 1 << 32;
const NL_VITAL: u64 = 1 << 33;
const NL_DEFENCE_CONTRACTORS: u64 = 1 << 34;
const ASSURANCE: u64 = 1 << 35;

/// The rules that accept waivers under their own id as key.
const WAIVABLE_BY_ID: u64 =
    AGENCY_TELECOM | AGENCY_VIDEO | CONTRACTOR_TELECOM | CONTRACTOR_VIDEO | OFAC | PSPF;
/// The rules that also accept `<id>/dni` (a waiver by the Director of
/// National Intelligence).
const WAIVABLE_BY_DNI: u64 = AGENCY_TELECOM | AGENCY_VIDEO | CONTRACTOR_TELECOM | CONTRACTOR_VIDEO;

/// One decision, as masks over [`RULES`] and the inventory's waivers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HandDecision {
    /// Allow, or Deny.
    pub allow: bool,
    /// The binding forbids that matched (Deny), or the permits (Allow).
    pub deciding: u64,
    /// The advice that matched.
    pub advice: u64,
    /// The waivers (bit = index in the inventory) that lifted a rule.
    pub waivers: u64,
}

fn ids(mask: u64) -> Vec<&'static str> {
    let mut ids: Vec<&'static str> = RULES
        .iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .map(|(_, id)| *id)
        .collect();
    ids.sort_unstable();
    ids
}

impl HandDecision {
    /// The deciding rules' ids, sorted.
    pub fn rule_ids(&self) -> Vec<&'static str> {
        ids(self.deciding)
    }

    /// The advice ids, sorted.
    pub fn advice_ids(&self) -> Vec<&'static str> {
        ids(self.advice)
    }

    /// The indices of the waivers used, ascending.
    pub fn waiver_indices(&self) -> Vec<usize> {
        (0..64).filter(|i| self.waivers & (1 << i) != 0).collect()
    }
}

/// A release, as the rules see it during one epoch of the corporate structure.
#[derive(Clone)]
struct ReleaseFacts {
    category: Category,
    /// Its own product: `userDataAccess`, `thirdPartyInterconnection`.
    user_data_access: bool,
    third_party_interconnection: bool,
    /// `dataCountries` / `serviceCountries` contain RU.
    data_ru: bool,
    service_ru: bool,
    /// `controlCountries` contains RU / CN.
    control_ru: bool,
    control_cn: bool,
    /// `vendorGroup` meets `[ao-kaspersky-lab, ooo-kaspersky-group]`, and
    /// `[kaspersky-lab-inc, ao-kaspersky-lab, ooo-kaspersky-group]`.
    vendor_kaspersky: bool,
    vendor_kaspersky_inc: bool,
    /// `vendorGroup` meets `[pacific-networks, comnet-usa]`; contains
    /// `china-unicom-americas`.
    vendor_pacific_networks: bool,
    vendor_china_unicom: bool,
    /// `resource in Vendor::"china-mobile-international-usa"` and
    /// `...china-telecom-americas`: its own vendor is it, or controlled by it.
    in_china_mobile: bool,
    in_china_telecom: bool,
    /// `codeGroups` meets `[ao-kaspersky-lab, ooo-kaspersky-group]`;
    /// `codeMajorityOwners` contains `ao-kaspersky-lab`.
    code_kaspersky: bool,
    code_majority_kaspersky: bool,
    /// `codeGroupsByCategory.antivirus` or `.securitySoftware` meets the three
    /// Kaspersky companies ICTS names.
    integrated_kaspersky: bool,
    /// `essentialGroupsByCategory.telecom` or `.telecomService` meets
    /// `[huawei, zte]`; `.videoSurveillance`, `.telecom` or `.telecomService`
    /// meets `[hytera, hikvision, dahua]`.
    essential_huawei_zte: bool,
    essential_hytera_hikvision_dahua: bool,
    /// `vendorBlocked`.
    vendor_blocked: bool,
    /// Authorisations covering this version: the levels they meet, and when they lapse.
    authorisations: Vec<(u64, Option<Instant>)>,
}

struct SystemFacts {
    /// `principal.country` (the owner's) is one of these.
    gb: bool,
    us: bool,
    de: bool,
    lt: bool,
    nl: bool,
    /// The owner's sector.
    sector: Sector,
    /// Roles of the owner and every organisation above it.
    federal_executive: bool,
    federal_branch: bool,
    federal_contractor: bool,
    commonwealth_entity: bool,
    usf_recipient: bool,
    defence_contractor: bool,
    /// Any of serves-ukraine, cni-service-provider, high-profile,
    /// counter-russian-state-interests.
    ncsc_2022_role: bool,
    tier: i64,
    national_security: bool,
    national_security_system: bool,
    sensitive_site: bool,
    core_network: bool,
    critical: bool,
    /// Any of the purposes section 889 names.
    purposes_889: bool,
    /// Any of the purposes that bring a contractor under s.1634.
    purposes_1634: bool,
    requires: u64,
}

struct WaiverFacts {
    /// The rules it names by their id, and by `<id>/dni`.
    by_id: u64,
    by_dni: u64,
    actions: Vec<Action>,
    from: Option<Instant>,
    until: Instant,
    systems: Vec<bool>,
}

/// What holds from one instant until the next change of the structure.
struct Epoch {
    from: Instant,
    releases: Vec<ReleaseFacts>,
    /// For each waiver, whether its scope takes in each release.
    waiver_releases: Vec<Vec<bool>>,
}

/// The dates the rules turn on, as booleans for one instant.
struct Gates {
    ncsc_2017: bool,
    ncsc_2022: bool,
    wms: bool,
    bod: bool,
    ndaa_1634: bool,
    agency_889: bool,
    agency_889_waivable: bool,
    contractor_889: bool,
    contractor_889_waivable: bool,
    icts_new: bool,
    icts_white_label: bool,
    fcc_2021: bool,
    fcc_march_2022: bool,
    fcc_september_2022: bool,
    pspf: bool,
    bsi: bool,
    lt: bool,
    nl: bool,
}

impl Gates {
    fn at(now: Instant) -> Gates {
        let on = |date: &str| now >= date.parse::<Instant>().expect("a valid date");
        Gates {
            ncsc_2017: on("2017-12-01"),
            ncsc_2022: on("2022-03-29"),
            wms: on("2022-11-24"),
            bod: on("2017-12-12"),
            ndaa_1634: on("2018-10-01"),
            agency_889: on("2019-08-13"),
            agency_889_waivable: !on("2021-08-13"),
            contractor_889: on("2020-08-13"),
            contractor_889_waivable: !on("2022-08-13"),
            icts_new: on("2024-07-20"),
            icts_white_label: on("2024-09-29"),
            fcc_2021: on("2021-05-11"),
            fcc_march_2022: on("2022-05-24"),
            fcc_september_2022: on("2022-11-19"),
            pspf: on("2025-04-01"),
            bsi: on("2022-03-15"),
            lt: on("2017-12-20"),
            nl: on("2018-05-14"),
        }
    }
}

/// An assurance level as one bit; a set of levels as a mask.
fn level_bit(level: Assurance) -> u64 {
    let scheme = Scheme::ALL
        .iter()
        .position(|s| *s == level.scheme())
        .expect("a known scheme");
    let rank = level
        .scheme()
        .levels()
        .iter()
        .position(|l| *l == level.level())
        .expect("a known level");
    1 << (scheme * 8 + rank)
}

/// A vendor or a party, with the stakes held in it.
struct Company {
    vendor: bool,
    /// Incorporation and headquarters for a vendor; its country, if known,
    /// for a party.
    countries: Vec<Country>,
    stakes: Vec<Stake>,
    designated: Option<(Option<Instant>, Option<Instant>)>,
}

fn in_force(from: Option<Instant>, until: Option<Instant>, at: Instant) -> bool {
    from.is_none_or(|from| from <= at) && until.is_none_or(|until| at < until)
}

/// The corporate structure at one instant, worked out the long way.
struct Structure {
    /// For each company, every company controlling it, at any depth.
    controllers: Vec<BTreeSet<usize>>,
    /// For each company, the vendors of its group.
    group: Vec<BTreeSet<usize>>,
    /// For each company, the vendors holding over 50% of it.
    majority_owners: Vec<BTreeSet<usize>>,
    blocked: Vec<bool>,
    /// For each company, its countries and those of everything controlling it.
    control_countries: Vec<BTreeSet<Country>>,
}

impl Structure {
    fn at(companies: &[Company], index: &HashMap<&str, usize>, at: Instant) -> Structure {
        let n = companies.len();
        // (owner, share in basis points, controls), in force.
        let stakes: Vec<Vec<(usize, Option<u32>, bool)>> = companies
            .iter()
            .map(|c| {
                c.stakes
                    .iter()
                    .filter(|s| in_force(s.from, s.until, at))
                    .map(|s| {
                        (
                            index[s.owner.as_str()],
                            s.share.map(|share| share.basis_points()),
                            s.controls,
                        )
                    })
                    .collect()
            })
            .collect();

        // Upwards along controlling stakes.
        let controllers: Vec<BTreeSet<usize>> = (0..n)
            .map(|c| {
                let mut seen = BTreeSet::new();
                let mut stack = vec![c];
                while let Some(x) = stack.pop() {
                    for &(owner, _, controls) in &stakes[x] {
                        if controls && seen.insert(owner) {
                            stack.push(owner);
                        }
                    }
                }
                seen
            })
            .collect();

        // Connected by control, either way.
        let mut neighbours: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (c, held) in stakes.iter().enumerate() {
            for &(owner, _, controls) in held {
                if controls {
                    neighbours[c].push(owner);
                    neighbours[owner].push(c);
                }
            }
        }
        let group: Vec<BTreeSet<usize>> = (0..n)
            .map(|c| {
                let mut seen = BTreeSet::from([c]);
                let mut stack = vec![c];
                while let Some(x) = stack.pop() {
                    for &y in &neighbours[x] {
                        if seen.insert(y) {
                            stack.push(y);
                        }
                    }
                }
                seen.into_iter().filter(|&m| companies[m].vendor).collect()
            })
            .collect();

        // A vendor's holding in a company: its own stake, and those of the
        // companies it controls.
        let majority_owners: Vec<BTreeSet<usize>> = (0..n)
            .map(|owned| {
                (0..n)
                    .filter(|&v| companies[v].vendor)
                    .filter(|&v| {
                        let held: u32 = stakes[owned]
                            .iter()
                            .filter(|(owner, _, _)| *owner == v || controllers[*owner].contains(&v))
                            .filter_map(|(_, share, _)| *share)
                            .sum();
                        held > 5_000
                    })
                    .collect()
            })
            .collect();

        // Designated, or 50% or more held by blocked owners: to a fixed point.
        let mut blocked: Vec<bool> = companies
            .iter()
            .map(|c| c.designated.is_some_and(|(f, u)| in_force(f, u, at)))
            .collect();
        loop {
            let next: Vec<bool> = (0..n)
                .map(|c| {
                    blocked[c]
                        || stakes[c]
                            .iter()
                            .filter(|(owner, _, _)| blocked[*owner])
                            .filter_map(|(_, share, _)| *share)
                            .sum::<u32>()
                            >= 5_000
                })
                .collect();
            if next == blocked {
                break;
            }
            blocked = next;
        }

        let control_countries = (0..n)
            .map(|c| {
                std::iter::once(c)
                    .chain(controllers[c].iter().copied())
                    .flat_map(|x| companies[x].countries.iter().copied())
                    .collect()
            })
            .collect();

        Structure {
            controllers,
            group,
            majority_owners,
            blocked,
            control_countries,
        }
    }
}

/// The shipped packs' rules over precomputed facts of one inventory.
pub struct HandWritten {
    /// By the instant each starts, ascending; the first from the beginning of time.
    epochs: Vec<Epoch>,
    systems: Vec<SystemFacts>,
    waivers: Vec<WaiverFacts>,
    release_index: HashMap<String, usize>,
    system_index: HashMap<String, usize>,
}

impl HandWritten {
    /// Precomputes the facts of a validated inventory (with the shipped
    /// registry's companies added, if it uses the registry).
    pub fn new(inventory: &Inventory) -> HandWritten {
        assert!(inventory.waivers.len() <= 64, "waivers are a u64 mask");
        let index = |ids: Vec<&str>| -> HashMap<String, usize> {
            ids.into_iter()
                .enumerate()
                .map(|(i, id)| (id.to_owned(), i))
                .collect()
        };

        // The companies: vendors, then parties.
        let mut vendors: Vec<&clearance::Vendor> = inventory.vendors.iter().collect();
        let mut parties: Vec<&clearance::Party> = inventory.parties.iter().collect();
        if inventory.registry {
            let registry = Registry::shipped();
            vendors.retain(|v| !registry.contains(v.id.as_str()));
            parties.retain(|p| !registry.contains(p.id.as_str()));
            vendors.extend(registry.vendors());
            parties.extend(registry.parties());
        }
        let companies: Vec<Company> = vendors
            .iter()
            .map(|v| Company {
                vendor: true,
                countries: vec![v.incorporated, v.headquarters],
                stakes: v.stakes().map(|s| s.into_owned()).collect(),
                designated: v.blocked.as_ref().map(|b| (b.from, b.until)),
            })
            .chain(parties.iter().map(|p| Company {
                vendor: false,
                countries: p.country.into_iter().collect(),
                stakes: p.stakes().map(|s| s.into_owned()).collect(),
                designated: p.blocked.as_ref().map(|b| (b.from, b.until)),
            }))
            .collect();
        let company_index: HashMap<&str, usize> = vendors
            .iter()
            .map(|v| v.id.as_str())
            .chain(parties.iter().map(|p| p.id.as_str()))
            .enumerate()
            .map(|(i, id)| (id, i))
            .collect();
        let product_index = index(inventory.products.iter().map(|p| p.id.as_str()).collect());
        let release_index = index(inventory.releases.iter().map(|r| r.id.as_str()).collect());
        let organisation_index = index(
            inventory
                .organisations
                .iter()
                .map(|o| o.id.as_str())
                .collect(),
        );
        let system_index = index(inventory.systems.iter().map(|s| s.id.as_str()).collect());

        let vendor = |name: &str| company_index.get(name).copied();
        let named =
            |names: &[&str]| -> Vec<usize> { names.iter().filter_map(|n| vendor(n)).collect() };
        let kaspersky = named(&["ao-kaspersky-lab", "ooo-kaspersky-group"]);
        let kaspersky_inc = named(&[
            "kaspersky-lab-inc",
            "ao-kaspersky-lab",
            "ooo-kaspersky-group",
        ]);
        let ao_kaspersky = vendor("ao-kaspersky-lab");
        let huawei_zte = named(&["huawei", "zte"]);
        let hytera_hikvision_dahua = named(&["hytera", "hikvision", "dahua"]);
        let pacific_networks = named(&["pacific-networks", "comnet-usa"]);
        let china_unicom = vendor("china-unicom-americas");
        let china_mobile = vendor("china-mobile-international-usa");
        let china_telecom = vendor("china-telecom-americas");
        let ru: Country = "RU".parse().expect("a country");
        let cn: Country = "CN".parse().expect("a country");

        let product_of =
            |r: usize| &inventory.products[product_index[inventory.releases[r].product.as_str()]];
        let vendor_of_release = |r: usize| company_index[product_of(r).vendor.as_str()];
        // Every release embedded, at any depth; with `essential`, only through
        // components each embedder does not mark as nonessential.
        let embedded = |r: usize, essential: bool| -> BTreeSet<usize> {
            let parts = |r: usize| -> Vec<usize> {
                let release = &inventory.releases[r];
                release
                    .components
                    .iter()
                    .filter(|c| !(essential && release.nonessential_components.contains(*c)))
                    .map(|c| release_index[c.as_str()])
                    .collect()
            };
            let mut seen = BTreeSet::new();
            let mut stack = parts(r);
            while let Some(next) = stack.pop() {
                if seen.insert(next) {
                    stack.extend(parts(next));
                }
            }
            seen
        };
        let everything: Vec<BTreeSet<usize>> = (0..inventory.releases.len())
            .map(|r| embedded(r, false))
            .collect();
        let essential: Vec<BTreeSet<usize>> = (0..inventory.releases.len())
            .map(|r| embedded(r, true))
            .collect();

        // Every instant at which the structure may change.
        let mut starts: BTreeSet<Instant> = BTreeSet::from([Instant::MIN]);
        for company in &companies {
            for stake in &company.stakes {
                starts.extend(stake.from);
                starts.extend(stake.until);
            }
            if let Some((from, until)) = company.designated {
                starts.extend(from);
                starts.extend(until);
            }
        }

        let epochs = starts
            .into_iter()
            .map(|from| {
                let structure = Structure::at(&companies, &company_index, from);
                let meets =
                    |set: &BTreeSet<usize>, names: &[usize]| names.iter().any(|n| set.contains(n));
                // Each vendor whose code a release contains, and the vendors
                // controlling them (what a waiver's vendors are matched against).
                let mut code_vendors_of: Vec<BTreeSet<usize>> = Vec::new();
                let releases = (0..inventory.releases.len())
                    .map(|r| {
                        let release = &inventory.releases[r];
                        let product = product_of(r);
                        let own = vendor_of_release(r);
                        let code: BTreeSet<usize> = std::iter::once(own)
                            .chain(everything[r].iter().map(|&e| vendor_of_release(e)))
                            .collect();
                        code_vendors_of.push(
                            code.iter()
                                .flat_map(|&v| {
                                    std::iter::once(v).chain(
                                        structure.controllers[v]
                                            .iter()
                                            .copied()
                                            .filter(|&c| companies[c].vendor),
                                    )
                                })
                                .collect(),
                        );
                        let code_groups: BTreeSet<usize> = code
                            .iter()
                            .flat_map(|&v| structure.group[v].iter().copied())
                            .collect();
                        let control_countries: BTreeSet<Country> = code
                            .iter()
                            .flat_map(|&v| structure.control_countries[v].iter().copied())
                            .collect();
                        // The groups of the vendors of this release and of
                        // its components, whose product is in one of `categories`.
                        let groups_in = |components: &BTreeSet<usize>,
                                         categories: &[Category]|
                         -> BTreeSet<usize> {
                            std::iter::once(r)
                                .chain(components.iter().copied())
                                .filter(|&c| categories.contains(&product_of(c).category))
                                .flat_map(|c| structure.group[vendor_of_release(c)].iter().copied())
                                .collect()
                        };
                        let own_group = &structure.group[own];
                        let controlled_by = |v: Option<usize>| {
                            v.is_some_and(|v| own == v || structure.controllers[own].contains(&v))
                        };
                        ReleaseFacts {
                            category: product.category,
                            user_data_access: product.user_data_access,
                            third_party_interconnection: product.third_party_interconnection,
                            data_ru: release.data_countries.contains(&ru),
                            service_ru: release.service_countries.contains(&ru),
                            control_ru: control_countries.contains(&ru),
                            control_cn: control_countries.contains(&cn),
                            vendor_kaspersky: meets(own_group, &kaspersky),
                            vendor_kaspersky_inc: meets(own_group, &kaspersky_inc),
                            vendor_pacific_networks: meets(own_group, &pacific_networks),
                            vendor_china_unicom: china_unicom
                                .is_some_and(|v| own_group.contains(&v)),
                            in_china_mobile: controlled_by(china_mobile),
                            in_china_telecom: controlled_by(china_telecom),
                            code_kaspersky: meets(&code_groups, &kaspersky),
                            code_majority_kaspersky: ao_kaspersky.is_some_and(|ao| {
                                code.iter()
                                    .any(|&v| structure.majority_owners[v].contains(&ao))
                            }),
                            integrated_kaspersky: meets(
                                &groups_in(
                                    &everything[r],
                                    &[Category::Antivirus, Category::SecuritySoftware],
                                ),
                                &kaspersky_inc,
                            ),
                            essential_huawei_zte: meets(
                                &groups_in(
                                    &essential[r],
                                    &[Category::Telecom, Category::TelecomService],
                                ),
                                &huawei_zte,
                            ),
                            essential_hytera_hikvision_dahua: meets(
                                &groups_in(
                                    &essential[r],
                                    &[
                                        Category::VideoSurveillance,
                                        Category::Telecom,
                                        Category::TelecomService,
                                    ],
                                ),
                                &hytera_hikvision_dahua,
                            ),
                            vendor_blocked: structure.blocked[own],
                            authorisations: inventory
                                .authorisations
                                .iter()
                                .filter(|a| {
                                    a.product == release.product
                                        && a.versions.matches(&release.version)
                                })
                                .map(|a| {
                                    let levels =
                                        a.assurance.and_below().map(level_bit).sum::<u64>();
                                    (levels, a.lapses)
                                })
                                .collect(),
                        }
                    })
                    .collect();
                let waiver_releases = inventory
                    .waivers
                    .iter()
                    .map(|w| {
                        let vendors: BTreeSet<usize> = w
                            .vendors
                            .iter()
                            .map(|v| company_index[v.as_str()])
                            .collect();
                        inventory
                            .releases
                            .iter()
                            .zip(&code_vendors_of)
                            .map(|(r, code)| {
                                w.products.contains(&r.product) || !vendors.is_disjoint(code)
                            })
                            .collect()
                    })
                    .collect();
                Epoch {
                    from,
                    releases,
                    waiver_releases,
                }
            })
            .collect();

        let mut organisations_of = Vec::with_capacity(inventory.systems.len());
        let systems = inventory
            .systems
            .iter()
            .map(|system| {
                let owner = organisation_index[system.owner.as_str()];
                let mut organisations = vec![owner];
                let mut at = owner;
                while let Some(up) = &inventory.organisations[at].parent {
                    at = organisation_index[up.as_str()];
                    organisations.push(at);
                }
                let roles: BTreeSet<Role> = organisations
                    .iter()
                    .flat_map(|&o| inventory.organisations[o].roles.iter().copied())
                    .collect();
                organisations_of.push(organisations);
                let has = |role: Role| roles.contains(&role);
                let country = inventory.organisations[owner].country.code();
                SystemFacts {
                    gb: country == "GB",
                    us: country == "US",
                    de: country == "DE",
                    lt: country == "LT",
                    nl: country == "NL",
                    sector: inventory.organisations[owner].sector,
                    federal_executive: has(Role::FederalExecutiveBranch),
                    federal_branch: has(Role::FederalExecutiveBranch)
                        || has(Role::FederalLegislativeBranch)
                        || has(Role::FederalJudicialBranch),
                    federal_contractor: has(Role::FederalContractor),
                    commonwealth_entity: has(Role::NonCorporateCommonwealthEntity),
                    usf_recipient: has(Role::UsfRecipient),
                    defence_contractor: has(Role::DefenceContractor),
                    ncsc_2022_role: has(Role::ServesUkraine)
                        || has(Role::CniServiceProvider)
                        || has(Role::HighProfile)
                        || has(Role::CounterRussianStateInterests),
                    tier: system.classification.rank(),
                    national_security: system.national_security,
                    national_security_system: system.national_security_system,
                    sensitive_site: system.sensitive_site,
                    core_network: system.core_network,
                    critical: system.critical,
                    purposes_889: system.purposes.iter().any(|p| {
                        matches!(
                            p,
                            Purpose::PublicSafety
                                | Purpose::GovernmentFacilitySecurity
                                | Purpose::CriticalInfrastructureSurveillance
                                | Purpose::NationalSecurity
                        )
                    }),
                    purposes_1634: system.purposes.iter().any(|p| {
                        matches!(
                            p,
                            Purpose::SuppliedToFederalGovernment
                                | Purpose::FederalContractDeliverables
                        )
                    }),
                    requires: system.requires.iter().map(|a| level_bit(*a)).sum(),
                }
            })
            .collect();

        let waivers = inventory
            .waivers
            .iter()
            .map(|w| {
                let organisations: BTreeSet<usize> = w
                    .organisations
                    .iter()
                    .map(|o| organisation_index[o.as_str()])
                    .collect();
                let named = |suffix: &str, accepting: u64| -> u64 {
                    RULES
                        .iter()
                        .enumerate()
                        .filter(|(i, id)| {
                            accepting & (1 << i) != 0 && w.rules.contains(&format!("{id}{suffix}"))
                        })
                        .map(|(i, _)| 1 << i)
                        .sum()
                };
                WaiverFacts {
                    by_id: named("", WAIVABLE_BY_ID),
                    by_dni: named("/dni", WAIVABLE_BY_DNI),
                    actions: w.actions.iter().copied().collect(),
                    from: w.from,
                    until: w.until,
                    systems: inventory
                        .systems
                        .iter()
                        .zip(&organisations_of)
                        .map(|(s, orgs)| {
                            w.systems.contains(&s.id)
                                || orgs.iter().any(|o| organisations.contains(o))
                        })
                        .collect(),
                }
            })
            .collect();

        HandWritten {
            epochs,
            systems,
            waivers,
            release_index,
            system_index,
        }
    }

    /// The epoch an instant falls in.
    fn epoch(&self, at: Instant) -> &Epoch {
        let after = self.epochs.partition_point(|e| e.from <= at);
        &self.epochs[after.saturating_sub(1)]
    }

    /// Every release against every system, row by row (as `Engine::matrix`).
    pub fn matrix(&self, action: Action, at: Instant) -> Vec<HandDecision> {
        let gates = Gates::at(at);
        let epoch = self.epoch(at);
        let assurance: Vec<u64> = epoch.releases.iter().map(|r| held(r, at)).collect();
        let active: Vec<usize> = self.active_waivers(action, at);
        let mut out = Vec::with_capacity(epoch.releases.len() * self.systems.len());
        for (r, release) in epoch.releases.iter().enumerate() {
            for (s, system) in self.systems.iter().enumerate() {
                out.push(self.evaluate(
                    &gates,
                    epoch,
                    &active,
                    r,
                    release,
                    s,
                    system,
                    action,
                    assurance[r],
                ));
            }
        }
        out
    }

    /// One decision, by ids; `None` for an unknown id.
    pub fn decide(
        &self,
        system: &str,
        action: Action,
        release: &str,
        at: Instant,
    ) -> Option<HandDecision> {
        let s = *self.system_index.get(system)?;
        let r = *self.release_index.get(release)?;
        let epoch = self.epoch(at);
        let active = self.active_waivers(action, at);
        Some(self.evaluate(
            &Gates::at(at),
            epoch,
            &active,
            r,
            &epoch.releases[r],
            s,
            &self.systems[s],
            action,
            held(&epoch.releases[r], at),
        ))
    }

    /// Each deployment of `inventory` (the one this was built from), for
    /// `action`, in order (as `Engine::sweep` for `operate`).
    pub fn sweep(&self, inventory: &Inventory, action: Action, at: Instant) -> Vec<HandDecision> {
        let gates = Gates::at(at);
        let epoch = self.epoch(at);
        let active = self.active_waivers(action, at);
        inventory
            .deployments
            .iter()
            .map(|d| {
                let s = self.system_index[d.system.as_str()];
                let r = self.release_index[d.release.as_str()];
                let release = &epoch.releases[r];
                let held = held(release, at);
                self.evaluate(
                    &gates,
                    epoch,
                    &active,
                    r,
                    release,
                    s,
                    &self.systems[s],
                    action,
                    held,
                )
            })
            .collect()
    }

    fn active_waivers(&self, action: Action, at: Instant) -> Vec<usize> {
        self.waivers
            .iter()
            .enumerate()
            .filter(|(_, w)| {
                w.actions.contains(&action) && w.from.is_none_or(|from| from <= at) && at < w.until
            })
            .map(|(i, _)| i)
            .collect()
    }

    #[allow(clippy::too_many_arguments)]
    #[inline]
    fn evaluate(
        &self,
        gates: &Gates,
        epoch: &Epoch,
        active: &[usize],
        r: usize,
        release: &ReleaseFacts,
        s: usize,
        system: &SystemFacts,
        action: Action,
        assurance: u64,
    ) -> HandDecision {
        let covers = |w: usize| epoch.waiver_releases[w][r] && self.waivers[w].systems[s];
        let (mut by_id, mut by_dni) = (0, 0);
        for &w in active {
            if covers(w) {
                by_id |= self.waivers[w].by_id;
                by_dni |= self.waivers[w].by_dni;
            }
        }
        let forbidden = forbids(gates, release, system, action, assurance, by_id, by_dni);
        let mut used = 0;
        if by_id | by_dni != 0 {
            // A waiver is used if, with its own keys alone, a rule it names
            // that would have matched without any waiver does not match: an
            // agency head's waiver past its cap lifts nothing, even beside a
            // DNI waiver that lifts the same rule.
            let lifted = forbids(gates, release, system, action, assurance, 0, 0) & !forbidden;
            for &w in active {
                let waiver = &self.waivers[w];
                let named = (waiver.by_id | waiver.by_dni) & lifted;
                if covers(w) && named != 0 {
                    let alone = forbids(
                        gates,
                        release,
                        system,
                        action,
                        assurance,
                        waiver.by_id,
                        waiver.by_dni,
                    );
                    if named & !alone != 0 {
                        used |= 1 << w;
                    }
                }
            }
        }
        HandDecision {
            allow: forbidden == 0,
            deciding: if forbidden == 0 { PERMIT } else { forbidden },
            advice: advice(gates, release, system, action),
            waivers: used,
        }
    }
}

/// The levels a release holds at an instant.
fn held(release: &ReleaseFacts, at: Instant) -> u64 {
    release
        .authorisations
        .iter()
        .filter(|(_, lapses)| lapses.is_none_or(|lapses| at < lapses))
        .fold(0, |held, (levels, _)| held | levels)
}

/// `["central-government", "defence"].contains(principal.owner.sector)`.
fn department(s: &SystemFacts) -> bool {
    matches!(s.sector, Sector::CentralGovernment | Sector::Defence)
}

/// The systems `lt-2017` covers.
fn lt_covered(s: &SystemFacts) -> bool {
    s.lt && (s.critical
        || matches!(
            s.sector,
            Sector::CentralGovernment | Sector::Defence | Sector::WiderPublicSector
        ))
}

/// Chinese-controlled video surveillance, as `uk-wms-2022-surveillance` reads it.
fn chinese_surveillance(r: &ReleaseFacts) -> bool {
    r.category == Category::VideoSurveillance && r.control_cn
}

/// The binding forbids that match, given the rules waived by their id and by
/// their `/dni` key.
#[inline]
fn forbids(
    g: &Gates,
    r: &ReleaseFacts,
    s: &SystemFacts,
    action: Action,
    assurance: u64,
    by_id: u64,
    by_dni: u64,
) -> u64 {
    use Category::*;
    let mut m = 0;
    let antivirus = r.category == Antivirus;
    let acquire = matches!(action, Action::Procure | Action::Deploy | Action::Update);
    let new_use = matches!(action, Action::Procure | Action::Deploy);

    // uk-ncsc-2017
    if s.gb && department(s) && g.ncsc_2017 && antivirus {
        if s.tier >= 3 {
            if r.control_ru {
                m |= UK_SECRET;
            }
            if r.data_ru {
                m |= UK_SECRET_DATA;
            }
        }
        if s.national_security {
            if r.control_ru {
                m |= UK_NATIONAL_SECURITY;
            }
            if r.data_ru {
                m |= UK_NATIONAL_SECURITY_DATA;
            }
        }
    }
    // uk-wms-2022-surveillance
    if s.gb && department(s) && g.wms && chinese_surveillance(r) {
        if action == Action::Deploy && s.sensitive_site {
            m |= WMS_SENSITIVE_SITES;
        }
        if s.core_network && matches!(action, Action::Deploy | Action::Operate | Action::Update) {
            m |= WMS_CORE_NETWORKS;
        }
    }
    // us-bod-17-01
    if s.federal_executive
        && !s.national_security_system
        && g.bod
        && !matches!(r.category, ThreatIntelligence | SecurityTraining)
        && r.vendor_kaspersky
    {
        m |= BOD_17_01;
    }
    // us-ndaa-1634
    if (s.federal_branch || (s.federal_contractor && s.purposes_1634))
        && g.ndaa_1634
        && (r.code_kaspersky || r.code_majority_kaspersky)
    {
        m |= NDAA_1634;
    }
    // us-ndaa-889: agency heads' waivers until a cap, the DNI's without one.
    let covered_889 = !r.third_party_interconnection && r.user_data_access;
    let waived = |rule: u64, capped: bool| (by_id & rule != 0 && capped) || by_dni & rule != 0;
    if acquire && s.federal_executive && g.agency_889 && covered_889 {
        if r.essential_huawei_zte && !waived(AGENCY_TELECOM, g.agency_889_waivable) {
            m |= AGENCY_TELECOM;
        }
        if s.purposes_889
            && r.essential_hytera_hikvision_dahua
            && !waived(AGENCY_VIDEO, g.agency_889_waivable)
        {
            m |= AGENCY_VIDEO;
        }
    }
    if s.federal_contractor && g.contractor_889 && covered_889 {
        if r.essential_huawei_zte && !waived(CONTRACTOR_TELECOM, g.contractor_889_waivable) {
            m |= CONTRACTOR_TELECOM;
        }
        if s.purposes_889
            && r.essential_hytera_hikvision_dahua
            && !waived(CONTRACTOR_VIDEO, g.contractor_889_waivable)
        {
            m |= CONTRACTOR_VIDEO;
        }
    }
    // us-icts-2024-kaspersky
    if s.us {
        let exempt = matches!(
            r.category,
            ThreatIntelligence | SecurityTraining | SecurityConsulting
        );
        let integrated = !r.vendor_kaspersky_inc && r.integrated_kaspersky;
        let covered = (r.vendor_kaspersky_inc && !exempt) || integrated;
        match action {
            Action::Procure => {
                if g.icts_new && r.vendor_kaspersky_inc && !exempt {
                    m |= ICTS_NEW;
                }
                if g.icts_white_label && integrated {
                    m |= ICTS_INTEGRATED;
                }
            }
            Action::Deploy if g.icts_white_label && covered => m |= ICTS_PROVISION,
            Action::Update if g.icts_white_label && covered => m |= ICTS_UPDATES,
            _ => {}
        }
    }
    // us-fcc-covered-list
    if s.usf_recipient && acquire {
        if g.fcc_2021 && r.essential_huawei_zte {
            m |= FCC_HUAWEI_ZTE;
        }
        if g.fcc_2021 && s.purposes_889 && r.essential_hytera_hikvision_dahua {
            m |= FCC_HYTERA_HIKVISION_DAHUA;
        }
        if g.fcc_march_2022
            && matches!(
                r.category,
                Antivirus
                    | SecuritySoftware
                    | ThreatIntelligence
                    | SecurityTraining
                    | SecurityConsulting
            )
            && r.vendor_kaspersky
        {
            m |= FCC_KASPERSKY;
        }
        if r.category == TelecomService {
            if g.fcc_march_2022 && r.in_china_mobile {
                m |= FCC_CHINA_MOBILE;
            }
            if g.fcc_march_2022 && r.in_china_telecom {
                m |= FCC_CHINA_TELECOM;
            }
            if g.fcc_september_2022 && r.vendor_pacific_networks {
                m |= FCC_PACIFIC_NETWORKS;
            }
            if g.fcc_september_2022 && r.vendor_china_unicom {
                m |= FCC_CHINA_UNICOM;
            }
        }
    }
    // us-ofac-50: no date; an OFAC licence lifts it.
    if s.us
        && matches!(action, Action::Procure | Action::Update)
        && r.vendor_blocked
        && by_id & OFAC == 0
    {
        m |= OFAC;
    }
    // au-pspf-002-2025
    if s.commonwealth_entity && g.pspf && r.vendor_kaspersky_inc && by_id & PSPF == 0 {
        m |= PSPF;
    }
    // lt-2017
    if new_use && lt_covered(s) && g.lt && r.vendor_kaspersky {
        m |= LT_NEW_USE;
    }
    // nl-2018
    if new_use && s.nl && department(s) && g.nl && antivirus && r.vendor_kaspersky {
        m |= NL_GOVERNMENT;
    }
    // assurance
    if s.requires & !assurance != 0 {
        m |= ASSURANCE;
    }
    m
}

/// The advice that matches.
#[inline]
fn advice(g: &Gates, r: &ReleaseFacts, s: &SystemFacts, action: Action) -> u64 {
    let mut m = 0;
    let existing_use = matches!(action, Action::Operate | Action::Update);
    let kaspersky_antivirus = r.vendor_kaspersky && r.category == Category::Antivirus;
    if s.gb
        && s.sector != Sector::Consumer
        && (matches!(
            s.sector,
            Sector::CentralGovernment
                | Sector::Defence
                | Sector::WiderPublicSector
                | Sector::CriticalNationalInfrastructure
        ) || s.ncsc_2022_role)
        && g.ncsc_2022
        && (r.control_ru || r.service_ru)
    {
        m |= UK_RECONSIDER_2022;
    }
    if action == Action::Operate
        && s.gb
        && department(s)
        && s.sensitive_site
        && g.wms
        && chinese_surveillance(r)
    {
        m |= WMS_CONSIDER_REMOVAL;
    }
    if s.de && g.bsi && kaspersky_antivirus {
        m |= BSI;
    }
    if existing_use && lt_covered(s) && g.lt && r.vendor_kaspersky {
        m |= LT_EXISTING_USE;
    }
    if s.nl && g.nl && kaspersky_antivirus {
        if existing_use && department(s) {
            m |= NL_PHASE_OUT;
        }
        if s.sector == Sector::CriticalNationalInfrastructure || s.critical {
            m |= NL_VITAL;
        }
        if s.defence_contractor {
            m |= NL_DEFENCE_CONTRACTORS;
        }
    }
    m
}
