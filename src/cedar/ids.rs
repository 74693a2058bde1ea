//! The entity types of the schema, and each entity's place in the
//! inventory by its id.
//!
//! Below [`super::facts`] and [`super::mapping`], which both name entities
//! by their place.

use std::collections::HashMap;

use crate::model::Inventory;

/// The entity types of the schema (actions aside).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Kind {
    Organisation,
    System,
    Vendor,
    Product,
    Release,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Organisation,
        Kind::System,
        Kind::Vendor,
        Kind::Product,
        Kind::Release,
    ];

    /// The schema's name of the type.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Organisation => "Organisation",
            Kind::System => "System",
            Kind::Vendor => "Vendor",
            Kind::Product => "Product",
            Kind::Release => "Release",
        }
    }

    /// The type the schema names so.
    pub fn named(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// One entity of the inventory: its type and its place in the inventory's
/// list of that type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Ref {
    pub kind: Kind,
    pub index: usize,
}

impl Ref {
    pub fn new(kind: Kind, index: usize) -> Ref {
        Ref { kind, index }
    }
}

/// Each entity's place in the inventory, by its id, for every type.
pub(crate) struct Ids {
    /// In the order [`Kind`] declares its types.
    by_kind: [HashMap<String, usize>; 5],
}

impl Ids {
    pub fn new(inventory: &Inventory) -> Ids {
        fn index<'i>(ids: impl Iterator<Item = &'i str>) -> HashMap<String, usize> {
            ids.enumerate().map(|(i, id)| (id.to_owned(), i)).collect()
        }
        Ids {
            by_kind: [
                index(inventory.organisations.iter().map(|o| o.id.as_str())),
                index(inventory.systems.iter().map(|s| s.id.as_str())),
                index(inventory.vendors.iter().map(|v| v.id.as_str())),
                index(inventory.products.iter().map(|p| p.id.as_str())),
                index(inventory.releases.iter().map(|r| r.id.as_str())),
            ],
        }
    }

    /// The place of the entity of this type with this id.
    pub fn get(&self, kind: Kind, id: &str) -> Option<usize> {
        self.of(kind).get(id).copied()
    }

    /// The places of every entity of this type.
    pub fn of(&self, kind: Kind) -> &HashMap<String, usize> {
        &self.by_kind[kind as usize]
    }
}
