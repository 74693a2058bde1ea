//! The user's alias map: how an organisation's own SBOMs name its vendors.
//!
//! Suppliers write their names in many ways, and some components name no
//! supplier at all, only a package URL or a CPE. An alias map says which
//! vendor each of those means, as JSON (every section optional, unknown
//! fields rejected):
//!
//! ```json
//! {
//!   "about": "How our SBOMs name the vendors in our inventory.",
//!   "cpe_vendors": {"kaspersky": "ao-kaspersky-lab"},
//!   "purl_namespaces": {"pkg:maven/com.kaspersky": "ao-kaspersky-lab"},
//!   "names": {"Kaspersky Lab (Moscow)": "ao-kaspersky-lab"}
//! }
//! ```
//!
//! - `cpe_vendors`: the vendor part of a CPE name (`cpe:2.3:a:kaspersky:...`
//!   or `cpe:/a:kaspersky:...`), compared without regard to case;
//! - `purl_namespaces`: a package URL without its version: its type and
//!   namespace (`pkg:maven/com.kaspersky`), a leading part of the namespace
//!   (`pkg:golang/github.com/kaspersky`), or a whole package
//!   (`pkg:cargo/cedar-policy`). The longest key that is the component's
//!   purl, or a leading part of it ending at a `/`, wins; case and
//!   percent-encoding do not matter;
//! - `names`: a supplier's, manufacturer's, publisher's or author's name,
//!   compared as the registry compares names (ignoring case, punctuation and
//!   spacing).
//!
//! Each value is a vendor id, which the inventory must have (its own, or the
//! registry's when it uses the registry).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, ErrorKind, Result};
use crate::model::Id;
use crate::sbom::json;

/// The user's map from CPE vendors, purl namespaces and names to vendor ids.
///
/// ```
/// use clearance::sbom::AliasMap;
///
/// let aliases = AliasMap::from_json(r#"{
///     "purl_namespaces": {"pkg:maven/com.kaspersky": "ao-kaspersky-lab"},
///     "names": {"Kaspersky (Moscow)": "ao-kaspersky-lab"}
/// }"#)?;
/// assert_eq!(
///     aliases.purl("pkg:maven/com.kaspersky/kav-sdk@8.0?type=jar").map(|(_, v)| v.as_str()),
///     Some("ao-kaspersky-lab")
/// );
/// assert!(aliases.name("KASPERSKY, MOSCOW").is_some());
/// assert!(AliasMap::default().is_empty());
/// # Ok::<(), clearance::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AliasMap {
    source: String,
    /// Lower-case CPE vendor, to vendor.
    cpe_vendors: BTreeMap<String, Id>,
    /// Normalised purl prefix, to the key as written and the vendor.
    purls: BTreeMap<String, (String, Id)>,
    /// Normalised name, to the name as written and the vendor.
    names: BTreeMap<String, (String, Id)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    #[allow(dead_code)]
    about: Option<String>,
    #[serde(default)]
    cpe_vendors: BTreeMap<String, Id>,
    #[serde(default)]
    purl_namespaces: BTreeMap<String, Id>,
    #[serde(default)]
    names: BTreeMap<String, Id>,
}

impl AliasMap {
    /// Reads an alias map from JSON text.
    ///
    /// ```
    /// use clearance::{sbom::AliasMap, ErrorKind};
    ///
    /// let typo = AliasMap::from_json(r#"{"name": {"Acme": "acme"}}"#).unwrap_err();
    /// assert_eq!(typo.kind(), ErrorKind::Json);
    /// let clash = AliasMap::from_json(r#"{"names": {"Acme Ltd": "acme", "ACME LTD.": "other"}}"#)
    ///     .unwrap_err();
    /// assert_eq!(clash.kind(), ErrorKind::DuplicateId);
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::Json`] for text that is not an alias map (with the JSON
    /// path), [`ErrorKind::InvalidValue`] for an empty key or a purl key that
    /// is not `pkg:TYPE/...`, [`ErrorKind::DuplicateId`] for two keys that
    /// compare equal but name different vendors.
    pub fn from_json(text: &str) -> Result<AliasMap> {
        AliasMap::read(text.as_bytes(), "alias map")
    }

    /// Reads an alias map from a JSON file; every error names the file.
    ///
    /// ```
    /// use clearance::sbom::AliasMap;
    ///
    /// let aliases = AliasMap::from_path("tests/data/sbom/aliases.json")?;
    /// assert!(!aliases.is_empty());
    /// # Ok::<(), clearance::Error>(())
    /// ```
    pub fn from_path(path: impl AsRef<Path>) -> Result<AliasMap> {
        let path = path.as_ref();
        let bytes = json::read_file(path, "alias map")?;
        AliasMap::read(&bytes, &format!("alias map {}", path.display()))
    }

    fn read(bytes: &[u8], what: &str) -> Result<AliasMap> {
        let file: File = json::parse(bytes, what)?;
        let mut map = AliasMap {
            source: what.to_owned(),
            ..AliasMap::default()
        };
        let empty = |section: &str| {
            Error::new(
                ErrorKind::InvalidValue,
                format!("{what}: `{section}` has an empty key"),
            )
        };
        for (key, vendor) in file.cpe_vendors {
            let normal = key.trim().to_lowercase();
            if normal.is_empty() {
                return Err(empty("cpe_vendors"));
            }
            insert(
                what,
                "cpe_vendors",
                &mut map.cpe_vendors,
                normal,
                &key,
                vendor,
                |v| v,
            )?;
        }
        for (key, vendor) in file.purl_namespaces {
            let normal = purl_base(&key);
            if !normal.starts_with("pkg:") || normal.len() <= "pkg:".len() {
                return Err(Error::new(
                    ErrorKind::InvalidValue,
                    format!("{what}: `purl_namespaces` key {key:?} is not a package URL (`pkg:TYPE/NAMESPACE`)"),
                ));
            }
            let entry = (key.clone(), vendor);
            insert(
                what,
                "purl_namespaces",
                &mut map.purls,
                normal,
                &key,
                entry,
                |e| &e.1,
            )?;
        }
        for (key, vendor) in file.names {
            let normal = normalise(&key);
            if normal.is_empty() {
                return Err(empty("names"));
            }
            let entry = (key.clone(), vendor);
            insert(what, "names", &mut map.names, normal, &key, entry, |e| &e.1)?;
        }
        Ok(map)
    }

    /// Whether it maps nothing.
    ///
    /// ```
    /// use clearance::sbom::AliasMap;
    ///
    /// assert!(AliasMap::from_json("{}")?.is_empty());
    /// # Ok::<(), clearance::Error>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.cpe_vendors.is_empty() && self.purls.is_empty() && self.names.is_empty()
    }

    /// Where it was read from (`alias map tests/data/sbom/aliases.json`), for messages.
    ///
    /// ```
    /// use clearance::sbom::AliasMap;
    ///
    /// let aliases = AliasMap::from_path("tests/data/sbom/aliases.json")?;
    /// assert_eq!(aliases.source(), "alias map tests/data/sbom/aliases.json");
    /// # Ok::<(), clearance::Error>(())
    /// ```
    pub fn source(&self) -> &str {
        if self.source.is_empty() {
            "alias map"
        } else {
            &self.source
        }
    }

    /// The vendor a CPE vendor maps to.
    ///
    /// ```
    /// use clearance::sbom::AliasMap;
    ///
    /// let aliases = AliasMap::from_json(r#"{"cpe_vendors": {"Kaspersky": "ao-kaspersky-lab"}}"#)?;
    /// assert!(aliases.cpe_vendor("kaspersky").is_some());
    /// # Ok::<(), clearance::Error>(())
    /// ```
    pub fn cpe_vendor(&self, vendor: &str) -> Option<&Id> {
        self.cpe_vendors.get(&vendor.trim().to_lowercase())
    }

    /// The key (as written) and vendor that a package URL maps to: the
    /// longest key that is the purl without its version, or a leading part of
    /// it ending at a `/`.
    ///
    /// ```
    /// use clearance::sbom::AliasMap;
    ///
    /// let aliases = AliasMap::from_json(r#"{"purl_namespaces": {"pkg:npm/%40acme": "acme"}}"#)?;
    /// assert_eq!(aliases.purl("pkg:npm/@acme/ui@1.0.0").map(|(k, _)| k), Some("pkg:npm/%40acme"));
    /// assert!(aliases.purl("pkg:npm/%40acme-other/ui@1.0.0").is_none());
    /// # Ok::<(), clearance::Error>(())
    /// ```
    pub fn purl(&self, purl: &str) -> Option<(&str, &Id)> {
        let base = purl_base(purl);
        let mut candidate = base.as_str();
        loop {
            if let Some((key, vendor)) = self.purls.get(candidate) {
                return Some((key, vendor));
            }
            candidate = &candidate[..candidate.rfind('/')?];
        }
    }

    /// The name (as written) and vendor a supplier's, manufacturer's,
    /// publisher's or author's name maps to, names compared as the registry
    /// compares them.
    ///
    /// ```
    /// use clearance::sbom::AliasMap;
    ///
    /// let aliases = AliasMap::from_json(r#"{"names": {"Acme Ltd.": "acme"}}"#)?;
    /// assert_eq!(aliases.name("ACME LTD").map(|(k, v)| (k, v.as_str())), Some(("Acme Ltd.", "acme")));
    /// # Ok::<(), clearance::Error>(())
    /// ```
    pub fn name(&self, name: &str) -> Option<(&str, &Id)> {
        self.names
            .get(&normalise(name))
            .map(|(key, vendor)| (key.as_str(), vendor))
    }

    /// Every vendor it names, with the section and key that name it.
    pub(crate) fn targets(&self) -> impl Iterator<Item = (&'static str, &str, &Id)> {
        self.cpe_vendors
            .iter()
            .map(|(k, v)| ("cpe_vendors", k.as_str(), v))
            .chain(
                self.purls
                    .values()
                    .map(|(k, v)| ("purl_namespaces", k.as_str(), v)),
            )
            .chain(self.names.values().map(|(k, v)| ("names", k.as_str(), v)))
    }
}

/// Adds an entry unless a key comparing equal names another vendor.
fn insert<T>(
    what: &str,
    section: &str,
    into: &mut BTreeMap<String, T>,
    normal: String,
    key: &str,
    entry: T,
    vendor: impl Fn(&T) -> &Id,
) -> Result<()> {
    if let Some(other) = into.get(&normal) {
        if vendor(other) != vendor(&entry) {
            return Err(Error::new(
                ErrorKind::DuplicateId,
                format!(
                    "{what}: `{section}` maps {key:?} to `{}`, and a key equal to it to `{}`",
                    vendor(&entry),
                    vendor(other)
                ),
            ));
        }
    }
    into.insert(normal, entry);
    Ok(())
}

/// A package URL without version, qualifiers or subpath, lower case and
/// percent-decoded, so that `pkg:NPM/%40acme/ui@1.0?x=y` reads `pkg:npm/@acme/ui`.
pub(crate) fn purl_base(purl: &str) -> String {
    let purl = purl.trim();
    let purl = purl.split('#').next().unwrap_or(purl);
    let purl = purl.split('?').next().unwrap_or(purl);
    // The version follows the last `@` after the last `/`, unless that `@`
    // starts the segment: an npm scope, written `@acme` unencoded.
    let last_slash = purl.rfind('/').unwrap_or(0);
    let purl = match purl[last_slash..].rfind('@') {
        Some(at) if at > 1 => &purl[..last_slash + at],
        _ => purl,
    };
    percent_decode(purl)
        .to_lowercase()
        .trim_end_matches('/')
        .to_owned()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A name as the registry compares it (see [`Registry::find`](crate::Registry::find)):
/// lower-case letters and digits only.
pub(crate) fn normalise(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}
