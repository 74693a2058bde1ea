//! What each policy names: the waiver keys it tests, the vendors it
//! mentions, and the instants at which its reading of the time can turn.
//!
//! A policy accepts a waiver by testing `context.waivers.contains("key")`
//! (or `containsAny` of literal keys); a waiver naming a key that no policy
//! tests would lift nothing, which is an error when the engine is built. The
//! vendors a policy mentions (`Vendor::"ao-kaspersky-lab"`, in its scope or
//! its conditions) are where an explanation's chains should lead.
//!
//! A policy reads the time only through `context.now`. Compared with a
//! literal (`context.now >= datetime("2024-09-29")`), its truth can change at
//! one instant or two (`==` holds for one millisecond), so a timeline can list
//! them exactly. Any other use (arithmetic, `offset`, durations, a comparison
//! with anything but a literal, the whole `context`) cannot be bounded that
//! way, and is recorded as such rather than guessed at.
//!
//! All of it is read off the policy's JSON form, once per policy set.

use std::collections::BTreeSet;

use cedar_policy::EntityUid;
use serde_json::Value;

use crate::corporate::Aggregate;
use crate::model::Instant;

/// What one policy names.
#[derive(Debug, Default, Clone)]
pub(crate) struct Mentions {
    /// The literal keys it tests `context.waivers` for.
    pub waiver_keys: BTreeSet<String>,
    /// Whether it reads `context.waivers` other than by testing literal keys
    /// (so any key might matter to it).
    pub waivers_read_otherwise: bool,
    /// The ids of the vendors it names.
    pub vendors: BTreeSet<String>,
    /// The instants at which a comparison of `context.now` with a literal
    /// turns: the first instant of each period over which it is constant.
    pub turns: BTreeSet<Instant>,
    /// How the policy reads the time other than by comparing `context.now`
    /// with a literal, if it does: then `turns` is not the whole story.
    pub time_unbounded: Option<String>,
    /// The entities it names, if it reads an entity that is not reached from
    /// the request (an attribute of `Vendor::"x"`, `Vendor::"x" in ...`):
    /// Cedar reads them to answer, so an export must carry them.
    pub named_and_read: Vec<EntityUid>,
    /// The aggregate-ownership tests it reads (`vendorBlocked`,
    /// `vendorForeignAdversaryControlled` and the like): an explanation
    /// shows the shares that add up.
    pub aggregates: BTreeSet<Aggregate>,
    /// Whether its JSON form could be read (if not, the rest is the worst case).
    pub json_read: bool,
}

impl Mentions {
    /// Reads a policy's JSON form; `None` (Cedar could not give it) assumes
    /// the worst: it reads the waivers in a way no literal test shows.
    pub fn of(policy: Option<&Value>) -> Mentions {
        let mut mentions = Mentions::default();
        match policy {
            Some(json) => {
                mentions.walk(json);
                mentions.json_read = true;
                if reads_unreached(json) {
                    entity_refs(json, &mut mentions.named_and_read);
                }
            }
            None => {
                mentions.waivers_read_otherwise = true;
                mentions.time_unbounded = Some("its JSON form could not be read".to_owned());
            }
        }
        mentions
    }

    fn unbounded(&mut self, why: impl FnOnce() -> String) {
        self.time_unbounded.get_or_insert_with(why);
    }

    /// `context.now OP literal`, either way round: records where it turns and
    /// says so, or says nothing (and records nothing) for any other comparison.
    fn comparison(&mut self, op: &str, operand: &Value) -> bool {
        let (left, right) = (&operand["left"], &operand["right"]);
        let (op, literal) = match (is_now(left), is_now(right)) {
            (true, false) => (op, right),
            (false, true) => (mirrored(op), left),
            _ => return false,
        };
        let Some(text) = datetime_literal(literal) else {
            return false;
        };
        let Some(at) = cedar_datetime(text) else {
            self.unbounded(|| format!("it compares `context.now` with `datetime(\"{text}\")`, which could not be read"));
            return true;
        };
        // `now < at` and `now >= at` turn at `at`; `now <= at` and `now > at`
        // one millisecond later; `==` and `!=` at both.
        let after = at.checked_add(1);
        let turns: &[Option<i64>] = match op {
            "<" | ">=" => &[Some(at)],
            "<=" | ">" => &[after],
            _ => &[Some(at), after],
        };
        // An instant outside the representable range is never asked about.
        self.turns.extend(
            turns
                .iter()
                .flatten()
                .filter_map(|&ms| Instant::from_unix_millis(ms)),
        );
        true
    }

    fn walk(&mut self, node: &Value) {
        match node {
            Value::Array(items) => items.iter().for_each(|item| self.walk(item)),
            Value::Object(map) => {
                if let Some(id) = vendor_literal(node) {
                    self.vendors.insert(id.to_owned());
                }
                for (op, operand) in map {
                    if op == "." {
                        if let Some(test) = operand["attr"].as_str().and_then(aggregate_read) {
                            self.aggregates.insert(test);
                        }
                    }
                    match op.as_str() {
                        "<" | "<=" | ">" | ">=" | "==" | "!="
                            if self.comparison(op, operand) => {}
                        "contains" | "containsAny" if is_waivers(&operand["left"]) => {
                            match literal_strings(&operand["right"]) {
                                Some(keys) => self.waiver_keys.extend(keys),
                                None => {
                                    self.waivers_read_otherwise = true;
                                    self.walk(&operand["right"]);
                                }
                            }
                        }
                        "." if is_waivers(node) => self.waivers_read_otherwise = true,
                        "." if is_now(node) => self.unbounded(|| {
                            "it uses `context.now` other than by comparing it with a `datetime(\"...\")` literal".to_owned()
                        }),
                        // Another attribute of the context, or whether it has one.
                        "." | "has" if is_context(&operand["left"]) => {}
                        "Var" if operand == "context" => self.unbounded(|| {
                            "it reads the whole `context`, `now` included".to_owned()
                        }),
                        _ => self.walk(operand),
                    }
                }
            }
            _ => {}
        }
    }
}

/// The aggregate-ownership test an attribute reads, if it reads one.
fn aggregate_read(attribute: &str) -> Option<Aggregate> {
    match attribute {
        "blocked" | "vendorBlocked" | "codeBlocked" => Some(Aggregate::Blocked),
        "foreignAdversaryControlled" | "vendorForeignAdversaryControlled" => {
            Some(Aggregate::ForeignAdversary)
        }
        _ => None,
    }
}

/// Whether the policy reads an entity that is not reached from the request:
/// an attribute, tag, `has` or `in` of anything but `principal`, `action`,
/// `resource`, `context` or an attribute path from them.
fn reads_unreached(node: &Value) -> bool {
    match node {
        Value::Object(map) => {
            for op in [".", "has", "in", "getTag", "hasTag", "is"] {
                if let Some(left) = map.get(op).and_then(|o| o.get("left")) {
                    // `is` reads the entity only when it has an `in`.
                    let reads = op != "is" || map[op].get("in").is_some();
                    if reads && !from_the_request(left) {
                        return true;
                    }
                }
            }
            map.values().any(reads_unreached)
        }
        Value::Array(items) => items.iter().any(reads_unreached),
        _ => false,
    }
}

/// `principal`, `action`, `resource`, `context`, or an attribute path from them.
fn from_the_request(node: &Value) -> bool {
    if node.get("Var").is_some() {
        return true;
    }
    node.get(".")
        .and_then(|access| access.get("left"))
        .is_some_and(from_the_request)
}

/// Every entity uid written `{"__entity": {"type": ..., "id": ...}}` in
/// Cedar JSON (policies, contexts).
pub(crate) fn entity_refs(node: &Value, found: &mut Vec<EntityUid>) {
    match node {
        Value::Object(map) => {
            if let Some(uid) = map
                .get("__entity")
                .and_then(|e| EntityUid::from_json(e.clone()).ok())
            {
                found.push(uid);
            }
            map.values().for_each(|v| entity_refs(v, found));
        }
        Value::Array(items) => items.iter().for_each(|v| entity_refs(v, found)),
        _ => {}
    }
}

fn is_context(node: &Value) -> bool {
    node.get("Var").and_then(Value::as_str) == Some("context")
}

/// `context.<attr>`.
fn is_context_attr(node: &Value, attr: &str) -> bool {
    node.get(".")
        .is_some_and(|dot| is_context(&dot["left"]) && dot["attr"] == attr)
}

/// `context.waivers`.
fn is_waivers(node: &Value) -> bool {
    is_context_attr(node, "waivers")
}

/// `context.now`.
fn is_now(node: &Value) -> bool {
    is_context_attr(node, "now")
}

/// The comparison that says the same with its operands swapped.
fn mirrored(op: &str) -> &str {
    match op {
        "<" => ">",
        "<=" => ">=",
        ">" => "<",
        ">=" => "<=",
        same => same,
    }
}

/// The text of a `datetime("...")` literal.
fn datetime_literal(node: &Value) -> Option<&str> {
    match node.get("datetime")?.as_array()?.as_slice() {
        [argument] => argument.get("Value")?.as_str(),
        _ => None,
    }
}

/// Milliseconds since the Unix epoch of a Cedar datetime literal, as Cedar
/// itself reads it (so every form it accepts, offsets included, means what
/// it means to Cedar).
fn cedar_datetime(text: &str) -> Option<i64> {
    use cedar_policy::{Context, Entities, EntityUid, EvalResult, Expression, Request};
    // Only the characters of Cedar's datetime forms, so the text cannot
    // escape the string literal it is put in.
    if !text
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-:+.".contains(&b))
    {
        return None;
    }
    let expression: Expression =
        format!(r#"datetime("{text}").durationSince(datetime("1970-01-01")).toMilliseconds()"#)
            .parse()
            .ok()?;
    let uid: EntityUid = r#"Any::"any""#.parse().ok()?;
    let request = Request::new(uid.clone(), uid.clone(), uid, Context::empty(), None).ok()?;
    match cedar_policy::eval_expression(&request, &Entities::empty(), &expression) {
        Ok(EvalResult::Long(ms)) => Some(ms),
        _ => None,
    }
}

/// A string literal, or a set of them.
fn literal_strings(node: &Value) -> Option<Vec<String>> {
    if let Some(Value::String(key)) = node.get("Value") {
        return Some(vec![key.clone()]);
    }
    node.get("Set")?
        .as_array()?
        .iter()
        .map(|item| match item.get("Value") {
            Some(Value::String(key)) => Some(key.clone()),
            _ => None,
        })
        .collect()
}

/// The id of a `Vendor::"..."` literal, in a condition or in a scope.
fn vendor_literal(node: &Value) -> Option<&str> {
    let entity = node
        .get("__entity")
        .or_else(|| node.get("entity"))
        .unwrap_or(node);
    if entity.get("type").and_then(Value::as_str) == Some("Vendor") {
        return entity.get("id").and_then(Value::as_str);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mentions(text: &str) -> Mentions {
        let policy: cedar_policy::Policy = text.parse().unwrap();
        Mentions::of(Some(&policy.to_json().unwrap()))
    }

    #[test]
    fn waiver_keys_and_vendors_are_read_from_conditions_and_scopes() {
        let m = mentions(
            r#"forbid (principal, action, resource in Vendor::"acme")
               when { resource.codeGroups.containsAny([Vendor::"globex", Vendor::"initech"]) }
               unless { context.waivers.contains("r") || context.waivers.containsAny(["r/dni", "x"]) };"#,
        );
        assert_eq!(m.waiver_keys, ["r", "r/dni", "x"].map(String::from).into());
        assert!(!m.waivers_read_otherwise);
        assert_eq!(
            m.vendors,
            ["acme", "globex", "initech"].map(String::from).into()
        );
    }

    #[test]
    fn other_reads_of_the_waivers_are_noticed() {
        let m =
            mentions(r#"forbid (principal, action, resource) when { context.waivers.isEmpty() };"#);
        assert!(m.waivers_read_otherwise);
        assert!(m.waiver_keys.is_empty());
    }

    fn at(text: &str) -> Instant {
        text.parse().unwrap()
    }

    #[test]
    fn comparisons_of_the_time_with_literals_turn_where_their_truth_does() {
        let m = mentions(
            r#"forbid (principal, action, resource) when {
                context.now >= datetime("2024-09-29") &&
                context.now < datetime("2025-01-01T00:00:00Z") &&
                datetime("2020-01-01T02:00:00+0200") < context.now &&
                context.now <= datetime("2030-06-01") &&
                context.now != datetime("2027-03-03T03:03:03.333Z") &&
                context.assurance.contains("fedramp:high") && context has waivers
            };"#,
        );
        assert_eq!(m.time_unbounded, None);
        let plus_1ms = |text: &str| Instant::from_unix_millis(at(text).unix_millis() + 1).unwrap();
        let expected: BTreeSet<Instant> = [
            at("2024-09-29"),
            at("2025-01-01"),
            // `literal < now` is `now > literal`: it turns a millisecond after.
            plus_1ms("2020-01-01T00:00:00Z"),
            plus_1ms("2030-06-01"),
            at("2027-03-03T03:03:03.333Z"),
            plus_1ms("2027-03-03T03:03:03.333Z"),
        ]
        .into();
        assert_eq!(m.turns, expected);
    }

    #[test]
    fn any_other_use_of_the_time_is_unbounded() {
        for condition in [
            r#"context.now.offset(duration("1d")) > datetime("2024-01-01")"#,
            r#"context.now > datetime("2024-01-01").offset(duration("1d"))"#,
            r#"context.now.toDate() == datetime("2024-01-01")"#,
            r#"context.now.durationSince(datetime("2024-01-01")) > duration("1h")"#,
            r#"(if principal.critical then context.now else datetime("2024-01-01")) > datetime("2023-01-01")"#,
            r#"context == {"now": datetime("2024-01-01"), "waivers": [], "assurance": []}"#,
        ] {
            let m = mentions(&format!(
                "forbid (principal, action, resource) when {{ {condition} }};"
            ));
            assert!(m.time_unbounded.is_some(), "{condition}");
        }
        let plain =
            mentions(r#"forbid (principal, action, resource) when { context.waivers.isEmpty() };"#);
        assert_eq!(plain.time_unbounded, None);
        assert!(plain.turns.is_empty());
    }
}
