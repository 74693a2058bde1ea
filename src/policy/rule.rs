//! Rules: a policy as people read it, from its annotations.

use serde::{Deserialize, Serialize};

use super::binds::Binds;
use super::text::position_in_text;
use crate::error::{Error, ErrorKind, Result};

/// Whether a rule permits or forbids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Effect {
    /// A `permit`: it allows what it matches, unless a binding `forbid` matches.
    Permit,
    /// A binding `forbid`: it denies what it matches.
    Forbid,
    /// A `forbid` marked `@advice`: it attaches advice to what it matches.
    Advice,
}

/// A policy as people read it: its id, its reason, where the rule comes from,
/// and the words of the instrument it encodes.
///
/// Every shipped rule that encodes an instrument quotes it: `@quote` holds its
/// operative words, verbatim, and `@quote_source` says exactly where they are
/// (document, section or paragraph, address). The project's own readings stay
/// in `@reason`, marked as readings. The baseline and assurance rules encode no
/// instrument and quote none.
///
/// Serde writes and reads every field, so a rule sent to another process (in
/// a [`crate::Decision`] rebuilt with [`crate::Decision::from_parts`]) comes
/// back equal:
///
/// ```
/// use clearance::{Effect, Policies, Rule};
///
/// let policies = Policies::all_packs()?;
/// let rule = policies.rule("uk-ncsc-2017/secret-and-above").unwrap();
/// let text = serde_json::to_string(rule).unwrap();
/// let back: Rule = serde_json::from_str(&text).unwrap();
/// assert_eq!(&back, rule);
/// assert_eq!(back.effect(), Effect::Forbid);
/// assert!(back.quote().unwrap().contains("SECRET"));
/// assert!(back.quote_source().is_some());
/// # Ok::<(), clearance::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Rule {
    pub(super) id: String,
    reason: String,
    source: Option<String>,
    // Absent in rules serialised before quotes existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    quote: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    quote_source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    binds: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    waivers_per_system: bool,
    pub(super) effect: Effect,
    origin: String,
}

impl Rule {
    /// The policy's `@id`.
    pub fn id(&self) -> &str {
        &self.id
    }
    /// The policy's `@reason`.
    pub fn reason(&self) -> &str {
        &self.reason
    }
    /// The policy's `@source`, if it has one (every shipped policy does).
    pub fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }
    /// The policy's `@quote`: the operative words of the instrument it
    /// encodes, verbatim, if it quotes one.
    pub fn quote(&self) -> Option<&str> {
        self.quote.as_deref()
    }
    /// The policy's `@quote_source`: where exactly [`Rule::quote`]'s words
    /// are (document, section or paragraph, address), and whether they were
    /// read in the primary text or only as quoted by a secondary source.
    pub fn quote_source(&self) -> Option<&str> {
        self.quote_source.as_deref()
    }
    /// The policy's `@binds`: the classes of systems (of organisations) it
    /// binds, if it says ([`Binds`] has the language). A rule that says binds
    /// no one else: a deploying organisation outside its classes never gets
    /// a Deny from it.
    pub fn binds(&self) -> Option<Binds> {
        self.binds.as_deref().and_then(|text| text.parse().ok())
    }
    /// Whether the policy says `@waivers("systems")`: its law forbids
    /// blanket exceptions, so a waiver of it must name systems, not whole
    /// organisations.
    pub fn waivers_per_system(&self) -> bool {
        self.waivers_per_system
    }
    /// Permit, binding forbid, or advice.
    pub fn effect(&self) -> Effect {
        self.effect
    }
    /// Where the policy came from: a pack name, a file path, or the name given to
    /// [`crate::Policies::add_text`].
    pub fn origin(&self) -> &str {
        &self.origin
    }
}

/// The rule a parsed policy states, from its `@id`, `@reason`, `@source`,
/// `@quote`, `@quote_source` and `@advice` annotations.
pub(super) fn read_annotations(origin: &str, policy: &cedar_policy::Policy) -> Result<Rule> {
    let missing = |what: &str| {
        let at = match position_in_text(policy.id()) {
            usize::MAX => format!("policy `{}`", policy.id()),
            n => format!("policy #{} in the text", n + 1),
        };
        Error::new(
            ErrorKind::PolicyAnnotation,
            format!("{origin}: {at}: {what}"),
        )
    };
    let id = policy
        .annotation("id")
        .ok_or_else(|| missing("has no @id(\"...\") annotation"))?;
    let id_ok = !id.is_empty()
        && id.len() <= 128
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:".contains(c));
    if !id_ok {
        return Err(missing(&format!(
            "@id({:?}) must be 1 to 128 ASCII letters, digits and `-_./:`",
            crate::error::truncate(id)
        )));
    }
    let in_policy = |what: &str| {
        Error::new(
            ErrorKind::PolicyAnnotation,
            format!("{origin}: policy `{id}`: {what}"),
        )
    };
    let reason = match policy.annotation("reason") {
        Some(reason) if !reason.trim().is_empty() => reason.to_owned(),
        _ => {
            return Err(in_policy(
                "has no @reason(\"...\") saying why, in words a person reads",
            ))
        }
    };
    // An optional annotation is absent or has text: an empty one is a mistake.
    let optional = |name: &str, fill: &str| match policy.annotation(name) {
        Some(value) if value.trim().is_empty() => Err(in_policy(&format!(
            "@{name} is empty; {fill} or leave the annotation out"
        ))),
        value => Ok(value.map(str::to_owned)),
    };
    let source = optional("source", "cite the rule")?;
    let quote = optional("quote", "give its text")?;
    let quote_source = optional("quote_source", "give its text")?;
    match (&quote, &quote_source) {
        (Some(_), None) => {
            return Err(in_policy(
                "has a @quote but no @quote_source saying where its words are",
            ))
        }
        (None, Some(_)) => {
            return Err(in_policy(
                "has a @quote_source but no @quote: give the words it points to",
            ))
        }
        _ => {}
    }
    let binds = optional("binds", "say whom it binds")?;
    if let Some(text) = &binds {
        text.parse::<Binds>()
            .map_err(|e| in_policy(&format!("@binds({text:?}): {e}")))?;
    }
    let waivers_per_system = match policy.annotation("waivers") {
        None => false,
        Some("systems") => true,
        Some(other) => {
            return Err(in_policy(&format!(
                "@waivers({other:?}): the one value is \"systems\" (a waiver must name systems, not whole organisations)"
            )))
        }
    };
    let effect = match (policy.effect(), policy.annotation("advice")) {
        (_, Some(value)) if !value.is_empty() => {
            return Err(in_policy("@advice takes no value; write it bare, as `@advice`"))
        }
        (cedar_policy::Effect::Forbid, Some(_)) => Effect::Advice,
        (cedar_policy::Effect::Permit, Some(_)) => {
            return Err(in_policy(
                "@advice goes on a `forbid` (the condition under which the advice applies), not a `permit`",
            ))
        }
        (cedar_policy::Effect::Forbid, None) => Effect::Forbid,
        (cedar_policy::Effect::Permit, None) => Effect::Permit,
    };
    Ok(Rule {
        id: id.to_owned(),
        reason,
        source,
        quote,
        quote_source,
        binds,
        waivers_per_system,
        effect,
        origin: origin.to_owned(),
    })
}
