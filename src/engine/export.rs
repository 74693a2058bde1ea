//! Exporting one question as Cedar's own files, so that Cedar's CLI can
//! reproduce the engine's answer.
//!
//! This module owns [`Export`] and [`crate::Engine::export`]: what the engine
//! hands Cedar for one question (the policies, the schema, the entities that
//! matter, the request and its context), written in the formats
//! `cedar-policy-cli` reads, beside the engine's own answer. It adds nothing
//! to how a decision is made; it only writes down what was asked.
//!
//! The CLI (4.x) reads each part as follows, and the export matches it:
//!
//! - `--policies FILE`: Cedar policy text. Each policy's id is its `@id`
//!   annotation (the CLI renames policies after it), which is the id the
//!   engine gives it too, so the CLI lists the deciding policies by the ids
//!   the engine names rules by. Binding rules and advice are separate files,
//!   since the engine evaluates them apart.
//! - `--schema FILE`: the schema in Cedar's schema syntax. With it the CLI
//!   validates the request and adds the action entities.
//! - `--entities FILE`: entities JSON, as `Entities::from_json_*` reads it.
//! - `--request-json FILE`: `{"principal": "System::\"id\"", "action":
//!   "Action::\"deploy\"", "resource": "Release::\"id\"", "context": {...}}`,
//!   each uid in Cedar's `Type::"id"` syntax and the context as Cedar's
//!   context JSON, parsed with the schema for that action.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Path, PathBuf};

use cedar_policy::{Entities, Entity, EntityUid, EvalResult, PolicyId, PolicySet, Request};
use serde_json::{json, Value};

use crate::cedar::{schema, SCHEMA_TEXT};
use crate::decision::Decision;
use crate::error::{Error, ErrorKind, Result};
use crate::policy::{entity_refs, Effect, Policies};

/// What the engine hands Cedar for one question, in Cedar's own formats,
/// with the engine's answer: made by [`crate::Engine::export`], written by
/// [`Export::write_to`] as the files [`Export::FILES`] names.
///
/// With the files, `cedar authorize` (from the `cedar-policy-cli` crate)
/// prints the verdict and the deciding policies the engine gives, and
/// `cedar validate` passes; [`Export::commands`] gives the command lines.
/// The engine fails closed where Cedar does not: when `expected.json` lists
/// `errors`, the engine's verdict is Deny whatever Cedar prints.
///
/// ```
/// use clearance::{Action, Engine, Inventory, Policies, Query};
///
/// let inventory = Inventory::from_path("examples/article-inventory.json")?;
/// let engine = Engine::new(inventory, Policies::all_packs()?)?;
/// let query = Query::new("mod-secret", Action::Deploy, "kes-12").at("2018-01-10".parse()?);
/// let export = engine.export(&query)?;
///
/// assert_eq!(export.decision().rule_ids(), ["uk-ncsc-2017/secret-and-above"]);
/// assert!(export.policies_text().contains(r#"@id("uk-ncsc-2017/secret-and-above")"#));
/// assert_eq!(export.request_json()["principal"], r#"System::"mod-secret""#);
/// assert_eq!(export.expected_json()["verdict"], "deny");
///
/// let dir = std::env::temp_dir().join("clearance-export-doc");
/// let written = export.write_to(&dir)?;
/// assert_eq!(written.len(), clearance::Export::FILES.len());
/// # std::fs::remove_dir_all(&dir).ok();
/// # Ok::<(), clearance::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Export {
    decision: Decision,
    policies: String,
    advice: String,
    entities: Value,
    request: Value,
}

impl Export {
    /// The export of a question the engine answered with `decision`, asking
    /// Cedar `request` of `entities` (those of the question's instant) with
    /// `policies`.
    pub(super) fn build(
        decision: Decision,
        request: &Request,
        entities: &Entities,
        policies: &Policies,
    ) -> Result<Export> {
        let internal = |what: &str, e: &dyn std::fmt::Display| {
            Error::new(ErrorKind::Internal, format!("exporting {what}: {e}"))
        };
        let (Some(principal), Some(action), Some(resource), Some(context)) = (
            request.principal(),
            request.action(),
            request.resource(),
            request.context(),
        ) else {
            return Err(internal("the request", &"it lacks a part"));
        };
        let context = context
            .to_json_value()
            .map_err(|e| internal("the context", &e))?;

        let mut seeds = vec![principal.clone(), action.clone(), resource.clone()];
        entity_refs(&context, &mut seeds);
        let mentions = policies.mentions();
        for rule in policies.rules() {
            match mentions.get(rule.id()) {
                Some(read) if read.json_read => seeds.extend(read.named_and_read.iter().cloned()),
                _ => {
                    return Err(internal(
                        "the entities",
                        &format!("the JSON form of policy `{}` could not be read", rule.id()),
                    ))
                }
            }
        }
        let actions = schema()
            .action_entities()
            .map_err(|e| internal("the schema's actions", &e))?;
        let entities = entities_json(&closure(seeds, entities, &actions))
            .map_err(|e| internal("the entities", &e))?;

        let request = json!({
            "principal": principal.to_string(),
            "action": action.to_string(),
            "resource": resource.to_string(),
            "context": context,
        });
        Ok(Export {
            decision,
            policies: policy_text(
                policies.binding(),
                policies.rules().filter(|r| r.effect() != Effect::Advice),
                BINDING_HEADER,
            ),
            advice: policy_text(
                policies.advice(),
                policies.rules().filter(|r| r.effect() == Effect::Advice),
                ADVICE_HEADER,
            ),
            entities,
            request,
        })
    }
}

const BINDING_HEADER: &str = "\
// The binding rules (permits and forbids) clearance evaluated, exported for
// `cedar authorize` and `cedar validate`. Cedar's CLI names each policy by
// its @id, as clearance does. For a Deny, the deciding rules are the forbids
// Cedar lists; any evaluation error makes clearance's verdict Deny.
";

const ADVICE_HEADER: &str = "\
// The advice clearance evaluated, apart from the binding rules: each is a
// forbid, so with this file alone `cedar authorize` prints DENY, and the
// policies it lists are the advice that applies (none: no advice).
";

impl Export {
    /// The names of the files [`Export::write_to`] writes, in order: the
    /// binding policies, the advice, the schema, the entities, the request,
    /// and the engine's answer.
    /// ```
    /// assert_eq!(clearance::Export::FILES[3], "entities.json");
    /// ```
    pub const FILES: [&'static str; 6] = [
        "policies.cedar",
        "advice.cedar",
        "clearance.cedarschema",
        "entities.json",
        "request.json",
        "expected.json",
    ];

    /// The engine's answer to the question.
    ///
    /// ```
    /// # use clearance::{Action, Engine, Inventory, Policies, Query};
    /// # let inventory = Inventory::from_path("examples/article-inventory.json")?;
    /// # let engine = Engine::new(inventory, Policies::all_packs()?)?;
    /// let query = Query::new("mod-secret", Action::Deploy, "kes-12").at("2018-01-10".parse()?);
    /// let export = engine.export(&query)?;
    /// assert_eq!(export.decision().rule_ids(), ["uk-ncsc-2017/secret-and-above"]);
    /// # Ok::<(), clearance::Error>(())
    /// ```
    pub fn decision(&self) -> &Decision {
        &self.decision
    }

    /// The binding policies (permits and binding forbids) as Cedar text, each
    /// with its annotations, in the order they were added: `policies.cedar`.
    ///
    /// ```
    /// # use clearance::{Action, Engine, Inventory, Policies, Query};
    /// # let inventory = Inventory::from_path("examples/article-inventory.json")?;
    /// # let engine = Engine::new(inventory, Policies::all_packs()?)?;
    /// let query = Query::new("mod-secret", Action::Deploy, "kes-12").at("2018-01-10".parse()?);
    /// let export = engine.export(&query)?;
    /// let text = export.policies_text();
    /// assert!(text.contains(r#"@id("baseline/permit-unless-forbidden")"#));
    /// assert!(!text.contains("@advice"));
    /// # Ok::<(), clearance::Error>(())
    /// ```
    pub fn policies_text(&self) -> &str {
        &self.policies
    }

    /// The advice policies as Cedar text, each with its annotations:
    /// `advice.cedar`.
    ///
    /// ```
    /// # use clearance::{Action, Engine, Inventory, Policies, Query};
    /// # let inventory = Inventory::from_path("examples/article-inventory.json")?;
    /// # let engine = Engine::new(inventory, Policies::all_packs()?)?;
    /// let query = Query::new("mod-secret", Action::Deploy, "kes-12").at("2018-01-10".parse()?);
    /// let export = engine.export(&query)?;
    /// assert!(export.advice_text().contains(r#"@id("de-bsi-2022/replace-kaspersky-antivirus")"#));
    /// # Ok::<(), clearance::Error>(())
    /// ```
    pub fn advice_text(&self) -> &str {
        &self.advice
    }

    /// The schema, in Cedar's schema syntax: `clearance.cedarschema`, the
    /// same text as [`crate::SCHEMA_TEXT`].
    ///
    /// ```
    /// # use clearance::{Action, Engine, Inventory, Policies, Query};
    /// # let inventory = Inventory::from_path("examples/article-inventory.json")?;
    /// # let engine = Engine::new(inventory, Policies::all_packs()?)?;
    /// let query = Query::new("mod-secret", Action::Deploy, "kes-12").at("2018-01-10".parse()?);
    /// let export = engine.export(&query)?;
    /// assert_eq!(export.schema_text(), clearance::SCHEMA_TEXT);
    /// # Ok::<(), clearance::Error>(())
    /// ```
    pub fn schema_text(&self) -> &str {
        SCHEMA_TEXT
    }

    /// The entities that matter to the question, as Cedar's entities JSON
    /// (an array, sorted by uid): `entities.json`.
    ///
    /// ```
    /// # use clearance::{Action, Engine, Inventory, Policies, Query};
    /// # let inventory = Inventory::from_path("examples/article-inventory.json")?;
    /// # let engine = Engine::new(inventory, Policies::all_packs()?)?;
    /// let query = Query::new("mod-secret", Action::Deploy, "kes-12").at("2018-01-10".parse()?);
    /// let export = engine.export(&query)?;
    /// let entities = export.entities_json().as_array().unwrap();
    /// assert_eq!(entities[0]["uid"], serde_json::json!({"type": "Action", "id": "deploy"}));
    /// // The system, its organisations, the release, its product and vendors: not the whole inventory.
    /// assert!(entities.len() < engine.entities()?.len() / 2);
    /// # Ok::<(), clearance::Error>(())
    /// ```
    pub fn entities_json(&self) -> &Value {
        &self.entities
    }

    /// The request as `cedar authorize --request-json` reads it: principal,
    /// action and resource as `Type::"id"` strings, and the context as
    /// Cedar's context JSON (`now` as a `datetime` extension value, `waivers`
    /// and `assurance` as sets of strings): `request.json`.
    ///
    /// ```
    /// # use clearance::{Action, Engine, Inventory, Policies, Query};
    /// # let inventory = Inventory::from_path("examples/article-inventory.json")?;
    /// # let engine = Engine::new(inventory, Policies::all_packs()?)?;
    /// let query = Query::new("mod-secret", Action::Deploy, "kes-12").at("2018-01-10".parse()?);
    /// let export = engine.export(&query)?;
    /// let request = export.request_json();
    /// assert_eq!(request["resource"], r#"Release::"kes-12""#);
    /// assert_eq!(request["context"]["now"]["__extn"]["arg"], "2018-01-10T00:00:00.000Z");
    /// # Ok::<(), clearance::Error>(())
    /// ```
    pub fn request_json(&self) -> &Value {
        &self.request
    }

    /// The engine's answer: the question, the verdict (`"allow"` or
    /// `"deny"`), the deciding rule ids, the advice ids, the waivers used,
    /// any evaluation errors, and the words each deciding rule and advice
    /// quotes (`quotes`: `{"rule", "quote", "quote_source"}` objects, for
    /// the rules that quote an instrument): `expected.json`.
    ///
    /// ```
    /// # use clearance::{Action, Engine, Inventory, Policies, Query};
    /// # let inventory = Inventory::from_path("examples/article-inventory.json")?;
    /// # let engine = Engine::new(inventory, Policies::all_packs()?)?;
    /// let query = Query::new("mod-secret", Action::Deploy, "kes-12").at("2018-01-10".parse()?);
    /// let export = engine.export(&query)?;
    /// let expected = export.expected_json();
    /// assert_eq!(expected["rules"], serde_json::json!(["uk-ncsc-2017/secret-and-above"]));
    /// assert_eq!(expected["errors"], serde_json::json!([]));
    /// assert_eq!(expected["quotes"][0]["rule"], "uk-ncsc-2017/secret-and-above");
    /// # Ok::<(), clearance::Error>(())
    /// ```
    pub fn expected_json(&self) -> Value {
        let asked = self.decision.asked();
        // The words each deciding rule and advice quotes, for the reader of
        // the export: Cedar's own tooling reads only the ids.
        let quotes: Vec<Value> = self
            .decision
            .rules()
            .chain(self.decision.advice())
            .filter_map(|rule| {
                Some(json!({
                    "rule": rule.id(),
                    "quote": rule.quote()?,
                    "quote_source": rule.quote_source()?,
                }))
            })
            .collect();
        json!({
            "system": asked.system,
            "action": asked.action,
            "release": asked.release,
            "at": asked.at,
            "verdict": self.decision.verdict(),
            "rules": self.decision.rule_ids(),
            "advice": self.decision.advice_ids(),
            "waivers": self.decision.waivers(),
            "errors": self.decision.errors(),
            "quotes": quotes,
        })
    }

    /// Writes the files of [`Export::FILES`] into `dir`, creating it (and
    /// its parents) if need be, and returns their paths in that order.
    /// Existing files of those names are replaced.
    ///
    /// # Errors
    /// [`ErrorKind::Io`] naming the directory or the file that could not be
    /// created or written.
    ///
    /// ```
    /// use clearance::{Action, Engine, Export, Inventory, Policies, Query};
    ///
    /// let inventory = Inventory::from_path("examples/article-inventory.json")?;
    /// let engine = Engine::new(inventory, Policies::all_packs()?)?;
    /// let query = Query::new("mod-secret", Action::Deploy, "kes-12").at("2018-01-10".parse()?);
    /// let dir = std::env::temp_dir().join("clearance-export-write-doc/mod-secret");
    /// let written = engine.export(&query)?.write_to(&dir)?;
    /// assert_eq!(written[0], dir.join("policies.cedar"));
    /// assert!(written.iter().all(|path| path.is_file()));
    /// # std::fs::remove_dir_all(dir.parent().unwrap()).ok();
    /// # Ok::<(), clearance::Error>(())
    /// ```
    pub fn write_to(&self, dir: impl AsRef<Path>) -> Result<Vec<PathBuf>> {
        let dir = dir.as_ref();
        std::fs::create_dir_all(dir).map_err(|e| {
            Error::new(
                ErrorKind::Io,
                format!(
                    "exporting to {}: cannot create the directory: {e}",
                    dir.display()
                ),
            )
        })?;
        let pretty = |value: &Value| {
            // A `Value` always serialises.
            let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
            text.push('\n');
            text
        };
        let contents = [
            self.policies.clone(),
            self.advice.clone(),
            SCHEMA_TEXT.to_owned(),
            pretty(&self.entities),
            pretty(&self.request),
            pretty(&self.expected_json()),
        ];
        Export::FILES
            .iter()
            .zip(contents)
            .map(|(name, text)| {
                let path = dir.join(name);
                std::fs::write(&path, text).map_err(|e| {
                    Error::new(
                        ErrorKind::Io,
                        format!("exporting: cannot write {}: {e}", path.display()),
                    )
                })?;
                Ok(path)
            })
            .collect()
    }

    /// The `cedar` command lines that check files written to `dir`: validate
    /// the binding policies and the advice against the schema (warnings
    /// denied, as `clearance` refuses them too), then authorize the request
    /// with the binding policies and with the advice. Paths are quoted for a
    /// POSIX shell where they need it.
    ///
    /// ```
    /// use clearance::Export;
    ///
    /// let commands = Export::commands("out");
    /// assert_eq!(
    ///     commands[2],
    ///     "cedar authorize --policies out/policies.cedar --schema out/clearance.cedarschema \
    ///      --entities out/entities.json --request-json out/request.json --verbose"
    /// );
    /// ```
    pub fn commands(dir: impl AsRef<Path>) -> Vec<String> {
        let dir = dir.as_ref();
        let file = |name: &str| shell_quote(&dir.join(name).display().to_string());
        let schema = file("clearance.cedarschema");
        let validate = |policies: &str| {
            format!(
                "cedar validate --policies {} --schema {schema} --deny-warnings",
                file(policies)
            )
        };
        let authorize = |policies: &str| {
            format!(
                "cedar authorize --policies {} --schema {schema} --entities {} --request-json {} --verbose",
                file(policies),
                file("entities.json"),
                file("request.json"),
            )
        };
        vec![
            validate("policies.cedar"),
            validate("advice.cedar"),
            authorize("policies.cedar"),
            authorize("advice.cedar"),
        ]
    }
}

/// A path as one word of a POSIX shell command.
fn shell_quote(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c));
    if plain {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// The policies of `set` as Cedar text, in the order of `rules`, under a
/// header comment. Each policy is printed as it was written (Cedar keeps
/// the text it parsed), annotations included, and so with its `@id`.
fn policy_text<'a>(
    set: &PolicySet,
    rules: impl Iterator<Item = &'a crate::policy::Rule>,
    header: &str,
) -> String {
    let mut text = header.to_owned();
    for rule in rules {
        let Some(policy) = set.policy(&PolicyId::new(rule.id())) else {
            continue;
        };
        // Debug quoting keeps an origin with a line break on one comment line.
        text.push_str(&format!("\n// from {:?}\n{policy}\n", rule.origin()));
    }
    text
}

/// The entities reachable from `seeds`: each entity, its ancestors and the
/// entities its attributes and tags refer to, transitively. Action entities
/// come from the schema, as Cedar's CLI takes them; a uid no store holds is
/// left out, as Cedar finds nothing for it either way.
fn closure<'a>(
    seeds: Vec<EntityUid>,
    entities: &'a Entities,
    actions: &'a Entities,
) -> BTreeMap<String, &'a Entity> {
    let mut found: BTreeMap<String, &Entity> = BTreeMap::new();
    let mut seen: BTreeSet<EntityUid> = BTreeSet::new();
    let mut queue: VecDeque<EntityUid> = seeds.into();
    while let Some(uid) = queue.pop_front() {
        if !seen.insert(uid.clone()) {
            continue;
        }
        let store = if actions.get(&uid).is_some() {
            actions
        } else {
            entities
        };
        let Some(entity) = store.get(&uid) else {
            continue;
        };
        if let Some(ancestors) = store.ancestors(&uid) {
            queue.extend(ancestors.cloned());
        }
        let mut refs = Vec::new();
        for (_, value) in entity.attrs().chain(entity.tags()) {
            if let Ok(value) = value {
                uids_in(&value, &mut refs);
            }
        }
        queue.extend(refs);
        found.insert(uid.to_string(), entity);
    }
    found
}

/// Every entity uid in a value, at any depth of sets and records.
fn uids_in(value: &EvalResult, found: &mut Vec<EntityUid>) {
    match value {
        EvalResult::EntityUid(uid) => found.push(uid.clone()),
        EvalResult::Set(set) => set.iter().for_each(|v| uids_in(v, found)),
        EvalResult::Record(record) => record.iter().for_each(|(_, v)| uids_in(v, found)),
        _ => {}
    }
}

/// Entities as Cedar's entities JSON, in the order given, each entity's
/// parents sorted so that the same question always writes the same file.
fn entities_json(entities: &BTreeMap<String, &Entity>) -> std::result::Result<Value, String> {
    let mut out = Vec::with_capacity(entities.len());
    for entity in entities.values() {
        let mut json = entity.to_json_value().map_err(|e| e.to_string())?;
        if let Some(Value::Array(parents)) = json.get_mut("parents") {
            parents.sort_by_key(|p| p.to_string());
        }
        out.push(json);
    }
    Ok(Value::Array(out))
}
