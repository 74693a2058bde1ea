//! SBOM import: the components a product is built from, and who supplied
//! them, read from a software bill of materials into the inventory.
//!
//! ## What an SBOM gives
//!
//! A software bill of materials lists what a product is made of: the
//! libraries, SDKs, engines and firmware whose code ships inside it, each
//! with a name and version, often with its supplier or manufacturer, a
//! package URL (`pkg:maven/com.kaspersky/kav-sdk@8.0`) or a CPE name
//! (`cpe:2.3:a:kaspersky:...`), and which component depends on, contains or
//! links which. That is exactly what rules about embedded code ask: section
//! 1634 bars "items containing" Kaspersky components, and the Commerce rule
//! reaches Kaspersky code integrated into other companies' products. An
//! inventory written by hand rarely goes deeper than the product; an SBOM
//! goes down to every part.
//!
//! Two formats are read, as JSON: **CycloneDX** 1.4, 1.5 and 1.6, and
//! **SPDX** 2.3 (what of each, below). Both are read into one
//! neutral [`Sbom`]: its [`Component`]s, what embeds what ([`Sbom::parts`]),
//! the root the document is about ([`Sbom::roots`]), and what is in the
//! document but not part of the product ([`Sbom::left_out`]: build-time and
//! test dependencies, CycloneDX's `excluded` scope, cryptographic assets).
//! A bad document is an [`Error`](crate::Error) naming the file, the
//! component (by `bom-ref`, `SPDXID` or name) and the field: an unsupported
//! version, a component without a name, a reference to a component the
//! document does not define, components that embed each other in a cycle,
//! or JSON that is not of the format (with its JSON path).
//!
//! ## How suppliers become vendors
//!
//! Rules name vendors, so each component's supplier must become one of the
//! inventory's vendors. A component offers its manufacturer's, supplier's,
//! publisher's and authors' names (in that order: who made the code first,
//! since rules ask whose code a product contains), its CPE vendor and its
//! package URL. They are tried against, in this order, **the first match
//! winning**:
//!
//! 1. **the user's [`AliasMap`]** (CPE vendor, package URL, names): the
//!    user's word wins, so a distributor's name can stand for the vendor
//!    behind it, or a name can mean someone else in the user's SBOMs;
//! 2. **the inventory's own vendors**, by name;
//! 3. **the shipped [`Registry`](crate::Registry)**, by name and alias
//!    ("AO Kaspersky Lab", "Kaspersky Lab", "Kaspersky Lab ZAO" are all
//!    `ao-kaspersky-lab`), when the inventory uses it.
//!
//! Names are compared ignoring case, punctuation and spacing. Every match
//! that names another vendor is kept in the [`SbomReport`], so a
//! disagreement is seen, not hidden.
//!
//! ## Unknown components
//!
//! A component whose vendor stays unknown cannot be a release (a product
//! needs a vendor), and must not vanish either: a policy author has to be
//! able to deny what cannot be attributed. So every release that embeds it
//! (directly, or through other unknown components) records it in
//! `unattributed_components`, by its purl or its name and version, and embeds
//! in its place whatever known components lie below it. Policies read the
//! count as `resource.unattributedComponents`: the number of distinct
//! unattributed components in the release *and everything it embeds, at any
//! depth*, just as `codeVendors` reaches the vendors of every embedded
//! component:
//!
//! ```cedar
//! forbid (principal, action, resource) when { resource.unattributedComponents > 0 };
//! ```
//!
//! The [`SbomReport`] lists each unknown component with what was tried.
//!
//! ## Products, versions and ids
//!
//! A component becomes a release of a product of its vendor, reused when the
//! vendor already has a product of that name (as names are compared) with a
//! release of that version; added otherwise, with the id
//! `VENDOR:NAME-SLUG` for the product and `PRODUCT:VERSION` for the release
//! (`ao-kaspersky-lab:anti-virus-sdk:8.0.0`, a `+` in the version written
//! `_`). A product the import adds has the category
//! [`IMPORTED_CATEGORY`] (`software`): to give a component another category
//! (a Huawei modem is `telecom`, which section 889 looks at), define its
//! product in the inventory, under the same vendor and name. An id the
//! import would make that is taken by a different product or release is an
//! error. Versions are read as semantic versions, coerced where the text is
//! one with less or more written (`1.2` is 1.2.0, `v2.3.1` is 2.3.1,
//! `12.0.0.465` is 12.0.0+465); a version that is none (`latest`,
//! `dev-master`) is recorded as the placeholder `0.0.0+latest`. A component
//! is never left unattributed for its version: losing whose code it is over
//! a version string would let a banned vendor's code through unseen. Each
//! version read loosely is listed in the report.
//!
//! ## Attaching
//!
//! [`Inventory::attach_sbom`](crate::Inventory::attach_sbom) attaches an SBOM
//! to a release the inventory has: the SBOM's root stands for that release.
//! What the root embeds (and whatever the document lists but places under
//! nothing) becomes the release's components; each component's own parts
//! become its release's components. A release the inventory already had
//! keeps its components and gains the SBOM's. The result is checked as any
//! inventory is ([`Inventory::validate`](crate::Inventory::validate)); the
//! import succeeds whole or changes nothing, and attaching the same SBOM
//! twice changes nothing the second time.
//!
//! ```
//! use clearance::sbom::{AliasMap, Sbom};
//! use clearance::{Action, Engine, Inventory, Policies, Query};
//!
//! let mut inventory = Inventory::from_json(r#"{
//!   "vendors": [{"id": "hexagone", "name": "Hexagone SA (hypothetical)", "incorporated": "FR", "headquarters": "FR"}],
//!   "products": [{"id": "suite", "name": "Hexagone Suite", "vendor": "hexagone", "category": "antivirus"}],
//!   "releases": [{"id": "suite-2018", "product": "suite", "version": "2018.0.0"}],
//!   "organisations": [{"id": "uk-mod", "name": "Ministry of Defence", "country": "GB", "sector": "defence"}],
//!   "systems": [{"id": "mod-secret", "name": "MOD SECRET network", "owner": "uk-mod", "classification": "secret"}]
//! }"#)?;
//! let sbom = Sbom::from_json(r#"{
//!   "spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", "documentDescribes": ["SPDXRef-suite"],
//!   "packages": [
//!     {"SPDXID": "SPDXRef-suite", "name": "Hexagone Suite", "versionInfo": "2018.0"},
//!     {"SPDXID": "SPDXRef-sdk", "name": "Anti-Virus SDK", "versionInfo": "8.0",
//!      "supplier": "Organization: AO Kaspersky Lab"}],
//!   "relationships": [{"spdxElementId": "SPDXRef-suite", "relationshipType": "CONTAINS",
//!                      "relatedSpdxElement": "SPDXRef-sdk"}]
//! }"#)?;
//! inventory.attach_sbom("suite-2018", &sbom, &AliasMap::default())?;
//!
//! let engine = Engine::new(inventory, Policies::all_packs()?)?;
//! let query = Query::new("mod-secret", Action::Deploy, "suite-2018").at("2018-01-10".parse()?);
//! assert_eq!(engine.decide(&query)?.rule_ids(), ["uk-ncsc-2017/secret-and-above"]);
//! # Ok::<(), clearance::Error>(())
//! ```
//!
//! # CycloneDX
//!
//! `metadata.component` is the root; `components` (and the components nested
//! in them, which are parts of the one they are nested in) are the
//! components; `dependencies` say what embeds what. Of each component,
//! `bom-ref`, `type`, `name`, `group`, `version`, `supplier`, `manufacturer`
//! (1.6), `publisher`, `author`, `authors` (1.6), `purl`, `cpe` and `scope`
//! are read. A component of scope `excluded` or of type `cryptographic-asset`
//! is left out.
//!
//! # SPDX
//!
//! `documentDescribes` and `DESCRIBES` relationships name the roots;
//! `packages` are the components (`supplier`, and `originator` as the
//! manufacturer, are read without their `Organization:`/`Person:` prefix and
//! e-mail address; the purl and CPE come from `externalRefs`). `CONTAINS`,
//! `DEPENDS_ON`, `STATIC_LINK`, `DYNAMIC_LINK` and their inverses
//! (`CONTAINED_BY`, `DEPENDENCY_OF`, `RUNTIME_DEPENDENCY_OF`,
//! `OPTIONAL_DEPENDENCY_OF`, `PACKAGE_OF`) embed; a package that is only a
//! build, development or test dependency or tool (`TEST_DEPENDENCY_OF`,
//! `BUILD_TOOL_OF`, ...) is left out. Files and snippets are parts of their
//! packages, not components.

mod aliases;
mod attach;
mod cyclonedx;
mod document;
mod json;
mod read;
mod report;
mod spdx;
mod vendors;
mod version;

pub use aliases::AliasMap;
pub use attach::IMPORTED_CATEGORY;
pub use document::{Component, Format, LeftOut, Sbom};
pub use report::{Attributed, LooseVersion, Omitted, SbomReport, Unattributed};
pub use vendors::{Match, Source};
