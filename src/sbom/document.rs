//! The neutral form both formats are read into: components, what embeds
//! what, the root, and what is not part of the product.
//!
//! CycloneDX and SPDX say the same few things in different words. A
//! CycloneDX `bom-ref` and an SPDX `SPDXID` both name a component; a
//! CycloneDX `dependsOn`, a component nested in another's `components`, and
//! an SPDX `CONTAINS` or `DEPENDS_ON` all say that one component's code is
//! part of another's; `metadata.component` and `documentDescribes` both name
//! the thing the SBOM is about (its *root*). Readers turn a document into a
//! [`Draft`], and [`Draft::finish`] checks what no format can check field by
//! field: that embedding has no cycle, and which components the product
//! actually carries.

use std::collections::BTreeSet;
use std::fmt;

use crate::error::{Error, ErrorKind, Result};

/// Which format and version a document was written in.
///
/// ```
/// use clearance::sbom::{Format, Sbom};
///
/// let sbom = Sbom::from_json(r#"{"bomFormat": "CycloneDX", "specVersion": "1.6"}"#)?;
/// assert_eq!(sbom.format(), &Format::CycloneDx("1.6".to_owned()));
/// assert_eq!(sbom.format().to_string(), "CycloneDX 1.6");
/// # Ok::<(), clearance::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Format {
    /// CycloneDX JSON, with its `specVersion` (`1.4`, `1.5` or `1.6`).
    CycloneDx(String),
    /// SPDX JSON, with its `spdxVersion` (`SPDX-2.3`).
    Spdx(String),
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Format::CycloneDx(version) => write!(f, "CycloneDX {version}"),
            Format::Spdx(version) => write!(f, "SPDX {}", version.trim_start_matches("SPDX-")),
        }
    }
}

/// One component of an SBOM: a library, an application, a firmware image, a
/// device, as the document describes it.
///
/// The fields are the few that say *what* it is and *who* made or supplied
/// it; licences, hashes and the rest of the document are not read.
///
/// ```
/// use clearance::sbom::Sbom;
///
/// let sbom = Sbom::from_json(r#"{
///   "bomFormat": "CycloneDX", "specVersion": "1.5",
///   "components": [{"type": "library", "bom-ref": "sdk", "name": "Anti-Virus SDK",
///                   "version": "8.0", "supplier": {"name": "AO Kaspersky Lab"},
///                   "purl": "pkg:generic/kaspersky/av-sdk@8.0"}]
/// }"#)?;
/// let sdk = &sbom.components()[0];
/// assert_eq!((sdk.reference.as_str(), sdk.name.as_str()), ("sdk", "Anti-Virus SDK"));
/// assert_eq!(sdk.supplier.as_deref(), Some("AO Kaspersky Lab"));
/// # Ok::<(), clearance::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Component {
    /// How the document names it: its CycloneDX `bom-ref` or SPDX `SPDXID`,
    /// or, for a CycloneDX component without a `bom-ref`, its JSON path
    /// (`components[3]`).
    pub reference: String,
    /// Its name.
    pub name: String,
    /// Its CycloneDX `group` (a Maven group id, an npm scope), if any.
    pub group: Option<String>,
    /// Its version, as written (`versionInfo` in SPDX).
    pub version: Option<String>,
    /// Who supplied it: CycloneDX `supplier.name`; SPDX `supplier`, without
    /// its `Organization:` or `Person:` prefix and its e-mail address.
    pub supplier: Option<String>,
    /// Who made it: CycloneDX `manufacturer.name` (1.6); SPDX `originator`.
    pub manufacturer: Option<String>,
    /// CycloneDX `publisher`.
    pub publisher: Option<String>,
    /// CycloneDX `author` (as written, e-mail addresses left out) and the
    /// names of `authors` (1.6).
    pub authors: Vec<String>,
    /// Its package URL: CycloneDX `purl`; the first SPDX external reference
    /// of type `purl`.
    pub purl: Option<String>,
    /// Its CPE name: CycloneDX `cpe`; the first SPDX external reference of
    /// type `cpe23Type` or `cpe22Type`.
    pub cpe: Option<String>,
    /// What kind of thing it is: CycloneDX `type`, SPDX `primaryPackagePurpose`.
    pub kind: Option<String>,
}

impl Component {
    /// `` `reference` (name) ``, as messages and reports name a component.
    pub(crate) fn label(&self) -> String {
        if self.name.is_empty() || self.name == self.reference {
            format!("`{}`", self.reference)
        } else {
            format!("`{}` ({})", self.reference, self.name)
        }
    }
}

/// A component that is in the document but not part of the product.
///
/// ```
/// use clearance::sbom::Sbom;
///
/// let sbom = Sbom::from_json(r#"{
///   "bomFormat": "CycloneDX", "specVersion": "1.4",
///   "components": [{"name": "build-script-helper", "scope": "excluded"}]
/// }"#)?;
/// assert_eq!(sbom.left_out()[0].component, 0);
/// assert!(sbom.left_out()[0].reason.contains("excluded"));
/// # Ok::<(), clearance::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LeftOut {
    /// Its index in [`Sbom::components`].
    pub component: usize,
    /// Why it is not part of the product.
    pub reason: String,
}

/// An SBOM read into the neutral form: every component, what embeds what,
/// the root, and what is left out; checked whole.
///
/// Read one with [`Sbom::from_path`] or [`Sbom::from_json`]; attach it to a
/// release with [`Inventory::attach_sbom`](crate::Inventory::attach_sbom).
///
/// ```
/// use clearance::sbom::Sbom;
///
/// let sbom = Sbom::from_path("tests/data/sbom/specification-valid-dependency-1.6.json")?;
/// assert_eq!(sbom.components().len(), 3);
/// let b = sbom.components().iter().position(|c| c.name == "library-b").unwrap();
/// assert_eq!(sbom.components()[sbom.parts(b)[0]].name, "library-c");
/// // With no root, what nothing embeds is the product's own content.
/// assert_eq!(sbom.contents().len(), 2);
/// # Ok::<(), clearance::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sbom {
    pub(crate) source: String,
    pub(crate) format: Format,
    pub(crate) components: Vec<Component>,
    pub(crate) roots: Vec<usize>,
    pub(crate) parts: Vec<Vec<usize>>,
    pub(crate) contents: Vec<usize>,
    pub(crate) left_out: Vec<LeftOut>,
    /// Whether each component is part of the product.
    pub(crate) part: Vec<bool>,
}

impl Sbom {
    /// Where it was read from: the file's path, or `SBOM` for text.
    ///
    /// ```
    /// use clearance::sbom::Sbom;
    ///
    /// let path = "tests/data/sbom/specification-valid-assembly-1.6.json";
    /// assert_eq!(Sbom::from_path(path)?.source(), path);
    /// assert_eq!(Sbom::from_json(r#"{"spdxVersion": "SPDX-2.3"}"#)?.source(), "SBOM");
    /// # Ok::<(), clearance::Error>(())
    /// ```
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Its format and version.
    ///
    /// ```
    /// use clearance::sbom::{Format, Sbom};
    ///
    /// let sbom = Sbom::from_json(r#"{"spdxVersion": "SPDX-2.3"}"#)?;
    /// assert_eq!(sbom.format().to_string(), "SPDX 2.3");
    /// # Ok::<(), clearance::Error>(())
    /// ```
    pub fn format(&self) -> &Format {
        &self.format
    }

    /// Every component, root included, in document order (a CycloneDX
    /// root first, nested components after the one they are nested in).
    ///
    /// ```
    /// use clearance::sbom::Sbom;
    ///
    /// let sbom = Sbom::from_path("tests/data/sbom/specification-valid-assembly-1.6.json")?;
    /// let names: Vec<&str> = sbom.components().iter().map(|c| c.name.as_str()).collect();
    /// assert_eq!(names, ["acme-library-a", "acme-library-b"]);
    /// # Ok::<(), clearance::Error>(())
    /// ```
    pub fn components(&self) -> &[Component] {
        &self.components
    }

    /// The components the document is about (CycloneDX `metadata.component`;
    /// the packages an SPDX document describes). Attached to a release, the
    /// roots stand for the release itself.
    ///
    /// ```
    /// use clearance::sbom::Sbom;
    ///
    /// let sbom = Sbom::from_path("tests/data/sbom/bom-examples-hbom-pcie-sata-1.4.json")?;
    /// assert_eq!(sbom.components()[sbom.roots()[0]].name, "pcie-sata-adaptor-board");
    /// # Ok::<(), clearance::Error>(())
    /// ```
    pub fn roots(&self) -> &[usize] {
        &self.roots
    }

    /// The components whose code `component` embeds directly, as the document
    /// says (dependencies, nesting, containment), leaving out what is not
    /// part of the product.
    ///
    /// ```
    /// use clearance::sbom::Sbom;
    ///
    /// let sbom = Sbom::from_path("tests/data/sbom/specification-valid-assembly-1.6.json")?;
    /// assert_eq!(sbom.parts(0), [1]); // acme-library-b is nested in acme-library-a
    /// assert!(sbom.parts(1).is_empty());
    /// # Ok::<(), clearance::Error>(())
    /// ```
    ///
    /// # Panics
    /// If `component` is not an index of [`Sbom::components`].
    pub fn parts(&self, component: usize) -> &[usize] {
        &self.parts[component]
    }

    /// What the product embeds directly: the parts of its roots, and every
    /// component of the product that nothing else embeds (a document that
    /// lists a component says the product carries it, even when it says no
    /// more).
    ///
    /// ```
    /// use clearance::sbom::Sbom;
    ///
    /// let sbom = Sbom::from_path("tests/data/sbom/spdx-examples-acme-2.3.spdx.json")?;
    /// let names: Vec<&str> = sbom.contents().iter().map(|&c| sbom.components()[c].name.as_str()).collect();
    /// assert_eq!(names, ["elliptic", "alpine", "OpenSSL"]);
    /// # Ok::<(), clearance::Error>(())
    /// ```
    pub fn contents(&self) -> &[usize] {
        &self.contents
    }

    /// The components in the document that are not part of the product, and why.
    ///
    /// ```
    /// use clearance::sbom::Sbom;
    ///
    /// let sbom = Sbom::from_path("tests/data/sbom/bom-examples-cbom-dependencies-1.6.json")?;
    /// let aes = &sbom.left_out()[0];
    /// assert_eq!(sbom.components()[aes.component].name, "AES");
    /// assert!(aes.reason.contains("cryptographic asset"));
    /// # Ok::<(), clearance::Error>(())
    /// ```
    pub fn left_out(&self) -> &[LeftOut] {
        &self.left_out
    }

    /// Whether a component is part of the product (a root, or embedded by it).
    ///
    /// ```
    /// use clearance::sbom::Sbom;
    ///
    /// let sbom = Sbom::from_path("tests/data/sbom/spdx-examples-examplemaven-0.0.1-2.3.spdx.json")?;
    /// let junit = sbom.components().iter().position(|c| c.name == "JUnit").unwrap();
    /// assert!(!sbom.is_part(junit)); // a TEST_DEPENDENCY_OF the product
    /// # Ok::<(), clearance::Error>(())
    /// ```
    pub fn is_part(&self, component: usize) -> bool {
        self.part.get(component).copied().unwrap_or(false)
    }
}

/// What a reader found, before the checks of the whole document.
pub(crate) struct Draft {
    pub source: String,
    pub format: Format,
    pub components: Vec<Component>,
    pub roots: Vec<usize>,
    /// `(whole, part)`: the part's code is in the whole.
    pub edges: Vec<(usize, usize)>,
    /// Components the product does not carry, whatever embeds them, and why.
    pub excluded: Vec<(usize, String)>,
}

impl Draft {
    /// Checks for cycles and works out what the product carries.
    ///
    /// # Errors
    /// [`ErrorKind::Cycle`] naming the components round the cycle.
    pub fn finish(self) -> Result<Sbom> {
        let n = self.components.len();
        let mut parts: Vec<Vec<usize>> = vec![Vec::new(); n];
        for &(whole, part) in &self.edges {
            if !parts[whole].contains(&part) {
                parts[whole].push(part);
            }
        }
        self.no_cycles(&parts)?;

        let excluded: Vec<Option<&str>> = {
            let mut reasons = vec![None; n];
            for (component, reason) in &self.excluded {
                reasons[*component].get_or_insert(reason.as_str());
            }
            reasons
        };
        // Nothing embeds an excluded component: its code is not shipped.
        for list in &mut parts {
            list.retain(|&p| excluded[p].is_none());
        }
        let roots: BTreeSet<usize> = self.roots.iter().copied().collect();
        let mut embedded = vec![false; n];
        for list in &parts {
            for &p in list {
                embedded[p] = true;
            }
        }
        // The product's own content: what its roots embed, and what is listed
        // and placed under nothing (neither root, nor embedded, nor excluded).
        let mut contents: Vec<usize> = Vec::new();
        let add = |c: usize, contents: &mut Vec<usize>| {
            if !roots.contains(&c) && !contents.contains(&c) {
                contents.push(c);
            }
        };
        for &root in &self.roots {
            for &p in &parts[root] {
                add(p, &mut contents);
            }
        }
        for c in 0..n {
            if !embedded[c] && excluded[c].is_none() && !roots.contains(&c) {
                add(c, &mut contents);
            }
        }
        contents.sort_unstable();

        let mut reached = vec![false; n];
        let mut stack: Vec<usize> = roots
            .iter()
            .copied()
            .chain(contents.iter().copied())
            .collect();
        while let Some(c) = stack.pop() {
            if !std::mem::replace(&mut reached[c], true) {
                stack.extend(parts[c].iter().copied());
            }
        }
        let left_out: Vec<LeftOut> = (0..n)
            .filter(|&c| !reached[c])
            .map(|c| LeftOut {
                component: c,
                reason: excluded[c]
                    .map(str::to_owned)
                    .unwrap_or_else(|| "embedded only by components left out".to_owned()),
            })
            .collect();
        // What is left out embeds nothing the product carries.
        for &LeftOut { component, .. } in &left_out {
            parts[component].clear();
        }
        Ok(Sbom {
            source: self.source,
            format: self.format,
            components: self.components,
            roots: self.roots,
            parts,
            contents,
            left_out,
            part: reached,
        })
    }

    /// Embedding may share parts (two libraries using a third) but may not
    /// go round: no release can contain itself. Iterative, so a deep chain
    /// cannot exhaust the stack.
    fn no_cycles(&self, parts: &[Vec<usize>]) -> Result<()> {
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            New,
            Open,
            Done,
        }
        let mut marks = vec![Mark::New; parts.len()];
        for start in 0..parts.len() {
            if marks[start] != Mark::New {
                continue;
            }
            let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
            marks[start] = Mark::Open;
            while let Some(&mut (node, ref mut next)) = stack.last_mut() {
                let Some(&part) = parts[node].get(*next) else {
                    marks[node] = Mark::Done;
                    stack.pop();
                    continue;
                };
                *next += 1;
                match marks[part] {
                    Mark::Done => {}
                    Mark::New => {
                        marks[part] = Mark::Open;
                        stack.push((part, 0));
                    }
                    Mark::Open => {
                        let from = stack.iter().position(|(n, _)| *n == part).unwrap_or(0);
                        let cycle: Vec<String> = stack[from..]
                            .iter()
                            .map(|(n, _)| self.components[*n].label())
                            .chain(std::iter::once(self.components[part].label()))
                            .collect();
                        return Err(Error::new(
                            ErrorKind::Cycle,
                            format!(
                                "{}: components embed each other in a cycle: {}",
                                self.source,
                                cycle.join(" -> ")
                            ),
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}

/// A person's or company's name as a document writes it, without e-mail
/// addresses in angle brackets (`Jane Doe <jane@example.com>`), trimmed;
/// `None` when nothing is left or the document says it does not know
/// (`NOASSERTION`, `NONE`).
pub(crate) fn clean_name(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '<' => depth += 1,
            '>' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    let out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    let out = out.trim_matches(|c: char| c == ',' || c.is_whitespace());
    match out {
        "" | "NOASSERTION" | "NONE" => None,
        name => Some(name.to_owned()),
    }
}
