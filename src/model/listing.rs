//! Listings: a company named on an official list, from and until when.
//!
//! Some laws point at a list kept by someone else rather than naming
//! companies: the American Security Drone Act of 2023 bars drones made by a
//! "covered foreign entity", meaning an entity on a list the Federal
//! Acquisition Security Council maintains. Who is on such a list is data, not
//! law: the inventory (or the shipped registry) records each listing with its
//! source, and policies read the lists naming a release's vendor, or any
//! company of its vendor's group, as `vendorLists` and `vendorGroupLists`.

use serde::{Deserialize, Serialize};

use crate::model::{Id, Instant};

/// A vendor's place on an official list.
///
/// ```
/// use clearance::Listing;
///
/// let listing: Listing = serde_json::from_str(r#"{
///     "list": "fasc-asda",
///     "from": "2025-06-01",
///     "source": "SAM.gov, FASC list, entry of 1 June 2025"
/// }"#)?;
/// assert_eq!(listing.list.as_str(), "fasc-asda");
/// assert!(listing.in_force_at("2026-01-01".parse()?));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Listing {
    /// Which list, as policies name it (the shipped packs read `fasc-asda`:
    /// the Federal Acquisition Security Council's list of covered foreign
    /// entities under the American Security Drone Act of 2023).
    pub list: Id,
    /// The entry's own number or name on the list, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<String>,
    /// From when it is listed; always, if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Instant>,
    /// Until when (the first instant it is no longer listed); still, if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Instant>,
    /// Where the listing is recorded.
    pub source: String,
}

impl Listing {
    /// Whether the listing holds at this instant: in `[from, until)`.
    pub fn in_force_at(&self, at: Instant) -> bool {
        at.within(self.from, self.until)
    }
}
