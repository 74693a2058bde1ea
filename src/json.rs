//! Reading JSON into serde types, saying where it is wrong: the JSON path of
//! the value (`vendors[3].incorporated`, `components[12].version`), and the
//! line and column, for inventories and SBOMs alike.

use serde::de::DeserializeOwned;

use crate::error::{Error, ErrorKind, Result};

/// Parses `bytes` as `T`, tracking the path of every value. `label` starts
/// the message of any error (`inventory JSON`, `SBOM x.json: JSON`).
pub(crate) fn parse_tracking_path<T: DeserializeOwned>(bytes: &[u8], label: &str) -> Result<T> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let path = e.path().to_string();
        let at = if path == "." {
            String::new()
        } else {
            format!(" at `{path}`")
        };
        Error::new(
            ErrorKind::Json,
            format!("{label}{at}: {}", shorten(&e.into_inner())),
        )
    })?;
    deserializer
        .end()
        .map_err(|e| Error::new(ErrorKind::Json, format!("{label}: {e}")))?;
    Ok(value)
}

/// serde quotes a value of the wrong type whole (`invalid type: string
/// "...", expected a boolean`); keep the message readable when the value is
/// huge: its start, its end (what was expected), and the line and column.
fn shorten(error: &serde_json::Error) -> String {
    const KEPT: usize = 120;
    let message = error.to_string();
    let location = format!(" at line {} column {}", error.line(), error.column());
    let text = message.strip_suffix(&location).unwrap_or(&message);
    let chars = text.chars().count();
    if chars <= 3 * KEPT {
        return message;
    }
    let head: String = text.chars().take(KEPT).collect();
    let tail: String = text.chars().skip(chars - KEPT).collect();
    format!("{head} … {tail}{location}")
}
