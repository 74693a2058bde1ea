//! The one mapping from the typed model to what Cedar sees of it: each
//! entity's attributes and parents, as values of the crate's own.
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
//!
//! [`super::entities`] hands these values to Cedar as entities. The fast path
//! (`crate::engine::fast`) reads them here to tell systems and releases
//! apart: reading them back out of Cedar's entities converts each value from
//! Cedar's form on every read, which cost more than the evaluations it
//! saves. Both read this one mapping, so what the fast path compares is what
//! Cedar evaluates.

use std::borrow::Cow;
use std::sync::OnceLock;

use crate::cedar::facts::{ByCategory, Facts};
pub(crate) use crate::cedar::ids::{Ids, Kind, Ref};
use crate::corporate::{Node, Structure};
use crate::model::{Category, Country, EquipmentAuthorisation, Instant, Inventory};

impl Kind {
    /// The attributes of the type, as the schema declares them: every entity
    /// of the type has each of them.
    pub fn attributes(self) -> &'static [&'static str] {
        match self {
            Kind::Organisation => &["name", "country", "sector", "roles"],
            Kind::System => &[
                "name",
                "owner",
                "country",
                "location",
                "roles",
                "operatedForRoles",
                "tier",
                "classification",
                "officialSensitive",
                "nationalSecurity",
                "critical",
                "nationalSecuritySystem",
                "dodIcMissionCritical",
                "sensitiveSite",
                "coreNetwork",
                "purposes",
                "requires",
                "device",
                "deviceOwner",
                "contractClauses",
            ],
            Kind::Vendor => &[
                "name",
                "incorporated",
                "headquarters",
                "controlCountries",
                "group",
                "majorityOwners",
                "blocked",
                "foreignAdversaryControlled",
            ],
            Kind::Product => &[
                "name",
                "vendor",
                "category",
                "informationSecurity",
                "service",
                "privileged",
                "cloudConnected",
                "userDataAccess",
                "thirdPartyInterconnection",
                "knownAs",
            ],
            Kind::Release => &[
                "name",
                "product",
                "vendor",
                "version",
                "major",
                "minor",
                "patch",
                "audited",
                "form",
                "dataCountries",
                "dataGroups",
                "codeVendors",
                "controlCountries",
                "controlGroups",
                "serviceCountries",
                "vendorGroup",
                "vendorMajorityOwners",
                "vendorBlocked",
                "vendorForeignAdversaryControlled",
                "codeGroups",
                "codeMajorityOwners",
                "codeMajorityOwnerGroups",
                "codeBlocked",
                "unattributedComponents",
                "codeGroupsByCategory",
                "essentialGroupsByCategory",
                "essentialUserDataTelecomGroups",
                "securityCodeVendors",
                "vendorLists",
                "vendorGroupLists",
                "equipment",
            ],
        }
    }
}

/// A value as Cedar holds it in an entity's attribute, or as a policy writes
/// it as a literal. Equal values are equal to Cedar: sets are kept sorted and
/// without duplicates, and a record's fields come in one order for each
/// record type.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Value<'a> {
    Bool(bool),
    Long(i64),
    String(Cow<'a, str>),
    Entity {
        kind: Cow<'a, str>,
        id: Cow<'a, str>,
    },
    Set(Vec<Value<'a>>),
    Record(Vec<(&'static str, Value<'a>)>),
    DateTime(Instant),
}

impl<'a> Value<'a> {
    /// A set of these values.
    pub fn set(items: impl IntoIterator<Item = Value<'a>>) -> Value<'a> {
        let mut items: Vec<Value<'a>> = items.into_iter().collect();
        items.sort_unstable();
        items.dedup();
        Value::Set(items)
    }

    fn string(text: &'a str) -> Value<'a> {
        Value::String(Cow::Borrowed(text))
    }

    fn strings(items: impl IntoIterator<Item = &'a str>) -> Value<'a> {
        Value::set(items.into_iter().map(Value::string))
    }

    fn countries(items: impl IntoIterator<Item = &'a Country>) -> Value<'a> {
        Value::strings(items.into_iter().map(Country::code))
    }

    fn entity(kind: Kind, id: &'a str) -> Value<'a> {
        Value::Entity {
            kind: Cow::Borrowed(kind.name()),
            id: Cow::Borrowed(id),
        }
    }

    /// Whether this is a set holding `item`.
    pub fn contains(&self, item: &Value<'_>) -> bool {
        match self {
            // Comparing across lifetimes: `Value` is covariant, so both
            // shorten to the shorter.
            Value::Set(items) => items.binary_search_by(|probe| probe.cmp_with(item)).is_ok(),
            _ => false,
        }
    }

    fn cmp_with(&self, other: &Value<'_>) -> std::cmp::Ordering {
        fn shorten<'s>(value: &'s Value<'_>) -> &'s Value<'s> {
            value
        }
        shorten(self).cmp(shorten(other))
    }

    /// The same value, borrowing nothing.
    pub fn into_owned(self) -> Value<'static> {
        let owned = |text: Cow<'a, str>| Cow::Owned(text.into_owned());
        match self {
            Value::Bool(b) => Value::Bool(b),
            Value::Long(n) => Value::Long(n),
            Value::DateTime(at) => Value::DateTime(at),
            Value::String(s) => Value::String(owned(s)),
            Value::Entity { kind, id } => Value::Entity {
                kind: owned(kind),
                id: owned(id),
            },
            Value::Set(items) => Value::Set(items.into_iter().map(Value::into_owned).collect()),
            Value::Record(fields) => Value::Record(
                fields
                    .into_iter()
                    .map(|(name, value)| (name, value.into_owned()))
                    .collect(),
            ),
        }
    }
}

/// The inventory as Cedar sees it in one epoch of the corporate structure.
#[derive(Clone, Copy)]
pub(crate) struct Mapping<'a> {
    pub inventory: &'a Inventory,
    pub facts: &'a Facts,
    pub structure: &'a Structure,
    pub ids: &'a Ids,
}

impl<'a> Mapping<'a> {
    /// The entity's id.
    pub fn id(&self, entity: Ref) -> &'a str {
        let inventory = self.inventory;
        match entity.kind {
            Kind::Organisation => inventory.organisations[entity.index].id.as_str(),
            Kind::System => inventory.systems[entity.index].id.as_str(),
            Kind::Vendor => inventory.vendors[entity.index].id.as_str(),
            Kind::Product => inventory.products[entity.index].id.as_str(),
            Kind::Release => inventory.releases[entity.index].id.as_str(),
        }
    }

    /// Every entity of a type, in inventory order.
    pub fn every(&self, kind: Kind) -> impl Iterator<Item = Ref> {
        let inventory = self.inventory;
        let count = match kind {
            Kind::Organisation => inventory.organisations.len(),
            Kind::System => inventory.systems.len(),
            Kind::Vendor => inventory.vendors.len(),
            Kind::Product => inventory.products.len(),
            Kind::Release => inventory.releases.len(),
        };
        (0..count).map(move |index| Ref::new(kind, index))
    }

    /// The entity a value refers to, if it is one of the inventory's.
    pub fn referred(&self, value: &Value<'_>) -> Option<Ref> {
        let Value::Entity { kind, id } = value else {
            return None;
        };
        let kind = Kind::named(kind)?;
        Some(Ref::new(kind, self.ids.get(kind, id)?))
    }

    /// The entity's attributes, in the order of [`Kind::attributes`].
    pub fn attributes(&self, entity: Ref) -> impl Iterator<Item = (&'static str, Value<'a>)> + '_ {
        entity
            .kind
            .attributes()
            .iter()
            .filter_map(move |&name| Some((name, self.attribute(entity, name)?)))
    }

    /// One attribute of the entity; `None` if its type has no such attribute.
    pub fn attribute(&self, entity: Ref, name: &str) -> Option<Value<'a>> {
        match entity.kind {
            Kind::Organisation => self.organisation(entity.index, name),
            Kind::System => self.system(entity.index, name),
            Kind::Vendor => self.vendor(entity.index, name),
            Kind::Product => self.product(entity.index, name),
            Kind::Release => self.release(entity.index, name),
        }
    }

    /// The entity's parents: what it is directly `in`.
    pub fn parents(&self, entity: Ref) -> Vec<Ref> {
        let (inventory, index) = (self.inventory, entity.index);
        let place = |kind: Kind, id: &str| self.ids.get(kind, id).map(|i| Ref::new(kind, i));
        let one = |kind: Kind, id: &str| place(kind, id).into_iter().collect();
        match entity.kind {
            Kind::Organisation => inventory.organisations[index]
                .parent
                .iter()
                .filter_map(|p| place(Kind::Organisation, p.as_str()))
                .collect(),
            Kind::System => one(Kind::Organisation, inventory.systems[index].owner.as_str()),
            Kind::Vendor => self.facts.vendor_chains[index][1..]
                .iter()
                .map(|&v| Ref::new(Kind::Vendor, v))
                .collect(),
            Kind::Product => one(Kind::Vendor, inventory.products[index].vendor.as_str()),
            Kind::Release => one(Kind::Product, inventory.releases[index].product.as_str()),
        }
    }

    /// Everything the entity is `in`, at any depth, each once: what Cedar's
    /// transitive closure of the parents gives.
    pub fn ancestors(&self, entity: Ref) -> Vec<Ref> {
        let mut found: Vec<Ref> = Vec::new();
        let mut next = self.parents(entity);
        while let Some(parent) = next.pop() {
            if parent != entity && !found.contains(&parent) {
                found.push(parent);
                next.extend(self.parents(parent));
            }
        }
        found
    }

    fn vendors(&self, nodes: impl IntoIterator<Item = &'a Node>) -> Value<'a> {
        let vendors = &self.inventory.vendors;
        Value::set(
            nodes
                .into_iter()
                .map(|&v| Value::entity(Kind::Vendor, vendors[v].id.as_str())),
        )
    }

    fn by_category(&self, sets: &'a ByCategory) -> Value<'a> {
        let fields = category_fields().iter().zip(sets);
        Value::Record(
            fields
                .map(|(name, set)| (name.as_str(), self.vendors(set)))
                .collect(),
        )
    }

    fn organisation(&self, index: usize, name: &str) -> Option<Value<'a>> {
        let o = &self.inventory.organisations[index];
        Some(match name {
            "name" => Value::string(&o.name),
            "country" => Value::string(o.country.code()),
            "sector" => Value::string(o.sector.as_str()),
            "roles" => Value::strings(o.roles.iter().map(|r| r.as_str())),
            _ => return None,
        })
    }

    fn system(&self, index: usize, name: &str) -> Option<Value<'a>> {
        let s = &self.inventory.systems[index];
        let facts = &self.facts.systems[index];
        let owner_country = || {
            let owner = &self.inventory.organisations[*facts.organisations.first()?];
            Some(owner.country.code())
        };
        Some(match name {
            "name" => Value::string(&s.name),
            "owner" => Value::entity(Kind::Organisation, s.owner.as_str()),
            "country" => Value::string(owner_country()?),
            "location" => match &s.location {
                Some(location) => Value::string(location.code()),
                None => Value::string(owner_country()?),
            },
            "roles" => Value::strings(facts.roles.iter().map(|r| r.as_str())),
            "operatedForRoles" => {
                Value::strings(facts.operated_for_roles.iter().map(|r| r.as_str()))
            }
            "tier" => Value::Long(s.classification.rank()),
            "classification" => Value::string(s.classification.as_str()),
            "officialSensitive" => Value::Bool(s.official_sensitive),
            "nationalSecurity" => Value::Bool(s.national_security),
            "critical" => Value::Bool(s.critical),
            "nationalSecuritySystem" => Value::Bool(s.national_security_system),
            "dodIcMissionCritical" => Value::Bool(s.dod_ic_mission_critical),
            "sensitiveSite" => Value::Bool(s.sensitive_site),
            "coreNetwork" => Value::Bool(s.core_network),
            "purposes" => Value::strings(s.purposes.iter().map(|p| p.as_str())),
            "requires" => Value::set(
                s.requires
                    .iter()
                    .map(|a| Value::String(Cow::Owned(a.to_string()))),
            ),
            "device" => Value::string(s.device.map_or("unknown", |d| d.as_str())),
            "deviceOwner" => Value::string(s.device_owner.as_str()),
            "contractClauses" => Value::strings(s.contract_clauses.iter().map(|c| c.as_str())),
            _ => return None,
        })
    }

    fn vendor(&self, node: usize, name: &str) -> Option<Value<'a>> {
        let v = &self.inventory.vendors[node];
        let structure = self.structure;
        Some(match name {
            "name" => Value::string(&v.name),
            "incorporated" => Value::string(v.incorporated.code()),
            "headquarters" => Value::string(v.headquarters.code()),
            "controlCountries" => Value::countries(&structure.control_countries[node]),
            "group" => self.vendors(structure.group(node)),
            "majorityOwners" => self.vendors(&structure.majority_owners[node]),
            "blocked" => Value::Bool(structure.blocked[node]),
            "foreignAdversaryControlled" => Value::Bool(structure.foreign_adversary[node]),
            _ => return None,
        })
    }

    fn product(&self, index: usize, name: &str) -> Option<Value<'a>> {
        let p = &self.inventory.products[index];
        Some(match name {
            "name" => Value::string(&p.name),
            "vendor" => Value::entity(Kind::Vendor, p.vendor.as_str()),
            "category" => Value::string(p.category.as_str()),
            "informationSecurity" => Value::Bool(p.category.is_information_security()),
            "service" => Value::Bool(p.category.is_service()),
            "privileged" => Value::Bool(p.privileged),
            "cloudConnected" => Value::Bool(p.cloud_connected),
            "userDataAccess" => Value::Bool(p.user_data_access),
            "thirdPartyInterconnection" => Value::Bool(p.third_party_interconnection),
            "knownAs" => Value::string(p.known_as.map_or("", |k| k.as_str())),
            _ => return None,
        })
    }

    fn release(&self, index: usize, name: &str) -> Option<Value<'a>> {
        let r = &self.inventory.releases[index];
        let f = &self.facts.releases[index];
        let vendors = &self.inventory.vendors;
        let version = |n: u64| Value::Long(i64::try_from(n).unwrap_or(i64::MAX));
        Some(match name {
            "name" => Value::string(&f.name),
            "product" => Value::entity(Kind::Product, r.product.as_str()),
            "vendor" => Value::entity(Kind::Vendor, vendors[f.vendor].id.as_str()),
            "version" => Value::String(Cow::Owned(r.version.to_string())),
            "major" => version(r.version.major),
            "minor" => version(r.version.minor),
            "patch" => version(r.version.patch),
            "audited" => Value::Bool(r.audited),
            "form" => Value::string(r.form.map_or("unknown", |f| f.as_str())),
            "dataCountries" => Value::countries(&r.data_countries),
            "dataGroups" => Value::strings(self.facts.groups_of(&r.data_countries)),
            "codeVendors" => self.vendors(&f.code_vendors),
            "controlCountries" => Value::countries(&f.control_countries),
            "controlGroups" => Value::strings(self.facts.groups_of(&f.control_countries)),
            "serviceCountries" => Value::countries(&r.service_countries),
            "vendorGroup" => self.vendors(&f.vendor_group),
            "vendorMajorityOwners" => self.vendors(&f.vendor_majority_owners),
            "vendorBlocked" => Value::Bool(f.vendor_blocked),
            "vendorForeignAdversaryControlled" => Value::Bool(f.vendor_foreign_adversary),
            "codeGroups" => self.vendors(&f.code_groups),
            "codeMajorityOwners" => self.vendors(&f.code_majority_owners),
            "codeMajorityOwnerGroups" => self.vendors(&f.code_majority_owner_groups),
            "codeBlocked" => Value::Bool(f.code_blocked),
            "unattributedComponents" => Value::Long(f.unattributed_components),
            "codeGroupsByCategory" => self.by_category(&f.code_groups_by_category),
            "essentialGroupsByCategory" => self.by_category(&f.essential_groups_by_category),
            "essentialUserDataTelecomGroups" => self.vendors(&f.essential_user_data_telecom_groups),
            "securityCodeVendors" => self.vendors(&f.security_code_vendors),
            "vendorLists" => Value::strings(f.vendor_lists.iter().map(String::as_str)),
            "vendorGroupLists" => Value::strings(f.vendor_group_lists.iter().map(String::as_str)),
            "equipment" => return f.equipment.recorded.then(|| self.equipment(index)),
            _ => return None,
        })
    }
}

impl<'a> Mapping<'a> {
    /// A release's `Equipment` record (see the schema).
    fn equipment(&self, index: usize) -> Value<'a> {
        let facts = &self.facts.releases[index].equipment;
        let equipment = self.inventory.products[self.facts.releases[index].product]
            .equipment
            .as_ref();
        let authorisation = equipment.and_then(|e| e.authorisation);
        let mut fields = vec![
            (
                "kind",
                Value::string(equipment.and_then(|e| e.kind).map_or("", |k| k.as_str())),
            ),
            ("producedIn", Value::countries(&facts.produced_in)),
            ("productionKnown", Value::Bool(facts.production_known)),
            (
                "approvedBy",
                Value::strings(facts.approved_by.iter().map(|g| g.as_str())),
            ),
            (
                "exceptions",
                Value::strings(
                    equipment
                        .into_iter()
                        .flat_map(|e| e.exceptions.iter().map(|x| x.as_str())),
                ),
            ),
            (
                "authorisation",
                Value::string(match authorisation {
                    Some(EquipmentAuthorisation::Granted(_)) => "granted",
                    Some(EquipmentAuthorisation::NotRequired) => "not-required",
                    None => "unknown",
                }),
            ),
        ];
        if let Some(EquipmentAuthorisation::Granted(on)) = authorisation {
            fields.push(("authorisedOn", Value::DateTime(on)));
        }
        fields.extend([
            (
                "criticalComponentsProducedIn",
                Value::countries(&facts.critical_components_produced_in),
            ),
            (
                "exceptedCriticalComponentsProducedIn",
                Value::countries(&facts.excepted_critical_components_produced_in),
            ),
            (
                "criticalComponentsProductionKnown",
                Value::Bool(facts.critical_components_production_known),
            ),
            (
                "exceptedCriticalComponentsProductionKnown",
                Value::Bool(facts.excepted_critical_components_production_known),
            ),
        ]);
        Value::Record(fields)
    }
}

/// The fields of a `GroupsByCategory` record: each category in
/// [`Category::ALL`] order, in camelCase (`security-software` as
/// `securitySoftware`).
fn category_fields() -> &'static [String] {
    static FIELDS: OnceLock<Vec<String>> = OnceLock::new();
    FIELDS.get_or_init(|| {
        Category::ALL
            .iter()
            .map(|category| camel_case(category.as_str()))
            .collect()
    })
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corporate::Corporate;

    fn with_mapping(json: &str, check: impl FnOnce(Mapping<'_>)) {
        let inventory = Inventory::from_json(json).unwrap().with_registry();
        let corporate = Corporate::new(&inventory);
        let structure = corporate.at(0);
        let ids = Ids::new(&inventory);
        let facts = Facts::new(&inventory, &ids, &structure);
        check(Mapping {
            inventory: &inventory,
            facts: &facts,
            structure: &structure,
            ids: &ids,
        });
    }

    const ONE_OF_EACH: &str = r#"{
        "products": [{"id": "kes", "name": "KES", "vendor": "ao-kaspersky-lab",
                      "category": "antivirus"}],
        "releases": [{"id": "kes-12", "product": "kes", "version": "12.0.0"}],
        "organisations": [{"id": "gov", "name": "Gov", "country": "GB",
                           "sector": "central-government"},
                          {"id": "dept", "name": "Dept", "country": "GB",
                           "sector": "central-government", "parent": "gov"}],
        "systems": [{"id": "net", "name": "Net", "owner": "dept",
                     "classification": "secret"}]
    }"#;

    #[test]
    fn every_declared_attribute_has_a_value_and_no_other_does() {
        with_mapping(ONE_OF_EACH, |mapping| {
            for kind in Kind::ALL {
                let entity = Ref::new(kind, 0);
                let names: Vec<&str> = mapping.attributes(entity).map(|(n, _)| n).collect();
                // The schema's one optional attribute: a release that is not
                // equipment and embeds no UAS critical component has none.
                let declared: Vec<&str> = (kind.attributes().iter().copied())
                    .filter(|&n| n != "equipment")
                    .collect();
                assert_eq!(names, declared, "{kind:?}");
                assert_eq!(mapping.attribute(entity, "nonesuch"), None);
            }
        });
        let with_equipment = ONE_OF_EACH.replace(
            r#""category": "antivirus"}"#,
            r#""category": "telecom", "equipment": {"kind": "router"}}"#,
        );
        with_mapping(&with_equipment, |mapping| {
            let release = Ref::new(Kind::Release, 0);
            let names: Vec<&str> = mapping.attributes(release).map(|(n, _)| n).collect();
            assert_eq!(names, Kind::Release.attributes());
        });
    }

    #[test]
    fn ancestors_follow_parents_to_any_depth() {
        with_mapping(ONE_OF_EACH, |mapping| {
            let system = Ref::new(Kind::System, 0);
            let ids: Vec<&str> = mapping
                .ancestors(system)
                .into_iter()
                .map(|a| mapping.id(a))
                .collect();
            assert_eq!(ids, ["dept", "gov"]);
            let release = Ref::new(Kind::Release, 0);
            let ancestors = mapping.ancestors(release);
            let named = |kind, id| {
                ancestors
                    .iter()
                    .any(|a| a.kind == kind && mapping.id(*a) == id)
            };
            assert!(named(Kind::Product, "kes"));
            assert!(named(Kind::Vendor, "ao-kaspersky-lab"));
        });
    }

    #[test]
    fn sets_are_equal_whatever_the_order_and_test_membership_across_lifetimes() {
        let a = Value::set([
            Value::string("RU"),
            Value::string("CN"),
            Value::string("RU"),
        ]);
        let b = Value::set([Value::string("CN"), Value::string("RU")]);
        assert_eq!(a, b);
        let owned = Value::String(Cow::Owned("CN".to_owned()));
        assert!(a.contains(&owned));
        assert!(!a.contains(&Value::string("US")));
        assert!(!Value::string("CN").contains(&owned));
    }
}
