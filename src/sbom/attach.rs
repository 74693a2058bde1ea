//! Attaching an SBOM to a release: components become products and releases
//! of their vendors, embedded as the document says.
//!
//! The SBOM's root stands for the release it is attached to. Each component
//! of the product whose vendor is found becomes a release of a product of
//! that vendor, reused when the inventory already has it; its own parts
//! become its release's `components`, so a suite embedding an engine that
//! embeds an SDK contains the SDK's code, as if the inventory had been written
//! so by hand. A component whose vendor stays unknown is no release (a
//! product needs a vendor): the releases that embed it record it in
//! `unattributed_components`, and embed its parts in its place, so nothing
//! known below an unknown component is lost.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::error::{Error, ErrorKind, Result};
use crate::model::{Category, Id, Inventory, Product, Release, MAX_ID_LEN};
use crate::sbom::aliases::{normalise, AliasMap};
use crate::sbom::document::{Component, Sbom};
use crate::sbom::report::{Attributed, LooseVersion, Omitted, SbomReport, Unattributed};
use crate::sbom::vendors::{Attribution, Vendors};
use crate::sbom::version::{self, Reading};

/// The category of the products an import adds. None of the categories
/// names a part of a product, and none is more likely than "any other
/// software"; a component that is something else (a Huawei modem is
/// `telecom`) gets its category when the inventory defines its product, which
/// the import then reuses.
///
/// ```
/// use clearance::{sbom::{AliasMap, Sbom, IMPORTED_CATEGORY}, Category, Inventory};
///
/// let mut inventory = Inventory::from_json(r#"{
///   "vendors": [{"id": "acme", "name": "Acme Ltd", "incorporated": "GB", "headquarters": "GB"}],
///   "products": [{"id": "app", "name": "App", "vendor": "acme", "category": "antivirus"}],
///   "releases": [{"id": "app-1", "product": "app", "version": "1.0.0"}]
/// }"#)?;
/// let sbom = Sbom::from_json(r#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [
///   {"name": "acme-core", "version": "1.0.0", "supplier": {"name": "Acme Ltd"}}]}"#)?;
/// let report = inventory.attach_sbom("app-1", &sbom, &AliasMap::default())?;
/// let added = inventory.products.iter().find(|p| p.id == report.products_added[0]).unwrap();
/// assert_eq!((added.category, IMPORTED_CATEGORY), (Category::Software, Category::Software));
/// # Ok::<(), clearance::Error>(())
/// ```
pub const IMPORTED_CATEGORY: Category = Category::Software;

impl Inventory {
    /// Attaches an SBOM to one of the inventory's releases: the components of
    /// the product become releases of their vendors' products (added, or
    /// reused when the inventory has them), embedded as the SBOM says, and
    /// those whose vendor stays unknown are recorded in the
    /// `unattributed_components` of the releases embedding them, which
    /// policies read as `resource.unattributedComponents`. See the
    /// [`sbom`](crate::sbom) module for how vendors are found, versions read
    /// and ids made.
    ///
    /// Either the whole SBOM is attached, leaving a valid inventory, or
    /// nothing changes. Attaching the same SBOM again changes nothing more.
    ///
    /// ```
    /// use clearance::{sbom::{AliasMap, Sbom}, Inventory};
    ///
    /// let mut inventory = Inventory::from_json(r#"{
    ///   "vendors": [{"id": "hexagone", "name": "Hexagone SA", "incorporated": "FR", "headquarters": "FR"}],
    ///   "products": [{"id": "suite", "name": "Hexagone Suite", "vendor": "hexagone", "category": "antivirus"}],
    ///   "releases": [{"id": "suite-2018", "product": "suite", "version": "2018.0.0"}]
    /// }"#)?;
    /// let sbom = Sbom::from_json(r#"{"bomFormat": "CycloneDX", "specVersion": "1.5",
    ///   "metadata": {"component": {"bom-ref": "suite", "name": "Hexagone Suite"}},
    ///   "components": [
    ///     {"bom-ref": "sdk", "name": "Anti-Virus SDK", "version": "8.0",
    ///      "supplier": {"name": "AO Kaspersky Lab"}},
    ///     {"bom-ref": "zlib", "name": "zlib", "version": "1.3.1"}],
    ///   "dependencies": [{"ref": "suite", "dependsOn": ["sdk"]}, {"ref": "sdk", "dependsOn": ["zlib"]}]
    /// }"#)?;
    /// let report = inventory.attach_sbom("suite-2018", &sbom, &AliasMap::default())?;
    ///
    /// // The SDK is AO Kaspersky Lab's (found in the shipped registry), 8.0 read as 8.0.0.
    /// assert_eq!(report.attributed[0].release.as_str(), "ao-kaspersky-lab:anti-virus-sdk:8.0.0");
    /// let suite = inventory.releases.iter().find(|r| r.id.as_str() == "suite-2018").unwrap();
    /// assert!(suite.components.contains("ao-kaspersky-lab:anti-virus-sdk:8.0.0"));
    /// // zlib names no one: the SDK's release records it.
    /// let sdk = inventory.releases.iter().find(|r| r.id == report.attributed[0].release).unwrap();
    /// assert!(sdk.unattributed_components.contains("zlib@1.3.1"));
    /// # Ok::<(), clearance::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::UnknownRelease`] if the inventory has no such release;
    /// [`ErrorKind::DanglingReference`] if the alias map names a vendor the
    /// inventory lacks; [`ErrorKind::DuplicateId`] if the id a component's
    /// product or release would get is taken by a different one; and any
    /// error of [`Inventory::validate`] the result would have (such as a
    /// [`ErrorKind::Cycle`] between releases). The inventory is then unchanged.
    pub fn attach_sbom(
        &mut self,
        release: &str,
        sbom: &Sbom,
        aliases: &AliasMap,
    ) -> Result<SbomReport> {
        let what = format!("attaching SBOM {} to release `{release}`", sbom.source());
        let Some(target) = self.releases.iter().position(|r| r.id.as_str() == release) else {
            return Err(Error::new(
                ErrorKind::UnknownRelease,
                format!("{what}: the inventory has no release `{release}`"),
            ));
        };
        self.check_aliases(aliases)?;
        let vendors = Vendors::new(self, aliases);
        let mut next = self.clone();
        let mut import = Import {
            what: &what,
            inventory: &mut next,
            report: SbomReport {
                release: self.releases[target].id.clone(),
                source: sbom.source().to_owned(),
                format: sbom.format().clone(),
                components: sbom.components().len(),
                attributed: Vec::new(),
                unattributed: Vec::new(),
                left_out: sbom
                    .left_out()
                    .iter()
                    .map(|l| Omitted {
                        reference: sbom.components()[l.component].reference.clone(),
                        name: sbom.components()[l.component].name.clone(),
                        reason: l.reason.clone(),
                    })
                    .collect(),
                versions: Vec::new(),
                products_added: Vec::new(),
                releases_added: Vec::new(),
                releases_changed: Vec::new(),
            },
        };

        // Which release each component of the product is; `None`, unknown.
        let roots: HashSet<usize> = sbom.roots().iter().copied().collect();
        let mut releases: Vec<Option<usize>> = vec![None; sbom.components().len()];
        let mut unknown: Vec<usize> = Vec::new();
        for (c, component) in sbom.components().iter().enumerate() {
            if roots.contains(&c) || !sbom.is_part(c) {
                continue;
            }
            match vendors.attribute(component) {
                Attribution::Vendor { chosen, others } => {
                    let r = import.release_for(component, &chosen.vendor)?;
                    import.report.attributed.push(Attributed {
                        reference: component.reference.clone(),
                        name: component.name.clone(),
                        by: chosen,
                        others,
                        release: import.inventory.releases[r].id.clone(),
                    });
                    releases[c] = Some(r);
                }
                Attribution::Unknown { tried, notes } => {
                    import.report.unattributed.push(Unattributed {
                        reference: component.reference.clone(),
                        name: component.name.clone(),
                        key: key(component),
                        tried,
                        notes,
                        counted_in: Vec::new(),
                    });
                    unknown.push(c);
                }
            }
        }

        // What each known component (and the root, as the release) embeds:
        // the nearest known components below it, and the unknown ones on the way.
        let below = Below::new(sbom, &releases, &roots);
        let mut embeds: Vec<(usize, Vec<usize>)> = vec![(target, sbom.contents().to_vec())];
        for (c, r) in releases.iter().enumerate() {
            if let Some(r) = r {
                embeds.push((*r, sbom.parts(c).to_vec()));
            }
        }
        let mut counted: HashMap<usize, BTreeSet<Id>> = HashMap::new();
        for (r, parts) in embeds {
            let (known, unknowns) = below.of(&parts);
            let ids: Vec<Id> = known
                .iter()
                .filter(|&&k| k != r)
                .map(|&k| import.inventory.releases[k].id.clone())
                .collect();
            let release = &mut import.inventory.releases[r];
            release.components.extend(ids);
            for &u in &unknowns {
                release
                    .unattributed_components
                    .insert(key(&sbom.components()[u]));
                counted.entry(u).or_default().insert(release.id.clone());
            }
        }
        for (entry, u) in import.report.unattributed.iter_mut().zip(&unknown) {
            entry.counted_in = counted.remove(u).map(Vec::from_iter).unwrap_or_default();
        }
        import.report.releases_changed = self
            .releases
            .iter()
            .zip(&import.inventory.releases)
            .filter(|(before, after)| before != after)
            .map(|(before, _)| before.id.clone())
            .collect();

        import
            .inventory
            .validate()
            .map_err(|e| Error::new(e.kind(), format!("{what}: {}", e.message())))?;
        let report = import.report;
        *self = next;
        Ok(report)
    }

    /// Every vendor the alias map names must be one the inventory has.
    fn check_aliases(&self, aliases: &AliasMap) -> Result<()> {
        let registry = self.registry.then(crate::model::Registry::shipped);
        for (section, key, vendor) in aliases.targets() {
            let known = self.vendors.iter().any(|v| v.id == *vendor)
                || registry.is_some_and(|r| r.vendor(vendor.as_str()).is_some());
            if !known {
                return Err(Error::new(
                    ErrorKind::DanglingReference,
                    format!(
                        "{}: `{section}` maps {key:?} to vendor `{vendor}`, which is not in the inventory",
                        aliases.source()
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// How releases record an unattributed component: its purl, else its name
/// and version.
fn key(component: &Component) -> String {
    if let Some(purl) = &component.purl {
        return purl.clone();
    }
    let name = product_name(component);
    match &component.version {
        Some(version) => format!("{name}@{version}"),
        None => name,
    }
}

/// A component's product name: its group and name (`com.example/acme-lib`,
/// `@angular/core`), or its name.
fn product_name(component: &Component) -> String {
    match &component.group {
        Some(group) => format!("{group}/{}", component.name),
        None => component.name.clone(),
    }
}

struct Import<'a> {
    what: &'a str,
    inventory: &'a mut Inventory,
    report: SbomReport,
}

impl Import<'_> {
    /// The index of the release a component is, under its vendor: reused
    /// when the vendor has a product of that name with a release of that
    /// version, added otherwise.
    fn release_for(&mut self, component: &Component, vendor: &Id) -> Result<usize> {
        let name = product_name(component);
        let product = match self
            .inventory
            .products
            .iter()
            .find(|p| p.vendor == *vendor && normalise(&p.name) == normalise(&name))
        {
            Some(product) => product.id.clone(),
            None => {
                let id = bounded(format!("{vendor}:{}", slug(&name)));
                if let Some(taken) = self.inventory.products.iter().find(|p| p.id == id) {
                    return Err(self.taken(
                        component,
                        "product",
                        &id,
                        &format!(
                            "product `{}` ({}, of vendor `{}`)",
                            taken.id, taken.name, taken.vendor
                        ),
                    ));
                }
                self.inventory.products.push(Product {
                    id: id.clone(),
                    name: name.clone(),
                    vendor: vendor.clone(),
                    category: IMPORTED_CATEGORY,
                    privileged: false,
                    cloud_connected: false,
                    user_data_access: true,
                    third_party_interconnection: false,
                    known_as: None,
                    equipment: None,
                });
                self.report.products_added.push(id.clone());
                id
            }
        };

        let (version, reading) = version::read(component.version.as_deref());
        if reading != Reading::Exact {
            self.report.versions.push(LooseVersion {
                reference: component.reference.clone(),
                name: component.name.clone(),
                given: component.version.clone(),
                recorded: version.clone(),
                placeholder: reading == Reading::Placeholder,
            });
        }
        if let Some(r) = self
            .inventory
            .releases
            .iter()
            .position(|r| r.product == product && r.version == version)
        {
            return Ok(r);
        }
        let id = bounded(format!(
            "{product}:{}",
            version.to_string().replace('+', "_")
        ));
        if let Some(taken) = self.inventory.releases.iter().find(|r| r.id == id) {
            return Err(self.taken(
                component,
                "release",
                &id,
                &format!(
                    "release `{}` (version {} of product `{}`)",
                    taken.id, taken.version, taken.product
                ),
            ));
        }
        self.inventory.releases.push(Release {
            id: id.clone(),
            product,
            // Keep the version as the SBOM wrote it where it was read loosely.
            name: (reading != Reading::Exact).then(|| match &component.version {
                Some(given) => format!("{name} {given}"),
                None => name.clone(),
            }),
            version,
            data_countries: BTreeSet::new(),
            components: BTreeSet::new(),
            nonessential_components: BTreeSet::new(),
            service_countries: BTreeSet::new(),
            audited: false,
            unattributed_components: BTreeSet::new(),
            form: None,
            production: None,
        });
        self.report.releases_added.push(id);
        Ok(self.inventory.releases.len() - 1)
    }

    fn taken(&self, component: &Component, kind: &str, id: &Id, by: &str) -> Error {
        Error::new(
            ErrorKind::DuplicateId,
            format!(
                "{}: component {}: the {kind} id `{id}` it would get is taken by {by}",
                self.what,
                component.label()
            ),
        )
    }
}

/// For each unattributed component, the known releases and the unattributed
/// components below it, through unattributed components only.
struct Below<'a> {
    sbom: &'a Sbom,
    releases: &'a [Option<usize>],
    /// The roots: the release itself, never a part of anything below it.
    roots: &'a HashSet<usize>,
    memo: HashMap<usize, (BTreeSet<usize>, BTreeSet<usize>)>,
}

impl<'a> Below<'a> {
    fn new(sbom: &'a Sbom, releases: &'a [Option<usize>], roots: &'a HashSet<usize>) -> Below<'a> {
        let mut below = Below {
            sbom,
            releases,
            roots,
            memo: HashMap::new(),
        };
        // Bottom up, without recursion: the SBOM has no cycle.
        let mut stack: Vec<(usize, bool)> = (0..releases.len())
            .filter(|&c| below.unknown(c))
            .map(|c| (c, false))
            .collect();
        while let Some((c, expanded)) = stack.pop() {
            if below.memo.contains_key(&c) {
                continue;
            }
            let pending: Vec<usize> = sbom
                .parts(c)
                .iter()
                .copied()
                .filter(|&p| below.unknown(p) && !below.memo.contains_key(&p))
                .collect();
            if expanded || pending.is_empty() {
                let (known, mut unknown) = below.of(sbom.parts(c));
                unknown.insert(c);
                below.memo.insert(c, (known, unknown));
            } else {
                stack.push((c, true));
                stack.extend(pending.into_iter().map(|p| (p, false)));
            }
        }
        below
    }

    /// Whether a component is part of the product, not a root, and unattributed.
    fn unknown(&self, c: usize) -> bool {
        self.releases[c].is_none() && !self.roots.contains(&c) && self.sbom.is_part(c)
    }

    /// The known releases and unattributed components `parts` reach.
    fn of(&self, parts: &[usize]) -> (BTreeSet<usize>, BTreeSet<usize>) {
        let mut known = BTreeSet::new();
        let mut unknown = BTreeSet::new();
        for &p in parts {
            if let Some(r) = self.releases[p] {
                known.insert(r);
            } else if let Some((k, u)) = self.memo.get(&p) {
                known.extend(k.iter().copied());
                unknown.extend(u.iter().copied());
            }
        }
        (known, unknown)
    }
}

/// Lower-case ASCII letters, digits, `.`, `_` and `-`, for an id made from
/// a name; a name with none of them is known by a digest of itself.
fn slug(name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() || c == '.' || c == '_' {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').to_owned();
    if slug.is_empty() {
        format!("c-{:016x}", digest(name))
    } else {
        slug
    }
}

/// An id from text that fits: text longer than an id may be is cut, and a
/// digest of the whole keeps two long names apart.
fn bounded(text: String) -> Id {
    let text = if text.len() <= MAX_ID_LEN {
        text
    } else {
        format!("{}-{:016x}", &text[..MAX_ID_LEN - 17], digest(&text))
    };
    // Built of vendor ids, slugs and semver text only, which ids allow.
    text.parse().expect("an id made of id characters")
}

/// FNV-1a: a stable digest, the same on every machine and in every release.
fn digest(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::{bounded, slug};

    #[test]
    fn ids_are_made_of_id_characters_and_fit() {
        assert_eq!(slug("Kaspersky Anti-Virus SDK"), "kaspersky-anti-virus-sdk");
        assert_eq!(slug("@angular/core"), "angular-core");
        assert_eq!(slug("  Ünïcode ++ "), "n-code");
        assert!(slug("Лаборатория").starts_with("c-"));
        let long = bounded(format!("vendor:{}", "x".repeat(300)));
        assert_eq!(long.as_str().len(), crate::model::MAX_ID_LEN);
        assert_ne!(long, bounded(format!("vendor:{}y", "x".repeat(300))));
    }
}
