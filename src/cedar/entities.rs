//! The mapping from the typed model to Cedar entities.
//!
//! | model        | Cedar entity   | parents (`in`)                         |
//! |--------------|----------------|----------------------------------------|
//! | Organisation | `Organisation` | its parent organisation                |
//! | System       | `System`       | its owner (and so the owner's parents) |
//! | Vendor       | `Vendor`       | every vendor controlling it            |
//! | Product      | `Product`      | its vendor                             |
//! | Release      | `Release`      | its product                            |
//!
//! Attribute names and meanings are documented in the schema
//! ([`crate::SCHEMA_TEXT`]).

use std::collections::{HashMap, HashSet};
use std::str::FromStr;
use std::sync::OnceLock;

use cedar_policy::{Entities, Entity, EntityId, EntityTypeName, EntityUid, RestrictedExpression};

use crate::cedar::facts::{ByCategory, Facts};
use crate::cedar::schema;
use crate::corporate::{Node, Structure};
use crate::error::{Error, ErrorKind, Result};
use crate::model::{Category, Country, Id, Inventory};

pub(crate) fn uid(kind: &str, id: &str) -> EntityUid {
    // The six type names are parsed once; any string is a valid entity id.
    static KINDS: OnceLock<Vec<(&'static str, EntityTypeName)>> = OnceLock::new();
    let kinds = KINDS.get_or_init(|| {
        [
            "Organisation",
            "System",
            "Vendor",
            "Product",
            "Release",
            "Action",
        ]
        .into_iter()
        .map(|k| {
            (
                k,
                EntityTypeName::from_str(k).expect("a fixed entity type name"),
            )
        })
        .collect()
    });
    let kind = match kinds.iter().find(|(name, _)| *name == kind) {
        Some((_, parsed)) => parsed.clone(),
        None => EntityTypeName::from_str(kind).expect("a fixed entity type name"),
    };
    EntityUid::from_type_name_and_id(kind, EntityId::new(id))
}

fn string(text: impl Into<String>) -> RestrictedExpression {
    RestrictedExpression::new_string(text.into())
}

fn strings<'a>(items: impl IntoIterator<Item = &'a str>) -> RestrictedExpression {
    RestrictedExpression::new_set(items.into_iter().map(string))
}

fn countries<'a>(items: impl IntoIterator<Item = &'a Country>) -> RestrictedExpression {
    strings(items.into_iter().map(Country::code))
}

fn entity(kind: &str, id: &str) -> RestrictedExpression {
    RestrictedExpression::new_entity_uid(uid(kind, id))
}

fn parents<'a>(kind: &str, ids: impl IntoIterator<Item = &'a Id>) -> HashSet<EntityUid> {
    ids.into_iter().map(|id| uid(kind, id.as_str())).collect()
}

fn flag(value: bool) -> RestrictedExpression {
    RestrictedExpression::new_bool(value)
}

/// The record of vendor sets by category, with the schema's camelCase names.
fn by_category(inventory: &Inventory, sets: &ByCategory) -> Result<RestrictedExpression> {
    let fields = Category::ALL.iter().zip(sets).map(|(category, set)| {
        (
            camel_case(category.as_str()),
            vendor_set(inventory, set.iter().copied()),
        )
    });
    RestrictedExpression::new_record(fields).map_err(|e| {
        Error::new(
            ErrorKind::Internal,
            format!("building a record of groups by category: {e}"),
        )
    })
}

fn vendor_set(inventory: &Inventory, nodes: impl Iterator<Item = Node>) -> RestrictedExpression {
    RestrictedExpression::new_set(nodes.map(|v| entity("Vendor", inventory.vendors[v].id.as_str())))
}

/// `security-software` as `securitySoftware`.
fn camel_case(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut upper = false;
    for c in word.chars() {
        if c == '-' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Builds every entity of the inventory, checked against the schema, with
/// the corporate structure of one epoch.
pub(crate) fn build(
    inventory: &Inventory,
    facts: &Facts,
    structure: &Structure,
) -> Result<Entities> {
    let mut all = Vec::with_capacity(
        inventory.organisations.len()
            + inventory.systems.len()
            + inventory.vendors.len()
            + inventory.products.len()
            + inventory.releases.len(),
    );
    let mut add = |kind: &str,
                   id: &Id,
                   attrs: Vec<(&str, RestrictedExpression)>,
                   parents: HashSet<EntityUid>| {
        let attrs: HashMap<String, RestrictedExpression> =
            attrs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        let built = Entity::new(uid(kind, id.as_str()), attrs, parents).map_err(|e| {
            Error::new(
                ErrorKind::Internal,
                format!("building {kind} `{id}` for Cedar: {e}"),
            )
        })?;
        all.push(built);
        Ok::<(), Error>(())
    };

    for o in &inventory.organisations {
        add(
            "Organisation",
            &o.id,
            vec![
                ("name", string(&o.name)),
                ("country", string(o.country.code())),
                ("sector", string(o.sector.as_str())),
                ("roles", strings(o.roles.iter().map(|r| r.as_str()))),
            ],
            parents("Organisation", &o.parent),
        )?;
    }
    for (s, f) in inventory.systems.iter().zip(&facts.systems) {
        let owner = &inventory.organisations[f.organisations[0]];
        add(
            "System",
            &s.id,
            vec![
                ("name", string(&s.name)),
                ("owner", entity("Organisation", s.owner.as_str())),
                ("country", string(owner.country.code())),
                ("roles", strings(f.roles.iter().map(|r| r.as_str()))),
                (
                    "tier",
                    RestrictedExpression::new_long(s.classification.rank()),
                ),
                ("classification", string(s.classification.as_str())),
                (
                    "officialSensitive",
                    RestrictedExpression::new_bool(s.official_sensitive),
                ),
                (
                    "nationalSecurity",
                    RestrictedExpression::new_bool(s.national_security),
                ),
                ("critical", flag(s.critical)),
                ("nationalSecuritySystem", flag(s.national_security_system)),
                ("sensitiveSite", flag(s.sensitive_site)),
                ("coreNetwork", flag(s.core_network)),
                ("purposes", strings(s.purposes.iter().map(|p| p.as_str()))),
                (
                    "requires",
                    strings(
                        s.requires
                            .iter()
                            .map(|a| a.to_string())
                            .collect::<Vec<_>>()
                            .iter()
                            .map(String::as_str),
                    ),
                ),
            ],
            parents("Organisation", [&s.owner]),
        )?;
    }
    for (node, (v, chain)) in inventory
        .vendors
        .iter()
        .zip(&facts.vendor_chains)
        .enumerate()
    {
        add(
            "Vendor",
            &v.id,
            vec![
                ("name", string(&v.name)),
                ("incorporated", string(v.incorporated.code())),
                ("headquarters", string(v.headquarters.code())),
                (
                    "controlCountries",
                    countries(&structure.control_countries[node]),
                ),
                (
                    "group",
                    vendor_set(inventory, structure.group(node).iter().copied()),
                ),
                (
                    "majorityOwners",
                    vendor_set(inventory, structure.majority_owners[node].iter().copied()),
                ),
                ("blocked", flag(structure.blocked[node])),
            ],
            parents(
                "Vendor",
                chain[1..].iter().map(|&c| &inventory.vendors[c].id),
            ),
        )?;
    }
    for p in &inventory.products {
        add(
            "Product",
            &p.id,
            vec![
                ("name", string(&p.name)),
                ("vendor", entity("Vendor", p.vendor.as_str())),
                ("category", string(p.category.as_str())),
                ("privileged", RestrictedExpression::new_bool(p.privileged)),
                ("cloudConnected", flag(p.cloud_connected)),
                ("userDataAccess", flag(p.user_data_access)),
                (
                    "thirdPartyInterconnection",
                    flag(p.third_party_interconnection),
                ),
            ],
            parents("Vendor", [&p.vendor]),
        )?;
    }
    for (r, f) in inventory.releases.iter().zip(&facts.releases) {
        let version = |n: u64| RestrictedExpression::new_long(i64::try_from(n).unwrap_or(i64::MAX));
        add(
            "Release",
            &r.id,
            vec![
                ("name", string(&f.name)),
                ("product", entity("Product", r.product.as_str())),
                (
                    "vendor",
                    entity("Vendor", inventory.vendors[f.vendor].id.as_str()),
                ),
                ("version", string(r.version.to_string())),
                ("major", version(r.version.major)),
                ("minor", version(r.version.minor)),
                ("patch", version(r.version.patch)),
                ("audited", RestrictedExpression::new_bool(r.audited)),
                ("dataCountries", countries(&r.data_countries)),
                ("dataGroups", strings(facts.groups_of(&r.data_countries))),
                (
                    "codeVendors",
                    RestrictedExpression::new_set(
                        f.code_vendors
                            .iter()
                            .map(|&v| entity("Vendor", inventory.vendors[v].id.as_str())),
                    ),
                ),
                ("controlCountries", countries(&f.control_countries)),
                (
                    "controlGroups",
                    strings(facts.groups_of(&f.control_countries)),
                ),
                ("serviceCountries", countries(&r.service_countries)),
                (
                    "vendorGroup",
                    vendor_set(inventory, f.vendor_group.iter().copied()),
                ),
                (
                    "vendorMajorityOwners",
                    vendor_set(inventory, f.vendor_majority_owners.iter().copied()),
                ),
                ("vendorBlocked", flag(f.vendor_blocked)),
                (
                    "codeGroups",
                    vendor_set(inventory, f.code_groups.iter().copied()),
                ),
                (
                    "codeMajorityOwners",
                    vendor_set(inventory, f.code_majority_owners.iter().copied()),
                ),
                ("codeBlocked", flag(f.code_blocked)),
                (
                    "unattributedComponents",
                    RestrictedExpression::new_long(f.unattributed_components),
                ),
                (
                    "codeGroupsByCategory",
                    by_category(inventory, &f.code_groups_by_category)?,
                ),
                (
                    "essentialGroupsByCategory",
                    by_category(inventory, &f.essential_groups_by_category)?,
                ),
            ],
            parents("Product", [&r.product]),
        )?;
    }
    // Checking the entities against the schema only checks this module's own
    // mapping, and costs as much as building them. Debug builds (every test,
    // property and fuzz run) check it; release builds trust it, and a mapping
    // that were wrong would make Cedar's evaluation fail, which denies.
    let check = cfg!(debug_assertions).then(schema);
    Entities::from_entities(all, check).map_err(|e| {
        Error::new(
            ErrorKind::Internal,
            format!("Cedar rejected the inventory's entities: {e}"),
        )
    })
}
