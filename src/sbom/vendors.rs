//! Who supplied a component: its names and identifiers, matched to a vendor.
//!
//! A component offers, in this order: the names of its manufacturer (who
//! made the code), supplier (who passed it on: often the manufacturer, but
//! maybe a distributor), publisher and authors; its CPE name's vendor; its
//! package URL. They are tried against three sources, **the first match
//! wins**:
//!
//! 1. the user's [`AliasMap`]: CPE vendor, then package URL, then each name;
//! 2. the inventory's vendors, by name: each name in the order above, then
//!    the CPE vendor read as a name (`kaspersky_lab` is "Kaspersky Lab");
//! 3. the shipped [`Registry`]'s vendors, by name and alias, likewise (when
//!    the inventory uses the registry).
//!
//! The user's map comes first because it is the user's decision: it is how
//! they say that their distributor's name stands for a vendor they model, or
//! that a name the registry knows means someone else in their SBOMs. Within
//! a source the manufacturer comes first because rules ask whose *code* a
//! product contains. A name that lists several (`Jane Doe, Acme Ltd`) is
//! tried whole, then part by part, so that "Kaspersky Lab, Inc." is still
//! found as itself. Names are compared as the registry compares them:
//! ignoring case, punctuation and spacing. Matches that name another vendor
//! than the one chosen are kept, so a report can show the disagreement.

use std::collections::HashMap;
use std::fmt;

use crate::model::{EntryKind, Id, Inventory, Registry};
use crate::sbom::aliases::{normalise, AliasMap};
use crate::sbom::document::Component;

/// Where a component's vendor was found.
///
/// ```
/// use clearance::sbom::{AliasMap, Sbom, Source};
/// use clearance::Inventory;
///
/// let mut inventory = Inventory::from_json(r#"{
///   "vendors": [{"id": "acme", "name": "Acme Ltd", "incorporated": "GB", "headquarters": "GB"}],
///   "products": [{"id": "app", "name": "App", "vendor": "acme", "category": "software"}],
///   "releases": [{"id": "app-1", "product": "app", "version": "1.0.0"}]
/// }"#)?;
/// let sbom = Sbom::from_json(r#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [
///   {"name": "acme-core", "version": "1.0.0", "supplier": {"name": "ACME LTD."}},
///   {"name": "sdk", "version": "8.0.0", "supplier": {"name": "Kaspersky Lab"}}]}"#)?;
/// let report = inventory.attach_sbom("app-1", &sbom, &AliasMap::default())?;
/// assert_eq!(report.attributed[0].by.source, Source::Inventory);
/// assert_eq!(report.attributed[1].by.source, Source::Registry);
/// assert_eq!(Source::AliasMap.to_string(), "the alias map");
/// # Ok::<(), clearance::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// The user's [`AliasMap`].
    AliasMap,
    /// The inventory's own vendors.
    Inventory,
    /// The shipped [`Registry`].
    Registry,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Source::AliasMap => "the alias map",
            Source::Inventory => "the inventory",
            Source::Registry => "the registry",
        })
    }
}

/// One way a component was matched to a vendor: by what, in which source.
///
/// ```
/// use clearance::sbom::{Match, Source};
///
/// let found = Match::new(r#"supplier "AO Kaspersky Lab""#, Source::Registry, "ao-kaspersky-lab".parse()?);
/// assert_eq!(found.to_string(), r#"supplier "AO Kaspersky Lab" in the registry: `ao-kaspersky-lab`"#);
/// # Ok::<(), clearance::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Match {
    /// What matched: `supplier "AO Kaspersky Lab"`, `purl pkg:maven/com.kaspersky`.
    pub by: String,
    /// Where.
    pub source: Source,
    /// The vendor it names.
    pub vendor: Id,
}

impl Match {
    /// A match of `by` (what matched) in `source`, naming `vendor`.
    ///
    /// ```
    /// use clearance::sbom::{Match, Source};
    ///
    /// let found = Match::new("purl pkg:maven/com.kaspersky", Source::AliasMap, "ao-kaspersky-lab".parse()?);
    /// assert_eq!(found.vendor.as_str(), "ao-kaspersky-lab");
    /// # Ok::<(), clearance::Error>(())
    /// ```
    pub fn new(by: impl Into<String>, source: Source, vendor: Id) -> Match {
        Match {
            by: by.into(),
            source,
            vendor,
        }
    }
}

impl fmt::Display for Match {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} in {}: `{}`", self.by, self.source, self.vendor)
    }
}

/// The result of matching one component.
pub(crate) enum Attribution {
    /// Found: the winning match, then those naming other vendors.
    Vendor { chosen: Match, others: Vec<Match> },
    /// Not found: what was tried, and any near miss worth saying.
    Unknown {
        tried: Vec<String>,
        notes: Vec<String>,
    },
}

/// What vendors can be matched against, for one inventory and alias map.
pub(crate) struct Vendors<'a> {
    aliases: &'a AliasMap,
    /// Normalised name to vendor id, for the inventory's vendors.
    vendors: HashMap<String, Id>,
    /// Normalised name to party id: owners that make nothing.
    parties: HashMap<String, Id>,
    registry: Option<&'static Registry>,
}

impl<'a> Vendors<'a> {
    pub fn new(inventory: &Inventory, aliases: &'a AliasMap) -> Vendors<'a> {
        Vendors {
            aliases,
            vendors: inventory
                .vendors
                .iter()
                .map(|v| (normalise(&v.name), v.id.clone()))
                .collect(),
            parties: inventory
                .parties
                .iter()
                .map(|p| (normalise(&p.name), p.id.clone()))
                .collect(),
            registry: inventory.registry.then(Registry::shipped),
        }
    }

    pub fn attribute(&self, component: &Component) -> Attribution {
        let names = names(component);
        let cpe = component.cpe.as_deref().and_then(cpe_vendor);
        let mut matches: Vec<Match> = Vec::new();
        let mut notes: Vec<String> = Vec::new();

        if let Some(vendor) = cpe.as_deref().and_then(|v| self.aliases.cpe_vendor(v)) {
            let by = format!("cpe vendor {:?}", cpe.as_deref().unwrap_or_default());
            matches.push(Match::new(by, Source::AliasMap, vendor.clone()));
        }
        if let Some((key, vendor)) = component.purl.as_deref().and_then(|p| self.aliases.purl(p)) {
            matches.push(Match::new(
                format!("purl {key}"),
                Source::AliasMap,
                vendor.clone(),
            ));
        }
        for (field, name) in &names {
            if let Some((_, vendor)) = self.aliases.name(name) {
                matches.push(Match::new(
                    format!("{field} {name:?}"),
                    Source::AliasMap,
                    vendor.clone(),
                ));
            }
        }
        let as_names = names
            .iter()
            .map(|(field, name)| (*field, name.clone()))
            .chain(cpe.iter().map(|v| ("cpe vendor", v.clone())));
        for (field, name) in as_names {
            let by = format!("{field} {name:?}");
            let key = normalise(&name);
            if let Some(vendor) = self.vendors.get(&key) {
                matches.push(Match::new(by.clone(), Source::Inventory, vendor.clone()));
            } else if let Some(party) = self.parties.get(&key) {
                notes.push(format!("{by} is party `{party}`, which makes no products"));
            }
            if let Some(entry) = self.registry.and_then(|r| r.find(&name)) {
                match entry.kind() {
                    EntryKind::Vendor => {
                        matches.push(Match::new(by, Source::Registry, entry.id().clone()))
                    }
                    EntryKind::Party => notes.push(format!(
                        "{by} is the registry's party `{}`, which makes no products",
                        entry.id()
                    )),
                }
            }
        }

        let mut matches = matches.into_iter();
        match matches.next() {
            Some(chosen) => {
                let mut others: Vec<Match> = Vec::new();
                for other in matches {
                    if other.vendor != chosen.vendor
                        && !others.iter().any(|o| o.vendor == other.vendor)
                    {
                        others.push(other);
                    }
                }
                Attribution::Vendor { chosen, others }
            }
            None => {
                let mut tried: Vec<String> = names
                    .iter()
                    .map(|(field, name)| format!("{field} {name:?}"))
                    .collect();
                tried.dedup();
                tried.extend(cpe.iter().map(|v| format!("cpe vendor {v:?}")));
                tried.extend(component.purl.iter().map(|p| format!("purl {p}")));
                notes.dedup();
                Attribution::Unknown { tried, notes }
            }
        }
    }
}

/// The names a component offers, each field's whole name first and then, if
/// it lists several, each of them.
fn names(component: &Component) -> Vec<(&'static str, String)> {
    let fields = [
        (
            "manufacturer",
            component.manufacturer.iter().collect::<Vec<_>>(),
        ),
        ("supplier", component.supplier.iter().collect()),
        ("publisher", component.publisher.iter().collect()),
        ("author", component.authors.iter().collect()),
    ];
    let mut names: Vec<(&'static str, String)> = Vec::new();
    for (field, values) in fields {
        for value in values {
            names.push((field, value.clone()));
            if value.contains(',') {
                for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                    names.push((field, part.to_owned()));
                }
            }
        }
    }
    names
}

/// The vendor part of a CPE 2.3 formatted string (`cpe:2.3:a:kaspersky:...`)
/// or a CPE 2.2 URI (`cpe:/a:kaspersky:...`), lower case and unescaped; none
/// for `*` and `-` (any, not applicable).
pub(crate) fn cpe_vendor(cpe: &str) -> Option<String> {
    let cpe = cpe.trim();
    let vendor = if let Some(rest) = cpe.strip_prefix("cpe:2.3:") {
        // Fields are separated by colons not escaped with a backslash.
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut chars = rest.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => field.extend(chars.next()),
                ':' => fields.push(std::mem::take(&mut field)),
                c => field.push(c),
            }
        }
        fields.push(field);
        fields.into_iter().nth(1)?
    } else if let Some(rest) = cpe.strip_prefix("cpe:/") {
        rest.split(':').nth(1)?.replace("%20", " ")
    } else {
        return None;
    };
    let vendor = vendor.trim().to_lowercase();
    match vendor.as_str() {
        "" | "*" | "-" => None,
        _ => Some(vendor),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn cpe_vendors_are_read_from_both_forms() {
        for (cpe, vendor) in [
            (
                "cpe:2.3:a:kaspersky:anti-virus:8.0:*:*:*:*:*:*:*",
                Some("kaspersky"),
            ),
            (
                "cpe:2.3:a:kaspersky_lab:sdk:*:*:*:*:*:*:*:*",
                Some("kaspersky_lab"),
            ),
            ("cpe:2.3:a:a\\:b:x:*:*:*:*:*:*:*:*", Some("a:b")),
            ("cpe:/a:Kaspersky:anti-virus:8.0", Some("kaspersky")),
            ("cpe:2.3:a:*:x:*:*:*:*:*:*:*:*", None),
            ("not a cpe", None),
        ] {
            assert_eq!(super::cpe_vendor(cpe).as_deref(), vendor, "{cpe}");
        }
    }
}
