//! The shipped packs' rules written by hand in plain Rust: the floor a
//! benchmark compares the engine with, and an oracle independent of it.
//!
//! [`HandWritten::new`] re-derives from the [`Inventory`] alone what
//! `src/corporate` and `src/cedar/facts.rs` compute, in its own, naive way:
//!
//! - the corporate structure at each instant where a stake, a designation,
//!   a listing or a Conditional Approval starts or ends: who controls whom (at any depth, through vendors and
//!   parties); each company's group (everything connected to it by control,
//!   in either direction, through parties too); who holds a majority of it
//!   (every company, vendor or party, holding over 50% of it, adding up what
//!   it holds itself and through every company it controls), and so the
//!   groups of those holders; whether it is blocked (designated, or held 50%
//!   or more by blocked owners, worked out to a fixed point); whether it is
//!   controlled by a foreign adversary as PAFACA has it (of China, Russia,
//!   North Korea or Iran itself, held 20% or more in aggregate by owners that
//!   are, or controlled by one that is, worked out to a fixed point the same
//!   way); and the countries controlling it (its own, and those of every
//!   vendor or party controlling it);
//! - for each release: the vendors whose code it contains (through embedded
//!   components at any depth), the groups of its own vendor and of those
//!   vendors, by the category of the product whose code it is, through every
//!   component or only through substantial or essential ones; which of those
//!   are telecommunications equipment able to see user data, each judged on
//!   its own product; the groups of the majority holders of those vendors;
//!   the countries controlling them; where it sends data and is serviced
//!   from; the authorisations covering its version; whether its product is an
//!   information security product and whether it is a service (the readings
//!   the schema states, written out again here); which product a law names
//!   it as (`knownAs`), and whether its form is the web (an unknown form is
//!   not); what the FCC's equipment rules read (its kind, whether a stage of
//!   its production is abroad or unknown, its authorisation, the
//!   Conditional Approvals of its model or producer in force, its
//!   exceptions, and the same of the UAS critical components it embeds);
//!   whether its vendor is on the Drone Act's list;
//! - for each system: the roles of its organisations, and of the organisation
//!   it is operated for and those above that one; where it is (its owner's
//!   country unless the inventory says otherwise); what device it is (or
//!   none said) and whose; whether its contracts carry FAR 52.204-27 or
//!   52.240-1; for
//!   each waiver, the keys it names and its scope (of whatever kind: a
//!   non-enforcement period lifts a rule as an exception does).
//!
//! These are reduced to flags and bit masks, and each rule of the shipped
//! packs is a boolean expression over them, with the instants written in the
//! packs. It answers what the engine answers (verdict, deciding rule ids,
//! advice ids, waivers used) but as bit masks, without explanations or
//! allocations per decision.
//!
//! It must agree with the engine: `tests/workload.rs` checks every decision of
//! the reference workload. If a shipped pack changes, change [`RULES`] and the
//! rule functions below with it.

use std::collections::{BTreeSet, HashMap};

use clearance::{
    Action, Assurance, Category, ContractClause, Country, Device, DeviceOwner,
    EquipmentAuthorisation, EquipmentException, EquipmentKind, Form, Grantor, Instant, Inventory,
    KnownProduct, Production, Purpose, Registry, Role, Scheme, Sector, Stake,
};

/// The ids of every rule of the shipped packs, in pack order; bit `i` of a
/// mask (a `u128`) is `RULES[i]`.
pub const RULES: [&str; 88] = [
    "baseline/permit-unless-forbidden",
    "uk-ncsc-2017/secret-and-above",
    "uk-ncsc-2017/secret-and-above-data-in-russia",
    "uk-ncsc-2017/national-security-assessed",
    "uk-ncsc-2017/national-security-departments",
    "uk-ncsc-2017/national-security-assessed-in-use",
    "uk-ncsc-2017/national-security-assessed-data-in-russia",
    "uk-ncsc-2017/reconsider-russian-controlled-2022",
    "uk-wms-2022-surveillance/sensitive-sites",
    "uk-wms-2022-surveillance/core-networks",
    "uk-wms-2022-surveillance/consider-removal-from-sensitive-sites",
    "uk-wms-2022-surveillance/consider-other-sites",
    "us-bod-17-01/kaspersky-security-products",
    "us-ndaa-1634/kaspersky",
    "us-ndaa-889/agency-telecom",
    "us-ndaa-889/agency-telecom-install",
    "us-ndaa-889/agency-video-surveillance",
    "us-ndaa-889/agency-video-surveillance-install",
    "us-ndaa-889/agency-hytera-hikvision-dahua-services",
    "us-ndaa-889/contractor-telecom",
    "us-ndaa-889/contractor-video-surveillance",
    "us-ndaa-889/contractor-hytera-hikvision-dahua-services",
    "us-icts-2024-kaspersky/new-transactions",
    "us-icts-2024-kaspersky/integrated-products",
    "us-icts-2024-kaspersky/provision",
    "us-icts-2024-kaspersky/updates",
    "us-fcc-54-9/huawei-zte",
    "us-fcc-54-9/components",
    "us-fcc-covered-list/huawei-zte",
    "us-fcc-covered-list/hytera-hikvision-dahua",
    "us-fcc-covered-list/kaspersky",
    "us-fcc-covered-list/kaspersky-embedded",
    "us-fcc-covered-list/china-mobile-international-usa",
    "us-fcc-covered-list/china-telecom-americas",
    "us-fcc-covered-list/pacific-networks-comnet",
    "us-fcc-covered-list/china-unicom-americas",
    "us-fcc-covered-list/kaspersky-lab-inc",
    "us-fcc-covered-list/kaspersky-lab-inc-integrated",
    "us-fcc-covered-list/uas",
    "us-fcc-covered-list/uas-critical-components-inside",
    "us-fcc-covered-list/dji-autel",
    "us-fcc-covered-list/routers",
    "us-fcc-covered-list/digitalsystem-technology",
    "us-fcc-covered-list/power-inverters",
    "us-fcc-covered-list/advanced-robotic-devices",
    "us-fcc-covered-list/production-unknown",
    "us-fcc-equipment-authorization/new-models",
    "us-fcc-equipment-authorization/authorisation-unknown",
    "us-fcc-equipment-authorization/production-unknown",
    "us-fcc-equipment-authorization/modifications",
    "us-fcc-equipment-authorization/no-lawful-updates",
    "us-asda-2023/procurement",
    "us-asda-2023/operation",
    "us-asda-2023/federal-funds",
    "us-asda-2023/far-52-240-1",
    "us-ofac-50/blocked-vendor",
    "au-pspf-002-2025/kaspersky",
    "de-bsi-2022/replace-kaspersky-antivirus",
    "lt-2017/kaspersky-new-use",
    "lt-2017/kaspersky-existing-use",
    "lt-2017/businesses-assess-risks",
    "nl-2018/national-government-antivirus",
    "nl-2018/national-government-antivirus-phase-out",
    "nl-2018/vital-sectors",
    "nl-2018/defence-contractors",
    "us-no-tiktok-act/agency-it",
    "us-far-52-204-27/contractor-it",
    "us-pafaca/distribution",
    "us-ndaa-6604/deepseek-ic-systems",
    "uk-tiktok-2023/government-devices",
    "eu-institutions-tiktok-2023/commission-installation",
    "eu-institutions-tiktok-2023/commission-non-compliant",
    "eu-institutions-tiktok-2023/parliament-corporate-devices",
    "eu-institutions-tiktok-2023/parliament-personal-devices",
    "eu-institutions-tiktok-2023/council-reported",
    "ca-tbs-2023-apps/tiktok",
    "ca-tbs-2023-apps/wechat-kaspersky",
    "ca-tbs-2023-apps/device-unknown",
    "au-pspf-001-2023/tiktok",
    "au-pspf-001-2025/deepseek",
    "nz-parliament-tiktok-2023/tiktok",
    "tw-moda-deepseek-2025/government",
    "tw-moda-deepseek-2025/critical-infrastructure",
    "cz-deepseek-2025/state-administration",
    "cz-deepseek-2025/nukib-warning",
    "kr-deepseek-2025/ministries",
    "it-garante-deepseek-2025/provider-restricted",
    "assurance/required-assurance",
];

const PERMIT: u128 = 1 << 0;
const UK_SECRET: u128 = 1 << 1;
const UK_SECRET_DATA: u128 = 1 << 2;
const UK_NATIONAL_SECURITY: u128 = 1 << 3;
const UK_NATIONAL_SECURITY_DEPARTMENTS: u128 = 1 << 4;
const UK_NATIONAL_SECURITY_IN_USE: u128 = 1 << 5;
const UK_NATIONAL_SECURITY_DATA: u128 = 1 << 6;
const UK_RECONSIDER_2022: u128 = 1 << 7;
const WMS_SENSITIVE_SITES: u128 = 1 << 8;
const WMS_CORE_NETWORKS: u128 = 1 << 9;
const WMS_CONSIDER_REMOVAL: u128 = 1 << 10;
const WMS_CONSIDER_OTHER_SITES: u128 = 1 << 11;
const BOD_17_01: u128 = 1 << 12;
const NDAA_1634: u128 = 1 << 13;
const AGENCY_TELECOM: u128 = 1 << 14;
const AGENCY_TELECOM_INSTALL: u128 = 1 << 15;
const AGENCY_VIDEO: u128 = 1 << 16;
const AGENCY_VIDEO_INSTALL: u128 = 1 << 17;
const AGENCY_SERVICES: u128 = 1 << 18;
const CONTRACTOR_TELECOM: u128 = 1 << 19;
const CONTRACTOR_VIDEO: u128 = 1 << 20;
const CONTRACTOR_SERVICES: u128 = 1 << 21;
const ICTS_NEW: u128 = 1 << 22;
const ICTS_INTEGRATED: u128 = 1 << 23;
const ICTS_PROVISION: u128 = 1 << 24;
const ICTS_UPDATES: u128 = 1 << 25;
const USF_HUAWEI_ZTE: u128 = 1 << 26;
const USF_COMPONENTS: u128 = 1 << 27;
const FCC_HUAWEI_ZTE: u128 = 1 << 28;
const FCC_HYTERA_HIKVISION_DAHUA: u128 = 1 << 29;
const FCC_KASPERSKY: u128 = 1 << 30;
const FCC_KASPERSKY_EMBEDDED: u128 = 1 << 31;
const FCC_CHINA_MOBILE: u128 = 1 << 32;
const FCC_CHINA_TELECOM: u128 = 1 << 33;
const FCC_PACIFIC_NETWORKS: u128 = 1 << 34;
const FCC_CHINA_UNICOM: u128 = 1 << 35;
const FCC_KLI: u128 = 1 << 36;
const FCC_KLI_INTEGRATED: u128 = 1 << 37;
const FCC_UAS: u128 = 1 << 38;
const FCC_UAS_COMPONENTS: u128 = 1 << 39;
const FCC_DJI_AUTEL: u128 = 1 << 40;
const FCC_ROUTERS: u128 = 1 << 41;
const FCC_DIGITALSYSTEM: u128 = 1 << 42;
const FCC_INVERTERS: u128 = 1 << 43;
const FCC_ROBOTS: u128 = 1 << 44;
const FCC_PRODUCTION_UNKNOWN: u128 = 1 << 45;
const EA_NEW_MODELS: u128 = 1 << 46;
const EA_AUTHORISATION_UNKNOWN: u128 = 1 << 47;
const EA_PRODUCTION_UNKNOWN: u128 = 1 << 48;
const EA_MODIFICATIONS: u128 = 1 << 49;
const EA_NO_LAWFUL_UPDATES: u128 = 1 << 50;
const ASDA_PROCUREMENT: u128 = 1 << 51;
const ASDA_OPERATION: u128 = 1 << 52;
const ASDA_FUNDS: u128 = 1 << 53;
const ASDA_FAR: u128 = 1 << 54;
const OFAC: u128 = 1 << 55;
const PSPF: u128 = 1 << 56;
const BSI: u128 = 1 << 57;
const LT_NEW_USE: u128 = 1 << 58;
const LT_EXISTING_USE: u128 = 1 << 59;
const LT_BUSINESSES: u128 = 1 << 60;
const NL_GOVERNMENT: u128 = 1 << 61;
const NL_PHASE_OUT: u128 = 1 << 62;
const NL_VITAL: u128 = 1 << 63;
const NL_DEFENCE_CONTRACTORS: u128 = 1 << 64;
const NO_TIKTOK_ACT: u128 = 1 << 65;
const FAR_52_204_27: u128 = 1 << 66;
const PAFACA: u128 = 1 << 67;
const NDAA_6604: u128 = 1 << 68;
const UK_TIKTOK: u128 = 1 << 69;
const EC_INSTALLATION: u128 = 1 << 70;
const EC_NON_COMPLIANT: u128 = 1 << 71;
const EP_CORPORATE_DEVICES: u128 = 1 << 72;
const EP_PERSONAL_DEVICES: u128 = 1 << 73;
const EU_COUNCIL: u128 = 1 << 74;
const CA_TIKTOK: u128 = 1 << 75;
const CA_WECHAT_KASPERSKY: u128 = 1 << 76;
const CA_DEVICE_UNKNOWN: u128 = 1 << 77;
const AU_TIKTOK: u128 = 1 << 78;
const AU_DEEPSEEK: u128 = 1 << 79;
const NZ_TIKTOK: u128 = 1 << 80;
const TW_GOVERNMENT: u128 = 1 << 81;
const TW_CRITICAL: u128 = 1 << 82;
const CZ_STATE_ADMINISTRATION: u128 = 1 << 83;
const CZ_NUKIB: u128 = 1 << 84;
const KR_MINISTRIES: u128 = 1 << 85;
const IT_GARANTE: u128 = 1 << 86;
const ASSURANCE: u128 = 1 << 87;

/// The section 889 rules binding agencies (s.889(a)(1)(A)), whose agency
/// heads' waivers are honoured through 13 August 2021; and those binding
/// contractors (s.889(a)(1)(B)), through 13 August 2022.
const AGENCY_889: u128 =
    AGENCY_TELECOM | AGENCY_TELECOM_INSTALL | AGENCY_VIDEO | AGENCY_VIDEO_INSTALL | AGENCY_SERVICES;
const CONTRACTOR_889: u128 = CONTRACTOR_TELECOM | CONTRACTOR_VIDEO | CONTRACTOR_SERVICES;

/// The waiver keys the packs test, and the rules testing each: (key, rules,
/// capped). A capped key, an agency head's waiver under section 889, is
/// honoured only before its rules' cap; the others whenever they are in
/// force. The `-install` rules test the keys of the rule they split from.
fn waiver_keys() -> Vec<(&'static str, u128, bool)> {
    vec![
        (
            "us-ndaa-889/agency-telecom",
            AGENCY_TELECOM | AGENCY_TELECOM_INSTALL,
            true,
        ),
        (
            "us-ndaa-889/agency-telecom/dni",
            AGENCY_TELECOM | AGENCY_TELECOM_INSTALL,
            false,
        ),
        (
            "us-ndaa-889/agency-video-surveillance",
            AGENCY_VIDEO | AGENCY_VIDEO_INSTALL,
            true,
        ),
        (
            "us-ndaa-889/agency-video-surveillance/dni",
            AGENCY_VIDEO | AGENCY_VIDEO_INSTALL,
            false,
        ),
        (
            "us-ndaa-889/agency-hytera-hikvision-dahua-services",
            AGENCY_SERVICES,
            true,
        ),
        (
            "us-ndaa-889/agency-hytera-hikvision-dahua-services/dni",
            AGENCY_SERVICES,
            false,
        ),
        ("us-ndaa-889/contractor-telecom", CONTRACTOR_TELECOM, true),
        (
            "us-ndaa-889/contractor-telecom/dni",
            CONTRACTOR_TELECOM,
            false,
        ),
        (
            "us-ndaa-889/contractor-video-surveillance",
            CONTRACTOR_VIDEO,
            true,
        ),
        (
            "us-ndaa-889/contractor-video-surveillance/dni",
            CONTRACTOR_VIDEO,
            false,
        ),
        (
            "us-ndaa-889/contractor-hytera-hikvision-dahua-services",
            CONTRACTOR_SERVICES,
            true,
        ),
        (
            "us-ndaa-889/contractor-hytera-hikvision-dahua-services/dni",
            CONTRACTOR_SERVICES,
            false,
        ),
        ("us-ofac-50/blocked-vendor", OFAC, false),
        ("au-pspf-002-2025/kaspersky", PSPF, false),
        ("us-no-tiktok-act/agency-it", NO_TIKTOK_ACT, false),
        ("us-far-52-204-27/contractor-it", FAR_52_204_27, false),
        ("us-pafaca/distribution", PAFACA, false),
        ("us-ndaa-6604/deepseek-ic-systems", NDAA_6604, false),
        ("uk-tiktok-2023/government-devices", UK_TIKTOK, false),
        ("au-pspf-001-2023/tiktok", AU_TIKTOK, false),
        ("au-pspf-001-2025/deepseek", AU_DEEPSEEK, false),
        ("nz-parliament-tiktok-2023/tiktok", NZ_TIKTOK, false),
        ("tw-moda-deepseek-2025/government", TW_GOVERNMENT, false),
        ("us-asda-2023/procurement", ASDA_PROCUREMENT, false),
        ("us-asda-2023/operation", ASDA_OPERATION, false),
        ("us-asda-2023/federal-funds", ASDA_FUNDS, false),
        ("us-asda-2023/far-52-240-1", ASDA_FAR, false),
    ]
}

// The instants the rules turn on, as the packs write them.
const NCSC_2017: &str = "2017-12-01T00:00:00Z";
const NCSC_2022: &str = "2022-03-28T23:00:00Z";
const WMS: &str = "2022-11-24T00:00:00Z";
const BOD: &str = "2017-12-12T05:00:00Z";
const NDAA_1634_FROM: &str = "2018-10-01T04:00:00Z";
const AGENCY_889_FROM: &str = "2019-08-13T04:00:00Z";
const AGENCY_889_CAP: &str = "2021-08-14T04:00:00Z";
const CONTRACTOR_889_FROM: &str = "2020-08-13T04:00:00Z";
const CONTRACTOR_889_CAP: &str = "2022-08-14T04:00:00Z";
const ICTS_NEW_FROM: &str = "2024-07-20T04:00:00Z";
const ICTS_WHITE_LABEL_FROM: &str = "2024-09-29T04:00:00Z";
const USF_54_9: &str = "2020-06-30T04:00:00Z";
const FCC_MAY_2021: &str = "2021-05-11T04:00:00Z";
const FCC_MAY_2022: &str = "2022-05-24T04:00:00Z";
const FCC_NOVEMBER_2022: &str = "2022-11-19T05:00:00Z";
const PSPF_FROM: &str = "2025-03-31T13:00:00Z";
const BSI_FROM: &str = "2022-03-14T23:00:00Z";
const LT_FROM: &str = "2017-12-19T22:00:00Z";
const NL_FROM: &str = "2018-05-13T22:00:00Z";
const NO_TIKTOK_ACT_FROM: &str = "2023-03-29T04:00:00Z";
const FAR_52_204_27_FROM: &str = "2023-06-02T04:00:00Z";
const PAFACA_FROM: &str = "2025-01-19T05:00:00Z";
const NDAA_6604_FROM: &str = "2026-02-16T05:00:00Z";
const UK_TIKTOK_FROM: &str = "2023-03-16T00:00:00Z";
/// The Commission's suspension, and the Council's reported measure.
const EC_SUSPENSION: &str = "2023-02-22T23:00:00Z";
const EC_NON_COMPLIANT_FROM: &str = "2023-03-14T23:00:00Z";
const EP_SUSPENSION: &str = "2023-03-19T23:00:00Z";
const CA_TIKTOK_FROM: &str = "2023-02-28T05:00:00Z";
const CA_WECHAT_KASPERSKY_FROM: &str = "2023-10-30T04:00:00Z";
const AU_TIKTOK_FROM: &str = "2023-04-03T14:00:00Z";
const AU_DEEPSEEK_FROM: &str = "2025-02-04T13:00:00Z";
const NZ_TIKTOK_FROM: &str = "2023-03-30T11:00:00Z";
const TW_DEEPSEEK_FROM: &str = "2025-01-30T16:00:00Z";
const CZ_BAN_FROM: &str = "2025-07-08T22:00:00Z";
const CZ_WARNING_FROM: &str = "2025-07-09T22:00:00Z";
const KR_DEEPSEEK_FROM: &str = "2025-02-04T15:00:00Z";
const IT_GARANTE_FROM: &str = "2025-01-29T23:00:00Z";
/// The FCC's 2024-2026 entries: listed, and barred to subsidies 60 days on.
const KLI_USF: &str = "2024-09-21T04:00:00Z";
/// UAS listed; the Drone Act's operation and funds bars start the same instant.
const DECEMBER_2025: &str = "2025-12-22T05:00:00Z";
const MODIFICATIONS_FROM: &str = "2025-12-26T05:00:00Z";
const UAS_EXCEPTIONS_FROM: &str = "2026-01-07T05:00:00Z";
const UAS_EXCEPTIONS_UNTIL: &str = "2028-01-01T05:00:00Z";
const UAS_USF: &str = "2026-02-20T05:00:00Z";
const ROUTERS_LISTED: &str = "2026-03-23T04:00:00Z";
const ROUTERS_USF: &str = "2026-05-22T04:00:00Z";
const TOY_DRONES_FROM: &str = "2026-06-15T04:00:00Z";
const INVERTERS_LISTED: &str = "2026-07-28T04:00:00Z";
const DIGITALSYSTEM_USF: &str = "2026-09-05T04:00:00Z";
const INVERTERS_USF: &str = "2026-09-26T04:00:00Z";
const UPDATE_WAIVER_UNTIL: &str = "2029-01-01T05:00:00Z";
const ASDA_FROM: &str = "2023-12-22T05:00:00Z";
const FAR_52_240_1_FROM: &str = "2024-11-12T05:00:00Z";
const ASDA_SUNSET: &str = "2028-12-22T05:00:00Z";

/// Every instant a rule of the shipped packs turns on (a start, or the end of
/// a waiver's cap), as the packs write it: the instants worth asking about,
/// and just before.
pub const INSTANTS: [&str; 53] = [
    NCSC_2017,
    NCSC_2022,
    WMS,
    BOD,
    NDAA_1634_FROM,
    AGENCY_889_FROM,
    AGENCY_889_CAP,
    CONTRACTOR_889_FROM,
    CONTRACTOR_889_CAP,
    ICTS_NEW_FROM,
    ICTS_WHITE_LABEL_FROM,
    USF_54_9,
    FCC_MAY_2021,
    FCC_MAY_2022,
    FCC_NOVEMBER_2022,
    PSPF_FROM,
    BSI_FROM,
    LT_FROM,
    NL_FROM,
    NO_TIKTOK_ACT_FROM,
    FAR_52_204_27_FROM,
    PAFACA_FROM,
    NDAA_6604_FROM,
    UK_TIKTOK_FROM,
    EC_SUSPENSION,
    EC_NON_COMPLIANT_FROM,
    EP_SUSPENSION,
    CA_TIKTOK_FROM,
    CA_WECHAT_KASPERSKY_FROM,
    AU_TIKTOK_FROM,
    AU_DEEPSEEK_FROM,
    NZ_TIKTOK_FROM,
    TW_DEEPSEEK_FROM,
    CZ_BAN_FROM,
    CZ_WARNING_FROM,
    KR_DEEPSEEK_FROM,
    IT_GARANTE_FROM,
    KLI_USF,
    DECEMBER_2025,
    MODIFICATIONS_FROM,
    UAS_EXCEPTIONS_FROM,
    UAS_EXCEPTIONS_UNTIL,
    UAS_USF,
    ROUTERS_LISTED,
    ROUTERS_USF,
    TOY_DRONES_FROM,
    INVERTERS_LISTED,
    DIGITALSYSTEM_USF,
    INVERTERS_USF,
    UPDATE_WAIVER_UNTIL,
    ASDA_FROM,
    FAR_52_240_1_FROM,
    ASDA_SUNSET,
];

/// One decision, as masks over [`RULES`] and the inventory's waivers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HandDecision {
    /// Allow, or Deny.
    pub allow: bool,
    /// The binding forbids that matched (Deny), or the permits (Allow).
    pub deciding: u128,
    /// The advice that matched.
    pub advice: u128,
    /// The waivers (bit = index in the inventory) that lifted a rule.
    pub waivers: u64,
}

fn ids(mask: u128) -> Vec<&'static str> {
    let mut ids: Vec<&'static str> = RULES
        .iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .map(|(_, id)| *id)
        .collect();
    ids.sort_unstable();
    ids
}

impl HandDecision {
    /// The deciding rules' ids, sorted.
    pub fn rule_ids(&self) -> Vec<&'static str> {
        ids(self.deciding)
    }

    /// The advice ids, sorted.
    pub fn advice_ids(&self) -> Vec<&'static str> {
        ids(self.advice)
    }

    /// The indices of the waivers used, ascending.
    pub fn waiver_indices(&self) -> Vec<usize> {
        (0..64).filter(|i| self.waivers & (1 << i) != 0).collect()
    }
}

/// Which kinds of covered equipment and services of one set of companies
/// (Huawei and ZTE, or Hytera, Hikvision and Dahua) a release is or has as a
/// substantial or essential component, by the category of each one's own
/// product: the release itself and every component reached only through
/// components marked neither nonessential.
#[derive(Clone, Copy, Default)]
struct Essential {
    /// Telecommunications equipment, whatever it can see.
    telecom: bool,
    /// Telecommunications equipment that can route, redirect or see user
    /// data (its own product's `userDataAccess`).
    user_data_telecom: bool,
    telecom_service: bool,
    video_surveillance: bool,
    video_surveillance_service: bool,
}

/// A release, as the rules see it during one epoch of the corporate structure.
#[derive(Clone)]
struct ReleaseFacts {
    category: Category,
    /// Its product is an information security product; is a service.
    information_security: bool,
    service: bool,
    /// Its own product's `thirdPartyInterconnection`.
    third_party_interconnection: bool,
    /// `dataCountries` / `serviceCountries` contain RU.
    data_ru: bool,
    service_ru: bool,
    /// `controlCountries` contains RU / CN.
    control_ru: bool,
    control_cn: bool,
    /// Its own vendor's group meets `[ao-kaspersky-lab, ooo-kaspersky-group]`,
    /// and `[kaspersky-lab-inc, ao-kaspersky-lab, ooo-kaspersky-group]`.
    vendor_kaspersky: bool,
    vendor_kaspersky_inc: bool,
    /// Its own vendor's group meets `[huawei, zte]`.
    vendor_huawei_zte: bool,
    /// Its own vendor's group holds China Mobile International (USA), China
    /// Telecom (Americas), Pacific Networks or ComNet (USA), China Unicom
    /// (Americas).
    vendor_china_mobile: bool,
    vendor_china_telecom: bool,
    vendor_pacific_networks: bool,
    vendor_china_unicom: bool,
    /// The groups of every vendor whose code it contains meet
    /// `[ao-kaspersky-lab, ooo-kaspersky-group]`; `[huawei, zte]`.
    code_kaspersky: bool,
    code_huawei_zte: bool,
    /// The groups of the companies holding a majority of a vendor whose code
    /// it contains meet `[ao-kaspersky-lab, ooo-kaspersky-group]`.
    code_majority_kaspersky: bool,
    /// Code of the three Kaspersky companies ICTS names, from an antivirus or
    /// security-software product (itself, or embedded at any depth).
    integrated_kaspersky: bool,
    /// Code of AO Kaspersky Lab's or OOO Kaspersky Group's groups from an
    /// information security product (itself, or embedded at any depth).
    embedded_kaspersky_security: bool,
    /// Huawei's and ZTE's groups; Hytera's, Hikvision's and Dahua's.
    huawei_zte: Essential,
    hytera_hikvision_dahua: Essential,
    /// Its own vendor is blocked.
    vendor_blocked: bool,
    /// Its own vendor is controlled by a foreign adversary (PAFACA's test).
    vendor_foreign_adversary: bool,
    /// Its own vendor's group holds ByteDance Ltd.; meets
    /// `[hangzhou-deepseek, beijing-deepseek]`.
    vendor_bytedance: bool,
    vendor_deepseek: bool,
    /// The product a law names its product as (`knownAs`).
    known_as: Option<KnownProduct>,
    /// Its form is `web` (an unknown form is not).
    web: bool,
    /// Authorisations covering this version: the levels they meet, and when they lapse.
    authorisations: Vec<(u64, Option<Instant>)>,
    /// Its own vendor is Kaspersky Lab, Inc. itself; it or a component is
    /// antivirus or security software of Kaspersky Lab, Inc. itself.
    vendor_kaspersky_lab_inc: bool,
    kaspersky_lab_inc_security_code: bool,
    /// It or a component is communications or video surveillance equipment
    /// or a service of DJI's or Autel's groups; its own vendor's group
    /// meets theirs; meets Digitalsystem Technology's.
    dji_autel_code: bool,
    vendor_dji_autel: bool,
    vendor_digitalsystem: bool,
    /// Its own vendor is on the Drone Act's list now.
    vendor_fasc: bool,
    equipment: EquipmentFacts,
}

/// A release as the FCC's equipment rules see it.
#[derive(Clone, Copy, Default)]
struct EquipmentFacts {
    kind: Option<EquipmentKind>,
    /// Some stage of its production is outside the US; every stage is given.
    abroad: bool,
    production_known: bool,
    /// Conditional Approvals in force, of its model or its producer.
    approved_dow: bool,
    approved_dhs: bool,
    /// On the Blue UAS list or a Buy American end product; a toy drone.
    blue_or_buy_american: bool,
    toy: bool,
    /// Its authorisation: granted on, not required, or unknown (neither).
    granted: Option<Instant>,
    not_required: bool,
    /// The UAS critical components it embeds holding no approval in force:
    /// those with no exception (some produced abroad; all fully known), and
    /// those on Blue UAS or Buy American.
    components_abroad: bool,
    components_known: bool,
    excepted_components_abroad: bool,
    excepted_components_known: bool,
}

struct SystemFacts {
    /// Its owner's country is one of these.
    gb: bool,
    us: bool,
    de: bool,
    lt: bool,
    nl: bool,
    ca: bool,
    tw: bool,
    cz: bool,
    kr: bool,
    it: bool,
    /// It is in the United States (where its owner is, unless it says).
    in_us: bool,
    /// The owner's sector.
    sector: Sector,
    /// Roles of the owner and every organisation above it.
    national_security_department: bool,
    federal_executive: bool,
    federal_branch: bool,
    federal_contractor: bool,
    commonwealth_entity: bool,
    usf_recipient: bool,
    defence_contractor: bool,
    intelligence_community: bool,
    app_store: bool,
    internet_hosting_provider: bool,
    european_commission: bool,
    council_of_the_eu: bool,
    european_parliament: bool,
    nz_parliament: bool,
    /// Any of serves-ukraine, cni-service-provider, high-profile,
    /// counter-russian-state-interests.
    ncsc_2022_role: bool,
    /// The organisation it is operated for, or one above that, is of the
    /// federal executive branch; of any branch.
    operated_for_federal_executive: bool,
    operated_for_federal_branch: bool,
    /// The organisation it is operated for, or one above that, is an element
    /// of the intelligence community.
    operated_for_intelligence_community: bool,
    /// What device it is (`None`: "unknown"), and whose.
    device: Option<Device>,
    device_owner: DeviceOwner,
    /// Its contracts carry FAR 52.204-27; FAR 52.240-1.
    far_52_204_27: bool,
    far_52_240_1: bool,
    /// Holds FCC equipment authorisations; receives federal funds.
    equipment_grantee: bool,
    federal_funds_recipient: bool,
    tier: i64,
    national_security: bool,
    national_security_system: bool,
    dod_ic_mission_critical: bool,
    sensitive_site: bool,
    core_network: bool,
    critical: bool,
    /// Any of the purposes section 889 names.
    purposes_889: bool,
    /// Any of the purposes that bring a contractor under s.1634.
    purposes_1634: bool,
    requires: u64,
}

struct WaiverFacts {
    /// The rules it names by a key honoured only before the rule's cap, and
    /// by a key honoured whenever the waiver is in force.
    capped: u128,
    free: u128,
    actions: Vec<Action>,
    from: Option<Instant>,
    until: Instant,
    systems: Vec<bool>,
}

/// What holds from one instant until the next change of the structure.
struct Epoch {
    from: Instant,
    releases: Vec<ReleaseFacts>,
    /// For each waiver, whether its scope takes in each release.
    waiver_releases: Vec<Vec<bool>>,
}

/// The dates the rules turn on, as booleans for one instant.
struct Gates {
    ncsc_2017: bool,
    ncsc_2022: bool,
    wms: bool,
    bod: bool,
    ndaa_1634: bool,
    agency_889: bool,
    contractor_889: bool,
    icts_new: bool,
    icts_white_label: bool,
    usf_54_9: bool,
    fcc_may_2021: bool,
    fcc_may_2022: bool,
    fcc_november_2022: bool,
    pspf: bool,
    bsi: bool,
    lt: bool,
    nl: bool,
    no_tiktok_act: bool,
    far_52_204_27: bool,
    pafaca: bool,
    ndaa_6604: bool,
    uk_tiktok: bool,
    ec_suspension: bool,
    ec_non_compliant: bool,
    ep_suspension: bool,
    ca_tiktok: bool,
    ca_wechat_kaspersky: bool,
    au_tiktok: bool,
    au_deepseek: bool,
    nz_tiktok: bool,
    tw_deepseek: bool,
    cz_ban: bool,
    cz_warning: bool,
    kr_deepseek: bool,
    it_garante: bool,
    kli_usf: bool,
    december_2025: bool,
    modifications: bool,
    /// Blue UAS and Buy American exceptions in force.
    uas_exceptions: bool,
    uas_usf: bool,
    routers_listed: bool,
    routers_usf: bool,
    toy_drones: bool,
    inverters_listed: bool,
    digitalsystem_usf: bool,
    inverters_usf: bool,
    /// The OET's update waiver for drones and routers still runs.
    update_waiver: bool,
    asda: bool,
    far_52_240_1: bool,
    asda_sunset: bool,
    /// The rules whose capped waivers are still honoured.
    cap_open: u128,
}

impl Gates {
    fn at(now: Instant) -> Gates {
        let on = |instant: &str| now >= instant.parse::<Instant>().expect("a valid instant");
        let mut cap_open = 0;
        if !on(AGENCY_889_CAP) {
            cap_open |= AGENCY_889;
        }
        if !on(CONTRACTOR_889_CAP) {
            cap_open |= CONTRACTOR_889;
        }
        Gates {
            ncsc_2017: on(NCSC_2017),
            ncsc_2022: on(NCSC_2022),
            wms: on(WMS),
            bod: on(BOD),
            ndaa_1634: on(NDAA_1634_FROM),
            agency_889: on(AGENCY_889_FROM),
            contractor_889: on(CONTRACTOR_889_FROM),
            icts_new: on(ICTS_NEW_FROM),
            icts_white_label: on(ICTS_WHITE_LABEL_FROM),
            usf_54_9: on(USF_54_9),
            fcc_may_2021: on(FCC_MAY_2021),
            fcc_may_2022: on(FCC_MAY_2022),
            fcc_november_2022: on(FCC_NOVEMBER_2022),
            pspf: on(PSPF_FROM),
            bsi: on(BSI_FROM),
            lt: on(LT_FROM),
            nl: on(NL_FROM),
            no_tiktok_act: on(NO_TIKTOK_ACT_FROM),
            far_52_204_27: on(FAR_52_204_27_FROM),
            pafaca: on(PAFACA_FROM),
            ndaa_6604: on(NDAA_6604_FROM),
            uk_tiktok: on(UK_TIKTOK_FROM),
            ec_suspension: on(EC_SUSPENSION),
            ec_non_compliant: on(EC_NON_COMPLIANT_FROM),
            ep_suspension: on(EP_SUSPENSION),
            ca_tiktok: on(CA_TIKTOK_FROM),
            ca_wechat_kaspersky: on(CA_WECHAT_KASPERSKY_FROM),
            au_tiktok: on(AU_TIKTOK_FROM),
            au_deepseek: on(AU_DEEPSEEK_FROM),
            nz_tiktok: on(NZ_TIKTOK_FROM),
            tw_deepseek: on(TW_DEEPSEEK_FROM),
            cz_ban: on(CZ_BAN_FROM),
            cz_warning: on(CZ_WARNING_FROM),
            kr_deepseek: on(KR_DEEPSEEK_FROM),
            it_garante: on(IT_GARANTE_FROM),
            kli_usf: on(KLI_USF),
            december_2025: on(DECEMBER_2025),
            modifications: on(MODIFICATIONS_FROM),
            uas_exceptions: on(UAS_EXCEPTIONS_FROM) && !on(UAS_EXCEPTIONS_UNTIL),
            uas_usf: on(UAS_USF),
            routers_listed: on(ROUTERS_LISTED),
            routers_usf: on(ROUTERS_USF),
            toy_drones: on(TOY_DRONES_FROM),
            inverters_listed: on(INVERTERS_LISTED),
            digitalsystem_usf: on(DIGITALSYSTEM_USF),
            inverters_usf: on(INVERTERS_USF),
            update_waiver: !on(UPDATE_WAIVER_UNTIL),
            asda: on(ASDA_FROM),
            far_52_240_1: on(FAR_52_240_1_FROM),
            asda_sunset: on(ASDA_SUNSET),
            cap_open,
        }
    }

    /// The rules a waiver's keys lift at this instant.
    fn lifted_by(&self, capped: u128, free: u128) -> u128 {
        free | (capped & self.cap_open)
    }
}

/// An assurance level as one bit; a set of levels as a mask.
fn level_bit(level: Assurance) -> u64 {
    let scheme = Scheme::ALL
        .iter()
        .position(|s| *s == level.scheme())
        .expect("a known scheme");
    let rank = level
        .scheme()
        .levels()
        .iter()
        .position(|l| *l == level.level())
        .expect("a known level");
    1 << (scheme * 8 + rank)
}

/// "Information security products, solutions, and services", as the schema
/// says this project reads them (BOD 17-01, the FCC's Kaspersky entry).
fn information_security(category: Category) -> bool {
    use Category::*;
    match category {
        Antivirus | SecuritySoftware | ThreatIntelligence | SecurityTraining
        | SecurityConsulting => true,
        Telecom
        | TelecomService
        | VideoSurveillance
        | VideoSurveillanceService
        | CloudService
        | AiModel
        | Software => false,
    }
}

/// A service rather than equipment or software, as the schema lists them.
fn service(category: Category) -> bool {
    use Category::*;
    match category {
        ThreatIntelligence
        | SecurityTraining
        | SecurityConsulting
        | TelecomService
        | VideoSurveillanceService
        | CloudService => true,
        Antivirus | SecuritySoftware | Telecom | VideoSurveillance | AiModel | Software => false,
    }
}

/// A vendor or a party, with the stakes held in it.
struct Company {
    vendor: bool,
    /// Incorporation and headquarters for a vendor; its country, if known,
    /// for a party.
    countries: Vec<Country>,
    stakes: Vec<Stake>,
    designated: Option<(Option<Instant>, Option<Instant>)>,
}

/// The foreign adversary countries PAFACA names (10 U.S.C. 4872(d)(2)):
/// China, Russia, North Korea, Iran.
const FOREIGN_ADVERSARY_COUNTRIES: [&str; 4] = ["CN", "RU", "KP", "IR"];

fn in_force(from: Option<Instant>, until: Option<Instant>, at: Instant) -> bool {
    from.is_none_or(|from| from <= at) && until.is_none_or(|until| at < until)
}

/// The corporate structure at one instant, worked out the long way.
struct Structure {
    /// For each company, every company controlling it, at any depth.
    controllers: Vec<BTreeSet<usize>>,
    /// For each company, the vendors of its group.
    group: Vec<BTreeSet<usize>>,
    /// For each company, the vendors of the groups of every company (vendor
    /// or party) holding over 50% of it.
    majority_owner_groups: Vec<BTreeSet<usize>>,
    blocked: Vec<bool>,
    /// For each company, whether it is controlled by a foreign adversary.
    foreign_adversary: Vec<bool>,
    /// For each company, its countries and those of everything controlling it.
    control_countries: Vec<BTreeSet<Country>>,
}

impl Structure {
    fn at(companies: &[Company], index: &HashMap<&str, usize>, at: Instant) -> Structure {
        let n = companies.len();
        // (owner, share in basis points, controls), in force.
        let stakes: Vec<Vec<(usize, Option<u32>, bool)>> = companies
            .iter()
            .map(|c| {
                c.stakes
                    .iter()
                    .filter(|s| in_force(s.from, s.until, at))
                    .map(|s| {
                        (
                            index[s.owner.as_str()],
                            s.share.map(|share| share.basis_points()),
                            s.controls,
                        )
                    })
                    .collect()
            })
            .collect();

        // Upwards along controlling stakes.
        let controllers: Vec<BTreeSet<usize>> = (0..n)
            .map(|c| {
                let mut seen = BTreeSet::new();
                let mut stack = vec![c];
                while let Some(x) = stack.pop() {
                    for &(owner, _, controls) in &stakes[x] {
                        if controls && seen.insert(owner) {
                            stack.push(owner);
                        }
                    }
                }
                seen
            })
            .collect();

        // Connected by control, either way.
        let mut neighbours: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (c, held) in stakes.iter().enumerate() {
            for &(owner, _, controls) in held {
                if controls {
                    neighbours[c].push(owner);
                    neighbours[owner].push(c);
                }
            }
        }
        let group: Vec<BTreeSet<usize>> = (0..n)
            .map(|c| {
                let mut seen = BTreeSet::from([c]);
                let mut stack = vec![c];
                while let Some(x) = stack.pop() {
                    for &y in &neighbours[x] {
                        if seen.insert(y) {
                            stack.push(y);
                        }
                    }
                }
                seen.into_iter().filter(|&m| companies[m].vendor).collect()
            })
            .collect();

        // A company's holding in another: its own stakes, and those of the
        // companies it controls. Whoever holds over half, vendor or party,
        // brings in its whole group.
        let majority_owner_groups: Vec<BTreeSet<usize>> = (0..n)
            .map(|owned| {
                (0..n)
                    .filter(|&holder| {
                        let held: u32 = stakes[owned]
                            .iter()
                            .filter(|(owner, _, _)| {
                                *owner == holder || controllers[*owner].contains(&holder)
                            })
                            .filter_map(|(_, share, _)| *share)
                            .sum();
                        held > 5_000
                    })
                    .flat_map(|holder| group[holder].iter().copied())
                    .collect()
            })
            .collect();

        // Designated, or 50% or more held by blocked owners: to a fixed point.
        let mut blocked: Vec<bool> = companies
            .iter()
            .map(|c| c.designated.is_some_and(|(f, u)| in_force(f, u, at)))
            .collect();
        loop {
            let next: Vec<bool> = (0..n)
                .map(|c| {
                    blocked[c]
                        || stakes[c]
                            .iter()
                            .filter(|(owner, _, _)| blocked[*owner])
                            .filter_map(|(_, share, _)| *share)
                            .sum::<u32>()
                            >= 5_000
                })
                .collect();
            if next == blocked {
                break;
            }
            blocked = next;
        }

        // PAFACA's "controlled by a foreign adversary": of a foreign
        // adversary country itself (incorporated or headquartered there, or,
        // for a party, of it); held 20% or more in aggregate by owners that
        // are; or controlled by one that is. To a fixed point, so that a
        // stake held through a company that is counts in full.
        let mut foreign_adversary: Vec<bool> = companies
            .iter()
            .map(|c| {
                c.countries
                    .iter()
                    .any(|country| FOREIGN_ADVERSARY_COUNTRIES.contains(&country.code()))
            })
            .collect();
        loop {
            let next: Vec<bool> = (0..n)
                .map(|c| {
                    foreign_adversary[c]
                        || stakes[c]
                            .iter()
                            .any(|(owner, _, controls)| *controls && foreign_adversary[*owner])
                        || stakes[c]
                            .iter()
                            .filter(|(owner, _, _)| foreign_adversary[*owner])
                            .filter_map(|(_, share, _)| *share)
                            .sum::<u32>()
                            >= 2_000
                })
                .collect();
            if next == foreign_adversary {
                break;
            }
            foreign_adversary = next;
        }

        let control_countries = (0..n)
            .map(|c| {
                std::iter::once(c)
                    .chain(controllers[c].iter().copied())
                    .flat_map(|x| companies[x].countries.iter().copied())
                    .collect()
            })
            .collect();

        Structure {
            controllers,
            group,
            majority_owner_groups,
            blocked,
            foreign_adversary,
            control_countries,
        }
    }
}

/// The shipped packs' rules over precomputed facts of one inventory.
pub struct HandWritten {
    /// By the instant each starts, ascending; the first from the beginning of time.
    epochs: Vec<Epoch>,
    systems: Vec<SystemFacts>,
    waivers: Vec<WaiverFacts>,
    release_index: HashMap<String, usize>,
    system_index: HashMap<String, usize>,
}

impl HandWritten {
    /// Precomputes the facts of a validated inventory (with the shipped
    /// registry's companies added, if it uses the registry).
    pub fn new(inventory: &Inventory) -> HandWritten {
        assert!(inventory.waivers.len() <= 64, "waivers are a u64 mask");
        let index = |ids: Vec<&str>| -> HashMap<String, usize> {
            ids.into_iter()
                .enumerate()
                .map(|(i, id)| (id.to_owned(), i))
                .collect()
        };

        // The companies: vendors, then parties.
        let mut vendors: Vec<&clearance::Vendor> = inventory.vendors.iter().collect();
        let mut parties: Vec<&clearance::Party> = inventory.parties.iter().collect();
        if inventory.registry {
            let registry = Registry::shipped();
            vendors.retain(|v| !registry.contains(v.id.as_str()));
            parties.retain(|p| !registry.contains(p.id.as_str()));
            vendors.extend(registry.vendors());
            parties.extend(registry.parties());
        }
        let companies: Vec<Company> = vendors
            .iter()
            .map(|v| Company {
                vendor: true,
                countries: vec![v.incorporated, v.headquarters],
                stakes: v.stakes().map(|s| s.into_owned()).collect(),
                designated: v.blocked.as_ref().map(|b| (b.from, b.until)),
            })
            .chain(parties.iter().map(|p| Company {
                vendor: false,
                countries: p.country.into_iter().collect(),
                stakes: p.stakes().map(|s| s.into_owned()).collect(),
                designated: p.blocked.as_ref().map(|b| (b.from, b.until)),
            }))
            .collect();
        let company_index: HashMap<&str, usize> = vendors
            .iter()
            .map(|v| v.id.as_str())
            .chain(parties.iter().map(|p| p.id.as_str()))
            .enumerate()
            .map(|(i, id)| (id, i))
            .collect();
        let product_index = index(inventory.products.iter().map(|p| p.id.as_str()).collect());
        let release_index = index(inventory.releases.iter().map(|r| r.id.as_str()).collect());
        let organisation_index = index(
            inventory
                .organisations
                .iter()
                .map(|o| o.id.as_str())
                .collect(),
        );
        let system_index = index(inventory.systems.iter().map(|s| s.id.as_str()).collect());

        // The vendors the rules name (only vendors: `Vendor::"..."`).
        let named = |names: &[&str]| -> Vec<usize> {
            names
                .iter()
                .filter_map(|n| company_index.get(n).copied())
                .filter(|&c| companies[c].vendor)
                .collect()
        };
        let kaspersky = named(&["ao-kaspersky-lab", "ooo-kaspersky-group"]);
        let kaspersky_inc = named(&[
            "kaspersky-lab-inc",
            "ao-kaspersky-lab",
            "ooo-kaspersky-group",
        ]);
        let huawei_zte = named(&["huawei", "zte"]);
        let hytera_hikvision_dahua = named(&["hytera", "hikvision", "dahua"]);
        let china_mobile = named(&["china-mobile-international-usa"]);
        let china_telecom = named(&["china-telecom-americas"]);
        let pacific_networks = named(&["pacific-networks", "comnet-usa"]);
        let china_unicom = named(&["china-unicom-americas"]);
        let bytedance = named(&["bytedance-ltd"]);
        let deepseek = named(&["hangzhou-deepseek", "beijing-deepseek"]);
        let dji_autel = named(&["sz-dji-technology", "autel-robotics"]);
        let digitalsystem = named(&["digitalsystem-technology"]);
        let kaspersky_lab_inc = named(&["kaspersky-lab-inc"]);
        let ru: Country = "RU".parse().expect("a country");
        let cn: Country = "CN".parse().expect("a country");

        let product_of =
            |r: usize| &inventory.products[product_index[inventory.releases[r].product.as_str()]];
        let vendor_of_release = |r: usize| company_index[product_of(r).vendor.as_str()];
        // Every release embedded, at any depth; with `essential`, only through
        // components each embedder does not mark as nonessential.
        let embedded = |r: usize, essential: bool| -> BTreeSet<usize> {
            let parts = |r: usize| -> Vec<usize> {
                let release = &inventory.releases[r];
                release
                    .components
                    .iter()
                    .filter(|c| !(essential && release.nonessential_components.contains(*c)))
                    .map(|c| release_index[c.as_str()])
                    .collect()
            };
            let mut seen = BTreeSet::new();
            let mut stack = parts(r);
            while let Some(next) = stack.pop() {
                if seen.insert(next) {
                    stack.extend(parts(next));
                }
            }
            seen
        };
        let everything: Vec<BTreeSet<usize>> = (0..inventory.releases.len())
            .map(|r| embedded(r, false))
            .collect();
        let essential: Vec<BTreeSet<usize>> = (0..inventory.releases.len())
            .map(|r| embedded(r, true))
            .collect();

        // Every instant at which the structure may change.
        let mut starts: BTreeSet<Instant> = BTreeSet::from([Instant::MIN]);
        for company in &companies {
            for stake in &company.stakes {
                starts.extend(stake.from);
                starts.extend(stake.until);
            }
            if let Some((from, until)) = company.designated {
                starts.extend(from);
                starts.extend(until);
            }
        }
        // Listings and Conditional Approvals change what releases show.
        for vendor in &vendors {
            for listing in &vendor.listed {
                starts.extend(listing.from);
                starts.extend(listing.until);
            }
        }
        let approvals = vendors.iter().flat_map(|v| &v.conditional_approvals).chain(
            inventory
                .products
                .iter()
                .filter_map(|p| p.equipment.as_ref())
                .flat_map(|e| &e.conditional_approvals),
        );
        for approval in approvals {
            starts.insert(approval.from);
            starts.extend(approval.until);
        }

        // What the FCC's equipment rules read of a release at an instant.
        let approved = |r: usize, at: Instant| -> (bool, bool) {
            let product = product_of(r);
            let in_force: Vec<Grantor> = product
                .equipment
                .iter()
                .flat_map(|e| &e.conditional_approvals)
                .chain(&vendors[vendor_of_release(r)].conditional_approvals)
                .filter(|a| in_force(Some(a.from), a.until, at))
                .map(|a| a.by)
                .collect();
            (
                in_force.contains(&Grantor::Dow),
                in_force.contains(&Grantor::Dhs),
            )
        };
        let production = |r: usize| -> Option<&Production> {
            inventory.releases[r]
                .production
                .as_ref()
                .or_else(|| product_of(r).equipment.as_ref()?.production.as_ref())
        };
        let abroad =
            |p: Option<&Production>| p.is_some_and(|p| p.countries().any(|c| c.code() != "US"));
        let known = |p: Option<&Production>| p.is_some_and(Production::is_complete);
        // The UAS critical components a release embeds, at any depth, that
        // hold no Conditional Approval at an instant.
        let components = |r: usize, at: Instant| -> EquipmentFacts {
            let mut facts = EquipmentFacts {
                components_known: true,
                excepted_components_known: true,
                ..EquipmentFacts::default()
            };
            for &c in &everything[r] {
                let Some(equipment) = product_of(c).equipment.as_ref() else {
                    continue;
                };
                if equipment.kind != Some(EquipmentKind::UasCriticalComponent)
                    || approved(c, at) != (false, false)
                {
                    continue;
                }
                let excepted = equipment.exceptions.contains(&EquipmentException::BlueUas)
                    || equipment
                        .exceptions
                        .contains(&EquipmentException::BuyAmerican);
                if excepted {
                    facts.excepted_components_abroad |= abroad(production(c));
                    facts.excepted_components_known &= known(production(c));
                } else {
                    facts.components_abroad |= abroad(production(c));
                    facts.components_known &= known(production(c));
                }
            }
            facts
        };
        let equipment_facts = |r: usize, at: Instant| -> EquipmentFacts {
            let Some(equipment) = product_of(r).equipment.as_ref() else {
                return components(r, at);
            };
            let (approved_dow, approved_dhs) = approved(r, at);
            EquipmentFacts {
                kind: equipment.kind,
                abroad: abroad(production(r)),
                production_known: known(production(r)),
                approved_dow,
                approved_dhs,
                blue_or_buy_american: equipment.exceptions.contains(&EquipmentException::BlueUas)
                    || equipment
                        .exceptions
                        .contains(&EquipmentException::BuyAmerican),
                toy: equipment.exceptions.contains(&EquipmentException::ToyDrone),
                granted: match equipment.authorisation {
                    Some(EquipmentAuthorisation::Granted(on)) => Some(on),
                    _ => None,
                },
                not_required: equipment.authorisation == Some(EquipmentAuthorisation::NotRequired),
                ..components(r, at)
            }
        };
        let epochs = starts
            .into_iter()
            .map(|from| {
                let structure = Structure::at(&companies, &company_index, from);
                let meets =
                    |set: &BTreeSet<usize>, names: &[usize]| names.iter().any(|n| set.contains(n));
                // Each vendor whose code a release contains, and the vendors
                // controlling them (what a waiver's vendors are matched against).
                let mut code_vendors_of: Vec<BTreeSet<usize>> = Vec::new();
                let releases = (0..inventory.releases.len())
                    .map(|r| {
                        let release = &inventory.releases[r];
                        let product = product_of(r);
                        let own = vendor_of_release(r);
                        let code: BTreeSet<usize> = std::iter::once(own)
                            .chain(everything[r].iter().map(|&e| vendor_of_release(e)))
                            .collect();
                        code_vendors_of.push(
                            code.iter()
                                .flat_map(|&v| {
                                    std::iter::once(v).chain(
                                        structure.controllers[v]
                                            .iter()
                                            .copied()
                                            .filter(|&c| companies[c].vendor),
                                    )
                                })
                                .collect(),
                        );
                        let code_groups: BTreeSet<usize> = code
                            .iter()
                            .flat_map(|&v| structure.group[v].iter().copied())
                            .collect();
                        let majority_owner_groups: BTreeSet<usize> = code
                            .iter()
                            .flat_map(|&v| structure.majority_owner_groups[v].iter().copied())
                            .collect();
                        let control_countries: BTreeSet<Country> = code
                            .iter()
                            .flat_map(|&v| structure.control_countries[v].iter().copied())
                            .collect();
                        // Whether this release, or one of `components`, whose
                        // own product passes `kind`, is of a vendor whose
                        // group meets `names`.
                        let any_of = |components: &BTreeSet<usize>,
                                      kind: &dyn Fn(&clearance::Product) -> bool,
                                      names: &[usize]|
                         -> bool {
                            std::iter::once(r)
                                .chain(components.iter().copied())
                                .filter(|&c| kind(product_of(c)))
                                .any(|c| meets(&structure.group[vendor_of_release(c)], names))
                        };
                        let category = |categories: &'static [Category]| {
                            move |p: &clearance::Product| categories.contains(&p.category)
                        };
                        let covered = |names: &[usize]| Essential {
                            telecom: any_of(&essential[r], &category(&[Category::Telecom]), names),
                            user_data_telecom: any_of(
                                &essential[r],
                                &|p: &clearance::Product| {
                                    p.category == Category::Telecom && p.user_data_access
                                },
                                names,
                            ),
                            telecom_service: any_of(
                                &essential[r],
                                &category(&[Category::TelecomService]),
                                names,
                            ),
                            video_surveillance: any_of(
                                &essential[r],
                                &category(&[Category::VideoSurveillance]),
                                names,
                            ),
                            video_surveillance_service: any_of(
                                &essential[r],
                                &category(&[Category::VideoSurveillanceService]),
                                names,
                            ),
                        };
                        let own_group = &structure.group[own];
                        let exactly = |names: &[usize], categories: &[Category]| {
                            std::iter::once(r)
                                .chain(everything[r].iter().copied())
                                .filter(|&c| categories.contains(&product_of(c).category))
                                .any(|c| names.contains(&vendor_of_release(c)))
                        };
                        ReleaseFacts {
                            vendor_kaspersky_lab_inc: kaspersky_lab_inc.contains(&own),
                            kaspersky_lab_inc_security_code: exactly(
                                &kaspersky_lab_inc,
                                &[Category::Antivirus, Category::SecuritySoftware],
                            ),
                            dji_autel_code: any_of(
                                &everything[r],
                                &category(&[
                                    Category::Telecom,
                                    Category::TelecomService,
                                    Category::VideoSurveillance,
                                    Category::VideoSurveillanceService,
                                ]),
                                &dji_autel,
                            ),
                            vendor_dji_autel: meets(own_group, &dji_autel),
                            vendor_digitalsystem: meets(own_group, &digitalsystem),
                            vendor_fasc: vendors[own].listed.iter().any(|l| {
                                l.list.as_str() == "fasc-asda" && in_force(l.from, l.until, from)
                            }),
                            equipment: equipment_facts(r, from),
                            category: product.category,
                            information_security: information_security(product.category),
                            service: service(product.category),
                            third_party_interconnection: product.third_party_interconnection,
                            data_ru: release.data_countries.contains(&ru),
                            service_ru: release.service_countries.contains(&ru),
                            control_ru: control_countries.contains(&ru),
                            control_cn: control_countries.contains(&cn),
                            vendor_kaspersky: meets(own_group, &kaspersky),
                            vendor_kaspersky_inc: meets(own_group, &kaspersky_inc),
                            vendor_huawei_zte: meets(own_group, &huawei_zte),
                            vendor_china_mobile: meets(own_group, &china_mobile),
                            vendor_china_telecom: meets(own_group, &china_telecom),
                            vendor_pacific_networks: meets(own_group, &pacific_networks),
                            vendor_china_unicom: meets(own_group, &china_unicom),
                            code_kaspersky: meets(&code_groups, &kaspersky),
                            code_huawei_zte: meets(&code_groups, &huawei_zte),
                            code_majority_kaspersky: meets(&majority_owner_groups, &kaspersky),
                            integrated_kaspersky: any_of(
                                &everything[r],
                                &category(&[Category::Antivirus, Category::SecuritySoftware]),
                                &kaspersky_inc,
                            ),
                            embedded_kaspersky_security: any_of(
                                &everything[r],
                                &|p: &clearance::Product| information_security(p.category),
                                &kaspersky,
                            ),
                            huawei_zte: covered(&huawei_zte),
                            hytera_hikvision_dahua: covered(&hytera_hikvision_dahua),
                            vendor_blocked: structure.blocked[own],
                            vendor_foreign_adversary: structure.foreign_adversary[own],
                            vendor_bytedance: meets(own_group, &bytedance),
                            vendor_deepseek: meets(own_group, &deepseek),
                            known_as: product.known_as,
                            web: release.form == Some(Form::Web),
                            authorisations: inventory
                                .authorisations
                                .iter()
                                .filter(|a| {
                                    a.product == release.product
                                        && a.versions.matches(&release.version)
                                })
                                .map(|a| {
                                    let levels =
                                        a.assurance.and_below().map(level_bit).sum::<u64>();
                                    (levels, a.lapses)
                                })
                                .collect(),
                        }
                    })
                    .collect();
                let waiver_releases = inventory
                    .waivers
                    .iter()
                    .map(|w| {
                        let vendors: BTreeSet<usize> = w
                            .vendors
                            .iter()
                            .map(|v| company_index[v.as_str()])
                            .collect();
                        inventory
                            .releases
                            .iter()
                            .zip(&code_vendors_of)
                            .map(|(r, code)| {
                                w.products.contains(&r.product) || !vendors.is_disjoint(code)
                            })
                            .collect()
                    })
                    .collect();
                Epoch {
                    from,
                    releases,
                    waiver_releases,
                }
            })
            .collect();

        // An organisation and every one above it.
        let line = |first: usize| -> Vec<usize> {
            let mut line = vec![first];
            let mut at = first;
            while let Some(up) = &inventory.organisations[at].parent {
                at = organisation_index[up.as_str()];
                line.push(at);
            }
            line
        };
        let roles_of = |line: &[usize]| -> BTreeSet<Role> {
            line.iter()
                .flat_map(|&o| inventory.organisations[o].roles.iter().copied())
                .collect()
        };
        let mut organisations_of = Vec::with_capacity(inventory.systems.len());
        let systems = inventory
            .systems
            .iter()
            .map(|system| {
                let owner = organisation_index[system.owner.as_str()];
                let organisations = line(owner);
                let roles = roles_of(&organisations);
                let operated_for = system
                    .operated_for
                    .as_ref()
                    .map(|o| roles_of(&line(organisation_index[o.as_str()])))
                    .unwrap_or_default();
                organisations_of.push(organisations);
                let has = |role: Role| roles.contains(&role);
                let country = inventory.organisations[owner].country;
                let location = system.location.unwrap_or(country);
                SystemFacts {
                    gb: country.code() == "GB",
                    us: country.code() == "US",
                    de: country.code() == "DE",
                    lt: country.code() == "LT",
                    nl: country.code() == "NL",
                    ca: country.code() == "CA",
                    tw: country.code() == "TW",
                    cz: country.code() == "CZ",
                    kr: country.code() == "KR",
                    it: country.code() == "IT",
                    in_us: location.code() == "US",
                    sector: inventory.organisations[owner].sector,
                    national_security_department: has(Role::NationalSecurityDepartment),
                    federal_executive: has(Role::FederalExecutiveBranch),
                    federal_branch: has(Role::FederalExecutiveBranch)
                        || has(Role::FederalLegislativeBranch)
                        || has(Role::FederalJudicialBranch),
                    federal_contractor: has(Role::FederalContractor),
                    commonwealth_entity: has(Role::NonCorporateCommonwealthEntity),
                    usf_recipient: has(Role::UsfRecipient),
                    defence_contractor: has(Role::DefenceContractor),
                    intelligence_community: has(Role::IntelligenceCommunity),
                    app_store: has(Role::AppStore),
                    internet_hosting_provider: has(Role::InternetHostingProvider),
                    european_commission: has(Role::EuropeanCommission),
                    council_of_the_eu: has(Role::CouncilOfTheEu),
                    european_parliament: has(Role::EuropeanParliament),
                    nz_parliament: has(Role::NzParliament),
                    ncsc_2022_role: has(Role::ServesUkraine)
                        || has(Role::CniServiceProvider)
                        || has(Role::HighProfile)
                        || has(Role::CounterRussianStateInterests),
                    operated_for_federal_executive: operated_for
                        .contains(&Role::FederalExecutiveBranch),
                    operated_for_federal_branch: operated_for
                        .contains(&Role::FederalExecutiveBranch)
                        || operated_for.contains(&Role::FederalLegislativeBranch)
                        || operated_for.contains(&Role::FederalJudicialBranch),
                    operated_for_intelligence_community: operated_for
                        .contains(&Role::IntelligenceCommunity),
                    device: system.device,
                    device_owner: system.device_owner,
                    far_52_204_27: system
                        .contract_clauses
                        .contains(&ContractClause::Far52_204_27),
                    far_52_240_1: system
                        .contract_clauses
                        .contains(&ContractClause::Far52_240_1),
                    equipment_grantee: has(Role::EquipmentGrantee),
                    federal_funds_recipient: has(Role::FederalFundsRecipient),
                    tier: system.classification.rank(),
                    national_security: system.national_security,
                    national_security_system: system.national_security_system,
                    dod_ic_mission_critical: system.dod_ic_mission_critical,
                    sensitive_site: system.sensitive_site,
                    core_network: system.core_network,
                    critical: system.critical,
                    purposes_889: system.purposes.iter().any(|p| {
                        matches!(
                            p,
                            Purpose::PublicSafety
                                | Purpose::GovernmentFacilitySecurity
                                | Purpose::CriticalInfrastructureSurveillance
                                | Purpose::NationalSecurity
                        )
                    }),
                    purposes_1634: system.purposes.iter().any(|p| {
                        matches!(
                            p,
                            Purpose::SuppliedToFederalGovernment
                                | Purpose::FederalContractDeliverables
                        )
                    }),
                    requires: system.requires.iter().map(|a| level_bit(*a)).sum(),
                }
            })
            .collect();

        let keys = waiver_keys();
        let waivers = inventory
            .waivers
            .iter()
            .map(|w| {
                let organisations: BTreeSet<usize> = w
                    .organisations
                    .iter()
                    .map(|o| organisation_index[o.as_str()])
                    .collect();
                let named = |capped: bool| -> u128 {
                    keys.iter()
                        .filter(|(key, _, c)| *c == capped && w.rules.contains(*key))
                        .fold(0, |mask, (_, rules, _)| mask | rules)
                };
                WaiverFacts {
                    capped: named(true),
                    free: named(false),
                    actions: w.actions.iter().copied().collect(),
                    from: w.from,
                    until: w.until,
                    systems: inventory
                        .systems
                        .iter()
                        .zip(&organisations_of)
                        .map(|(s, orgs)| {
                            w.systems.contains(&s.id)
                                || orgs.iter().any(|o| organisations.contains(o))
                        })
                        .collect(),
                }
            })
            .collect();

        HandWritten {
            epochs,
            systems,
            waivers,
            release_index,
            system_index,
        }
    }

    /// The epoch an instant falls in.
    fn epoch(&self, at: Instant) -> &Epoch {
        let after = self.epochs.partition_point(|e| e.from <= at);
        &self.epochs[after.saturating_sub(1)]
    }

    /// Every release against every system, row by row (as `Engine::matrix`).
    pub fn matrix(&self, action: Action, at: Instant) -> Vec<HandDecision> {
        let gates = Gates::at(at);
        let epoch = self.epoch(at);
        let assurance: Vec<u64> = epoch.releases.iter().map(|r| held(r, at)).collect();
        let active: Vec<usize> = self.active_waivers(action, at);
        let mut out = Vec::with_capacity(epoch.releases.len() * self.systems.len());
        for (r, release) in epoch.releases.iter().enumerate() {
            for (s, system) in self.systems.iter().enumerate() {
                out.push(self.evaluate(
                    &gates,
                    epoch,
                    &active,
                    r,
                    release,
                    s,
                    system,
                    action,
                    assurance[r],
                ));
            }
        }
        out
    }

    /// One decision, by ids; `None` for an unknown id.
    pub fn decide(
        &self,
        system: &str,
        action: Action,
        release: &str,
        at: Instant,
    ) -> Option<HandDecision> {
        let s = *self.system_index.get(system)?;
        let r = *self.release_index.get(release)?;
        let epoch = self.epoch(at);
        let active = self.active_waivers(action, at);
        Some(self.evaluate(
            &Gates::at(at),
            epoch,
            &active,
            r,
            &epoch.releases[r],
            s,
            &self.systems[s],
            action,
            held(&epoch.releases[r], at),
        ))
    }

    /// Each deployment of `inventory` (the one this was built from), for
    /// `action`, in order (as `Engine::sweep` for `operate`).
    pub fn sweep(&self, inventory: &Inventory, action: Action, at: Instant) -> Vec<HandDecision> {
        let gates = Gates::at(at);
        let epoch = self.epoch(at);
        let active = self.active_waivers(action, at);
        inventory
            .deployments
            .iter()
            .map(|d| {
                let s = self.system_index[d.system.as_str()];
                let r = self.release_index[d.release.as_str()];
                let release = &epoch.releases[r];
                let held = held(release, at);
                self.evaluate(
                    &gates,
                    epoch,
                    &active,
                    r,
                    release,
                    s,
                    &self.systems[s],
                    action,
                    held,
                )
            })
            .collect()
    }

    fn active_waivers(&self, action: Action, at: Instant) -> Vec<usize> {
        self.waivers
            .iter()
            .enumerate()
            .filter(|(_, w)| {
                w.actions.contains(&action) && w.from.is_none_or(|from| from <= at) && at < w.until
            })
            .map(|(i, _)| i)
            .collect()
    }

    #[allow(clippy::too_many_arguments)]
    #[inline]
    fn evaluate(
        &self,
        gates: &Gates,
        epoch: &Epoch,
        active: &[usize],
        r: usize,
        release: &ReleaseFacts,
        s: usize,
        system: &SystemFacts,
        action: Action,
        assurance: u64,
    ) -> HandDecision {
        // What matches with no waiver; what the waivers in force for this
        // request lift between them; and which of them lifts something alone
        // (an agency head's waiver past its cap lifts nothing, even beside a
        // DNI waiver that lifts the same rule).
        let matched = forbids(gates, release, system, action, assurance);
        let mut lifted = 0;
        let mut used = 0;
        if matched != 0 {
            for &w in active {
                let waiver = &self.waivers[w];
                if epoch.waiver_releases[w][r] && waiver.systems[s] {
                    let alone = matched & gates.lifted_by(waiver.capped, waiver.free);
                    if alone != 0 {
                        lifted |= alone;
                        used |= 1 << w;
                    }
                }
            }
        }
        let forbidden = matched & !lifted;
        HandDecision {
            allow: forbidden == 0,
            deciding: if forbidden == 0 { PERMIT } else { forbidden },
            advice: advice(gates, release, system, action),
            waivers: used,
        }
    }
}

/// The levels a release holds at an instant.
fn held(release: &ReleaseFacts, at: Instant) -> u64 {
    release
        .authorisations
        .iter()
        .filter(|(_, lapses)| lapses.is_none_or(|lapses| at < lapses))
        .fold(0, |held, (levels, _)| held | levels)
}

/// `["central-government", "defence"].contains(principal.owner.sector)`.
fn department(s: &SystemFacts) -> bool {
    matches!(s.sector, Sector::CentralGovernment | Sector::Defence)
}

/// The public sector as `lt-2017` names it, and the government bodies of
/// `tw-moda-deepseek-2025` (central and local government, defence).
fn public_sector(s: &SystemFacts) -> bool {
    matches!(
        s.sector,
        Sector::CentralGovernment | Sector::Defence | Sector::WiderPublicSector
    )
}

/// The systems `lt-2017`'s decision binds.
fn lt_covered(s: &SystemFacts) -> bool {
    s.lt && (s.critical || public_sector(s))
}

/// Chinese-controlled video surveillance, as `uk-wms-2022-surveillance` reads it.
fn chinese_surveillance(r: &ReleaseFacts) -> bool {
    r.category == Category::VideoSurveillance && r.control_cn
}

/// The binding forbids that match, waivers aside.
#[inline]
fn forbids(g: &Gates, r: &ReleaseFacts, s: &SystemFacts, action: Action, assurance: u64) -> u128 {
    use Action::{Deploy, Operate, Procure, Update};
    use Category::*;
    let mut m = 0;
    let antivirus = r.category == Antivirus;
    let new_use = matches!(action, Procure | Deploy);
    let in_use = matches!(action, Operate | Update);
    let acquire = matches!(action, Procure | Deploy | Update);
    let us_person = s.us || s.in_us;

    // uk-ncsc-2017
    if s.gb && department(s) && g.ncsc_2017 && antivirus {
        if s.tier >= 3 {
            if r.control_ru {
                m |= UK_SECRET;
            }
            if r.data_ru {
                m |= UK_SECRET_DATA;
            }
        }
        if s.national_security {
            if r.control_ru {
                if new_use {
                    m |= UK_NATIONAL_SECURITY;
                }
                // Running and updating, where "should never be used" does
                // not already bar it (the project's reading).
                let never_used = s.tier >= 3 || (s.tier == 1 && s.national_security_department);
                if in_use && !never_used {
                    m |= UK_NATIONAL_SECURITY_IN_USE;
                }
                if s.national_security_department && s.tier == 1 {
                    m |= UK_NATIONAL_SECURITY_DEPARTMENTS;
                }
            }
            if r.data_ru {
                m |= UK_NATIONAL_SECURITY_DATA;
            }
        }
    }
    // uk-wms-2022-surveillance (its other rules are advice)
    if action == Deploy
        && s.gb
        && department(s)
        && s.sensitive_site
        && g.wms
        && chinese_surveillance(r)
    {
        m |= WMS_SENSITIVE_SITES;
    }
    // us-bod-17-01: federal information systems, those a contractor runs for
    // an agency included; not national security systems nor DoD and IC
    // mission-critical ones.
    if (s.federal_executive || s.operated_for_federal_executive)
        && !s.national_security_system
        && !s.dod_ic_mission_critical
        && g.bod
        && r.information_security
        && !matches!(r.category, ThreatIntelligence | SecurityTraining)
        && r.vendor_kaspersky
    {
        m |= BOD_17_01;
    }
    // us-ndaa-1634: elements of the Federal Government, systems run on
    // behalf of one (the project's reading), and contractors' systems for
    // the Government's use or its deliverables.
    if (s.federal_branch
        || s.operated_for_federal_branch
        || (s.federal_contractor && s.purposes_1634))
        && g.ndaa_1634
        && (r.code_kaspersky || r.code_majority_kaspersky)
    {
        m |= NDAA_1634;
    }
    // us-ndaa-889: a service interconnecting with a third party is excepted;
    // equipment is not, whatever it connects to.
    let excepted = r.service && r.third_party_interconnection;
    let hz = &r.huawei_zte;
    let hhd = &r.hytera_hikvision_dahua;
    // (A), and (C) for their services: any use.
    let telecom_889 = hz.user_data_telecom || hz.telecom_service || hz.video_surveillance_service;
    // (B), and (C) for services using their equipment: the purposes.
    let video_889 = s.purposes_889
        && (hhd.video_surveillance
            || hhd.user_data_telecom
            || hhd.telecom_service
            || hhd.video_surveillance_service);
    // (C) for their own services, whatever the purpose (the packs' reading).
    let services_889 = hhd.telecom_service || hhd.video_surveillance_service;
    if s.federal_executive && g.agency_889 && !excepted {
        match action {
            Procure | Update => {
                if telecom_889 {
                    m |= AGENCY_TELECOM;
                }
                if video_889 {
                    m |= AGENCY_VIDEO;
                }
            }
            Deploy => {
                if telecom_889 {
                    m |= AGENCY_TELECOM_INSTALL;
                }
                if video_889 {
                    m |= AGENCY_VIDEO_INSTALL;
                }
            }
            Operate => {}
        }
        if acquire && services_889 {
            m |= AGENCY_SERVICES;
        }
    }
    if s.federal_contractor && g.contractor_889 && !excepted {
        if telecom_889 {
            m |= CONTRACTOR_TELECOM;
        }
        if video_889 {
            m |= CONTRACTOR_VIDEO;
        }
        if services_889 {
            m |= CONTRACTOR_SERVICES;
        }
    }
    // us-icts-2024-kaspersky: US persons, and anyone in the United States.
    if us_person {
        let exempt = matches!(
            r.category,
            ThreatIntelligence | SecurityTraining | SecurityConsulting
        );
        let own = r.vendor_kaspersky_inc && !exempt;
        let integrated = !r.vendor_kaspersky_inc && r.integrated_kaspersky;
        match action {
            Procure => {
                if g.icts_new && own {
                    m |= ICTS_NEW;
                }
                if g.icts_white_label && integrated {
                    m |= ICTS_INTEGRATED;
                }
            }
            Deploy if g.icts_white_label && (own || integrated) => m |= ICTS_PROVISION,
            Update if g.icts_white_label && (own || integrated) => m |= ICTS_UPDATES,
            _ => {}
        }
    }
    // us-fcc-54-9: every action, equipment and services of every kind.
    if s.usf_recipient && g.usf_54_9 {
        if r.vendor_huawei_zte {
            m |= USF_HUAWEI_ZTE;
        } else if r.code_huawei_zte {
            m |= USF_COMPONENTS;
        }
    }
    // us-fcc-covered-list: no exceptions, no waivers; operate is not named.
    if s.usf_recipient && acquire {
        if g.fcc_may_2021 && (hz.telecom || hz.telecom_service || hz.video_surveillance_service) {
            m |= FCC_HUAWEI_ZTE;
        }
        if g.fcc_may_2021
            && s.purposes_889
            && (hhd.video_surveillance
                || hhd.telecom
                || hhd.telecom_service
                || hhd.video_surveillance_service)
        {
            m |= FCC_HYTERA_HIKVISION_DAHUA;
        }
        if g.fcc_may_2022 {
            if r.information_security && r.vendor_kaspersky {
                m |= FCC_KASPERSKY;
            }
            if !r.vendor_kaspersky && r.embedded_kaspersky_security {
                m |= FCC_KASPERSKY_EMBEDDED;
            }
        }
        if r.category == TelecomService {
            if g.fcc_may_2022 && r.vendor_china_mobile {
                m |= FCC_CHINA_MOBILE;
            }
            if g.fcc_may_2022 && r.vendor_china_telecom {
                m |= FCC_CHINA_TELECOM;
            }
            if g.fcc_november_2022 && r.vendor_pacific_networks {
                m |= FCC_PACIFIC_NETWORKS;
            }
            if g.fcc_november_2022 && r.vendor_china_unicom {
                m |= FCC_CHINA_UNICOM;
            }
        }
    }
    // us-fcc-covered-list, the 2024-2026 entries.
    let e = &r.equipment;
    let drone = matches!(
        e.kind,
        Some(EquipmentKind::Uas | EquipmentKind::UasCriticalComponent)
    );
    let approved = e.approved_dow || e.approved_dhs;
    let uas_excepted =
        approved || (g.uas_exceptions && e.blue_or_buy_american) || (g.toy_drones && e.toy);
    let unknown_here = !e.production_known && !e.abroad;
    if s.usf_recipient && acquire {
        if g.kli_usf {
            if r.vendor_kaspersky_lab_inc && matches!(r.category, Antivirus | SecuritySoftware) {
                m |= FCC_KLI;
            }
            if !r.vendor_kaspersky_lab_inc && r.kaspersky_lab_inc_security_code {
                m |= FCC_KLI_INTEGRATED;
            }
        }
        if g.uas_usf {
            if drone && e.abroad && !uas_excepted {
                m |= FCC_UAS;
            }
            if (e.components_abroad || (!g.uas_exceptions && e.excepted_components_abroad))
                && !uas_excepted
            {
                m |= FCC_UAS_COMPONENTS;
            }
            if r.dji_autel_code || (drone && r.vendor_dji_autel) {
                m |= FCC_DJI_AUTEL;
            }
        }
        let router = e.kind == Some(EquipmentKind::Router);
        let inverter = e.kind == Some(EquipmentKind::PowerInverter);
        let robot = e.kind == Some(EquipmentKind::AdvancedRoboticDevice);
        if g.routers_usf && router && e.abroad && !approved {
            m |= FCC_ROUTERS;
        }
        if g.digitalsystem_usf && r.category == TelecomService && r.vendor_digitalsystem {
            m |= FCC_DIGITALSYSTEM;
        }
        if g.inverters_usf && inverter && e.abroad && !approved {
            m |= FCC_INVERTERS;
        }
        if g.inverters_usf && robot && e.abroad && !e.approved_dow {
            m |= FCC_ROBOTS;
        }
        let components_unknown = (!e.components_known && !e.components_abroad)
            || (!e.excepted_components_known
                && !e.excepted_components_abroad
                && !e.components_abroad
                && !g.uas_exceptions);
        if (g.uas_usf && drone && unknown_here && !uas_excepted)
            || (g.uas_usf && components_unknown && !uas_excepted)
            || (g.routers_usf && router && unknown_here && !approved)
            || (g.inverters_usf && inverter && unknown_here && !approved)
            || (g.inverters_usf && robot && unknown_here && !e.approved_dow)
        {
            m |= FCC_PRODUCTION_UNKNOWN;
        }
    }
    // us-fcc-equipment-authorization: deployers in the US (new models),
    // grantees (modifications).
    let listing = listing(g, r);
    if s.in_us && matches!(action, Deploy | Operate) {
        if let (Some(listed), Some(on)) = (listing, e.granted) {
            let excepted_when_authorised = drone
                && e.blue_or_buy_american
                && on >= instant(UAS_EXCEPTIONS_FROM)
                && on < instant(UAS_EXCEPTIONS_UNTIL);
            // The DJI/Autel entry has no exceptions, and a model of theirs
            // is covered through it whatever the UAS entry says.
            let dji = drone && g.december_2025 && r.vendor_dji_autel;
            if on >= listed && (!excepted_when_authorised || dji) {
                m |= EA_NEW_MODELS;
            }
        }
        if listing.is_some() && e.granted.is_none() && !e.not_required {
            m |= EA_AUTHORISATION_UNKNOWN;
        }
        if unknown_here && !e.not_required {
            let before = |at: &str| e.granted.is_some_and(|on| on < instant(at));
            if (drone && g.december_2025 && !before(DECEMBER_2025) && !uas_excepted)
                || (e.kind == Some(EquipmentKind::Router)
                    && g.routers_listed
                    && !before(ROUTERS_LISTED)
                    && !approved)
                || (e.kind == Some(EquipmentKind::PowerInverter)
                    && g.inverters_listed
                    && !before(INVERTERS_LISTED)
                    && !approved)
                || (e.kind == Some(EquipmentKind::AdvancedRoboticDevice)
                    && g.inverters_listed
                    && !before(INVERTERS_LISTED)
                    && !e.approved_dow)
            {
                m |= EA_PRODUCTION_UNKNOWN;
            }
        }
    }
    if action == Update && s.equipment_grantee && no_lawful_updates(g, r) {
        m |= EA_MODIFICATIONS;
    }
    // us-asda-2023: drones of a listed maker, until the sunset.
    if drone && r.vendor_fasc && !g.asda_sunset {
        if action == Procure && s.federal_executive && g.asda {
            m |= ASDA_PROCUREMENT;
        }
        let operation = matches!(action, Deploy | Operate);
        let any_use = matches!(action, Procure | Deploy | Operate);
        if operation && (s.federal_executive || s.operated_for_federal_executive) && g.december_2025
        {
            m |= ASDA_OPERATION;
        }
        if any_use && s.federal_funds_recipient && g.december_2025 {
            m |= ASDA_FUNDS;
        }
        if any_use && s.far_52_240_1 && g.far_52_240_1 && (action == Procure || g.december_2025) {
            m |= ASDA_FAR;
        }
    }
    // us-ofac-50: no date of its own.
    if us_person && matches!(action, Procure | Update) && r.vendor_blocked {
        m |= OFAC;
    }
    // au-pspf-002-2025
    if s.commonwealth_entity && g.pspf && r.vendor_kaspersky_inc {
        m |= PSPF;
    }
    // lt-2017
    if new_use && lt_covered(s) && g.lt && r.vendor_kaspersky {
        m |= LT_NEW_USE;
    }
    // nl-2018
    if new_use && s.nl && department(s) && g.nl && antivirus && r.vendor_kaspersky {
        m |= NL_GOVERNMENT;
    }
    // Apps and AI services on government devices. `knownAs` names the
    // product whoever sells it; `vendorGroup` the release's own vendor's group.
    let tiktok = r.known_as == Some(KnownProduct::TikTok);
    let wechat = r.known_as == Some(KnownProduct::WeChat);
    let deepseek = r.known_as == Some(KnownProduct::DeepSeek) || r.vendor_deepseek;
    let ai_model = r.category == AiModel;
    let organisation_device = s.device_owner == DeviceOwner::Organisation;
    // us-no-tiktok-act: agencies' IT, contractors' systems run for them
    // included; not staff's own unenrolled devices.
    if (s.federal_executive || s.operated_for_federal_executive)
        && s.device_owner != DeviceOwner::Personal
        && g.no_tiktok_act
        && tiktok
    {
        m |= NO_TIKTOK_ACT;
    }
    // us-far-52-204-27: whoever owns the device.
    if s.far_52_204_27 && g.far_52_204_27 && tiktok {
        m |= FAR_52_204_27;
    }
    // us-pafaca: distributors in the United States; procure is not theirs.
    if matches!(action, Deploy | Operate | Update)
        && (s.app_store || s.internet_hosting_provider)
        && s.in_us
        && g.pafaca
        && (tiktok || r.vendor_bytedance)
        && r.vendor_foreign_adversary
    {
        m |= PAFACA;
    }
    // us-ndaa-6604: the IC's national security systems; not model weights.
    if (s.intelligence_community || s.operated_for_intelligence_community)
        && s.national_security_system
        && g.ndaa_6604
        && !ai_model
        && deepseek
    {
        m |= NDAA_6604;
    }
    // uk-tiktok-2023: departments' own devices, any form.
    if s.gb && department(s) && organisation_device && g.uk_tiktok && tiktok {
        m |= UK_TIKTOK;
    }
    // eu-institutions-tiktok-2023 (the Council's is advice)
    let commission_device = matches!(
        s.device_owner,
        DeviceOwner::Organisation | DeviceOwner::PersonalEnrolled
    );
    if s.european_commission && commission_device && tiktok && !r.web {
        if new_use && g.ec_suspension {
            m |= EC_INSTALLATION;
        }
        if in_use && g.ec_non_compliant {
            m |= EC_NON_COMPLIANT;
        }
    }
    if s.european_parliament && organisation_device && g.ep_suspension && tiktok {
        m |= EP_CORPORATE_DEVICES;
    }
    // ca-tbs-2023-apps: government-issued mobile devices, apps not web sites;
    // a device that does not say what it is is denied.
    if s.ca && department(s) && organisation_device && !r.web {
        let tiktok_on = g.ca_tiktok && tiktok;
        let wechat_kaspersky_on = g.ca_wechat_kaspersky && (wechat || r.vendor_kaspersky_inc);
        match s.device {
            Some(Device::Mobile) => {
                if tiktok_on {
                    m |= CA_TIKTOK;
                }
                if wechat_kaspersky_on {
                    m |= CA_WECHAT_KASPERSKY;
                }
            }
            None => {
                if tiktok_on || wechat_kaspersky_on {
                    m |= CA_DEVICE_UNKNOWN;
                }
            }
            Some(Device::Computer | Device::Server) => {}
        }
    }
    // au-pspf-001-2023 (the app, not the web interface) and 001-2025 (every
    // form, model weights included): entities' own devices.
    if s.commonwealth_entity && organisation_device {
        if g.au_tiktok && tiktok && !r.web {
            m |= AU_TIKTOK;
        }
        if g.au_deepseek && deepseek {
            m |= AU_DEEPSEEK;
        }
    }
    // nz-parliament-tiktok-2023: managed devices and enrolled personal phones.
    if s.nz_parliament && s.device_owner != DeviceOwner::Personal && g.nz_tiktok && tiktok && !r.web
    {
        m |= NZ_TIKTOK;
    }
    // tw-moda-deepseek-2025: government bodies (critical infrastructure is advice).
    if s.tw && public_sector(s) && g.tw_deepseek && deepseek {
        m |= TW_GOVERNMENT;
    }
    // cz-deepseek-2025: the state administration (NÚKIB's warning is advice).
    if s.cz && department(s) && g.cz_ban && deepseek {
        m |= CZ_STATE_ADMINISTRATION;
    }
    // assurance
    if s.requires & !assurance != 0 {
        m |= ASSURANCE;
    }
    m
}

fn instant(text: &str) -> Instant {
    text.parse().expect("a valid instant")
}

/// When the release's entry was listed, if an entry of the FCC's 2025-2026
/// equipment entries covers it now: foreign-produced drones and their
/// critical components (unless excepted), DJI's and Autel's drones, routers,
/// inverters and robotic devices (unless approved).
fn listing(g: &Gates, r: &ReleaseFacts) -> Option<Instant> {
    let e = &r.equipment;
    let approved = e.approved_dow || e.approved_dhs;
    let uas_excepted =
        approved || (g.uas_exceptions && e.blue_or_buy_american) || (g.toy_drones && e.toy);
    let listed = match e.kind? {
        EquipmentKind::Uas | EquipmentKind::UasCriticalComponent => {
            g.december_2025 && ((e.abroad && !uas_excepted) || r.vendor_dji_autel)
        }
        EquipmentKind::Router => g.routers_listed && e.abroad && !approved,
        EquipmentKind::PowerInverter => g.inverters_listed && e.abroad && !approved,
        EquipmentKind::AdvancedRoboticDevice => g.inverters_listed && e.abroad && !e.approved_dow,
    };
    let at = match e.kind? {
        EquipmentKind::Uas | EquipmentKind::UasCriticalComponent => DECEMBER_2025,
        EquipmentKind::Router => ROUTERS_LISTED,
        EquipmentKind::PowerInverter | EquipmentKind::AdvancedRoboticDevice => INVERTERS_LISTED,
    };
    listed.then(|| instant(at))
}

/// Whether its grantee may no longer modify it: covered, authorised before
/// its listing, from FCC 25-71's effective date, and (drones and routers)
/// past the update waiver.
fn no_lawful_updates(g: &Gates, r: &ReleaseFacts) -> bool {
    let e = &r.equipment;
    let waived = matches!(
        e.kind,
        Some(EquipmentKind::Uas | EquipmentKind::UasCriticalComponent | EquipmentKind::Router)
    ) && g.update_waiver;
    g.modifications
        && !waived
        && listing(g, r)
            .zip(e.granted)
            .is_some_and(|(listed, on)| on < listed)
}

/// The advice that matches.
#[inline]
fn advice(g: &Gates, r: &ReleaseFacts, s: &SystemFacts, action: Action) -> u128 {
    use Action::{Deploy, Operate, Update};
    let mut m = 0;
    let in_use = matches!(action, Operate | Update);
    let kaspersky_antivirus = r.vendor_kaspersky && r.category == Category::Antivirus;
    if s.gb
        && s.sector != Sector::Consumer
        && (matches!(
            s.sector,
            Sector::CentralGovernment
                | Sector::Defence
                | Sector::WiderPublicSector
                | Sector::CriticalNationalInfrastructure
        ) || s.ncsc_2022_role)
        && g.ncsc_2022
        && (r.control_ru || r.service_ru)
    {
        m |= UK_RECONSIDER_2022;
    }
    if s.gb && department(s) && g.wms && chinese_surveillance(r) {
        if s.core_network && matches!(action, Deploy | Operate | Update) {
            m |= WMS_CORE_NETWORKS;
        }
        if action == Operate && s.sensitive_site {
            m |= WMS_CONSIDER_REMOVAL;
        }
        if matches!(action, Deploy | Operate) && !s.sensitive_site {
            m |= WMS_CONSIDER_OTHER_SITES;
        }
    }
    if s.de && g.bsi && kaspersky_antivirus {
        m |= BSI;
    }
    if in_use && lt_covered(s) && g.lt && r.vendor_kaspersky {
        m |= LT_EXISTING_USE;
    }
    if s.lt
        && s.sector != Sector::Consumer
        && !s.critical
        && !public_sector(s)
        && g.lt
        && kaspersky_antivirus
    {
        m |= LT_BUSINESSES;
    }
    if s.nl && g.nl && kaspersky_antivirus {
        if in_use && department(s) {
            m |= NL_PHASE_OUT;
        }
        if s.sector == Sector::CriticalNationalInfrastructure || s.critical {
            m |= NL_VITAL;
        }
        if s.defence_contractor {
            m |= NL_DEFENCE_CONTRACTORS;
        }
    }
    let tiktok = r.known_as == Some(KnownProduct::TikTok);
    let deepseek = r.known_as == Some(KnownProduct::DeepSeek) || r.vendor_deepseek;
    let critical_infrastructure = s.critical || s.sector == Sector::CriticalNationalInfrastructure;
    if s.european_parliament
        && s.device_owner != DeviceOwner::Organisation
        && g.ep_suspension
        && tiktok
    {
        m |= EP_PERSONAL_DEVICES;
    }
    if s.council_of_the_eu && g.ec_suspension && tiktok {
        m |= EU_COUNCIL;
    }
    if s.tw && critical_infrastructure && g.tw_deepseek && deepseek {
        m |= TW_CRITICAL;
    }
    if s.cz && critical_infrastructure && g.cz_warning && deepseek {
        m |= CZ_NUKIB;
    }
    if s.kr && department(s) && g.kr_deepseek && deepseek {
        m |= KR_MINISTRIES;
    }
    if action == Update && s.in_us && no_lawful_updates(g, r) {
        m |= EA_NO_LAWFUL_UPDATES;
    }
    // The Garante's order: services DeepSeek's own companies run, not a
    // model served by another company (`knownAs` alone).
    if s.it && g.it_garante && r.category != Category::AiModel && r.vendor_deepseek {
        m |= IT_GARANTE;
    }
    m
}
