//! What Cedar cannot compute, computed once per inventory and epoch.
//!
//! Cedar follows `in` through entity parents, but cannot follow embedded
//! components, reach a company's parents and sister companies, add up
//! ownership, collect the countries behind a release, match version ranges
//! or decide which waivers cover a request. These are worked out here, from
//! the inventory and the corporate [`Structure`] of one epoch, and handed to
//! Cedar as attributes and context.

use std::collections::{BTreeSet, HashMap};

use crate::cedar::ids::{Ids, Kind};
use crate::corporate::{Node, Structure};
use crate::model::{
    Assurance, Category, ConditionalApproval, Country, CountryGroup, EquipmentException,
    EquipmentKind, Grantor, Instant, Inventory, Production, Release, Role,
};

/// For each product category, a set of vendors, in [`Category::ALL`] order.
pub(crate) type ByCategory = Vec<BTreeSet<Node>>;

pub(crate) struct ReleaseFacts {
    pub name: String,
    pub product: usize,
    pub vendor: usize,
    /// Every vendor whose code the release contains, and their controllers.
    pub code_vendors: BTreeSet<usize>,
    /// Countries of `code_vendors` and of the parties controlling them.
    pub control_countries: BTreeSet<Country>,
    /// Authorisations of its product that cover this version: level and lapse.
    pub authorisations: Vec<(Assurance, Option<Instant>)>,
    /// The releases it embeds directly.
    pub components: Vec<usize>,
    /// The group of its own vendor, and the groups of every code vendor.
    pub vendor_group: BTreeSet<Node>,
    pub code_groups: BTreeSet<Node>,
    /// The majority owners of its own vendor, and of every code vendor.
    pub vendor_majority_owners: BTreeSet<Node>,
    pub code_majority_owners: BTreeSet<Node>,
    /// The groups of every company holding a majority of a code vendor.
    pub code_majority_owner_groups: BTreeSet<Node>,
    /// Whether its own vendor, or any code vendor, is blocked.
    pub vendor_blocked: bool,
    pub code_blocked: bool,
    /// Whether its own vendor is foreign-adversary controlled (PAFACA).
    pub vendor_foreign_adversary: bool,
    /// The groups of the vendors of it and its components, by their category;
    /// and the same through substantial or essential components only.
    pub code_groups_by_category: ByCategory,
    pub essential_groups_by_category: ByCategory,
    /// The groups of the vendors of it and its substantial or essential
    /// components that are telecommunications equipment able to route or
    /// redirect user data traffic or to see user data: section 889's
    /// exception for equipment that cannot is judged on each item itself.
    pub essential_user_data_telecom_groups: BTreeSet<Node>,
    /// How many distinct unattributed components it and every release it
    /// embeds record.
    pub unattributed_components: i64,
    /// The vendors themselves (not their groups) of it and of the
    /// components it embeds whose product is antivirus or security software.
    pub security_code_vendors: BTreeSet<usize>,
    /// The lists naming its own vendor, and any company of that vendor's
    /// group, in this epoch.
    pub vendor_lists: BTreeSet<String>,
    pub vendor_group_lists: BTreeSet<String>,
    pub equipment: EquipmentFacts,
}

/// What the FCC's equipment rules read of a release, in one epoch.
#[derive(Default)]
pub(crate) struct EquipmentFacts {
    /// Every country of every stage of its production given.
    pub produced_in: BTreeSet<Country>,
    /// Whether every stage of its production is given.
    pub production_known: bool,
    /// Who granted the Conditional Approvals in force held by its product
    /// or by its product's vendor.
    pub approved_by: BTreeSet<Grantor>,
    /// The production countries of the UAS critical components it embeds,
    /// at any depth, that hold no Conditional Approval in force: those with
    /// no other exception, and those on the Blue UAS list or qualifying
    /// under Buy American (exceptions that run until a date).
    pub critical_components_produced_in: BTreeSet<Country>,
    pub excepted_critical_components_produced_in: BTreeSet<Country>,
    /// Whether the production of every one of those is fully given: of
    /// those with no exception, and of those excepted until a date.
    pub critical_components_production_known: bool,
    pub excepted_critical_components_production_known: bool,
    /// The Conditional Approvals in force for it (if it is equipment) and
    /// for the UAS critical components it embeds, for its decisions to name.
    pub approvals: Vec<HeldApproval>,
    /// Whether Cedar sees an `equipment` record for it: it is equipment, or
    /// embeds a UAS critical component. Other releases have none, which
    /// spares every one of them a record no rule can match.
    pub recorded: bool,
}

/// A Conditional Approval in force for a release, by where it is recorded.
#[derive(Clone)]
pub(crate) struct HeldApproval {
    /// The release it covers.
    pub release: usize,
    pub holder: Holder,
    pub approval: ConditionalApproval,
}

/// Who holds a Conditional Approval, by index in the inventory.
#[derive(Clone, Copy)]
pub(crate) enum Holder {
    Vendor(usize),
    Product(usize),
}

pub(crate) struct SystemFacts {
    /// The owner, then each organisation above it.
    pub organisations: Vec<usize>,
    /// The roles of all of `organisations`.
    pub roles: BTreeSet<Role>,
    /// The roles of the organisation it is operated for, and of every
    /// organisation above that one; empty if it is operated for its owner.
    pub operated_for_roles: BTreeSet<Role>,
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
    pub groups: Vec<CountryGroup>,
}

impl Facts {
    /// Assumes a validated inventory with the registry merged (every
    /// reference resolves and nothing cycles), and its structure at one epoch.
    pub fn new(inventory: &Inventory, ids: &Ids, structure: &Structure) -> Facts {
        let vendor_index = ids.of(Kind::Vendor);
        let product_index = ids.of(Kind::Product);
        let release_index = ids.of(Kind::Release);
        let organisation_index = ids.of(Kind::Organisation);
        let system_index = ids.of(Kind::System);
        let vendors = inventory.vendors.len();

        // Vendor nodes come first in the structure, in inventory order.
        let vendor_chains: Vec<Vec<usize>> = (0..vendors)
            .map(|v| {
                std::iter::once(v)
                    .chain(
                        structure.controllers[v]
                            .iter()
                            .copied()
                            .filter(|&c| c < vendors),
                    )
                    .collect()
            })
            .collect();
        let product_of = |r: &Release| product_index[r.product.as_str()];
        let release_vendor =
            |r: &Release| vendor_index[inventory.products[product_of(r)].vendor.as_str()];
        let category_of = |r: &Release| category_index(inventory.products[product_of(r)].category);

        let releases = inventory
            .releases
            .iter()
            .enumerate()
            .map(|(index, release)| {
                let product = product_index[release.product.as_str()];
                let vendor = release_vendor(release);
                let embedded = embedded_releases(inventory, release_index, release, false);
                let essential = embedded_releases(inventory, release_index, release, true);
                let code: BTreeSet<usize> = std::iter::once(vendor)
                    .chain(
                        embedded
                            .iter()
                            .map(|&c| release_vendor(&inventory.releases[c])),
                    )
                    .collect();
                let code_vendors: BTreeSet<usize> = code
                    .iter()
                    .flat_map(|&v| vendor_chains[v].iter().copied())
                    .collect();
                let control_countries = code
                    .iter()
                    .flat_map(|&v| structure.control_countries[v].iter().copied())
                    .collect();
                let groups_of = |vendors: &mut dyn Iterator<Item = usize>| -> BTreeSet<Node> {
                    vendors
                        .flat_map(|v| structure.group(v).iter().copied())
                        .collect()
                };
                let by_category = |members: &BTreeSet<usize>| -> ByCategory {
                    let mut sets = vec![BTreeSet::new(); Category::ALL.len()];
                    sets[category_index(inventory.products[product].category)]
                        .extend(structure.group(vendor).iter().copied());
                    for &c in members {
                        let component = &inventory.releases[c];
                        sets[category_of(component)]
                            .extend(structure.group(release_vendor(component)).iter().copied());
                    }
                    sets
                };
                let user_data_telecom = |r: &Release| {
                    let product = &inventory.products[product_of(r)];
                    product.category == Category::Telecom && product.user_data_access
                };
                let essential_user_data_telecom_groups = std::iter::once(release)
                    .chain(essential.iter().map(|&c| &inventory.releases[c]))
                    .filter(|r| user_data_telecom(r))
                    .flat_map(|r| structure.group(release_vendor(r)).iter().copied())
                    .collect();
                let authorisations = inventory
                    .authorisations
                    .iter()
                    .filter(|a| {
                        a.product == release.product && a.versions.matches(&release.version)
                    })
                    .map(|a| (a.assurance, a.lapses))
                    .collect();
                // The 2024 Kaspersky Lab, Inc. entry reaches that company's
                // security software inside equipment, not its affiliates'.
                let security_code_vendors = std::iter::once(release)
                    .chain(embedded.iter().map(|&c| &inventory.releases[c]))
                    .filter(|r| {
                        matches!(
                            inventory.products[product_of(r)].category,
                            Category::Antivirus | Category::SecuritySoftware
                        )
                    })
                    .map(&release_vendor)
                    .collect();
                let lists_of = |vendors: &mut dyn Iterator<Item = usize>| -> BTreeSet<String> {
                    vendors
                        .flat_map(|v| inventory.vendors[v].listed.iter())
                        .filter(|l| l.in_force_at(structure.at()))
                        .map(|l| l.list.as_str().to_owned())
                        .collect()
                };
                let vendor_group_nodes: Vec<usize> = structure
                    .group(vendor)
                    .iter()
                    .copied()
                    .filter(|&v| v < vendors)
                    .collect();
                ReleaseFacts {
                    vendor_lists: lists_of(&mut std::iter::once(vendor)),
                    vendor_group_lists: lists_of(&mut vendor_group_nodes.into_iter()),
                    security_code_vendors,
                    equipment: equipment_facts(
                        inventory,
                        product_index,
                        vendor_index,
                        index,
                        &embedded,
                        structure.at(),
                    ),
                    name: display_name(inventory, product, release),
                    product,
                    vendor,
                    vendor_group: groups_of(&mut std::iter::once(vendor)),
                    code_groups: groups_of(&mut code.iter().copied()),
                    vendor_majority_owners: structure.majority_owners[vendor]
                        .iter()
                        .copied()
                        .collect(),
                    code_majority_owners: code
                        .iter()
                        .flat_map(|&v| structure.majority_owners[v].iter().copied())
                        .collect(),
                    code_majority_owner_groups: code
                        .iter()
                        .flat_map(|&v| structure.majority_owner_groups[v].iter().copied())
                        .collect(),
                    vendor_blocked: structure.blocked[vendor],
                    vendor_foreign_adversary: structure.foreign_adversary[vendor],
                    code_blocked: code.iter().any(|&v| structure.blocked[v]),
                    code_groups_by_category: by_category(&embedded),
                    unattributed_components: unattributed(inventory, release, &embedded),
                    essential_groups_by_category: by_category(&essential),
                    essential_user_data_telecom_groups,
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
        // An organisation, then each one above it.
        let line_of = |first: usize| {
            let mut line = vec![first];
            while let Some(up) = &inventory.organisations[*line.last().unwrap_or(&first)].parent {
                line.push(organisation_index[up.as_str()]);
            }
            line
        };
        let roles_of = |line: &[usize]| -> BTreeSet<Role> {
            line.iter()
                .flat_map(|&o| inventory.organisations[o].roles.iter().copied())
                .collect()
        };
        let systems = inventory
            .systems
            .iter()
            .map(|system| {
                let organisations = line_of(organisation_index[system.owner.as_str()]);
                let roles = roles_of(&organisations);
                let operated_for_roles = system
                    .operated_for
                    .as_ref()
                    .map(|o| roles_of(&line_of(organisation_index[o.as_str()])))
                    .unwrap_or_default();
                SystemFacts {
                    organisations,
                    roles,
                    operated_for_roles,
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

/// A release's production: its own, or its product's.
fn production_of<'a>(
    inventory: &'a Inventory,
    product: usize,
    release: &'a Release,
) -> Option<&'a Production> {
    release.production.as_ref().or_else(|| {
        inventory.products[product]
            .equipment
            .as_ref()?
            .production
            .as_ref()
    })
}

fn equipment_facts(
    inventory: &Inventory,
    product_index: &HashMap<String, usize>,
    vendor_index: &HashMap<String, usize>,
    index: usize,
    embedded: &BTreeSet<usize>,
    at: Instant,
) -> EquipmentFacts {
    let release = &inventory.releases[index];
    let product_of = |r: &Release| product_index[r.product.as_str()];
    // The approvals in force for a release: its model's, then its producer's.
    let approvals = |r: usize| -> Vec<HeldApproval> {
        let product = product_of(&inventory.releases[r]);
        let vendor = vendor_index[inventory.products[product].vendor.as_str()];
        let of_model = inventory.products[product]
            .equipment
            .iter()
            .flat_map(|e| e.conditional_approvals.iter())
            .map(|a| (Holder::Product(product), a));
        let of_producer = inventory.vendors[vendor]
            .conditional_approvals
            .iter()
            .map(|a| (Holder::Vendor(vendor), a));
        of_model
            .chain(of_producer)
            .filter(|(_, a)| a.in_force_at(at))
            .map(|(holder, a)| HeldApproval {
                release: r,
                holder,
                approval: a.clone(),
            })
            .collect()
    };
    let approved_by = |held: &[HeldApproval]| -> BTreeSet<Grantor> {
        held.iter().map(|h| h.approval.by).collect()
    };
    let own_approvals = approvals(index);
    let production = production_of(inventory, product_of(release), release);
    let mut facts = EquipmentFacts {
        produced_in: production
            .map(|p| p.countries().copied().collect())
            .unwrap_or_default(),
        production_known: production.is_some_and(Production::is_complete),
        approved_by: approved_by(&own_approvals),
        critical_components_production_known: true,
        excepted_critical_components_production_known: true,
        ..EquipmentFacts::default()
    };
    for &c in embedded {
        let component = &inventory.releases[c];
        let product = product_of(component);
        let Some(equipment) = &inventory.products[product].equipment else {
            continue;
        };
        if equipment.kind != Some(EquipmentKind::UasCriticalComponent) {
            continue;
        }
        facts.recorded = true;
        let held = approvals(c);
        if !held.is_empty() {
            facts.approvals.extend(held);
            continue;
        }
        let production = production_of(inventory, product, component);
        let complete = production.is_some_and(Production::is_complete);
        let countries = production
            .into_iter()
            .flat_map(Production::countries)
            .copied();
        let excepted = equipment.exceptions.iter().any(|e| {
            matches!(
                e,
                EquipmentException::BlueUas | EquipmentException::BuyAmerican
            )
        });
        if excepted {
            facts
                .excepted_critical_components_produced_in
                .extend(countries);
            facts.excepted_critical_components_production_known &= complete;
        } else {
            facts.critical_components_produced_in.extend(countries);
            facts.critical_components_production_known &= complete;
        }
    }
    if inventory.products[product_of(release)].equipment.is_some() {
        facts.recorded = true;
        facts.approvals.splice(0..0, own_approvals);
    }
    facts
}

fn display_name(inventory: &Inventory, product: usize, release: &Release) -> String {
    release
        .name
        .clone()
        .unwrap_or_else(|| format!("{} {}", inventory.products[product].name, release.version))
}

/// Every release whose code `release` embeds, at any depth (not itself);
/// with `essential_only`, only through components that are a substantial or
/// essential part of what embeds them.
fn embedded_releases(
    inventory: &Inventory,
    index: &HashMap<String, usize>,
    release: &Release,
    essential_only: bool,
) -> BTreeSet<usize> {
    let parts = |r: &Release| -> Vec<usize> {
        r.components
            .iter()
            .filter(|c| !(essential_only && r.nonessential_components.contains(*c)))
            .map(|c| index[c.as_str()])
            .collect()
    };
    let mut seen = BTreeSet::new();
    let mut stack = parts(release);
    while let Some(next) = stack.pop() {
        if seen.insert(next) {
            stack.extend(parts(&inventory.releases[next]));
        }
    }
    seen
}

/// The distinct unattributed components a release and those it embeds
/// record: an SDK's unknown parts are unknown parts of every product embedding
/// it, and one shared by two components counts once.
fn unattributed(inventory: &Inventory, release: &Release, embedded: &BTreeSet<usize>) -> i64 {
    let all: BTreeSet<&str> = std::iter::once(release)
        .chain(embedded.iter().map(|&c| &inventory.releases[c]))
        .flat_map(|r| r.unattributed_components.iter().map(String::as_str))
        .collect();
    i64::try_from(all.len()).unwrap_or(i64::MAX)
}

/// A category's place in [`Category::ALL`].
pub(crate) fn category_index(category: Category) -> usize {
    Category::ALL
        .iter()
        .position(|c| *c == category)
        .unwrap_or(0)
}
