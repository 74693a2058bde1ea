//! What Cedar cannot compute, computed once per inventory.
//!
//! Cedar follows `in` through entity parents, but cannot follow embedded
//! components, collect the countries behind them, match version ranges or
//! decide which waivers cover a request. These are worked out here, once,
//! and handed to Cedar as attributes and context.

use std::collections::{BTreeSet, HashMap};

use crate::model::{Assurance, Country, CountryGroup, Instant, Inventory, Release, Role};

pub(crate) struct ReleaseFacts {
    pub name: String,
    pub product: usize,
    pub vendor: usize,
    /// Every vendor whose code the release contains, and their controllers.
    pub code_vendors: BTreeSet<usize>,
    /// Incorporation and headquarters countries of `code_vendors`.
    pub control_countries: BTreeSet<Country>,
    /// Authorisations of its product that cover this version: level and lapse.
    pub authorisations: Vec<(Assurance, Option<Instant>)>,
    /// The releases it embeds directly.
    pub components: Vec<usize>,
}

pub(crate) struct SystemFacts {
    /// The owner, then each organisation above it.
    pub organisations: Vec<usize>,
    /// The roles of all of `organisations`.
    pub roles: BTreeSet<Role>,
}

pub(crate) struct WaiverScope {
    pub products: BTreeSet<usize>,
    pub vendors: BTreeSet<usize>,
    pub systems: BTreeSet<usize>,
    pub organisations: BTreeSet<usize>,
}

pub(crate) struct Facts {
    /// For each vendor: itself, then each vendor above it in control.
    pub vendor_chains: Vec<Vec<usize>>,
    pub releases: Vec<ReleaseFacts>,
    pub systems: Vec<SystemFacts>,
    pub waivers: Vec<WaiverScope>,
    pub release_index: HashMap<String, usize>,
    pub system_index: HashMap<String, usize>,
    pub groups: Vec<CountryGroup>,
}

impl Facts {
    /// Assumes a validated inventory: every reference resolves and nothing cycles.
    pub fn new(inventory: &Inventory) -> Facts {
        let vendor_index = index(&inventory.vendors, |v| v.id.as_str());
        let product_index = index(&inventory.products, |p| p.id.as_str());
        let release_index = index(&inventory.releases, |r| r.id.as_str());
        let organisation_index = index(&inventory.organisations, |o| o.id.as_str());
        let system_index = index(&inventory.systems, |s| s.id.as_str());

        let vendor_chains: Vec<Vec<usize>> = (0..inventory.vendors.len())
            .map(|start| {
                let mut chain = vec![start];
                while let Some(up) =
                    &inventory.vendors[*chain.last().unwrap_or(&start)].controlled_by
                {
                    chain.push(vendor_index[up.as_str()]);
                }
                chain
            })
            .collect();
        let product_of = |r: &Release| product_index[r.product.as_str()];
        let release_vendor =
            |r: &Release| vendor_index[inventory.products[product_of(r)].vendor.as_str()];

        let releases = inventory
            .releases
            .iter()
            .map(|release| {
                let product = product_index[release.product.as_str()];
                let vendor = release_vendor(release);
                let embedded = embedded_releases(inventory, &release_index, release);
                let mut code_vendors: BTreeSet<usize> =
                    vendor_chains[vendor].iter().copied().collect();
                for &component in &embedded {
                    code_vendors
                        .extend(&vendor_chains[release_vendor(&inventory.releases[component])]);
                }
                let control_countries = code_vendors
                    .iter()
                    .flat_map(|&v| {
                        [
                            inventory.vendors[v].incorporated,
                            inventory.vendors[v].headquarters,
                        ]
                    })
                    .collect();
                let authorisations = inventory
                    .authorisations
                    .iter()
                    .filter(|a| {
                        a.product == release.product && a.versions.matches(&release.version)
                    })
                    .map(|a| (a.assurance, a.lapses))
                    .collect();
                ReleaseFacts {
                    name: display_name(inventory, product, release),
                    product,
                    vendor,
                    code_vendors,
                    control_countries,
                    authorisations,
                    components: release
                        .components
                        .iter()
                        .map(|c| release_index[c.as_str()])
                        .collect(),
                }
            })
            .collect();

        let systems = inventory
            .systems
            .iter()
            .map(|system| {
                let mut organisations = vec![organisation_index[system.owner.as_str()]];
                while let Some(up) =
                    &inventory.organisations[*organisations.last().unwrap_or(&0)].parent
                {
                    organisations.push(organisation_index[up.as_str()]);
                }
                let roles = organisations
                    .iter()
                    .flat_map(|&o| inventory.organisations[o].roles.iter().copied())
                    .collect();
                SystemFacts {
                    organisations,
                    roles,
                }
            })
            .collect();

        let waivers = inventory
            .waivers
            .iter()
            .map(|w| WaiverScope {
                products: w
                    .products
                    .iter()
                    .map(|p| product_index[p.as_str()])
                    .collect(),
                vendors: w.vendors.iter().map(|v| vendor_index[v.as_str()]).collect(),
                systems: w.systems.iter().map(|s| system_index[s.as_str()]).collect(),
                organisations: w
                    .organisations
                    .iter()
                    .map(|o| organisation_index[o.as_str()])
                    .collect(),
            })
            .collect();

        let mut groups = vec![CountryGroup::us_foreign_adversaries()];
        groups.extend(inventory.country_groups.iter().cloned());

        Facts {
            vendor_chains,
            releases,
            systems,
            waivers,
            release_index: owned(release_index),
            system_index: owned(system_index),
            groups,
        }
    }

    /// The ids of the groups any of these countries falls in.
    pub fn groups_of<'a>(
        &'a self,
        countries: &'a BTreeSet<Country>,
    ) -> impl Iterator<Item = &'a str> {
        self.groups
            .iter()
            .filter(|g| !g.countries.is_disjoint(countries))
            .map(|g| g.id.as_str())
    }

    /// The assurance a release holds at an instant, each level with every lower one.
    pub fn assurance_at(&self, release: usize, at: Instant) -> BTreeSet<Assurance> {
        self.releases[release]
            .authorisations
            .iter()
            .filter(|(_, lapses)| lapses.is_none_or(|lapses| at < lapses))
            .flat_map(|(assurance, _)| assurance.and_below())
            .collect()
    }

    /// Whether a waiver's scope takes in a release: its product, or a vendor
    /// whose code it contains.
    pub fn waiver_covers_release(&self, waiver: usize, release: usize) -> bool {
        let (scope, r) = (&self.waivers[waiver], &self.releases[release]);
        scope.products.contains(&r.product) || !scope.vendors.is_disjoint(&r.code_vendors)
    }

    /// Whether a waiver's scope takes in a system: itself, or an organisation
    /// it belongs to.
    pub fn waiver_covers_system(&self, waiver: usize, system: usize) -> bool {
        let scope = &self.waivers[waiver];
        scope.systems.contains(&system)
            || self.systems[system]
                .organisations
                .iter()
                .any(|o| scope.organisations.contains(o))
    }
}

fn index<T>(items: &[T], id: impl Fn(&T) -> &str) -> HashMap<&str, usize> {
    items
        .iter()
        .enumerate()
        .map(|(i, item)| (id(item), i))
        .collect()
}

fn owned(index: HashMap<&str, usize>) -> HashMap<String, usize> {
    index.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

fn display_name(inventory: &Inventory, product: usize, release: &Release) -> String {
    release
        .name
        .clone()
        .unwrap_or_else(|| format!("{} {}", inventory.products[product].name, release.version))
}

/// Every release whose code `release` embeds, at any depth (not itself).
fn embedded_releases(
    inventory: &Inventory,
    index: &HashMap<&str, usize>,
    release: &Release,
) -> BTreeSet<usize> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<usize> = release
        .components
        .iter()
        .map(|c| index[c.as_str()])
        .collect();
    while let Some(next) = stack.pop() {
        if seen.insert(next) {
            stack.extend(
                inventory.releases[next]
                    .components
                    .iter()
                    .map(|c| index[c.as_str()]),
            );
        }
    }
    seen
}
