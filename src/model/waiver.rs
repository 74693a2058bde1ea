//! Waivers and exemptions: a named rule lifted for a scope, until a date.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::keyword::keyword_enum;
use crate::model::Action;
use crate::model::Id;
use crate::model::Instant;

keyword_enum! {
    /// What kind of lifting a waiver records.
    ///
    /// An exception is granted under the rule's own terms (an agency head's
    /// waiver, an exemption for a legitimate business reason). A
    /// non-enforcement period is an executive's order not to enforce a law
    /// (the US President's orders delaying PAFACA's enforcement): the law's
    /// text is unchanged and conduct during it still breaks the law's words,
    /// so decisions that use one say so.
    #[derive(Default)]
    pub enum WaiverKind: "waiver kind" {
        /// An exception, exemption, waiver or licence the rule provides for.
        #[default]
        Exception = "exception",
        /// An order not to enforce the law for a period; not an amendment.
        NonEnforcement = "non-enforcement",
    }
}

impl WaiverKind {
    fn is_exception(&self) -> bool {
        *self == WaiverKind::Exception
    }
}

/// A waiver or exemption granted against one or more rules.
///
/// It applies to a question when the action is one of `actions`, the release
/// is one of `products` or contains code of one of `vendors` (or of a company
/// they control), the system is one of `systems` or belongs to one of
/// `organisations` (or an organisation within one), and the instant is in
/// `[from, until)`.
///
/// A waiver only lifts the rules it names, and only rules whose policy
/// accepts waivers: a policy does so by testing
/// `context.waivers.contains("<its id>")`. Rules whose law allows no
/// exceptions (such as BOD 17-01) do not, so a waiver against them changes
/// nothing. A rule whose law forbids blanket exceptions (OMB M-23-13: "Blanket
/// exceptions applying to an entire agency are not permitted") says so with
/// `@waivers("systems")`, and a waiver of it must name systems, not
/// organisations.
///
/// ```
/// use clearance::Waiver;
///
/// let waiver: Waiver = serde_json::from_str(r#"{
///     "id": "dhs-889-waiver-7",
///     "rules": ["us-ndaa-889/video-surveillance-procurement"],
///     "vendors": ["hikvision"],
///     "organisations": ["us-gsa"],
///     "actions": ["procure", "deploy"],
///     "granted_by": "GSA Senior Procurement Executive",
///     "until": "2021-08-13"
/// }"#)?;
/// assert_eq!(waiver.until.to_string(), "2021-08-13T00:00:00Z");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    /// How the inventory names it.
    pub id: Id,
    /// The `@id`s of the rules it lifts.
    pub rules: BTreeSet<String>,
    /// The products it covers.
    #[serde(default)]
    pub products: BTreeSet<Id>,
    /// The vendors whose products (and embedded code) it covers.
    #[serde(default)]
    pub vendors: BTreeSet<Id>,
    /// The systems it covers.
    #[serde(default)]
    pub systems: BTreeSet<Id>,
    /// The organisations whose systems it covers.
    #[serde(default)]
    pub organisations: BTreeSet<Id>,
    /// The actions it covers.
    pub actions: BTreeSet<Action>,
    /// Who granted it.
    pub granted_by: String,
    /// When it starts; immediately if absent.
    #[serde(default)]
    pub from: Option<Instant>,
    /// When it ends (the first instant it no longer applies).
    pub until: Instant,
    /// An exception (the default), or a period of non-enforcement.
    #[serde(default, skip_serializing_if = "WaiverKind::is_exception")]
    pub kind: WaiverKind,
    /// Where it is recorded (the order, the letter), if public.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl Waiver {
    /// Whether the instant falls in `[from, until)`.
    pub fn in_force_at(&self, at: Instant) -> bool {
        at.within(self.from, Some(self.until))
    }
}
