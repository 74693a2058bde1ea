//! Systems: where a product would run.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::keyword::keyword_enum;
use crate::model::{Assurance, Country, Id};

keyword_enum! {
    /// The classification tier of the information a system processes, as an
    /// ordered rank.
    ///
    /// UK tiers are OFFICIAL < SECRET < TOP SECRET; US levels are
    /// UNCLASSIFIED < CONFIDENTIAL < SECRET < TOP SECRET. Both share one
    /// scale, so "SECRET and above" is one comparison. OFFICIAL-SENSITIVE is
    /// not a tier but a handling marking within OFFICIAL: see
    /// [`System::official_sensitive`].
    ///
    /// ```
    /// use clearance::Classification;
    ///
    /// assert!(Classification::Official < Classification::Secret);
    /// assert_eq!(Classification::TopSecret.rank(), 4);
    /// ```
    pub enum Classification: "classification" {
        /// No classification (a home laptop, a business system, US UNCLASSIFIED).
        Unclassified = "unclassified",
        /// UK OFFICIAL.
        Official = "official",
        /// US CONFIDENTIAL.
        Confidential = "confidential",
        /// UK or US SECRET.
        Secret = "secret",
        /// UK or US TOP SECRET.
        TopSecret = "top-secret",
    }
}

impl Classification {
    /// The rank Cedar policies compare (`principal.tier >= 3` is SECRET and above).
    pub fn rank(self) -> i64 {
        self as i64
    }
}

keyword_enum! {
    /// What a system is used for. Section 889 bans Hikvision, Dahua and
    /// Hytera equipment only for some purposes.
    pub enum Purpose: "purpose" {
        /// Public safety.
        PublicSafety = "public-safety",
        /// Security of government facilities.
        GovernmentFacilitySecurity = "government-facility-security",
        /// Physical security surveillance of critical infrastructure.
        CriticalInfrastructureSurveillance = "critical-infrastructure-surveillance",
        /// Other national security purposes.
        NationalSecurity = "national-security",
        /// Research.
        Research = "research",
        /// Used in the development of data or deliverables first produced in
        /// the performance of a US federal contract.
        FederalContractDeliverables = "federal-contract-deliverables",
        /// Provides an item (hardware, software, a service) that the US
        /// federal government will use.
        SuppliedToFederalGovernment = "supplied-to-federal-government",
        /// General office or business use.
        General = "general",
    }
}

keyword_enum! {
    /// What kind of device a system is, where a rule depends on it: Canada's
    /// 2023 removals of TikTok, WeChat and Kaspersky apps cover
    /// "government-issued mobile devices" only.
    ///
    /// ```
    /// use clearance::Device;
    ///
    /// assert_eq!("mobile".parse::<Device>()?, Device::Mobile);
    /// assert!("phone".parse::<Device>().is_err());
    /// # Ok::<(), clearance::Error>(())
    /// ```
    pub enum Device: "device" {
        /// A phone or tablet.
        Mobile = "mobile",
        /// A laptop or desktop computer.
        Computer = "computer",
        /// A server, or a service's infrastructure.
        Server = "server",
    }
}

keyword_enum! {
    /// Whose a device is: the organisation's own, or a person's.
    ///
    /// Rules on government devices differ in how far they reach: the
    /// European Commission's TikTok suspension covers "personal devices
    /// enrolled in the Commission mobile device service"; FAR 52.204-27
    /// reaches a contractor's employees' own phones used in performing the
    /// contract; the UK's ban does "not extend to personal devices".
    #[derive(Default)]
    pub enum DeviceOwner: "device owner" {
        /// Issued or owned by the organisation (the default).
        #[default]
        Organisation = "organisation",
        /// A person's own device enrolled in the organisation's device
        /// services, or given access to its email or network.
        PersonalEnrolled = "personal-enrolled",
        /// A person's own device, not enrolled.
        Personal = "personal",
    }
}

keyword_enum! {
    /// A contract clause whose rules bind the systems used in performing
    /// the contract.
    pub enum ContractClause: "contract clause" {
        /// FAR 52.204-27, Prohibition on a ByteDance Covered Application
        /// (in solicitations issued and contracts awarded from 2 June 2023).
        Far52_204_27 = "far-52.204-27",
        /// FAR 52.240-1, Prohibition on Unmanned Aircraft Systems
        /// Manufactured or Assembled by American Security Drone Act-Covered
        /// Foreign Entities (in solicitations issued and contracts awarded
        /// from 12 November 2024).
        Far52_240_1 = "far-52.240-1",
    }
}

/// A system owned by an organisation: a network, an estate of endpoints, a
/// single laptop.
///
/// ```
/// use clearance::{Classification, System};
///
/// let system: System = serde_json::from_str(r#"{
///     "id": "mod-secret-network",
///     "name": "MOD SECRET network",
///     "owner": "uk-mod",
///     "classification": "secret",
///     "national_security": true
/// }"#)?;
/// assert_eq!(system.classification, Classification::Secret);
/// assert!(system.requires.is_empty());
/// assert_eq!(system.location, None); // where its owner is
/// # Ok::<(), serde_json::Error>(())
/// ```
///
/// Where a system is can differ from where its owner is incorporated, and
/// some rules bind by place: the US Commerce and OFAC rules bind "any person
/// in the United States", so a German company's server in Virginia is
/// covered, and so is a US company's laptop in Paris (the company is a US
/// person wherever its systems are).
///
/// ```
/// use clearance::{Country, System};
///
/// let system: System = serde_json::from_str(r#"{
///     "id": "virginia-dc", "name": "Virginia data centre", "owner": "de-retailer",
///     "location": "US"
/// }"#)?;
/// assert_eq!(system.location, Some("US".parse::<Country>().unwrap()));
/// # Ok::<(), serde_json::Error>(())
/// ```
///
/// A device says what kind it is and whose, where a rule depends on it: a
/// contractor employee's own phone, used in performing a contract that
/// carries FAR 52.204-27, is bound by that clause.
///
/// ```
/// use clearance::{ContractClause, Device, DeviceOwner, System};
///
/// let phone: System = serde_json::from_str(r#"{
///     "id": "analyst-phone", "name": "An analyst's own phone", "owner": "acme-federal",
///     "device": "mobile", "device_owner": "personal",
///     "contract_clauses": ["far-52.204-27"]
/// }"#)?;
/// assert_eq!(phone.device, Some(Device::Mobile));
/// assert_eq!(phone.device_owner, DeviceOwner::Personal);
/// assert!(phone.contract_clauses.contains(&ContractClause::Far52_204_27));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct System {
    /// How the inventory and queries name it.
    pub id: Id,
    /// Its name.
    pub name: String,
    /// The organisation that owns it.
    pub owner: Id,
    /// The country it is in, where that is not its owner's country (`None`:
    /// where its owner is). Policies read it as `location`, always set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Country>,
    /// The organisation on whose behalf it is operated, if its owner runs it
    /// for another (a contractor's system operated for a US federal agency is
    /// a federal information system: 44 U.S.C. 3554(a)(1)(A)(ii)). Policies
    /// read the roles of that organisation, and of every organisation above
    /// it, as `operatedForRoles`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operated_for: Option<Id>,
    /// The highest tier of information it processes.
    #[serde(default = "unclassified")]
    pub classification: Classification,
    /// Whether its OFFICIAL information carries the OFFICIAL-SENSITIVE marking.
    #[serde(default)]
    pub official_sensitive: bool,
    /// Whether access to its information by a hostile state has been assessed
    /// as a risk to national security.
    #[serde(default)]
    pub national_security: bool,
    /// Whether it is a US national security system (44 U.S.C. 3552(b)(6)),
    /// to which DHS directives do not apply.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub national_security_system: bool,
    /// Whether it is a system of the US Department of Defense or of an element
    /// of the intelligence community (operated by it, a contractor or another
    /// entity on its behalf) processing information whose compromise would
    /// have a debilitating impact on its mission: the systems of 44 U.S.C.
    /// 3553(e)(2) and (3), to which DHS directives do not apply.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub dod_ic_mission_critical: bool,
    /// Whether it is on a sensitive government site (UK).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sensitive_site: bool,
    /// Whether it is part of a department's core network (UK).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub core_network: bool,
    /// Whether it is critical infrastructure or a critical information system.
    #[serde(default)]
    pub critical: bool,
    /// What it is used for.
    #[serde(default)]
    pub purposes: BTreeSet<Purpose>,
    /// The assurance a product needs to run on it; every entry must be met.
    #[serde(default)]
    pub requires: BTreeSet<Assurance>,
    /// What kind of device it is, if it is one and a rule needs to know
    /// (`None`: not said; policies read `"unknown"`, and a rule that covers
    /// only some kinds of device denies it, naming what is missing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<Device>,
    /// Whose device it is: the organisation's (the default) or a person's.
    #[serde(default, skip_serializing_if = "DeviceOwner::is_organisation")]
    pub device_owner: DeviceOwner,
    /// The clauses of the contracts it is used in performing, where a
    /// clause's rules bind it. Record a clause from when the contract
    /// carrying it applies.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub contract_clauses: BTreeSet<ContractClause>,
}

impl DeviceOwner {
    fn is_organisation(&self) -> bool {
        *self == DeviceOwner::Organisation
    }
}

fn unclassified() -> Classification {
    Classification::Unclassified
}
