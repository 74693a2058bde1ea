//! Reading JSON into serde types, with the JSON path of what is wrong.
//!
//! SBOMs are written by many tools and carry far more than `clearance`
//! reads, so the readers' types take only the fields they need and ignore
//! the rest (no `deny_unknown_fields`). What they do read must have the
//! right type, and an error says where: `components[12].version: invalid
//! type: integer, expected a string`.

use serde::de::DeserializeOwned;

use crate::error::{Error, ErrorKind, Result};

/// Parses `bytes` as `T`; `what` starts the message of any error (`SBOM
/// tests/data/x.json`).
pub(crate) fn parse<T: DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T> {
    crate::json::parse_tracking_path(bytes, &format!("{what}: JSON"))
}

/// Parses a file's bytes, naming the file in any error; `kind` says what it
/// should be (`SBOM`, `alias map`).
pub(crate) fn read_file(path: &std::path::Path, kind: &str) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| {
        Error::new(
            ErrorKind::Io,
            format!("reading {kind} {}: {e}", path.display()),
        )
    })
}
