//! Who owns and controls a company: stakes, shares, blocking.
//!
//! Laws reach into corporate families in different ways. Section 1634 covers
//! entities that control Kaspersky Lab, are controlled by it or are under
//! common control with it, and entities it majority-owns; OFAC's 50% rule
//! blocks an entity owned 50% or more, in aggregate, by blocked persons. So a
//! company's owners are recorded as [`Stake`]s: who holds it, what share,
//! whether the stake gives control, and when. A [`Vendor`](super::Vendor) or a
//! [`Party`](super::Party) may have several.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{Id, Instant};
use crate::error::{invalid, Error};
use crate::keyword::keyword_enum;

/// A share of a company, as a percentage from 0 to 100 with at most two
/// decimals, kept exactly (in hundredths of a percent) so that "over 50%" and
/// "50% or more" are exact comparisons.
///
/// ```
/// use clearance::Share;
///
/// let share: Share = serde_json::from_str("39.5")?;
/// assert_eq!(share.to_string(), "39.5%");
/// assert!(share < Share::HALF);
/// assert!(serde_json::from_str::<Share>("-1").is_err());
/// assert!(serde_json::from_str::<Share>("100.5").is_err());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Share(u32);

impl Share {
    /// 50%: the threshold of OFAC's rule ("50% or more") and of majority
    /// ownership ("over 50%").
    pub const HALF: Share = Share(5_000);
    /// 20%: PAFACA's "at least a 20 percent stake" held by foreign
    /// adversary persons.
    pub const FIFTH: Share = Share(2_000);
    /// 100%.
    pub const WHOLE: Share = Share(10_000);

    /// The share in hundredths of a percent (0 to 10,000).
    pub fn basis_points(self) -> u32 {
        self.0
    }

    /// A share from hundredths of a percent, if at most 100%.
    pub fn from_basis_points(points: u32) -> Option<Share> {
        (points <= Self::WHOLE.0).then_some(Share(points))
    }

    /// The share as a percentage.
    pub fn percent(self) -> f64 {
        f64::from(self.0) / 100.0
    }

    fn from_percent(percent: f64) -> Result<Share, String> {
        if !percent.is_finite() || !(0.0..=100.0).contains(&percent) {
            return Err(format!("share {percent} is not a percentage from 0 to 100"));
        }
        let points = (percent * 100.0).round();
        if (points / 100.0 - percent).abs() > 1e-9 {
            return Err(format!("share {percent} has more than two decimals"));
        }
        // In range and whole: the cast is exact.
        Ok(Share(points as u32))
    }
}

impl fmt::Display for Share {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (whole, hundredths) = (self.0 / 100, self.0 % 100);
        match hundredths {
            0 => write!(f, "{whole}%"),
            h if h % 10 == 0 => write!(f, "{whole}.{}%", h / 10),
            h => write!(f, "{whole}.{h:02}%"),
        }
    }
}

impl Serialize for Share {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.is_multiple_of(100) {
            s.serialize_u32(self.0 / 100)
        } else {
            s.serialize_f64(self.percent())
        }
    }
}

impl<'de> Deserialize<'de> for Share {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let percent = f64::deserialize(d)?;
        Share::from_percent(percent).map_err(serde::de::Error::custom)
    }
}

impl std::str::FromStr for Share {
    type Err = Error;
    fn from_str(text: &str) -> Result<Self, Error> {
        let percent: f64 = text
            .trim_end_matches('%')
            .parse()
            .map_err(|_| invalid(format_args!("share {text:?}"), "not a number"))?;
        Share::from_percent(percent).map_err(|problem| invalid("share", problem))
    }
}

keyword_enum! {
    /// How well a fact is confirmed, as DOMAIN.md tags it.
    pub enum Basis: "basis" {
        /// Read in a primary text (the law, the register, the company's filing).
        Primary = "primary",
        /// Reported by a reliable secondary source quoting the primary.
        Secondary = "secondary",
        /// Not confirmed: shown as such wherever it is used.
        Unconfirmed = "unconfirmed",
    }
}

/// One owner's stake in a company: who holds it, what share, whether it
/// gives control, and when.
///
/// A company's `controlled_by` is shorthand for one stake that controls, of
/// a share not given. Control is what joins companies into a group ("controls,
/// is controlled by, or is under common control with"); shares are what
/// majority ownership and OFAC's 50% rule add up.
///
/// ```
/// use clearance::Stake;
///
/// // Lorex was owned by Dahua from about 6 February 2018 to about
/// // 24 November 2022.
/// let stake: Stake = serde_json::from_str(r#"{
///     "owner": "dahua", "controls": true,
///     "from": "2018-02-06", "until": "2022-11-24"
/// }"#)?;
/// assert!(stake.in_force_at("2020-06-01".parse().unwrap()));
/// assert!(!stake.in_force_at("2022-11-24".parse().unwrap()));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stake {
    /// The vendor or party that holds it.
    pub owner: Id,
    /// The share held, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<Share>,
    /// Whether the stake gives control (a majority of votes, or control
    /// without majority ownership: a state holding 39% and running the
    /// company).
    #[serde(default)]
    pub controls: bool,
    /// When it was acquired; always, if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Instant>,
    /// When it ended (the first instant it no longer held); still held, if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Instant>,
    /// Where the fact comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// How well it is confirmed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<Basis>,
}

impl Stake {
    /// A controlling stake of unknown share, held always: what
    /// `controlled_by` says.
    pub fn control(owner: Id) -> Stake {
        Stake {
            owner,
            share: None,
            controls: true,
            from: None,
            until: None,
            source: None,
            basis: None,
        }
    }

    /// Whether the stake is held at this instant: in `[from, until)`.
    pub fn in_force_at(&self, at: Instant) -> bool {
        at.within(self.from, self.until)
    }
}

/// A designation that blocks a vendor or a party: OFAC's listing of a person
/// or an entity on the SDN list, under US sanctions. Blocking is counted as
/// OFAC's 50% rule counts it, and the `us-ofac-50` pack reads every recorded
/// blocking as OFAC's, so record here only designations of that kind.
///
/// ```
/// use clearance::Blocking;
///
/// let blocked: Blocking = serde_json::from_str(r#"{
///     "by": "US Treasury, OFAC (SDN list)", "from": "2024-06-21"
/// }"#)?;
/// assert!(blocked.in_force_at("2024-07-01".parse().unwrap()));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Blocking {
    /// Who designated it, and under what.
    pub by: String,
    /// From when; always, if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Instant>,
    /// Until when (the first instant it no longer holds); still, if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Instant>,
    /// Where the fact comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl Blocking {
    /// Whether the designation holds at this instant: in `[from, until)`.
    pub fn in_force_at(&self, at: Instant) -> bool {
        at.within(self.from, self.until)
    }
}
