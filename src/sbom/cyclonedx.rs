//! CycloneDX 1.4 to 1.6, JSON.
//!
//! What is read:
//!
//! - `metadata.component`: the root, the thing the BOM is about;
//! - `components`, and the `components` nested in any of them (a nested
//!   component is part of the one it is nested in: CycloneDX's *assembly*);
//! - of each component: `bom-ref`, `type`, `name`, `group`, `version`,
//!   `supplier.name`, `manufacturer.name` (1.6), `publisher`, `author`,
//!   `authors[].name` (1.6), `purl`, `cpe`, `scope`;
//! - `dependencies`: `ref` depends on each of `dependsOn`, so its code embeds
//!   theirs (1.6's `provides` says what a component implements, not what it
//!   contains, and is not read);
//! - the `bom-ref`s of `services`, so that dependencies naming them are not
//!   taken for dangling references (services are not components: they run
//!   elsewhere and ship no code).
//!
//! A component whose `scope` is `excluded` ("not part of the delivered
//! runtime", such as a build-time tool) is left out of the product, and so is
//! a `cryptographic-asset` (1.6: an algorithm, key, certificate or protocol the
//! product uses, which is no one's supplied code).

use std::collections::HashMap;

use serde::Deserialize;

use crate::error::{Error, ErrorKind, Result};
use crate::sbom::document::{clean_name, Component, Draft, Format};
use crate::sbom::json;

/// The versions read.
pub(crate) const VERSIONS: &[&str] = &["1.4", "1.5", "1.6"];

#[derive(Deserialize)]
struct Bom {
    #[serde(default)]
    metadata: Option<Metadata>,
    #[serde(default)]
    components: Vec<RawComponent>,
    #[serde(default)]
    services: Vec<Service>,
    #[serde(default)]
    dependencies: Vec<Dependency>,
}

#[derive(Deserialize)]
struct Metadata {
    #[serde(default)]
    component: Option<RawComponent>,
}

#[derive(Deserialize)]
struct RawComponent {
    #[serde(default, rename = "bom-ref")]
    bom_ref: Option<String>,
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    group: Option<String>,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    supplier: Option<Entity>,
    #[serde(default)]
    manufacturer: Option<Entity>,
    #[serde(default)]
    publisher: Option<String>,
    #[serde(default)]
    author: Option<String>,
    #[serde(default)]
    authors: Vec<Entity>,
    #[serde(default)]
    purl: Option<String>,
    #[serde(default)]
    cpe: Option<String>,
    #[serde(default)]
    scope: Option<String>,
    #[serde(default)]
    components: Vec<RawComponent>,
}

/// An organisation or a person: only the name is read.
#[derive(Deserialize)]
struct Entity {
    #[serde(default)]
    name: Option<String>,
}

#[derive(Deserialize)]
struct Service {
    #[serde(default, rename = "bom-ref")]
    bom_ref: Option<String>,
    #[serde(default)]
    services: Vec<Service>,
}

#[derive(Deserialize)]
struct Dependency {
    #[serde(rename = "ref")]
    reference: String,
    #[serde(default, rename = "dependsOn")]
    depends_on: Vec<String>,
}

/// What a `bom-ref` names.
#[derive(Clone, Copy)]
enum Target {
    Component(usize),
    Service,
}

/// Reads a CycloneDX document whose `specVersion` is `version`.
pub(crate) fn read(bytes: &[u8], source: &str, version: &str) -> Result<Draft> {
    let bom: Bom = json::parse(bytes, source)?;
    let mut reader = Reader {
        source,
        draft: Draft {
            source: source.to_owned(),
            format: Format::CycloneDx(version.to_owned()),
            components: Vec::new(),
            roots: Vec::new(),
            edges: Vec::new(),
            excluded: Vec::new(),
        },
        refs: HashMap::new(),
    };
    if let Some(root) = bom.metadata.and_then(|m| m.component) {
        let root = reader.component(root, "metadata.component".to_owned(), None)?;
        reader.draft.roots.push(root);
    }
    for (i, component) in bom.components.into_iter().enumerate() {
        reader.component(component, format!("components[{i}]"), None)?;
    }
    for (i, service) in bom.services.into_iter().enumerate() {
        reader.service(service, format!("services[{i}]"))?;
    }
    for (i, dependency) in bom.dependencies.iter().enumerate() {
        let whole = reader.resolve(&dependency.reference, &format!("dependencies[{i}].ref"))?;
        for (j, part) in dependency.depends_on.iter().enumerate() {
            let part = reader.resolve(part, &format!("dependencies[{i}].dependsOn[{j}]"))?;
            if let (Target::Component(whole), Target::Component(part)) = (whole, part) {
                reader.draft.edges.push((whole, part));
            }
        }
    }
    Ok(reader.draft)
}

struct Reader<'a> {
    source: &'a str,
    draft: Draft,
    refs: HashMap<String, Target>,
}

impl Reader<'_> {
    /// Adds a component and those nested in it, depth first; returns its index.
    fn component(
        &mut self,
        raw: RawComponent,
        path: String,
        parent: Option<usize>,
    ) -> Result<usize> {
        let reference = raw.bom_ref.clone().unwrap_or_else(|| path.clone());
        let name = raw.name.as_deref().map(str::trim).unwrap_or_default();
        if name.is_empty() {
            return Err(Error::new(
                ErrorKind::InvalidValue,
                format!(
                    "{}: component `{reference}` (at `{path}`) has no `name`",
                    self.source
                ),
            ));
        }
        let index = self.draft.components.len();
        if let Some(bom_ref) = &raw.bom_ref {
            self.define(bom_ref, Target::Component(index), &path)?;
        }
        let authors = raw
            .author
            .as_deref()
            .and_then(clean_name)
            .into_iter()
            .chain(
                raw.authors
                    .iter()
                    .filter_map(|a| a.name.as_deref().and_then(clean_name)),
            )
            .collect();
        let text = |t: &Option<String>| {
            t.as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
        };
        self.draft.components.push(Component {
            reference,
            name: name.to_owned(),
            group: text(&raw.group),
            version: text(&raw.version),
            supplier: raw
                .supplier
                .as_ref()
                .and_then(|s| s.name.as_deref())
                .and_then(clean_name),
            manufacturer: raw
                .manufacturer
                .as_ref()
                .and_then(|m| m.name.as_deref())
                .and_then(clean_name),
            publisher: raw.publisher.as_deref().and_then(clean_name),
            authors,
            purl: text(&raw.purl),
            cpe: text(&raw.cpe),
            kind: text(&raw.kind),
        });
        if raw.scope.as_deref() == Some("excluded") {
            self.draft.excluded.push((
                index,
                "its scope is `excluded`: not part of the delivered runtime".to_owned(),
            ));
        }
        if raw.kind.as_deref() == Some("cryptographic-asset") {
            self.draft.excluded.push((
                index,
                "a cryptographic asset (an algorithm, key, certificate or protocol), not supplied code"
                    .to_owned(),
            ));
        }
        if let Some(parent) = parent {
            self.draft.edges.push((parent, index));
        }
        for (i, nested) in raw.components.into_iter().enumerate() {
            self.component(nested, format!("{path}.components[{i}]"), Some(index))?;
        }
        Ok(index)
    }

    fn service(&mut self, service: Service, path: String) -> Result<()> {
        if let Some(bom_ref) = &service.bom_ref {
            self.define(bom_ref, Target::Service, &path)?;
        }
        for (i, nested) in service.services.into_iter().enumerate() {
            self.service(nested, format!("{path}.services[{i}]"))?;
        }
        Ok(())
    }

    fn define(&mut self, bom_ref: &str, target: Target, path: &str) -> Result<()> {
        if self.refs.insert(bom_ref.to_owned(), target).is_some() {
            return Err(Error::new(
                ErrorKind::DuplicateId,
                format!(
                    "{}: `{path}` has the bom-ref `{bom_ref}`, which another component or service already has",
                    self.source
                ),
            ));
        }
        Ok(())
    }

    fn resolve(&self, bom_ref: &str, path: &str) -> Result<Target> {
        self.refs.get(bom_ref).copied().ok_or_else(|| {
            Error::new(
                ErrorKind::DanglingReference,
                format!(
                    "{}: `{path}` names `{bom_ref}`, which no component or service defines",
                    self.source
                ),
            )
        })
    }
}
