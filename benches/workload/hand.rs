//! The shipped packs' rules written by hand in plain Rust: the floor a
//! benchmark compares the engine with.
//!
//! [`HandWritten::new`] re-derives from the [`Inventory`] what `src/cedar/facts.rs`
//! computes (the vendors whose code a release contains, through control chains
//! and embedded components; the countries controlling them; the roles of a
//! system's organisations; the authorisations covering each version; the scope
//! of each waiver), reduced to flags and bit masks. Each rule of the shipped
//! packs is then a boolean expression over them. It answers what the engine
//! answers (verdict, deciding rule ids, advice ids, waivers used) but as bit
//! masks, without explanations or allocations per decision.
//!
//! It must agree with the engine: `tests/workload.rs` checks every decision of
//! the reference workload. If a shipped pack changes, change [`RULES`] and the
//! rule functions below with it.

use std::collections::{BTreeSet, HashMap};

use clearance::{
    Action, Assurance, Category, Country, Instant, Inventory, Purpose, Role, Scheme, Sector,
};

/// The ids of every rule of the shipped packs; bit `i` of a mask is `RULES[i]`.
pub const RULES: [&str; 18] = [
    "baseline/permit-unless-forbidden",
    "uk-ncsc-2017/secret-and-above",
    "uk-ncsc-2017/national-security-assessed",
    "uk-ncsc-2017/reconsider-russian-controlled-2022",
    "us-bod-17-01/kaspersky-security-products",
    "us-icts-2024-kaspersky/new-transactions",
    "us-icts-2024-kaspersky/updates",
    "us-ndaa-1634/kaspersky",
    "us-ndaa-889/agency-telecom",
    "us-ndaa-889/agency-video-surveillance",
    "us-ndaa-889/contractor-telecom",
    "us-ndaa-889/contractor-video-surveillance",
    "au-pspf-002-2025/kaspersky",
    "de-bsi-2022/replace-kaspersky-antivirus",
    "lt-2017/kaspersky",
    "nl-2018/national-government-antivirus",
    "nl-2018/vital-sectors",
    "assurance/required-assurance",
];

const PERMIT: u32 = 1 << 0;
const UK_SECRET: u32 = 1 << 1;
const UK_NATIONAL_SECURITY: u32 = 1 << 2;
const UK_RECONSIDER_2022: u32 = 1 << 3;
const BOD_17_01: u32 = 1 << 4;
const ICTS_NEW: u32 = 1 << 5;
const ICTS_UPDATES: u32 = 1 << 6;
const NDAA_1634: u32 = 1 << 7;
const AGENCY_TELECOM: u32 = 1 << 8;
const AGENCY_VIDEO: u32 = 1 << 9;
const CONTRACTOR_TELECOM: u32 = 1 << 10;
const CONTRACTOR_VIDEO: u32 = 1 << 11;
const PSPF: u32 = 1 << 12;
const BSI: u32 = 1 << 13;
const LT: u32 = 1 << 14;
const NL_GOVERNMENT: u32 = 1 << 15;
const NL_VITAL: u32 = 1 << 16;
const ASSURANCE: u32 = 1 << 17;

/// One decision, as masks over [`RULES`] and the inventory's waivers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HandDecision {
    /// Allow, or Deny.
    pub allow: bool,
    /// The binding forbids that matched (Deny), or the permits (Allow).
    pub deciding: u32,
    /// The advice that matched.
    pub advice: u32,
    /// The waivers (bit = index in the inventory) that lifted a rule.
    pub waivers: u64,
}

fn ids(mask: u32) -> Vec<&'static str> {
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

struct ReleaseFacts {
    category: Category,
    /// `resource in Vendor::"ao-kaspersky-lab"`: its product's vendor is
    /// Kaspersky or controlled by it (corporate control, not embedding).
    in_kaspersky: bool,
    /// `resource.codeVendors` contains these.
    code_kaspersky: bool,
    code_huawei_zte: bool,
    code_hytera_hikvision_dahua: bool,
    /// `resource.controlCountries.contains("RU")`.
    control_ru: bool,
    /// `resource.dataCountries.contains("RU")`.
    data_ru: bool,
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
    federal_executive: bool,
    federal_contractor: bool,
    commonwealth_entity: bool,
    serves_ukraine: bool,
    tier: i64,
    national_security: bool,
    critical: bool,
    /// Any of the purposes section 889 names.
    purposes_889: bool,
    requires: u64,
}

struct WaiverFacts {
    rules: u32,
    actions: Vec<Action>,
    from: Option<Instant>,
    until: Instant,
    releases: Vec<bool>,
    systems: Vec<bool>,
}

/// The dates the rules turn on, as booleans for one instant.
struct Gates {
    bod: bool,
    ndaa_1634: bool,
    agency_889: bool,
    agency_889_waivable: bool,
    contractor_889: bool,
    contractor_889_waivable: bool,
    icts_new: bool,
    icts_updates: bool,
    pspf: bool,
    bsi: bool,
    lt: bool,
    nl: bool,
    ncsc_2022: bool,
}

impl Gates {
    fn at(now: Instant) -> Gates {
        let on = |date: &str| now >= date.parse::<Instant>().expect("a valid date");
        Gates {
            bod: on("2017-12-12"),
            ndaa_1634: on("2018-10-01"),
            agency_889: on("2019-08-13"),
            agency_889_waivable: !on("2021-08-13"),
            contractor_889: on("2020-08-13"),
            contractor_889_waivable: !on("2022-08-13"),
            icts_new: on("2024-07-20"),
            icts_updates: on("2024-09-29"),
            pspf: on("2025-04-01"),
            bsi: on("2022-03-15"),
            lt: on("2017-12-21"),
            nl: on("2018-05-14"),
            ncsc_2022: on("2022-03-14"),
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

/// The shipped packs' rules over precomputed facts of one inventory.
pub struct HandWritten {
    releases: Vec<ReleaseFacts>,
    systems: Vec<SystemFacts>,
    waivers: Vec<WaiverFacts>,
    release_index: HashMap<String, usize>,
    system_index: HashMap<String, usize>,
}

impl HandWritten {
    /// Precomputes the facts of a validated inventory.
    pub fn new(inventory: &Inventory) -> HandWritten {
        assert!(inventory.waivers.len() <= 64, "waivers are a u64 mask");
        let index = |ids: Vec<&str>| -> HashMap<String, usize> {
            ids.into_iter()
                .enumerate()
                .map(|(i, id)| (id.to_owned(), i))
                .collect()
        };
        let vendor_index = index(inventory.vendors.iter().map(|v| v.id.as_str()).collect());
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

        // Each vendor, then each vendor controlling it.
        let control: Vec<Vec<usize>> = (0..inventory.vendors.len())
            .map(|v| {
                let mut chain = vec![v];
                let mut at = v;
                while let Some(up) = &inventory.vendors[at].controlled_by {
                    at = vendor_index[up.as_str()];
                    chain.push(at);
                }
                chain
            })
            .collect();
        let vendor_of_release = |r: usize| {
            let product =
                &inventory.products[product_index[inventory.releases[r].product.as_str()]];
            vendor_index[product.vendor.as_str()]
        };
        let vendor = |name: &str| vendor_index.get(name).copied();
        let kaspersky = vendor("ao-kaspersky-lab");
        let huawei_zte = [vendor("huawei"), vendor("zte")];
        let hytera_hikvision_dahua = [vendor("hytera"), vendor("hikvision"), vendor("dahua")];
        let ru: Country = "RU".parse().expect("a country");

        let mut code_vendors_of = Vec::with_capacity(inventory.releases.len());
        let releases = (0..inventory.releases.len())
            .map(|r| {
                let release = &inventory.releases[r];
                let product = &inventory.products[product_index[release.product.as_str()]];
                // Every release embedded, at any depth.
                let mut embedded = BTreeSet::new();
                let mut stack: Vec<usize> = release
                    .components
                    .iter()
                    .map(|c| release_index[c.as_str()])
                    .collect();
                while let Some(next) = stack.pop() {
                    if embedded.insert(next) {
                        stack.extend(
                            inventory.releases[next]
                                .components
                                .iter()
                                .map(|c| release_index[c.as_str()]),
                        );
                    }
                }
                let mut code_vendors: BTreeSet<usize> =
                    control[vendor_of_release(r)].iter().copied().collect();
                for &e in &embedded {
                    code_vendors.extend(&control[vendor_of_release(e)]);
                }
                let has = |v: Option<usize>| v.is_some_and(|v| code_vendors.contains(&v));
                let facts = ReleaseFacts {
                    category: product.category,
                    in_kaspersky: kaspersky
                        .is_some_and(|k| control[vendor_of_release(r)].contains(&k)),
                    code_kaspersky: has(kaspersky),
                    code_huawei_zte: huawei_zte.iter().any(|v| has(*v)),
                    code_hytera_hikvision_dahua: hytera_hikvision_dahua.iter().any(|v| has(*v)),
                    control_ru: code_vendors.iter().any(|&v| {
                        inventory.vendors[v].incorporated == ru
                            || inventory.vendors[v].headquarters == ru
                    }),
                    data_ru: release.data_countries.contains(&ru),
                    authorisations: inventory
                        .authorisations
                        .iter()
                        .filter(|a| {
                            a.product == release.product && a.versions.matches(&release.version)
                        })
                        .map(|a| {
                            let levels = a.assurance.and_below().map(level_bit).sum::<u64>();
                            (levels, a.lapses)
                        })
                        .collect(),
                };
                code_vendors_of.push(code_vendors);
                facts
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
                let country = inventory.organisations[owner].country.code();
                SystemFacts {
                    gb: country == "GB",
                    us: country == "US",
                    de: country == "DE",
                    lt: country == "LT",
                    nl: country == "NL",
                    sector: inventory.organisations[owner].sector,
                    federal_executive: roles.contains(&Role::FederalExecutiveBranch),
                    federal_contractor: roles.contains(&Role::FederalContractor),
                    commonwealth_entity: roles.contains(&Role::NonCorporateCommonwealthEntity),
                    serves_ukraine: roles.contains(&Role::ServesUkraine),
                    tier: system.classification.rank(),
                    national_security: system.national_security,
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
                    requires: system.requires.iter().map(|a| level_bit(*a)).sum(),
                }
            })
            .collect();

        let waivers = inventory
            .waivers
            .iter()
            .map(|w| {
                let products: BTreeSet<&str> = w.products.iter().map(|p| p.as_str()).collect();
                let vendors: BTreeSet<usize> =
                    w.vendors.iter().map(|v| vendor_index[v.as_str()]).collect();
                let organisations: BTreeSet<usize> = w
                    .organisations
                    .iter()
                    .map(|o| organisation_index[o.as_str()])
                    .collect();
                WaiverFacts {
                    rules: RULES
                        .iter()
                        .enumerate()
                        .filter(|(_, id)| w.rules.contains(**id))
                        .map(|(i, _)| 1 << i)
                        .sum(),
                    actions: w.actions.iter().copied().collect(),
                    from: w.from,
                    until: w.until,
                    releases: inventory
                        .releases
                        .iter()
                        .zip(&code_vendors_of)
                        .map(|(r, code)| {
                            products.contains(r.product.as_str()) || !vendors.is_disjoint(code)
                        })
                        .collect(),
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
            releases,
            systems,
            waivers,
            release_index,
            system_index,
        }
    }

    /// Every release against every system, row by row (as `Engine::matrix`).
    pub fn matrix(&self, action: Action, at: Instant) -> Vec<HandDecision> {
        let gates = Gates::at(at);
        let assurance: Vec<u64> = self.releases.iter().map(|r| held(r, at)).collect();
        let active: Vec<usize> = self.active_waivers(action, at);
        let mut out = Vec::with_capacity(self.releases.len() * self.systems.len());
        for (r, release) in self.releases.iter().enumerate() {
            for (s, system) in self.systems.iter().enumerate() {
                out.push(self.evaluate(
                    &gates,
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
        let active = self.active_waivers(action, at);
        Some(self.evaluate(
            &Gates::at(at),
            &active,
            r,
            &self.releases[r],
            s,
            &self.systems[s],
            action,
            held(&self.releases[r], at),
        ))
    }

    /// Each deployment of `inventory` (the one this was built from), for
    /// `action`, in order (as `Engine::sweep` for `operate`).
    pub fn sweep(&self, inventory: &Inventory, action: Action, at: Instant) -> Vec<HandDecision> {
        let gates = Gates::at(at);
        let active = self.active_waivers(action, at);
        inventory
            .deployments
            .iter()
            .map(|d| {
                let s = self.system_index[d.system.as_str()];
                let r = self.release_index[d.release.as_str()];
                let release = &self.releases[r];
                let held = held(release, at);
                self.evaluate(
                    &gates,
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
        active: &[usize],
        r: usize,
        release: &ReleaseFacts,
        s: usize,
        system: &SystemFacts,
        action: Action,
        assurance: u64,
    ) -> HandDecision {
        let mut waived = 0;
        for &w in active {
            let waiver = &self.waivers[w];
            if waiver.releases[r] && waiver.systems[s] {
                waived |= waiver.rules;
            }
        }
        let forbidden = forbids(gates, release, system, action, assurance, waived);
        let mut used = 0;
        if waived != 0 {
            let lifted = forbids(gates, release, system, action, assurance, 0) & !forbidden;
            for &w in active {
                let waiver = &self.waivers[w];
                if waiver.releases[r] && waiver.systems[s] && waiver.rules & lifted != 0 {
                    used |= 1 << w;
                }
            }
        }
        HandDecision {
            allow: forbidden == 0,
            deciding: if forbidden == 0 { PERMIT } else { forbidden },
            advice: advice(gates, release, system),
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

/// The binding forbids that match, given the rules waived.
#[inline]
fn forbids(
    g: &Gates,
    r: &ReleaseFacts,
    s: &SystemFacts,
    action: Action,
    assurance: u64,
    waived: u32,
) -> u32 {
    use Category::*;
    let mut m = 0;
    let government = matches!(s.sector, Sector::CentralGovernment | Sector::Defence);
    let russia_based = r.control_ru || r.data_ru;
    let antivirus = r.category == Antivirus;
    let security = matches!(r.category, Antivirus | SecuritySoftware);
    let equipment = matches!(r.category, Telecom | VideoSurveillance);
    let acquire = matches!(action, Action::Procure | Action::Deploy | Action::Update);

    if s.gb && government && antivirus && russia_based {
        if s.tier >= 3 {
            m |= UK_SECRET;
        }
        if s.national_security {
            m |= UK_NATIONAL_SECURITY;
        }
    }
    if r.in_kaspersky
        && s.federal_executive
        && g.bod
        && matches!(
            r.category,
            Antivirus | SecuritySoftware | ThreatIntelligence
        )
    {
        m |= BOD_17_01;
    }
    if s.us && security && r.code_kaspersky {
        if action == Action::Procure && g.icts_new {
            m |= ICTS_NEW;
        }
        if action == Action::Update && g.icts_updates {
            m |= ICTS_UPDATES;
        }
    }
    if (s.federal_executive || s.federal_contractor) && g.ndaa_1634 && r.code_kaspersky {
        m |= NDAA_1634;
    }
    if acquire && s.federal_executive && g.agency_889 && equipment {
        let lifted = |rule| waived & rule != 0 && g.agency_889_waivable;
        if r.code_huawei_zte && !lifted(AGENCY_TELECOM) {
            m |= AGENCY_TELECOM;
        }
        if r.code_hytera_hikvision_dahua && s.purposes_889 && !lifted(AGENCY_VIDEO) {
            m |= AGENCY_VIDEO;
        }
    }
    if s.federal_contractor && g.contractor_889 && equipment {
        let lifted = |rule| waived & rule != 0 && g.contractor_889_waivable;
        if r.code_huawei_zte && !lifted(CONTRACTOR_TELECOM) {
            m |= CONTRACTOR_TELECOM;
        }
        if r.code_hytera_hikvision_dahua && s.purposes_889 && !lifted(CONTRACTOR_VIDEO) {
            m |= CONTRACTOR_VIDEO;
        }
    }
    if r.in_kaspersky {
        if s.commonwealth_entity && g.pspf && waived & PSPF == 0 {
            m |= PSPF;
        }
        if s.lt && g.lt && (s.critical || government) {
            m |= LT;
        }
        if s.nl && government && g.nl && antivirus {
            m |= NL_GOVERNMENT;
        }
    }
    if s.requires & !assurance != 0 {
        m |= ASSURANCE;
    }
    m
}

/// The advice that matches.
#[inline]
fn advice(g: &Gates, r: &ReleaseFacts, s: &SystemFacts) -> u32 {
    let mut m = 0;
    if s.gb
        && g.ncsc_2022
        && (matches!(
            s.sector,
            Sector::WiderPublicSector | Sector::CriticalNationalInfrastructure
        ) || s.serves_ukraine)
        && r.control_ru
    {
        m |= UK_RECONSIDER_2022;
    }
    if r.in_kaspersky && r.category == Category::Antivirus {
        if s.de && g.bsi {
            m |= BSI;
        }
        if s.nl && (s.sector == Sector::CriticalNationalInfrastructure || s.critical) && g.nl {
            m |= NL_VITAL;
        }
    }
    m
}
