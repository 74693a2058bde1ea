//! The shipped registry of the companies the packs name, and their relatives.
//!
//! Rules name companies; real inventories hold the products of their
//! subsidiaries, parents and sister companies. So that users need not know
//! the ids the packs expect, nor rebuild the Kaspersky group by hand, the
//! crate ships `policies/registry.json`: every company the packs name, the
//! relatives a source confirms, who owns and controls whom, and for each
//! entry its source and how well it is confirmed ([`Basis`]). It invents
//! nothing: a relation no source here gives is left out and, where that
//! matters, said so in the entry's note.
//!
//! An [`Inventory`](super::Inventory) merges the registry unless its
//! `registry` is `false`: it may then refer to registry ids (as a product's
//! vendor, as an owner) without defining them, and may not define them, nor
//! a company by a registry company's name, itself.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::Value;

use super::{Basis, Id, Party, Vendor};

/// The text of the shipped registry, as JSON.
pub const REGISTRY_TEXT: &str = include_str!("../../policies/registry.json");

/// Whether a registry entry is a vendor or a party.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntryKind {
    /// A company that makes or sells products.
    Vendor,
    /// An owner that makes nothing: a holding company, a state, a person.
    Party,
}

/// One company of the registry, with where its facts come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryEntry {
    id: Id,
    name: String,
    kind: EntryKind,
    aliases: Vec<String>,
    source: String,
    basis: Basis,
    note: Option<String>,
}

impl RegistryEntry {
    /// Its id, as inventories and policies name it.
    pub fn id(&self) -> &Id {
        &self.id
    }
    /// Its legal name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// Vendor or party.
    pub fn kind(&self) -> EntryKind {
        self.kind
    }
    /// Other names it is known by (former names, short names, brands).
    pub fn aliases(&self) -> &[String] {
        &self.aliases
    }
    /// Where the entry's facts come from.
    pub fn source(&self) -> &str {
        &self.source
    }
    /// How well the entry is confirmed.
    pub fn basis(&self) -> Basis {
        self.basis
    }
    /// What the sources leave open.
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }
}

/// The registry of real companies that ships with the crate.
///
/// ```
/// use clearance::Registry;
///
/// let registry = Registry::shipped();
/// let entry = registry.find("Kaspersky Lab").expect("a known name");
/// assert_eq!(entry.id().as_str(), "ao-kaspersky-lab");
/// assert!(registry.find("kaspersky labs limited").is_some());
/// let inc = registry.vendor("kaspersky-lab-inc").unwrap();
/// assert_eq!(inc.owners[0].owner.as_str(), "kaspersky-labs-limited");
/// ```
#[derive(Debug, Clone)]
pub struct Registry {
    vendors: Vec<Vendor>,
    parties: Vec<Party>,
    entries: Vec<RegistryEntry>,
    /// Normalised names and aliases, to the entry.
    names: BTreeMap<String, usize>,
}

impl Registry {
    /// The registry in `policies/registry.json`, read once per process.
    pub fn shipped() -> &'static Registry {
        static SHIPPED: OnceLock<Registry> = OnceLock::new();
        SHIPPED.get_or_init(|| {
            // The text is part of the crate, and unit tests check that it
            // parses and that every entry has a source.
            Registry::from_json(REGISTRY_TEXT).expect("the shipped registry parses")
        })
    }

    /// Its vendors.
    pub fn vendors(&self) -> &[Vendor] {
        &self.vendors
    }

    /// Its parties.
    pub fn parties(&self) -> &[Party] {
        &self.parties
    }

    /// Every entry: vendors, then parties.
    pub fn entries(&self) -> &[RegistryEntry] {
        &self.entries
    }

    /// The entry with this id.
    pub fn entry(&self, id: &str) -> Option<&RegistryEntry> {
        self.entries.iter().find(|e| e.id.as_str() == id)
    }

    /// The vendor with this id.
    pub fn vendor(&self, id: &str) -> Option<&Vendor> {
        self.vendors.iter().find(|v| v.id.as_str() == id)
    }

    /// The party with this id.
    pub fn party(&self, id: &str) -> Option<&Party> {
        self.parties.iter().find(|p| p.id.as_str() == id)
    }

    /// Whether a vendor or party has this id.
    pub fn contains(&self, id: &str) -> bool {
        self.entry(id).is_some()
    }

    /// The entry whose name or an alias is `name`, ignoring case,
    /// punctuation and spacing ("Kaspersky Lab, Inc." finds
    /// `kaspersky-lab-inc`; so does "KASPERSKY LAB INC").
    pub fn find(&self, name: &str) -> Option<&RegistryEntry> {
        self.names
            .get(&normalise(name))
            .map(|&entry| &self.entries[entry])
    }

    fn from_json(text: &str) -> Result<Registry, String> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct File {
            #[allow(dead_code)]
            about: String,
            vendors: Vec<Value>,
            parties: Vec<Value>,
        }
        let file: File = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let mut registry = Registry {
            vendors: Vec::new(),
            parties: Vec::new(),
            entries: Vec::new(),
            names: BTreeMap::new(),
        };
        for value in file.vendors {
            let (meta, rest) = split_meta(value)?;
            let vendor: Vendor = serde_json::from_value(rest).map_err(|e| e.to_string())?;
            registry.add(
                meta,
                vendor.id.clone(),
                vendor.name.clone(),
                EntryKind::Vendor,
            )?;
            registry.vendors.push(vendor);
        }
        for value in file.parties {
            let (meta, rest) = split_meta(value)?;
            let party: Party = serde_json::from_value(rest).map_err(|e| e.to_string())?;
            registry.add(meta, party.id.clone(), party.name.clone(), EntryKind::Party)?;
            registry.parties.push(party);
        }
        Ok(registry)
    }

    fn add(&mut self, meta: Meta, id: Id, name: String, kind: EntryKind) -> Result<(), String> {
        let index = self.entries.len();
        for known in std::iter::once(&name).chain(&meta.aliases) {
            match self.names.insert(normalise(known), index) {
                Some(other) if other != index => {
                    return Err(format!(
                        "`{id}` and `{}` are both known as {known:?}",
                        self.entries[other].id
                    ))
                }
                _ => {}
            }
        }
        self.entries.push(RegistryEntry {
            id,
            name,
            kind,
            aliases: meta.aliases,
            source: meta.source,
            basis: meta.basis,
            note: meta.note,
        });
        Ok(())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Meta {
    #[serde(default)]
    aliases: Vec<String>,
    source: String,
    basis: Basis,
    #[serde(default)]
    note: Option<String>,
}

/// An entry's registry fields, and the rest: a vendor or a party.
fn split_meta(value: Value) -> Result<(Meta, Value), String> {
    let Value::Object(mut fields) = value else {
        return Err("an entry is not a JSON object".to_owned());
    };
    let mut meta = serde_json::Map::new();
    for key in ["aliases", "source", "basis", "note"] {
        if let Some(value) = fields.remove(key) {
            meta.insert(key.to_owned(), value);
        }
    }
    let meta: Meta = serde_json::from_value(Value::Object(meta)).map_err(|e| {
        let id = fields.get("id").and_then(Value::as_str).unwrap_or("?");
        format!("entry `{id}`: {e}")
    })?;
    Ok((meta, Value::Object(fields)))
}

/// The stakes a user's definition of a registry company adds to the
/// registry's: those held by owners the registry does not list. A stake the
/// registry lists, restated, adds nothing; one held by an owner the registry
/// lists, on other terms, contradicts it (`Err` names the owner).
pub(crate) fn added_stakes(
    controlled_by: Option<&Id>,
    owners: &[super::Stake],
    shipped: &[super::Stake],
) -> Result<Vec<super::Stake>, Id> {
    let terms = |s: &super::Stake| (s.share, s.controls, s.from, s.until);
    let mut added = Vec::new();
    for stake in super::stakes(controlled_by, owners) {
        let listed: Vec<&super::Stake> =
            shipped.iter().filter(|s| s.owner == stake.owner).collect();
        if listed.iter().any(|s| terms(s) == terms(&stake)) {
            continue;
        }
        if !listed.is_empty() {
            return Err(stake.owner.clone());
        }
        added.push(stake.into_owned());
    }
    Ok(added)
}

/// A name as it is compared: lower case letters and digits only.
pub(crate) fn normalise(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_registry_parses_and_every_entry_and_link_has_a_source() {
        let registry = Registry::from_json(REGISTRY_TEXT).unwrap();
        assert!(registry.entries().len() >= 15);
        for entry in registry.entries() {
            assert!(entry.source().len() > 10, "{}: no source", entry.id());
        }
        let stakes = registry
            .vendors()
            .iter()
            .flat_map(|v| &v.owners)
            .chain(registry.parties().iter().flat_map(|p| &p.owners));
        for stake in stakes {
            assert!(
                stake.source.as_deref().is_some_and(|s| s.len() > 10) && stake.basis.is_some(),
                "a stake of {} has no source or basis",
                stake.owner
            );
        }
        for vendor in registry.vendors() {
            assert!(vendor.controlled_by.is_none(), "{}: use owners", vendor.id);
        }
    }

    #[test]
    fn names_are_found_whatever_their_case_and_punctuation() {
        let registry = Registry::shipped();
        for (name, id) in [
            ("Kaspersky Labs Limited", "kaspersky-labs-limited"),
            ("KASPERSKY LAB, INC", "kaspersky-lab-inc"),
            ("Huawei Technologies Co., Ltd.", "huawei"),
            ("zte corporation", "zte"),
        ] {
            assert_eq!(
                registry.find(name).map(|e| e.id().as_str()),
                Some(id),
                "{name}"
            );
        }
        assert!(registry.find("Acme").is_none());
    }
}
