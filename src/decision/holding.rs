//! Explaining an aggregate-ownership test: the shares that add up.
//!
//! Some laws reach a company because others hold enough of it together:
//! OFAC's 50 Percent Rule blocks a company owned "50 percent or more in the
//! aggregate" by blocked persons; PAFACA treats as "controlled by a foreign
//! adversary" a company in which persons of a foreign adversary country hold
//! "at least a 20 percent stake", directly or indirectly. A decision that
//! turns on such a test carries a [`Holding`] for the company tested, so that
//! a reader sees which stakes were counted and what they came to.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::chain::Company;
use crate::keyword::keyword_enum;
use crate::model::Share;

keyword_enum! {
    /// An aggregate-ownership test a rule reads.
    pub enum HoldingTest: "holding test" {
        /// OFAC's 50 Percent Rule: designated persons, and companies owned
        /// 50% or more in aggregate by blocked persons (directly or through
        /// blocked companies). Control alone does not count.
        Blocked = "blocked",
        /// PAFACA s.2(g)(1), "controlled by a foreign adversary": persons
        /// domiciled, headquartered or organised in China, Russia, North Korea
        /// or Iran; companies in which such persons hold at least 20% in
        /// aggregate (directly, or through companies that are themselves
        /// foreign-adversary controlled); and companies they control.
        ForeignAdversary = "foreign-adversary-controlled",
    }
}

/// One stake counted towards a [`Holding`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Counted {
    /// The holder, which passes the test itself.
    pub owner: Company,
    /// The share it holds, if known (a stake of unknown size adds nothing).
    pub share: Option<Share>,
    /// Whether the stake gives control.
    pub controls: bool,
}

/// How one company came out of an aggregate-ownership test at the instant
/// asked about.
///
/// ```
/// use clearance::{Action, Engine, HoldingTest, Inventory, Pack, Policies, Query};
///
/// // A hypothetical app company 20% owned by a Chinese company, distributed
/// // by a US app store after PAFACA applies to TikTok.
/// let inventory = Inventory::from_json(r#"{
///     "vendors": [
///         {"id": "app-co", "name": "App Co", "incorporated": "US", "headquarters": "US",
///          "owners": [{"owner": "bytedance-ltd", "share": 20}]}],
///     "products": [{"id": "tiktok-hypo", "name": "TikTok", "vendor": "app-co",
///                   "category": "software", "known_as": "tiktok"}],
///     "releases": [{"id": "tiktok-hypo-1", "product": "tiktok-hypo", "version": "1.0.0"}],
///     "organisations": [{"id": "store", "name": "App Store Inc.", "country": "US",
///                        "sector": "business", "roles": ["app-store"]}],
///     "systems": [{"id": "catalogue", "name": "Store catalogue", "owner": "store"}]
/// }"#)?;
/// let engine = Engine::new(inventory, Policies::from_packs(&[Pack::Baseline, Pack::UsPafaca])?)?;
/// let decision = engine.decide(&Query::new("catalogue", Action::Deploy, "tiktok-hypo-1")
///     .at("2025-06-01".parse()?))?;
/// assert!(!decision.allowed());
/// let holding = &decision.holdings()[0];
/// assert_eq!(holding.test, HoldingTest::ForeignAdversary);
/// assert_eq!(holding.total.to_string(), "20%");
/// assert!(holding.passes);
/// # Ok::<(), clearance::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Holding {
    /// The company tested.
    pub company: Company,
    /// The test.
    pub test: HoldingTest,
    /// The share the counted stakes must reach together ("or more").
    pub threshold: Share,
    /// Whether the company passes by what it is itself (designated; of a
    /// foreign adversary country), whatever its owners.
    pub itself: bool,
    /// The stakes counted: those held by owners that pass the test.
    pub stakes: Vec<Counted>,
    /// What the counted stakes add up to (at most 100%).
    pub total: Share,
    /// Whether a counted stake controls it and the test counts control
    /// (PAFACA's "subject to the direction or control"), whatever the shares.
    pub controlled: bool,
    /// Whether it passes: by itself, by the total, or by control.
    pub passes: bool,
}

impl fmt::Display for Holding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): ", self.company.name, self.test)?;
        let mut said = Vec::new();
        if self.itself {
            said.push(match self.test {
                HoldingTest::Blocked => "designated itself".to_owned(),
                HoldingTest::ForeignAdversary => "of a foreign adversary country itself".to_owned(),
            });
        }
        if !self.stakes.is_empty() {
            let stakes: Vec<String> = self
                .stakes
                .iter()
                .map(|stake| {
                    let share = stake
                        .share
                        .map_or_else(|| "an unknown share".to_owned(), |s| s.to_string());
                    let control = if stake.controls { ", controlling" } else { "" };
                    format!("{share} by {}{control}", stake.owner.name)
                })
                .collect();
            let known = self.stakes.iter().any(|s| s.share.is_some());
            let total = if known {
                format!(" = {} in all", self.total)
            } else {
                String::new()
            };
            said.push(format!("held {}{total}", stakes.join(" + ")));
        } else if !self.itself {
            said.push("no stake held by one that passes".to_owned());
        }
        let how = match (self.passes, self.itself, self.controlled) {
            (false, ..) => "does not pass",
            (true, true, _) => "passes",
            (true, false, true) => "passes (controlled by one that passes)",
            (true, false, false) => "passes",
        };
        write!(
            f,
            "{}; threshold {} or more: {how}",
            said.join("; "),
            self.threshold
        )
    }
}
