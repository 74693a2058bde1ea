//! Reading a document: which format it is, then the reader for it.

use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, ErrorKind, Result};
use crate::sbom::document::Sbom;
use crate::sbom::{cyclonedx, json, spdx};

/// The fields that say which format a document is in.
#[derive(Deserialize)]
struct Header {
    #[serde(default, rename = "bomFormat")]
    bom_format: Option<String>,
    #[serde(default, rename = "specVersion")]
    spec_version: Option<String>,
    #[serde(default, rename = "spdxVersion")]
    spdx_version: Option<String>,
}

impl Sbom {
    /// Reads a CycloneDX (1.4, 1.5, 1.6) or SPDX (2.3) JSON document from text,
    /// telling the formats apart by `bomFormat` and `spdxVersion`.
    ///
    /// ```
    /// use clearance::{sbom::Sbom, ErrorKind};
    ///
    /// let sbom = Sbom::from_json(r#"{
    ///   "spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT",
    ///   "documentDescribes": ["SPDXRef-suite"],
    ///   "packages": [
    ///     {"SPDXID": "SPDXRef-suite", "name": "Hexagone Suite", "versionInfo": "2018.0"},
    ///     {"SPDXID": "SPDXRef-sdk", "name": "Anti-Virus SDK", "versionInfo": "8.0",
    ///      "supplier": "Organization: AO Kaspersky Lab"}],
    ///   "relationships": [{"spdxElementId": "SPDXRef-suite", "relationshipType": "CONTAINS",
    ///                      "relatedSpdxElement": "SPDXRef-sdk"}]
    /// }"#)?;
    /// assert_eq!(sbom.roots(), [0]);
    /// assert_eq!(sbom.contents(), [1]);
    ///
    /// let old = Sbom::from_json(r#"{"bomFormat": "CycloneDX", "specVersion": "1.2"}"#).unwrap_err();
    /// assert_eq!(old.kind(), ErrorKind::InvalidValue);
    /// assert!(old.to_string().contains("supported: 1.4, 1.5, 1.6"));
    /// # Ok::<(), clearance::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::Json`] for text that is not JSON of either format (with
    /// the JSON path of the value at fault); [`ErrorKind::InvalidValue`] for a
    /// version not read, or a component without a name (or an SPDX package
    /// without an `SPDXID`); [`ErrorKind::DuplicateId`] for two components
    /// with one `bom-ref` or `SPDXID`; [`ErrorKind::DanglingReference`] for a
    /// dependency or relationship naming a component the document does not
    /// define; [`ErrorKind::Cycle`] for components that embed each other in a
    /// cycle. Every message names the document, the component and the field.
    pub fn from_json(text: &str) -> Result<Sbom> {
        Sbom::read(text.as_bytes(), "SBOM")
    }

    /// Like [`Sbom::from_json`], from bytes (which must be UTF-8).
    ///
    /// ```
    /// use clearance::sbom::Sbom;
    ///
    /// let sbom = Sbom::from_json_slice(br#"{"bomFormat": "CycloneDX", "specVersion": "1.4"}"#)?;
    /// assert!(sbom.components().is_empty());
    /// # Ok::<(), clearance::Error>(())
    /// ```
    pub fn from_json_slice(bytes: &[u8]) -> Result<Sbom> {
        Sbom::read(bytes, "SBOM")
    }

    /// Reads a document from a JSON file; every error names the file.
    ///
    /// ```
    /// use clearance::sbom::{Format, Sbom};
    ///
    /// let sbom = Sbom::from_path("tests/data/sbom/spdx-examples-acme-2.3.spdx.json")?;
    /// assert_eq!(sbom.format(), &Format::Spdx("SPDX-2.3".to_owned()));
    /// assert_eq!(sbom.components().len(), 4);
    /// # Ok::<(), clearance::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::Io`] if the file cannot be read, and those of [`Sbom::from_json`].
    pub fn from_path(path: impl AsRef<Path>) -> Result<Sbom> {
        let path = path.as_ref();
        let bytes = json::read_file(path, "SBOM")?;
        Sbom::read(&bytes, &path.display().to_string())
    }

    fn read(bytes: &[u8], source: &str) -> Result<Sbom> {
        // Messages start with what is read: `SBOM tests/data/x.json`, or `SBOM`.
        let what = if source == "SBOM" {
            "SBOM".to_owned()
        } else {
            format!("SBOM {source}")
        };
        let header: Header = json::parse(bytes, &what)?;
        let unsupported = |field: &str, version: &str, supported: &[&str]| {
            Error::new(
                ErrorKind::InvalidValue,
                format!(
                    "{what}: `{field}` {version:?} is not supported (supported: {})",
                    supported.join(", ")
                ),
            )
        };
        let draft = match (&header.bom_format, &header.spdx_version) {
            (Some(format), _) if format == "CycloneDX" => {
                let Some(version) = &header.spec_version else {
                    return Err(Error::new(
                        ErrorKind::Json,
                        format!("{what}: a CycloneDX document without `specVersion`"),
                    ));
                };
                if !cyclonedx::VERSIONS.contains(&version.as_str()) {
                    return Err(unsupported("specVersion", version, cyclonedx::VERSIONS));
                }
                cyclonedx::read(bytes, &what, version)?
            }
            (Some(format), _) => {
                return Err(Error::new(
                    ErrorKind::InvalidValue,
                    format!("{what}: `bomFormat` {format:?} is not \"CycloneDX\""),
                ))
            }
            (None, Some(version)) => {
                if !spdx::VERSIONS.contains(&version.as_str()) {
                    return Err(unsupported("spdxVersion", version, spdx::VERSIONS));
                }
                spdx::read(bytes, &what, version)?
            }
            (None, None) => {
                return Err(Error::new(
                    ErrorKind::Json,
                    format!(
                        "{what}: not a CycloneDX or SPDX JSON document (it has neither `bomFormat` nor `spdxVersion`)"
                    ),
                ))
            }
        };
        let mut sbom = draft.finish()?;
        sbom.source = source.to_owned();
        Ok(sbom)
    }
}
