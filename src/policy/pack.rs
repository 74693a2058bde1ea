//! The policy packs that ship with the crate.

use crate::keyword::keyword_enum;

keyword_enum! {
    /// A shipped pack of policies: a `.cedar` file under `policies/` in the
    /// crate, embedded at build time. Every policy in a pack has an `@id`
    /// (starting with the pack's name), a human `@reason` and a `@source`
    /// citing the rule it encodes; every policy that encodes an instrument
    /// (all but the baseline and assurance packs) also has `@quote`, the
    /// instrument's operative words, and `@quote_source`, where they are.
    ///
    /// ```
    /// use clearance::Pack;
    ///
    /// let pack: Pack = "uk-ncsc-2017".parse()?;
    /// assert!(pack.text().contains("@id(\"uk-ncsc-2017/secret-and-above\")"));
    /// assert_eq!(Pack::ALL.len(), 31);
    /// assert!("uk-ncsc-2018".parse::<Pack>().is_err());
    /// # Ok::<(), clearance::Error>(())
    /// ```
    pub enum Pack: "policy pack" {
        /// Permit unless forbidden. Without it (or a permit of your own) everything is denied.
        Baseline = "baseline",
        /// UK NCSC advice on Russia-based antivirus (2017), with the 2022 advice on Russian technology.
        UkNcsc2017 = "uk-ncsc-2017",
        /// UK Written Ministerial Statement on surveillance equipment (2022, departments' sensitive sites and core networks).
        UkWms2022Surveillance = "uk-wms-2022-surveillance",
        /// US DHS Binding Operational Directive 17-01 (Kaspersky-branded products, federal executive branch).
        UsBod1701 = "us-bod-17-01",
        /// US NDAA FY2018 s.1634 (Kaspersky, every element of the Federal Government, and contractors).
        UsNdaa1634 = "us-ndaa-1634",
        /// US NDAA FY2019 s.889 (Huawei, ZTE, Hytera, Hikvision, Dahua).
        UsNdaa889 = "us-ndaa-889",
        /// US Commerce ICTS Final Determination on Kaspersky (2024, all US persons).
        UsIcts2024Kaspersky = "us-icts-2024-kaspersky",
        /// US FCC 47 CFR 54.9 (from 30 June 2020, Universal Service Fund support may not pay for any equipment or services of Huawei or ZTE).
        UsFcc549 = "us-fcc-54-9",
        /// US FCC Covered List and 47 CFR 54.10 (FCC capital subsidies may not pay for listed equipment and services).
        UsFccCoveredList = "us-fcc-covered-list",
        /// US FCC equipment authorisation: no new covered models in use, no modifications of covered equipment (grantees), 2025-2026 entries.
        UsFccEquipmentAuthorization = "us-fcc-equipment-authorization",
        /// US American Security Drone Act of 2023 (FASC-listed makers' drones: federal procurement, operation, funds; to 22 December 2028).
        UsAsda2023 = "us-asda-2023",
        /// US OFAC 50 Percent Rule (no new dealings with blocked vendors, for US persons).
        UsOfac50 = "us-ofac-50",
        /// Australia PSPF Direction 002-2025 (Kaspersky, non-corporate Commonwealth entities).
        AuPspf0022025 = "au-pspf-002-2025",
        /// Germany BSI warning on Kaspersky antivirus (2022, advice).
        DeBsi2022 = "de-bsi-2022",
        /// Lithuania government decision on Kaspersky (2017): new use barred, replacement advised.
        Lt2017 = "lt-2017",
        /// Netherlands phase-out of Kaspersky antivirus (2018): new use barred, phase-out advised.
        Nl2018 = "nl-2018",
        /// US No TikTok on Government Devices Act with OMB M-23-13 (executive agencies' IT, from 29 March 2023).
        UsNoTiktokAct = "us-no-tiktok-act",
        /// US FAR 52.204-27 (contractors whose contracts carry it: no TikTok on IT used under the contract).
        UsFar52_204_27 = "us-far-52-204-27",
        /// US PAFACA (app stores and hosting providers may not distribute foreign adversary controlled apps; binds no user).
        UsPafaca = "us-pafaca",
        /// US NDAA FY2026 s.6604 (DeepSeek on intelligence-community national security systems).
        UsNdaa6604 = "us-ndaa-6604",
        /// UK ban on TikTok on government corporate devices (16 March 2023).
        UkTiktok2023 = "uk-tiktok-2023",
        /// EU institutions on TikTok (Commission from 23 February 2023, Parliament from 20 March 2023; Council reported).
        EuInstitutionsTiktok2023 = "eu-institutions-tiktok-2023",
        /// Canada: TikTok (2023-02-28), WeChat and Kaspersky (2023-10-30) off government-issued mobile devices.
        CaTbs2023Apps = "ca-tbs-2023-apps",
        /// Australia PSPF Direction 001-2023 (TikTok, non-corporate Commonwealth entities).
        AuPspf0012023 = "au-pspf-001-2023",
        /// Australia PSPF Direction 001-2025 (DeepSeek, non-corporate Commonwealth entities).
        AuPspf0012025 = "au-pspf-001-2025",
        /// New Zealand Parliamentary Service: TikTok off devices with parliamentary network access (31 March 2023).
        NzParliamentTiktok2023 = "nz-parliament-tiktok-2023",
        /// Taiwan: DeepSeek barred for government bodies (31 January 2025); advice to critical infrastructure.
        TwModaDeepseek2025 = "tw-moda-deepseek-2025",
        /// Czech Republic: DeepSeek barred in the state administration (9 July 2025); NÚKIB's warning as advice.
        CzDeepseek2025 = "cz-deepseek-2025",
        /// South Korea: ministries' DeepSeek blocks (February 2025), advice.
        KrDeepseek2025 = "kr-deepseek-2025",
        /// Italy: the Garante's order against DeepSeek's providers (30 January 2025), advice to deployers.
        ItGaranteDeepseek2025 = "it-garante-deepseek-2025",
        /// Assurance requirements: a system's required assurance must be held by the exact version.
        Assurance = "assurance",
    }
}

impl Pack {
    /// The pack's Cedar text.
    pub fn text(self) -> &'static str {
        match self {
            Pack::Baseline => include_str!("../../policies/baseline.cedar"),
            Pack::UkNcsc2017 => include_str!("../../policies/uk-ncsc-2017.cedar"),
            Pack::UkWms2022Surveillance => {
                include_str!("../../policies/uk-wms-2022-surveillance.cedar")
            }
            Pack::UsBod1701 => include_str!("../../policies/us-bod-17-01.cedar"),
            Pack::UsNdaa1634 => include_str!("../../policies/us-ndaa-1634.cedar"),
            Pack::UsNdaa889 => include_str!("../../policies/us-ndaa-889.cedar"),
            Pack::UsIcts2024Kaspersky => {
                include_str!("../../policies/us-icts-2024-kaspersky.cedar")
            }
            Pack::UsFcc549 => include_str!("../../policies/us-fcc-54-9.cedar"),
            Pack::UsFccCoveredList => include_str!("../../policies/us-fcc-covered-list.cedar"),
            Pack::UsFccEquipmentAuthorization => {
                include_str!("../../policies/us-fcc-equipment-authorization.cedar")
            }
            Pack::UsAsda2023 => include_str!("../../policies/us-asda-2023.cedar"),
            Pack::UsOfac50 => include_str!("../../policies/us-ofac-50.cedar"),
            Pack::AuPspf0022025 => include_str!("../../policies/au-pspf-002-2025.cedar"),
            Pack::DeBsi2022 => include_str!("../../policies/de-bsi-2022.cedar"),
            Pack::Lt2017 => include_str!("../../policies/lt-2017.cedar"),
            Pack::Nl2018 => include_str!("../../policies/nl-2018.cedar"),
            Pack::UsNoTiktokAct => include_str!("../../policies/us-no-tiktok-act.cedar"),
            Pack::UsFar52_204_27 => include_str!("../../policies/us-far-52-204-27.cedar"),
            Pack::UsPafaca => include_str!("../../policies/us-pafaca.cedar"),
            Pack::UsNdaa6604 => include_str!("../../policies/us-ndaa-6604.cedar"),
            Pack::UkTiktok2023 => include_str!("../../policies/uk-tiktok-2023.cedar"),
            Pack::EuInstitutionsTiktok2023 => {
                include_str!("../../policies/eu-institutions-tiktok-2023.cedar")
            }
            Pack::CaTbs2023Apps => include_str!("../../policies/ca-tbs-2023-apps.cedar"),
            Pack::AuPspf0012023 => include_str!("../../policies/au-pspf-001-2023.cedar"),
            Pack::AuPspf0012025 => include_str!("../../policies/au-pspf-001-2025.cedar"),
            Pack::NzParliamentTiktok2023 => {
                include_str!("../../policies/nz-parliament-tiktok-2023.cedar")
            }
            Pack::TwModaDeepseek2025 => include_str!("../../policies/tw-moda-deepseek-2025.cedar"),
            Pack::CzDeepseek2025 => include_str!("../../policies/cz-deepseek-2025.cedar"),
            Pack::KrDeepseek2025 => include_str!("../../policies/kr-deepseek-2025.cedar"),
            Pack::ItGaranteDeepseek2025 => {
                include_str!("../../policies/it-garante-deepseek-2025.cedar")
            }
            Pack::Assurance => include_str!("../../policies/assurance.cedar"),
        }
    }
}
