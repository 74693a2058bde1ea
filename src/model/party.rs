//! Parties: owners that make nothing (holding companies, states, people).

use serde::{Deserialize, Serialize};

use super::{Blocking, Country, Id, Stake};
use crate::keyword::keyword_enum;

keyword_enum! {
    /// What kind of owner a party is.
    pub enum PartyKind: "party kind" {
        /// A company that holds other companies and sells nothing itself.
        HoldingCompany = "holding-company",
        /// A state, or one of its government bodies.
        State = "state",
        /// An enterprise owned by a state.
        StateOwnedEnterprise = "state-owned-enterprise",
        /// A natural person.
        Person = "person",
        /// An investment fund, a trust or an employee share scheme.
        Fund = "fund",
        /// Anything else that owns.
        Other = "other",
    }
}

/// An owner that is not a vendor: it makes and sells nothing, but its
/// control joins companies into one group, its shares count towards majority
/// ownership, and it may be blocked (OFAC's 50% rule counts what blocked
/// parties own).
///
/// Parties are not Cedar entities: rules name vendors, and reach parties'
/// companies through the vendors' groups.
///
/// ```
/// use clearance::{Party, PartyKind};
///
/// let cetc: Party = serde_json::from_str(r#"{
///     "id": "cetc", "name": "China Electronics Technology Group Corporation",
///     "kind": "state-owned-enterprise", "country": "CN"
/// }"#)?;
/// assert_eq!(cetc.kind, PartyKind::StateOwnedEnterprise);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Party {
    /// How the inventory names it; unique among vendors and parties.
    pub id: Id,
    /// Its name.
    pub name: String,
    /// What kind of owner it is.
    pub kind: PartyKind,
    /// Where it is based (for a person, where they live), if known. It
    /// counts among the countries controlling what it controls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<Country>,
    /// Shorthand for one controlling owner of a share not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub controlled_by: Option<Id>,
    /// Who owns it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub owners: Vec<Stake>,
    /// A designation that blocks it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked: Option<Blocking>,
}

impl Party {
    /// Its owners, `controlled_by` first as a controlling stake.
    pub fn stakes(&self) -> impl Iterator<Item = std::borrow::Cow<'_, Stake>> {
        super::stakes(self.controlled_by.as_ref(), &self.owners)
    }
}
