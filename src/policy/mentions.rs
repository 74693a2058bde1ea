//! What each policy names: the waiver keys it tests, and the vendors it
//! mentions.
//!
//! A policy accepts a waiver by testing `context.waivers.contains("key")`
//! (or `containsAny` of literal keys); a waiver naming a key that no policy
//! tests would lift nothing, which is an error when the engine is built. The
//! vendors a policy mentions (`Vendor::"ao-kaspersky-lab"`, in its scope or
//! its conditions) are where an explanation's chains should lead. Both are
//! read off the policy's JSON form, once per policy set.

use std::collections::BTreeSet;

use serde_json::Value;

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
}

impl Mentions {
    /// Reads a policy's JSON form; `None` (Cedar could not give it) assumes
    /// the worst: it reads the waivers in a way no literal test shows.
    pub fn of(policy: Option<&Value>) -> Mentions {
        let mut mentions = Mentions::default();
        match policy {
            Some(json) => mentions.walk(json),
            None => mentions.waivers_read_otherwise = true,
        }
        mentions
    }

    fn walk(&mut self, node: &Value) {
        match node {
            Value::Array(items) => items.iter().for_each(|item| self.walk(item)),
            Value::Object(map) => {
                if let Some(id) = vendor_literal(node) {
                    self.vendors.insert(id.to_owned());
                }
                for (op, operand) in map {
                    match op.as_str() {
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
                        _ => self.walk(operand),
                    }
                }
            }
            _ => {}
        }
    }
}

/// `context.waivers`.
fn is_waivers(node: &Value) -> bool {
    node.get(".").is_some_and(|dot| {
        dot["left"].get("Var").and_then(Value::as_str) == Some("context")
            && dot["attr"] == "waivers"
    })
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
}
