//! Policies: the shipped packs and your own, checked as they are added.
//!
//! # Writing a policy
//!
//! A policy is Cedar text validated in strict mode against the shipped schema
//! ([`crate::SCHEMA_TEXT`]). `clearance` asks these annotations of it:
//!
//! - `@id("...")`: required and unique; decisions, waivers and logs name the
//!   rule by it. Shipped packs use `pack/rule`.
//! - `@reason("...")`: required; the sentence a person reads when it decides.
//! - `@source("...")`: the law, directive or guidance it encodes. Every
//!   shipped policy has one; yours should.
//! - `@quote("...")` with `@quote_source("...")`: the instrument's operative
//!   words and where they are.
//! - `@binds("...")`: whom it binds ([`Binds`]); every shipped rule says.
//! - `@waivers("systems")`: a waiver of it must name systems, not whole
//!   organisations (its law forbids blanket exceptions).
//! - `@advice`: it advises rather than binds.
//!
//! A `forbid` is a binding rule: when it matches, the answer is Deny. A
//! `forbid` marked `@advice` is advice: when it matches, the answer keeps its
//! verdict and carries the advice. Advice is evaluated apart from the binding
//! rules, so it can never turn Allow into Deny, and an advice rule written
//! wrongly can only ever fail towards Deny.
//!
//! ```
//! use clearance::{Pack, Policies};
//!
//! let mut policies = Policies::from_packs(&[Pack::Baseline, Pack::UkNcsc2017])?;
//! policies.add_text("bank-precautions.cedar", r#"
//!     @id("bank/no-russian-antivirus-offers")
//!     @reason("The bank does not offer customers antivirus controlled from Russia.")
//!     @source("Bank board decision, 2 December 2017 (precautionary)")
//!     forbid (principal in Organisation::"bank", action == Action::"procure", resource)
//!     when {
//!         resource.product.category == "antivirus" &&
//!         resource.controlCountries.contains("RU")
//!     };
//! "#)?;
//! assert!(policies.rule("bank/no-russian-antivirus-offers").is_some());
//! # Ok::<(), clearance::Error>(())
//! ```
//!
//! # Layout
//!
//! [`Policies`] (here) parses, checks and keeps the set; [`rule`] reads a
//! policy's annotations into its [`Rule`]; [`text`] bounds what the parser is
//! given and says where a problem is; [`pack`] holds the shipped packs. The
//! layer validates against the schema of [`crate::cedar`] and knows nothing of
//! the engine: what the engine reads off a set is kept in the set's
//! [`Derived`] slot, whose type the engine chooses.

mod binds;
mod derived;
mod mentions;
mod pack;
mod rule;
mod stack;
mod text;

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

use cedar_policy::{PolicyId, PolicySet, ValidationMode, Validator};

use crate::cedar::schema;
use crate::error::{Error, ErrorKind, Result};

pub use binds::Binds;
pub(crate) use derived::Derived;
pub(crate) use mentions::{entity_refs, Mentions};
pub use pack::Pack;
use rule::read_annotations;
pub use rule::{Effect, Rule};
pub(crate) use stack::with_deep_stack;
use text::{check_nesting, describe_parse_errors, position_in_text, MAX_POLICY_TEXT};

/// A validated set of policies, split into binding rules and advice.
///
/// Build one from shipped [`Pack`]s, then add your own from text or files.
/// Each addition is parsed, checked for its annotations and validated against
/// the schema before anything is kept: a failed addition leaves the set as it
/// was.
#[derive(Debug, Clone)]
pub struct Policies {
    binding: PolicySet,
    advice: PolicySet,
    rules: HashMap<String, Arc<Rule>>,
    order: Vec<Arc<Rule>>,
    /// What engines read off this set, worked out for the first engine built
    /// from it; shared by its clones, and started afresh when the set changes.
    derived: Derived,
    /// What each policy names, by its id, read on first use.
    mentions: Arc<OnceLock<HashMap<String, Mentions>>>,
    /// Each policy's JSON form, by its id, as read for `mentions` and kept
    /// until the engine's analysis takes it: Cedar works the form out from
    /// the policy's text each time it is asked (about 10 ms for the shipped
    /// packs), and both readings need it once.
    forms: Arc<Mutex<Option<JsonForms>>>,
}

/// Policies' JSON forms by id (`None` where Cedar could not give one).
pub(crate) type JsonForms = HashMap<String, Option<serde_json::Value>>;

impl Default for Policies {
    /// No policies at all: every question is denied, as nothing permits it.
    fn default() -> Self {
        Policies {
            binding: PolicySet::new(),
            advice: PolicySet::new(),
            rules: HashMap::new(),
            order: Vec::new(),
            derived: Derived::default(),
            mentions: Arc::default(),
            forms: Arc::default(),
        }
    }
}

impl Policies {
    /// No policies: every question is denied until a permit is added.
    pub fn new() -> Policies {
        Policies::default()
    }

    /// Every shipped pack, the baseline permit included.
    pub fn all_packs() -> Result<Policies> {
        Policies::from_packs(Pack::ALL)
    }

    /// The given shipped packs.
    pub fn from_packs(packs: &[Pack]) -> Result<Policies> {
        let mut policies = Policies::new();
        for pack in packs {
            policies.add_pack(*pack)?;
        }
        Ok(policies)
    }

    /// The shipped packs named, such as `["baseline", "uk-ncsc-2017"]`.
    ///
    /// # Errors
    /// [`ErrorKind::UnknownPack`] naming the first unknown name.
    pub fn from_pack_names<S: AsRef<str>>(names: &[S]) -> Result<Policies> {
        let packs = names
            .iter()
            .map(|name| {
                name.as_ref()
                    .parse::<Pack>()
                    .map_err(|e| Error::new(ErrorKind::UnknownPack, e.message()))
            })
            .collect::<Result<Vec<_>>>()?;
        Policies::from_packs(&packs)
    }

    /// Adds a shipped pack.
    pub fn add_pack(&mut self, pack: Pack) -> Result<&mut Self> {
        self.add_text(pack.as_str(), pack.text())
    }

    /// Adds the policies in `text`; `origin` names them in errors and in
    /// [`Rule::origin`] (a file name, say).
    ///
    /// # Errors
    /// [`ErrorKind::PolicySyntax`], [`ErrorKind::PolicyAnnotation`],
    /// [`ErrorKind::DuplicatePolicyId`] or [`ErrorKind::PolicyValidation`], each
    /// naming the origin and, once known, the policy's `@id`. Text nested
    /// deeper than Cedar can parse safely (brackets more than 16 deep, `if`s
    /// more than 32 deep, or more than 4096 operators in one policy) is a
    /// [`ErrorKind::PolicySyntax`] naming the line and column.
    pub fn add_text(&mut self, origin: &str, text: &str) -> Result<&mut Self> {
        if text.len() > MAX_POLICY_TEXT {
            return Err(Error::new(
                ErrorKind::PolicySyntax,
                format!(
                    "{origin}: {} bytes of policy text; at most {MAX_POLICY_TEXT} are read at once",
                    text.len()
                ),
            ));
        }
        check_nesting(text).map_err(|problem| {
            Error::new(ErrorKind::PolicySyntax, format!("{origin}: {problem}"))
        })?;
        let parsed: PolicySet = text.parse().map_err(|e: cedar_policy::ParseErrors| {
            Error::new(
                ErrorKind::PolicySyntax,
                format!("{origin}: {}", describe_parse_errors(&e, text)),
            )
        })?;
        if let Some(template) = parsed.templates().next() {
            return Err(Error::new(
                ErrorKind::PolicySyntax,
                format!(
                    "{origin}: policy templates are not supported (found `{}`)",
                    template.id()
                ),
            ));
        }
        // Keep the text's order, so reasons and errors are listed as written.
        let mut parsed: Vec<_> = parsed.policies().cloned().collect();
        parsed.sort_by_key(|p| position_in_text(p.id()));

        let mut staged_binding = self.binding.clone();
        let mut staged_advice = self.advice.clone();
        let mut staged_rules = Vec::new();
        let mut fresh = PolicySet::new();
        for policy in parsed {
            let rule = read_annotations(origin, &policy)?;
            if self.rules.contains_key(&rule.id)
                || staged_rules.iter().any(|r: &Rule| r.id == rule.id)
            {
                return Err(Error::new(
                    ErrorKind::DuplicatePolicyId,
                    format!(
                        "{origin}: policy `{}`: another policy already has this @id",
                        rule.id
                    ),
                ));
            }
            let policy = policy.new_id(PolicyId::new(&rule.id));
            let target = match rule.effect {
                Effect::Advice => &mut staged_advice,
                Effect::Permit | Effect::Forbid => &mut staged_binding,
            };
            let duplicate = |e: cedar_policy::PolicySetError| {
                Error::new(
                    ErrorKind::DuplicatePolicyId,
                    format!("{origin}: policy `{}`: {e}", rule.id),
                )
            };
            target.add(policy.clone()).map_err(duplicate)?;
            fresh.add(policy).map_err(duplicate)?;
            staged_rules.push(rule);
        }
        validate(origin, &fresh)?;

        self.binding = staged_binding;
        self.advice = staged_advice;
        self.derived = Derived::default();
        self.mentions = Arc::default();
        self.forms = Arc::default();
        for rule in staged_rules {
            let rule = Arc::new(rule);
            self.rules.insert(rule.id.clone(), Arc::clone(&rule));
            self.order.push(rule);
        }
        Ok(self)
    }

    /// Adds the policies in a `.cedar` file.
    pub fn add_file(&mut self, path: impl AsRef<Path>) -> Result<&mut Self> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::new(
                ErrorKind::Io,
                format!("reading policies {}: {e}", path.display()),
            )
        })?;
        self.add_text(&path.display().to_string(), &text)
    }

    /// The rule with this `@id`.
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.get(id).map(|r| &**r)
    }

    /// Every rule, in the order added.
    pub fn rules(&self) -> impl Iterator<Item = &Rule> {
        self.order.iter().map(|r| &**r)
    }

    /// How many policies there are.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// A digest naming exactly this policy set: the SHA-256 of every
    /// policy's origin, `@id` and Cedar text, in the order added, as
    /// `sha256:<64 hex digits>`. Two sets with the same policies from the same
    /// packs and files, added in the same order, have the same digest; any
    /// change to a policy's text or annotations changes it.
    ///
    /// ```
    /// use clearance::{Pack, Policies};
    ///
    /// let a = Policies::from_packs(&[Pack::Baseline, Pack::UkNcsc2017])?;
    /// let b = Policies::from_packs(&[Pack::Baseline, Pack::UkNcsc2017])?;
    /// assert_eq!(a.digest(), b.digest());
    /// assert_ne!(a.digest(), Policies::from_packs(&[Pack::Baseline])?.digest());
    /// # Ok::<(), clearance::Error>(())
    /// ```
    pub fn digest(&self) -> String {
        let texts: Vec<(&Rule, String)> = self
            .order
            .iter()
            .map(|rule| {
                let id = PolicyId::new(rule.id());
                let text = self
                    .binding
                    .policy(&id)
                    .or_else(|| self.advice.policy(&id))
                    .map(|p| p.to_string())
                    .unwrap_or_default();
                (&**rule, text)
            })
            .collect();
        crate::digest::sha256(texts.iter().flat_map(|(rule, text)| {
            [
                rule.origin().as_bytes(),
                rule.id().as_bytes(),
                text.as_bytes(),
            ]
        }))
    }

    /// The origins of the policies, in the order added: shipped pack names,
    /// file paths, or the names given to [`Policies::add_text`].
    ///
    /// ```
    /// use clearance::{Pack, Policies};
    ///
    /// let policies = Policies::from_packs(&[Pack::Baseline, Pack::UsBod1701])?;
    /// assert_eq!(policies.origins(), ["baseline", "us-bod-17-01"]);
    /// # Ok::<(), clearance::Error>(())
    /// ```
    pub fn origins(&self) -> Vec<&str> {
        let mut origins: Vec<&str> = Vec::new();
        for rule in &self.order {
            if !origins.contains(&rule.origin()) {
                origins.push(rule.origin());
            }
        }
        origins
    }

    /// The binding rules (permits and forbids) as a Cedar policy set, each
    /// policy's id being its `@id`.
    pub fn binding(&self) -> &PolicySet {
        &self.binding
    }

    /// The advice rules as a Cedar policy set: a `forbid` here that matches
    /// means the advice applies.
    pub fn advice(&self) -> &PolicySet {
        &self.advice
    }

    /// The keys the policies test `context.waivers` for: the waivers an
    /// inventory may name. A rule that accepts waivers tests its own `@id`,
    /// and may accept other kinds under keys of their own (the s.889 rules
    /// take `<rule>/dni` for waivers of the Director of National
    /// Intelligence, which have no date cap).
    ///
    /// ```
    /// use clearance::Policies;
    ///
    /// let policies = Policies::all_packs()?;
    /// let keys = policies.waiver_keys();
    /// assert!(keys.contains("au-pspf-002-2025/kaspersky"));
    /// assert!(!keys.contains("us-bod-17-01/kaspersky-security-products"));
    /// # Ok::<(), clearance::Error>(())
    /// ```
    pub fn waiver_keys(&self) -> BTreeSet<&str> {
        self.mentions()
            .values()
            .flat_map(|m| m.waiver_keys.iter().map(String::as_str))
            .collect()
    }

    /// Every instant at which some policy's reading of `context.now` turns
    /// (see [`Mentions::turns`]).
    ///
    /// # Errors
    /// [`ErrorKind::UnboundedTime`] naming the first policy, in the order
    /// added, that reads the time in another way.
    pub(crate) fn time_turns(&self) -> Result<BTreeSet<crate::model::Instant>> {
        let mentions = self.mentions();
        let mut turns = BTreeSet::new();
        for rule in &self.order {
            let Some(read) = mentions.get(rule.id()) else {
                continue;
            };
            if let Some(why) = &read.time_unbounded {
                return Err(Error::new(
                    ErrorKind::UnboundedTime,
                    format!(
                        "policy `{}` ({}): {why}, so the instants at which its decisions change cannot be listed",
                        rule.id(),
                        rule.origin()
                    ),
                ));
            }
            turns.extend(read.turns.iter().copied());
        }
        Ok(turns)
    }

    /// What each policy names (waiver keys, vendors), by its `@id`.
    pub(crate) fn mentions(&self) -> &HashMap<String, Mentions> {
        self.mentions.get_or_init(|| {
            let forms = self.read_forms();
            let mentions = match &forms {
                Some(forms) => with_deep_stack(|| {
                    forms
                        .iter()
                        .map(|(id, json)| (id.clone(), Mentions::of(json.as_ref())))
                        .collect::<HashMap<_, _>>()
                }),
                None => None,
            };
            *self.forms.lock().unwrap_or_else(|e| e.into_inner()) = forms;
            // No thread: assume every policy may read any waiver.
            mentions.unwrap_or_else(|| {
                self.binding
                    .policies()
                    .chain(self.advice.policies())
                    .map(|p| (AsRef::<str>::as_ref(p.id()).to_owned(), Mentions::of(None)))
                    .collect()
            })
        })
    }

    /// Every policy's JSON form, by id: the one read for [`Policies::mentions`]
    /// if no one has taken it yet (it is then dropped from the set), or read
    /// afresh. `None` if no thread could be started to read them.
    pub(crate) fn take_forms(&self) -> Option<JsonForms> {
        self.mentions();
        let kept = self.forms.lock().unwrap_or_else(|e| e.into_inner()).take();
        kept.or_else(|| self.read_forms())
    }

    fn read_forms(&self) -> Option<JsonForms> {
        let policies: Vec<&cedar_policy::Policy> = self
            .binding
            .policies()
            .chain(self.advice.policies())
            .collect();
        with_deep_stack(|| {
            policies
                .iter()
                .map(|p| (AsRef::<str>::as_ref(p.id()).to_owned(), p.to_json().ok()))
                .collect::<JsonForms>()
        })
    }

    /// What engines read off this set, kept with it (see [`Derived`]).
    pub(crate) fn derived(&self) -> &Derived {
        &self.derived
    }

    pub(crate) fn shared_rule(&self, id: &PolicyId) -> Option<&Arc<Rule>> {
        self.rules.get(AsRef::<str>::as_ref(id))
    }
}

/// Strict validation, with Cedar's warnings treated as errors too: a policy
/// that can never apply (a forbid that silently forbids nothing) or that
/// hides text behind look-alike or bidirectional characters is a mistake
/// that would fail open, so it is refused at load.
fn validate(origin: &str, policies: &PolicySet) -> Result<()> {
    use miette::Diagnostic;
    fn with_help(problem: &(impl Diagnostic + std::fmt::Display)) -> String {
        // Cedar's message already names the policy by its id (our `@id`).
        let help = problem
            .help()
            .map(|h| format!(" ({h})"))
            .unwrap_or_default();
        format!("{problem}{help}")
    }
    let validator = Validator::new(schema().clone());
    let result = validator.validate(policies, ValidationMode::Strict);
    let problems: Vec<String> = result
        .validation_errors()
        .map(with_help)
        .chain(result.validation_warnings().map(with_help))
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::PolicyValidation,
            format!("{origin}: {}", problems.join("; ")),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_policy_has_an_id_in_its_pack_a_reason_and_a_source() {
        for pack in Pack::ALL {
            let policies = Policies::from_packs(&[*pack]).unwrap();
            assert!(!policies.is_empty(), "{pack} is empty");
            for rule in policies.rules() {
                assert!(
                    rule.id().starts_with(&format!("{pack}/")),
                    "{} in {pack}",
                    rule.id()
                );
                assert!(rule.reason().len() > 20, "{}: reason too thin", rule.id());
                assert!(
                    rule.source().is_some_and(|s| s.len() > 10),
                    "{}: no source",
                    rule.id()
                );
                assert_eq!(rule.origin(), pack.as_str());
            }
        }
    }

    #[test]
    fn every_shipped_rule_that_encodes_an_instrument_quotes_it_and_says_where() {
        for pack in Pack::ALL {
            let encodes_an_instrument = !matches!(pack, Pack::Baseline | Pack::Assurance);
            for rule in Policies::from_packs(&[*pack]).unwrap().rules() {
                if !encodes_an_instrument {
                    assert_eq!(rule.quote(), None, "{}: the project's own rule", rule.id());
                    continue;
                }
                let quote = rule
                    .quote()
                    .unwrap_or_else(|| panic!("{}: no @quote", rule.id()));
                let at = rule
                    .quote_source()
                    .unwrap_or_else(|| panic!("{}: no @quote_source", rule.id()));
                assert!(quote.len() > 40, "{}: quote too thin", rule.id());
                // Where: a document and an address, and whether the words were
                // read in the primary text or only as a secondary source gives them.
                assert!(at.contains("http"), "{}: no address in {at:?}", rule.id());
                assert!(
                    ["primary", "Primary", "secondary", "Secondary"]
                        .iter()
                        .any(|w| at.contains(w)),
                    "{}: {at:?} does not say how well the words are confirmed",
                    rule.id()
                );
            }
        }
    }

    #[test]
    fn a_quote_needs_its_source_and_neither_may_be_empty() {
        let text = |annotations: &str| {
            format!(
                "@id(\"mine/q\") @reason(\"a rule of mine\") {annotations} forbid (principal, action, resource);"
            )
        };
        let error = |annotations: &str| {
            Policies::new()
                .add_text("mine.cedar", &text(annotations))
                .unwrap_err()
                .to_string()
        };
        assert!(error(r#"@quote("the words")"#).contains("no @quote_source"));
        assert!(error(r#"@quote_source("https://example.org")"#).contains("no @quote"));
        assert!(error(r#"@quote("") @quote_source("x")"#).contains("@quote is empty"));
        let mut policies = Policies::new();
        policies
            .add_text(
                "mine.cedar",
                &text(r#"@quote("the words") @quote_source("https://example.org, section 2")"#),
            )
            .unwrap();
        let rule = policies.rule("mine/q").unwrap();
        assert_eq!(rule.quote(), Some("the words"));
        assert_eq!(rule.quote_source(), Some("https://example.org, section 2"));
    }

    #[test]
    fn advice_is_exactly_the_policies_marked_advice() {
        let policies = Policies::all_packs().unwrap();
        let advice: Vec<&str> = policies
            .rules()
            .filter(|r| r.effect() == Effect::Advice)
            .map(Rule::id)
            .collect();
        assert_eq!(
            advice,
            [
                "uk-ncsc-2017/reconsider-russian-controlled-2022",
                "uk-wms-2022-surveillance/core-networks",
                "uk-wms-2022-surveillance/consider-removal-from-sensitive-sites",
                "uk-wms-2022-surveillance/consider-other-sites",
                "us-fcc-equipment-authorization/no-lawful-updates",
                "de-bsi-2022/replace-kaspersky-antivirus",
                "lt-2017/kaspersky-existing-use",
                "lt-2017/businesses-assess-risks",
                "nl-2018/national-government-antivirus-phase-out",
                "nl-2018/vital-sectors",
                "nl-2018/defence-contractors",
                "eu-institutions-tiktok-2023/parliament-personal-devices",
                "eu-institutions-tiktok-2023/council-reported",
                "tw-moda-deepseek-2025/critical-infrastructure",
                "cz-deepseek-2025/nukib-warning",
                "kr-deepseek-2025/ministries",
                "it-garante-deepseek-2025/provider-restricted",
            ]
        );
        assert_eq!(policies.advice().policies().count(), advice.len());
        assert_eq!(
            policies.binding().policies().count(),
            policies.len() - advice.len()
        );
        let permits: Vec<&str> = policies
            .rules()
            .filter(|r| r.effect() == Effect::Permit)
            .map(Rule::id)
            .collect();
        assert_eq!(permits, ["baseline/permit-unless-forbidden"]);
    }

    /// The waiver keys a policy tests: `context.waivers.contains("...")` in its
    /// JSON form, in the order written.
    fn waiver_keys(policy: &cedar_policy::Policy) -> Vec<String> {
        fn walk(node: &serde_json::Value, keys: &mut Vec<String>) {
            match node {
                serde_json::Value::Object(map) => {
                    if let Some(contains) = map.get("contains") {
                        let left = &contains["left"]["."];
                        if left["left"]["Var"] == "context" && left["attr"] == "waivers" {
                            if let Some(key) = contains["right"]["Value"].as_str() {
                                keys.push(key.to_owned());
                            }
                        }
                    }
                    map.values().for_each(|v| walk(v, keys));
                }
                serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, keys)),
                _ => {}
            }
        }
        let mut keys = Vec::new();
        walk(&policy.to_json().unwrap(), &mut keys);
        keys
    }

    #[test]
    fn only_rules_whose_law_allows_exceptions_test_waiver_keys_of_their_own() {
        let policies = Policies::all_packs().unwrap();
        let mut tested: Vec<(String, Vec<String>)> = policies
            .binding()
            .policies()
            .chain(policies.advice().policies())
            .map(|p| (p.id().to_string(), waiver_keys(p)))
            .filter(|(_, keys)| !keys.is_empty())
            .collect();
        tested.sort();
        // A rule split off another (installing, under s.889) accepts that
        // rule's waivers: `(id, the rule whose keys it tests, suffixes)`.
        let expected: Vec<(String, Vec<String>)> = [
            ("au-pspf-001-2023/tiktok", None, &[""][..]),
            ("au-pspf-001-2025/deepseek", None, &[""][..]),
            ("au-pspf-002-2025/kaspersky", None, &[""][..]),
            ("nz-parliament-tiktok-2023/tiktok", None, &[""][..]),
            ("tw-moda-deepseek-2025/government", None, &[""][..]),
            ("uk-tiktok-2023/government-devices", None, &[""][..]),
            ("us-asda-2023/far-52-240-1", None, &[""][..]),
            ("us-asda-2023/federal-funds", None, &[""][..]),
            ("us-asda-2023/operation", None, &[""][..]),
            ("us-asda-2023/procurement", None, &[""][..]),
            ("us-far-52-204-27/contractor-it", None, &[""][..]),
            ("us-ndaa-6604/deepseek-ic-systems", None, &[""][..]),
            (
                "us-ndaa-889/agency-hytera-hikvision-dahua-services",
                None,
                &["", "/dni"][..],
            ),
            ("us-ndaa-889/agency-telecom", None, &["", "/dni"][..]),
            (
                "us-ndaa-889/agency-telecom-install",
                Some("us-ndaa-889/agency-telecom"),
                &["", "/dni"][..],
            ),
            (
                "us-ndaa-889/agency-video-surveillance",
                None,
                &["", "/dni"][..],
            ),
            (
                "us-ndaa-889/agency-video-surveillance-install",
                Some("us-ndaa-889/agency-video-surveillance"),
                &["", "/dni"][..],
            ),
            (
                "us-ndaa-889/contractor-hytera-hikvision-dahua-services",
                None,
                &["", "/dni"][..],
            ),
            ("us-ndaa-889/contractor-telecom", None, &["", "/dni"][..]),
            (
                "us-ndaa-889/contractor-video-surveillance",
                None,
                &["", "/dni"][..],
            ),
            ("us-no-tiktok-act/agency-it", None, &[""][..]),
            ("us-ofac-50/blocked-vendor", None, &[""][..]),
            ("us-pafaca/distribution", None, &[""][..]),
        ]
        .iter()
        .map(|(id, of, suffixes)| {
            let key = of.unwrap_or(id);
            let keys = suffixes.iter().map(|s| format!("{key}{s}")).collect();
            ((*id).to_owned(), keys)
        })
        .collect();
        assert_eq!(tested, expected);
    }

    #[test]
    fn a_failed_addition_leaves_the_set_as_it_was() {
        let mut policies = Policies::from_packs(&[Pack::Baseline]).unwrap();
        let text = r#"
            @id("mine/ok") @reason("a fine rule")
            forbid (principal, action, resource) when { resource.audited };
            @id("mine/broken") @reason("reads an attribute that does not exist")
            forbid (principal, action, resource) when { resource.nope };
        "#;
        let error = policies.add_text("mine.cedar", text).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::PolicyValidation);
        assert!(error.message().contains("mine/broken"), "{error}");
        assert_eq!(policies.len(), 1);
        assert!(policies.rule("mine/ok").is_none());
        assert_eq!(policies.binding().policies().count(), 1);
    }

    #[test]
    fn parse_errors_point_at_the_line() {
        let error = Policies::new()
            .add_text(
                "typo.cedar",
                "@id(\"a\")\n@reason(\"b\")\nforbid (principal, action, resource) when { 1 + };",
            )
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::PolicySyntax);
        assert!(
            error.message().starts_with("typo.cedar: line 3, column"),
            "{error}"
        );
    }
}
