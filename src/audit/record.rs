//! The records of the audit trail, one JSON object a line.
//!
//! Field names follow OPA's decision logs where they fit (`decision_id`,
//! `timestamp`, `path`, `input`, `result`, `labels`, `bundles`) and
//! OpenTelemetry's `security_rule.*` attributes for the rules
//! (`security_rule.name` is the `@id`, `security_rule.description` the
//! `@reason`, `security_rule.reference` the `@source`,
//! `security_rule.ruleset.name` the pack or file it came from,
//! `security_rule.category` its effect). OpenTelemetry has no attribute for
//! the words a rule quotes, so `@quote` and `@quote_source` are written as
//! `clearance.rule.quote` and `clearance.rule.quote_source`.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use serde::Serialize;

use crate::decision::{Approval, Decision, Holding, Verdict};
use crate::model::{Action, Id, Instant, Inventory, WaiverKind};
use crate::policy::{Effect, Policies, Rule};

/// What every record names of the data a decision was made from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Provenance {
    pub labels: Labels,
    pub bundles: Bundles,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Labels {
    pub app: &'static str,
    pub version: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Bundles {
    pub policies: PolicyBundle,
    pub inventory: InventoryBundle,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct PolicyBundle {
    /// The digest of the policy texts ([`Policies::digest`]).
    pub revision: String,
    /// The shipped packs and files the policies came from.
    pub origins: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct InventoryBundle {
    /// The digest of the inventory as given ([`Inventory::digest`]).
    pub revision: String,
}

impl Provenance {
    pub fn of(inventory: &Inventory, policies: &Policies) -> Provenance {
        Provenance {
            labels: Labels {
                app: "clearance",
                version: env!("CARGO_PKG_VERSION"),
            },
            bundles: Bundles {
                policies: PolicyBundle {
                    revision: policies.digest(),
                    origins: policies.origins().into_iter().map(str::to_owned).collect(),
                },
                inventory: InventoryBundle {
                    revision: inventory.digest(),
                },
            },
        }
    }
}

/// One rule as OpenTelemetry's `security_rule.*` attributes name it.
#[derive(Serialize)]
struct RuleOut<'a> {
    #[serde(rename = "security_rule.name")]
    name: &'a str,
    #[serde(rename = "security_rule.category")]
    category: Effect,
    #[serde(rename = "security_rule.description")]
    description: &'a str,
    #[serde(
        rename = "security_rule.reference",
        skip_serializing_if = "Option::is_none"
    )]
    reference: Option<&'a str>,
    #[serde(rename = "security_rule.ruleset.name")]
    ruleset: &'a str,
    #[serde(
        rename = "clearance.rule.quote",
        skip_serializing_if = "Option::is_none"
    )]
    quote: Option<&'a str>,
    #[serde(
        rename = "clearance.rule.quote_source",
        skip_serializing_if = "Option::is_none"
    )]
    quote_source: Option<&'a str>,
}

impl<'a> From<&'a Rule> for RuleOut<'a> {
    fn from(rule: &'a Rule) -> Self {
        RuleOut {
            name: rule.id(),
            category: rule.effect(),
            description: rule.reason(),
            reference: rule.source(),
            ruleset: rule.origin(),
            quote: rule.quote(),
            quote_source: rule.quote_source(),
        }
    }
}

/// A waiver used, with who granted it and for how long.
#[derive(Serialize)]
struct WaiverOut<'a> {
    id: &'a Id,
    #[serde(skip_serializing_if = "Option::is_none")]
    granted_by: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<Instant>,
    #[serde(skip_serializing_if = "Option::is_none")]
    until: Option<Instant>,
    rules: Vec<&'a str>,
    /// "non-enforcement" for an executive's order not to enforce; absent for
    /// an exception the rule provides.
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
}

#[derive(Serialize)]
struct Input<'a> {
    system: &'a Id,
    action: Action,
    release: &'a Id,
    at: Instant,
}

#[derive(Serialize)]
struct DecisionResult<'a> {
    verdict: Verdict,
    rules: Vec<RuleOut<'a>>,
    advice: Vec<RuleOut<'a>>,
    waivers: Vec<WaiverOut<'a>>,
    errors: &'a [String],
    /// The aggregate-ownership tests the rules read: the shares that add up.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    holdings: &'a [Holding],
    /// The Conditional Approvals in force for the release's equipment.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    approvals: &'a [Approval],
}

/// The record of one decision.
#[derive(Serialize)]
pub(crate) struct DecisionRecord<'a> {
    decision_id: String,
    timestamp: Instant,
    path: &'static str,
    input: Input<'a>,
    result: DecisionResult<'a>,
    labels: &'a Labels,
    bundles: &'a Bundles,
}

impl<'a> DecisionRecord<'a> {
    pub fn new(
        path: &'static str,
        decision: &'a Decision,
        inventory: &'a Inventory,
        provenance: &'a Provenance,
        timestamp: Instant,
    ) -> DecisionRecord<'a> {
        let asked = decision.asked();
        let waivers = decision
            .waivers()
            .iter()
            .map(|id| {
                let waiver = inventory.waivers.iter().find(|w| &w.id == id);
                WaiverOut {
                    id,
                    granted_by: waiver.map(|w| w.granted_by.as_str()),
                    from: waiver.and_then(|w| w.from),
                    until: waiver.map(|w| w.until),
                    rules: waiver
                        .map(|w| w.rules.iter().map(String::as_str).collect())
                        .unwrap_or_default(),
                    kind: waiver
                        .filter(|w| w.kind == WaiverKind::NonEnforcement)
                        .map(|w| w.kind.as_str()),
                    source: waiver.and_then(|w| w.source.as_deref()),
                }
            })
            .collect();
        DecisionRecord {
            decision_id: decision_id(),
            timestamp,
            path,
            input: Input {
                system: &asked.system,
                action: asked.action,
                release: &asked.release,
                at: asked.at,
            },
            result: DecisionResult {
                verdict: decision.verdict(),
                rules: decision.rules().map(RuleOut::from).collect(),
                advice: decision.advice().map(RuleOut::from).collect(),
                waivers,
                errors: decision.errors(),
                holdings: decision.holdings(),
                approvals: decision.approvals(),
            },
            labels: &provenance.labels,
            bundles: &provenance.bundles,
        }
    }
}

#[derive(Serialize)]
struct BulkInput {
    action: Action,
    at: Instant,
    questions: usize,
}

#[derive(Serialize)]
struct Summary {
    allowed: usize,
    denied: usize,
    with_errors: usize,
    /// How many questions each rule decided or advised on.
    by_rule: BTreeMap<String, usize>,
}

/// The record of a sweep or a matrix: what was asked and how it came out.
#[derive(Serialize)]
pub(crate) struct SummaryRecord<'a> {
    decision_id: String,
    timestamp: Instant,
    path: &'static str,
    input: BulkInput,
    result: Summary,
    labels: &'a Labels,
    bundles: &'a Bundles,
}

impl<'a> SummaryRecord<'a> {
    pub fn new<'d>(
        path: &'static str,
        action: Action,
        at: Instant,
        decisions: impl Iterator<Item = (&'d Decision, usize)>,
        provenance: &'a Provenance,
        timestamp: Instant,
    ) -> SummaryRecord<'a> {
        let mut summary = Summary {
            allowed: 0,
            denied: 0,
            with_errors: 0,
            by_rule: BTreeMap::new(),
        };
        let mut questions = 0;
        for (decision, count) in decisions {
            questions += count;
            match decision.verdict() {
                Verdict::Allow => summary.allowed += count,
                Verdict::Deny => summary.denied += count,
            }
            if !decision.errors().is_empty() {
                summary.with_errors += count;
            }
            for rule in decision.rules().chain(decision.advice()) {
                *summary.by_rule.entry(rule.id().to_owned()).or_default() += count;
            }
        }
        SummaryRecord {
            decision_id: decision_id(),
            timestamp,
            path,
            input: BulkInput {
                action,
                at,
                questions,
            },
            result: summary,
            labels: &provenance.labels,
            bundles: &provenance.bundles,
        }
    }
}

/// A fresh id in the form of a version-4 UUID, as OPA's decision ids are.
/// Its 122 bits come from SipHash, keyed once per process from the operating
/// system's randomness (std's `RandomState`), over the process id and a
/// counter: unique within a process, and across processes (forked ones
/// included, whose process ids differ) but for a negligible chance.
fn decision_id() -> String {
    use std::hash::BuildHasher;
    static KEYS: OnceLock<std::collections::hash_map::RandomState> = OnceLock::new();
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let keys = KEYS.get_or_init(std::collections::hash_map::RandomState::new);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let pid = std::process::id();
    let high = keys.hash_one((pid, n, 0u8));
    let low = keys.hash_one((pid, n, 1u8));
    let bits = (u128::from(high) << 64 | u128::from(low)) & !(0xf << 76) & !(0x3 << 62);
    let bits = bits | (0x4 << 76) | (0x2 << 62);
    let hex = format!("{bits:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decision_ids_are_distinct_version_4_uuids() {
        let ids: std::collections::BTreeSet<String> = (0..1000).map(|_| decision_id()).collect();
        assert_eq!(ids.len(), 1000);
        for id in &ids {
            let groups: Vec<&str> = id.split('-').collect();
            assert_eq!(
                groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
                [8, 4, 4, 4, 12]
            );
            assert!(groups[2].starts_with('4'), "{id}");
            assert!("89ab".contains(&groups[3][..1]), "{id}");
        }
    }
}
