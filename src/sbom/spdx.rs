//! SPDX 2.3, JSON.
//!
//! What is read:
//!
//! - `packages`: the components, with `SPDXID`, `name`, `versionInfo`,
//!   `supplier` and `originator` (`Organization: Name (e-mail)` or `Person:
//!   ...`, read as the name alone), `primaryPackagePurpose`, and the
//!   `externalRefs` of type `purl`, `cpe23Type` and `cpe22Type`;
//! - the `SPDXID`s of the document, its `files` and `snippets`, so that
//!   relationships naming them are not taken for dangling references (files
//!   and snippets are parts of packages, not components of their own);
//! - the root: `documentDescribes`, and the relationships `DESCRIBES` (from
//!   the document) and `DESCRIBED_BY` (to it);
//! - relationships saying one package's code is in another's: `CONTAINS`,
//!   `DEPENDS_ON`, `STATIC_LINK` and `DYNAMIC_LINK` (the whole first), and
//!   `CONTAINED_BY`, `DEPENDENCY_OF`, `RUNTIME_DEPENDENCY_OF`,
//!   `OPTIONAL_DEPENDENCY_OF` (optional parts may ship, so they count) and
//!   `PACKAGE_OF` (the part first). `HAS_PREREQUISITE` is not among them: a
//!   prerequisite is installed beside the product, not shipped within it;
//! - relationships saying a package is *not* shipped: `BUILD_DEPENDENCY_OF`,
//!   `DEV_DEPENDENCY_OF`, `TEST_DEPENDENCY_OF`, `PROVIDED_DEPENDENCY_OF`,
//!   `BUILD_TOOL_OF`, `DEV_TOOL_OF`, `TEST_TOOL_OF`, `TEST_OF`, `TEST_CASE_OF`,
//!   `EXAMPLE_OF`, `DOCUMENTATION_OF`. A package named so is left out unless
//!   another relationship embeds it.
//!
//! Other relationships (`GENERATED_FROM`, `VARIANT_OF`, `AMENDS`, ...) say
//! nothing about what ships, and are not read. Relationships with another
//! document (`DocumentRef-...`) or with `NONE` or `NOASSERTION` are skipped.

use std::collections::HashMap;

use serde::Deserialize;

use crate::error::{Error, ErrorKind, Result};
use crate::sbom::document::{clean_name, Component, Draft, Format};
use crate::sbom::json;

/// The versions read.
pub(crate) const VERSIONS: &[&str] = &["SPDX-2.3"];

/// Relationships whose element embeds the related element.
const EMBEDS: &[&str] = &["CONTAINS", "DEPENDS_ON", "STATIC_LINK", "DYNAMIC_LINK"];
/// Relationships whose related element embeds the element.
const EMBEDDED_IN: &[&str] = &[
    "CONTAINED_BY",
    "DEPENDENCY_OF",
    "RUNTIME_DEPENDENCY_OF",
    "OPTIONAL_DEPENDENCY_OF",
    "PACKAGE_OF",
];
/// Relationships whose element is not shipped in the related one.
const NOT_SHIPPED: &[&str] = &[
    "BUILD_DEPENDENCY_OF",
    "DEV_DEPENDENCY_OF",
    "TEST_DEPENDENCY_OF",
    "PROVIDED_DEPENDENCY_OF",
    "BUILD_TOOL_OF",
    "DEV_TOOL_OF",
    "TEST_TOOL_OF",
    "TEST_OF",
    "TEST_CASE_OF",
    "EXAMPLE_OF",
    "DOCUMENTATION_OF",
];

#[derive(Deserialize)]
struct Document {
    #[serde(default, rename = "SPDXID")]
    spdx_id: Option<String>,
    #[serde(default, rename = "documentDescribes")]
    describes: Vec<String>,
    #[serde(default)]
    packages: Vec<Package>,
    #[serde(default)]
    files: Vec<Element>,
    #[serde(default)]
    snippets: Vec<Element>,
    #[serde(default)]
    relationships: Vec<Relationship>,
}

#[derive(Deserialize)]
struct Package {
    #[serde(default, rename = "SPDXID")]
    spdx_id: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default, rename = "versionInfo")]
    version: Option<String>,
    #[serde(default)]
    supplier: Option<String>,
    #[serde(default)]
    originator: Option<String>,
    #[serde(default, rename = "primaryPackagePurpose")]
    purpose: Option<String>,
    #[serde(default, rename = "externalRefs")]
    external_refs: Vec<ExternalRef>,
}

#[derive(Deserialize)]
struct ExternalRef {
    #[serde(default, rename = "referenceType")]
    kind: Option<String>,
    #[serde(default, rename = "referenceLocator")]
    locator: Option<String>,
}

#[derive(Deserialize)]
struct Element {
    #[serde(default, rename = "SPDXID")]
    spdx_id: Option<String>,
}

#[derive(Deserialize)]
struct Relationship {
    #[serde(rename = "spdxElementId")]
    element: String,
    #[serde(rename = "relationshipType")]
    kind: String,
    #[serde(rename = "relatedSpdxElement")]
    related: String,
}

/// What an `SPDXID` names.
#[derive(Clone, Copy, PartialEq)]
enum Target {
    Document,
    Package(usize),
    /// A file or a snippet.
    Other,
    /// Another document's element, `NONE` or `NOASSERTION`.
    Outside,
}

/// Reads an SPDX document whose `spdxVersion` is `version`.
pub(crate) fn read(bytes: &[u8], source: &str, version: &str) -> Result<Draft> {
    let document: Document = json::parse(bytes, source)?;
    let mut ids: HashMap<String, Target> = HashMap::new();
    let mut define = |id: &str, target: Target, path: &str| -> Result<()> {
        if ids.insert(id.to_owned(), target).is_some() {
            return Err(Error::new(
                ErrorKind::DuplicateId,
                format!(
                    "{source}: `{path}` has the SPDXID `{id}`, which another element already has"
                ),
            ));
        }
        Ok(())
    };
    if let Some(id) = &document.spdx_id {
        define(id, Target::Document, "SPDXID")?;
    }
    let mut components = Vec::with_capacity(document.packages.len());
    for (i, package) in document.packages.iter().enumerate() {
        let path = format!("packages[{i}]");
        let name = package.name.as_deref().map(str::trim).unwrap_or_default();
        let Some(id) = package
            .spdx_id
            .as_deref()
            .filter(|id| !id.trim().is_empty())
        else {
            let what = if name.is_empty() {
                String::new()
            } else {
                format!(" ({name})")
            };
            return Err(Error::new(
                ErrorKind::InvalidValue,
                format!("{source}: the package at `{path}`{what} has no `SPDXID`"),
            ));
        };
        if name.is_empty() {
            return Err(Error::new(
                ErrorKind::InvalidValue,
                format!("{source}: package `{id}` (at `{path}`) has no `name`"),
            ));
        }
        define(id, Target::Package(components.len()), &path)?;
        let reference = |types: &[&str]| {
            package
                .external_refs
                .iter()
                .find(|r| r.kind.as_deref().is_some_and(|k| types.contains(&k)))
                .and_then(|r| r.locator.as_deref())
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
        };
        components.push(Component {
            reference: id.to_owned(),
            name: name.to_owned(),
            group: None,
            version: package
                .version
                .as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty() && !matches!(*v, "NOASSERTION" | "NONE"))
                .map(str::to_owned),
            supplier: package.supplier.as_deref().and_then(party),
            manufacturer: package.originator.as_deref().and_then(party),
            publisher: None,
            authors: Vec::new(),
            purl: reference(&["purl"]),
            cpe: reference(&["cpe23Type", "cpe22Type"]),
            kind: package.purpose.clone(),
        });
    }
    for (i, file) in document.files.iter().enumerate() {
        if let Some(id) = &file.spdx_id {
            define(id, Target::Other, &format!("files[{i}]"))?;
        }
    }
    for (i, snippet) in document.snippets.iter().enumerate() {
        if let Some(id) = &snippet.spdx_id {
            define(id, Target::Other, &format!("snippets[{i}]"))?;
        }
    }
    let resolve = |id: &str, path: &str| -> Result<Target> {
        let id = id.trim();
        if matches!(id, "NONE" | "NOASSERTION") || id.starts_with("DocumentRef-") {
            return Ok(Target::Outside);
        }
        ids.get(id).copied().ok_or_else(|| {
            Error::new(
                ErrorKind::DanglingReference,
                format!("{source}: `{path}` names `{id}`, which the document does not define"),
            )
        })
    };

    let mut draft = Draft {
        source: source.to_owned(),
        format: Format::Spdx(version.to_owned()),
        components,
        roots: Vec::new(),
        edges: Vec::new(),
        excluded: Vec::new(),
    };
    let root = |target: Target, roots: &mut Vec<usize>| {
        if let Target::Package(p) = target {
            if !roots.contains(&p) {
                roots.push(p);
            }
        }
    };
    for (i, id) in document.describes.iter().enumerate() {
        root(
            resolve(id, &format!("documentDescribes[{i}]"))?,
            &mut draft.roots,
        );
    }
    let mut not_shipped: Vec<(usize, String)> = Vec::new();
    for (i, relationship) in document.relationships.iter().enumerate() {
        let element = resolve(
            &relationship.element,
            &format!("relationships[{i}].spdxElementId"),
        )?;
        let related = resolve(
            &relationship.related,
            &format!("relationships[{i}].relatedSpdxElement"),
        )?;
        let kind = relationship.kind.trim().to_ascii_uppercase();
        match (kind.as_str(), element, related) {
            ("DESCRIBES", Target::Document, described) => root(described, &mut draft.roots),
            ("DESCRIBED_BY", described, Target::Document) => root(described, &mut draft.roots),
            (k, Target::Package(whole), Target::Package(part)) if EMBEDS.contains(&k) => {
                draft.edges.push((whole, part))
            }
            (k, Target::Package(part), Target::Package(whole)) if EMBEDDED_IN.contains(&k) => {
                draft.edges.push((whole, part))
            }
            (k, Target::Package(package), _) if NOT_SHIPPED.contains(&k) => not_shipped.push((
                package,
                format!("it is a {k} `{}`", relationship.related.trim()),
            )),
            _ => {}
        }
    }
    // A package the document calls a test, build or development dependency is
    // left out only when nothing embeds it: a library used by the tests and by
    // the product ships all the same.
    let embedded: Vec<bool> = {
        let mut embedded = vec![false; draft.components.len()];
        for &(_, part) in &draft.edges {
            embedded[part] = true;
        }
        embedded
    };
    for (package, reason) in not_shipped {
        if !embedded[package] && !draft.roots.contains(&package) {
            draft.excluded.push((package, reason));
        }
    }
    Ok(draft)
}

/// `Organization: AO Kaspersky Lab (info@kaspersky.com)` as `AO Kaspersky
/// Lab`; `Person: Jane Doe (jane@example.com)` as `Jane Doe`; `NOASSERTION`
/// as nothing.
fn party(text: &str) -> Option<String> {
    let text = text.trim();
    let text = ["Organization:", "Person:", "Tool:"]
        .iter()
        .find_map(|prefix| text.strip_prefix(prefix))
        .unwrap_or(text)
        .trim();
    // The e-mail address, in brackets at the end, is optional and may be empty.
    let text = match (text.rfind('('), text.ends_with(')')) {
        (Some(open), true) => &text[..open],
        _ => text,
    };
    clean_name(text)
}

#[cfg(test)]
mod tests {
    #[test]
    fn suppliers_are_read_as_names() {
        for (text, name) in [
            (
                "Organization: AO Kaspersky Lab (info@kaspersky.com)",
                Some("AO Kaspersky Lab"),
            ),
            ("Person: Jane Doe ()", Some("Jane Doe")),
            ("Organization: Webjar", Some("Webjar")),
            ("NOASSERTION", None),
            ("Organization: (x@y)", None),
        ] {
            assert_eq!(super::party(text).as_deref(), name, "{text}");
        }
    }
}
