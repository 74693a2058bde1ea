//! Products (lines of a vendor) and their releases (versions).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::keyword::keyword_enum;
use crate::model::{Country, Equipment, Id, Production};

keyword_enum! {
    /// What kind of product it is. Rules are scoped by category: the UK
    /// advice is about antivirus, the US Commerce rule exempts threat
    /// intelligence and training, section 889 is about telecom and video
    /// surveillance equipment.
    pub enum Category: "product category" {
        /// Antivirus and endpoint protection (including suites built around a scanning engine).
        Antivirus = "antivirus",
        /// Other cybersecurity software (firewalls, VPN clients, scanners, SDKs).
        SecuritySoftware = "security-software",
        /// Threat-intelligence feeds and services.
        ThreatIntelligence = "threat-intelligence",
        /// Security awareness and training.
        SecurityTraining = "security-training",
        /// Security consulting services.
        SecurityConsulting = "security-consulting",
        /// Telecommunications equipment (routers, switches, base stations, handsets, modules).
        Telecom = "telecom",
        /// Telecommunications services (connectivity, international carriage).
        TelecomService = "telecom-service",
        /// Video surveillance equipment (cameras, recorders).
        VideoSurveillance = "video-surveillance",
        /// Video surveillance services (hosted recording, monitoring, video
        /// analytics), which section 889 names beside telecommunications
        /// services.
        VideoSurveillanceService = "video-surveillance-service",
        /// A cloud-hosted service.
        CloudService = "cloud-service",
        /// An AI model's weights, run by whoever deploys them (self-hosted
        /// open weights), not a service of the model's maker.
        AiModel = "ai-model",
        /// Any other software.
        Software = "software",
    }
}

keyword_enum! {
    /// A product that laws name by itself, whoever makes or runs it: the No
    /// TikTok on Government Devices Act bans "the social networking service
    /// TikTok", a name that survives a change of owner. A product says which
    /// one it is ([`Product::known_as`]); policies read it as `knownAs`.
    ///
    /// ```
    /// use clearance::KnownProduct;
    ///
    /// assert_eq!("tiktok".parse::<KnownProduct>()?, KnownProduct::TikTok);
    /// # Ok::<(), clearance::Error>(())
    /// ```
    pub enum KnownProduct: "known product" {
        /// The social networking service TikTok (its apps, web site and
        /// services, wherever run and whoever runs them).
        TikTok = "tiktok",
        /// DeepSeek's AI assistant and models (its apps, web chat, API, and
        /// the model weights it publishes).
        DeepSeek = "deepseek",
        /// Tencent's messaging service WeChat (Weixin).
        WeChat = "wechat",
    }
}

keyword_enum! {
    /// How a release of a product is used, where a rule tells them apart: an
    /// app installed on the device, the web version in a browser, or an API
    /// called by programs. New Zealand's Parliament removed the TikTok app
    /// but left it "still reachable by browser"; the European Parliament
    /// blocked web access too.
    pub enum Form: "release form" {
        /// An app or program installed on the device.
        App = "app",
        /// A web site or web app used in a browser.
        Web = "web",
        /// An interface called by other programs.
        Api = "api",
    }
}

/// A product line of a vendor, such as "Kaspersky Endpoint Security".
///
/// What differs from version to version lives on its [`Release`]s.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Product {
    /// How the inventory and policies name it.
    pub id: Id,
    /// Its marketed name.
    pub name: String,
    /// The vendor that makes or supplies it.
    pub vendor: Id,
    /// What kind of product it is.
    pub category: Category,
    /// Whether it runs with deep access to the machine (kernel drivers, full
    /// file access), as antivirus does.
    #[serde(default)]
    pub privileged: bool,
    /// Whether it is in regular contact with its vendor's cloud.
    #[serde(default)]
    pub cloud_connected: bool,
    /// Whether it can route or redirect user data traffic, or see user data
    /// or packets. Telecommunications equipment that cannot is outside
    /// section 889 (judged on the covered equipment itself, wherever it is
    /// embedded: see `essentialUserDataTelecomGroups` in the schema); most
    /// equipment can, so this defaults to true.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub user_data_access: bool,
    /// Whether it is a service connecting to a third party's facilities
    /// (backhaul, roaming, interconnection arrangements), which section 889
    /// leaves out. Only a service can be one ([`Category::is_service`]): the
    /// shipped packs ignore the flag on equipment, which section 889 covers
    /// whatever it connects to.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub third_party_interconnection: bool,
    /// Which product a law names it as, if any ("the social networking
    /// service TikTok"), whoever its vendor is: rules naming the product
    /// follow this, not the vendor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub known_as: Option<KnownProduct>,
    /// What the FCC's equipment rules need to know of it as a model of
    /// equipment (its kind, production, authorisation, approvals), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equipment: Option<Equipment>,
}

impl Category {
    /// Whether products of this category are "information security products,
    /// solutions, and services", the words of DHS Binding Operational
    /// Directive 17-01 and of the FCC Covered List's Kaspersky entry: antivirus,
    /// other security software, threat intelligence, security training and
    /// security consulting. That the five categories are exactly what those
    /// words cover is this project's reading, stated here once; policies read
    /// it as `resource.product.informationSecurity`.
    ///
    /// ```
    /// use clearance::Category;
    ///
    /// assert!(Category::Antivirus.is_information_security());
    /// assert!(Category::ThreatIntelligence.is_information_security());
    /// // An operating system is not, even one sold by a security company.
    /// assert!(!Category::Software.is_information_security());
    /// ```
    pub fn is_information_security(self) -> bool {
        matches!(
            self,
            Category::Antivirus
                | Category::SecuritySoftware
                | Category::ThreatIntelligence
                | Category::SecurityTraining
                | Category::SecurityConsulting
        )
    }

    /// Whether products of this category are services rather than equipment
    /// or software: section 889's exception for "a service that connects to
    /// the facilities of a third party" can only apply to these.
    ///
    /// ```
    /// use clearance::Category;
    ///
    /// assert!(Category::TelecomService.is_service());
    /// assert!(!Category::Telecom.is_service());
    /// ```
    pub fn is_service(self) -> bool {
        matches!(
            self,
            Category::ThreatIntelligence
                | Category::SecurityTraining
                | Category::SecurityConsulting
                | Category::TelecomService
                | Category::VideoSurveillanceService
                | Category::CloudService
        )
    }
}

fn yes() -> bool {
    true
}

fn is_true(value: &bool) -> bool {
    *value
}

/// One version of a product, with what differs by version.
///
/// `components` names the releases of other products whose code this one
/// embeds (a licensed scanning engine, an SDK, a modem module); embedding is
/// followed to any depth, so a suite whose engine embeds Kaspersky's SDK
/// contains Kaspersky code. `nonessential_components` marks those of them that
/// are not a substantial or essential part of it (section 889 looks only at
/// those that are).
///
/// ```
/// use clearance::Release;
///
/// let release: Release = serde_json::from_str(r#"{
///     "id": "orange-suite-2018",
///     "product": "orange-suite",
///     "version": "2018.0.0",
///     "name": "Orange Security Suite 2018",
///     "components": ["kav-sdk-8"],
///     "data_countries": ["FR"]
/// }"#)?;
/// assert_eq!(release.version.major, 2018);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Release {
    /// How the inventory and queries name it.
    pub id: Id,
    /// The product it is a version of.
    pub product: Id,
    /// Its semantic version.
    pub version: semver::Version,
    /// A display name; defaults to the product name and the version.
    #[serde(default)]
    pub name: Option<String>,
    /// The countries its telemetry or customer data is sent to.
    #[serde(default)]
    pub data_countries: BTreeSet<Country>,
    /// Releases of other products whose code it embeds.
    #[serde(default)]
    pub components: BTreeSet<Id>,
    /// Those of `components` that are not a substantial or essential part of it.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub nonessential_components: BTreeSet<Id>,
    /// The countries it is developed, supported or operated from (the UK's
    /// 2022 advice covers services provided out of Russia).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub service_countries: BTreeSet<Country>,
    /// Whether this version has been independently audited.
    #[serde(default)]
    pub audited: bool,
    /// Components it embeds directly whose vendor is not known, each by its
    /// package URL or its name and version (as an SBOM import records them:
    /// see [`crate::sbom`]). Policies read how many distinct ones the release
    /// and everything it embeds hold, at any depth, as `unattributedComponents`.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub unattributed_components: BTreeSet<String>,
    /// How it is used, where a rule tells an app from its web version or
    /// its API (`None`: not said; policies read `"unknown"`, and rules that
    /// spare a form treat an unknown one as covered).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<Form>,
    /// Where this release is produced, where it differs from its product's
    /// [`Equipment::production`] (a hardware revision made elsewhere).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub production: Option<Production>,
}
