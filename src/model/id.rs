//! Identifiers of inventory items.

use std::borrow::Borrow;
use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::error::{invalid, truncate, Error};

/// The longest id accepted, in bytes.
pub const MAX_ID_LEN: usize = 128;

/// The id of an inventory item: a vendor, product, release, organisation,
/// system, waiver or authorisation.
///
/// Ids are 1 to 128 ASCII letters, digits and `-_.:`, so they read the same
/// in JSON, in Cedar (`Vendor::"ao-kaspersky-lab"`) and on a command line.
///
/// ```
/// use clearance::Id;
///
/// let id: Id = "ao-kaspersky-lab".parse()?;
/// assert_eq!(id.as_str(), "ao-kaspersky-lab");
/// assert!("has space".parse::<Id>().is_err());
/// # Ok::<(), clearance::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
// Shared, because every decision names its system and release.
pub struct Id(Arc<str>);

impl Id {
    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Id {
    type Error = Error;
    fn try_from(text: String) -> Result<Self, Error> {
        if text.is_empty() || text.len() > MAX_ID_LEN {
            return Err(invalid(
                format_args!("id {:?}", truncate(&text)),
                format_args!("must be 1 to {MAX_ID_LEN} characters long"),
            ));
        }
        if let Some(c) = text
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':')))
        {
            return Err(invalid(
                format_args!("id {:?}", truncate(&text)),
                format_args!("{c:?} is not allowed (use ASCII letters, digits and `-_.:`)"),
            ));
        }
        Ok(Id(text.into()))
    }
}

impl std::str::FromStr for Id {
    type Err = Error;
    fn from_str(text: &str) -> Result<Self, Error> {
        Id::try_from(text.to_owned())
    }
}

impl From<Id> for String {
    fn from(id: Id) -> String {
        id.0.to_string()
    }
}

impl Borrow<str> for Id {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}
