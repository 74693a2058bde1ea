//! When decisions change: [`Engine::timeline`] for one question over a
//! period, [`Engine::changes`] for every deployment.
//!
//! Nothing is sampled. An answer depends on time only through
//!
//! - the policies' comparisons of `context.now` with `datetime("...")`
//!   literals, each of which turns at one instant or two (read off the
//!   policies: any other use of the time makes these an
//!   [`ErrorKind::UnboundedTime`] error, rather than a guess);
//! - the waivers in force (each from its `from` to its `until`);
//! - the assurance held (each authorisation until it lapses);
//! - the corporate structure (stakes and designations, from and until).
//!
//! Between two consecutive such instants every one of them is constant, so
//! the answer is too: deciding at each instant, and keeping those where the
//! answer differs from the one before, is exact. Each decision is the
//! engine's own, so the fast path and Cedar agree on it as everywhere else.

use std::collections::BTreeSet;

use super::Engine;
use crate::decision::{same_answer, Change, Decision, Step, Timeline};
use crate::error::{Error, ErrorKind, Result};
use crate::model::{Action, Instant};

impl Engine {
    /// The decisions about one question over `[from, until)`: the decision at
    /// `from`, then a [`Step`] at every instant where it changes, with what
    /// changed (the verdict, which rules start or stop deciding, which advice
    /// starts or stops, which waivers start or end being used).
    ///
    /// ```
    /// use clearance::{Action, Engine, Inventory, Policies, Verdict};
    ///
    /// let engine = Engine::new(
    ///     Inventory::from_path("examples/article-inventory.json")?,
    ///     Policies::all_packs()?,
    /// )?;
    /// // A Kaspersky product on a US agency's desktops, 2017 to 2025.
    /// let timeline = engine.timeline(
    ///     "gsa-desktops", Action::Deploy, "kes-12",
    ///     "2017-01-01".parse()?, "2025-01-01".parse()?,
    /// )?;
    /// let first_deny = timeline.steps().iter().find(|s| s.verdict_changed()).unwrap();
    /// assert_eq!(first_deny.decision().verdict(), Verdict::Deny);
    /// println!("{timeline}");
    /// # Ok::<(), clearance::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::UnknownSystem`] or [`ErrorKind::UnknownRelease`] as for
    /// [`Engine::decide`]; [`ErrorKind::InvalidValue`] when `from` is not
    /// before `until`; [`ErrorKind::UnboundedTime`] naming a policy that
    /// reads the time in a way whose changes cannot be listed (arithmetic on
    /// `context.now`, durations, a comparison with anything but a literal).
    pub fn timeline(
        &self,
        system: &str,
        action: Action,
        release: &str,
        from: Instant,
        until: Instant,
    ) -> Result<Timeline> {
        let system = self.system_index(system)?;
        let release = self.release_index(release)?;
        let instants = self.turning_points(from, until)?;
        let mut steps: Vec<Step> = Vec::new();
        for at in instants {
            let decision = self.decide_at(system, action, release, at);
            let previous = steps.last().map(Step::decision);
            if previous.is_none_or(|p| !same_answer(p, &decision)) {
                steps.push(Step::new(previous, decision));
            }
        }
        Ok(Timeline::new(from, until, steps))
    }

    /// Every deployment whose answer to `action` changes in `(from, until)`,
    /// in date order (deployments in inventory order at each instant), each
    /// with its new decision and what changed. With [`Action::Operate`], the
    /// changes of the compliance sweep; with [`Action::Update`], "from
    /// 2024-09-29 these deployments may no longer be updated".
    ///
    /// ```
    /// use clearance::{Action, Engine, Inventory, Policies};
    ///
    /// let engine = Engine::new(
    ///     Inventory::from_path("examples/article-inventory.json")?,
    ///     Policies::all_packs()?,
    /// )?;
    /// let changes = engine.changes(Action::Update, "2024-01-01".parse()?, "2025-01-01".parse()?)?;
    /// let ban_day: Vec<_> = changes
    ///     .iter()
    ///     .filter(|c| c.at().to_string() == "2024-09-29T00:00:00Z")
    ///     .collect();
    /// assert!(ban_day.iter().all(|c| !c.step().decision().allowed()));
    /// assert!(ban_day.iter().any(|c| c.deployment().system.as_str() == "us-home-laptop"));
    /// # Ok::<(), clearance::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`Engine::timeline`], but for unknown systems and releases, which
    /// a valid inventory's deployments cannot name.
    pub fn changes(&self, action: Action, from: Instant, until: Instant) -> Result<Vec<Change>> {
        let instants = self.turning_points(from, until)?;
        let deployments = &self.loaded.inventory.deployments;
        let pairs: Vec<(usize, usize)> = deployments
            .iter()
            .map(|d| {
                (
                    self.loaded.system_index[d.system.as_str()],
                    self.loaded.release_index[d.release.as_str()],
                )
            })
            .collect();
        let mut changes = Vec::new();
        let mut current: Option<Vec<Decision>> = None;
        for at in instants {
            let decisions = self.decide_all(&pairs, action, at);
            if let Some(before) = &current {
                for ((deployment, old), new) in deployments.iter().zip(before).zip(&decisions) {
                    if !same_answer(old, new) {
                        changes.push(Change::new(
                            deployment.clone(),
                            Step::new(Some(old), new.clone()),
                        ));
                    }
                }
            }
            current = Some(decisions);
        }
        Ok(changes)
    }

    /// `from`, then every instant in `(from, until)` at which an answer can
    /// change.
    fn turning_points(&self, from: Instant, until: Instant) -> Result<Vec<Instant>> {
        if from >= until {
            return Err(Error::new(
                ErrorKind::InvalidValue,
                format!("timeline: `from` ({from}) is not before `until` ({until})"),
            ));
        }
        let loaded = &self.loaded;
        let inventory = &loaded.inventory;
        let mut points: BTreeSet<Instant> = loaded.policies.time_turns()?;
        points.extend(loaded.corporate.boundaries().iter().copied());
        for waiver in &inventory.waivers {
            points.extend(waiver.from);
            points.insert(waiver.until);
        }
        points.extend(inventory.authorisations.iter().filter_map(|a| a.lapses));
        let inside = points.range(from..until).filter(|&&at| at != from).copied();
        Ok(std::iter::once(from).chain(inside).collect())
    }
}
