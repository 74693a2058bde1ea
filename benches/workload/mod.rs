//! The reference workload: a deterministic, seeded inventory of realistic shape
//! and size, shared by the benchmarks (`benches/engine.rs`, `benches/memory.rs`)
//! and the tests (`tests/workload.rs`), which include it with
//! `#[path = "../benches/workload/mod.rs"] mod workload;`.
//!
//! - 60 vendors and 4 parties (two holding companies, a state-owned
//!   enterprise and a blocked person), joined by stakes: control, shares and
//!   dates. It models the companies the shipped packs name itself
//!   (`registry: false`), the way the shipped registry does: Kaspersky Labs
//!   Limited (incorporated in GB, run from RU) controlling AO Kaspersky Lab,
//!   Kaspersky Lab, Inc. and Kaspersky Lab Switzerland, with OOO Kaspersky
//!   Group unlinked to them (under a holding company of its own, hypothetical,
//!   which holds a majority of another company without controlling it: a
//!   majority held by a party at the top of a group); Huawei under its
//!   holding company, with a sister company through it; Hikvision controlled by
//!   CETC with 39%, with a sister company through CETC; Lorex owned by Dahua from
//!   2018 to 2023; the carriers of the FCC Covered List, one with a parent and a
//!   subsidiary. Beside them: companies majority-owned by Kaspersky without
//!   control (through a subsidiary, from 2022), or by its parent alone (a
//!   majority held by another company of the group); one
//!   half-owned by AO Kaspersky Lab (exactly 50%, no majority) until the group
//!   buys it in 2022; a designated company, one blocked by OFAC's 50% rule
//!   from the person's designation in 2024 and one owned 49% by blocked owners;
//!   integrators building Huawei and ZTE equipment into laptops, sensors,
//!   towers and telecom services, and a video surveillance service built on
//!   Hikvision cameras; ByteDance controlling TikTok Pte. Ltd., and the US
//!   TikTok joint venture held 19.9% by ByteDance from 2026 (below PAFACA's
//!   20%), with two hypothetical companies whose apps the inventory names
//!   TikTok, one held exactly 20% by ByteDance and one 10% by it and 10%
//!   through TikTok Pte. Ltd.; Hangzhou DeepSeek controlling Beijing
//!   DeepSeek; Tencent; DJI and Autel, hypothetical makers of drones (one on
//!   the Drone Act's list, hypothetically), routers, inverters and robotic
//!   devices (one with a producer-wide Conditional Approval), and
//!   Digitalsystem Technology (its countries placeholders); and unrelated
//!   vendors in many countries (a few of
//!   them Russian or Chinese, so country rules fire without the named
//!   vendors), in control chains up to 3 deep, some holding shares in others
//!   (majorities without control, controlling minorities, stakes acquired in
//!   2023);
//! - products in every category, video surveillance services of Huawei and of
//!   Hikvision's and Dahua's groups among them (some telecom equipment that
//!   cannot see user data, built into equipment that can and the other way
//!   round; some services interconnecting with third parties, Huawei's among
//!   them, and some equipment so marked, which section 889 does not except),
//!   products the laws name whoever sells them (`known_as`: TikTok's app, the
//!   joint venture's and the two successors; DeepSeek's app, chat service
//!   and model weights (category ai-model), and a hypothetical integrator's
//!   hosting of the model; WeChat), and CapCut and DeepSeek's open platform,
//!   named by none; equipment the FCC names by where it is made (drones
//!   produced abroad or at home, one with a foreign flight controller inside,
//!   one with a Blue UAS controller and a stage unknown, a toy drone, DJI's
//!   and Autel's, routers authorised before and after their listing, one
//!   approved, one of unknown making, inverters and a robotic device whose
//!   DHS approval does not count), a router with Kaspersky Lab, Inc.'s
//!   antivirus built in; and 500 releases, some of them saying their form (app,
//!   web, API, or none said),
//!   some embedding the code of others up to 3 levels deep (a DAG: a release
//!   only embeds releases generated before it), some components marked as not
//!   essential; where releases send data and where they are serviced from;
//! - organisations with parents in GB, US, AU, DE, LT, NL, FR, BE (the EU
//!   institutions), CA, NZ, TW, CZ, KR and IT, holding every role (Universal
//!   Service Fund recipients among them, one through its parent; an element
//!   of the intelligence community; an app store and a hosting provider), and
//!   100 systems with varied classifications, markings (US national security
//!   systems, DoD and intelligence-community mission-critical systems, UK
//!   sensitive sites and core networks), purposes and assurance requirements;
//!   devices of each kind (or not said), organisations' own, people's own
//!   enrolled in their services, or people's own; some are somewhere other
//!   than their owner's country (a German, a British and an Australian
//!   company's systems in the US, a US company's and a US household's abroad,
//!   a US hosting provider's in Ireland), contractors run some for federal
//!   agencies (or for others), and some are used under contracts carrying FAR
//!   52.204-27;
//! - authorisations with version ranges and lapse dates, waivers naming every
//!   kind of key the packs test (rule ids, and the `/dni` keys of section 889,
//!   which its `-install` rules test too; some honoured, some lapsed, some
//!   capped by the rule's date, some lifting nothing; per-system exceptions to
//!   rules that allow no blanket exception; PAFACA's non-enforcement orders),
//!   and 322 deployments, 2 to 5 per system.
//!
//! [`INSTANT`] (2026-06-01, when every rule of the shipped packs is in force)
//! and 2021 see different corporate structures (Lorex in Dahua's group or
//! not, Polder Security in Kaspersky's, the TikTok joint venture's stake,
//! majorities and blocking that change).
//!
//! Nothing is random across runs: every choice comes from a SplitMix64 stream
//! started at [`SEED`].

#![allow(dead_code)]

pub mod hand;

use std::collections::BTreeSet;

use clearance::{
    Action, Assurance, Authorisation, Basis, Blocking, Category, Classification,
    ConditionalApproval, ContractClause, Country, CountryGroup, Deployment, Device, DeviceOwner,
    Form, Id, Instant, Inventory, KnownProduct, Listing, Organisation, Party, PartyKind, Product,
    Purpose, Release, Role, Sector, Share, Stake, System, Vendor, Waiver, WaiverKind,
};

/// The seed of the reference workload.
pub const SEED: u64 = 0x0C1E_A2A9_CE00_2025;
/// Vendors in the reference workload.
pub const VENDORS: usize = 60;
/// Releases in the reference workload.
pub const RELEASES: usize = 500;
/// Systems in the reference workload.
pub const SYSTEMS: usize = 100;
/// Deployments in the reference workload (2 to 5 per system).
pub const DEPLOYMENTS: usize = 322;
/// The instant the benchmarks ask about: one at which every rule of the
/// shipped packs is in force (the latest to start, NDAA FY2026 s.6604's, does
/// on 16 February 2026).
pub const INSTANT: &str = "2026-06-01";

/// The deepest control chain (a company, its controller, theirs), parties
/// included.
pub const MAX_CONTROL_DEPTH: usize = 3;
/// The deepest embedding (a release embeds one that embeds one that embeds one).
pub const MAX_EMBEDDING_DEPTH: usize = 3;

/// The instant the benchmarks ask about, [`INSTANT`].
pub fn reference_instant() -> Instant {
    INSTANT.parse().expect("a valid instant")
}

/// The reference inventory, generated from [`SEED`].
pub fn reference_inventory() -> Inventory {
    generate(SEED)
}

/// How many of each thing a generated inventory has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    pub vendors: usize,
    pub releases: usize,
    pub systems: usize,
    pub deployments: usize,
    pub authorisations: usize,
}

impl Size {
    /// The reference workload's.
    pub const REFERENCE: Size = Size {
        vendors: VENDORS,
        releases: RELEASES,
        systems: SYSTEMS,
        deployments: DEPLOYMENTS,
        authorisations: 40,
    };

    /// The reference size times `factor` (at least 1): at 100, 6,000
    /// vendors, 50,000 releases, 10,000 systems and 32,200 deployments. The
    /// companies the packs name, the organisations and the waivers are the
    /// reference's at any size.
    pub fn scaled(factor: usize) -> Size {
        let factor = factor.max(1);
        let r = Size::REFERENCE;
        Size {
            vendors: r.vendors * factor,
            releases: r.releases * factor,
            systems: r.systems * factor,
            deployments: r.deployments * factor,
            authorisations: r.authorisations * factor,
        }
    }
}

/// The reference workload's shape at `factor` times its size, from [`SEED`]
/// (at 1, the reference inventory).
pub fn scaled_inventory(factor: usize) -> Inventory {
    generate_sized(SEED, Size::scaled(factor))
}

/// A small, fast, deterministic PRNG (SplitMix64).
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A stream starting at `seed`.
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    /// The next 64 bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    /// One of `items` (non-empty).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn id(text: &str) -> Id {
    text.parse().expect("a valid id")
}

fn country(code: &str) -> Country {
    code.parse().expect("an assigned country code")
}

fn instant(text: &str) -> Instant {
    text.parse().expect("a valid instant")
}

fn assurance(text: &str) -> Assurance {
    text.parse().expect("a valid assurance level")
}

fn share(percent: u32) -> Share {
    Share::from_basis_points(percent * 100).expect("a percentage")
}

/// A share in percent, in basis points.
const fn pct(percent: u32) -> Option<u32> {
    Some(percent * 100)
}

/// A stake in a known company: (owner, share in basis points, controls,
/// from, until).
type Holding = (
    &'static str,
    Option<u32>,
    bool,
    Option<&'static str>,
    Option<&'static str>,
);

/// A company the workload models itself.
struct KnownVendor {
    id: &'static str,
    name: &'static str,
    incorporated: &'static str,
    headquarters: &'static str,
    controlled_by: Option<&'static str>,
    owners: &'static [Holding],
    /// Designated (on OFAC's SDN list) from this date.
    blocked_from: Option<&'static str>,
}

const fn top(
    id: &'static str,
    name: &'static str,
    incorporated: &'static str,
    headquarters: &'static str,
) -> KnownVendor {
    KnownVendor {
        id,
        name,
        incorporated,
        headquarters,
        controlled_by: None,
        owners: &[],
        blocked_from: None,
    }
}

const fn under(
    id: &'static str,
    name: &'static str,
    country: &'static str,
    parent: &'static str,
) -> KnownVendor {
    KnownVendor {
        controlled_by: Some(parent),
        ..top(id, name, country, country)
    }
}

const fn held(
    id: &'static str,
    name: &'static str,
    incorporated: &'static str,
    headquarters: &'static str,
    owners: &'static [Holding],
) -> KnownVendor {
    KnownVendor {
        owners,
        ..top(id, name, incorporated, headquarters)
    }
}

const BY_KASPERSKY_LABS_LIMITED: Holding = ("kaspersky-labs-limited", None, true, None, None);

/// The companies the shipped packs name, their relatives, and the
/// hypothetical companies that make their rules bite.
const KNOWN_VENDORS: &[KnownVendor] = &[
    // Kaspersky, as the shipped registry has it.
    top(
        "kaspersky-labs-limited",
        "Kaspersky Labs Limited",
        "GB",
        "RU",
    ),
    held(
        "ao-kaspersky-lab",
        "AO Kaspersky Lab",
        "RU",
        "RU",
        &[BY_KASPERSKY_LABS_LIMITED],
    ),
    held(
        "kaspersky-lab-inc",
        "Kaspersky Lab, Inc.",
        "US",
        "US",
        &[BY_KASPERSKY_LABS_LIMITED],
    ),
    held(
        "kaspersky-lab-switzerland",
        "Kaspersky Lab Switzerland GmbH",
        "CH",
        "CH",
        &[BY_KASPERSKY_LABS_LIMITED],
    ),
    // OOO Kaspersky Group, unlinked to the others, under a holding company
    // (a party, hypothetical) that also holds a majority of a company it does
    // not control: s.1634 reaches it through the holding's group.
    under(
        "ooo-kaspersky-group",
        "OOO Kaspersky Group",
        "RU",
        "ooo-kaspersky-group-holding",
    ),
    held(
        "kg-holding-investee",
        "KG Holding Investee LLC (hypothetical)",
        "AM",
        "AM",
        &[("ooo-kaspersky-group-holding", pct(60), false, None, None)],
    ),
    under(
        "shield-resellers",
        "Shield Resellers Ltd (hypothetical)",
        "GB",
        "ao-kaspersky-lab",
    ),
    // Majority-owned by AO Kaspersky Lab without control: 30% itself, and
    // from 2022 25% more through the reseller it controls.
    held(
        "kl-majority-owned",
        "KL Majority-Owned Ltd (hypothetical)",
        "GB",
        "GB",
        &[
            ("ao-kaspersky-lab", pct(30), false, None, None),
            ("shield-resellers", pct(25), false, Some("2022-01-01"), None),
        ],
    ),
    // Majority-owned by the parent alone: s.1634 reaches it as majority
    // ownership by a company of the Kaspersky group.
    held(
        "kll-portfolio",
        "KLL Portfolio GmbH (hypothetical)",
        "DE",
        "DE",
        &[("kaspersky-labs-limited", pct(60), false, None, None)],
    ),
    // Half-owned by AO Kaspersky Lab (exactly 50%: no majority), then
    // bought outright by the group in mid-2022.
    held(
        "polder-security",
        "Polder Security B.V. (hypothetical)",
        "NL",
        "NL",
        &[
            ("ao-kaspersky-lab", pct(50), false, None, Some("2022-06-01")),
            (
                "kaspersky-labs-limited",
                pct(100),
                true,
                Some("2022-06-01"),
                None,
            ),
        ],
    ),
    // Huawei under its holding company (a party), and a sister company
    // through it.
    held(
        "huawei",
        "Huawei Technologies Co., Ltd.",
        "CN",
        "CN",
        &[("huawei-investment-holding", None, true, None, None)],
    ),
    under(
        "huawei-uk",
        "Huawei Technologies (UK) Co., Ltd",
        "GB",
        "huawei",
    ),
    under(
        "huawei-device-co",
        "Huawei module maker (hypothetical)",
        "CN",
        "huawei-investment-holding",
    ),
    top("zte", "ZTE Corporation", "CN", "CN"),
    under("zte-usa", "ZTE (USA) Inc.", "US", "zte"),
    top(
        "hytera",
        "Hytera Communications Corporation Limited",
        "CN",
        "CN",
    ),
    under(
        "hytera-radio-uk",
        "Hytera radio subsidiary (hypothetical)",
        "GB",
        "hytera",
    ),
    // Hikvision: control without majority ownership, by a state-owned
    // enterprise that also controls a UK integrator.
    held(
        "hikvision",
        "Hangzhou Hikvision Digital Technology Co., Ltd.",
        "CN",
        "CN",
        &[("cetc", pct(39), true, None, None)],
    ),
    under(
        "ezviz",
        "Hangzhou EZVIZ Network Co., Ltd.",
        "CN",
        "hikvision",
    ),
    under("hikvision-usa", "Hikvision USA Inc.", "US", "hikvision"),
    held(
        "cetc-systems-uk",
        "CETC systems integrator UK Ltd (hypothetical)",
        "GB",
        "GB",
        &[("cetc", pct(100), true, None, None)],
    ),
    top("dahua", "Zhejiang Dahua Technology Co., Ltd.", "CN", "CN"),
    under("dahua-usa", "Dahua Technology USA Inc.", "US", "dahua"),
    held(
        "lorex",
        "Lorex Technology Inc.",
        "CA",
        "CA",
        &[("dahua", None, true, Some("2018-01-01"), Some("2024-01-01"))],
    ),
    // The carriers of the FCC Covered List.
    top(
        "china-mobile-hk",
        "China Mobile international parent (hypothetical)",
        "HK",
        "HK",
    ),
    under(
        "china-mobile-international-usa",
        "China Mobile International (USA) Inc.",
        "US",
        "china-mobile-hk",
    ),
    under(
        "cmi-sub",
        "China Mobile International (USA) subsidiary (hypothetical)",
        "US",
        "china-mobile-international-usa",
    ),
    top(
        "china-telecom-americas",
        "China Telecom (Americas) Corporation",
        "US",
        "US",
    ),
    top("pacific-networks", "Pacific Networks Corp.", "US", "US"),
    held(
        "comnet-usa",
        "ComNet (USA) LLC",
        "US",
        "US",
        &[("pacific-networks", pct(100), true, None, None)],
    ),
    top(
        "china-unicom-americas",
        "China Unicom (Americas) Operations Limited",
        "US",
        "US",
    ),
    // OFAC: a designated company; one owned 30% by a designated person and
    // 20% by the designated company (blocked by the 50% rule once the person
    // is designated, in 2024); one owned 49% by them, and controlled by the
    // person (not blocked, but controlled from Russia).
    KnownVendor {
        blocked_from: Some("2022-04-15"),
        ..top(
            "sanctioned-soft",
            "Sanctioned Software Ltd (hypothetical)",
            "CY",
            "RU",
        )
    },
    held(
        "owned-by-blocked",
        "Owned-by-Blocked UAB (hypothetical)",
        "LT",
        "LT",
        &[
            ("sanctioned-oligarch", pct(30), false, None, None),
            ("sanctioned-soft", pct(20), false, None, None),
        ],
    ),
    held(
        "part-blocked",
        "Part-Blocked SAS (hypothetical)",
        "FR",
        "FR",
        &[
            ("sanctioned-oligarch", pct(29), true, None, None),
            ("sanctioned-soft", pct(20), false, None, None),
        ],
    ),
    // Integrators of Huawei and ZTE equipment.
    top("us-carrier", "US Carrier Inc. (hypothetical)", "US", "US"),
    top("lapco", "Lapco Pty Ltd (hypothetical)", "AU", "AU"),
    // ByteDance, as the shipped registry has it: TikTok Pte. Ltd. under its
    // control, and TikTok USDS Joint Venture LLC held 19.9% from 22 January
    // 2026 (below PAFACA's "at least a 20 percent stake": not foreign-adversary
    // controlled). Beside them, two hypothetical companies whose apps the
    // inventory names TikTok: one held exactly 20% by ByteDance, one held 10%
    // by ByteDance and, from 2023, 10% by TikTok Pte. Ltd. (20% in aggregate
    // only counting the stake held through a foreign-adversary-controlled
    // company).
    top("bytedance-ltd", "ByteDance Ltd.", "KY", "CN"),
    under("tiktok-pte-ltd", "TikTok Pte. Ltd.", "SG", "bytedance-ltd"),
    held(
        "tiktok-usds-joint-venture",
        "TikTok USDS Joint Venture LLC",
        "US",
        "US",
        &[(
            "bytedance-ltd",
            Some(1_990),
            false,
            Some("2026-01-22"),
            None,
        )],
    ),
    held(
        "clip-twenty",
        "Clip Twenty Inc. (hypothetical)",
        "US",
        "US",
        &[("bytedance-ltd", pct(20), false, None, None)],
    ),
    held(
        "clip-aggregate",
        "Clip Aggregate Ltd (hypothetical)",
        "GB",
        "GB",
        &[
            ("bytedance-ltd", pct(10), false, None, None),
            ("tiktok-pte-ltd", pct(10), false, Some("2023-01-01"), None),
        ],
    ),
    // DeepSeek's two companies, and Tencent (WeChat).
    top(
        "hangzhou-deepseek",
        "Hangzhou DeepSeek Artificial Intelligence Co., Ltd.",
        "CN",
        "CN",
    ),
    under(
        "beijing-deepseek",
        "Beijing DeepSeek Artificial Intelligence Co., Ltd.",
        "CN",
        "hangzhou-deepseek",
    ),
    top("tencent-holdings", "Tencent Holdings Limited", "KY", "CN"),
    // Equipment the FCC's 2024-2026 entries and the Drone Act name: DJI and
    // Autel (s.1709), hypothetical makers of drones, routers, inverters and
    // robots, and Digitalsystem Technology (whose countries are not known:
    // these are placeholders).
    top(
        "sz-dji-technology",
        "SZ DJI Technology Co., Ltd.",
        "CN",
        "CN",
    ),
    top("autel-robotics", "Autel Robotics", "CN", "CN"),
    top(
        "digitalsystem-technology",
        "Digitalsystem Technology Inc. (countries hypothetical)",
        "US",
        "US",
    ),
    top(
        "skyward-aero",
        "Skyward Aero Co. (hypothetical)",
        "CN",
        "CN",
    ),
    top("homenet", "HomeNet Networks Co. (hypothetical)", "TW", "TW"),
    top(
        "prairie-drones",
        "Prairie Drones Inc. (hypothetical)",
        "US",
        "US",
    ),
    top(
        "brightgrid",
        "BrightGrid Power GmbH (hypothetical)",
        "DE",
        "DE",
    ),
];

/// Listings on the Drone Act's list (`fasc-asda`), hypothetical: whether the
/// real list names any maker was not confirmed.
const LISTED: &[(&str, &str)] = &[("skyward-aero", "2024-03-01")];

/// Producers' Conditional Approvals, covering all their models: (vendor,
/// grantor, from).
/// Dated before the reference instant, as the workload's stakes are: a fact
/// that changes between the instant asked about and the instant an engine is
/// built at gives the first question a second epoch to build.
const PRODUCER_APPROVALS: &[(&str, &str, &str)] = &[("brightgrid", "dhs", "2026-05-01")];

/// What the FCC's rules read of some known products' models, as an
/// inventory writes it.
const EQUIPMENT: &[(&str, &str)] = &[
    (
        "dji-drone",
        r#"{"kind": "uas", "production": {"design": ["CN"], "manufacturing": ["CN"], "assembly": ["CN"]},
            "authorisation": {"granted": "2024-05-01"}}"#,
    ),
    (
        "autel-drone",
        r#"{"kind": "uas", "production": {"design": ["CN"], "manufacturing": ["CN"], "assembly": ["CN"]}}"#,
    ),
    (
        "skyward-drone",
        r#"{"kind": "uas", "production": {"design": ["CN"], "manufacturing": ["CN"], "assembly": ["CN"]},
            "authorisation": {"granted": "2026-02-01"}}"#,
    ),
    (
        "skyward-controller",
        r#"{"kind": "uas-critical-component",
            "production": {"design": ["CN"], "manufacturing": ["CN"], "assembly": ["CN"]}}"#,
    ),
    (
        "skyward-controller-blue",
        r#"{"kind": "uas-critical-component",
            "production": {"design": ["CN"], "manufacturing": ["CN"]}, "exceptions": ["blue-uas"]}"#,
    ),
    (
        "skyward-toy",
        r#"{"kind": "uas", "production": {"design": ["CN"], "manufacturing": ["CN"], "assembly": ["CN"]},
            "authorisation": {"granted": "2026-07-01"}, "exceptions": ["toy-drone"]}"#,
    ),
    (
        "prairie-drone",
        r#"{"kind": "uas", "production": {"design": ["US"], "manufacturing": ["US"], "assembly": ["US"]},
            "authorisation": {"granted": "2026-04-01"}}"#,
    ),
    (
        "prairie-drone-blue",
        r#"{"kind": "uas", "production": {"design": ["US"], "assembly": ["US"]},
            "authorisation": {"granted": "2025-06-01"}}"#,
    ),
    (
        "homenet-router",
        r#"{"kind": "router", "production": {"design": ["TW"], "manufacturing": ["VN"], "assembly": ["VN"]},
            "authorisation": {"granted": "2025-10-01"}}"#,
    ),
    (
        "homenet-router-new",
        r#"{"kind": "router", "production": {"design": ["TW"], "manufacturing": ["VN"], "assembly": ["US"]},
            "authorisation": {"granted": "2026-04-15"}}"#,
    ),
    (
        "homenet-router-approved",
        r#"{"kind": "router", "production": {"design": ["TW"], "manufacturing": ["TW"], "assembly": ["TW"]},
            "authorisation": {"granted": "2026-06-15"},
            "conditional_approvals": [{"by": "dhs", "from": "2026-05-01", "source": "hypothetical"}]}"#,
    ),
    (
        "prairie-router",
        r#"{"kind": "router", "production": {"assembly": ["US"]}}"#,
    ),
    (
        "skyward-inverter",
        r#"{"kind": "power-inverter", "production": {"design": ["CN"], "manufacturing": ["CN"], "assembly": ["CN"]},
            "authorisation": {"granted": "2026-08-15"}}"#,
    ),
    (
        "brightgrid-inverter",
        r#"{"kind": "power-inverter", "production": {"design": ["DE"], "manufacturing": ["DE"], "assembly": ["DE"]},
            "authorisation": {"granted": "2026-09-01"}}"#,
    ),
    (
        "skyward-robot",
        r#"{"kind": "advanced-robotic-device",
            "production": {"design": ["CN"], "manufacturing": ["CN"], "assembly": ["CN"]},
            "authorisation": {"granted": "2025-03-01"},
            "conditional_approvals": [{"by": "dhs", "from": "2026-05-01", "source": "hypothetical"}]}"#,
    ),
];

/// The companies of the Kaspersky family (their releases send data to RU or
/// CH, and are often serviced from RU).
const KASPERSKY_FAMILY: &[&str] = &[
    "kaspersky-labs-limited",
    "ao-kaspersky-lab",
    "kaspersky-lab-inc",
    "kaspersky-lab-switzerland",
    "ooo-kaspersky-group",
    "shield-resellers",
    "kl-majority-owned",
    "kll-portfolio",
    "polder-security",
];

/// Parties: (id, name, kind, country, designated from).
const PARTIES: &[(&str, &str, PartyKind, &str, Option<&str>)] = &[
    (
        "huawei-investment-holding",
        "Huawei Investment & Holding Co., Ltd.",
        PartyKind::HoldingCompany,
        "CN",
        None,
    ),
    (
        "cetc",
        "China Electronics Technology Group Corporation",
        PartyKind::StateOwnedEnterprise,
        "CN",
        None,
    ),
    (
        "sanctioned-oligarch",
        "A designated person (hypothetical)",
        PartyKind::Person,
        "RU",
        Some("2024-06-21"),
    ),
    (
        "ooo-kaspersky-group-holding",
        "OOO Kaspersky Group's holding company (hypothetical)",
        PartyKind::HoldingCompany,
        "RU",
        None,
    ),
];

/// Owners that take stakes in unrelated vendors more often than others.
const NOTABLE_HOLDERS: &[&str] = &[
    "ao-kaspersky-lab",
    "shield-resellers",
    "kaspersky-labs-limited",
    "kaspersky-lab-inc",
    "ooo-kaspersky-group-holding",
    "huawei",
    "huawei-investment-holding",
    "cetc",
    "sanctioned-soft",
    "sanctioned-oligarch",
];

/// Products of the known vendors: (id, vendor, category).
const KNOWN_PRODUCTS: &[(&str, &str, Category)] = &[
    ("kes", "ao-kaspersky-lab", Category::Antivirus),
    ("kav-sdk", "ao-kaspersky-lab", Category::SecuritySoftware),
    ("kti", "ao-kaspersky-lab", Category::ThreatIntelligence),
    (
        "kaspersky-asap",
        "ao-kaspersky-lab",
        Category::SecurityTraining,
    ),
    (
        "kaspersky-consulting",
        "ao-kaspersky-lab",
        Category::SecurityConsulting,
    ),
    (
        "kaspersky-cloud",
        "ao-kaspersky-lab",
        Category::CloudService,
    ),
    ("kis", "kaspersky-lab-inc", Category::Antivirus),
    (
        "kaspersky-vpn",
        "kaspersky-lab-switzerland",
        Category::SecuritySoftware,
    ),
    ("kav-ch", "kaspersky-lab-switzerland", Category::Antivirus),
    (
        "ooo-kaspersky-av",
        "ooo-kaspersky-group",
        Category::Antivirus,
    ),
    ("shield-av", "shield-resellers", Category::Antivirus),
    ("klmo-av", "kl-majority-owned", Category::Antivirus),
    ("kllp-office", "kll-portfolio", Category::Software),
    ("polder-av", "polder-security", Category::Antivirus),
    ("kghi-mail", "kg-holding-investee", Category::Software),
    ("huawei-router", "huawei", Category::Telecom),
    ("huawei-antenna", "huawei", Category::Telecom),
    ("huawei-camera", "huawei", Category::VideoSurveillance),
    ("huawei-cloud", "huawei", Category::CloudService),
    ("huawei-connect", "huawei", Category::TelecomService),
    ("huawei-roaming-hub", "huawei", Category::TelecomService),
    (
        "huawei-cloud-cctv",
        "huawei",
        Category::VideoSurveillanceService,
    ),
    ("huawei-uk-switch", "huawei-uk", Category::Telecom),
    ("huawei-5g-module", "huawei-device-co", Category::Telecom),
    ("zte-router", "zte", Category::Telecom),
    ("zte-handset", "zte", Category::Telecom),
    ("zte-usa-modem", "zte-usa", Category::Telecom),
    ("hytera-radio", "hytera", Category::Telecom),
    ("hytera-bodycam", "hytera", Category::VideoSurveillance),
    ("hytera-uk-tetra", "hytera-radio-uk", Category::Telecom),
    ("hytera-dispatch", "hytera", Category::TelecomService),
    ("hikvision-nvr", "hikvision", Category::VideoSurveillance),
    ("hikvision-camera", "hikvision", Category::VideoSurveillance),
    ("ezviz-camera", "ezviz", Category::VideoSurveillance),
    (
        "hik-connect",
        "hikvision",
        Category::VideoSurveillanceService,
    ),
    ("ezviz-cloud", "ezviz", Category::VideoSurveillanceService),
    (
        "hikvision-usa-dvr",
        "hikvision-usa",
        Category::VideoSurveillance,
    ),
    (
        "cetc-uk-camera",
        "cetc-systems-uk",
        Category::VideoSurveillance,
    ),
    ("dahua-camera", "dahua", Category::VideoSurveillance),
    ("dahua-sdk", "dahua", Category::Software),
    ("dahua-usa-nvr", "dahua-usa", Category::VideoSurveillance),
    (
        "dahua-usa-cloud",
        "dahua-usa",
        Category::VideoSurveillanceService,
    ),
    ("lorex-camera", "lorex", Category::VideoSurveillance),
    ("cmhk-transit", "china-mobile-hk", Category::TelecomService),
    (
        "cmi-router",
        "china-mobile-international-usa",
        Category::Telecom,
    ),
    (
        "cmi-connect",
        "china-mobile-international-usa",
        Category::TelecomService,
    ),
    ("cmi-sub-voice", "cmi-sub", Category::TelecomService),
    (
        "cta-ip-transit",
        "china-telecom-americas",
        Category::TelecomService,
    ),
    ("pacnet-ip", "pacific-networks", Category::TelecomService),
    ("comnet-voice", "comnet-usa", Category::TelecomService),
    (
        "cu-americas-ip",
        "china-unicom-americas",
        Category::TelecomService,
    ),
    ("sanctioned-app", "sanctioned-soft", Category::Software),
    (
        "owned-by-blocked-app",
        "owned-by-blocked",
        Category::Software,
    ),
    (
        "part-blocked-vpn",
        "part-blocked",
        Category::SecuritySoftware,
    ),
    (
        "us-carrier-backbone",
        "us-carrier",
        Category::TelecomService,
    ),
    ("us-carrier-roaming", "us-carrier", Category::TelecomService),
    ("us-carrier-gateway", "us-carrier", Category::Telecom),
    ("us-carrier-tower", "us-carrier", Category::Telecom),
    (
        "us-carrier-video",
        "us-carrier",
        Category::VideoSurveillanceService,
    ),
    ("lapco-laptop", "lapco", Category::Software),
    ("lapco-sensor", "lapco", Category::Telecom),
    ("tiktok", "tiktok-pte-ltd", Category::Software),
    ("capcut", "tiktok-pte-ltd", Category::Software),
    ("tiktok-us", "tiktok-usds-joint-venture", Category::Software),
    ("clip-twenty-app", "clip-twenty", Category::Software),
    ("clip-aggregate-app", "clip-aggregate", Category::Software),
    ("deepseek-app", "hangzhou-deepseek", Category::Software),
    ("deepseek-chat", "hangzhou-deepseek", Category::CloudService),
    ("deepseek-weights", "hangzhou-deepseek", Category::AiModel),
    (
        "deepseek-open-platform",
        "beijing-deepseek",
        Category::CloudService,
    ),
    ("lapco-deepseek-host", "lapco", Category::CloudService),
    ("wechat", "tencent-holdings", Category::Software),
    (
        "dji-drone",
        "sz-dji-technology",
        Category::VideoSurveillance,
    ),
    ("autel-drone", "autel-robotics", Category::VideoSurveillance),
    ("skyward-drone", "skyward-aero", Category::VideoSurveillance),
    ("skyward-controller", "skyward-aero", Category::Software),
    (
        "skyward-controller-blue",
        "skyward-aero",
        Category::Software,
    ),
    ("skyward-toy", "skyward-aero", Category::Software),
    (
        "prairie-drone",
        "prairie-drones",
        Category::VideoSurveillance,
    ),
    (
        "prairie-drone-blue",
        "prairie-drones",
        Category::VideoSurveillance,
    ),
    ("homenet-router", "homenet", Category::Telecom),
    ("homenet-router-new", "homenet", Category::Telecom),
    ("homenet-router-approved", "homenet", Category::Telecom),
    ("prairie-router", "prairie-drones", Category::Telecom),
    ("skyward-inverter", "skyward-aero", Category::Software),
    ("brightgrid-inverter", "brightgrid", Category::Software),
    ("skyward-robot", "skyward-aero", Category::Software),
    (
        "digitalsystem-carriage",
        "digitalsystem-technology",
        Category::TelecomService,
    ),
];

/// Known products the laws name whoever sells them (`known_as`): TikTok's
/// own app, the US joint venture's, and the two hypothetical successors;
/// DeepSeek's app, chat service and model weights, and Lapco's hosting of
/// the model (DeepSeek by name, not by vendor); WeChat. CapCut is named by
/// none (ByteDance's by its vendor's group only), nor is DeepSeek's open
/// platform (DeepSeek's by its vendor's group only).
const KNOWN_AS: &[(&str, KnownProduct)] = &[
    ("tiktok", KnownProduct::TikTok),
    ("tiktok-us", KnownProduct::TikTok),
    ("clip-twenty-app", KnownProduct::TikTok),
    ("clip-aggregate-app", KnownProduct::TikTok),
    ("deepseek-app", KnownProduct::DeepSeek),
    ("deepseek-chat", KnownProduct::DeepSeek),
    ("deepseek-weights", KnownProduct::DeepSeek),
    ("lapco-deepseek-host", KnownProduct::DeepSeek),
    ("wechat", KnownProduct::WeChat),
];

/// The forms the releases of some known products take, in turn (`None`:
/// not said, read as "unknown"); every other release says none.
const FORMS: &[(&str, &[Option<Form>])] = &[
    ("tiktok", &[Some(Form::App), Some(Form::Web), None]),
    ("capcut", &[Some(Form::App)]),
    ("tiktok-us", &[Some(Form::App), Some(Form::Web)]),
    ("clip-twenty-app", &[Some(Form::App), None]),
    ("deepseek-app", &[Some(Form::App)]),
    ("deepseek-chat", &[Some(Form::Web), Some(Form::Api)]),
    ("deepseek-open-platform", &[Some(Form::Api)]),
    ("lapco-deepseek-host", &[Some(Form::Api), Some(Form::Web)]),
    ("wechat", &[Some(Form::App), Some(Form::Web)]),
    ("kes", &[Some(Form::App), None]),
    ("kaspersky-cloud", &[Some(Form::Web), None]),
];

/// Known products that cannot route, redirect or see user data: a Huawei
/// antenna (built into a US carrier's tower, which can), and Lapco's sensor
/// (built around a Huawei module, which can).
const BLIND: &[&str] = &["huawei-antenna", "lapco-sensor"];
/// Known products marked as connecting to a third party's facilities: two
/// services (one of them Huawei's), which section 889 excepts, and a
/// gateway, equipment, which it does not.
const INTERCONNECTING: &[&str] = &[
    "us-carrier-roaming",
    "huawei-roaming-hub",
    "us-carrier-gateway",
];

/// Every release of the first product embeds the latest earlier release of
/// the second (a laptop's modem module, a carrier's routers, antennas and
/// cameras).
const BUILT_IN: &[(&str, &str)] = &[
    ("lapco-laptop", "huawei-5g-module"),
    ("lapco-sensor", "huawei-5g-module"),
    ("us-carrier-tower", "huawei-antenna"),
    ("us-carrier-video", "hikvision-camera"),
    ("us-carrier-backbone", "huawei-router"),
    ("us-carrier-roaming", "huawei-router"),
    ("us-carrier-gateway", "zte-router"),
    ("cmi-connect", "cmi-router"),
    ("homenet-router", "kis"),
    ("prairie-drone", "skyward-controller"),
    ("prairie-drone-blue", "skyward-controller-blue"),
];

/// Countries of unrelated vendors; RU and CN appear so that country rules fire
/// for vendors no rule names.
const VENDOR_COUNTRIES: &[&str] = &[
    "GB", "US", "US", "DE", "FR", "AU", "NL", "LT", "JP", "CH", "IE", "NO", "FI", "IL", "KR", "TW",
    "CA", "SE", "RU", "CN",
];

const DATA_COUNTRIES: &[&str] = &["US", "GB", "DE", "IE", "FR", "NL", "CH", "SG", "RU", "CN"];

/// Where releases are developed, supported or operated from.
const SERVICE_COUNTRIES: &[&str] = &["IN", "UA", "PL", "RU", "BY", "CN", "US", "IE"];

/// An organisation: (id, country, sector, parent, roles).
type OrganisationRow = (
    &'static str,
    &'static str,
    Sector,
    Option<&'static str>,
    &'static [Role],
);

/// The organisations.
const ORGANISATIONS: &[OrganisationRow] = &[
    ("uk-government", "GB", Sector::CentralGovernment, None, &[]),
    (
        "uk-mod",
        "GB",
        Sector::Defence,
        Some("uk-government"),
        &[Role::NationalSecurityDepartment],
    ),
    (
        "uk-fcdo",
        "GB",
        Sector::CentralGovernment,
        Some("uk-government"),
        &[Role::NationalSecurityDepartment],
    ),
    (
        "uk-dfe",
        "GB",
        Sector::CentralGovernment,
        Some("uk-government"),
        &[],
    ),
    (
        "uk-hmrc",
        "GB",
        Sector::CentralGovernment,
        Some("uk-government"),
        &[],
    ),
    (
        "uk-dstl",
        "GB",
        Sector::Defence,
        Some("uk-mod"),
        &[Role::NationalSecurityDepartment],
    ),
    (
        "uk-council-north",
        "GB",
        Sector::WiderPublicSector,
        None,
        &[],
    ),
    (
        "uk-council-south",
        "GB",
        Sector::WiderPublicSector,
        None,
        &[],
    ),
    ("uk-nhs-trust", "GB", Sector::WiderPublicSector, None, &[]),
    (
        "uk-water",
        "GB",
        Sector::CriticalNationalInfrastructure,
        None,
        &[],
    ),
    (
        "uk-aid-charity",
        "GB",
        Sector::Business,
        None,
        &[Role::ServesUkraine],
    ),
    (
        "uk-msp",
        "GB",
        Sector::Business,
        None,
        &[Role::CniServiceProvider],
    ),
    (
        "uk-thinktank",
        "GB",
        Sector::Business,
        None,
        &[Role::CounterRussianStateInterests],
    ),
    ("uk-bank", "GB", Sector::Finance, None, &[Role::HighProfile]),
    ("uk-retailer", "GB", Sector::Business, None, &[]),
    ("uk-household", "GB", Sector::Consumer, None, &[]),
    // A household with a role: individuals are not targeted by the 2022 advice.
    (
        "uk-mp-household",
        "GB",
        Sector::Consumer,
        None,
        &[Role::HighProfile],
    ),
    (
        "us-government",
        "US",
        Sector::CentralGovernment,
        None,
        &[Role::FederalExecutiveBranch],
    ),
    (
        "us-gsa",
        "US",
        Sector::CentralGovernment,
        Some("us-government"),
        &[],
    ),
    (
        "us-dhs",
        "US",
        Sector::CentralGovernment,
        Some("us-government"),
        &[],
    ),
    ("us-dod", "US", Sector::Defence, Some("us-government"), &[]),
    ("us-army", "US", Sector::Defence, Some("us-dod"), &[]),
    (
        "us-congress",
        "US",
        Sector::CentralGovernment,
        None,
        &[Role::FederalLegislativeBranch],
    ),
    (
        "us-courts",
        "US",
        Sector::CentralGovernment,
        None,
        &[Role::FederalJudicialBranch],
    ),
    (
        "us-contractor-a",
        "US",
        Sector::Business,
        None,
        &[Role::FederalContractor],
    ),
    (
        "us-contractor-b",
        "US",
        Sector::CriticalNationalInfrastructure,
        None,
        &[Role::FederalContractor],
    ),
    (
        "us-utility",
        "US",
        Sector::CriticalNationalInfrastructure,
        None,
        &[],
    ),
    (
        "us-telco",
        "US",
        Sector::CriticalNationalInfrastructure,
        None,
        &[Role::UsfRecipient],
    ),
    (
        "us-school-district",
        "US",
        Sector::WiderPublicSector,
        None,
        &[Role::UsfRecipient],
    ),
    // A library of the district: a recipient through its parent.
    (
        "us-school-library",
        "US",
        Sector::WiderPublicSector,
        Some("us-school-district"),
        &[],
    ),
    (
        "us-rural-carrier",
        "US",
        Sector::CriticalNationalInfrastructure,
        None,
        &[Role::UsfRecipient],
    ),
    (
        "us-homenet",
        "US",
        Sector::Business,
        None,
        &[Role::EquipmentGrantee],
    ),
    (
        "us-county",
        "US",
        Sector::WiderPublicSector,
        None,
        &[Role::FederalFundsRecipient],
    ),
    ("us-retail", "US", Sector::Business, None, &[]),
    ("us-household", "US", Sector::Consumer, None, &[]),
    ("au-government", "AU", Sector::CentralGovernment, None, &[]),
    (
        "au-home-affairs",
        "AU",
        Sector::CentralGovernment,
        Some("au-government"),
        &[Role::NonCorporateCommonwealthEntity],
    ),
    (
        "au-defence",
        "AU",
        Sector::Defence,
        Some("au-government"),
        &[Role::NonCorporateCommonwealthEntity],
    ),
    (
        "au-statistics",
        "AU",
        Sector::CentralGovernment,
        Some("au-government"),
        &[Role::NonCorporateCommonwealthEntity],
    ),
    ("au-business", "AU", Sector::Business, None, &[]),
    ("de-bund", "DE", Sector::CentralGovernment, None, &[]),
    (
        "de-stadtwerke",
        "DE",
        Sector::CriticalNationalInfrastructure,
        None,
        &[],
    ),
    ("de-mittelstand", "DE", Sector::Business, None, &[]),
    ("lt-mod", "LT", Sector::Defence, None, &[]),
    (
        "lt-municipality",
        "LT",
        Sector::WiderPublicSector,
        None,
        &[],
    ),
    (
        "lt-energy",
        "LT",
        Sector::CriticalNationalInfrastructure,
        None,
        &[],
    ),
    ("lt-business", "LT", Sector::Business, None, &[]),
    ("nl-justice", "NL", Sector::CentralGovernment, None, &[]),
    ("nl-defence", "NL", Sector::Defence, None, &[]),
    (
        "nl-port",
        "NL",
        Sector::CriticalNationalInfrastructure,
        None,
        &[],
    ),
    (
        "nl-abdo-contractor",
        "NL",
        Sector::Business,
        None,
        &[Role::DefenceContractor],
    ),
    ("nl-business", "NL", Sector::Business, None, &[]),
    ("fr-ministere", "FR", Sector::CentralGovernment, None, &[]),
    // An element of the intelligence community (an agency of the executive
    // branch), and the distributors PAFACA binds.
    (
        "us-odni",
        "US",
        Sector::CentralGovernment,
        Some("us-government"),
        &[Role::IntelligenceCommunity],
    ),
    (
        "us-app-store",
        "US",
        Sector::Business,
        None,
        &[Role::AppStore],
    ),
    (
        "us-hosting",
        "US",
        Sector::Business,
        None,
        &[Role::InternetHostingProvider],
    ),
    // The EU institutions, a Member's office within the Parliament.
    (
        "eu-commission",
        "BE",
        Sector::CentralGovernment,
        None,
        &[Role::EuropeanCommission],
    ),
    (
        "eu-parliament",
        "BE",
        Sector::CentralGovernment,
        None,
        &[Role::EuropeanParliament],
    ),
    (
        "eu-mep-office",
        "BE",
        Sector::CentralGovernment,
        Some("eu-parliament"),
        &[],
    ),
    (
        "eu-council",
        "BE",
        Sector::CentralGovernment,
        None,
        &[Role::CouncilOfTheEu],
    ),
    ("ca-tbs", "CA", Sector::CentralGovernment, None, &[]),
    ("ca-dnd", "CA", Sector::Defence, None, &[]),
    (
        "nz-parliamentary-service",
        "NZ",
        Sector::CentralGovernment,
        None,
        &[Role::NzParliament],
    ),
    ("tw-moda", "TW", Sector::CentralGovernment, None, &[]),
    (
        "tw-power",
        "TW",
        Sector::CriticalNationalInfrastructure,
        None,
        &[],
    ),
    ("cz-government", "CZ", Sector::CentralGovernment, None, &[]),
    (
        "cz-energy",
        "CZ",
        Sector::CriticalNationalInfrastructure,
        None,
        &[],
    ),
    ("kr-mofa", "KR", Sector::CentralGovernment, None, &[]),
    ("it-azienda", "IT", Sector::Business, None, &[]),
];

/// The first system of some organisations: (organisation, where it is if
/// not in its owner's country, the organisation it is operated for, whether
/// it is a DoD or intelligence-community mission-critical system).
type FirstSystem = (
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    bool,
);

/// Systems away from home, run for others, or mission-critical: a German
/// company's server in Virginia, a British and an Australian company's in
/// the US, a US company's office in Paris and a US household's laptop in
/// Berlin; contractors' systems run for the GSA (a federal information
/// system) and for the DoD (mission-critical); a carrier's run for a utility
/// and a UK managed-service provider's for the MoD; the DoD's and the
/// Army's mission-critical systems, one of them in Germany; a US hosting
/// provider's servers in Ireland (which PAFACA does not reach), and a US app
/// store's catalogue at home (which it does), whatever the draws.
const FIRST_SYSTEMS: &[FirstSystem] = &[
    ("de-mittelstand", Some("US"), None, false),
    ("uk-retailer", Some("US"), None, false),
    ("au-business", Some("US"), None, false),
    ("us-retail", Some("FR"), None, false),
    ("us-household", Some("DE"), None, false),
    ("us-contractor-a", None, Some("us-gsa"), false),
    ("us-contractor-b", None, Some("us-dod"), true),
    ("us-telco", None, Some("us-utility"), false),
    ("uk-msp", None, Some("uk-mod"), false),
    ("us-dod", Some("DE"), None, true),
    ("us-army", None, None, true),
    ("us-hosting", Some("IE"), None, false),
    ("us-app-store", None, None, false),
];

/// What some organisations' first systems are as devices, and what else
/// about them some rules turn on, whatever the draws (every other first
/// system is an organisation's device of unknown kind, with no contract
/// clause).
struct FirstSystemFacts {
    organisation: &'static str,
    device: Option<Device>,
    owner: DeviceOwner,
    /// Used in performing a contract that carries FAR 52.204-27.
    far_52_204_27: bool,
    /// Used in performing a contract that carries FAR 52.240-1.
    far_52_240_1: bool,
    /// A US national security system, whatever the draw.
    national_security_system: bool,
    /// Critical or not, whatever the draw.
    critical: Option<bool>,
    /// On a sensitive site (UK), whatever the draw.
    sensitive_site: bool,
}

const fn device(
    organisation: &'static str,
    device: Option<Device>,
    owner: DeviceOwner,
) -> FirstSystemFacts {
    FirstSystemFacts {
        organisation,
        device,
        owner,
        far_52_204_27: false,
        far_52_240_1: false,
        national_security_system: false,
        critical: None,
        sensitive_site: false,
    }
}

/// A contractor's system run for the GSA under a contract carrying FAR
/// 52.204-27; an ODNI national security system; the Commission's enrolled
/// personal phone; the Parliament's corporate laptop and a Member's own
/// phone; Canadian government phones, and a Canadian system that does not
/// say what it is; a New Zealand parliamentary phone; a Lithuanian
/// business's system that is not critical (which the 2017 decision only
/// advises); and a system of the MoD on a sensitive site.
const FIRST_SYSTEM_FACTS: &[FirstSystemFacts] = &[
    FirstSystemFacts {
        far_52_204_27: true,
        ..device(
            "us-contractor-a",
            Some(Device::Computer),
            DeviceOwner::Organisation,
        )
    },
    FirstSystemFacts {
        national_security_system: true,
        ..device("us-odni", Some(Device::Server), DeviceOwner::Organisation)
    },
    FirstSystemFacts {
        far_52_240_1: true,
        ..device(
            "us-contractor-b",
            Some(Device::Server),
            DeviceOwner::Organisation,
        )
    },
    device(
        "eu-commission",
        Some(Device::Mobile),
        DeviceOwner::PersonalEnrolled,
    ),
    device(
        "eu-parliament",
        Some(Device::Computer),
        DeviceOwner::Organisation,
    ),
    device("eu-mep-office", Some(Device::Mobile), DeviceOwner::Personal),
    device("ca-tbs", Some(Device::Mobile), DeviceOwner::Organisation),
    device("ca-dnd", None, DeviceOwner::Organisation),
    device(
        "nz-parliamentary-service",
        Some(Device::Mobile),
        DeviceOwner::Organisation,
    ),
    FirstSystemFacts {
        critical: Some(false),
        ..device("lt-business", None, DeviceOwner::Organisation)
    },
    FirstSystemFacts {
        sensitive_site: true,
        ..device("uk-mod", None, DeviceOwner::Organisation)
    },
];

/// Devices of the other systems, drawn in turn (unknown now and then).
const DEVICES: &[Option<Device>] = &[
    None,
    Some(Device::Mobile),
    Some(Device::Mobile),
    Some(Device::Computer),
    Some(Device::Server),
];

/// Organisations whose first system is an OFFICIAL one assessed as a
/// national-security risk: of a national-security department (the NCSC's
/// "some Official tier systems"), and of another department.
const NATIONAL_SECURITY_OFFICIAL: &[&str] = &["uk-fcdo", "uk-hmrc"];

/// Where systems away from home are (beside those of [`FIRST_SYSTEMS`]).
const ABROAD: &[&str] = &["US", "US", "GB", "DE", "FR", "JP", "IE"];

/// Organisations a contractor's system may be operated for.
/// A system run for the ODNI is a national security system.
const OPERATED_FOR: &[&str] = &[
    "us-gsa",
    "us-dhs",
    "us-dod",
    "us-army",
    "us-utility",
    "us-odni",
];

/// Levels products are authorised at.
const AUTHORISED: &[&str] = &[
    "uk-cpa:foundation",
    "common-criteria:eal2",
    "common-criteria:eal4",
    "common-criteria:eal5",
    "fedramp:low",
    "fedramp:moderate",
    "fedramp:high",
    "dod-il:il4",
    "dod-il:il5",
    "niap-pcl:listed",
];

/// A designation on OFAC's SDN list from a date (hypothetical).
fn designation(from: &str) -> Blocking {
    Blocking {
        by: "US Treasury, OFAC (SDN list) (hypothetical)".to_owned(),
        from: Some(instant(from)),
        until: None,
        source: None,
    }
}

fn stake(owner: Id, percent: Option<u32>, controls: bool, from: Option<Instant>) -> Stake {
    Stake {
        owner,
        share: percent.map(share),
        controls,
        from,
        until: None,
        source: None,
        basis: None,
    }
}

/// Generates the reference workload's shape from `seed`.
pub fn generate(seed: u64) -> Inventory {
    generate_sized(seed, Size::REFERENCE)
}

/// A release embeds only releases among the last this many generated: at the
/// reference size, any earlier one; larger inventories stay quick to make.
const EMBEDDING_WINDOW: usize = 5_000;

/// Generates the reference workload's shape, at `size`, from `seed`.
pub fn generate_sized(seed: u64, size: Size) -> Inventory {
    let mut rng = SplitMix64::new(seed);
    let mut inventory = Inventory {
        country_groups: vec![CountryGroup {
            id: id("five-eyes"),
            name: "Five Eyes".to_owned(),
            countries: ["AU", "CA", "GB", "NZ", "US"].map(country).into(),
        }],
        // It models the companies the packs name itself, as the registry does.
        registry: false,
        ..Inventory::default()
    };

    // Parties, then the known vendors.
    for (pid, name, kind, code, blocked_from) in PARTIES {
        inventory.parties.push(Party {
            id: id(pid),
            name: (*name).to_owned(),
            kind: *kind,
            country: Some(country(code)),
            controlled_by: None,
            owners: Vec::new(),
            blocked: blocked_from.map(designation),
        });
    }
    for known in KNOWN_VENDORS {
        inventory.vendors.push(Vendor {
            id: id(known.id),
            name: known.name.to_owned(),
            incorporated: country(known.incorporated),
            headquarters: country(known.headquarters),
            controlled_by: known.controlled_by.map(id),
            owners: known
                .owners
                .iter()
                .map(|&(owner, points, controls, from, until)| Stake {
                    share: points.map(|points| Share::from_basis_points(points).expect("a share")),
                    until: until.map(instant),
                    // As the registry marks it.
                    basis: (owner == "huawei-investment-holding").then_some(Basis::Unconfirmed),
                    ..stake(id(owner), None, controls, from.map(instant))
                })
                .collect(),
            blocked: known.blocked_from.map(designation),
            listed: Vec::new(),
            conditional_approvals: Vec::new(),
        });
    }

    for (vendor, from) in LISTED {
        let listed = inventory
            .vendors
            .iter_mut()
            .find(|v| v.id.as_str() == *vendor);
        listed.expect("a known vendor").listed.push(Listing {
            list: id("fasc-asda"),
            entry: None,
            from: Some(instant(from)),
            until: None,
            source: "hypothetical listing, for the workload".to_owned(),
        });
    }
    for (vendor, by, from) in PRODUCER_APPROVALS {
        let producer = inventory
            .vendors
            .iter_mut()
            .find(|v| v.id.as_str() == *vendor);
        producer
            .expect("a known vendor")
            .conditional_approvals
            .push(ConditionalApproval {
                by: by.parse().expect("a grantor"),
                from: instant(from),
                until: None,
                source: "hypothetical".to_owned(),
            });
    }

    // Unrelated vendors: a third of them controlled by an earlier unrelated
    // vendor (chains up to 3 deep), outright or with a share (a majority, or a
    // controlling minority); some hold shares in others without control, often
    // a company the rules name, some only from 2023.
    let first_unrelated = inventory.vendors.len();
    let mut depth: Vec<usize> = vec![0; first_unrelated];
    for n in 0..size.vendors.saturating_sub(KNOWN_VENDORS.len()) {
        let inc = *rng.pick(VENDOR_COUNTRIES);
        // Most are run from where they are incorporated; some from elsewhere.
        let hq = if rng.chance(85) {
            inc
        } else {
            *rng.pick(VENDOR_COUNTRIES)
        };
        let candidates: Vec<usize> = (first_unrelated..inventory.vendors.len())
            .filter(|&v| depth[v] < MAX_CONTROL_DEPTH)
            .collect();
        let up = if !candidates.is_empty() && rng.chance(35) {
            Some(*rng.pick(&candidates))
        } else {
            None
        };
        depth.push(up.map_or(1, |u| depth[u] + 1));
        let up = up.map(|u| inventory.vendors[u].id.clone());
        let mut controlled_by = None;
        let mut owners = Vec::new();
        let mut taken = 0;
        if let Some(up) = &up {
            if rng.chance(50) {
                controlled_by = Some(up.clone());
            } else {
                taken = if rng.chance(50) {
                    51 + rng.below(50) as u32
                } else {
                    20 + rng.below(30) as u32
                };
                owners.push(stake(up.clone(), Some(taken), true, None));
            }
        }
        if rng.chance(40) {
            let holder = if rng.chance(50) {
                id(rng.pick::<&str>(NOTABLE_HOLDERS))
            } else {
                inventory.vendors[rng.below(inventory.vendors.len())]
                    .id
                    .clone()
            };
            let percent = (5 + rng.below(60) as u32).min(100 - taken);
            let from = rng.chance(25).then(|| instant("2023-01-01"));
            if up.as_ref() != Some(&holder) && percent > 0 {
                owners.push(stake(holder, Some(percent), false, from));
            }
        }
        inventory.vendors.push(Vendor {
            id: id(&format!("vendor-{n:02}")),
            name: format!("Vendor {n:02} Ltd (hypothetical)"),
            incorporated: country(inc),
            headquarters: country(hq),
            controlled_by,
            owners,
            blocked: None,
            listed: Vec::new(),
            conditional_approvals: Vec::new(),
        });
    }

    // Products: the known vendors' lines, then 1 to 3 per unrelated vendor.
    for (pid, vendor, category) in KNOWN_PRODUCTS {
        let mut known = product(&mut rng, pid, vendor, *category);
        known.user_data_access = !BLIND.contains(pid);
        known.third_party_interconnection = INTERCONNECTING.contains(pid);
        known.known_as = KNOWN_AS
            .iter()
            .find(|(named, _)| named == pid)
            .map(|&(_, known_as)| known_as);
        known.equipment = EQUIPMENT
            .iter()
            .find(|(named, _)| named == pid)
            .map(|(_, json)| serde_json::from_str(json).expect("valid equipment"));
        inventory.products.push(known);
    }
    for v in first_unrelated..inventory.vendors.len() {
        let vendor = inventory.vendors[v].id.to_string();
        for n in 0..1 + rng.below(3) {
            let category = *rng.pick(Category::ALL);
            let pid = format!("{vendor}-{}-{n}", category.as_str());
            inventory
                .products
                .push(product(&mut rng, &pid, &vendor, category));
        }
    }
    // Every category is covered whatever the draw.
    for category in Category::ALL {
        if !inventory.products.iter().any(|p| p.category == *category) {
            let pid = format!("vendor-00-{}-extra", category.as_str());
            inventory
                .products
                .push(product(&mut rng, &pid, "vendor-00", *category));
        }
    }

    // Releases: at least one per product, the rest spread at random, emitted
    // round by round so every product has early and late releases.
    let products = inventory.products.len();
    let mut count = vec![1usize; products];
    for _ in products..size.releases {
        count[rng.below(products)] += 1;
    }
    let base: Vec<u64> = (0..products).map(|_| 1 + rng.below(20) as u64).collect();
    let mut order = Vec::with_capacity(size.releases);
    for round in 0..*count.iter().max().unwrap_or(&1) {
        for (p, &releases) in count.iter().enumerate() {
            if round < releases {
                order.push((p, round));
            }
        }
    }
    let vendor_of_product: Vec<usize> = inventory
        .products
        .iter()
        .map(|p| {
            inventory
                .vendors
                .iter()
                .position(|v| v.id == p.vendor)
                .expect("a vendor")
        })
        .collect();
    let built_in: Vec<Option<usize>> = inventory
        .products
        .iter()
        .map(|p| {
            BUILT_IN
                .iter()
                .find(|(outer, _)| p.id.as_str() == *outer)
                .map(|(_, inner)| {
                    inventory
                        .products
                        .iter()
                        .position(|q| q.id.as_str() == *inner)
                        .expect("a known product")
                })
        })
        .collect();
    let mut release_product: Vec<usize> = Vec::with_capacity(size.releases);
    let mut embedding_depth: Vec<usize> = Vec::with_capacity(size.releases);
    for (p, k) in order {
        let category = inventory.products[p].category;
        let vendor = vendor_of_product[p];
        let version = semver::Version::new(
            base[p] + (k / 3) as u64,
            (k % 3) as u64,
            rng.below(5) as u64,
        );
        let rid = format!("{}-{version}", inventory.products[p].id);

        let mut components = BTreeSet::new();
        let mut nonessential = BTreeSet::new();
        // The module or equipment it is built around, if any: on Lapco's
        // laptops, every other release marks the modem as not essential.
        if let Some(inner) = built_in[p] {
            let window = inventory.releases.len().saturating_sub(EMBEDDING_WINDOW);
            let latest = (window..inventory.releases.len())
                .rev()
                .find(|&r| release_product[r] == inner && embedding_depth[r] < MAX_EMBEDDING_DEPTH);
            if let Some(r) = latest {
                components.insert(r);
                if inventory.products[p].id.as_str() == "lapco-laptop" && k % 2 == 1 {
                    nonessential.insert(r);
                }
            }
        }
        // What else it may embed: earlier releases of other products, of
        // kinds that are built into products of this kind.
        let pool_categories: &[Category] = match category {
            Category::Antivirus | Category::SecuritySoftware => {
                &[Category::SecuritySoftware, Category::Antivirus]
            }
            Category::ThreatIntelligence => {
                &[Category::ThreatIntelligence, Category::SecuritySoftware]
            }
            Category::Telecom | Category::VideoSurveillance => &[
                Category::Telecom,
                Category::VideoSurveillance,
                Category::Software,
            ],
            Category::TelecomService => &[
                Category::Telecom,
                Category::TelecomService,
                Category::Software,
            ],
            Category::VideoSurveillanceService => &[
                Category::VideoSurveillance,
                Category::Software,
                Category::CloudService,
            ],
            Category::CloudService | Category::Software => &[
                Category::Software,
                Category::SecuritySoftware,
                Category::CloudService,
                Category::Telecom,
            ],
            _ => &[],
        };
        let window = inventory.releases.len().saturating_sub(EMBEDDING_WINDOW);
        let pool: Vec<usize> = (window..inventory.releases.len())
            .filter(|&r| {
                release_product[r] != p
                    && embedding_depth[r] < MAX_EMBEDDING_DEPTH
                    && pool_categories.contains(&inventory.products[release_product[r]].category)
            })
            .collect();
        if !pool.is_empty() && rng.chance(35) {
            for _ in 0..1 + rng.below(2) {
                // Often an engine or module from a vendor the rules name.
                let notable: Vec<usize> = pool
                    .iter()
                    .copied()
                    .filter(|&r| vendor_of_product[release_product[r]] < first_unrelated)
                    .collect();
                let r = if !notable.is_empty() && rng.chance(40) {
                    *rng.pick(&notable)
                } else {
                    *rng.pick(&pool)
                };
                // Some are a minor part of it (not substantial or essential).
                if components.insert(r) && rng.chance(20) {
                    nonessential.insert(r);
                }
            }
        }
        let d = components
            .iter()
            .map(|&c| embedding_depth[c] + 1)
            .max()
            .unwrap_or(0);

        let family = KASPERSKY_FAMILY.contains(&inventory.vendors[vendor].id.as_str());
        let data_countries: BTreeSet<Country> = if vendor < first_unrelated {
            if rng.chance(30) {
                BTreeSet::new()
            } else if family {
                // Kaspersky moved some processing to Switzerland in 2018.
                [country(if rng.chance(50) { "RU" } else { "CH" })].into()
            } else {
                [inventory.vendors[vendor].incorporated].into()
            }
        } else if rng.chance(50) {
            BTreeSet::new()
        } else {
            (0..1 + rng.below(2))
                .map(|_| country(rng.pick::<&str>(DATA_COUNTRIES)))
                .collect()
        };
        let service_countries: BTreeSet<Country> = if family && rng.chance(40) {
            [country("RU")].into()
        } else if rng.chance(12) {
            (0..1 + rng.below(2))
                .map(|_| country(rng.pick::<&str>(SERVICE_COUNTRIES)))
                .collect()
        } else {
            BTreeSet::new()
        };
        let name = rng
            .chance(15)
            .then(|| format!("{} {version}", inventory.products[p].name));
        let ids = |set: &BTreeSet<usize>| -> BTreeSet<Id> {
            set.iter()
                .map(|&c| inventory.releases[c].id.clone())
                .collect()
        };
        let release = Release {
            id: id(&rid),
            product: inventory.products[p].id.clone(),
            version,
            name,
            data_countries,
            components: ids(&components),
            nonessential_components: ids(&nonessential),
            service_countries,
            audited: rng.chance(20),
            unattributed_components: BTreeSet::new(),
            form: FORMS
                .iter()
                .find(|(product, _)| *product == inventory.products[p].id.as_str())
                .and_then(|(_, forms)| forms[k % forms.len()]),
            production: None,
        };
        inventory.releases.push(release);
        release_product.push(p);
        embedding_depth.push(d);
    }

    // Authorisations: ranges over one major, everything, or from a version on;
    // some lapsed before the reference instant, some lapsing after, some never.
    for n in 0..size.authorisations {
        let r = rng.below(inventory.releases.len());
        let release = &inventory.releases[r];
        let major = release.version.major;
        let versions = match rng.below(4) {
            0 => "*".to_owned(),
            1 => format!(">={major}.0.0, <{}.0.0", major + 1),
            2 => format!(">={}", release.version),
            _ => format!("={}", release.version),
        };
        let lapses = match rng.below(4) {
            0 => None,
            1 => Some(instant(&format!("2025-{:02}-15", 1 + rng.below(12)))),
            _ => Some(instant(&format!(
                "{}-{:02}-01",
                2026 + rng.below(3),
                1 + rng.below(12)
            ))),
        };
        inventory.authorisations.push(Authorisation {
            id: id(&format!("auth-{n:02}")),
            product: release.product.clone(),
            assurance: assurance(rng.pick::<&str>(AUTHORISED)),
            versions: versions.parse().expect("a valid version requirement"),
            lapses,
        });
    }

    // Organisations, then systems: one per organisation, the rest at random.
    for (oid, code, sector, parent, roles) in ORGANISATIONS {
        inventory.organisations.push(Organisation {
            id: id(oid),
            name: format!("Organisation {oid} (hypothetical)"),
            country: country(code),
            sector: *sector,
            parent: parent.map(id),
            roles: roles.iter().copied().collect(),
        });
    }
    for n in 0..size.systems {
        let o = if n < ORGANISATIONS.len() {
            n
        } else {
            rng.below(ORGANISATIONS.len())
        };
        let (oid, code, sector, _, roles) = ORGANISATIONS[o];
        let government = matches!(
            sector,
            Sector::CentralGovernment | Sector::Defence | Sector::WiderPublicSector
        );
        let department = matches!(sector, Sector::CentralGovernment | Sector::Defence);
        let first = n < ORGANISATIONS.len();
        let national_security_official = first && NATIONAL_SECURITY_OFFICIAL.contains(&oid);
        let classification = if national_security_official {
            Classification::Official
        } else if government {
            *rng.pick(&[
                Classification::Unclassified,
                Classification::Official,
                Classification::Official,
                Classification::Official,
                Classification::Confidential,
                Classification::Secret,
                Classification::Secret,
                Classification::TopSecret,
            ])
        } else if sector == Sector::CriticalNationalInfrastructure && rng.chance(40) {
            Classification::Official
        } else {
            Classification::Unclassified
        };
        let mut purposes = BTreeSet::new();
        for _ in 0..rng.below(3) {
            purposes.insert(*rng.pick(Purpose::ALL));
        }
        let mut requires = BTreeSet::new();
        if rng.chance(15) {
            for _ in 0..1 + rng.below(2) {
                // A level some product holds, or one below it.
                let held = assurance(rng.pick::<&str>(AUTHORISED));
                let levels: Vec<Assurance> = held.and_below().collect();
                requires.insert(*rng.pick(&levels));
            }
        }
        // UK departments' sites and networks (and, rarely, others', which
        // the UK rules do not cover).
        let uk_department = code == "GB" && department;
        let official_sensitive = classification == Classification::Official && rng.chance(30);
        let national_security =
            rng.chance(if government { 30 } else { 5 }) || national_security_official;
        let first_facts = FIRST_SYSTEM_FACTS
            .iter()
            .find(|d| first && d.organisation == oid);
        let national_security_system = first_facts.is_some_and(|d| d.national_security_system)
            || (code == "US" && department && rng.chance(25));
        let sensitive_site = rng.chance(if uk_department { 35 } else { 5 })
            || first_facts.is_some_and(|f| f.sensitive_site);
        let core_network = rng.chance(if uk_department { 30 } else { 5 });
        let critical = rng.chance(if sector == Sector::CriticalNationalInfrastructure {
            70
        } else {
            10
        });
        let critical = first_facts.and_then(|d| d.critical).unwrap_or(critical);
        // Where it is, whom it is run for, whether it is mission-critical:
        // as [`FIRST_SYSTEMS`] says for an organisation's first system; for
        // the others, now and then a company's or household's system abroad,
        // a contractor's system run for someone, a DoD system mission-critical.
        let (location, operated_for, dod_ic_mission_critical) =
            match FIRST_SYSTEMS.iter().find(|(org, ..)| first && *org == oid) {
                Some(&(_, location, operated_for, mission_critical)) => (
                    location.map(country),
                    operated_for.map(id),
                    mission_critical,
                ),
                None => {
                    let private = matches!(sector, Sector::Business | Sector::Consumer);
                    let location = (private && rng.chance(20))
                        .then(|| country(rng.pick::<&str>(ABROAD)))
                        .filter(|place| place.code() != code);
                    let operated_for = (roles.contains(&Role::FederalContractor) && rng.chance(60))
                        .then(|| id(rng.pick::<&str>(OPERATED_FOR)));
                    let mission_critical = matches!(oid, "us-dod" | "us-army") && rng.chance(30);
                    (location, operated_for, mission_critical)
                }
            };
        let national_security_system = national_security_system
            || operated_for
                .as_ref()
                .is_some_and(|o| o.as_str() == "us-odni");
        // What device it is and whose: as [`FIRST_SYSTEM_FACTS`] says, an
        // organisation's device of unknown kind for other first systems, and
        // drawn for the rest (people's own phones now and then, households'
        // devices their own); some contractors' systems are used under
        // contracts carrying FAR 52.204-27.
        let far_52_240_1 = first_facts.is_some_and(|d| d.far_52_240_1);
        let (device, device_owner, far_52_204_27) = match first_facts {
            Some(d) => (d.device, d.owner, d.far_52_204_27),
            None if first => (None, DeviceOwner::Organisation, false),
            None => {
                let device = *rng.pick(DEVICES);
                let owner = if sector == Sector::Consumer {
                    DeviceOwner::Personal
                } else if device == Some(Device::Mobile) && rng.chance(40) {
                    *rng.pick(&[DeviceOwner::PersonalEnrolled, DeviceOwner::Personal])
                } else {
                    DeviceOwner::Organisation
                };
                let far = roles.contains(&Role::FederalContractor) && rng.chance(50);
                (device, owner, far)
            }
        };
        inventory.systems.push(System {
            id: id(&format!("{oid}-sys-{n:03}")),
            name: format!("System {n} of {oid}"),
            owner: id(oid),
            location,
            operated_for,
            classification,
            official_sensitive,
            national_security,
            national_security_system,
            dod_ic_mission_critical,
            sensitive_site,
            core_network,
            critical,
            purposes,
            requires,
            device,
            device_owner,
            contract_clauses: [
                (far_52_204_27, ContractClause::Far52_204_27),
                (far_52_240_1, ContractClause::Far52_240_1),
            ]
            .into_iter()
            .filter_map(|(carried, clause)| carried.then_some(clause))
            .collect(),
        });
    }

    // Waivers: every key one the packs test.
    let systems_of = |inventory: &Inventory, org: &str| -> Vec<Id> {
        inventory
            .systems
            .iter()
            .filter(|s| s.owner.as_str() == org)
            .map(|s| s.id.clone())
            .collect()
    };
    let all_actions: BTreeSet<Action> = Action::ALL.iter().copied().collect();
    let mut waivers: Vec<Waiver> = Vec::new();
    let mut waiver = |wid: &str,
                      rules: &[&str],
                      products: Vec<Id>,
                      vendors: &[&str],
                      systems: Vec<Id>,
                      organisations: &[&str],
                      actions: BTreeSet<Action>,
                      from: Option<&str>,
                      until: &str| {
        waivers.push(Waiver {
            id: id(wid),
            rules: rules.iter().map(|r| (*r).to_owned()).collect(),
            products: products.into_iter().collect(),
            vendors: vendors.iter().map(|v| id(v)).collect(),
            systems: systems.into_iter().collect(),
            organisations: organisations.iter().map(|o| id(o)).collect(),
            actions,
            granted_by: "Head of agency (hypothetical)".to_owned(),
            from: from.map(instant),
            until: instant(until),
            kind: WaiverKind::Exception,
            source: None,
        });
    };
    let operate_update: BTreeSet<Action> = [Action::Operate, Action::Update].into();
    let acquire: BTreeSet<Action> = [Action::Procure, Action::Deploy, Action::Update].into();
    let procure_update: BTreeSet<Action> = [Action::Procure, Action::Update].into();
    let home_affairs = systems_of(&inventory, "au-home-affairs");
    let defence = systems_of(&inventory, "au-defence");
    let kaspersky_product = |n: usize| id(KNOWN_PRODUCTS[n].0);
    // Honoured at the reference instant: PSPF exemptions for named systems.
    waiver(
        "pspf-exemption-home-affairs",
        &["au-pspf-002-2025/kaspersky"],
        vec![],
        &["ao-kaspersky-lab"],
        home_affairs.clone(),
        &[],
        operate_update.clone(),
        None,
        "2026-12-31",
    );
    waiver(
        "pspf-exemption-defence-kes",
        &["au-pspf-002-2025/kaspersky"],
        vec![kaspersky_product(0), kaspersky_product(2)],
        &[],
        defence.clone(),
        &[],
        all_actions.clone(),
        Some("2026-04-01"),
        "2027-04-01",
    );
    // An exemption for a whole department (and so its systems), by vendor.
    waiver(
        "pspf-exemption-statistics",
        &["au-pspf-002-2025/kaspersky"],
        vec![],
        &["kaspersky-lab-inc"],
        vec![],
        &["au-statistics"],
        all_actions.clone(),
        None,
        "2027-01-01",
    );
    // Lapsed before the reference instant.
    waiver(
        "pspf-exemption-lapsed",
        &["au-pspf-002-2025/kaspersky"],
        vec![],
        &["ao-kaspersky-lab"],
        vec![],
        &["au-government"],
        all_actions.clone(),
        None,
        "2026-05-01",
    );
    // Section 889 waivers by agency heads: the rule honours them only before
    // 2021-08-13 (A) or 2022-08-13 (B), so at the reference instant they
    // lift nothing.
    waiver(
        "gsa-889-waiver-cctv",
        &["us-ndaa-889/agency-video-surveillance"],
        vec![],
        &["hikvision", "dahua"],
        vec![],
        &["us-gsa"],
        acquire.clone(),
        None,
        "2021-08-13",
    );
    waiver(
        "dhs-889-waiver-telecom",
        &[
            "us-ndaa-889/agency-telecom",
            "us-ndaa-889/agency-video-surveillance",
        ],
        vec![],
        &["huawei", "zte", "hytera"],
        vec![],
        &["us-dhs", "us-dod"],
        acquire.clone(),
        Some("2019-08-13"),
        "2026-08-13",
    );
    waiver(
        "contractor-889-waiver",
        &[
            "us-ndaa-889/contractor-telecom",
            "us-ndaa-889/contractor-video-surveillance",
            "us-ndaa-889/contractor-hytera-hikvision-dahua-services",
        ],
        vec![],
        &["huawei", "hikvision"],
        vec![],
        &["us-contractor-a", "us-contractor-b"],
        all_actions.clone(),
        None,
        "2022-08-13",
    );
    // An agency head's waiver for the services of Hytera, Hikvision and
    // Dahua, honoured until its cap (2021) though in force until 2023.
    waiver(
        "gsa-889-waiver-services",
        &["us-ndaa-889/agency-hytera-hikvision-dahua-services"],
        vec![],
        &["hikvision", "hytera"],
        vec![],
        &["us-gsa", "us-dhs"],
        acquire.clone(),
        None,
        "2023-01-01",
    );
    // Not yet in force.
    waiver(
        "pspf-exemption-future",
        &["au-pspf-002-2025/kaspersky"],
        vec![],
        &["ao-kaspersky-lab"],
        defence,
        &[],
        operate_update,
        Some("2027-01-01"),
        "2028-01-01",
    );
    // Section 889 waivers by the Director of National Intelligence, which
    // the rules honour without a cap: one from 2023, one alongside the DHS
    // waiver above, one naming both keys of a rule.
    waiver(
        "dni-889-gsa-cctv",
        &["us-ndaa-889/agency-video-surveillance/dni"],
        vec![],
        &["hikvision", "dahua", "hytera"],
        vec![],
        &["us-gsa"],
        acquire.clone(),
        Some("2023-01-01"),
        "2027-01-01",
    );
    waiver(
        "dni-889-dod",
        &[
            "us-ndaa-889/agency-telecom/dni",
            "us-ndaa-889/agency-video-surveillance/dni",
        ],
        vec![],
        &["huawei", "hytera"],
        vec![],
        &["us-dod"],
        acquire,
        None,
        "2027-01-01",
    );
    waiver(
        "dni-889-contractor-services",
        &["us-ndaa-889/contractor-hytera-hikvision-dahua-services/dni"],
        vec![],
        &["hikvision", "dahua"],
        vec![],
        &["us-contractor-a"],
        all_actions.clone(),
        Some("2021-01-01"),
        "2027-01-01",
    );
    waiver(
        "dni-889-contractor-zte",
        &[
            "us-ndaa-889/contractor-telecom",
            "us-ndaa-889/contractor-telecom/dni",
        ],
        vec![],
        &["zte"],
        vec![],
        &["us-contractor-b"],
        all_actions.clone(),
        None,
        "2027-06-01",
    );
    // OFAC licences: one in force, one lapsed.
    waiver(
        "ofac-licence",
        &["us-ofac-50/blocked-vendor"],
        vec![],
        &["owned-by-blocked", "sanctioned-soft"],
        vec![],
        &["us-retail", "us-telco"],
        procure_update,
        None,
        "2027-01-01",
    );
    waiver(
        "ofac-licence-lapsed",
        &["us-ofac-50/blocked-vendor"],
        vec![],
        &["sanctioned-soft"],
        vec![],
        &["us-government"],
        all_actions.clone(),
        None,
        "2025-01-01",
    );
    // Apps on government devices. M-23-13 allows no blanket exception, so
    // the No TikTok Act's and FAR 52.204-27's waivers name systems: one of
    // the DHS's (law enforcement), and a contractor's system run for the GSA,
    // for the US joint venture's app only.
    let first_of =
        |org: &str| -> Vec<Id> { systems_of(&inventory, org).into_iter().take(1).collect() };
    waiver(
        "no-tiktok-act-dhs-investigations",
        &["us-no-tiktok-act/agency-it"],
        vec![id("tiktok")],
        &[],
        first_of("us-dhs"),
        &[],
        all_actions.clone(),
        Some("2023-03-29"),
        "2027-03-29",
    );
    waiver(
        "far-52-204-27-exception-contractor-a",
        &["us-far-52-204-27/contractor-it"],
        vec![id("tiktok-us")],
        &[],
        first_of("us-contractor-a"),
        &[],
        all_actions.clone(),
        None,
        "2027-01-01",
    );
    // PAFACA's non-enforcement orders, for the distributors, from the Act's
    // date until 23 January 2026 (a non-enforcement waiver, set below):
    // honoured in 2025, lapsed at the reference instant.
    waiver(
        "pafaca-non-enforcement",
        &["us-pafaca/distribution"],
        vec![
            id("tiktok"),
            id("tiktok-us"),
            id("clip-twenty-app"),
            id("clip-aggregate-app"),
        ],
        &["bytedance-ltd"],
        vec![],
        &["us-app-store", "us-hosting"],
        all_actions.clone(),
        Some("2025-01-19"),
        "2026-01-23",
    );
    // Exemptions by organisation (these rules allow them): the FCDO's, for
    // TikTok; the Bureau of Statistics', for running and updating it; a
    // research exemption for DeepSeek's model weights in Taiwan; and, for
    // running only, Defence's for DeepSeek (by vendor: its Beijing company
    // too, which Hangzhou's controls), New Zealand's Parliament's for
    // TikTok, and the ODNI's for DeepSeek's chat.
    waiver(
        "uk-tiktok-exemption-fcdo",
        &["uk-tiktok-2023/government-devices"],
        vec![id("tiktok"), id("tiktok-us")],
        &[],
        vec![],
        &["uk-fcdo"],
        all_actions.clone(),
        Some("2023-03-16"),
        "2027-01-01",
    );
    waiver(
        "pspf-001-2023-exemption-statistics",
        &["au-pspf-001-2023/tiktok"],
        vec![id("tiktok")],
        &[],
        vec![],
        &["au-statistics"],
        [Action::Operate, Action::Update].into(),
        None,
        "2027-01-01",
    );
    waiver(
        "tw-deepseek-research",
        &["tw-moda-deepseek-2025/government"],
        vec![id("deepseek-weights")],
        &[],
        vec![],
        &["tw-moda"],
        all_actions.clone(),
        None,
        "2027-01-01",
    );
    waiver(
        "pspf-001-2025-exemption-defence",
        &["au-pspf-001-2025/deepseek"],
        vec![],
        &["hangzhou-deepseek"],
        vec![],
        &["au-defence"],
        [Action::Operate].into(),
        Some("2025-03-01"),
        "2027-01-01",
    );
    waiver(
        "nz-parliament-tiktok-duties",
        &["nz-parliament-tiktok-2023/tiktok"],
        vec![id("tiktok")],
        &[],
        vec![],
        &["nz-parliamentary-service"],
        [Action::Operate].into(),
        None,
        "2027-01-01",
    );
    waiver(
        "ndaa-6604-research",
        &["us-ndaa-6604/deepseek-ic-systems"],
        vec![id("deepseek-chat")],
        &[],
        vec![],
        &["us-odni"],
        [Action::Operate].into(),
        Some("2026-02-16"),
        "2027-02-16",
    );
    // A Drone Act exemption for the DHS (counter-UAS testing, say), for
    // operating the listed maker's drones.
    waiver(
        "asda-dhs-exemption",
        &["us-asda-2023/operation"],
        vec![],
        &["skyward-aero"],
        vec![],
        &["us-dhs"],
        [Action::Deploy, Action::Operate].into(),
        Some("2025-12-22"),
        "2028-01-01",
    );
    // A key the packs test, for systems the rule does not cover: it lifts nothing.
    waiver(
        "pspf-exemption-misplaced",
        &["au-pspf-002-2025/kaspersky"],
        vec![],
        &["ao-kaspersky-lab"],
        vec![],
        &["uk-government"],
        all_actions,
        None,
        "2030-01-01",
    );
    inventory.waivers = waivers;
    for waiver in &mut inventory.waivers {
        if waiver.id.as_str() == "pafaca-non-enforcement" {
            waiver.kind = WaiverKind::NonEnforcement;
            waiver.granted_by =
                "President of the United States (EO 14166, 14258, 14310, 14350, 14352)".to_owned();
        }
    }

    // Deployments: 2 to 5 distinct releases per system, [`DEPLOYMENTS`] in all.
    let mut wants: Vec<usize> = (0..inventory.systems.len())
        .map(|_| 2 + rng.below(4))
        .collect();
    loop {
        let total: usize = wants.iter().sum();
        if total == size.deployments {
            break;
        }
        let s = rng.below(wants.len());
        if total > size.deployments && wants[s] > 2 {
            wants[s] -= 1;
        } else if total < size.deployments && wants[s] < 5 {
            wants[s] += 1;
        }
    }
    for (s, want) in wants.into_iter().enumerate() {
        let mut chosen = BTreeSet::new();
        while chosen.len() < want {
            chosen.insert(rng.below(inventory.releases.len()));
        }
        for r in chosen {
            inventory.deployments.push(Deployment {
                system: inventory.systems[s].id.clone(),
                release: inventory.releases[r].id.clone(),
            });
        }
    }
    inventory
}

/// A product; some telecom equipment cannot see user data, and some
/// telecom services, and some telecom equipment, are marked as connecting to
/// third parties' facilities.
fn product(rng: &mut SplitMix64, pid: &str, vendor: &str, category: Category) -> Product {
    Product {
        id: id(pid),
        name: format!("Product {pid}"),
        vendor: id(vendor),
        category,
        privileged: category == Category::Antivirus
            || (category == Category::SecuritySoftware && rng.chance(50)),
        cloud_connected: rng.chance(50),
        user_data_access: !(category == Category::Telecom && rng.chance(20)),
        third_party_interconnection: match category {
            Category::TelecomService => rng.chance(25),
            Category::Telecom => rng.chance(10),
            _ => false,
        },
        known_as: None,
        equipment: None,
    }
}
