//! The answer to one question: its [`Verdict`], the question it answers
//! ([`Asked`]) and the [`Decision`] with its reasons, rendered as text and JSON.

use std::fmt;
use std::sync::Arc;

use serde::{Serialize, Serializer};

use super::approval::Approval;
use super::chain::Chain;
use super::holding::Holding;
use crate::model::{Action, Id, Instant};
use crate::policy::Rule;

/// Allow or Deny.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The release may be used this way on this system.
    Allow,
    /// It may not, or the question could not be answered safely.
    Deny,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Verdict::Allow => "ALLOW",
            Verdict::Deny => "DENY",
        })
    }
}

/// The question a [`Decision`] answers.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Asked {
    /// The system.
    pub system: Id,
    /// The action.
    pub action: Action,
    /// The release.
    pub release: Id,
    /// The instant it was asked about.
    pub at: Instant,
}

/// The answer to "may this system do this with this release, at this instant?"
///
/// Fail-closed: the verdict is Allow only when a permit matched, no binding
/// rule forbade it, and no policy failed to evaluate. Any evaluation error
/// gives Deny, with the error in [`Decision::errors`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    #[serde(flatten)]
    asked: Asked,
    verdict: Verdict,
    #[serde(rename = "rules", serialize_with = "rules_out")]
    deciding: Arc<[Arc<Rule>]>,
    #[serde(serialize_with = "rules_out")]
    advice: Arc<[Arc<Rule>]>,
    waivers: Vec<Id>,
    errors: Vec<String>,
    /// `None` rather than an empty list, which would cost an allocation per
    /// decision in a matrix of mostly unexplained ones.
    #[serde(serialize_with = "seq_out")]
    chains: Option<Arc<[Chain]>>,
    /// Of `waivers`, those recording a period of non-enforcement.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    non_enforcement: Vec<Id>,
    #[serde(skip_serializing_if = "none_or_empty", serialize_with = "seq_out")]
    holdings: Option<Arc<[Holding]>>,
    #[serde(skip_serializing_if = "none_or_empty", serialize_with = "seq_out")]
    approvals: Option<Arc<[Approval]>>,
}

fn none_or_empty<T>(items: &Option<Arc<[T]>>) -> bool {
    items.as_ref().is_none_or(|h| h.is_empty())
}

fn seq_out<S: Serializer, T: Serialize>(items: &Option<Arc<[T]>>, s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(items.iter().flat_map(|h| h.iter()))
}

fn rules_out<S: Serializer>(rules: &Arc<[Arc<Rule>]>, s: S) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Out<'a> {
        id: &'a str,
        reason: &'a str,
        source: Option<&'a str>,
        quote: Option<&'a str>,
        quote_source: Option<&'a str>,
    }
    s.collect_seq(rules.iter().map(|r| Out {
        id: r.id(),
        reason: r.reason(),
        source: r.source(),
        quote: r.quote(),
        quote_source: r.quote_source(),
    }))
}

impl Decision {
    pub(crate) fn new(
        asked: Asked,
        verdict: Verdict,
        deciding: Arc<[Arc<Rule>]>,
        advice: Arc<[Arc<Rule>]>,
        waivers: Vec<Id>,
        errors: Vec<String>,
        chains: Option<Arc<[Chain]>>,
    ) -> Decision {
        Decision {
            asked,
            verdict,
            deciding,
            advice,
            waivers,
            errors,
            chains: chains.filter(|c| !c.is_empty()),
            non_enforcement: Vec::new(),
            holdings: None,
            approvals: None,
        }
    }

    /// The same decision, explained by these aggregate-ownership tests as
    /// well (see [`Decision::holdings`]).
    pub fn with_holdings(mut self, holdings: impl Into<Arc<[Holding]>>) -> Decision {
        let holdings = holdings.into();
        self.holdings = (!holdings.is_empty()).then_some(holdings);
        self
    }

    /// The same decision, naming these Conditional Approvals as in force for
    /// its release (see [`Decision::approvals`]).
    pub fn with_approvals(mut self, approvals: impl Into<Arc<[Approval]>>) -> Decision {
        let approvals = approvals.into();
        self.approvals = (!approvals.is_empty()).then_some(approvals);
        self
    }

    /// The same decision, with these of its waivers marked as periods of
    /// non-enforcement (see [`Decision::non_enforcement`]); ids that are not
    /// among its waivers are left out.
    pub fn with_non_enforcement(mut self, waivers: Vec<Id>) -> Decision {
        self.non_enforcement = waivers
            .into_iter()
            .filter(|w| self.waivers.contains(w))
            .collect();
        self
    }

    /// A decision put back together from its parts: one sent to another
    /// process, say, as its question, verdict, rules, advice, waivers,
    /// errors and [`Chain::links`]. The engine makes decisions; this checks
    /// nothing of them but that any error makes the verdict Deny (fail
    /// closed), whatever `verdict` says.
    ///
    /// ```
    /// use clearance::{Action, Decision, Engine, Inventory, Policies, Query, Verdict};
    ///
    /// let engine = Engine::new(
    ///     Inventory::from_path("examples/article-inventory.json")?,
    ///     Policies::all_packs()?,
    /// )?;
    /// let query = Query::new("mod-secret", Action::Deploy, "kes-12").at("2018-01-10".parse()?);
    /// let decision = engine.decide(&query)?;
    /// let rebuilt = Decision::from_parts(
    ///     decision.asked().clone(),
    ///     decision.verdict(),
    ///     decision.rules().cloned().collect(),
    ///     decision.advice().cloned().collect(),
    ///     decision.waivers().to_vec(),
    ///     decision.errors().to_vec(),
    ///     decision.chains().to_vec(),
    /// );
    /// assert_eq!(rebuilt, decision);
    ///
    /// // An error denies.
    /// let failed = Decision::from_parts(
    ///     decision.asked().clone(), Verdict::Allow, vec![], vec![], vec![],
    ///     vec!["evaluating: boom".to_owned()], vec![],
    /// );
    /// assert_eq!(failed.verdict(), Verdict::Deny);
    /// # Ok::<(), clearance::Error>(())
    /// ```
    pub fn from_parts(
        asked: Asked,
        verdict: Verdict,
        rules: Vec<Rule>,
        advice: Vec<Rule>,
        waivers: Vec<Id>,
        errors: Vec<String>,
        chains: Vec<Chain>,
    ) -> Decision {
        let verdict = if errors.is_empty() {
            verdict
        } else {
            Verdict::Deny
        };
        Decision::new(
            asked,
            verdict,
            rules.into_iter().map(Arc::new).collect(),
            advice.into_iter().map(Arc::new).collect(),
            waivers,
            errors,
            Some(Arc::from(chains)),
        )
    }

    /// Deny, because the question could not be asked: the error says why.
    pub(crate) fn failed(asked: Asked, error: String) -> Decision {
        Decision::new(
            asked,
            Verdict::Deny,
            Arc::from([]),
            Arc::from([]),
            Vec::new(),
            vec![error],
            None,
        )
    }

    /// The same answer to another question: a matrix keeps one decision per
    /// distinct answer and puts each cell's together from it.
    pub(crate) fn with_asked(mut self, asked: Asked) -> Decision {
        self.asked = asked;
        self
    }

    /// Deny from now on, with `error` added: the answer could not be given
    /// safely after all. The permits that matched no longer decide it.
    pub(crate) fn fail(&mut self, error: String) {
        if self.verdict == Verdict::Allow {
            self.verdict = Verdict::Deny;
            self.deciding = self
                .deciding
                .iter()
                .filter(|r| r.effect() != crate::policy::Effect::Permit)
                .cloned()
                .collect();
        }
        self.errors.push(error);
    }

    /// Allow or Deny.
    pub fn verdict(&self) -> Verdict {
        self.verdict
    }

    /// Whether the verdict is Allow.
    pub fn allowed(&self) -> bool {
        self.verdict == Verdict::Allow
    }

    /// The question answered.
    pub fn asked(&self) -> &Asked {
        &self.asked
    }

    /// The rules that decided it: the binding `forbid`s that matched for a
    /// Deny, the `permit`s that matched for an Allow. Empty for a Deny that
    /// nothing permitted, or that an error forced.
    pub fn rules(&self) -> impl ExactSizeIterator<Item = &Rule> {
        self.deciding.iter().map(|r| &**r)
    }

    /// The ids of [`Decision::rules`].
    pub fn rule_ids(&self) -> Vec<&str> {
        self.deciding.iter().map(|r| r.id()).collect()
    }

    /// Advice that applies, whatever the verdict.
    pub fn advice(&self) -> impl ExactSizeIterator<Item = &Rule> {
        self.advice.iter().map(|r| &**r)
    }

    /// The ids of [`Decision::advice`].
    pub fn advice_ids(&self) -> Vec<&str> {
        self.advice.iter().map(|r| r.id()).collect()
    }

    /// The waivers that lifted a rule which would otherwise have matched.
    pub fn waivers(&self) -> &[Id] {
        &self.waivers
    }

    /// Errors met while evaluating; any error makes the verdict Deny.
    pub fn errors(&self) -> &[String] {
        &self.errors
    }

    /// How the release reaches its vendors, shown when a rule forbade it or
    /// advice applies.
    pub fn chains(&self) -> &[Chain] {
        self.chains.as_deref().unwrap_or_default()
    }

    /// Of [`Decision::waivers`], those that record an executive's order not
    /// to enforce the law for a period, not an exception the law provides:
    /// the law's words still forbid what was done.
    pub fn non_enforcement(&self) -> &[Id] {
        &self.non_enforcement
    }

    /// The aggregate-ownership tests the deciding rules (and advice) read,
    /// for the release's vendor and any company whose test it turned on: the
    /// stakes counted and what they add up to. Shown when a rule forbade it
    /// or advice applies.
    pub fn holdings(&self) -> &[Holding] {
        self.holdings.as_deref().unwrap_or_default()
    }

    /// The Conditional Approvals (DoW's or DHS's) in force at the instant
    /// asked about for the release, if it is equipment, and for the UAS
    /// critical components it embeds: the exceptions the FCC's Covered List
    /// entries make for approved devices. Named whatever the verdict, so that
    /// an Allow the FCC's entries would otherwise forbid shows what lifted
    /// them, and where that is recorded.
    pub fn approvals(&self) -> &[Approval] {
        self.approvals.as_deref().unwrap_or_default()
    }
}

/// A rule's reason, then its source and the words it quotes, indented under it.
fn write_rule(f: &mut fmt::Formatter<'_>, label: &str, rule: &Rule) -> fmt::Result {
    writeln!(f, "  {label}  {}: {}", rule.id(), rule.reason())?;
    if let Some(source) = rule.source() {
        writeln!(f, "          source: {source}")?;
    }
    if let (Some(quote), Some(at)) = (rule.quote(), rule.quote_source()) {
        writeln!(f, "          quote:  \"{quote}\"")?;
        writeln!(f, "                  ({at})")?;
    }
    Ok(())
}

/// A readable account: the verdict and question, then each deciding rule with
/// its source and the words it quotes, the advice, the waivers used, the
/// chains, the holdings, the Conditional Approvals and the errors.
impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Asked {
            system,
            action,
            release,
            at,
        } = &self.asked;
        writeln!(f, "{} {action} {release} on {system} at {at}", self.verdict)?;
        if self.verdict == Verdict::Deny && self.deciding.is_empty() && self.errors.is_empty() {
            writeln!(f, "  because no policy permits it")?;
        }
        for rule in self.deciding.iter() {
            write_rule(f, "rule  ", rule)?;
        }
        for rule in self.advice.iter() {
            write_rule(f, "advice", rule)?;
        }
        for waiver in &self.waivers {
            if self.non_enforcement.contains(waiver) {
                writeln!(
                    f,
                    "  waiver  {waiver} (non-enforcement: not enforced for this period, \
                     not an amendment; the law's words are unchanged)"
                )?;
            } else {
                writeln!(f, "  waiver  {waiver}")?;
            }
        }
        for chain in self.chains() {
            writeln!(f, "  chain   {chain}")?;
        }
        for holding in self.holdings() {
            writeln!(f, "  holding {holding}")?;
        }
        for approval in self.approvals() {
            writeln!(f, "  approval {approval}")?;
        }
        for error in &self.errors {
            writeln!(f, "  error   {error}")?;
        }
        Ok(())
    }
}
