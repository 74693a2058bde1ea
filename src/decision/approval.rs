//! Naming the Conditional Approvals a decision rests on.
//!
//! Since December 2025 the FCC's Covered List names whole categories of
//! equipment produced abroad (drones and their critical components, routers,
//! power inverters, advanced robotic devices), "except" those granted a
//! Conditional Approval by the Department of War or DHS. An approval is held
//! by a model or by its producer, for all of its models, from a date. A
//! compliance officer reading an Allow for a drone made in China must see
//! which approval let it through, and where it is recorded: a decision about
//! equipment carries an [`Approval`] for each one in force at the instant
//! asked about, for the release and for the UAS critical components it embeds.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::model::{Grantor, Id, Instant};

/// Who holds a Conditional Approval.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ApprovalHolder {
    /// The producer (a vendor), for all of its models.
    Vendor(Id),
    /// One model (a product).
    Product(Id),
}

/// A Conditional Approval in force for a release, or for a UAS critical
/// component it embeds, at the instant a decision was asked about.
///
/// ```
/// use clearance::{Action, ApprovalHolder, Engine, Grantor, Inventory, Pack, Policies, Query};
///
/// // A hypothetical drone produced in Switzerland, bought with Universal
/// // Service Fund support after the FCC listed drones produced abroad; its
/// // producer holds a DoW Conditional Approval.
/// let inventory = Inventory::from_json(r#"{
///     "vendors": [{"id": "alpine", "name": "Alpine Aerial AG", "incorporated": "CH",
///                  "headquarters": "CH",
///                  "conditional_approvals": [{"by": "dow", "from": "2026-04-15",
///                                             "source": "hypothetical letter"}]}],
///     "products": [{"id": "scout", "name": "Scout drone", "vendor": "alpine",
///                   "category": "video-surveillance",
///                   "equipment": {"kind": "uas",
///                                 "production": {"design": ["CH"], "manufacturing": ["CH"],
///                                                "assembly": ["CH"]},
///                                 "authorisation": {"granted": "2025-06-01"}}}],
///     "releases": [{"id": "scout-1", "product": "scout", "version": "1.0.0"}],
///     "organisations": [{"id": "coop", "name": "Rural Co-op", "country": "US",
///                        "sector": "business", "roles": ["usf-recipient"]}],
///     "systems": [{"id": "field", "name": "Field kit", "owner": "coop"}]
/// }"#)?;
/// let engine = Engine::new(inventory, Policies::from_packs(&[Pack::Baseline, Pack::UsFccCoveredList])?)?;
/// let decision = engine.decide(&Query::new("field", Action::Procure, "scout-1")
///     .at("2026-06-01".parse()?))?;
/// assert!(decision.allowed());
/// let approval = &decision.approvals()[0];
/// assert_eq!(approval.holder, ApprovalHolder::Vendor("alpine".parse()?));
/// assert_eq!(approval.by, Grantor::Dow);
/// assert_eq!(approval.source, "hypothetical letter");
///
/// // Before the approval (and from 20 February 2026, when the bar on
/// // subsidies starts), the same purchase is barred.
/// let before = engine.decide(&Query::new("field", Action::Procure, "scout-1")
///     .at("2026-03-01".parse()?))?;
/// assert!(!before.allowed());
/// assert!(before.approvals().is_empty());
/// # Ok::<(), clearance::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Approval {
    /// The release it covers: the one asked about, or a UAS critical
    /// component embedded in it (at any depth).
    pub release: Id,
    /// Who holds it.
    pub holder: ApprovalHolder,
    /// Who granted it.
    pub by: Grantor,
    /// From when it holds.
    pub from: Instant,
    /// Until when (the first instant it no longer holds); still, if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Instant>,
    /// Where it is recorded.
    pub source: String,
}

impl fmt::Display for Approval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let by = match self.by {
            Grantor::Dow => "DoW",
            Grantor::Dhs => "DHS",
        };
        write!(f, "{by} Conditional Approval held by ")?;
        match &self.holder {
            ApprovalHolder::Vendor(vendor) => write!(f, "vendor {vendor} (all its models)")?,
            ApprovalHolder::Product(product) => write!(f, "product {product}")?,
        }
        write!(f, ", covering {}, from {}", self.release, self.from)?;
        if let Some(until) = self.until {
            write!(f, " until {until}")?;
        }
        write!(f, " (source: {})", self.source)
    }
}
