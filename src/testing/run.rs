//! Running a suite: asking the engine each case, comparing the decision with
//! what the case expects, and keeping what failed (with the decision that
//! came out) and which rules the decisions exercised.

use std::collections::BTreeSet;
use std::fmt;

use super::suite::{Expected, Lists, Match, Suite};
use crate::decision::{Asked, Decision};
use crate::engine::Query;
use crate::model::Id;
use crate::policy::Policies;

impl Suite {
    /// Asks the engine every case and every matrix cell, and reports what
    /// failed and which rules the decisions exercised.
    ///
    /// A case passes when the decision has the verdict expected and, for
    /// each of `rules`, `advice` and `waivers` the case lists, those ids
    /// (exactly, or as a subset with `"match": "subset"`), and its errors
    /// are as `errors` says: none when the case has no `errors`, so that a
    /// Deny forced by an evaluation error never passes unnoticed.
    ///
    /// ```
    /// use clearance::testing::Suite;
    ///
    /// let report = Suite::from_path("policies/tests/uk-ncsc-2017.json")?.run();
    /// assert_eq!(report.failed(), 0, "{report}");
    /// assert!(report.exercised().any(|id| id == "uk-ncsc-2017/secret-and-above"));
    /// # Ok::<(), clearance::Error>(())
    /// ```
    pub fn run(&self) -> Report {
        let mut report = Report::for_policies(self.engine.policies());
        for case in &self.cases {
            let query = Query::from(&case.asked);
            // Checked at load: the system and release are the inventory's,
            // so the engine answers; should it not, the case fails with why.
            let decision = self
                .engine
                .decide(&query)
                .unwrap_or_else(|e| Decision::failed(case.asked.clone(), e.to_string()));
            report.record(self, &case.label, None, &case.expected, decision);
        }
        for matrix in &self.matrices {
            // The bulk path, as a matrix is asked for real: its decisions are
            // the same as one question at a time, and these cases check it.
            let answers = self.engine.matrix(matrix.action, matrix.at);
            for (release, system, verdict) in &matrix.cells {
                let decision = match answers.get(release.as_str(), system.as_str()) {
                    Some(decision) => decision.clone(),
                    // Checked at load: every cell is in the inventory.
                    None => Decision::failed(
                        Asked {
                            system: system.clone(),
                            action: matrix.action,
                            release: release.clone(),
                            at: matrix.at,
                        },
                        "the engine's matrix has no such cell".to_owned(),
                    ),
                };
                let expected = Expected {
                    verdict: *verdict,
                    lists: matrix.lists.clone(),
                };
                let cell = Some((release.clone(), system.clone()));
                report.record(self, &matrix.label, cell, &expected, decision);
            }
        }
        report
    }
}

/// What one or more suites' runs found: how many checks passed, the
/// failures, and which rules the decisions exercised.
///
/// A rule is exercised when some case's decision names it among its
/// deciding rules or its advice, whatever the case expected. Reports of
/// several files [merge](Report::merge) into one whose
/// [`Report::unexercised`] is the coverage of them all: the rules of their
/// policy sets that no case of any file exercised.
///
/// ```
/// use clearance::testing::{Report, Suite};
///
/// let mut all = Report::default();
/// for file in ["policies/tests/baseline.json", "policies/tests/de-bsi-2022.json"] {
///     all.merge(Suite::from_path(file)?.run());
/// }
/// assert!(all.all_passed(), "{all}");
/// assert!(all.exercised().any(|id| id == "de-bsi-2022/replace-kaspersky-antivirus"));
/// // These two files leave most of the shipped rules unexercised.
/// assert!(all.unexercised().contains(&"us-ndaa-889/agency-telecom"));
/// # Ok::<(), clearance::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Report {
    passed: usize,
    failures: Vec<Failure>,
    exercised: BTreeSet<String>,
    /// The rules of the policy sets run, in the order added, each once.
    rules: Vec<String>,
}

impl Report {
    fn for_policies(policies: &Policies) -> Report {
        Report {
            rules: policies.rules().map(|r| r.id().to_owned()).collect(),
            ..Report::default()
        }
    }

    fn record(
        &mut self,
        suite: &Suite,
        label: &str,
        cell: Option<(Id, Id)>,
        expected: &Expected,
        decision: Decision,
    ) {
        self.exercised
            .extend(decision.rule_ids().into_iter().map(str::to_owned));
        self.exercised
            .extend(decision.advice_ids().into_iter().map(str::to_owned));
        let differences = differences(expected, &decision);
        if differences.is_empty() {
            self.passed += 1;
        } else {
            self.failures.push(Failure {
                suite: suite.origin.clone(),
                case: label.to_owned(),
                cell,
                expected: describe(expected),
                differences,
                decision,
            });
        }
    }

    /// How many checks passed (one per case, one per matrix cell).
    pub fn passed(&self) -> usize {
        self.passed
    }

    /// How many checks failed.
    pub fn failed(&self) -> usize {
        self.failures.len()
    }

    /// Whether every check passed.
    pub fn all_passed(&self) -> bool {
        self.failures.is_empty()
    }

    /// The checks that failed, in the order run.
    pub fn failures(&self) -> &[Failure] {
        &self.failures
    }

    /// The ids of the rules some decision named as deciding or as advice,
    /// in id order.
    pub fn exercised(&self) -> impl Iterator<Item = &str> {
        self.exercised.iter().map(String::as_str)
    }

    /// The rules of the policy sets run that no decision exercised, in the
    /// order the policies were added.
    pub fn unexercised(&self) -> Vec<&str> {
        self.rules
            .iter()
            .filter(|id| !self.exercised.contains(*id))
            .map(String::as_str)
            .collect()
    }

    /// Adds another run's results: its counts, failures, exercised rules,
    /// and the rules of its policy set.
    pub fn merge(&mut self, other: Report) {
        self.passed += other.passed;
        self.failures.extend(other.failures);
        self.exercised.extend(other.exercised);
        for id in other.rules {
            if !self.rules.contains(&id) {
                self.rules.push(id);
            }
        }
    }
}

/// Every failure with its decision, the closing line `N passed, N failed`,
/// then the rules no case exercised.
impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for failure in &self.failures {
            writeln!(f, "{failure}")?;
        }
        writeln!(f, "{} passed, {} failed", self.passed(), self.failed())?;
        let unexercised = self.unexercised();
        if self.rules.is_empty() {
            // Nothing ran: "every rule was exercised" would be vacuous.
            write!(f, "no policies were run")
        } else if unexercised.is_empty() {
            write!(f, "every rule was exercised")
        } else {
            write!(f, "rules no case exercised ({}):", unexercised.len())?;
            for id in unexercised {
                write!(f, "\n  {id}")?;
            }
            Ok(())
        }
    }
}

/// A check that failed: where it is, what it expected, how the decision
/// differed, and the decision itself.
///
/// ```
/// use clearance::testing::Suite;
///
/// // The guidance is in force from 1 December 2017, not the day before.
/// let text = r#"{
///     "inventory": "data/world.json",
///     "cases": [{"name": "the day before", "system": "mod-secret", "action": "deploy",
///                "release": "kes-12", "at": "2017-11-30", "expect": "deny"}]
/// }"#;
/// let report = Suite::from_json("wrong.json", text, "policies/tests")?.run();
/// let failure = &report.failures()[0];
/// assert_eq!(failure.case(), "the day before");
/// assert_eq!(failure.differences(), ["verdict: expected DENY, got ALLOW"]);
/// assert!(failure.decision().allowed());
/// println!("{failure}"); // where, what was expected, what differed, the decision
/// # Ok::<(), clearance::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    suite: String,
    case: String,
    cell: Option<(Id, Id)>,
    expected: String,
    differences: Vec<String>,
    decision: Decision,
}

impl Failure {
    /// The suite's origin: its file.
    pub fn suite(&self) -> &str {
        &self.suite
    }

    /// The case or matrix: its name, or its place in the file (`cases[3]`).
    pub fn case(&self) -> &str {
        &self.case
    }

    /// For a matrix, the cell: `(release, system)`.
    pub fn cell(&self) -> Option<(&str, &str)> {
        self.cell
            .as_ref()
            .map(|(release, system)| (release.as_str(), system.as_str()))
    }

    /// What the case expected, in words.
    pub fn expected(&self) -> &str {
        &self.expected
    }

    /// Each way the decision differed from it.
    pub fn differences(&self) -> &[String] {
        &self.differences
    }

    /// The decision that came out.
    pub fn decision(&self) -> &Decision {
        &self.decision
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FAIL {}: `{}`", self.suite, self.case)?;
        if let Some((release, system)) = self.cell() {
            write!(f, ", release {release} on system {system}")?;
        }
        writeln!(f)?;
        writeln!(f, "  expected  {}", self.expected)?;
        for difference in &self.differences {
            writeln!(f, "  differs   {difference}")?;
        }
        let decision = self.decision.to_string();
        let mut lines = decision.lines();
        if let Some(first) = lines.next() {
            writeln!(f, "  decision  {first}")?;
        }
        for line in lines {
            writeln!(f, "          {line}")?;
        }
        Ok(())
    }
}

/// How the decision differs from what was expected; empty when it does not.
fn differences(expected: &Expected, decision: &Decision) -> Vec<String> {
    let mut found = Vec::new();
    if decision.verdict() != expected.verdict {
        found.push(format!(
            "verdict: expected {}, got {}",
            expected.verdict,
            decision.verdict()
        ));
    }
    let lists = &expected.lists;
    let waivers: Vec<&str> = decision.waivers().iter().map(Id::as_str).collect();
    for (what, wanted, actual) in [
        ("rules", &lists.rules, decision.rule_ids()),
        ("advice", &lists.advice, decision.advice_ids()),
        ("waivers", &lists.waivers, waivers),
    ] {
        if let Some(wanted) = wanted {
            compare(what, wanted, &actual, lists.matching, &mut found);
        }
    }
    let errors = decision.errors();
    match &lists.errors {
        None if !errors.is_empty() => found.push(format!(
            "errors: expected none, got {}: {}",
            errors.len(),
            errors.join("; ")
        )),
        None => {}
        Some(wanted) => {
            for part in wanted {
                if !errors.iter().any(|e| e.contains(part.as_str())) {
                    found.push(format!("errors: none contains `{part}`"));
                }
            }
            if lists.matching == Match::Exact && errors.len() != wanted.len() {
                found.push(format!(
                    "errors: expected {}, got {}",
                    wanted.len(),
                    errors.len()
                ));
            }
        }
    }
    found
}

/// Compares ids as sets: exactly, or the wanted ones among the actual ones.
fn compare(
    what: &str,
    wanted: &[String],
    actual: &[&str],
    matching: Match,
    into: &mut Vec<String>,
) {
    let missing: Vec<String> = wanted
        .iter()
        .filter(|id| !actual.contains(&id.as_str()))
        .map(|id| format!("`{id}`"))
        .collect();
    let unexpected: Vec<String> = match matching {
        Match::Exact => actual
            .iter()
            .filter(|id| !wanted.iter().any(|w| w == *id))
            .map(|id| format!("`{id}`"))
            .collect(),
        Match::Subset => Vec::new(),
    };
    let mut parts = Vec::new();
    if !missing.is_empty() {
        parts.push(format!("missing {}", missing.join(", ")));
    }
    if !unexpected.is_empty() {
        parts.push(format!("not expected {}", unexpected.join(", ")));
    }
    if !parts.is_empty() {
        into.push(format!("{what}: {}", parts.join("; ")));
    }
}

/// The expectation in words: `DENY; rules exactly `a`, `b`; advice none; no errors`.
fn describe(expected: &Expected) -> String {
    let lists: &Lists = &expected.lists;
    let how = match lists.matching {
        Match::Exact => "exactly",
        Match::Subset => "including",
    };
    let mut parts = vec![expected.verdict.to_string()];
    for (what, ids) in [
        ("rules", &lists.rules),
        ("advice", &lists.advice),
        ("waivers", &lists.waivers),
    ] {
        match ids {
            None => {}
            Some(ids) if ids.is_empty() && lists.matching == Match::Exact => {
                parts.push(format!("{what} none"))
            }
            Some(ids) if ids.is_empty() => {}
            Some(ids) => {
                let ids: Vec<String> = ids.iter().map(|id| format!("`{id}`")).collect();
                parts.push(format!("{what} {how} {}", ids.join(", ")));
            }
        }
    }
    let errors: Vec<String> = lists
        .errors
        .iter()
        .flatten()
        .map(|e| format!("`{e}`"))
        .collect();
    match (&lists.errors, lists.matching) {
        (None, _) => parts.push("no errors".to_owned()),
        (Some(_), Match::Exact) if errors.is_empty() => parts.push("no errors".to_owned()),
        (Some(_), Match::Exact) => parts.push(format!(
            "exactly {} errors, containing {}",
            errors.len(),
            errors.join(", ")
        )),
        (Some(_), Match::Subset) if errors.is_empty() => {}
        (Some(_), Match::Subset) => parts.push(format!("errors containing {}", errors.join(", "))),
    }
    parts.join("; ")
}
