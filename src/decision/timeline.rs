//! Decisions over time: the answer to a question at the start of a period and
//! at every instant in it where the answer changes.
//!
//! A [`Timeline`] is a list of [`Step`]s. Each step holds the decision from
//! its instant on (until the next step) and says what changed from the step
//! before: the verdict, the rules that started or stopped deciding, the advice
//! that started or stopped applying, the waivers that started or stopped
//! being used. An answer *changes* when any of those, or the errors met,
//! differ; a chain drawn differently (a share that moved, say) with the same
//! rules, advice and waivers is not a change. The engine works out where
//! answers can change (`crate::Engine::timeline`); this module only holds and
//! renders what it found.

use std::fmt;

use serde::Serialize;

use super::answer::{Decision, Verdict};
use crate::model::{Action, Deployment, Id, Instant};
use crate::policy::Rule;

/// Whether two decisions give the same answer: verdict, deciding rules,
/// advice, waivers used and errors.
pub(crate) fn same_answer(a: &Decision, b: &Decision) -> bool {
    a.verdict() == b.verdict()
        && a.rules().map(Rule::id).eq(b.rules().map(Rule::id))
        && a.advice().map(Rule::id).eq(b.advice().map(Rule::id))
        && a.waivers() == b.waivers()
        && a.errors() == b.errors()
}

/// The items of `now` not in `before`, in the order of `now`.
fn added<T: PartialEq + Clone>(now: &[T], before: &[T]) -> Vec<T> {
    now.iter()
        .filter(|x| !before.contains(x))
        .cloned()
        .collect()
}

/// The decision from one instant on, and what changed from the one before.
///
/// ```
/// use clearance::{Action, Engine, Inventory, Policies, Verdict};
///
/// let engine = Engine::new(
///     Inventory::from_path("examples/article-inventory.json")?,
///     Policies::all_packs()?,
/// )?;
/// let timeline = engine.timeline(
///     "us-home-laptop", Action::Update, "kis-2024",
///     "2024-01-01".parse()?, "2025-01-01".parse()?,
/// )?;
/// let ban = &timeline.steps()[1];
/// // 12:00 AM EDT on 29 September 2024.
/// assert_eq!(ban.at().to_string(), "2024-09-29T04:00:00Z");
/// assert_eq!(ban.previous_verdict(), Some(Verdict::Allow));
/// assert_eq!(ban.decision().verdict(), Verdict::Deny);
/// assert_eq!(ban.rules_started(), ["us-icts-2024-kaspersky/updates"]);
/// # Ok::<(), clearance::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    at: Instant,
    previous_verdict: Option<Verdict>,
    rules_started: Vec<String>,
    rules_stopped: Vec<String>,
    advice_started: Vec<String>,
    advice_stopped: Vec<String>,
    waivers_started: Vec<Id>,
    waivers_ended: Vec<Id>,
    decision: Decision,
}

impl Step {
    /// The step of `decision`, after `previous` (none for the first step).
    pub(crate) fn new(previous: Option<&Decision>, decision: Decision) -> Step {
        let rule_ids = |d: Option<&Decision>| -> Vec<String> {
            d.map(|d| d.rules().map(|r| r.id().to_owned()).collect())
                .unwrap_or_default()
        };
        let advice_ids = |d: Option<&Decision>| -> Vec<String> {
            d.map(|d| d.advice().map(|r| r.id().to_owned()).collect())
                .unwrap_or_default()
        };
        let (rules, rules_before) = (rule_ids(Some(&decision)), rule_ids(previous));
        let (advice, advice_before) = (advice_ids(Some(&decision)), advice_ids(previous));
        let waivers_before: &[Id] = previous.map_or(&[], |d| d.waivers());
        Step {
            at: decision.asked().at,
            previous_verdict: previous.map(Decision::verdict),
            rules_started: added(&rules, &rules_before),
            rules_stopped: added(&rules_before, &rules),
            advice_started: added(&advice, &advice_before),
            advice_stopped: added(&advice_before, &advice),
            waivers_started: added(decision.waivers(), waivers_before),
            waivers_ended: added(waivers_before, decision.waivers()),
            decision,
        }
    }

    /// The instant from which this decision holds.
    pub fn at(&self) -> Instant {
        self.at
    }

    /// The decision from [`Step::at`] until the next step.
    pub fn decision(&self) -> &Decision {
        &self.decision
    }

    /// The verdict before this step; `None` for the first step of a timeline.
    pub fn previous_verdict(&self) -> Option<Verdict> {
        self.previous_verdict
    }

    /// Whether the verdict differs from the step before (never for a first step).
    pub fn verdict_changed(&self) -> bool {
        self.previous_verdict
            .is_some_and(|before| before != self.decision.verdict())
    }

    /// Rules that decide from here on and did not before (all the deciding
    /// rules, for a first step).
    pub fn rules_started(&self) -> &[String] {
        &self.rules_started
    }

    /// Rules that decided before and no longer do.
    pub fn rules_stopped(&self) -> &[String] {
        &self.rules_stopped
    }

    /// Advice that applies from here on and did not before.
    pub fn advice_started(&self) -> &[String] {
        &self.advice_started
    }

    /// Advice that applied before and no longer does.
    pub fn advice_stopped(&self) -> &[String] {
        &self.advice_stopped
    }

    /// Waivers used from here on and not before.
    pub fn waivers_started(&self) -> &[Id] {
        &self.waivers_started
    }

    /// Waivers used before and no longer: lapsed, or no longer needed.
    pub fn waivers_ended(&self) -> &[Id] {
        &self.waivers_ended
    }

    /// The step as one line: the instant, the verdict (with the one before
    /// when it changed) and what changed.
    fn summary(&self) -> String {
        let verdict = match self.previous_verdict {
            Some(before) if before != self.decision.verdict() => {
                format!("{before} -> {}", self.decision.verdict())
            }
            _ => self.decision.verdict().to_string(),
        };
        let mut parts = Vec::new();
        let first = self.previous_verdict.is_none();
        let mut list = |what: &str, items: &[String]| {
            if !items.is_empty() {
                parts.push(format!("{what} {}", items.join(", ")));
            }
        };
        list(
            if first { "rules" } else { "rules start:" },
            &self.rules_started,
        );
        list("rules stop:", &self.rules_stopped);
        list(
            if first { "advice" } else { "advice starts:" },
            &self.advice_started,
        );
        list("advice stops:", &self.advice_stopped);
        let waivers = |w: &[Id]| w.iter().map(|w| w.to_string()).collect::<Vec<_>>();
        list(
            if first { "waivers" } else { "waivers start:" },
            &waivers(&self.waivers_started),
        );
        list("waivers end:", &waivers(&self.waivers_ended));
        if !self.decision.errors().is_empty() {
            parts.push(format!("{} error(s)", self.decision.errors().len()));
        }
        if parts.is_empty() {
            verdict
        } else {
            format!("{verdict:<14} {}", parts.join("; "))
        }
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}  {}", self.at, self.summary())
    }
}

/// One question's decisions over a period `[from, until)`: the decision at
/// `from`, then one [`Step`] for every instant where it changes.
///
/// ```
/// use clearance::{Action, Engine, Inventory, Policies};
///
/// let engine = Engine::new(
///     Inventory::from_path("examples/article-inventory.json")?,
///     Policies::all_packs()?,
/// )?;
/// // The GSA's Hikvision recorder: banned from August 2019, but under a waiver until 2021.
/// let timeline = engine.timeline(
///     "gsa-facility-cctv", Action::Deploy, "hikvision-nvr-4",
///     "2019-01-01".parse()?, "2023-01-01".parse()?,
/// )?;
/// assert!(timeline.decision_at("2020-06-01".parse()?).unwrap().allowed());
/// assert!(!timeline.decision_at("2021-08-13".parse()?).unwrap().allowed());
/// assert_eq!(timeline.steps().last().unwrap().waivers_ended()[0].as_str(), "gsa-889-waiver-cctv");
/// # Ok::<(), clearance::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Timeline {
    system: Id,
    action: Action,
    release: Id,
    from: Instant,
    until: Instant,
    steps: Vec<Step>,
}

impl Timeline {
    pub(crate) fn new(from: Instant, until: Instant, steps: Vec<Step>) -> Timeline {
        let asked = steps[0].decision.asked();
        Timeline {
            system: asked.system.clone(),
            action: asked.action,
            release: asked.release.clone(),
            from,
            until,
            steps,
        }
    }

    /// The first instant of the period.
    pub fn from(&self) -> Instant {
        self.from
    }

    /// The first instant after the period.
    pub fn until(&self) -> Instant {
        self.until
    }

    /// The steps, in time order; the first is at [`Timeline::from`].
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// The decision in force at `at`, if `at` is in the period.
    pub fn decision_at(&self, at: Instant) -> Option<&Decision> {
        if !at.within(Some(self.from), Some(self.until)) {
            return None;
        }
        let after = self.steps.partition_point(|s| s.at <= at);
        self.steps.get(after.checked_sub(1)?).map(Step::decision)
    }
}

impl fmt::Display for Timeline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} {} on {}, from {} until {}:",
            self.action, self.release, self.system, self.from, self.until
        )?;
        for step in &self.steps {
            writeln!(f, "  {step}")?;
        }
        Ok(())
    }
}

/// A deployment whose answer changes at an instant: one entry of
/// [`Engine::changes`](crate::Engine::changes).
///
/// ```
/// use clearance::{Action, Engine, Inventory, Policies};
///
/// let engine = Engine::new(
///     Inventory::from_path("examples/article-inventory.json")?,
///     Policies::all_packs()?,
/// )?;
/// let changes = engine.changes(Action::Operate, "2025-01-01".parse()?, "2026-01-01".parse()?)?;
/// // Australia's PSPF direction takes effect on 1 April 2025, in Canberra (AEDT).
/// let first = &changes[0];
/// assert_eq!(first.at().to_string(), "2025-03-31T13:00:00Z");
/// assert_eq!(first.deployment().system.as_str(), "home-affairs-desktops");
/// assert_eq!(first.step().rules_started(), ["au-pspf-002-2025/kaspersky"]);
/// println!("{first}");
/// # Ok::<(), clearance::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    deployment: Deployment,
    step: Step,
}

impl Change {
    pub(crate) fn new(deployment: Deployment, step: Step) -> Change {
        Change { deployment, step }
    }

    /// The instant it changes.
    pub fn at(&self) -> Instant {
        self.step.at
    }

    /// The deployment.
    pub fn deployment(&self) -> &Deployment {
        &self.deployment
    }

    /// The new decision and what changed.
    pub fn step(&self) -> &Step {
        &self.step
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let asked = self.step.decision.asked();
        write!(
            f,
            "{}  {} {} on {}: {}",
            self.step.at,
            asked.action,
            asked.release,
            asked.system,
            self.step.summary()
        )
    }
}
