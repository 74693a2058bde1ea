//! Vendors, and who owns and controls them.

use serde::{Deserialize, Serialize};

use super::{Blocking, ConditionalApproval, Country, Id, Listing, Stake};

/// A company that makes or supplies products.
///
/// Its owners are [`Stake`]s held by other vendors or by [`Party`](super::Party)s
/// (holding companies, states, people); `controlled_by` is shorthand for one
/// controlling owner of a share not given. Rules follow the structure both
/// ways: a UK-incorporated reseller controlled by a UK holding company run
/// from Moscow is in that holding company's group, and so is every sister
/// company, whatever their own flags say.
///
/// ```
/// use clearance::Vendor;
///
/// let inc: Vendor = serde_json::from_str(r#"{
///     "id": "kaspersky-lab-inc",
///     "name": "Kaspersky Lab, Inc.",
///     "incorporated": "US",
///     "headquarters": "US",
///     "owners": [{"owner": "kaspersky-labs-limited", "controls": true}]
/// }"#)?;
/// assert_eq!(inc.owners[0].owner.as_str(), "kaspersky-labs-limited");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vendor {
    /// How the inventory and policies name it; unique among vendors and parties.
    pub id: Id,
    /// Its legal name.
    pub name: String,
    /// Country of incorporation.
    pub incorporated: Country,
    /// Country of its headquarters (where it is run from).
    pub headquarters: Country,
    /// Shorthand for one controlling owner (a vendor or a party) of a share
    /// not given, held always.
    #[serde(default)]
    pub controlled_by: Option<Id>,
    /// Who owns it: shares, control, and when.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub owners: Vec<Stake>,
    /// A designation that blocks it (such as a listing on OFAC's SDN list).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked: Option<Blocking>,
    /// Official lists naming it (such as the Federal Acquisition Security
    /// Council's list of covered foreign entities), each with its dates and
    /// source.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub listed: Vec<Listing>,
    /// Conditional Approvals granted to it as a producer, covering all of
    /// its models of equipment (see [`crate::Equipment`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditional_approvals: Vec<ConditionalApproval>,
}

impl Vendor {
    /// Its owners, `controlled_by` first as a controlling stake.
    pub fn stakes(&self) -> impl Iterator<Item = std::borrow::Cow<'_, Stake>> {
        stakes(self.controlled_by.as_ref(), &self.owners)
    }
}

/// `controlled_by`, as a controlling stake, then the owners.
pub(crate) fn stakes<'a>(
    controlled_by: Option<&'a Id>,
    owners: &'a [Stake],
) -> impl Iterator<Item = std::borrow::Cow<'a, Stake>> {
    controlled_by
        .map(|owner| std::borrow::Cow::Owned(Stake::control(owner.clone())))
        .into_iter()
        .chain(owners.iter().map(std::borrow::Cow::Borrowed))
}
