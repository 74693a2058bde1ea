//! Vendors and who controls them.

use serde::{Deserialize, Serialize};

use crate::model::{Country, Id};

/// A company that makes or supplies products.
///
/// `controlled_by` names the vendor that controls this one (its parent). Rules
/// follow the whole chain: a UK-incorporated reseller owned by a UK holding
/// company owned by AO Kaspersky Lab is a Kaspersky affiliate, whatever its
/// own flag says. In Cedar a vendor is a member of its controller, so
/// `resource in Vendor::"ao-kaspersky-lab"` covers every affiliate's releases.
///
/// ```
/// use clearance::Vendor;
///
/// let uk: Vendor = serde_json::from_str(r#"{
///     "id": "kaspersky-uk",
///     "name": "Kaspersky Lab UK Ltd",
///     "incorporated": "GB",
///     "headquarters": "GB",
///     "controlled_by": "ao-kaspersky-lab"
/// }"#)?;
/// assert_eq!(uk.controlled_by.unwrap().as_str(), "ao-kaspersky-lab");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vendor {
    /// How the inventory and policies name it.
    pub id: Id,
    /// Its legal name.
    pub name: String,
    /// Country of incorporation.
    pub incorporated: Country,
    /// Country of its headquarters (where it is run from).
    pub headquarters: Country,
    /// The vendor that controls it, if any.
    #[serde(default)]
    pub controlled_by: Option<Id>,
}
