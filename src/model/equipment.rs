//! Equipment as the US Federal Communications Commission sees it: what kind
//! of device a model is, where it is produced, whether it holds an FCC
//! equipment authorisation and since when, and the approvals and exceptions
//! that take it outside a Covered List entry.
//!
//! Since December 2025 the Covered List names whole categories by where they
//! are produced ("Uncrewed aircraft systems (UAS) and UAS critical components
//! produced in a foreign country", "Routers produced in a foreign country"),
//! not by who makes them. A listing has separate consequences that bind
//! different people: FCC subsidies may not buy or maintain the equipment
//! (binding their recipients), no new equipment authorisation can be granted
//! to it (binding manufacturers; a deployer may keep using, and may still
//! buy, models authorised before the listing, but may not operate a new model,
//! since operating an unauthorised radio device is itself barred), and
//! previously authorised equipment may not be modified unless a waiver allows
//! updates. The facts those rules need are recorded here, on the
//! [`Product`](super::Product) (a model), with [`Production`] overridable per
//! [`Release`](super::Release) and [`ConditionalApproval`]s also held by the
//! producing [`Vendor`](super::Vendor) for all its models.
//!
//! What is not known is not guessed: a stage of production left empty is
//! unknown, and so is an authorisation not recorded; the shipped rules that
//! need them deny, naming what is missing.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::keyword::keyword_enum;
use crate::model::{Country, Instant};

keyword_enum! {
    /// The classes of equipment the FCC Covered List names by country of
    /// production (entries of 22 December 2025, 23 March 2026 and 28 July
    /// 2026). Each word means what the entry's words mean; the crate does not
    /// define "router" or "advanced robotic device" further.
    pub enum EquipmentKind: "equipment kind" {
        /// An uncrewed aircraft system (a drone, with its ground control).
        Uas = "uas",
        /// A UAS critical component: for example a data transmission device,
        /// communications system, flight controller, ground control,
        /// navigation system, sensor or camera, battery or battery management
        /// system, motor, or their software.
        UasCriticalComponent = "uas-critical-component",
        /// A router, as the FCC's router entry means it ("consumer-grade
        /// networking devices that are primarily intended for residential
        /// use and can be installed by the customer", as reported).
        Router = "router",
        /// A power inverter.
        PowerInverter = "power-inverter",
        /// An advanced robotic device.
        AdvancedRoboticDevice = "advanced-robotic-device",
    }
}

keyword_enum! {
    /// Who granted a Conditional Approval: the FCC's entries except devices
    /// "which have been granted a Conditional Approval by DoW or DHS" (the
    /// robotic devices' entry: by DoW only).
    pub enum Grantor: "approval grantor" {
        /// The US Department of War (the Department of Defense).
        Dow = "dow",
        /// The US Department of Homeland Security.
        Dhs = "dhs",
    }
}

keyword_enum! {
    /// The exceptions the FCC's UAS entry makes besides Conditional
    /// Approvals, as facts about a model: whether they are in force at an
    /// instant is the policy's to say (the Blue UAS and Buy American
    /// exceptions run until a date).
    pub enum EquipmentException: "equipment exception" {
        /// On the Defense Contract Management Agency's Blue UAS Cleared List
        /// (or its framework of components).
        BlueUas = "blue-uas",
        /// A "domestic end product" under the Buy American Standard, 48 CFR
        /// 25.101(a).
        BuyAmerican = "buy-american",
        /// A "Toy Drone" as the National Security Determination defines it.
        ToyDrone = "toy-drone",
    }
}

/// Where a model is produced, stage by stage: the FCC reads "production" as
/// any significant stage, "including manufacturing, assembly, design and
/// development", so a router designed abroad and assembled in the US is
/// produced abroad. A stage left empty is unknown.
///
/// ```
/// use clearance::Production;
///
/// let production: Production = serde_json::from_str(r#"{
///     "design": ["CN"], "manufacturing": ["VN"], "assembly": ["US"]
/// }"#)?;
/// assert!(production.is_complete());
/// assert_eq!(production.countries().count(), 3);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Production {
    /// Where it is designed and developed.
    #[serde(default)]
    pub design: BTreeSet<Country>,
    /// Where its parts are manufactured.
    #[serde(default)]
    pub manufacturing: BTreeSet<Country>,
    /// Where it is assembled.
    #[serde(default)]
    pub assembly: BTreeSet<Country>,
    /// Where these facts come from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl Production {
    /// Every country of every stage given.
    pub fn countries(&self) -> impl Iterator<Item = &Country> {
        let mut all: BTreeSet<&Country> = self.design.iter().collect();
        all.extend(&self.manufacturing);
        all.extend(&self.assembly);
        all.into_iter()
    }

    /// Whether every stage is given.
    pub fn is_complete(&self) -> bool {
        !(self.design.is_empty() || self.manufacturing.is_empty() || self.assembly.is_empty())
    }
}

/// A Conditional Approval granted by DoW or DHS, which takes the devices it
/// covers outside the FCC's category entries. Held by a model
/// ([`Equipment::conditional_approvals`]) or by its producer, for all of its
/// models ([`Vendor::conditional_approvals`](super::Vendor::conditional_approvals)).
///
/// ```
/// use clearance::{ConditionalApproval, Grantor};
///
/// let approval: ConditionalApproval = serde_json::from_str(r#"{
///     "by": "dhs", "from": "2026-05-01", "source": "DHS letter of 1 May 2026"
/// }"#)?;
/// assert_eq!(approval.by, Grantor::Dhs);
/// assert!(approval.in_force_at("2026-06-01".parse()?));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConditionalApproval {
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

impl ConditionalApproval {
    /// Whether it holds at this instant: in `[from, until)`.
    pub fn in_force_at(&self, at: Instant) -> bool {
        at.within(Some(self.from), self.until)
    }
}

/// Whether a model holds an FCC equipment authorisation (a certification or
/// a Supplier's Declaration of Conformity), and since when.
///
/// In JSON: `{"granted": "2024-05-01"}`, or `"not-required"` for a model
/// the FCC's equipment authorisation rules do not reach (equipment that is
/// not a radio-frequency device).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum EquipmentAuthorisation {
    /// Authorised on this date (the grant date).
    Granted(Instant),
    /// No authorisation is required.
    NotRequired,
}

/// What the FCC's equipment rules need to know of a model: its kind, where
/// it is produced, its authorisation, and what takes it outside an entry.
///
/// ```
/// use clearance::{EquipmentKind, Product};
///
/// let router: Product = serde_json::from_str(r#"{
///     "id": "hr-ax3000", "name": "AX3000 home router", "vendor": "acme",
///     "category": "telecom",
///     "equipment": {
///         "kind": "router",
///         "production": {"design": ["TW"], "manufacturing": ["VN"], "assembly": ["VN"]},
///         "authorisation": {"granted": "2025-09-01"},
///         "fcc_id": "2AXYZ-AX3000"
///     }
/// }"#)?;
/// let equipment = router.equipment.unwrap();
/// assert_eq!(equipment.kind, Some(EquipmentKind::Router));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Equipment {
    /// Which class the FCC's entries name it as, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<EquipmentKind>,
    /// Where it is produced (a release may say otherwise for itself).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub production: Option<Production>,
    /// Its FCC equipment authorisation; unknown if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorisation: Option<EquipmentAuthorisation>,
    /// Its FCC identifier, for the record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fcc_id: Option<String>,
    /// Conditional Approvals granted to this model.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditional_approvals: Vec<ConditionalApproval>,
    /// The UAS entry's other exceptions this model qualifies for.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub exceptions: BTreeSet<EquipmentException>,
}
