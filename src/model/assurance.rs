//! Assurance schemes, the levels they grant, and product authorisations.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::truncate;
use crate::error::{invalid, Error};
use crate::keyword::keyword_enum;
use crate::model::Id;
use crate::model::Instant;

keyword_enum! {
    /// An assurance scheme under which products are authorised.
    pub enum Scheme: "assurance scheme" {
        /// UK Commercial Product Assurance. Foundation Grade maps to OFFICIAL.
        UkCpa = "uk-cpa",
        /// Common Criteria, by evaluation assurance level. A certificate covers specific versions.
        CommonCriteria = "common-criteria",
        /// US FedRAMP authorisation of cloud services.
        Fedramp = "fedramp",
        /// US DoD cloud impact levels (IL6 is SECRET).
        DodIl = "dod-il",
        /// NIAP Product Compliant List, required for security products on US national security systems.
        NiapPcl = "niap-pcl",
    }
}

impl Scheme {
    /// The levels of the scheme, lowest first.
    pub fn levels(self) -> &'static [&'static str] {
        match self {
            Scheme::UkCpa => &["foundation"],
            Scheme::CommonCriteria => &["eal1", "eal2", "eal3", "eal4", "eal5", "eal6", "eal7"],
            Scheme::Fedramp => &["low", "moderate", "high"],
            Scheme::DodIl => &["il2", "il4", "il5", "il6"],
            Scheme::NiapPcl => &["listed"],
        }
    }
}

/// A level of a scheme, written `scheme:level`, such as `fedramp:moderate`.
///
/// Levels are ordered within their scheme. A product authorised at a level
/// meets every requirement of the same scheme at that level or below:
///
/// ```
/// use clearance::Assurance;
///
/// let moderate: Assurance = "fedramp:moderate".parse()?;
/// let high: Assurance = "fedramp:high".parse()?;
/// assert!(high.meets(&moderate));
/// assert!(!moderate.meets(&high));
/// assert!("fedramp:extreme".parse::<Assurance>().is_err());
/// # Ok::<(), clearance::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Assurance {
    scheme: Scheme,
    rank: usize,
}

impl Assurance {
    /// The scheme.
    pub fn scheme(self) -> Scheme {
        self.scheme
    }

    /// The level's name within its scheme.
    pub fn level(self) -> &'static str {
        self.scheme.levels()[self.rank]
    }

    /// Whether a product at this level satisfies a requirement for `required`.
    pub fn meets(self, required: &Assurance) -> bool {
        self.scheme == required.scheme && self.rank >= required.rank
    }

    /// This level and every lower level of the scheme: the requirements it meets.
    pub fn and_below(self) -> impl Iterator<Item = Assurance> {
        (0..=self.rank).map(move |rank| Assurance {
            scheme: self.scheme,
            rank,
        })
    }
}

impl fmt::Display for Assurance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.scheme, self.level())
    }
}

impl std::str::FromStr for Assurance {
    type Err = Error;
    fn from_str(text: &str) -> Result<Self, Error> {
        let what = || format!("assurance {:?}", truncate(text));
        let (scheme, level) = text
            .split_once(':')
            .ok_or_else(|| invalid(what(), "expected `scheme:level`, e.g. \"fedramp:moderate\""))?;
        let scheme: Scheme = scheme.parse().map_err(|e: Error| invalid(what(), e))?;
        let rank = scheme
            .levels()
            .iter()
            .position(|l| *l == level)
            .ok_or_else(|| {
                invalid(
                    what(),
                    format_args!("{scheme} has levels {}", scheme.levels().join(", ")),
                )
            })?;
        Ok(Assurance { scheme, rank })
    }
}

crate::keyword::text_form!(Assurance);

/// A product's authorisation under a scheme, for some of its versions, until
/// it lapses.
///
/// ```
/// use clearance::Authorisation;
///
/// let cc: Authorisation = serde_json::from_str(r#"{
///     "id": "cc-2023-17",
///     "product": "example-firewall",
///     "assurance": "common-criteria:eal4",
///     "versions": ">=5.1, <6",
///     "lapses": "2026-06-30"
/// }"#)?;
/// assert!(cc.versions.matches(&"5.3.0".parse().unwrap()));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Authorisation {
    /// How the inventory names it (a certificate or listing number).
    pub id: Id,
    /// The product authorised.
    pub product: Id,
    /// The scheme and level granted.
    pub assurance: Assurance,
    /// The versions it covers.
    pub versions: semver::VersionReq,
    /// When it lapses (an expiry or assurance-maintenance date); none if it does not.
    #[serde(default)]
    pub lapses: Option<Instant>,
}
