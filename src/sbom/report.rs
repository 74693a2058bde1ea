//! What attaching an SBOM did: each component attributed to a vendor (and
//! how), each one whose vendor stayed unknown (and what was tried), what was
//! left out, which versions were read loosely, and what the inventory gained.

use std::fmt;

use crate::model::Id;
use crate::sbom::document::Format;
use crate::sbom::vendors::Match;

/// A component attributed to a vendor, and the release it became.
///
/// ```
/// # let mut inventory = clearance::Inventory::from_json(r#"{
/// #   "vendors": [{"id": "acme", "name": "Acme Ltd", "incorporated": "GB", "headquarters": "GB"}],
/// #   "products": [{"id": "app", "name": "App", "vendor": "acme", "category": "software"}],
/// #   "releases": [{"id": "app-1", "product": "app", "version": "1.0.0"}]}"#)?;
/// let sbom = clearance::sbom::Sbom::from_json(r#"{"bomFormat": "CycloneDX", "specVersion": "1.6",
///   "metadata": {"component": {"bom-ref": "app", "name": "App"}},
///   "components": [
///     {"bom-ref": "core", "name": "acme-core", "version": "v2.1", "supplier": {"name": "Acme Ltd"}},
///     {"bom-ref": "pad", "name": "left-pad", "version": "1.3.0", "purl": "pkg:npm/left-pad@1.3.0"},
///     {"bom-ref": "lint", "name": "linter", "scope": "excluded"}],
///   "dependencies": [{"ref": "app", "dependsOn": ["core"]}, {"ref": "core", "dependsOn": ["pad"]}]}"#)?;
/// let report = inventory.attach_sbom("app-1", &sbom, &clearance::sbom::AliasMap::default())?;
/// assert_eq!(report.attributed[0].reference, "core");
/// assert_eq!(report.attributed[0].release.as_str(), "acme:acme-core:2.1.0");
/// # Ok::<(), clearance::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Attributed {
    /// Its `bom-ref` or `SPDXID`.
    pub reference: String,
    /// Its name.
    pub name: String,
    /// The match that decided its vendor.
    pub by: Match,
    /// Matches that named another vendor (the user's map overruling the
    /// registry, a distributor's name beside the maker's).
    pub others: Vec<Match>,
    /// The release it is, added or reused.
    pub release: Id,
}

/// A component whose vendor stayed unknown.
///
/// ```
/// # let mut inventory = clearance::Inventory::from_json(r#"{
/// #   "vendors": [{"id": "acme", "name": "Acme Ltd", "incorporated": "GB", "headquarters": "GB"}],
/// #   "products": [{"id": "app", "name": "App", "vendor": "acme", "category": "software"}],
/// #   "releases": [{"id": "app-1", "product": "app", "version": "1.0.0"}]}"#)?;
/// let sbom = clearance::sbom::Sbom::from_json(r#"{"bomFormat": "CycloneDX", "specVersion": "1.6",
///   "metadata": {"component": {"bom-ref": "app", "name": "App"}},
///   "components": [
///     {"bom-ref": "core", "name": "acme-core", "version": "v2.1", "supplier": {"name": "Acme Ltd"}},
///     {"bom-ref": "pad", "name": "left-pad", "version": "1.3.0", "purl": "pkg:npm/left-pad@1.3.0"},
///     {"bom-ref": "lint", "name": "linter", "scope": "excluded"}],
///   "dependencies": [{"ref": "app", "dependsOn": ["core"]}, {"ref": "core", "dependsOn": ["pad"]}]}"#)?;
/// let report = inventory.attach_sbom("app-1", &sbom, &clearance::sbom::AliasMap::default())?;
/// let pad = &report.unattributed[0];
/// assert_eq!((pad.key.as_str(), pad.counted_in[0].as_str()), ("pkg:npm/left-pad@1.3.0", "acme:acme-core:2.1.0"));
/// # Ok::<(), clearance::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Unattributed {
    /// Its `bom-ref` or `SPDXID`.
    pub reference: String,
    /// Its name.
    pub name: String,
    /// How releases record it in `unattributed_components`: its purl, or
    /// its name and version.
    pub key: String,
    /// What was tried: `supplier "Acme"`, `purl pkg:npm/left-pad@1.3.0`;
    /// empty when it names no one and has no purl or CPE.
    pub tried: Vec<String>,
    /// Near misses: a name that is a party's, which makes no products.
    pub notes: Vec<String>,
    /// The releases that record it (those that embed it, directly or through
    /// other unattributed components).
    pub counted_in: Vec<Id>,
}

/// A component left out: not part of the product.
///
/// ```
/// # let mut inventory = clearance::Inventory::from_json(r#"{
/// #   "vendors": [{"id": "acme", "name": "Acme Ltd", "incorporated": "GB", "headquarters": "GB"}],
/// #   "products": [{"id": "app", "name": "App", "vendor": "acme", "category": "software"}],
/// #   "releases": [{"id": "app-1", "product": "app", "version": "1.0.0"}]}"#)?;
/// let sbom = clearance::sbom::Sbom::from_json(r#"{"bomFormat": "CycloneDX", "specVersion": "1.6",
///   "metadata": {"component": {"bom-ref": "app", "name": "App"}},
///   "components": [
///     {"bom-ref": "core", "name": "acme-core", "version": "v2.1", "supplier": {"name": "Acme Ltd"}},
///     {"bom-ref": "pad", "name": "left-pad", "version": "1.3.0", "purl": "pkg:npm/left-pad@1.3.0"},
///     {"bom-ref": "lint", "name": "linter", "scope": "excluded"}],
///   "dependencies": [{"ref": "app", "dependsOn": ["core"]}, {"ref": "core", "dependsOn": ["pad"]}]}"#)?;
/// let report = inventory.attach_sbom("app-1", &sbom, &clearance::sbom::AliasMap::default())?;
/// assert_eq!(report.left_out[0].name, "linter");
/// # Ok::<(), clearance::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Omitted {
    /// Its `bom-ref` or `SPDXID`.
    pub reference: String,
    /// Its name.
    pub name: String,
    /// Why.
    pub reason: String,
}

/// A version not read as it is written (see the [`sbom`](crate::sbom) module).
///
/// ```
/// # let mut inventory = clearance::Inventory::from_json(r#"{
/// #   "vendors": [{"id": "acme", "name": "Acme Ltd", "incorporated": "GB", "headquarters": "GB"}],
/// #   "products": [{"id": "app", "name": "App", "vendor": "acme", "category": "software"}],
/// #   "releases": [{"id": "app-1", "product": "app", "version": "1.0.0"}]}"#)?;
/// let sbom = clearance::sbom::Sbom::from_json(r#"{"bomFormat": "CycloneDX", "specVersion": "1.6",
///   "metadata": {"component": {"bom-ref": "app", "name": "App"}},
///   "components": [
///     {"bom-ref": "core", "name": "acme-core", "version": "v2.1", "supplier": {"name": "Acme Ltd"}},
///     {"bom-ref": "pad", "name": "left-pad", "version": "1.3.0", "purl": "pkg:npm/left-pad@1.3.0"},
///     {"bom-ref": "lint", "name": "linter", "scope": "excluded"}],
///   "dependencies": [{"ref": "app", "dependsOn": ["core"]}, {"ref": "core", "dependsOn": ["pad"]}]}"#)?;
/// let report = inventory.attach_sbom("app-1", &sbom, &clearance::sbom::AliasMap::default())?;
/// let v = &report.versions[0];
/// assert_eq!((v.given.as_deref(), v.recorded.to_string().as_str(), v.placeholder), (Some("v2.1"), "2.1.0", false));
/// # Ok::<(), clearance::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LooseVersion {
    /// The component's `bom-ref` or `SPDXID`.
    pub reference: String,
    /// Its name.
    pub name: String,
    /// The version as written, if any.
    pub given: Option<String>,
    /// The semantic version recorded.
    pub recorded: semver::Version,
    /// Whether it is a placeholder (`0.0.0+...`) rather than a coerced version.
    pub placeholder: bool,
}

/// What [`Inventory::attach_sbom`](crate::Inventory::attach_sbom) did.
///
/// Its `Display` lists everything, for a person to read; the fields are for
/// code.
///
/// ```
/// use clearance::{sbom::{AliasMap, Sbom}, Inventory};
///
/// let mut inventory = Inventory::from_json(r#"{
///   "vendors": [{"id": "hexagone", "name": "Hexagone SA", "incorporated": "FR", "headquarters": "FR"}],
///   "products": [{"id": "suite", "name": "Hexagone Suite", "vendor": "hexagone", "category": "antivirus"}],
///   "releases": [{"id": "suite-2018", "product": "suite", "version": "2018.0.0"}]
/// }"#)?;
/// let sbom = Sbom::from_json(r#"{"bomFormat": "CycloneDX", "specVersion": "1.6",
///   "components": [{"name": "left-pad", "version": "1.3.0", "purl": "pkg:npm/left-pad@1.3.0"}]}"#)?;
/// let report = inventory.attach_sbom("suite-2018", &sbom, &AliasMap::default())?;
/// assert_eq!(report.unattributed[0].key, "pkg:npm/left-pad@1.3.0");
/// assert_eq!(report.unattributed[0].tried, ["purl pkg:npm/left-pad@1.3.0"]);
/// assert!(report.to_string().contains("vendor unknown: 1"));
/// # Ok::<(), clearance::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SbomReport {
    /// The release the SBOM was attached to.
    pub release: Id,
    /// Where the SBOM was read from.
    pub source: String,
    /// Its format.
    pub format: Format,
    /// How many components the document has, roots included.
    pub components: usize,
    /// The components attributed to a vendor, in document order.
    pub attributed: Vec<Attributed>,
    /// The components whose vendor stayed unknown, in document order.
    pub unattributed: Vec<Unattributed>,
    /// The components left out of the product.
    pub left_out: Vec<Omitted>,
    /// The versions not read as they are written.
    pub versions: Vec<LooseVersion>,
    /// Products added to the inventory.
    pub products_added: Vec<Id>,
    /// Releases added to the inventory.
    pub releases_added: Vec<Id>,
    /// Releases the inventory had, given components or unattributed
    /// components (the release attached to among them, if it changed).
    pub releases_changed: Vec<Id>,
}

impl fmt::Display for SbomReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let part = |r: &str, n: &str| {
            if n.is_empty() || n == r {
                format!("`{r}`")
            } else {
                format!("`{r}` ({n})")
            }
        };
        writeln!(
            f,
            "SBOM {} ({}) attached to release `{}`: {} components; attributed: {}, vendor unknown: {}, left out: {}",
            self.source,
            self.format,
            self.release,
            self.components,
            self.attributed.len(),
            self.unattributed.len(),
            self.left_out.len()
        )?;
        for a in &self.attributed {
            writeln!(
                f,
                "  attributed  {} -> `{}`, by {}",
                part(&a.reference, &a.name),
                a.release,
                a.by
            )?;
            for other in &a.others {
                writeln!(f, "              (also {other})")?;
            }
        }
        for u in &self.unattributed {
            let tried = if u.tried.is_empty() {
                "it names no supplier, manufacturer, publisher or author, and has no purl or CPE"
                    .to_owned()
            } else {
                format!("tried {}", u.tried.join(", "))
            };
            writeln!(f, "  unknown     {}: {tried}", part(&u.reference, &u.name))?;
            for note in &u.notes {
                writeln!(f, "              ({note})")?;
            }
        }
        for o in &self.left_out {
            writeln!(
                f,
                "  left out    {}: {}",
                part(&o.reference, &o.name),
                o.reason
            )?;
        }
        for v in &self.versions {
            let given = v
                .given
                .as_deref()
                .map_or("no version".to_owned(), |g| format!("version {g:?}"));
            let how = if v.placeholder {
                "a placeholder"
            } else {
                "coerced"
            };
            writeln!(
                f,
                "  version     {}: {given} recorded as {} ({how})",
                part(&v.reference, &v.name),
                v.recorded
            )?;
        }
        let ids = |ids: &[Id]| {
            ids.iter()
                .map(|i| format!("`{i}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !self.products_added.is_empty() {
            writeln!(f, "  products added: {}", ids(&self.products_added))?;
        }
        if !self.releases_added.is_empty() {
            writeln!(f, "  releases added: {}", ids(&self.releases_added))?;
        }
        if !self.releases_changed.is_empty() {
            writeln!(f, "  releases changed: {}", ids(&self.releases_changed))?;
        }
        Ok(())
    }
}
