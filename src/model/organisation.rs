//! Organisations: who deploys.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::keyword::keyword_enum;
use crate::model::{Country, Id};

keyword_enum! {
    /// The part of the economy an organisation belongs to. Rules are scoped
    /// by sector: the UK's 2022 advice is for the wider public sector and
    /// critical national infrastructure, not for consumers.
    pub enum Sector: "sector" {
        /// Central government departments and agencies.
        CentralGovernment = "central-government",
        /// Armed forces and defence ministries.
        Defence = "defence",
        /// Local government, health, education and other public bodies.
        WiderPublicSector = "wider-public-sector",
        /// Operators of critical national infrastructure (energy, water, telecoms, transport...).
        CriticalNationalInfrastructure = "critical-national-infrastructure",
        /// Banks and other financial institutions.
        Finance = "finance",
        /// Any other business.
        Business = "business",
        /// Private individuals and households.
        Consumer = "consumer",
    }
}

keyword_enum! {
    /// A role an organisation holds that some rule turns on.
    pub enum Role: "organisation role" {
        /// A UK department that deals extensively with national security,
        /// foreign policy, international negotiations or defence.
        NationalSecurityDepartment = "national-security-department",
        /// A US federal executive-branch agency.
        FederalExecutiveBranch = "federal-executive-branch",
        /// An element of the US legislative branch (Congress and its agencies).
        FederalLegislativeBranch = "federal-legislative-branch",
        /// An element of the US judicial branch (the federal courts).
        FederalJudicialBranch = "federal-judicial-branch",
        /// A contractor of the US federal government.
        FederalContractor = "federal-contractor",
        /// An Australian non-corporate Commonwealth entity.
        NonCorporateCommonwealthEntity = "non-corporate-commonwealth-entity",
        /// An organisation providing services to Ukraine (named in the UK's 2022 advice).
        ServesUkraine = "serves-ukraine",
        /// A high-profile organisation whose compromise would be a "win" for
        /// Russia (named in the UK's 2022 advice).
        HighProfile = "high-profile",
        /// A provider of services related to critical national infrastructure.
        CniServiceProvider = "cni-service-provider",
        /// An organisation doing work seen as counter to the Russian state's
        /// interests (named in the UK's 2022 advice).
        CounterRussianStateInterests = "counter-russian-state-interests",
        /// A company working on classified defence contracts (in the
        /// Netherlands, under the ABDO security requirements).
        DefenceContractor = "defence-contractor",
        /// A recipient of US Universal Service Fund support.
        UsfRecipient = "usf-recipient",
        /// An element of the US intelligence community (50 U.S.C. 3003(4)).
        IntelligenceCommunity = "intelligence-community",
        /// A marketplace distributing apps (an online mobile application
        /// store), which the US PAFACA binds.
        AppStore = "app-store",
        /// A provider of internet hosting services, which the US PAFACA binds.
        InternetHostingProvider = "internet-hosting-provider",
        /// The European Commission (its departments and services).
        EuropeanCommission = "european-commission",
        /// The Council of the European Union (its General Secretariat).
        CouncilOfTheEu = "council-of-the-eu",
        /// The European Parliament (its Secretariat, Members and their staff).
        EuropeanParliament = "european-parliament",
        /// New Zealand's Parliament: the Parliamentary Service and the
        /// members and offices its network serves.
        NzParliament = "nz-parliament",
        /// A holder of FCC equipment authorisations (a manufacturer or
        /// grantee, or its agent): the FCC's bars on authorising and on
        /// modifying covered equipment bind it.
        EquipmentGrantee = "equipment-grantee",
        /// A recipient of US federal funds under a contract, grant or
        /// cooperative agreement: the American Security Drone Act bars using
        /// them on covered drones.
        FederalFundsRecipient = "federal-funds-recipient",
    }
}

/// An organisation that owns systems: a department, an agency, a company, a
/// household.
///
/// `parent` places it in a larger one (an agency within a department); in
/// Cedar a system is a member of its owner and of all the owner's ancestors,
/// so `principal in Organisation::"uk-government"` covers every department.
///
/// ```
/// use clearance::{Organisation, Role};
///
/// let fco: Organisation = serde_json::from_str(r#"{
///     "id": "uk-fcdo",
///     "name": "Foreign, Commonwealth & Development Office",
///     "country": "GB",
///     "sector": "central-government",
///     "parent": "uk-government",
///     "roles": ["national-security-department"]
/// }"#)?;
/// assert!(fco.roles.contains(&Role::NationalSecurityDepartment));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    /// How the inventory and policies name it.
    pub id: Id,
    /// Its name.
    pub name: String,
    /// The country whose law it is under.
    pub country: Country,
    /// Its sector.
    pub sector: Sector,
    /// The organisation it is part of, if any.
    #[serde(default)]
    pub parent: Option<Id>,
    /// The roles it holds.
    #[serde(default)]
    pub roles: BTreeSet<Role>,
}
